"""Comparing warehouses after a crash, and finding the processes a run left.

``digest`` reduces a DuckDB warehouse to one hash per table of ``raw``,
``audit``, ``marts`` and ``publiek``, leaving out what differs between two
correct runs by nature: timestamps (when a row was written) and run ids (which
run wrote it). A table with a run id is a log of what each run did (the
quality findings, the blocking decisions, the mails): a rerun after a kill
records the same decision again, so those are compared as sets of rows; every
other table (``raw``, the ledger, the marts) row for row, duplicates counted.
A few columns describe the run rather than the data (where a publication went,
how long it took) and are left out too: ``RUN_COLUMNS``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb

SCHEMAS = ("raw", "audit", "marts", "publiek")
LEDGER = {"audit.bestanden"}
# columns whose value depends on the place or the speed of a run, not on the deliveries
RUN_COLUMNS = {"audit.publicaties": {"doel", "seconden"}}


def digest(warehouse: str | Path, schemas: tuple[str, ...] = SCHEMAS) -> dict[str, tuple[int, str]]:
    """{schema.table: (rows, md5 of the sorted rows)}."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' for _ in schemas)}) order by 1, 2",
            list(schemas),
        ).fetchall()
        out = {}
        for schema, table in tables:
            cols = con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [schema, table],
            ).fetchall()
            names = [n for n, _ in cols]
            name = f"{schema}.{table}"
            volatile = RUN_COLUMNS.get(name, set()) | {"run_id"}
            kept = [f'"{n}"' for n, t in cols if not t.startswith("TIMESTAMP") and n not in volatile]
            distinct = "distinct " if "run_id" in names and name not in LEDGER else ""
            rows, md5 = con.execute(
                f"select count(*), md5(coalesce(string_agg(r, chr(10) order by r), '')) from "
                f"(select {distinct}cast(row({', '.join(kept)}) as varchar) as r from {schema}.{table})"
            ).fetchone()
            out[name] = (int(rows), md5)
        return out
    finally:
        con.close()


def differences(a: dict, b: dict) -> dict[str, tuple]:
    return {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}


def wait_for(what: str, check: Callable[[], object], timeout: float, every: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"gave up after {timeout:.0f} s waiting for {what}")


def cmdline(pid: int) -> list[str]:
    try:
        return [
            p.decode(errors="replace") for p in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if p
        ]
    except OSError:
        return []


def dbt_processes(pids: list[int]) -> list[int]:
    """The dbt processes among these (regie-dbt execs into dbt; its argv names dbt and a command)."""
    return [p for p in pids if any(Path(a).name == "dbt" for a in cmdline(p)[:2])]
