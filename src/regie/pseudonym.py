"""Keyed pseudonyms for BSN and V-nummer: the one place that sees the key.

A pseudonym is HMAC-SHA256(key, "<domain>:<identifier>") in lower-case hex.
The domain ("bsn", "vnummer") keeps a BSN and a V-nummer with the same digits
apart. Without the key nobody can go from pseudonym back to the number, and a
different key gives different pseudonyms, so regie refuses to load into a
warehouse that was filled with another key (see :func:`fingerprint`).

The key comes from, in this order:
1. ``REGIE_PSEUDONIEM_SLEUTEL`` (the key itself),
2. ``REGIE_PSEUDONIEM_SLEUTEL_BESTAND`` (a file holding the key),
3. the Airflow variable ``regie_pseudoniem_sleutel`` (only inside a task).
There is no default key: without one, ingestion stops with :class:`NoKeyError`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

ENV_KEY = "REGIE_PSEUDONIEM_SLEUTEL"
ENV_KEY_FILE = "REGIE_PSEUDONIEM_SLEUTEL_BESTAND"
AIRFLOW_VARIABLE = "regie_pseudoniem_sleutel"
MIN_KEY_LENGTH = 32
_BLOCK = 64  # SHA-256 block size in bytes


class NoKeyError(RuntimeError):
    """No usable pseudonymisation key was configured."""


class Pseudonymiser:
    """Turns identifiers into keyed pseudonyms, in Python or inside SQL."""

    def __init__(self, key: str | bytes) -> None:
        raw = key.encode() if isinstance(key, str) else key
        raw = raw.strip()
        if len(raw) < MIN_KEY_LENGTH:
            raise NoKeyError(
                f"the pseudonymisation key is {len(raw)} characters long; "
                f"use at least {MIN_KEY_LENGTH} (for example: regie key --out FILE)"
            )
        self._key = raw
        padded = (hashlib.sha256(raw).digest() if len(raw) > _BLOCK else raw).ljust(_BLOCK, b"\0")
        self._inner = bytes(b ^ 0x36 for b in padded)
        self._outer = bytes(b ^ 0x5C for b in padded)

    def pseudonym(self, domain: str, value: str) -> str:
        """The pseudonym of one identifier (reference implementation)."""
        return hmac.new(self._key, f"{domain}:{value}".encode(), hashlib.sha256).hexdigest()

    def fingerprint(self) -> str:
        """A short value that tells keys apart without revealing them."""
        return self.pseudonym("fingerprint", "regie")[:16]

    def sql_params(self) -> dict[str, bytes]:
        """Named parameters for :meth:`sql`; pass them with the query."""
        return {"hmac_inner": self._inner, "hmac_outer": self._outer}

    @staticmethod
    def sql(domain: str, expr: str) -> str:
        """DuckDB SQL computing the pseudonym of ``expr`` set-wise.

        HMAC written out: H(outer || H(inner || message)). The key travels as
        query parameters, never as text inside the statement.
        """
        message = f"encode('{domain}:' || ({expr}))"
        return (
            f"case when ({expr}) is null then null else "
            f"sha256($hmac_outer || unhex(sha256($hmac_inner || {message}))) end"
        )


def load_key(*, allow_airflow: bool = True) -> Pseudonymiser:
    """The configured key, or a NoKeyError that says how to set one."""
    value = os.environ.get(ENV_KEY)
    if not value and os.environ.get(ENV_KEY_FILE):
        path = Path(os.environ[ENV_KEY_FILE]).expanduser()
        try:
            value = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise NoKeyError(f"cannot read the key file {path}: {exc.strerror}") from None
    if not value and allow_airflow:
        value = _airflow_variable()
    if not value:
        raise NoKeyError(
            "no pseudonymisation key: set REGIE_PSEUDONIEM_SLEUTEL, or "
            "REGIE_PSEUDONIEM_SLEUTEL_BESTAND to a file holding the key, or the "
            "Airflow variable regie_pseudoniem_sleutel. Create one with "
            "'regie key --out FILE' and keep it outside the warehouse: "
            "without the same key, new deliveries no longer link to earlier ones."
        )
    return Pseudonymiser(value)


def _airflow_variable() -> str | None:
    try:
        from airflow.sdk import Variable
    except ImportError:  # pragma: no cover - Airflow is part of the stack
        return None
    try:
        return Variable.get(AIRFLOW_VARIABLE, default=None)
    except Exception:  # outside a task there is no API server to ask
        return None


def new_key() -> str:
    """A fresh random key (64 hex characters, 256 bits)."""
    return secrets.token_hex(32)


def write_key_file(path: Path) -> str:
    """Create a key file readable only by its owner; returns the key."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = new_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    return key
