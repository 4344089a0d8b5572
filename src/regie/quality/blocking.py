"""The gate: which deliveries the next build may use.

Before every build the blocking checks (``ernst = blokkerend``) judge the
deliveries that would be in force at the peildatum. A delivery with a failing
blocking record is *held back*; staging then keeps, for the same source and
gemeente, the latest delivery that is not held back. The checks run again on
that state, until no new delivery is held back, so the delivery that stays in
force has been judged too. Nothing is put back afterwards: what is held back
never reaches a mart.

The unit held back:

a delivery *for the gemeente of the failing records*: (source, delivery,
gemeente). Leiden's DUO rows then come from the latest DUO delivery not held
back for Leiden; every other gemeente gets the newest. The same for a
municipal delivery (``gemeente/<uitvoerder>/<date>/``): a failing record of a
Leiden inburgeraar in Leiden's export holds back Leiden's rows of that export -
its dossiers and, following the klant, its routes, activities, outcomes and
fines - while Oegstgeest's rows of the same export (Leiden executes for
Oegstgeest) are published. A record belongs to the gemeente the check counts
it against: its woongemeente (a municipal record without dossier: the
uitvoerder), or the gemeentecode of a national row. Holding back the whole
export would withhold a commissioning gemeente's figures for its uitvoerder's
own mistakes, which are not about it. A provider's delivery of begeleiding
(``begeleiding/<aanbieder>/<date>/``) is held back per provider and delivery date,
for the gemeente a failing trajectory names (its ``gemeentecode``: the gemeente
that commissioned it); the provider itself is no gemeente.

The verdict is a function of the data (ledger, raw rows, peildatum, the checks):
a rerun, a run killed half-way and run again, or two runs at once reach the
same verdict. It is written in one transaction to two tables, replacing the
verdict for that peildatum:

- ``audit.kwaliteit_beoordelingen``: every file version judged. Staging uses
  no other file, so a delivery that arrives between this gate and the build
  waits for the next run instead of slipping in unjudged.
- ``audit.kwaliteit_blokkades``: each delivery held back, per gemeente whose
  figures keep the delivery in force, with the checks and the decision.

The checks read the candidate check tables here: the kwaliteit models built
with var ``kwaliteit_keuze = kandidaat`` (schemas ``staging_kandidaat`` and
``kwaliteit_kandidaat``; regie.quality.gegevens.bouw), which make staging's
choice of deliveries over every loaded delivery on or before the peildatum,
minus what this gate holds back so far (``audit.kwaliteit_kandidaat_blokkades``,
rewritten between the rounds and emptied at the end). That build never touches
``staging`` or the marts: what they show changes only with the verdict
recorded at the end. Two gates for the same peildatum at once share the
working table; the transform DAG runs one at a time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from .. import peildatum as peildatum_mod
from ..config import Settings
from ..warehouse import Warehouse, connect
from . import schema
from .catalogus import load_checks
from .gegevens import (
    STAGING,
    Gegevens,
    Tegenhouding,
    bouw,
    gebouwd_voor,
    zet_kandidaat_blokkades,
)
from .model import BLOKKEREND, Controle
from .resultaten import tally
from .validation import validate

log = logging.getLogger("regie.quality")

#: A safety net: every round holds back at least one more delivery, so the loop ends anyway.
MAX_RONDEN = 50


@dataclass
class Blokkade:
    """A delivery held back for one gemeente, and why."""

    tegenhouding: Tegenhouding  # the delivery, and the gemeente it is held back for
    controles: set[str] = field(default_factory=set)
    afgekeurd: int = 0  # failing records of that gemeente in the delivery
    in_kracht: dt.date | None = None  # the delivery that stays in force for the gemeente

    def besluit(self) -> str:
        held = f"levering van {self.tegenhouding.leverdatum:%d-%m-%Y} tegengehouden"
        if self.in_kracht is None:
            return f"{held}; er is geen eerdere levering, dus geen cijfers uit deze bron"
        return f"{held}; de levering van {self.in_kracht:%d-%m-%Y} blijft gelden"


@dataclass
class Oordeel:
    peildatum: str
    run_id: str
    bestanden: set[tuple[str, int]]  # every file version judged
    blokkades: list[Blokkade]
    rondes: int


def _run_id(settings: Settings, given: str | None) -> str:
    return settings.run_id or given or f"blocking-{dt.datetime.now():%Y%m%dT%H%M%S}"


def blokkerende_controles() -> list[Controle]:
    """The blocking checks, built afresh (a GX expectation belongs to one suite, so one set per round)."""
    return [c for c in load_checks() if c.ernst == BLOKKEREND]


def _kandidaten(wh: Warehouse) -> pd.DataFrame:
    """Every candidate file (loaded, on or before the peildatum, highest version), as the
    kandidaat build's stg_audit__bestanden lists it; uitvoerder "" for a national source."""
    k = wh.query_frame(
        f"select path, versie, bron, entiteit, uitvoerder, leverdatum "
        f"from {STAGING['kandidaat']}.stg_audit__bestanden where kandidaat"
    )
    k["leverdatum"] = pd.to_datetime(k["leverdatum"]).dt.date
    k["uitvoerder"] = k["uitvoerder"].astype(object).where(k["uitvoerder"].notna(), "")
    k["versie"] = k["versie"].astype("int64")
    return k


