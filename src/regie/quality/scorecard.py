"""The scorecard: per gemeente how its registration did in a run, and what changed.

The score of a gemeente is the average, over the checks that applied to it,
of the share of its records that passed: 100 means every record passed every
check. Next to it the failing checks, worst first, each with the previous
run's count, and any delivery held back from the figures (regie.quality.poort).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..warehouse import Warehouse, connect, is_postgres, work_schema
from . import resultaten, schema
from .gegevens import has_relation

LANDELIJK = "landelijke bronnen"


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
        rates = [(r.gecontroleerd - r.afgekeurd) / r.gecontroleerd for r in self.regels if r.gecontroleerd]
        return 100.0 * sum(rates) / len(rates) if rates else None

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
        if has_relation(wh, rel):
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
            rates = [(g - a) / g for g, a in zip(grp["gecontroleerd"], grp["afgekeurd"], strict=True) if g]
            vorige_scores[k] = 100.0 * sum(rates) / len(rates) if rates else None
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
    delivery (regie.quality.poort), whichever DAG run recorded it.
    """
    from .poort import blokkades

    empty = pd.DataFrame(columns=["bron", "gemeentecode", "besluit", "controles", "levering"])
    run = resultaten.run_info(wh, run_id)
    rows = blokkades(wh, run.peildatum if run else None)
    return pd.DataFrame(rows) if rows else empty


def kaarten(wh: Warehouse, run_id: str) -> tuple[list[Kaart], resultaten.Run | None, resultaten.Run | None]:
    run = resultaten.run_info(wh, run_id)
    if run is None:
        return [], None, None
    vorige = resultaten.vorige_run(wh, run_id)
    nu = resultaten.tellingen(wh, run_id)
    vorig = resultaten.tellingen(wh, vorige.run_id) if vorige else None
    return _tel_kaarten(nu, vorig, gemeentenamen(wh), blokkades_van_run(wh, run_id)), run, vorige


def _pct(x: float | None) -> str:
    if x is None:
        return "n.v.t."
    if x < 100.0:
        x = min(x, 99.9)  # a failure never shows as 100,0%
    return f"{x:.1f}%".replace(".", ",")


def _getal(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def kaart_tekst(k: Kaart, met_vorige: bool = True, breedte: int = 62) -> list[str]:
    score = _pct(k.score)
    if (
        met_vorige
        and k.vorige_score is not None
        and k.score is not None
        and round(k.vorige_score, 1) != round(k.score, 1)
    ):
        score += f" (was {_pct(k.vorige_score)})"
    n_fail = sum(1 for r in k.regels if r.afgekeurd)
    lines = [
        f"{k.titel}: score {score}; {_getal(k.afgekeurd)} afgekeurd in {n_fail} van "
        f"{sum(1 for r in k.regels if r.gecontroleerd)} controles"
    ]
    for r in k.falend():
        naam = r.naam if len(r.naam) <= breedte else r.naam[: breedte - 1] + "…"
        was = ""
        if met_vorige and r.veranderd:
            was = f"  (was {_getal(r.vorige_afgekeurd)})"
        lines.append(
            f"    {r.ernst:<12}  {naam:<{breedte}}  {_getal(r.afgekeurd):>6} van {_getal(r.gecontroleerd):>7}{was}"
        )
    for bron, besluit in k.blokkades:
        lines.append(f"    ! bron {bron}: {besluit}")
    return lines


def scorecard_text(warehouse: str, run_id: str) -> str:
    """The scorecard of a run, per gemeente, for the terminal (``regie run`` ends with it)."""
    with connect(warehouse, read_only=not is_postgres(warehouse)) as wh:
        if not has_relation(wh, schema.registratiekwaliteit(wh).qualified):
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
