"""The scorecard: per gemeente how its registration did in a run, and what changed.

The score of a gemeente is the average, over the checks that applied to it,
of the share of its records that passed: 100 means every record passed every
check. Next to it the failing checks, worst first, each with the previous
run's count, and any delivery held back from the figures (regie.quality.blocking).

The score is computed here and nowhere else (:func:`score`), and a card's
headline is worded here and nowhere else (:func:`kop`): the terminal, the
mails and anything else that shows a gemeente's registration quality read
them, so the figures cannot differ between them. A card another gemeente may
only partly read (an uitvoerder reads the inburgering checks of the gemeenten
it executes for) shows those checks' counts and no score: a score over part
of the checks would be a second, different figure for the same gemeente.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from ..warehouse import Warehouse, connect, is_postgres, work_schema
from . import resultaten, schema

LANDELIJK = "landelijke bronnen"


def score(paren: Iterable[tuple[int, int]]) -> float | None:
    """The score of a gemeente from (gecontroleerd, afgekeurd) per check: the average share of
    passed records over the checks that applied (gecontroleerd > 0); None when none applied."""
    rates = [(g - a) / g for g, a in paren if g]
    return 100.0 * sum(rates) / len(rates) if rates else None


@dataclass
class Regel:
    controle: str
    naam: str
    ernst: str
    categorie: str
    gecontroleerd: int
    afgekeurd: int
    vorige_afgekeurd: int | None  # None: no previous run, or the check did not apply then

    @property
    def veranderd(self) -> bool:
        return self.vorige_afgekeurd is not None and self.vorige_afgekeurd != self.afgekeurd


@dataclass
class Kaart:
    """The scorecard of one gemeente (or, with gemeentecode None, of one national source)."""

    gemeentecode: str | None
    naam: str | None
    regels: list[Regel]
    bron: str | None = None
    vorige_score: float | None = None
    blokkades: list[tuple[str, str]] = field(default_factory=list)  # (bron, besluit)

    @property
    def score(self) -> float | None:
        return score((r.gecontroleerd, r.afgekeurd) for r in self.regels)

    @property
    def afgekeurd(self) -> int:
        return sum(r.afgekeurd for r in self.regels)

    @property
    def titel(self) -> str:
        if self.gemeentecode is None:
            return f"bron {self.bron}"
        return f"{self.gemeentecode} {self.naam}" if self.naam else self.gemeentecode

    def falend(self) -> list[Regel]:
        return sorted(
            (r for r in self.regels if r.afgekeurd or r.veranderd),
            key=lambda r: (r.ernst != "blokkerend", -r.afgekeurd, r.naam),
        )


def gemeentenamen(wh: Warehouse) -> dict[str, str]:
    """gemeentecode -> name, from dim_gemeente when dbt built it, else from the TVS deliveries."""
    dim = f"{work_schema(wh.kind, 'marts')}.dim_gemeente"
    for sql, rel in (
        (f"select gemeentecode, gemeentenaam from {dim}", dim),
        (
            "select gemeentecode, max(gemeentenaam) from raw.coa_tvs__taakstelling group by gemeentecode",
            "raw.coa_tvs__taakstelling",
        ),
    ):
        if wh.has_relation(rel):
            out = {code: naam for code, naam in wh.query(sql) if code and naam}
            if out:
                return out
    return {}


def _tel_kaarten(
    nu: pd.DataFrame, vorig: pd.DataFrame | None, namen: dict[str, str], blokkades: pd.DataFrame
) -> list[Kaart]:
    def key(df: pd.DataFrame) -> pd.Series:
        return df["gemeentecode"].fillna("bron:" + df["bron"].fillna("?"))

    vorige_per: dict[tuple[str, str], int] = {}
    vorige_scores: dict[str, float | None] = {}
    if vorig is not None and len(vorig):
        vorig = vorig.assign(_k=key(vorig))
        for k, c, a in zip(vorig["_k"], vorig["controle"], vorig["afgekeurd"], strict=True):
            vorige_per[(k, c)] = int(a)
        for k, grp in vorig.groupby("_k"):
            vorige_scores[k] = score(zip(grp["gecontroleerd"], grp["afgekeurd"], strict=True))
    nu = nu.assign(_k=key(nu))
    kaarten: list[Kaart] = []
    keys = sorted(set(nu["_k"]) | {k for k, _ in vorige_per}, key=lambda k: (k.startswith("bron:"), k))
    for k in keys:
        grp = nu[nu["_k"] == k]
        regels = [
            Regel(
                r.controle,
                r.omschrijving,
                r.ernst,
                r.categorie,
                int(r.gecontroleerd),
                int(r.afgekeurd),
                vorige_per.get((k, r.controle), 0 if vorig is not None and len(vorig) else None),
            )
            for r in grp.itertuples()
        ]
        # checks that failed last time and no longer apply: resolved
        for (vk, controle), n in vorige_per.items():
            if vk == k and n and controle not in set(grp["controle"]):
                old = vorig[(vorig["_k"] == k) & (vorig["controle"] == controle)].iloc[0]
                regels.append(Regel(controle, old["omschrijving"], old["ernst"], old["categorie"], 0, 0, n))
        code = None if k.startswith("bron:") else k
        blok = []
        if code is not None and len(blokkades):
            sel = blokkades[blokkades["gemeentecode"] == code]
            blok = list(zip(sel["bron"], sel["besluit"], strict=True))
        kaarten.append(
            Kaart(
                code,
                namen.get(code) if code else None,
                regels,
                None if code else k[5:],
                vorige_scores.get(k),
                blok,
            )
        )
    return kaarten


def blokkades_van_run(wh: Warehouse, run_id: str) -> pd.DataFrame:
    """The deliveries held back in the build this run checked: the gate's verdict for the run's peildatum.

    One row per held-back delivery and gemeente whose figures keep the earlier
    delivery (regie.quality.blocking), whichever DAG run recorded it.
    """
    from .blocking import blokkades

    empty = pd.DataFrame(columns=["bron", "gemeentecode", "besluit", "controles", "levering"])
    run = resultaten.run_info(wh, run_id)
    rows = blokkades(wh, run.peildatum if run else None)
    return pd.DataFrame(rows) if rows else empty


def kaarten(
    wh: Warehouse, run_id: str, vorige_run_id: str | None = None, *, vergelijken: bool = True
) -> tuple[list[Kaart], resultaten.Run | None, resultaten.Run | None]:
    """The cards of a run, compared with ``vorige_run_id`` (default: the run before it;
    ``vergelijken=False``: with nothing)."""
    run = resultaten.run_info(wh, run_id)
    if run is None:
        return [], None, None
    if not vergelijken:
        vorige = None
    elif vorige_run_id:
        vorige = resultaten.run_info(wh, vorige_run_id)
    else:
        vorige = resultaten.vorige_run(wh, run_id)
    nu = resultaten.tellingen(wh, run_id)
    vorig = resultaten.tellingen(wh, vorige.run_id) if vorige else None
    return _tel_kaarten(nu, vorig, gemeentenamen(wh), blokkades_van_run(wh, run_id)), run, vorige


def procent(x: float | None) -> str:
    if x is None:
        return "n.v.t."
    if x < 100.0:
        x = min(x, 99.9)  # a failure never shows as 100,0%
    return f"{x:.1f}%".replace(".", ",")


def getal(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def kop(k: Kaart, met_vorige: bool = True) -> str:
    """The headline of a card, e.g. ``score 95,1%; 7 afgekeurd in 7 van 23 controles``."""
    pct = procent(k.score)
    if (
        met_vorige
        and k.vorige_score is not None
        and k.score is not None
        and round(k.vorige_score, 1) != round(k.score, 1)
    ):
        pct += f" (was {procent(k.vorige_score)})"
    n_fail = sum(1 for r in k.regels if r.afgekeurd)
    return (
        f"score {pct}; {getal(k.afgekeurd)} afgekeurd in {n_fail} van "
        f"{sum(1 for r in k.regels if r.gecontroleerd)} controles"
    )


def kaart_tekst(k: Kaart, met_vorige: bool = True, breedte: int = 62) -> list[str]:
    lines = [f"{k.titel}: {kop(k, met_vorige)}"]
    for r in k.falend():
        naam = r.naam if len(r.naam) <= breedte else r.naam[: breedte - 1] + "…"
        was = ""
        if met_vorige and r.veranderd:
            was = f"  (was {getal(r.vorige_afgekeurd)})"
        lines.append(
            f"    {r.ernst:<12}  {naam:<{breedte}}  {getal(r.afgekeurd):>6} van {getal(r.gecontroleerd):>7}{was}"
        )
    for bron, besluit in k.blokkades:
        lines.append(f"    ! bron {bron}: {besluit}")
    return lines


def scorecard_text(warehouse: str, run_id: str) -> str:
    """The scorecard of a run, per gemeente, for the terminal (``regie run`` ends with it)."""
    with connect(warehouse, read_only=not is_postgres(warehouse)) as wh:
        if not wh.has_relation(schema.registratiekwaliteit(wh).qualified):
            return "Registratiekwaliteit: nog niet gecontroleerd."
        ks, run, vorige = kaarten(wh, run_id)
    if run is None:
        return f"Registratiekwaliteit: geen controles in run {run_id}."
    head = f"Registratiekwaliteit (run {run.run_id}" + (
        f", peildatum {run.peildatum})" if run.peildatum else ")"
    )
    if vorige:
        head += f"; vergeleken met run {vorige.run_id} van {vorige.gecontroleerd_op:%d-%m-%Y %H:%M}"
    lines = [head]
    for k in ks:
        lines.extend("  " + line for line in kaart_tekst(k, met_vorige=vorige is not None))
    return "\n".join(lines)
