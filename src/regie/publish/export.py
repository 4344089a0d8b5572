"""``regie export``: one gemeente's figures in a file of its own.

For a gemeente without a PostgreSQL server: a DuckDB file (and, with
``--parquet DIR``, one Parquet file per table) holding exactly the rows of the
published ``marts`` and ``historie`` that the gemeente may read - the rule of
:func:`regie.publish.toegang.leesregel`, the same one the PostgreSQL roles get.
The gemeente's own figures are not suppressed (they are its own records, as in
PostgreSQL); ``publiek`` is public anyway and not included.

Reads the publication (never the work area), so it can run while a pipeline run
is busy; the file is written beside its target and renamed into place.
"""

from __future__ import annotations

import contextlib
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..warehouse import is_postgres
from . import doel
from . import meta as meta_mod
from .toegang import leesregel

_GEMEENTECODE = re.compile(r"^GM\d{4}$")
SCHEMAS = ("marts", "historie")


class ExportFout(ValueError):
    """Nothing to export, or a gemeente regie does not know."""


@dataclass
class Export:
    gemeente: str
    bestand: Path
    parquet: Path | None
    rijen: dict[str, int] = field(default_factory=dict)

    def samenvatting(self) -> str:
        lines = [
            f"export {self.gemeente}: {sum(self.rijen.values())} rows in {len(self.rijen)} tables",
            f"  duckdb:  {self.bestand}",
        ]
        if self.parquet:
            lines.append(f"  parquet: {self.parquet}")
        return "\n".join(lines)


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def leesbaar(
    warehouse: str, gemeente: str, schemas: tuple[str, ...] = SCHEMAS
) -> dict[tuple[str, str], pa.Table]:
    """Every published table of ``schemas`` (marts, historie) with exactly the rows ``gemeente`` may
    read (:func:`regie.publish.toegang.leesregel`); what ``regie export`` and ``regie monitor`` read."""
    return _frames(warehouse, gemeente, schemas)


def _frames(
    warehouse: str, gemeente: str, schemas: tuple[str, ...] = SCHEMAS
) -> dict[tuple[str, str], pa.Table]:
    specs = meta_mod.specs()
    lezer = _lit(gemeente)
    out: dict[tuple[str, str], pa.Table] = {}
    if is_postgres(warehouse):
        import psycopg

        with psycopg.connect(warehouse) as con:
            known = con.execute("select to_regclass('marts.dim_gemeente') is not null").fetchone()[0]
            if not known:
                raise ExportFout("nothing has been published yet (run regie run first)")
            _known_gemeente(con.execute("select gemeentecode from marts.dim_gemeente").fetchall(), gemeente)
            for schema in schemas:
                tables = [
                    r[0]
                    for r in con.execute(
                        "select table_name from information_schema.tables where table_schema = %s "
                        "and table_type = 'BASE TABLE' order by table_name",
                        (schema,),
                    ).fetchall()
                ]
                for table in tables:
                    spec = specs.get(table)
                    if spec is None:
                        continue
                    sql = f"select * from {schema}.{table} as rij where {_where(spec, lezer)}"
                    cur = con.execute(sql)
                    names = [d.name for d in cur.description]
                    out[(schema, table)] = pa.Table.from_pandas(
                        pd.DataFrame(cur.fetchall(), columns=names), preserve_index=False
                    )
        return out
    import duckdb

    path = Path(doel(warehouse))
    if not path.exists():
        raise ExportFout(f"nothing has been published yet: {path} does not exist (run regie run first)")
    con = duckdb.connect(str(path), read_only=True)
    try:
        _known_gemeente(con.execute("select gemeentecode from marts.dim_gemeente").fetchall(), gemeente)
        for schema in schemas:
            tables = con.execute(
                "select table_name from information_schema.tables where table_schema = ? order by table_name",
                (schema,),
            ).fetchall()
            for (table,) in tables:
                spec = specs.get(table)
                if spec is None:
                    continue
                out[(schema, table)] = con.sql(
                    f"select * from {schema}.{table} as rij where {_where(spec, lezer)}"
                ).to_arrow_table()
    finally:
        con.close()
    return out


def _where(spec, lezer: str) -> str:
    # qualified: the rule's own subquery reads dim_gemeente, whose column has the same name
    return leesregel(f'rij."{spec.gemeente_kolom}"', _lit(spec.domein), lezer)


def _known_gemeente(rows, gemeente: str) -> None:
    if gemeente not in {r[0] for r in rows}:
        raise ExportFout(f"gemeente {gemeente} is not in marts.dim_gemeente")


def exporteer(warehouse: str, gemeente: str, out: Path, parquet: Path | None = None) -> Export:
    gemeente = gemeente.strip().upper()
    if not _GEMEENTECODE.match(gemeente):
        raise ExportFout(f"{gemeente!r} is not a gemeentecode (GM and 4 digits)")
    frames = _frames(warehouse, gemeente)
    result = Export(gemeente, out.resolve(), parquet.resolve() if parquet else None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    import duckdb

    try:
        con = duckdb.connect(str(tmp))
        try:
            for schema in SCHEMAS:
                con.execute(f"create schema {schema}")
            for (schema, table), data in frames.items():
                con.register("_regie_export", data)
                con.execute(f"create table {schema}.{table} as select * from _regie_export")
                con.unregister("_regie_export")
                result.rijen[f"{schema}.{table}"] = data.num_rows
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(tmp, out)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    if parquet:
        parquet.mkdir(parents=True, exist_ok=True)
        for (schema, table), data in frames.items():
            pq.write_table(data, parquet / f"{schema}.{table}.parquet")
    return result
