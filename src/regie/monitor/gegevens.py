"""What one gemeente's monitor report may show, read from the publication.

- The gemeente's own figures: the rows of ``marts`` (or, for an earlier peildatum,
  ``historie``) that it may read - :func:`regie.publish.export.leesbaar`, the one access
  rule that the PostgreSQL roles and ``regie export`` use (its own rows; an uitvoerder
  also the inburgering rows of the gemeenten it executes for).
- A regional comparison only from ``publiek`` (already suppressed for everyone).
- Small counts: every count table is suppressed with :func:`regie.publish.onderdrukking.onderdruk`
  and the mart's own declaration, exactly as ``publiek`` is; the report shows the cells
  that ``publiek`` would show and nothing computed from hidden ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..publish import doel, drempel
from ..publish import meta as meta_mod
from ..publish.export import ExportFout, leesbaar
from ..publish.onderdrukking import onderdruk
from ..warehouse import is_postgres


class MonitorFout(ValueError):
    """No report can be made: nothing published, an unknown gemeente, a peildatum never published."""


@dataclass
class Tabel:
    """A mart as the report may show it: the gemeente's rows with small counts hidden."""

    naam: str
    rijen: pd.DataFrame  # the mart's columns; hidden counts are None; plus `onderdrukt`
    verborgen: set[tuple[int, str]] = field(default_factory=set)  # (row, column) hidden

    def leeg(self) -> bool:
        return self.rijen.empty


@dataclass
class Gegevens:
    gemeente: str
    naam: str
    uitvoerder: str | None
    uitvoerder_naam: str | None
    peildatum: dt.date
    gepubliceerd: list[dt.date]
    drempel: int
    tabellen: dict[str, Tabel]
    publiek: dict[str, pd.DataFrame]  # regional comparison (empty for an older peildatum)
    leveringen: pd.DataFrame  # bron, entiteit, geleverd_door, leverdatum, tegengehouden
    namen: dict[str, str]  # gemeentecode -> name, of the gemeenten the report may name

    def tabel(self, naam: str) -> Tabel | None:
        return self.tabellen.get(naam)


def _frame(table) -> pd.DataFrame:
    return table.to_pandas() if hasattr(table, "to_pandas") else pd.DataFrame(table)


def _datum(v) -> dt.date | None:
    if v is None or v is pd.NaT or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


def _publiek(warehouse: str) -> dict[str, pd.DataFrame]:
    """Every table of schema publiek (public by construction)."""
    out: dict[str, pd.DataFrame] = {}
    if is_postgres(warehouse):
        import psycopg

        with psycopg.connect(warehouse) as con:
            names = [
                r[0]
                for r in con.execute(
                    "select table_name from information_schema.tables where table_schema = 'publiek' "
                    "and table_type = 'BASE TABLE' order by table_name"
                ).fetchall()
            ]
            for name in names:
                cur = con.execute(f'select * from publiek."{name}"')
                out[name] = pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description])
        return out
    import duckdb

    con = duckdb.connect(str(doel(warehouse)), read_only=True)
    try:
        names = con.execute(
            "select table_name from information_schema.tables where table_schema = 'publiek' order by 1"
        ).fetchall()
        for (name,) in names:
            out[name] = con.sql(f'select * from publiek."{name}"').df()
    finally:
        con.close()
    return out


