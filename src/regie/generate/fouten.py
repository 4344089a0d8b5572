"""Planted faults.

Two kinds:
- rejects: extra rows the contract says must be rejected (bad BSN, impossible
  date, unknown code, decimal point, broken JSON). They are additions; no figure
  depends on them.
- quality problems: valid rows that a registration-quality check should flag.
  They are placed on Leiden's own inburgeraars, who appear in none of the
  report's tables. Most change the person; a value no consistent person can
  have (a date after the delivery, a PIP before the BRP registration, 2400
  hours, a second open dossier) is a ``Patch`` to the person's row in the last
  delivery only.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from .model import GZ, SH, Maatregel, Persoon, Routeperiode
from .peildata import PEIL
from .plans import PlanError
from .population import Builder
from .util import days, nl_amount, nl_date, nl_hours

CHECKS = (
    "brp_zonder_pip",  # BRP-registered more than 10 weeks before the delivery, no PIP
    "pip_zonder_leerroute",  # PIP set, no leerroute at all
    "leerroute_zonder_taalaanbieder",
    "zroute_zonder_participatie",  # on the Z-route, no participation/PVT/MAP hours
    "uitstroom_zonder_reden",
    "gehuisvest_zonder_dossier",  # adult statushouder housed > 8 weeks ago, no municipal dossier
    "duo_combinatie_ongeldig",  # DUO PIP with A2 + onderwijsroute or B1 + Z-route
    "leerroute_afwijkend_van_duo",  # municipal route differs from DUO's PIP leerroute
    "meerdere_open_leerroutes",
    "datum_in_toekomst",  # a date after the delivery date
    "pip_voor_brp",
    "uren_buiten_bereik",  # hours outside 0-2000
    "boete_boven_maximum",  # also: PVT/MAP fines above EUR 800 within 365 days, not within a calendar year
    "boete_leerroute_gezinsmigrant",  # a LEERROUTE fine for a gezinsmigrant
    "meerdere_open_dossiers",
    "gerealiseerd_wijkt_af_van_tvs",  # published gerealiseerd differs from the persons housed in the TVS
)

#: the klantnummer of the planted second dossier
TWEEDE_DOSSIER = "K0546-99002"


@dataclass(eq=False)
class Patch:
    """A planted change to one row of a person in the last delivery of ``kind``.

    The first row of the person that ``match`` accepts gets ``changes`` (column -> text); with
    ``copy`` the changed row is written as an extra row right after it instead."""

    kind: str  # dossiers | activiteiten | handhaving
    changes: dict[int, str]
    match: Callable[[list[str]], bool] = field(default=lambda row: True)
    copy: bool = False


def apply_patches(
    kind: str, tagged: list[tuple[object, list[str]]], persons: list[Persoon]
) -> list[tuple[object, list[str]]]:
    """The rows with the planted patches of ``kind`` applied; a patched row is tagged with its Patch."""
    patches = {
        p.klantnummer: [q for q in p.patches if q.kind == kind]
        for p in persons
        if p.patches and p.klantnummer
    }
    out: list[tuple[object, list[str]]] = []
    for tag, row in tagged:
        todo = patches.get(row[0], [])
        hit = next((q for q in todo if q.match(row)), None)
        if hit is None:
            out.append((tag, row))
            continue
        todo.remove(hit)
        new = list(row)
        for col, value in hit.changes.items():
            new[col] = value
        out.extend([(tag, row), (hit, new)] if hit.copy else [(hit, new)])
    left = [q for qs in patches.values() for q in qs]
    if left:
        raise PlanError(f"planted {kind} patch matched no row: {left}")
    return out


#: the last delivery of Leiden's case system, into whose rows the patches go
LAST = dt.date(2025, 2, 25)


class _Planter:
    """Picks Leiden's people for the planted cases, each person once, and records the cases."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.out: list[tuple[str, Persoon, str, object]] = []
        self.used: set[int] = set()

    def take(self, cands: list[Persoon], what: str) -> Persoon:
        cands = [p for p in cands if p.pid not in self.used]
        if not cands:
            raise PlanError(f"no Leiden person for {what}")
        p = cands[self.rng.randrange(len(cands))] if len(cands) > 1 else cands[0]
        self.used.add(p.pid)
        return p

    def record(self, check: str, p: Persoon, kind: str, tag: object) -> None:
        self.out.append((check, p, kind, tag))


def plant_quality(b: Builder, seed: int) -> list[tuple[str, Persoon, str, object]]:
    """Mutate Leiden's people; returns (check, person, file kind, row tag) per planted case."""
    pl = _Planter(random.Random(f"{seed}:quality"))
    _plant_without_dossier_or_route(pl, b)
    routed = [q for q in b.personen if q.routes and q.in_dossiers and q.gemeente == b.g.code]
    _plant_on_leerroutes(pl, routed)
    _plant_impossible_values(pl, routed)
    _plant_boetes(pl, routed)
    _plant_tweede_dossier(pl, routed)
    return pl.out


