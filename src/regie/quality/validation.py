"""Running the checks with Great Expectations, where the data lives.

The checks judge the relations of schema ``kwaliteit`` (one per check table,
``regie.quality.gegevens.TABELLEN``; every one has the key column ``rij``).
GX validates them in the warehouse:

- DuckDB: GX has no working SQL datasource for DuckDB (with ``duckdb-engine``
  GX reads its results after handing the connection back to the pool, and
  DuckDB has closed them by then), so the relation is streamed to GX's pandas
  datasource in batches of :data:`BATCH_ROWS` rows, only the columns the
  expectations read.
- PostgreSQL: GX's PostgreSQL datasource, one table asset per relation; GX
  computes every metric in the database (:data:`USE_POSTGRES_DATASOURCE`).

Everything a check reports comes from GX: which rows failed (its result
format, by the ``rij`` key: ``unexpected_index_list``), and which rows it
judged, for the counts per gemeente: the records of the expectation's own
metric domain (``get_domain_records`` of GX's execution engine on the domain
its metrics use; a column map metric that ignores missing values, which GX's
metric provider says with ``filter_column_isnull``, leaves them out as GX's
own metric does). regie does not evaluate a row condition itself.

One ephemeral GX context per run; nothing is written to disk. GX's Data Docs
load their styles and scripts from public CDNs, so regie writes its own page of
findings instead (regie.quality.pagina).
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ..warehouse import Warehouse
from .gegevens import KEUZES, TABELLEN, Gegevens
from .model import Controle

log = logging.getLogger("regie.quality")

#: The schema of the check tables (dbt models ``models/kwaliteit/``).
SCHEMA = KEUZES["in_kracht"]
#: GX's PostgreSQL datasource on PostgreSQL (else PostgreSQL streams batches like DuckDB).
USE_POSTGRES_DATASOURCE = True
#: Rows per batch when DuckDB streams a table to GX's pandas datasource.
BATCH_ROWS = 50_000
#: Columns every check table has, and those that decide whom a row counts for.
SLEUTEL = "rij"
GROEP_KOLOMMEN = ("gemeentecode", "bron", "leverancier", "aantal_rijen")

Groep = tuple[str | None, str | None]  # (gemeentecode, national source when there is no gemeente)


@dataclass
class Uitkomst:
    """What one check found on one table (the union of its expectations on that table)."""

    controle: str
    tabel: str
    #: records judged per (gemeentecode, bron), weighted by ``aantal_rijen`` where the table has it
    gecontroleerd: dict[Groep, int] = field(default_factory=dict)
    #: rij -> the positions (in the check's list of expectations) of the expectations it failed
    afgekeurd: dict[int, list[int]] = field(default_factory=dict)
    fout: str | None = None  # GX could not evaluate an expectation


@dataclass
class Validatie:
    """One run of GX over the check tables: what each check found, and the failing rows."""

    uitkomsten: list[Uitkomst]
    #: per table the failing rows, every column, indexed by rij
    rijen: dict[str, pd.DataFrame]


# --- GX ---------------------------------------------------------------------------


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import great_expectations as gx
    return gx


def _context():
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    for site in list(ctx.list_data_docs_sites()):  # no Data Docs (see the module)
        ctx.delete_data_docs_site(site)
    return gx, ctx


RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [SLEUTEL],
    "return_unexpected_index_query": False,
    "partial_unexpected_count": 0,
}
#: On SQL, GX cuts a column pair's unexpected_index_list at partial_unexpected_count (0: empty),
#: so the SQL path asks for all of them and checks that GX named as many rows as it counted.
SQL_RESULT_FORMAT = {**RESULT_FORMAT, "partial_unexpected_count": 10_000_000}


def _sqlalchemy_url(wh: Warehouse) -> str:
    url: str = wh.url  # type: ignore[attr-defined]  (PostgresWarehouse)
    scheme, rest = url.split("://", 1)
    return f"postgresql+psycopg://{rest}" if scheme in ("postgresql", "postgres") else url


def validate(controles: list[Controle], gegevens: Gegevens, run_naam: str | None = None) -> Validatie:
    """Run every expectation of ``controles`` on the check tables ``gegevens`` reads (the dbt
    models of models/kwaliteit: ``kwaliteit.*`` in force, ``kwaliteit_kandidaat.*`` for the gate)."""
    return validate_in_warehouse(controles, gegevens.wh, run_naam, schema=KEUZES[gegevens.keuze])


def validate_in_warehouse(
    controles: list[Controle], wh: Warehouse, run_naam: str | None = None, *, schema: str = SCHEMA
) -> Validatie:
    """Run every expectation of ``controles`` on the relations of ``schema`` (default ``kwaliteit``)."""
    gx, ctx = _context()
    per_tabel: dict[str, list[tuple[Controle, int]]] = defaultdict(list)
    for c in controles:
        for i, v in enumerate(c.verwachtingen):
            per_tabel[v.tabel].append((c, i))
    started = time.monotonic()
    sql = wh.kind == "postgres" and USE_POSTGRES_DATASOURCE
    if sql:
        source = ctx.data_sources.add_postgres("regie", connection_string=_sqlalchemy_url(wh))
    else:
        source = ctx.data_sources.add_pandas("regie")
    uitkomsten: list[Uitkomst] = []
    rijen: dict[str, pd.DataFrame] = {}
    try:
        for tabel, members in per_tabel.items():
            found = _valideer_tabel(gx, ctx, source, wh, schema, tabel, members)
            uitkomsten.extend(found)
            bad = sorted({r for u in found for r in u.afgekeurd})
            rijen[tabel] = _rijen(wh, schema, tabel, bad)
    finally:
        if sql:
            source.get_execution_engine().engine.dispose()
    log.info("GX validated %d tables in %.1f s", len(per_tabel), time.monotonic() - started)
    return Validatie(uitkomsten, rijen)


def _suite(gx, ctx, tabel: str, members: list[tuple[Controle, int]]):
    suite = gx.ExpectationSuite(
        name=f"regie.{tabel}",
        meta={"omschrijving": TABELLEN[tabel].omschrijving, "bron": TABELLEN[tabel].bron},
    )
    suite = ctx.suites.add(suite)
    for c, i in members:
        exp = c.verwachtingen[i].gx
        exp.meta = {
            "controle": c.code,
            "naam": c.naam,
            "ernst": c.ernst,
            "categorie": c.categorie,
            "regie_verwachting": f"{c.code}#{i}",
        }
        exp.description = f"[{c.ernst}] {c.naam}"
        suite.add_expectation(exp)
    return suite


def _valideer_tabel(gx, ctx, source, wh: Warehouse, schema: str, tabel: str, members: list[tuple[Controle, int]]):
    suite = _suite(gx, ctx, tabel, members)
    keyed = {f"{c.code}#{i}": (c, i) for c, i in members}
    uitkomsten = {c.code: Uitkomst(c.code, tabel) for c, _ in members}
    have = list(wh.query_frame(f"select * from {schema}.{tabel} where 1 = 0").columns)
    groep = [c for c in GROEP_KOLOMMEN if c in have]
    sql = wh.kind == "postgres" and USE_POSTGRES_DATASOURCE
    if sql:
        asset = source.add_table_asset(tabel, table_name=tabel, schema_name=schema)
        batch_definition = asset.add_batch_definition_whole_table("in_kracht")
        batches = [batch_definition.get_batch()]
    else:
        asset = source.add_dataframe_asset(tabel)
        batch_definition = asset.add_batch_definition_whole_dataframe("in_kracht")
        batches = _pandas_batches(wh, schema, tabel, members, have, groep, batch_definition)
    for batch in batches:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = batch.validate(suite, result_format=SQL_RESULT_FORMAT if sql else RESULT_FORMAT)
        engine = batch.data.execution_engine
        judged: dict[str, list] = defaultdict(list)
        for r in result.results:
            c, i = keyed[r.expectation_config.meta["regie_verwachting"]]
            u = uitkomsten[c.code]
            info = r.exception_info or {}
            if info.get("raised_exception") or _metric_errors(info):
                message = str(info.get("exception_message") or _metric_errors(info) or "onbekende fout")
                log.error("check %s (%s) could not run: %s", c.code, tabel, message)
                u.fout = message
                continue
            for row in r.result.get("unexpected_index_list") or []:
                u.afgekeurd.setdefault(int(row[SLEUTEL]), []).append(i)
            if (
                not r.success
                and r.result.get("unexpected_count")
                and not r.result.get("unexpected_index_list")
            ):
                raise RuntimeError(f"{c.code}: GX reports failing rows without naming them")
            judged[c.code].append(_domain_records(engine, c.verwachtingen[i].gx))
        for code, records in judged.items():
            for key, n in _count(engine, schema, tabel, records, groep).items():
                acc = uitkomsten[code].gecontroleerd
                acc[key] = acc.get(key, 0) + n
        del judged, result
        engine.batch_manager.reset_batch_cache()  # GX keeps every batch it loaded otherwise
    return list(uitkomsten.values())


def _metric_errors(info: dict) -> str | None:
    """GX puts a metric that failed under its metric id rather than at the top of exception_info."""
    for v in info.values():
        if isinstance(v, dict) and v.get("raised_exception"):
            return str(v.get("exception_message"))
    return None


def _domain_records(engine, expectation):
    """The records an expectation judges, as GX's engine computes them: the domain of its
    unexpected-count metric (row condition, a column pair's ``ignore_row_if``), without the
    missing values when the metric ignores them (``filter_column_isnull``, as GX's map
    condition does). A DataFrame (pandas) or a selectable (SQL)."""
    from great_expectations.expectations.registry import get_metric_provider

    metric = expectation.map_metric
    deps = expectation.get_validation_dependencies(execution_engine=engine)
    domain = deps.get_metric_configuration(f"{metric}.unexpected_count").metric_domain_kwargs
    records = engine.get_domain_records(domain_kwargs=domain)
    provider, _ = get_metric_provider(f"{metric}.condition", engine)
    column = domain.get("column")
    if column is not None and getattr(provider, "filter_column_isnull", True):
        if isinstance(records, pd.DataFrame):
            return records[records[column].notnull()]
        import sqlalchemy as sa

        sub = records.subquery() if hasattr(records, "subquery") else records
        return sa.select(sa.text("*")).select_from(sub).where(sa.column(column).is_not(None))
    return records


def _count(engine, schema: str, tabel: str, records: list, groep: list[str]) -> dict[Groep, int]:
    """Records judged per group: the union (by rij) of the check's expectations' domains."""
    if isinstance(records[0], pd.DataFrame):
        rows = pd.concat(records)
        rows = rows[~rows.index.duplicated()]
        return per_groep(rows)
    import sqlalchemy as sa

    keys = [sa.select(sa.column(SLEUTEL)).select_from(_sub(r)) for r in records]
    union = sa.union(*keys).subquery() if len(keys) > 1 else keys[0].subquery()
    t = sa.table(tabel, *(sa.column(c) for c in (SLEUTEL, *groep)), schema=schema)
    gm = t.c.gemeentecode
    source = t.c.leverancier if "leverancier" in groep else t.c.bron
    bron = sa.case((sa.func.coalesce(gm, "") == "", source), else_=None)
    weight = t.c.aantal_rijen if "aantal_rijen" in groep else sa.literal(1)
    q = (
        sa.select(gm, bron, sa.func.sum(weight))
        .select_from(t.join(union, union.c[SLEUTEL] == t.c[SLEUTEL]))
        .group_by(gm, bron)
    )
    out: dict[Groep, int] = {}
    for g, b, n in engine.execute_query(q).fetchall():
        key = (g or None, b or None)
        out[key] = out.get(key, 0) + int(n)
    return out


def _sub(records):
    return records.subquery() if hasattr(records, "subquery") else records


def per_groep(rows: pd.DataFrame) -> dict[Groep, int]:
    """Weighted rows per (gemeentecode, national source): the one grouping of counts."""
    if not len(rows):
        return {}
    gm = rows["gemeentecode"].astype(object).where(rows["gemeentecode"].notna(), "")
    gm = gm.where(gm != "", "")
    source = rows["leverancier"] if "leverancier" in rows.columns else rows["bron"]
    bron = source.astype(object).where((gm == "") & source.notna(), "")
    weight = rows["aantal_rijen"].fillna(1).astype("int64") if "aantal_rijen" in rows.columns else 1
    frame = pd.DataFrame({"gm": gm.to_numpy(), "bron": bron.to_numpy(), "n": weight})
    return {
        (g or None, b or None): int(n)
        for (g, b), n in frame.groupby(["gm", "bron"], sort=False)["n"].sum().items()
    }


def _columns(members: list[tuple[Controle, int]]) -> set[str]:
    """The columns the expectations read: theirs, and those of their row conditions."""
    out: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            col = node.get("column")
            if isinstance(col, dict) and isinstance(col.get("name"), str):
                out.add(col["name"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v)

    for c, i in members:
        kwargs = c.verwachtingen[i].gx.configuration.kwargs
        for key in ("column", "column_A", "column_B"):
            if kwargs.get(key):
                out.add(kwargs[key])
        cond = kwargs.get("row_condition")
        if cond is not None:
            walk(cond.to_dict() if hasattr(cond, "to_dict") else cond)
    return out


def _pandas_batches(wh: Warehouse, schema: str, tabel: str, members, have: list[str], groep: list[str], definition):
    """Stream the relation from DuckDB to GX in batches of rows (Arrow, then pandas)."""
    cols = [c for c in have if c in _columns(members) | {SLEUTEL, *groep}]
    lo, hi, n = wh.query(f"select min({SLEUTEL}), max({SLEUTEL}), count(*) from {schema}.{tabel}")[0]
    if not n:
        lo, hi = 0, -1
    select = ", ".join(cols)
    start = int(lo or 0)
    while True:
        frame = wh.query_arrow(
            f"select {select} from {schema}.{tabel} where {SLEUTEL} >= ? and {SLEUTEL} < ? order by {SLEUTEL}",
            (start, start + BATCH_ROWS),
        ).to_pandas()
        frame.index = frame[SLEUTEL].to_numpy()
        yield definition.get_batch(batch_parameters={"dataframe": frame})
        start += BATCH_ROWS
        if start > int(hi):
            break


def _rijen(wh: Warehouse, schema: str, tabel: str, rij: list[int]) -> pd.DataFrame:
    """The failing rows of a table, every column, indexed by rij."""
    parts = []
    for i in range(0, max(len(rij), 1), 5000):
        keys = ", ".join(str(int(r)) for r in rij[i : i + 5000]) or "null"
        parts.append(wh.query_frame(f"select * from {schema}.{tabel} where {SLEUTEL} in ({keys})"))
    out = pd.concat(parts) if len(parts) > 1 else parts[0]
    return out.set_index(out[SLEUTEL].astype("int64"), drop=False).sort_index()
