"""From what GX found to counts per gemeente, findings per record, and their history.

A check may look at several tables (a date in the future can be in any of
them); per gemeente it counts the distinct records it judged and the distinct
records that failed. A national delivery (DUO, COA) is counted against the
source when a row cannot be placed in a gemeente.
"""

from __future__ import annotations

import datetime as dt
import math
import string
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from ..warehouse import Warehouse
from . import schema
from .model import Bevinding, Controle, Telling
from .validation import Validatie, per_groep


@dataclass
class Resultaat:
    """One run of the checks."""

    run_id: str
    gecontroleerd_op: dt.datetime
    peildatum: str
    controles: list[Controle]
    tellingen: list[Telling]
    bevindingen: list[Bevinding]
    fouten: dict[str, str] = field(default_factory=dict)  # controle -> why GX could not run it

    def controle(self, code: str) -> Controle:
        return next(c for c in self.controles if c.code == code)


class _Veilig(string.Formatter):
    """str.format that never fails on an empty value or a format that does not fit."""

    def format_field(self, value, format_spec):
        try:
            return super().format_field(value, format_spec)
        except (TypeError, ValueError):
            return str(value)


_FORMAT = _Veilig()


def _waarde(v):
    if v is None or v is pd.NA or v is pd.NaT:
        return "leeg"
    if isinstance(v, pd.Timestamp | dt.datetime):
        return v.strftime("%d-%m-%Y")
    if isinstance(v, dt.date):
        return v.strftime("%d-%m-%Y")
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        if math.isnan(v):
            return "leeg"
        if v.is_integer():
            return int(v)
    return v


def tekst(template: str, row: pd.Series) -> str:
    values = {k: _waarde(v) for k, v in row.items()}
    return _FORMAT.format(template, **values)


def tally(
    validatie: Validatie,
    controles: list[Controle],
    peildatum: str,
    run_id: str,
    gecontroleerd_op: dt.datetime,
) -> Resultaat:
    """Counts per gemeente (or national source) and one finding per failing record, from what GX
    reported: the records each check judged, and the failing rows by their ``rij`` key."""
    by_code = {c.code: c for c in controles}
    fouten: dict[str, str] = {}
    sums: dict[tuple[str, str | None, str | None], list[int]] = defaultdict(lambda: [0, 0])
    bevindingen: list[tuple[tuple, Bevinding]] = []
    for u in validatie.uitkomsten:
        c = by_code[u.controle]
        if u.fout:
            fouten[u.controle] = u.fout
        for (gm, bron), n in u.gecontroleerd.items():
            sums[(c.code, gm, bron)][0] += n
        if not u.afgekeurd:
            continue
        rows = validatie.rijen[u.tabel].loc[sorted(u.afgekeurd)]
        for (gm, bron), n in per_groep(rows).items():
            sums[(c.code, gm, bron)][1] += n
        for rij, row in rows.iterrows():
            volgnummers = u.afgekeurd[int(rij)]
            parts = [tekst(c.verwachtingen[i].bevinding, row) for i in volgnummers]
            b = Bevinding(
                controle=c.code,
                ernst=c.ernst,
                domein=c.domein_van(c.verwachtingen[volgnummers[0]]),
                gemeentecode=_str(row["gemeentecode"]),
                bron=_str(row["bron"]) or u.tabel,
                bestand=_str(row["bestand"]),
                regelnummer=None if pd.isna(row["regelnummer"]) else int(row["regelnummer"]),
                klantnummer=_str(row["klantnummer"]),
                kenmerk=_str(row["kenmerk"]),
                bevinding="; ".join(dict.fromkeys(parts)),
            )
            bevindingen.append(((c.code, u.tabel, int(rij)), b))

    tellingen: list[Telling] = []
    for c in controles:
        groepen = [k for k in sums if k[0] == c.code]
        for _, gm, bron in sorted(groepen, key=lambda k: (k[1] is None, k[1] or "", k[2] or "")):
            n, nbad = sums[(c.code, gm, bron)]
            tellingen.append(Telling(gm, c.code, c.ernst, n, nbad, bron))
    found = [b for _, b in sorted(bevindingen, key=lambda kb: kb[0])]
    return Resultaat(run_id, gecontroleerd_op, peildatum, controles, tellingen, found, fouten)


def _str(v) -> str | None:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return str(v)


# --- storing -----------------------------------------------------------------------


def _insert(wh: Warehouse, table: str, data: pa.Table) -> None:
    if data.num_rows:
        wh.insert_arrow(table, data)


