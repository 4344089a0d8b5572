"""Fake but well-formed identifiers: BSN (elfproef), V-nummer, klantnummer.

Every BSN starts with 99 and every V-nummer with 99, so nobody can mistake
them for real ones. Numbers are drawn from a counter through a fixed
permutation: the sequence does not depend on the random seed of a gemeente,
so adding gemeenten never changes the identifiers of the base data.
"""

from __future__ import annotations

_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2)


def elfproef(bsn: str) -> bool:
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(w * int(c) for w, c in zip(_BSN_WEIGHTS, bsn[:8], strict=True)) - int(bsn[8])
    return total % 11 == 0


def bsn_check_digit(first8: str) -> int | None:
    """The ninth digit that makes ``first8`` + digit pass the elfproef, or None."""
    s = sum(w * int(c) for w, c in zip(_BSN_WEIGHTS, first8, strict=True)) % 11
    return None if s == 10 else s


class IdAllocator:
    """Hands out unique BSNs and V-nummers in a deterministic order."""

    def __init__(self, salt: int = 0) -> None:
        self._bsn_n = 0
        self._v_n = 0
        self._salt = salt

    def bsn(self) -> str:
        while True:
            self._bsn_n += 1
            middle = (self._bsn_n * 7919 + 104_729 + self._salt) % 1_000_000
            first8 = f"99{middle:06d}"
            check = bsn_check_digit(first8)
            if check is not None:
                return first8 + str(check)

    def vnummer(self) -> str:
        self._v_n += 1
        middle = (self._v_n * 15_485_863 + 2_750_159 + self._salt) % 100_000_000
        return f"99{middle:08d}"


def invalid_bsn(valid: str) -> str:
    """A nine-digit number starting with 99 that fails the elfproef."""
    for delta in range(1, 10):
        candidate = valid[:8] + str((int(valid[8]) + delta) % 10)
        if not elfproef(candidate):
            return candidate
    raise AssertionError("unreachable")
