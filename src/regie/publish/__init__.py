"""Publication: what BI reads switches in one step, and never half.

The flow of a transform run (the same functions for the DAG, ``regie run``,
``regie.transform.build`` and the tests)::

    regie.quality.blocking.beoordeel   the blocking checks judge the deliveries; work area "in aanbouw"
    dbt build                       staging -> intermediate -> marts, in the work area
    prepare                         publiek (suppressed) and historie, from the marts; work area "gereed"
    publish                         the published schemas marts, publiek, historie switch at once

Where BI reads (:func:`doel`):

- **DuckDB**: the work area is the ``--warehouse`` file (raw, audit, staging,
  intermediate, marts, publiek, historie). The publication is a second file
  beside it, ``<name>_publicatie.duckdb`` (``regie.duckdb`` ->
  ``regie_publicatie.duckdb``), holding only ``marts``, ``publiek`` and
  ``historie``. It is written as a new file and renamed over the old one, so a
  reader sees the previous or the new publication, never a mix; regie never
  opens the published file, so a BI tool holding it open never blocks a run
  (it sees the new publication on its next connection).
- **PostgreSQL**: dbt builds ``marts__werk``; publiek and historie are prepared
  in ``publiek__werk`` and ``historie__werk``. Publishing copies them into
  ``<schema>__nieuw``, puts row-level security and the reader roles' grants on
  the copies (regie.publish.toegang), and renames the schemas in one
  transaction (renaming waits for no reader). The old schemas are dropped
  afterwards when no reader holds them; otherwise at the next publication.

Only a finished work area is published (``audit.werkstand`` is ``gereed``); a
run killed half-way leaves the previous publication in place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Settings
from ..warehouse import PUBLISHED_SCHEMAS, connect, describe, is_postgres, work_schema
from . import werk

log = logging.getLogger("regie.publish")

#: How long the PostgreSQL publish step waits for a lock before it gives up on
#: dropping an old schema (it tries again next time); readers are never waited for.
DROP_LOCK_TIMEOUT = "2s"


def doel(warehouse: str) -> Path | str:
    """Where BI reads: the published DuckDB file, or the PostgreSQL database (its schemas marts, publiek, historie)."""
    if is_postgres(warehouse):
        return warehouse
    work = Path(warehouse)
    return work.with_name(f"{work.stem}_publicatie{work.suffix or '.duckdb'}")


def beschrijf(warehouse: str) -> str:
    """The place BI should open, safe to print."""
    if is_postgres(warehouse):
        return f"{describe(warehouse)} (schemas marts, publiek, historie)"
    return str(doel(warehouse))


def drempel(value: int | None = None) -> int:
    from ..transform.profiles import threshold

    return threshold(value)


def begin(params: dict[str, Any], run_id: str | None, peildatum: str) -> None:
    """Mark the work area as being rebuilt (the first thing a transform run does)."""
    settings = Settings.resolve(params)
    with connect(settings.warehouse) as wh:
        werk.markeer(wh, werk.IN_AANBOUW, run_id, peildatum)


def prepare(params: dict[str, Any], peildatum: str, run_id: str | None = None) -> dict[str, Any]:
    """After a successful dbt build: publiek and historie in the work area, then ``gereed``."""
    settings = Settings.resolve(params)
    with connect(settings.warehouse) as wh:
        out = werk.bereid_voor(wh, peildatum, run_id or settings.run_id, drempel())
    return {
        "peildatum": peildatum,
        "publiek": {t: {"klein": p, "aanvullend": a} for t, (p, a) in out.publiek.items()},
        "historie": out.historie,
    }


@dataclass(frozen=True)
class Publicatie:
    doel: str
    tabellen: int
    seconden: float
    peildatum: str | None


def publish(
    params: dict[str, Any], run_id: str | None = None, *, verplicht: bool = True
) -> Publicatie | None:
    """Copy the finished work area to where BI reads, in one switch.

    ``verplicht``: raise when the work area is not finished (the transform); the
    quality DAG passes False and then leaves the publication as it is.
    """
    settings = Settings.resolve(params)
    run_id = run_id or settings.run_id
    with connect(settings.warehouse) as wh:
        st = werk.stand(wh)
    if st is None or st.toestand != werk.GEREED:
        msg = (
            "the work area is not a finished build "
            f"({st.toestand if st else 'never built'}"
            + (f", run {st.run_id}" if st and st.run_id else "")
            + "): the publication stays as it is"
        )
        if verplicht:
            raise werk.NietGereed(msg)
        log.warning("%s", msg)
        return None
    started = time.monotonic()
    if is_postgres(settings.warehouse):
        n = _publish_postgres(settings.warehouse)
    else:
        n = _publish_duckdb(Path(settings.warehouse), Path(doel(settings.warehouse)))
    seconds = time.monotonic() - started
    peil = st.peildatum.isoformat() if st.peildatum else None
    with connect(settings.warehouse) as wh:
        werk.registreer_publicatie(wh, run_id, st.peildatum, beschrijf(settings.warehouse), n, seconds)
    log.info(
        "gepubliceerd: %d tabellen in %.1f s (peildatum %s): %s",
        n,
        seconds,
        peil,
        beschrijf(settings.warehouse),
    )
    return Publicatie(beschrijf(settings.warehouse), n, seconds, peil)


# --- DuckDB: a new file, renamed over the published one -----------------------------


def _publish_duckdb(work: Path, target: Path) -> int:
    import duckdb

    target.parent.mkdir(parents=True, exist_ok=True)
    _opruimen(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    n = 0
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute(f"attach '{_sql_path(work)}' as werk (read_only)")
            for schema in PUBLISHED_SCHEMAS:
                con.execute(f"create schema {schema}")
                tables = con.execute(
                    "select table_name from information_schema.tables where table_catalog = 'werk' "
                    "and table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                    (schema,),
                ).fetchall()
                for (table,) in tables:
                    con.execute(f"create table {schema}.{table} as select * from werk.{schema}.{table}")
                    n += 1
            con.execute("detach werk")
            con.execute("checkpoint")
        finally:
            con.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        with contextlib.suppress(OSError):  # make the rename durable
            fd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return n


def _sql_path(path: Path) -> str:
    return str(path.resolve()).replace("'", "''")


def _opruimen(target: Path) -> None:
    """Remove temporary files a killed publish step left behind (its process is gone)."""
    for leftover in target.parent.glob(f".{target.name}.*.tmp*"):
        try:
            pid = int(leftover.name[len(target.name) + 2 :].split(".", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _leeft(pid):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _leeft(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- PostgreSQL: copies in <schema>__nieuw, then one renaming transaction -------------


def _publish_postgres(url: str) -> int:
    import psycopg

    from . import meta as meta_mod
    from . import toegang

    specs = meta_mod.specs()
    n = 0
    with psycopg.connect(url, autocommit=True) as con:
        existing = {r[0] for r in con.execute("select nspname from pg_namespace").fetchall()}
        _drop_oude(con, existing)
        toegang.ensure(con)
        for schema in PUBLISHED_SCHEMAS:
            nieuw = f"{schema}__nieuw"
            con.execute(f"drop schema if exists {nieuw} cascade")
            con.execute(f"create schema {nieuw}")
            werkschema = work_schema("postgres", schema)
            tables = []
            if werkschema in existing:
                tables = [
                    r[0]
                    for r in con.execute(
                        "select table_name from information_schema.tables where table_schema = %s "
                        "and table_type = 'BASE TABLE' order by table_name",
                        (werkschema,),
                    ).fetchall()
                ]
            for table in tables:
                con.execute(f"create table {nieuw}.{table} as table {werkschema}.{table}")
                _kopieer_commentaar(con, werkschema, nieuw, table)
                n += 1
            if schema in ("marts", "historie"):
                toegang.beveilig(con, nieuw, specs, tables)
        nieuw = {s: f"{s}__nieuw" for s in PUBLISHED_SCHEMAS}
        for rol in toegang.rollen(con):
            toegang.geef_rechten(con, rol, nieuw)
        oud = {}
        with con.transaction():
            for schema in PUBLISHED_SCHEMAS:
                if schema in existing:
                    oud[schema] = _vrije_naam(con, f"{schema}__oud")
                    con.execute(f"alter schema {schema} rename to {oud[schema]}")
                con.execute(f"alter schema {schema}__nieuw rename to {schema}")
        _drop_oude(con, set(oud.values()))
    return n


def _vrije_naam(con, base: str) -> str:
    taken = {r[0] for r in con.execute("select nspname from pg_namespace").fetchall()}
    if base not in taken:
        return base
    k = 2
    while f"{base}{k}" in taken:
        k += 1
    return f"{base}{k}"


def _drop_oude(con, schemas: set[str]) -> None:
    """Drop previous publications no reader holds any more; one that is held waits for the next time."""
    import psycopg

    for schema in sorted(schemas):
        if not any(schema.startswith(f"{s}__oud") for s in PUBLISHED_SCHEMAS):
            continue
        try:
            with con.transaction():
                con.execute(f"set local lock_timeout = '{DROP_LOCK_TIMEOUT}'")
                con.execute(f"drop schema {schema} cascade")
        except psycopg.errors.LockNotAvailable:
            log.info("%s is still read by someone; dropped at a later publication", schema)


def _kopieer_commentaar(con, bron: str, doel_: str, table: str) -> None:
    """dbt's descriptions (persist_docs) travel with the copy, so BI tools show them."""
    rows = con.execute(
        "select a.attname, col_description(c.oid, a.attnum), obj_description(c.oid, 'pg_class') "
        "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped "
        "where n.nspname = %s and c.relname = %s",
        (bron, table),
    ).fetchall()
    if rows and rows[0][2]:
        con.execute(f"comment on table {doel_}.{table} is {_lit(rows[0][2])}")
    for col, comment, _ in rows:
        if comment:
            con.execute(f'comment on column {doel_}.{table}."{col}" is {_lit(comment)}')


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def laatste(warehouse: str) -> tuple[str | None, str | None]:
    """(peildatum, published at) of the latest publication, from the work area's record."""
    with connect(warehouse, read_only=not is_postgres(warehouse)) as wh:
        row = werk.laatste_publicatie(wh)
    if not row:
        return None, None
    peil = row[1].isoformat() if isinstance(row[1], dt.date) else (str(row[1]) if row[1] else None)
    return peil, str(row[2])
