"""Planted faults.

Two kinds:
- rejects: extra rows the contract says must be rejected (bad BSN, impossible
  date, unknown code, decimal point, broken JSON). They are additions; no figure
  depends on them.
- quality problems: valid rows that a registration-quality check should flag.
  They are placed on Leiden's own inburgeraars, who appear in none of the
  report's tables.
"""

from __future__ import annotations

import datetime as dt
import random

from .model import GZ, SH, Person, RoutePeriod
from .population import PEIL, Builder, PlanError
from .util import days

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
)


def plant_quality(b: Builder, seed: int) -> list[tuple[str, Person, str, object]]:
    """Mutate Leiden's people; returns (check, person, file kind, row tag) per planted case."""
    rng = random.Random(f"{seed}:quality")
    out: list[tuple[str, Person, str, object]] = []
    used: set[int] = set()

    def take(cands: list[Person], what: str) -> Person:
        cands = [p for p in cands if p.pid not in used]
        if not cands:
            raise PlanError(f"no Leiden person for {what}")
        p = cands[rng.randrange(len(cands))] if len(cands) > 1 else cands[0]
        used.add(p.pid)
        return p

    unrouted = sorted((p for p in b.persons if p.unrouted), key=lambda p: p.pid)
    sh_un = [p for p in unrouted if p.doelgroep == SH]
    gz_un = [p for p in unrouted if p.doelgroep == GZ]

    # a housed adult statushouder for whom no dossier was ever opened
    p = take(
        [q for q in sh_un if q.huisvest and q.huisvest <= dt.date(2024, 8, 31)], "housed without dossier"
    )
    p.in_dossiers = False
    p.activities, p.taalles, p.handhaving, p.uitkomsten = [], [], [], []
    p.pip = p.pip_duo = None
    p.termijn_start = p.termijn_eind = None
    out.append(("gehuisvest_zonder_dossier", p, "koppelingen", p))

    for q in sh_un + gz_un:
        if q.pid in used:
            continue
        if q.brp is None or q.brp > PEIL - days(90) or q.pip is not None:
            raise PlanError("unrouted Leiden dossier unfit for a planted case")
    p = take(gz_un, "pip zonder leerroute")
    p.pip = min(p.dossier + days(45), PEIL - days(100))
    p.pip = max(p.pip, p.intake)
    p.pip_duo = p.pip
    p.termijn_start = p.pip + days(1)
    p.termijn_eind = p.termijn_start + days(3 * 365 - 1)
    out.append(("pip_zonder_leerroute", p, "dossiers", p))
    for q in sh_un + gz_un:
        if q.pid not in used:
            used.add(q.pid)
            out.append(("brp_zonder_pip", q, "dossiers", q))

    routed = [q for q in b.persons if q.routes and q.in_dossiers and q.gemeente == b.g.code]
    single_open = [
        q
        for q in routed
        if len(q.routes) == 1
        and q.routes[0].end is None
        and q.uitstroom is None
        and q.routes[0].start <= dt.date(2024, 6, 1)
    ]

    p = take(single_open, "zonder taalaanbieder")
    p.routes[0].aanbieder = None
    p.taalles = [(w, codes, None) for w, codes, _ in p.taalles]
    out.append(("leerroute_zonder_taalaanbieder", p, "leerroutes", (p, 0)))

    p = take([q for q in single_open if q.doelgroep == SH and q.routes[0].leerroute == "Z"], "Z zonder uren")
    p.activities = [a for a in p.activities if a.soort not in ("PARTICIPATIE", "PVT", "MAP")]
    out.append(("zroute_zonder_participatie", p, "leerroutes", (p, 0)))

    p = take([q for q in routed if q.uitstroom is not None and q.reden], "uitstroom zonder reden")
    p.reden = None
    out.append(("uitstroom_zonder_reden", p, "dossiers", p))

    p = take([q for q in single_open if q.routes[0].leerroute == "OND" and q.pip_duo], "O met A2")
    p.duo_route_override = ("O", "A2")
    out.append(("duo_combinatie_ongeldig", p, "duo", p))
    p = take([q for q in single_open if q.routes[0].leerroute == "Z" and q.pip_duo], "Z met B1")
    p.duo_route_override = ("Z", "B1")
    out.append(("duo_combinatie_ongeldig", p, "duo", p))

    p = take([q for q in single_open if q.routes[0].leerroute == "B1" and q.pip_duo], "afwijkend")
    p.duo_route_override = ("Z", None)
    out.append(("leerroute_afwijkend_van_duo", p, "leerroutes", (p, 0)))

    p = take(
        [
            q
            for q in single_open
            if q.routes[0].leerroute == "B1" and q.routes[0].start + days(130) <= PEIL - days(10)
        ],
        "twee open routes",
    )
    second = p.routes[0].start + days(rng.randint(100, 130))
    p.routes.append(RoutePeriod("OND", second, None, "Hogeschool Leiden"))
    out.append(("meerdere_open_leerroutes", p, "leerroutes", (p, 1)))
    return out