def save(wh: Warehouse, res: Resultaat) -> None:
    """Write the run's counts and findings; a rerun of the same run_id replaces them."""
    schema.ensure(wh)
    n = len(res.tellingen)
    by_code = {c.code: c for c in res.controles}
    counts = pa.table(
        {
            "gemeentecode": pa.array([t.gemeentecode for t in res.tellingen], pa.string()),
            "gecontroleerd_op": pa.array([res.gecontroleerd_op] * n, pa.timestamp("us")),
            "controle": pa.array([t.controle for t in res.tellingen], pa.string()),
            "ernst": pa.array([t.ernst for t in res.tellingen], pa.string()),
            "gecontroleerd": pa.array([t.gecontroleerd for t in res.tellingen], pa.int64()),
            "afgekeurd": pa.array([t.afgekeurd for t in res.tellingen], pa.int64()),
            "geslaagd": pa.array([t.geslaagd for t in res.tellingen], pa.int64()),
            "run_id": pa.array([res.run_id] * n, pa.string()),
            "peildatum": pa.array([dt.date.fromisoformat(res.peildatum)] * n, pa.date32()),
            "bron": pa.array([t.bron for t in res.tellingen], pa.string()),
            "categorie": pa.array([by_code[t.controle].categorie for t in res.tellingen], pa.string()),
            "omschrijving": pa.array([by_code[t.controle].naam for t in res.tellingen], pa.string()),
        }
    )
    b = res.bevindingen
    m = len(b)
    findings = pa.table(
        {
            "run_id": pa.array([res.run_id] * m, pa.string()),
            "gecontroleerd_op": pa.array([res.gecontroleerd_op] * m, pa.timestamp("us")),
            "gemeentecode": pa.array([x.gemeentecode for x in b], pa.string()),
            "controle": pa.array([x.controle for x in b], pa.string()),
            "ernst": pa.array([x.ernst for x in b], pa.string()),
            "domein": pa.array([x.domein for x in b], pa.string()),
            "bron": pa.array([x.bron for x in b], pa.string()),
            "bestand": pa.array([x.bestand for x in b], pa.string()),
            "regelnummer": pa.array([x.regelnummer for x in b], pa.int64()),
            "klantnummer": pa.array([x.klantnummer for x in b], pa.string()),
            "kenmerk": pa.array([x.kenmerk for x in b], pa.string()),
            "bevinding": pa.array([x.bevinding for x in b], pa.string()),
            "sleutel": pa.array([x.sleutel for x in b], pa.string()),
        }
    )
    catalogue = pa.table(
        {
            "controle": pa.array([c.code for c in res.controles], pa.string()),
            "naam": pa.array([c.naam for c in res.controles], pa.string()),
            "uitleg": pa.array([c.uitleg for c in res.controles], pa.string()),
            "ernst": pa.array([c.ernst for c in res.controles], pa.string()),
            "categorie": pa.array([c.categorie for c in res.controles], pa.string()),
            "domein": pa.array([c.domein for c in res.controles], pa.string()),
            "volgorde": pa.array(list(range(len(res.controles))), pa.int32()),
        }
    )
    have = schema.kolommen(wh, schema.registratiekwaliteit(wh))
    if "bron" not in have:  # an older declaration of the mart: rows without gemeente cannot be told apart
        keep = pa.array([g is not None for g in counts.column("gemeentecode").to_pylist()])
        counts = counts.filter(keep)
    counts = counts.select([c for c in counts.column_names if c in have])
    with wh.transaction():
        wh.execute(f"delete from {schema.CONTROLES.qualified}")
        _insert(wh, schema.CONTROLES.qualified, catalogue)
        wh.execute(f"delete from {schema.registratiekwaliteit(wh).qualified} where run_id = ?", (res.run_id,))
        wh.execute(f"delete from {schema.BEVINDINGEN.qualified} where run_id = ?", (res.run_id,))
        _insert(wh, schema.registratiekwaliteit(wh).qualified, counts)
        _insert(wh, schema.BEVINDINGEN.qualified, findings)


# --- reading back --------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    run_id: str
    gecontroleerd_op: dt.datetime
    peildatum: dt.date | None


def _peildatum(wh: Warehouse) -> str:
    have = schema.kolommen(wh, schema.registratiekwaliteit(wh))
    return "max(peildatum)" if "peildatum" in have else "cast(null as date)"


def run_info(wh: Warehouse, run_id: str) -> Run | None:
    rows = wh.query(
        f"select run_id, max(gecontroleerd_op), {_peildatum(wh)} from {schema.registratiekwaliteit(wh).qualified} "
        "where run_id = ? group by run_id",
        (run_id,),
    )
    return Run(*rows[0]) if rows else None


def vorige_run(wh: Warehouse, run_id: str) -> Run | None:
    """The run before ``run_id`` (by time), if any."""
    rows = wh.query(
        f"""
        select run_id, max(gecontroleerd_op) as op, {_peildatum(wh)}
        from {schema.registratiekwaliteit(wh).qualified}
        where run_id <> ?
          and gecontroleerd_op < (select max(gecontroleerd_op) from {schema.registratiekwaliteit(wh).qualified}
                                  where run_id = ?)
        group by run_id
        order by op desc
        limit 1
        """,
        (run_id, run_id),
    )
    return Run(*rows[0]) if rows else None


def tellingen(wh: Warehouse, run_id: str) -> pd.DataFrame:


    have = set(schema.kolommen(wh, schema.registratiekwaliteit(wh)))
    wanted = ["gemeentecode", "bron", "controle", "ernst", "categorie", "omschrijving"]
    wanted += ["gecontroleerd", "afgekeurd", "geslaagd"]
    cols = ", ".join(c if c in have else f"null as {c}" for c in wanted)
    df = wh.query_frame(
        f"select {cols} from {schema.registratiekwaliteit(wh).qualified} where run_id = ?", (run_id,)
    )
    if df["omschrijving"].isna().any():  # an older declaration of the mart: names from the catalogue
        names = wh.query_frame(f"select controle, naam, categorie from {schema.CONTROLES.qualified}")
        naam = dict(zip(names["controle"], names["naam"], strict=True))
        cat = dict(zip(names["controle"], names["categorie"], strict=True))
        df["omschrijving"] = df["omschrijving"].fillna(df["controle"].map(naam)).fillna(df["controle"])
        df["categorie"] = df["categorie"].fillna(df["controle"].map(cat))
    return df


def bevindingen(wh: Warehouse, run_id: str) -> pd.DataFrame:


    return wh.query_frame(
                f"select gemeentecode, controle, ernst, domein, bron, bestand, regelnummer, klantnummer, kenmerk, "
        f"bevinding, sleutel from {schema.BEVINDINGEN.qualified} where run_id = ? "
        f"order by gemeentecode, controle, bestand, regelnummer",
        (run_id,),
    )
