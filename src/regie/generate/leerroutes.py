"""Leerroutes: matching dossier persons to the report's places on a route, and each
person's route periods (start, switches, uitstroom or stop) with intake and
leerbaarheidstoets before them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from .gemeenten import LEIDEN, LV
from .model import GZ, Persoon, Routeperiode
from .peildata import PEIL
from .plans import PlanError
from .util import clamp, days, rand_date

if TYPE_CHECKING:
    from .population import Builder

# ----------------------------------------------------------------------------- providers
PROVIDERS = {
    LV: {
        "B1": ["Echt Nederlands"],
        "A2": ["Echt Nederlands"],
        "Z": ["Foxtaal"],
        "Z-A2": ["Foxtaal"],
        "OND": ["ROC Mondriaan", "De Haagse Hogeschool"],
    },
    LEIDEN: {
        "B1": ["Danner & Danner", "VluchtelingenWerk Nederland"],
        "A2": ["Danner & Danner", "VluchtelingenWerk Nederland"],
        "Z": ["NLtraining", "Danner & Danner"],
        "Z-A2": ["NLtraining", "Danner & Danner"],
        "OND": ["Hogeschool Leiden", "ROC Mondriaan", "Universiteit Leiden"],
    },
}
GENERIC_PROVIDERS = {
    "B1": ["Taalschool De Brug", "NT2 Centrum", "Taalinstituut Noord"],
    "A2": ["Taalschool De Brug", "NT2 Centrum"],
    "Z": ["Taalhuis Zelfredzaam", "NT2 Centrum"],
    "Z-A2": ["Taalhuis Zelfredzaam"],
    "OND": ["ROC", "Hogeschool"],
}
SWITCH_REDEN = {
    ("B1", "OND"): "doorstroom naar onderwijsroute",
    ("Z", "OND"): "doorstroom naar onderwijsroute",
    ("Z", "B1"): "opschaling naar B1-route",
    ("Z", "A2"): "opschaling naar B1-route op A2-niveau",
    ("B1", "Z"): "afschaling naar Z-route",
    ("OND", "B1"): "overstap naar B1-route",
    ("B1", "A2"): "afschaling naar A2 (na 600 uur)",
    ("Z", "Z-A2"): "Z-route met A2 als streefniveau",
}


def providers(uitvoerder: str) -> dict[str, list[str]]:
    return PROVIDERS.get(uitvoerder, GENERIC_PROVIDERS)


def match_slots(builder: Builder) -> None:
    pools: dict[tuple[str, int], list[Persoon]] = defaultdict(list)
    for p in builder.personen:
        if not p.unrouted:
            pools[(p.doelgroep, p.dossier_year)].append(p)
    for pool in pools.values():
        builder.rng.shuffle(pool)
    slots = list(builder.plan.slots)
    builder.rng.shuffle(slots)
    slots.sort(key=lambda s: s.instroomjaar)
    for s in slots:
        years = [2025, 2024, 2023, 2022] if s.instroomjaar == 2025 else list(range(s.instroomjaar, 2021, -1))
        for y in years:
            pool = pools.get((s.doelgroep, y))
            if pool:
                p = pool.pop()
                p.slot = s
                break
        else:
            raise PlanError(f"{builder.g.code}: no dossier left for slot {s}")


def route_window(builder: Builder, p: Persoon) -> tuple[dt.date, dt.date]:
    s = p.slot
    assert s is not None
    y = s.instroomjaar
    lo, hi = dt.date(y, 1, 1), min(dt.date(y, 12, 31), PEIL - days(12))
    if y == 2025:
        lo, hi = dt.date(2025, 1, 6), dt.date(2025, 2, 17)
    if s.end_kind == "uitstroom":
        hi = min(hi, dt.date(s.out_year, 12, 31) - days(240))
    if len(s.history) > 1 or s.end_kind == "stop":
        hi = min(hi, PEIL - days(150))
    lo = max(lo, builder.plan.route_from)
    if lo > hi:
        raise PlanError(f"{builder.g.code}: empty route window for {s}")
    return lo, hi


def assign_route_dates(builder: Builder, p: Persoon) -> None:
    rng = builder.rng
    d0 = p.dossier
    if p.doelgroep == GZ:
        p.brp = max(dt.date(2022, 1, 3), d0 - days(rng.randint(3, 40)))
        p.permit = p.brp
    s = p.slot
    r0 = None
    if s is not None:
        lo, hi = route_window(builder, p)
        lo = max(lo, d0 + days(21))
        if lo > hi:
            raise PlanError(f"{builder.g.code}: route start impossible for {p.pid}")
        if s.instroomjaar == p.dossier_year:
            r0 = clamp(d0 + days(rng.randint(25, 110)), lo, hi)
        else:
            r0 = rand_date(rng, lo, min(hi, lo + days(150)))
        u = None
        if s.end_kind == "uitstroom":
            ulo = max(dt.date(s.out_year, 1, 1), r0 + days(240))
            uhi = min(dt.date(s.out_year, 12, 31), PEIL - days(10))
            if ulo > uhi:
                raise PlanError(f"{builder.g.code}: uitstroom impossible for {p.pid}")
            u = rand_date(rng, ulo, uhi)
        prov = providers(p.uitvoerder or builder.g.uitvoerder)
        periods: list[Routeperiode] = []
        start = r0
        for i, route in enumerate(s.history):
            periods.append(Routeperiode(route, start, None, rng.choice(prov[route])))
            if i + 1 < len(s.history):
                latest = min(start + days(420), PEIL - days(20))
                if u is not None:
                    latest = min(latest, u - days(60))
                sw = rand_date(rng, start + days(90), latest)
                periods[-1].end = sw - days(1)
                periods[-1].reden_wijziging = SWITCH_REDEN.get(
                    (route, s.history[i + 1]), f"overstap naar {s.history[i + 1]}"
                )
                start = sw
        if s.end_kind == "uitstroom":
            periods[-1].end = u
            p.uitstroom, p.reden = u, s.reden
        elif s.end_kind == "stop":
            stop = rand_date(rng, start + days(120), PEIL - days(20))
            periods[-1].end = stop
            periods[-1].reden_wijziging = s.stop_reden
        p.routes = periods
    # intake, leerbaarheidstoets
    latest = (r0 - days(5)) if r0 else PEIL - days(1)
    p.intake = clamp(d0 + days(rng.randint(2, 16)), d0, latest)
    if rng.random() < 0.92:
        lbt_latest = (r0 - days(2)) if r0 else PEIL - days(1)
        p.lbt = clamp(p.intake + days(rng.randint(0, 14)), p.intake, lbt_latest)
