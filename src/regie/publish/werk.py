"""The work area: where the next publication is made ready.

After dbt has built the marts (in the DuckDB work file, or in ``marts__werk`` in
PostgreSQL), :func:`bereid_voor` derives from them, as each mart declares
(:mod:`regie.publish.meta`):

- ``publiek.<mart>``: the mart with small counts and their complementary cells
  hidden (:mod:`regie.publish.onderdrukking`), plus ``onderdrukt``;
- ``historie.<mart>``: the mart's rows for each peildatum ever published, the
  peildatum first; preparing the same peildatum again replaces its rows.

``audit.werkstand`` says whether the work area is a finished whole. The gate
sets it to ``in aanbouw`` before dbt starts; :func:`bereid_voor` sets it to
``gereed`` when everything is built. The publish step copies only a work area
that is ``gereed``: after a run was killed half-way the publication stays as it
was until a run finishes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import pyarrow as pa

from ..warehouse import Warehouse, work_schema
from ..warehouse.schema import Table
from . import meta as meta_mod
from .onderdrukking import onderdruk

log = logging.getLogger("regie.publish")

WERKSTAND = Table(
    "audit",
    "werkstand",
    (
        ("toestand", "varchar"),  # in aanbouw | gereed
        ("run_id", "varchar"),
        ("peildatum", "date"),
        ("sinds", "timestamp"),
    ),
)

PUBLICATIES = Table(
    "audit",
    "publicaties",
    (
        ("run_id", "varchar"),
        ("peildatum", "date"),
        ("gepubliceerd_op", "timestamp"),
        ("doel", "varchar"),  # the DuckDB file or the PostgreSQL schemas BI reads
        ("tabellen", "bigint"),
        ("seconden", "double precision"),
    ),
)

IN_AANBOUW = "in aanbouw"
GEREED = "gereed"


class NietGereed(RuntimeError):
    """The work area is not a finished build: nothing is published."""


@dataclass(frozen=True)
class Stand:
    toestand: str
    run_id: str | None
    peildatum: dt.date | None
    sinds: dt.datetime | None


def ensure(wh: Warehouse) -> None:
    wh.execute("create schema if not exists audit")
    for table in (WERKSTAND, PUBLICATIES):
        wh.execute(table.ddl())


def markeer(wh: Warehouse, toestand: str, run_id: str | None, peildatum: str | None) -> None:
    ensure(wh)
    with wh.transaction():
        wh.execute(f"delete from {WERKSTAND.qualified}")
        wh.execute(
            f"insert into {WERKSTAND.qualified} values (?, ?, ?, ?)",
            (
                toestand,
                run_id,
                dt.date.fromisoformat(peildatum) if peildatum else None,
                dt.datetime.now().replace(microsecond=0),
            ),
        )


def stand(wh: Warehouse) -> Stand | None:
    if not wh.has_relation(WERKSTAND.qualified):
        return None
    rows = wh.query(f"select toestand, run_id, peildatum, sinds from {WERKSTAND.qualified}")
    return Stand(*rows[0]) if rows else None


def tabellen(wh: Warehouse, schema: str) -> list[str]:
    rows = wh.query(
        "select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' "
        "order by table_name",
        (schema,),
    )
    return [r[0] for r in rows]


def kolommen(wh: Warehouse, schema: str, table: str) -> list[tuple[str, str]]:
    """(name, SQL type) in table order."""
    rows = wh.query(
        "select column_name, data_type, numeric_precision, numeric_scale from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        (schema, table),
    )
    out = []
    for name, data_type, precision, scale in rows:
        t = str(data_type).lower()
        if t in ("numeric", "decimal") and precision is not None:
            t = f"numeric({precision},{scale or 0})"
        elif t.startswith("decimal("):
            t = t.replace("decimal", "numeric")
        elif t == "character varying":
            t = "varchar"
        elif t == "timestamp without time zone":
            t = "timestamp"
        out.append((name, t))
    return out


@dataclass
class Voorbereid:
    publiek: dict[str, tuple[int, int]]  # table -> (primary, complementary) hidden cells
    historie: dict[str, int]  # table -> rows written for the peildatum


def bereid_voor(wh: Warehouse, peildatum: str, run_id: str | None, drempel: int) -> Voorbereid:
    """publiek and historie from the marts, then mark the work area ``gereed``."""
    specs = meta_mod.specs()
    marts = work_schema(wh.kind, "marts")
    publiek = work_schema(wh.kind, "publiek")
    historie = work_schema(wh.kind, "historie")
    for schema in (publiek, historie):
        wh.execute(f"create schema if not exists {schema}")
    built = tabellen(wh, marts)
    out = Voorbereid({}, {})
    for table in built:
        spec = specs.get(table)
        if spec is None:
            log.warning("%s.%s declares no meta.regie: not in publiek or historie", marts, table)
            continue
        if spec.publiek:
            out.publiek[table] = _publiek(wh, marts, publiek, table, spec, drempel)
        if spec.historie:
            out.historie[table] = _historie(wh, marts, historie, table, spec, peildatum)
    # a mart that is gone (or no longer published) leaves no stale copy behind
    for table in tabellen(wh, publiek):
        if table not in out.publiek:
            wh.execute(f"drop table {publiek}.{table}")
    markeer(wh, GEREED, run_id, peildatum)
    hidden = sum(p + a for p, a in out.publiek.values())
    log.info(
        "publiek: %d tabellen, %d cellen onderdrukt (%d klein, %d aanvullend); historie: %d tabellen op %s",
        len(out.publiek),
        hidden,
        sum(p for p, _ in out.publiek.values()),
        sum(a for _, a in out.publiek.values()),
        len(out.historie),
        peildatum,
    )
    return out


def _publiek(wh: Warehouse, marts: str, publiek: str, table: str, spec, drempel: int) -> tuple[int, int]:
    cols = kolommen(wh, marts, table)
    df = wh.query_frame(f"select * from {marts}.{table}")
    uitkomst = onderdruk(df, spec, drempel)
    body = uitkomst.publiek
    target = f"{publiek}.{table}"
    ddl = ", ".join(f"{n} {t}" for n, t in cols) + ", onderdrukt boolean"
    with wh.transaction():
        wh.execute(f"drop table if exists {target}")
        wh.execute(f"create table {target} ({ddl})")
        if len(body):
            wh.insert_arrow(target, _arrow(body))
    return uitkomst.primair, uitkomst.aanvullend


def _arrow(df) -> pa.Table:
    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object:
            # a count column with hidden cells: whole numbers stay whole numbers
            sample = [v for v in df[col].tolist() if v is not None]
            if sample and all(isinstance(v, int | float) and not isinstance(v, bool) for v in sample):
                if all(float(v).is_integer() for v in sample):
                    df[col] = pa.array([None if v is None else int(v) for v in df[col].tolist()], pa.int64())
                    continue
    return pa.Table.from_pandas(df, preserve_index=False)


def historie_select(cols: list[tuple[str, str]], spec) -> tuple[list[tuple[str, str]], list[str]]:
    """The historie columns (after ``peildatum``) and the mart expressions that fill them."""
    out_cols, exprs = [], []
    for name, sql_type in cols:
        target = spec.historie_kolommen.get(name, name)
        if target == "peildatum":  # the mart's own peildatum is the publication's: given separately
            continue
        out_cols.append((target, sql_type))
        exprs.append(name)
    return out_cols, exprs


def _historie(wh: Warehouse, marts: str, historie: str, table: str, spec, peildatum: str) -> int:
    cols, exprs = historie_select(kolommen(wh, marts, table), spec)
    target = f"{historie}.{table}"
    if not wh.has_relation(target):
        ddl = ", ".join(["peildatum date"] + [f"{n} {t}" for n, t in cols])
        wh.execute(f"create table {target} ({ddl})")
    have = {n for n, _ in kolommen(wh, historie, table)}
    for name, sql_type in cols:  # a column the mart gained since: added, earlier peildata keep null
        if name not in have:
            wh.execute(f"alter table {target} add column {name} {sql_type}")
    names = ", ".join(["peildatum"] + [n for n, _ in cols])
    peil = dt.date.fromisoformat(peildatum)
    with wh.transaction():
        wh.execute(f"delete from {target} where peildatum = ?", (peil,))
        wh.execute(
            f"insert into {target} ({names}) select cast(? as date), {', '.join(exprs)} from {marts}.{table}",
            (peildatum,),
        )
    return int(wh.query(f"select count(*) from {target} where peildatum = ?", (peil,))[0][0])


def registreer_publicatie(
    wh: Warehouse, run_id: str | None, peildatum, doel: str, n: int, seconden: float
) -> None:
    ensure(wh)
    wh.insert_arrow(
        PUBLICATIES.qualified,
        pa.table(
            {
                "run_id": pa.array([run_id], pa.string()),
                "peildatum": pa.array([peildatum], pa.date32()),
                "gepubliceerd_op": pa.array([dt.datetime.now().replace(microsecond=0)], pa.timestamp("us")),
                "doel": pa.array([doel], pa.string()),
                "tabellen": pa.array([n], pa.int64()),
                "seconden": pa.array([round(seconden, 3)], pa.float64()),
            }
        ),
    )


def laatste_publicatie(wh: Warehouse) -> tuple | None:
    if not wh.has_relation(PUBLICATIES.qualified):
        return None
    rows = wh.query(
        f"select run_id, peildatum, gepubliceerd_op, doel from {PUBLICATIES.qualified} "
        "order by gepubliceerd_op desc limit 1"
    )
    return rows[0] if rows else None
