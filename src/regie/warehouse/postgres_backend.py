"""PostgreSQL backend: the same schemas and ledger, written with psycopg COPY."""

from __future__ import annotations

import io

import pandas as pd
import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv

from .base import Warehouse

_COPY_BATCH_ROWS = 100_000


class PostgresWarehouse(Warehouse):
    kind = "postgres"

    def __init__(self, url: str) -> None:
        self.url = url
        self.con = psycopg.connect(url, autocommit=True)

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("?", "%s")

    def execute(self, sql: str, params: tuple | list | None = None) -> None:
        with self.con.cursor() as cur:
            cur.execute(self._sql(sql), params or None)

    def query(self, sql: str, params: tuple | list | None = None) -> list[tuple]:
        with self.con.cursor() as cur:
            cur.execute(self._sql(sql), params or None)
            return cur.fetchall()

    def query_frame(self, sql: str, params: tuple | list | None = None) -> pd.DataFrame:
        with self.con.cursor() as cur:
            cur.execute(self._sql(sql), params or None)
            names = [d.name for d in cur.description]
            return pd.DataFrame(cur.fetchall(), columns=names)

    def query_arrow(self, sql: str, params: tuple | list | None = None) -> pa.Table:
        with self.con.cursor() as cur:
            cur.execute(self._sql(sql), params or None)
            names = [d.name for d in cur.description]
            rows = cur.fetchall()
        return pa.table({n: pa.array([r[i] for r in rows]) for i, n in enumerate(names)})

    def _begin(self) -> None:
        self.execute("begin")

    def _commit(self) -> None:
        self.execute("commit")

    def _rollback(self) -> None:
        self.execute("rollback")

    def _insert_arrow(self, table: str, data: pa.Table) -> None:
        """Stream the rows as CSV into COPY, a batch at a time."""
        cols = ", ".join(data.column_names)
        opts = pacsv.WriteOptions(include_header=False, quoting_style="needed")
        with self.con.cursor() as cur:
            with cur.copy(f"copy {table} ({cols}) from stdin with (format csv)") as copy:
                for batch in data.to_batches(max_chunksize=_COPY_BATCH_ROWS):
                    buf = io.BytesIO()
                    pacsv.write_csv(pa.Table.from_batches([batch]), buf, opts)
                    copy.write(buf.getvalue())

    def close(self) -> None:
        self.con.close()