def _plant_without_dossier_or_route(pl: _Planter, b: Builder) -> None:
    """The dossiers the plan kept off every route: housed without a dossier, a PIP without a
    leerroute, and BRP-registered without a PIP."""
    unrouted = sorted((p for p in b.personen if p.unrouted), key=lambda p: p.pid)
    sh_un = [p for p in unrouted if p.doelgroep == SH]
    gz_un = [p for p in unrouted if p.doelgroep == GZ]

    # a housed adult statushouder for whom no dossier was ever opened
    p = pl.take(
        [q for q in sh_un if q.huisvest and q.huisvest <= dt.date(2024, 8, 31)], "housed without dossier"
    )
    p.in_dossiers = False
    p.activiteiten, p.taalles, p.handhaving, p.uitkomsten = [], [], [], []
    p.pip = p.pip_duo = None
    p.termijn_start = p.termijn_eind = None
    pl.record("gehuisvest_zonder_dossier", p, "koppelingen", p)

    for q in sh_un + gz_un:
        if q.pid in pl.used:
            continue
        if q.brp is None or q.brp > PEIL - days(90) or q.pip is not None:
            raise PlanError("unrouted Leiden dossier unfit for a planted case")
    p = pl.take(gz_un, "pip zonder leerroute")
    p.pip = min(p.dossier + days(45), PEIL - days(100))
    p.pip = max(p.pip, p.intake)
    p.pip_duo = p.pip
    p.termijn_start = p.pip + days(1)
    p.termijn_eind = p.termijn_start + days(3 * 365 - 1)
    pl.record("pip_zonder_leerroute", p, "dossiers", p)
    for q in sh_un + gz_un:
        if q.pid not in pl.used:
            pl.used.add(q.pid)
            pl.record("brp_zonder_pip", q, "dossiers", q)


def _plant_on_leerroutes(pl: _Planter, routed: list[Persoon]) -> None:
    """Faults in the routes: no taalaanbieder, a Z-route without hours, an uitstroom without
    reden, DUO combinations that cannot be, a route other than DUO's, two open routes."""
    single_open = [
        q
        for q in routed
        if len(q.routes) == 1
        and q.routes[0].end is None
        and q.uitstroom is None
        and q.routes[0].start <= dt.date(2024, 6, 1)
    ]

    p = pl.take(single_open, "zonder taalaanbieder")
    p.routes[0].aanbieder = None
    p.taalles = [(w, codes, None) for w, codes, _ in p.taalles]
    pl.record("leerroute_zonder_taalaanbieder", p, "leerroutes", (p, 0))

    p = pl.take(
        [q for q in single_open if q.doelgroep == SH and q.routes[0].leerroute == "Z"], "Z zonder uren"
    )
    p.activiteiten = [a for a in p.activiteiten if a.soort not in ("PARTICIPATIE", "PVT", "MAP")]
    pl.record("zroute_zonder_participatie", p, "leerroutes", (p, 0))

    p = pl.take([q for q in routed if q.uitstroom is not None and q.reden], "uitstroom zonder reden")
    p.reden = None
    pl.record("uitstroom_zonder_reden", p, "dossiers", p)

    p = pl.take([q for q in single_open if q.routes[0].leerroute == "OND" and q.pip_duo], "O met A2")
    p.duo_route_override = ("O", "A2")
    pl.record("duo_combinatie_ongeldig", p, "duo", p)
    p = pl.take([q for q in single_open if q.routes[0].leerroute == "Z" and q.pip_duo], "Z met B1")
    p.duo_route_override = ("Z", "B1")
    pl.record("duo_combinatie_ongeldig", p, "duo", p)

    p = pl.take([q for q in single_open if q.routes[0].leerroute == "B1" and q.pip_duo], "afwijkend")
    p.duo_route_override = ("Z", None)
    pl.record("leerroute_afwijkend_van_duo", p, "leerroutes", (p, 0))

    p = pl.take(
        [
            q
            for q in single_open
            if q.routes[0].leerroute == "B1" and q.routes[0].start + days(130) <= PEIL - days(10)
        ],
        "twee open routes",
    )
    second = p.routes[0].start + days(pl.rng.randint(100, 130))
    p.routes.append(Routeperiode("OND", second, None, "Hogeschool Leiden"))
    pl.record("meerdere_open_leerroutes", p, "leerroutes", (p, 1))
    if p.pip_duo:
        # the later open route is the route in force (macro leerroute_in_kracht_rang, as the
        # marts count it): OND, where DUO's PIP says B1
        pl.record("leerroute_afwijkend_van_duo", p, "leerroutes", (p, 1))


