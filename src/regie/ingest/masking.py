"""What regie may repeat of a delivery in a name, reason, log line or index.

One rule for every text that comes from a deliverer and ends up somewhere a
person reads it (the ledger's ``path`` and ``reden``, the quarantine's
``.reden.txt``, the archive index, logs, mails):

* a run of :data:`IDENTIFIER_DIGITS` or more digits becomes ``<getal>``: it
  could be a BSN or a V-nummer;
* a run that looks like a key or password (16 or more hexadecimal characters,
  or 24 or more characters of a base64 alphabet mixing letters and digits)
  becomes ``<verborgen>``;
* control characters (a newline, a tab) become ``?``: they could forge a line
  of an index or a log.

The SQL counterpart (for reasons quoting a value) is
:func:`regie.ingest.validate.quoted`; both read the patterns here.
"""

from __future__ import annotations

import re
import unicodedata

#: A digit run this long (or longer) may be an identifier and is never repeated.
IDENTIFIER_DIGITS = 8
#: Patterns (POSIX-style, valid in both Python and DuckDB) for what is masked.
DIGITS_PATTERN = f"[0-9]{{{IDENTIFIER_DIGITS},}}"
HEX_PATTERN = "[0-9A-Fa-f]{16,}"
BASE64_PATTERN = "[A-Za-z0-9+=_-]{24,}"

_DIGITS = re.compile(DIGITS_PATTERN)
_HEX = re.compile(HEX_PATTERN)
_BASE64 = re.compile(BASE64_PATTERN)

#: How long a name may be before it is stored under a safe name instead.
MAX_NAME_CHARS = 120
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]")


def mask(text: str) -> str:
    """``text`` with identifiers, secrets and control characters masked."""
    out = "".join("?" if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    out = _HEX.sub("<verborgen>", out)
    out = _BASE64.sub(_secret_run, out)
    return _DIGITS.sub("<getal>", out)


def _secret_run(m: re.Match) -> str:
    run = m.group()
    looks_random = any(c.isdigit() for c in run) and any(c.isalpha() for c in run)
    return "<verborgen>" if looks_random else run


def is_clean(text: str) -> bool:
    """Nothing in ``text`` would be masked."""
    return mask(text) == text


_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def plain_name(name: str) -> bool:
    """May a header cell be repeated as a column name? Not when it would be masked, looks
    like a date (a birth date in a file without its header row) or is longer than a
    quoted value."""
    return is_clean(name) and not _DATE_LIKE.search(name) and len(name) <= 40


def safe_filename(name: str, suffix: str = "") -> str:
    """A file name regie can always create: masked, plain characters, short enough.

    ``suffix`` (a time stamp, ``.reden.txt``) is kept whole; the name before it
    is cut so the total stays far below the file system's 255 bytes.
    """
    masked = mask(name).replace("<getal>", "NNNN").replace("<verborgen>", "XXXX")
    plain = _UNSAFE_IN_NAME.sub("_", masked).lstrip(".") or "bestand"
    return plain[:MAX_NAME_CHARS] + suffix


def safe_relpath(relpath: str) -> str:
    """A landing path as regie may store and show it: every part masked and safe."""
    return "/".join(safe_filename(part) for part in relpath.split("/"))
