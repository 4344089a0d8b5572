"""The embedded default: one DuckDB file.

DuckDB allows one writing process at a time. regie opens the file per task
and closes it when the task ends, so tasks that run one after another never
collide; in a scheduler deployment the ``regie_warehouse`` pool (one slot)
keeps writers apart. BI tools open the file read-only.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from .base import Warehouse

_LOCK_WAIT_SECONDS = 120


class DuckDBWarehouse(Warehouse):
    kind = "duckdb"

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.read_only = read_only
        self.con = _connect_waiting(self.path, read_only)

    @contextlib.contextmanager
    def released(self) -> Iterator[None]:
        self.con.close()
        try:
            yield
        finally:
            self.con = _connect_waiting(self.path, self.read_only)

    def execute(self, sql: str, params: tuple | list | None = None) -> None:
        self.con.execute(sql, params or [])

    def query(self, sql: str, params: tuple | list | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def query_arrow(self, sql: str, params: tuple | list | None = None) -> pa.Table:
        return self.con.sql(sql, params=list(params or [])).to_arrow_table()

    def query_frame(self, sql: str, params: tuple | list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, list(params or [])).df()

    def _begin(self) -> None:
        self.con.execute("begin transaction")

    def _commit(self) -> None:
        self.con.execute("commit")

    def _rollback(self) -> None:
        self.con.execute("rollback")

    def _insert_arrow(self, table: str, data: pa.Table) -> None:
        self.con.register("_regie_incoming", data)
        try:
            self.con.execute(f"insert into {table} by name select * from _regie_incoming")
        finally:
            self.con.unregister("_regie_incoming")

    def close(self) -> None:
        self.con.close()


def _connect_waiting(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting while another process holds the write lock."""
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.5)