def _plant_impossible_values(pl: _Planter, routed: list[Persoon]) -> None:
    """Values no consistent person has, patched into the person's row of the last delivery."""
    p = pl.take([q for q in routed if q.lbt is not None and q.lbt <= dt.date(2024, 12, 31)], "toekomst")
    typo = dt.date(2026, p.lbt.month, min(p.lbt.day, 28))  # the year mistyped
    p.patches.append(Patch("dossiers", {11: nl_date(typo)}))
    pl.record("datum_in_toekomst", p, "dossiers", p.patches[-1])

    p = pl.take(
        [q for q in routed if q.pip and q.brp and q.pip <= LAST and q.uitstroom is None], "pip voor brp"
    )
    p.patches.append(Patch("dossiers", {12: nl_date(p.brp - days(14))}))
    pl.record("pip_voor_brp", p, "dossiers", p.patches[-1])

    def participatie(row: list[str]) -> bool:
        return row[1] == "PARTICIPATIE" and row[4] != ""

    p = pl.take(
        [
            q
            for q in routed
            if any(a.soort == "PARTICIPATIE" and a.uren and a.start <= LAST for a in q.activiteiten)
        ],
        "2400 uren",
    )
    p.patches.append(Patch("activiteiten", {4: nl_hours(2400)}, participatie))
    pl.record("uren_buiten_bereik", p, "activiteiten", p.patches[-1])


def _plant_boetes(pl: _Planter, routed: list[Persoon]) -> None:
    """Fines beyond the law's limits."""

    # Leiden fines nobody (report section 5): a warning at the brede intake becomes a fine above EUR 250
    def brede_intake_waarschuwing(row: list[str]) -> bool:
        return row[2] == "WAARSCHUWING" and row[4] == "BREDE_INTAKE"

    p = pl.take(
        [
            q
            for q in routed
            if any(
                m.maatregel == "WAARSCHUWING" and m.grond == "BREDE_INTAKE" and m.datum <= LAST
                for m in q.handhaving
            )
        ],
        "boete brede intake",
    )
    p.patches.append(Patch("handhaving", {2: "BOETE", 3: nl_amount(300)}, brede_intake_waarschuwing))
    pl.record("boete_boven_maximum", p, "handhaving", p.patches[-1])

    # the EUR 800 are over any 365 days: 17 fines of EUR 50 on the PVT from November 2023 to
    # February 2024 (9 in 2023, 8 in 2024: each calendar year stays below the maximum)
    p = pl.take(
        [
            q
            for q in routed
            if q.doelgroep == SH
            and not q.handhaving
            and q.pip_duo is not None
            and q.pip_duo <= dt.date(2023, 9, 1)
            and (q.uitstroom is None or q.uitstroom > dt.date(2024, 3, 31))
        ],
        "boetes over de jaargrens",
    )
    eerste = dt.date(2023, 11, 6)
    for i in range(17):
        p.handhaving.append(Maatregel(eerste + days(7 * i), "BOETE", 50.0, "PVT", False))
    laatste = nl_date(eerste + days(7 * 16))
    p.patches.append(Patch("handhaving", {}, lambda row, d=laatste: row[1] == d and row[4] == "PVT"))
    pl.record("boete_boven_maximum", p, "handhaving", p.patches[-1])

    # a gezinsmigrant fined for the leerroute (only asielstatushouders can be)
    p = pl.take(
        [
            q
            for q in routed
            if q.doelgroep == GZ
            and not q.handhaving
            and q.pip_duo is not None
            and q.pip_duo <= dt.date(2024, 6, 1)
            and (q.uitstroom is None or q.uitstroom > dt.date(2024, 9, 30))
        ],
        "leerrouteboete gezinsmigrant",
    )
    p.handhaving.append(Maatregel(dt.date(2024, 9, 2), "BOETE", 50.0, "LEERROUTE", False))
    p.patches.append(Patch("handhaving", {}, lambda row: row[4] == "LEERROUTE"))
    pl.record("boete_leerroute_gezinsmigrant", p, "handhaving", p.patches[-1])


def _plant_tweede_dossier(pl: _Planter, routed: list[Persoon]) -> None:
    # a second open dossier: opened recently, for a person whose PIP is recent too (no other check fires)
    recent = LAST - days(60)
    p = pl.take(
        [
            q
            for q in routed
            if q.uitstroom is None
            and q.pip
            and recent <= q.pip <= LAST
            and (q.pip_duo is None or recent <= q.pip_duo)
        ],
        "tweede open dossier",
    )
    p.patches.append(Patch("dossiers", {0: TWEEDE_DOSSIER, 8: nl_date(LAST - days(20))}, copy=True))
    pl.record("meerdere_open_dossiers", p, "dossiers", p.patches[-1])