def _in_kracht(wh: Warehouse) -> set[tuple[str, int]]:
    """Every (path, versie) some rows of the state being judged come from."""
    staging = STAGING["kandidaat"]
    rows = wh.query(
        f"select path, versie from {staging}.stg_audit__bestanden b where b.gekozen or exists "
        f"(select 1 from {staging}.stg_audit__vervangingen v where v.path = b.path and v.versie = b.versie)"
    )
    return {(p, int(v)) for p, v in rows}


def oordeel(wh: Warehouse, peildatum: str, run_id: str) -> Oordeel:
    """Judge the deliveries in force at ``peildatum`` until none more is held back.

    Reads the candidate check tables (``kwaliteit_kandidaat.*``, built for the peildatum by
    :func:`regie.quality.gegevens.bouw`). Each round writes what is held back so far to
    the working table the kandidaat build's staging reads, and judges the new state; as
    the models are views, no dbt run is needed between rounds. The working table is
    emptied again when the gate has decided.
    """
    gebouwd = gebouwd_voor(wh, "kandidaat")
    if gebouwd is None or gebouwd not in ("", peildatum):
        raise RuntimeError(
            f"the candidate check tables are built for {gebouwd or 'nothing'}, not for {peildatum}: "
            "run regie.quality.gegevens.bouw(settings, 'kandidaat') first"
        )
    kandidaten = _kandidaten(wh)
    files = kandidaten.set_index("path")
    held: dict[Tegenhouding, Blokkade] = {}
    judged: set[tuple[str, int]] = set()
    rondes = 0
    try:
        while True:
            rondes += 1
            zet_kandidaat_blokkades(wh, peildatum, set(held))
            judged |= _in_kracht(wh)
            g = Gegevens(wh, peildatum, "raw")
            controles = blokkerende_controles()
            res = tally(validate(controles, g, run_id), controles, g.peildatum, run_id, dt.datetime.now())
            new: dict[Tegenhouding, Blokkade] = {}
            for b in res.bevindingen:
                if b.ernst != BLOKKEREND or not b.bestand or b.bestand not in files.index:
                    continue
                f = files.loc[b.bestand]
                # the gemeente of the record; a municipal record without dossier: the uitvoerder (a
                # begeleiding record names its gemeente; its provider is no gemeente)
                gemeente = b.gemeentecode or (f["uitvoerder"] if f["bron"] == "gemeente" else None)
                if not gemeente:  # a national record without gemeente reaches no gemeente's figures
                    log.warning(
                        "blocking: %s in %s has no gemeente; counted against none", b.controle, b.bestand
                    )
                    continue
                t = Tegenhouding(str(f["bron"]), f["leverdatum"], f["uitvoerder"], gemeente)
                if t in held:  # cannot happen: a held-back delivery is not in the state judged
                    continue
                blok = new.setdefault(t, Blokkade(t))
                blok.controles.add(b.controle)
                blok.afgekeurd += 1
            if not new:
                break
            held.update(new)
            if rondes >= MAX_RONDEN:  # pragma: no cover - each round holds back one more delivery
                raise RuntimeError(f"the blocking checks did not settle after {rondes} rounds")
    finally:
        zet_kandidaat_blokkades(wh, peildatum, set())
    blokkades = sorted(held.values(), key=lambda b: b.tegenhouding)
    _vul_aan(kandidaten, blokkades)
    for b in blokkades:
        judged |= _bestanden_van(kandidaten, b.tegenhouding)
    return Oordeel(peildatum, run_id, judged, blokkades, rondes)


