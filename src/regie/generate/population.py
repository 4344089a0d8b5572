"""Build the people of one woongemeente from a plan.

A ``Plan`` (``plans.py``) says what the files must add up to: dossier counts
per year, doelgroep, sex and age band; the places in the leerroute tables
(slots); housing per half year; PIP, PVT and MAP counts. ``Builder`` holds one
woongemeente's people while the parts fill them in, in this order:

- ``personen``: the dossier persons, later their birth dates and countries of origin;
- ``leerroutes``: who takes which place on a route, and the route periods;
- ``kalender``: dossier and housing dates within the published capacity, PIPs;
- ``activiteiten``: PVT and MAP, lessons, participation, talks, uitkomsten, handhaving;
- ``huishoudens``: households, children, the waiting, koppelingen;
- ``money``: the loans and termijnen of the Wi2013 persons.

Every part draws from the builder's one random generator, so the order of
the steps in ``Builder.build`` is part of the output. When a random draw
paints itself into a corner (for instance nobody left who can start a PVT
in 2022) the whole gemeente is rebuilt from the next seed in a fixed
sequence, so the result stays deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from . import activiteiten, huishoudens, kalender, leerroutes, money, personen
from .model import SH, Huishouden, Persoon
from .plans import Plan, PlanError


class Builder:
    """The people of one woongemeente while they are being built."""

    def __init__(self, plan: Plan, rng: random.Random, uitvoerder_naam: str) -> None:
        self.plan = plan
        self.g = plan.gemeente
        self.rng = rng
        self.uitvoerder_naam = uitvoerder_naam
        self.personen: list[Persoon] = []  # dossier persons (Wi2021)
        self.overigen: list[Persoon] = []  # Wi2013, historic adults, children, waiting
        self.huishoudens: list[Huishouden] = []
        self.extra: object = None  # result of the `after` hook of build()
        self.capacity_left: list[int] | None = None  # housing places left per half year
        self.counted: list[int] = []  # persons housed per half year so far
        self.housing_result: list[int] = []  # persons housed per half year, children included
        self._pid = 0

    def new_persoon(self, doelgroep: str, geslacht: str, **kw) -> Persoon:
        self._pid += 1
        return Persoon(pid=self._pid, gemeente=self.g.code, doelgroep=doelgroep, geslacht=geslacht, **kw)

    def draw_geslacht(self, doelgroep: str) -> str:
        return "M" if self.rng.random() < (0.55 if doelgroep == SH else 0.35) else "V"

    def build(self) -> None:
        personen.make_dossierpersonen(self)
        leerroutes.match_slots(self)
        kalender.assign_dates(self)
        personen.pick_grensleeftijden(self)
        kalender.assign_pips(self)
        activiteiten.assign_pvt_map(self)
        huishoudens.make_huishoudens(self)
        personen.assign_herkomst(self)
        personen.assign_geboortedata(self)
        money.assign_wi2013_leningen(self)
        personen.check_geboortedata(self)
        activiteiten.add_activiteiten(self)


def build(
    plan: Plan,
    seed: int,
    uitvoerder_naam: str,
    attempts: int = 60,
    after: Callable[[Builder], object] | None = None,
) -> Builder:
    """Build a gemeente; ``after(builder)`` may refine it and raise PlanError to ask for a rebuild."""
    last: Exception | None = None
    for attempt in range(attempts):
        rng = random.Random(f"{seed}:{plan.gemeente.code}:{attempt}")
        b = Builder(plan, rng, uitvoerder_naam)
        try:
            b.build()
            if after is not None:
                b.extra = after(b)
            return b
        except PlanError as exc:
            last = exc
    raise RuntimeError(f"cannot build {plan.gemeente.code} after {attempts} attempts: {last}")