def lees(
    warehouse: str, gemeente: str, peildatum: str | None = None, threshold: int | None = None
) -> Gegevens:
    """Everything the report of ``gemeente`` shows, at ``peildatum`` (default: the latest publication)."""
    gemeente = gemeente.strip().upper()
    if not is_postgres(warehouse) and not Path(doel(warehouse)).exists():
        raise MonitorFout(
            f"nothing has been published yet: {doel(warehouse)} does not exist (run regie run first)"
        )
    try:
        frames = leesbaar(warehouse, gemeente)
    except ExportFout as exc:
        raise MonitorFout(str(exc)) from None
    specs = meta_mod.specs()
    marts = {t: _frame(v) for (s, t), v in frames.items() if s == "marts"}
    historie = {t: _frame(v) for (s, t), v in frames.items() if s == "historie"}

    leveringen = marts.get("fct_leveringen", pd.DataFrame())
    gepubliceerd = sorted(
        {
            d
            for df in historie.values()
            if "peildatum" in df.columns
            for d in map(_datum, df["peildatum"])
            if d
        }
    )
    laatste = (
        _datum(leveringen["peildatum"].max())
        if "peildatum" in leveringen.columns and len(leveringen)
        else None
    )
    if laatste is None:
        laatste = gepubliceerd[-1] if gepubliceerd else None
    if laatste is None:
        raise MonitorFout("nothing has been published yet (run regie run first)")
    gevraagd = dt.date.fromisoformat(peildatum) if peildatum else laatste

    bron: dict[str, pd.DataFrame] = {}
    if gevraagd == laatste:
        bron = dict(marts)
    else:
        if gevraagd not in gepubliceerd:
            shown = ", ".join(d.isoformat() for d in gepubliceerd) or "none"
            raise MonitorFout(
                f"peildatum {gevraagd.isoformat()} was never published (published: {shown}); "
                "give one of these, or none for the latest"
            )
        for name, df in historie.items():
            spec = specs[name]
            rows = df[df["peildatum"].map(_datum) == gevraagd].drop(columns=["peildatum"])
            back = {new: old for old, new in spec.historie_kolommen.items()}
            bron[name] = rows.rename(columns=back).reset_index(drop=True)
        for name, df in marts.items():  # reference data and tables without history
            if name not in bron:
                bron[name] = df
        if (
            "fct_registratiekwaliteit" in bron
            and "gecontroleerd_op" in bron["fct_registratiekwaliteit"].columns
        ):
            kw = bron["fct_registratiekwaliteit"]
            bron["fct_registratiekwaliteit"] = kw[kw["gecontroleerd_op"].map(_datum) <= gevraagd]

    n = drempel(threshold)
    tabellen: dict[str, Tabel] = {}
    for name, df in bron.items():
        spec = specs.get(name)
        if spec is None:
            continue
        if spec.tellingen and len(df):
            uit = onderdruk(df.reset_index(drop=True), spec, n)
            tabellen[name] = Tabel(name, uit.publiek, set(uit.verborgen))
        else:
            rows = df.reset_index(drop=True).copy()
            rows["onderdrukt"] = False
            tabellen[name] = Tabel(name, rows)

    dim = bron.get("dim_gemeente", pd.DataFrame())
    namen = dict(zip(dim.get("gemeentecode", []), dim.get("gemeentenaam", []), strict=False))
    eigen = dim[dim["gemeentecode"] == gemeente] if len(dim) else dim
    if eigen.empty:
        raise MonitorFout(f"gemeente {gemeente} is not in marts.dim_gemeente")
    uitvoerder = eigen["uitvoerder_gemeentecode"].iloc[0]
    publiek = _publiek(warehouse) if gevraagd == laatste else {}
    if "dim_gemeente" in publiek:
        pd_dim = publiek["dim_gemeente"]
        namen.update(
            {k: v for k, v in zip(pd_dim["gemeentecode"], pd_dim["gemeentenaam"], strict=False) if v}
        )
    lev = bron.get("fct_leveringen", pd.DataFrame())
    if len(lev):
        lev = lev[lev["gemeentecode"] == gemeente]
        lev = lev.astype(object).where(lev.notna(), None)  # a national source: geleverd_door None, not NaN
    return Gegevens(
        gemeente=gemeente,
        naam=str(eigen["gemeentenaam"].iloc[0] or gemeente),
        uitvoerder=uitvoerder,
        uitvoerder_naam=namen.get(uitvoerder),
        peildatum=gevraagd,
        gepubliceerd=gepubliceerd,
        drempel=n,
        tabellen=tabellen,
        publiek=publiek,
        leveringen=lev.reset_index(drop=True),
        namen=namen,
    )