def _bestanden_van(k: pd.DataFrame, t: Tegenhouding) -> set[tuple[str, int]]:
    sel = (k["bron"] == t.bron) & (k["leverdatum"] == t.leverdatum) & (k["uitvoerder"] == t.uitvoerder)
    return {(p, int(v)) for p, v in zip(k.loc[sel, "path"], k.loc[sel, "versie"], strict=True)}


def _vul_aan(k: pd.DataFrame, blokkades: list[Blokkade]) -> None:
    """Per held-back delivery and gemeente: the delivery that stays in force for it."""
    held = {b.tegenhouding for b in blokkades}
    for b in blokkades:
        t = b.tegenhouding
        eerder = k[(k["bron"] == t.bron) & (k["uitvoerder"] == t.uitvoerder)]["leverdatum"]
        vrij = [
            d
            for d in eerder
            if d < t.leverdatum and Tegenhouding(t.bron, d, t.uitvoerder, t.gemeentecode) not in held
        ]
        b.in_kracht = max(vrij) if vrij else None


def registreer(wh: Warehouse, o: Oordeel) -> None:
    """Replace the verdict for the peildatum, in one transaction."""
    schema.ensure(wh)
    now = dt.datetime.now().replace(microsecond=0)
    peil = dt.date.fromisoformat(o.peildatum)
    ledger = wh.query_frame(
        "select path, versie, bron, uitvoerder, leverdatum from audit.bestanden where status = 'geladen'"
    )
    info = {(p, int(v)): (b, u, ld) for p, v, b, u, ld in ledger.itertuples(index=False)}
    judged = sorted(o.bestanden)
    beoordeeld = pa.table(
        {
            "peildatum": pa.array([peil] * len(judged), pa.date32()),
            "path": pa.array([p for p, _ in judged], pa.string()),
            "versie": pa.array([v for _, v in judged], pa.int32()),
            "bron": pa.array([info[f][0] for f in judged], pa.string()),
            "uitvoerder": pa.array([_str(info[f][1]) for f in judged], pa.string()),
            "leverdatum": pa.array([_date(info[f][2]) for f in judged], pa.date32()),
            "run_id": pa.array([o.run_id] * len(judged), pa.string()),
            "beoordeeld_op": pa.array([now] * len(judged), pa.timestamp("us")),
        }
    )
    rows = o.blokkades
    blokkades = pa.table(
        {
            "peildatum": pa.array([peil] * len(rows), pa.date32()),
            "bron": pa.array([b.tegenhouding.bron for b in rows], pa.string()),
            "uitvoerder": pa.array([b.tegenhouding.uitvoerder or None for b in rows], pa.string()),
            "leverdatum": pa.array([b.tegenhouding.leverdatum for b in rows], pa.date32()),
            "levering": pa.array([b.tegenhouding.levering for b in rows], pa.string()),
            "gemeentecode": pa.array([b.tegenhouding.gemeentecode for b in rows], pa.string()),
            "controles": pa.array([", ".join(sorted(b.controles)) for b in rows], pa.string()),
            "afgekeurd": pa.array([b.afgekeurd for b in rows], pa.int64()),
            "in_kracht_leverdatum": pa.array([b.in_kracht for b in rows], pa.date32()),
            "besluit": pa.array([b.besluit() for b in rows], pa.string()),
            "run_id": pa.array([o.run_id] * len(rows), pa.string()),
            "vastgesteld_op": pa.array([now] * len(rows), pa.timestamp("us")),
        }
    )
    with wh.transaction():
        wh.execute(f"delete from {schema.BEOORDELINGEN.qualified} where peildatum = ?", (peil,))
        wh.execute(f"delete from {schema.BLOKKADES.qualified} where peildatum = ?", (peil,))
        if beoordeeld.num_rows:
            wh.insert_arrow(schema.BEOORDELINGEN.qualified, beoordeeld)
        if blokkades.num_rows:
            wh.insert_arrow(schema.BLOKKADES.qualified, blokkades)


