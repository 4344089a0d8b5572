"""Looking for raw identifiers and birth dates where they must never be."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

_DIGITS = re.compile(r"\d{9,}")
_DATE_LIKE = re.compile(r"\d{1,4}[-/]\d{1,2}[-/]\d{1,4}")


def needles(identifiers: Iterable[str], birth_dates: Iterable[str]) -> tuple[set[str], set[str]]:
    """Identifiers as digit strings; birth dates in every notation regie accepts."""
    ids = {i.strip() for i in identifiers if i and i.strip()}
    dates: set[str] = set()
    for text in birth_dates:
        d = _parse(text)
        if d is None:
            continue
        dates |= {d.isoformat(), d.strftime("%d-%m-%Y"), f"{d.day}-{d.month}-{d.year}"}
    return ids, dates


def _parse(text: str) -> dt.date | None:
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    return None


def hits_in_text(text: str, ids: set[str], dates: set[str]) -> list[str]:
    """Every needle in ``text``: identifiers at any offset inside digit runs, dates as written."""
    found: list[str] = []
    for m in _DIGITS.finditer(text):
        run = m.group()
        for width in (9, 10):
            for i in range(len(run) - width + 1):
                if run[i : i + width] in ids:
                    found.append(run[i : i + width])
    for m in _DATE_LIKE.finditer(text):
        if m.group() in dates:
            found.append(m.group())
    return found


def scan_files(root: Path, ids: set[str], dates: set[str], skip: Iterable[Path] = ()) -> dict[str, list[str]]:
    """Hits per file below ``root`` (bytes read as latin-1, so nothing is missed)."""
    skip = [p.resolve() for p in skip]
    out: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or any(path.resolve().is_relative_to(s) for s in skip):
            continue
        if path.suffix == ".duckdb" or path.name.endswith(".duckdb.wal"):
            continue  # compressed columns: scanned through SQL instead
        found = hits_in_text(path.read_bytes().decode("latin-1"), ids, dates)
        if found:
            out[str(path.relative_to(root))] = sorted(set(found))[:5]
    return out


def warehouse_strings(con) -> Iterator[tuple[str, str]]:
    """(table.column, value) for every text-like value in a DuckDB or PostgreSQL warehouse."""
    cols = con.query(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_schema not in ('information_schema', 'pg_catalog')"
    )
    for schema, table, column, dtype in cols:
        t = str(dtype).lower()
        if not any(k in t for k in ("char", "text", "json", "date", "int", "numeric", "decimal")):
            continue
        for (value,) in con.query(
            f'select distinct cast("{column}" as varchar) from "{schema}"."{table}" where "{column}" is not null'
        ):
            yield f"{schema}.{table}.{column}", value


def scan_warehouse(con, ids: set[str], dates: set[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for where, value in warehouse_strings(con):
        found = hits_in_text(value, ids, dates)
        if found:
            out.setdefault(where, []).extend(found[:3])
    return out