def _str(v) -> str | None:
    return v if isinstance(v, str) and v else None


def _date(v) -> dt.date | None:
    if v is None:
        return None
    return (
        v.date()
        if isinstance(v, dt.datetime)
        else v
        if isinstance(v, dt.date)
        else dt.date.fromisoformat(str(v)[:10])
    )


def judge(params: dict[str, Any], run_id: str | None = None) -> dict[str, Any]:
    """The gate as a task: resolve the peildatum, judge, record. Returns what the build needs (JSON-able)."""
    settings = Settings.resolve(params)
    run_id = _run_id(settings, run_id)
    with connect(settings.warehouse) as wh:
        schema.ensure(wh)
        peil = peildatum_mod.voor_warehouse(wh, settings.peildatum)
        log.info("%s", peil.beschrijving())
    # the candidate check tables, for this peildatum (dbt in a subprocess: no connection open);
    # the first round rewrites the working table, so a gate killed half-way leaves nothing behind
    bouw(dataclasses.replace(settings, peildatum=peil.datum), "kandidaat")
    with connect(settings.warehouse) as wh:
        o = oordeel(wh, peil.datum, run_id)
        registreer(wh, o)
    for b in o.blokkades:
        log.warning(
            "blokkerend: %s voor %s (%s): %s",
            b.tegenhouding.levering,
            b.tegenhouding.gemeentecode,
            ", ".join(sorted(b.controles)),
            b.besluit(),
        )
    log.info(
        "%d leveringen beoordeeld in %d ronde(n), %d tegengehouden",
        len({f.rsplit("/", 1)[0] for f, _ in o.bestanden}),
        o.rondes,
        len(o.blokkades),
    )
    return {
        "run_id": run_id,
        "peildatum": peil.datum,
        "herkomst": peil.herkomst,
        "blokkades": [
            {
                "levering": b.tegenhouding.levering,
                "bron": b.tegenhouding.bron,
                "uitvoerder": b.tegenhouding.uitvoerder or None,
                "leverdatum": b.tegenhouding.leverdatum.isoformat(),
                "gemeentecode": b.tegenhouding.gemeentecode,
                "controles": sorted(b.controles),
                "afgekeurd": b.afgekeurd,
                "in_kracht": b.in_kracht.isoformat() if b.in_kracht else None,
                "besluit": b.besluit(),
            }
            for b in o.blokkades
        ],
    }


def blokkades(wh: Warehouse, peildatum: str | dt.date | None) -> list[dict[str, Any]]:
    """The recorded verdict for a peildatum: one dict per held-back delivery and gemeente."""
    if peildatum is None or not wh.has_relation(schema.BLOKKADES.qualified):
        return []
    df = wh.query_frame(
        f"select bron, uitvoerder, leverdatum, levering, gemeentecode, controles, besluit "
        f"from {schema.BLOKKADES.qualified} where peildatum = ? order by levering, gemeentecode",
        (str(peildatum)[:10],),
    )
    return df.to_dict("records")


def tegenhoudingen(wh: Warehouse, peildatum: str) -> frozenset[Tegenhouding]:
    """The deliveries held back for a peildatum, as recorded (what staging will leave out)."""
    return frozenset(
        Tegenhouding(
            r["bron"],
            _date(r["leverdatum"]),
            r["uitvoerder"] if isinstance(r["uitvoerder"], str) else "",
            r["gemeentecode"],
        )
        for r in blokkades(wh, peildatum)
    )
