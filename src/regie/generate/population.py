"""Build the people of one woongemeente from a plan.

A ``Plan`` says what the files must add up to: dossier counts per year,
doelgroep, sex and age band; the places in the leerroute tables (slots);
housing per half year; PIP, PVT and MAP counts. The builder creates persons,
matches them to slots, picks dates that satisfy every constraint, forms
households and fills in the rest of each timeline.

When a random draw paints itself into a corner (for instance nobody left
who can start a PVT in 2022) the whole gemeente is rebuilt from the next
seed in a fixed sequence, so the result stays deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from .gemeenten import LEIDEN, LV, Gemeente
from .model import GZ, SH, Activity, Household, Koppeling, Maatregel, Person, RoutePeriod, Slot, Uitkomst
from .util import (
    add_months,
    age_on,
    birth_for_age,
    clamp,
    days,
    half_bounds,
    monday_on_or_after,
    rand_date,
    weighted,
)

PEIL = dt.date(2025, 2, 25)  # last delivery of gemeenten and DUO; the report's leerroute peildatum
TVS_PEIL = dt.date(2024, 10, 31)  # last COA TVS delivery
PIP_CUTOFF = dt.date(2024, 10, 31)  # report counts PIPs up to November 2024
WI2021 = dt.date(2022, 1, 1)
HALVES = [(y, h) for y in range(2019, 2025) for h in (1, 2)]
_FOUR = dt.timedelta(days=4)
# weekly lesson hours are stored as small codes; code c and c - 1 differ by three hours
HOURS = (0.0, 6.0, 9.0, 7.5, 10.5, 9.0, 12.0, 11.0, 14.0)
HOURS_CODE = {9.0: 2, 10.5: 4, 12.0: 6, 14.0: 8}
_SEVEN = dt.timedelta(days=7)
BANDS = {"18-27": (18, 26), "27-50": (27, 49), "50-68": (50, 67)}


class PlanError(RuntimeError):
    """The random draw cannot satisfy the plan; rebuild with the next seed."""


@dataclass
class Plan:
    gemeente: Gemeente
    cells: dict[tuple[str, int, str, str], int]  # (doelgroep, year, geslacht, band) -> dossiers
    slots: list[Slot]
    extra_2025: dict[str, int] = field(default_factory=dict)  # dossiers dated Jan-Feb 2025
    housing: list[int] | None = None  # gerealiseerd per half year 2019-I .. 2024-II; None: derived
    waiting: int | None = None  # persons gekoppeld, not housed on TVS_PEIL; None: random
    pip_count: int | None = None  # exact number of municipal PIPs (all dated <= PIP_CUTOFF)
    pip_from: dt.date = WI2021
    route_from: dt.date = WI2021
    dossier_from: dt.date = WI2021
    dossier_cutoff: dt.date = PEIL - days(10)
    pvt: dict[tuple[str, int], int] | None = None
    map: dict[tuple[str, int], int] | None = None
    wi2013: dict[str, int] = field(default_factory=dict)  # still obligated on 2024-08-01
    wi2013_done: dict[str, int] = field(default_factory=dict)  # obligation ended before
    elip: int = 0
    early_start: int = 0  # statushouders whose dossier starts before housing (ROL)
    early_unhoused: int = 0
    rol_waiting: int = 0
    herkomst: dict[str, int] | None = None
    pip_without_route: float = 0.0  # share of waiting dossiers that already have a PIP
    pip_share: float = 0.95  # share of route persons whose PIP the gemeente registered
    unrouted: dict[tuple[str, int], int] = field(default_factory=dict)  # dossiers kept off every route
    uitkomsten: dict[str, int] | None = None
    omgekoppeld_van: list[str] = field(default_factory=list)
    vertrokken: int = 0
    heavy: bool = False  # load-test gemeente


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
OPVANG = [
    "AZC Den Haag",
    "AZC Wassenaar (Duinrell)",
    "Noodopvang Den Haag",
    "AZC Zoetermeer",
    "AZC Rijswijk",
    "AZC Ter Apel",
    "AZC Budel",
    "ROL Oegstgeest",
]
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


def consulent(uitvoerder_naam: str) -> str:
    return f"Gemeente {uitvoerder_naam}"


# ----------------------------------------------------------------------------- builder
class Builder:
    def __init__(self, plan: Plan, rng: random.Random, uitvoerder_naam: str) -> None:
        self.plan = plan
        self.g = plan.gemeente
        self.rng = rng
        self.uitvoerder_naam = uitvoerder_naam
        self.persons: list[Person] = []  # dossier persons (Wi2021)
        self.others: list[Person] = []  # Wi2013, historic adults, children, waiting
        self.households: list[Household] = []
        self.extra: object = None  # result of the `after` hook of build()
        self._pid = 0

    # -- helpers
    def new_person(self, doelgroep: str, geslacht: str, **kw) -> Person:
        self._pid += 1
        return Person(pid=self._pid, gemeente=self.g.code, doelgroep=doelgroep, geslacht=geslacht, **kw)

    def sex(self, doelgroep: str) -> str:
        return "M" if self.rng.random() < (0.55 if doelgroep == SH else 0.35) else "V"

    # -- 1. dossier persons
    def make_dossier_persons(self) -> None:
        unrouted = dict(self.plan.unrouted)
        for (dg, year, sex, band), n in self.plan.cells.items():
            for _ in range(n):
                p = self.new_person(dg, sex, wet="Wi2021", dossier_year=year, band=band)
                if unrouted.get((dg, year), 0) > 0 and band == "27-50":
                    unrouted[(dg, year)] -= 1
                    p.unrouted = True
                self.persons.append(p)
        if any(unrouted.values()):
            raise AssertionError(f"unrouted dossiers not found: {unrouted}")
        for dg, n in self.plan.extra_2025.items():
            for _ in range(n):
                band = weighted(self.rng, [("18-27", 0.3), ("27-50", 0.6), ("50-68", 0.1)])
                self.persons.append(
                    self.new_person(dg, self.sex(dg), wet="Wi2021", dossier_year=2025, band=band)
                )

    # -- 2. slots
    def match_slots(self) -> None:
        pools: dict[tuple[str, int], list[Person]] = defaultdict(list)
        for p in self.persons:
            if not p.unrouted:
                pools[(p.doelgroep, p.dossier_year)].append(p)
        for pool in pools.values():
            self.rng.shuffle(pool)
        slots = list(self.plan.slots)
        self.rng.shuffle(slots)
        slots.sort(key=lambda s: s.instroomjaar)
        for s in slots:
            years = (
                [2025, 2024, 2023, 2022] if s.instroomjaar == 2025 else list(range(s.instroomjaar, 2021, -1))
            )
            for y in years:
                pool = pools.get((s.doelgroep, y))
                if pool:
                    p = pool.pop()
                    p.slot = s
                    break
            else:
                raise PlanError(f"{self.g.code}: no dossier left for slot {s}")

    # -- 3. dates
    def route_window(self, p: Person) -> tuple[dt.date, dt.date]:
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
        lo = max(lo, self.plan.route_from)
        if lo > hi:
            raise PlanError(f"{self.g.code}: empty route window for {s}")
        return lo, hi

    def dossier_window(self, p: Person) -> tuple[dt.date, dt.date]:
        y = p.dossier_year
        lo = max(dt.date(y, 1, 1), self.plan.dossier_from)
        hi = min(dt.date(y, 12, 31), self.plan.dossier_cutoff)
        if y == 2025:
            lo, hi = dt.date(2025, 1, 2), min(hi, PEIL - days(10))
        if p.doelgroep == SH and not p.early_start:
            lo = max(lo, dt.date(2022, 2, 8))
        if p.doelgroep == GZ:
            lo = max(lo, dt.date(2022, 1, 10))
        if p.slot is not None:
            rlo, rhi = self.route_window(p)
            hi = min(hi, rhi - days(21))
        if lo > hi:
            raise PlanError(f"{self.g.code}: empty dossier window for person {p.pid}")
        return lo, hi

    def pick_dossier_date(self, lo: dt.date, hi: dt.date) -> dt.date:
        # most dossiers open before November, leaving room for a PVT/MAP in the same year
        soft = min(hi, dt.date(lo.year, 10, 31))
        if soft >= lo and self.rng.random() < 0.6:
            return rand_date(self.rng, lo, soft)
        return rand_date(self.rng, lo, hi)

    def assign_dates(self) -> None:
        rng = self.rng
        plan = self.plan
        # early starters (ROL): dossier may open before housing
        if plan.early_start:
            cands = [p for p in self.persons if p.doelgroep == SH and p.dossier_year in (2023, 2024)]
            rng.shuffle(cands)
            for p in cands[: plan.early_start]:
                p.early_start = True
        cap = list(plan.housing) if plan.housing is not None else None
        sh = [p for p in self.persons if p.doelgroep == SH]
        windows = {p.pid: self.dossier_window(p) for p in self.persons}
        rng.shuffle(sh)
        for p in self.persons:
            if p.doelgroep == GZ:
                lo, hi = windows[p.pid]
                p.dossier = self.pick_dossier_date(lo, hi)
        for p in sh:
            lo, hi = windows[p.pid]
            if p.early_start:
                p.dossier = self.pick_dossier_date(lo, hi)
                continue
            if cap is None:
                p.dossier = self.pick_dossier_date(lo, hi)
                p.huisvest = max(dt.date(2022, 2, 1), p.dossier - days(rng.randint(3, 45)))
                continue
            self._place_with_capacity(p, lo, hi, cap)
        # early starters get housed later (or not yet)
        early = [p for p in sh if p.early_start]
        for i, p in enumerate(early):
            if i < plan.early_unhoused:
                p.huisvest = None
                continue
            placed = False
            for _ in range(30):
                h = p.dossier + days(rng.randint(30, 260))
                if h > TVS_PEIL:
                    continue
                k = HALVES.index(_half(h))
                if cap is None or cap[k] > 0:
                    if cap is not None:
                        cap[k] -= 1
                    p.huisvest = h
                    placed = True
                    break
            if not placed:
                p.huisvest = None
        self._capacity_left = cap
        for p in self.persons:
            self._route_dates(p)

    def _place_with_capacity(self, p: Person, lo: dt.date, hi: dt.date, cap: list[int]) -> None:
        """Dossier and housing dates such that no half year houses more people than published."""
        rng = self.rng
        # first the natural way: dossier date, housed a few weeks before it
        for _ in range(12):
            d = self.pick_dossier_date(lo, hi)
            h = d - days(rng.randint(4, 35))
            if h < dt.date(2022, 2, 1):
                continue
            if h > TVS_PEIL:
                p.dossier, p.huisvest = d, h
                return
            k = HALVES.index(_half(h))
            if cap[k] > 0:
                cap[k] -= 1
                p.dossier, p.huisvest = d, h
                return
        # capacity binds: house the person in a half year that still has room
        h_lo = max(dt.date(2022, 2, 1), lo - days(75))
        h_hi = min(hi - days(3), PEIL - days(20))
        options: list[tuple[object, float]] = []
        for k, (y, half) in enumerate(HALVES):
            a, b = half_bounds(y, half)
            b = min(b, TVS_PEIL)
            if cap[k] > 0 and a <= h_hi and b >= h_lo:
                options.append((k, float(cap[k])))
        if h_hi > TVS_PEIL:
            options.append(("late", 2.5))
        if not options:
            raise PlanError(f"{self.g.code}: no housing capacity for person {p.pid}")
        for _ in range(40):
            k = weighted(rng, options)
            if k == "late":
                a, b = TVS_PEIL + days(1), h_hi
            else:
                y, half = HALVES[k]
                a, b = half_bounds(y, half)
                b = min(b, TVS_PEIL)
            a, b = max(a, h_lo), min(b, h_hi)
            if a > b:
                continue
            h = rand_date(rng, a, b)
            d_lo, d_hi = max(lo, h + days(1)), min(hi, h + days(75))
            if d_lo > d_hi:
                continue
            d = clamp(h + days(rng.randint(4, 30)), d_lo, d_hi)
            if d.month == 2 and d.day == 29:
                d = d + days(1) if d + days(1) <= d_hi else d - days(1)
            p.dossier, p.huisvest = d, h
            if k != "late":
                cap[k] -= 1
            return
        raise PlanError(f"{self.g.code}: could not place person {p.pid}")

    def _route_dates(self, p: Person) -> None:
        rng = self.rng
        d0 = p.dossier
        if p.doelgroep == GZ:
            p.brp = max(dt.date(2022, 1, 3), d0 - days(rng.randint(3, 40)))
            p.permit = p.brp
        s = p.slot
        r0 = None
        if s is not None:
            lo, hi = self.route_window(p)
            lo = max(lo, d0 + days(21))
            if lo > hi:
                raise PlanError(f"{self.g.code}: route start impossible for {p.pid}")
            if s.instroomjaar == p.dossier_year:
                r0 = clamp(d0 + days(rng.randint(25, 110)), lo, hi)
            else:
                r0 = rand_date(rng, lo, min(hi, lo + days(150)))
            u = None
            if s.end_kind == "uitstroom":
                ulo = max(dt.date(s.out_year, 1, 1), r0 + days(240))
                uhi = min(dt.date(s.out_year, 12, 31), PEIL - days(10))
                if ulo > uhi:
                    raise PlanError(f"{self.g.code}: uitstroom impossible for {p.pid}")
                u = rand_date(rng, ulo, uhi)
            prov = providers(p.uitvoerder or self.g.uitvoerder)
            periods: list[RoutePeriod] = []
            start = r0
            for i, route in enumerate(s.history):
                periods.append(RoutePeriod(route, start, None, rng.choice(prov[route])))
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

    # -- 4. PIPs
    def assign_pips(self) -> None:
        rng = self.rng
        plan = self.plan
        cutoff = PIP_CUTOFF if plan.pip_count is not None else PEIL - days(1)

        def window(p: Person, limit: dt.date) -> tuple[dt.date, dt.date] | None:
            lo = max(p.dossier + days(7), p.intake, plan.pip_from)
            hi = limit
            if p.routes:
                hi = min(hi, p.routes[0].start - days(1))
            if p.uitstroom:
                hi = min(hi, p.uitstroom - days(1))
            return (lo, hi) if lo <= hi else None

        route_p = [p for p in self.persons if p.routes]
        rest = [p for p in self.persons if not p.routes]
        rng.shuffle(route_p)
        rng.shuffle(rest)
        elig_route = [p for p in route_p if window(p, cutoff)]
        elig_rest = [p for p in rest if window(p, cutoff)]
        if plan.pip_count is not None:
            k = plan.pip_count
            if k > len(elig_route) + len(elig_rest):
                raise PlanError(f"{self.g.code}: only {len(elig_route) + len(elig_rest)} can have a PIP")
            chosen = elig_route[:k] + elig_rest[: max(0, k - len(elig_route))]
        else:
            chosen = [p for p in elig_route if rng.random() < plan.pip_share]
            chosen += [p for p in elig_rest if rng.random() < plan.pip_without_route]
        for p in chosen:
            lo, hi = window(p, cutoff)
            base = p.brp or p.dossier
            if rng.random() < 0.86:
                target = max(lo, base + days(rng.randint(28, 66)))
            else:
                target = base + days(rng.randint(75, 150))
            p.pip = clamp(target, lo, hi)
            p.pip_duo = p.pip
            if self.g.uitvoerder == LV and rng.random() < 0.1:
                p.pip_duo = max(p.intake, p.pip - days(rng.randint(5, 20)))
        chosen_ids = {p.pid for p in chosen}
        for p in route_p:
            if p.pid not in chosen_ids:
                # DUO knows the PIP even where the gemeente's own registration lacks it
                w = window(p, PEIL - days(1))
                if w is None:
                    raise PlanError(f"{self.g.code}: no PIP date possible for {p.pid}")
                p.pip_duo = rand_date(rng, *w)

    # -- 5. PVT and MAP
    def _activity_window(self, p: Person, year: int, after: int) -> tuple[dt.date, dt.date] | None:
        lo = max(p.dossier + days(after), dt.date(year, 1, 1))
        hi = min(dt.date(year, 12, 31), PEIL - days(1))
        if p.uitstroom:
            hi = min(hi, p.uitstroom - days(5))
        return (lo, hi) if lo <= hi else None

    @staticmethod
    def _map_allowed(p: Person) -> bool:
        return not p.routes or any(r.leerroute != "OND" for r in p.routes)

    def assign_pvt_map(self) -> None:
        rng = self.rng
        plan = self.plan
        prov = providers(self.g.uitvoerder)
        for kind, targets, after, allowed in (
            ("PVT", plan.pvt, 10, lambda p: True),
            ("MAP", plan.map, 30, self._map_allowed),
        ):
            done: set[int] = set()
            if targets is None:
                for p in self.persons:
                    if not allowed(p) or (kind == "MAP" and not p.routes):
                        continue
                    if rng.random() < (0.85 if kind == "PVT" else 0.75):
                        base = p.dossier if kind == "PVT" else p.routes[0].start
                        lo = base + days(20 if kind == "PVT" else 60)
                        hi = min(PEIL - days(1), lo + days(300))
                        if p.uitstroom:
                            hi = min(hi, p.uitstroom - days(5))
                        if lo <= hi:
                            self._add_pvt_map(p, kind, rand_date(rng, lo, hi), prov)
                continue
            for year in (2022, 2023, 2024):
                for dg in (SH, GZ):
                    need = targets.get((dg, year), 0)
                    if not need:
                        continue
                    cands = []
                    for p in self.persons:
                        if p.doelgroep != dg or p.pid in done or not allowed(p):
                            continue
                        w = self._activity_window(p, year, after)
                        if w:
                            deadline = p.uitstroom or PEIL
                            cands.append((deadline, rng.random(), p, w))
                    if len(cands) < need:
                        raise PlanError(f"{self.g.code}: {kind} {dg} {year}: {len(cands)} < {need}")
                    cands.sort(key=lambda t: (t[0], t[1]))
                    for _, _, p, w in cands[:need]:
                        done.add(p.pid)
                        self._add_pvt_map(p, kind, rand_date(rng, *w), prov)

    def _add_pvt_map(self, p: Person, kind: str, start: dt.date, prov: dict[str, list[str]]) -> None:
        rng = self.rng
        if kind == "PVT":
            end = start + days(rng.randint(21, 56))
            uren = float(rng.choice([12, 12, 14, 16]))
            aanbieder = "Gemeente Leiden" if self.g.uitvoerder == LEIDEN else "VluchtelingenWerk Nederland"
        else:
            end = start + days(rng.randint(60, 200))
            uren = float(rng.choice([40, 40, 44, 48, 56, 64]))
            route = p.route_on(start) or (p.routes[0] if p.routes else None)
            is_z = route is not None and route.leerroute in ("Z", "Z-A2")
            if self.g.uitvoerder == LEIDEN:
                aanbieder = "NewBees" if is_z else "Gemeente Leiden"
            elif self.g.uitvoerder == LV:
                aanbieder = "Foxtaal" if is_z else "Echt Nederlands"
            else:
                aanbieder = route.aanbieder if route else rng.choice(prov["B1"])
        if p.uitstroom and end > p.uitstroom:
            end = p.uitstroom
        p.activities.append(Activity(kind, start, end, uren, aanbieder))

    # -- 6. households and koppelingen
    def make_households(self) -> None:
        rng = self.rng
        plan = self.plan
        housed_sh = [p for p in self.persons if p.doelgroep == SH and p.huisvest is not None]
        by_key: dict[object, list[Person]] = defaultdict(list)
        for p in housed_sh:
            key = HALVES.index(_half(p.huisvest)) if p.huisvest <= TVS_PEIL else "late"
            by_key[key].append(p)
        for key in sorted(by_key, key=str):
            members = sorted(by_key[key], key=lambda q: (q.huisvest, q.pid))
            i = 0
            while i < len(members):
                a = members[i]
                hh = self._household([a], a.huisvest)
                if i + 1 < len(members):
                    b = members[i + 1]
                    if (
                        (b.huisvest - a.huisvest).days <= 40
                        and b.geslacht != a.geslacht
                        and rng.random() < 0.35
                    ):
                        hh.members.append(b)
                        b.household = hh
                        b.huisvest = hh.huisvest
                        i += 1
                i += 1
        for p in self.persons:
            if p.doelgroep == SH and p.early_start and p.huisvest is None:
                hh = self._household([p], None)
                hh.opvang = "ROL Oegstgeest"
        # Wi2013 asielstatushouders and adults housed before the Wi2021 era
        wi13 = self._wi2013_adults()
        counted = _count_by_half(self.households)
        if plan.housing is not None:
            for k in range(len(HALVES)):
                if counted[k] > plan.housing[k]:
                    raise PlanError(f"{self.g.code}: too many adults in {HALVES[k]}")
        self._place_wi2013(wi13, counted)
        self._fill_children()
        self._waiting()
        self._koppeldata()
        self._omkoppelen()

    def _household(self, members: list[Person], huisvest: dt.date | None) -> Household:
        hh = Household(hid="", gemeente=self.g.code, members=list(members), huisvest=huisvest)
        for m in members:
            m.household = hh
            m.huisvest = huisvest
        if huisvest is not None:
            hh.woningtype = weighted(
                self.rng, [("zelfstandig", 0.8), ("onzelfstandig", 0.12), ("doorstroomlocatie", 0.08)]
            )
        hh.opvang = self.rng.choice(OPVANG[:-1])
        self.households.append(hh)
        return hh

    def _wi2013_adults(self) -> list[Person]:
        out = []
        for dg in (SH, GZ):
            for done, n in ((False, self.plan.wi2013.get(dg, 0)), (True, self.plan.wi2013_done.get(dg, 0))):
                for _ in range(n):
                    p = self.new_person(dg, self.sex(dg), wet="Wi2013")
                    p.in_duo = True
                    p.plicht_eind = dt.date(1, 1, 1) if done else None  # marker, set in finish
                    out.append(p)
        self.others.extend(out)
        return out

    def _place_wi2013(self, wi13: list[Person], counted: list[int]) -> None:
        rng = self.rng
        plan = self.plan
        sh = [p for p in wi13 if p.doelgroep == SH]
        for p in wi13:
            if p.doelgroep == GZ:
                p.permit = rand_date(rng, dt.date(2018, 3, 1), dt.date(2021, 11, 30))
                p.brp = p.permit
        # asiel: housed 2019-I .. 2022-II, weighted to the later years
        weights = {k: w for k, w in enumerate([1, 1, 1, 2, 3, 3, 3, 3, 0, 0, 0, 0])}
        i = 0
        while i < len(sh):
            options = []
            for k, w in weights.items():
                if not w:
                    continue
                room = (plan.housing[k] - counted[k]) if plan.housing is not None else 10
                if room >= 2:
                    options.append((k, w * room))
            if not options:
                raise PlanError(f"{self.g.code}: no room for Wi2013 households")
            k = weighted(rng, options)
            a, b = half_bounds(*HALVES[k])
            h = rand_date(rng, a, b)
            members = [sh[i]]
            if i + 1 < len(sh) and rng.random() < 0.3:
                members.append(sh[i + 1])
            self._household(members, h)
            counted[k] += len(members)
            for m in members:
                m.permit = rand_date(
                    rng, max(dt.date(2018, 1, 15), h - days(420)), min(h, dt.date(2021, 12, 20)) - days(20)
                )
            i += len(members)
        self._counted = counted

    def _fill_children(self) -> None:
        rng = self.rng
        plan = self.plan
        counted = self._counted
        by_half: dict[int, list[Household]] = defaultdict(list)
        for hh in self.households:
            if hh.huisvest is not None and hh.huisvest <= TVS_PEIL:
                by_half[HALVES.index(_half(hh.huisvest))].append(hh)
        targets = list(plan.housing) if plan.housing is not None else None
        if targets is None:
            # derived housing: historic households 2019-2021 and children on top of the adults
            targets = []
            hist = max(6, sum(1 for p in self.persons if p.doelgroep == SH) // 12)
            for k, (y, _) in enumerate(HALVES):
                adults = counted[k]
                if y <= 2021:
                    targets.append(adults + rng.randint(hist, 2 * hist))
                else:
                    targets.append(adults + int(adults * rng.uniform(0.5, 0.9)))
        for k, (y, half) in enumerate(HALVES):
            a, b = half_bounds(y, half)
            b = min(b, TVS_PEIL)
            remaining = targets[k] - counted[k]
            hhs = by_half[k]
            if remaining < 0:
                raise PlanError(f"{self.g.code}: {HALVES[k]} over-full")
            if y <= 2021:
                # historic households (obligations long settled or not in scope of this data)
                want_adults = int(round(0.55 * targets[k])) - sum(
                    sum(1 for m in hh.members if m.adult) for hh in hhs
                )
                while want_adults > 0 and remaining > 0:
                    n_ad = 2 if (want_adults >= 2 and remaining >= 2 and rng.random() < 0.45) else 1
                    members = []
                    for j in range(n_ad):
                        dg = SH
                        q = self.new_person(dg, "M" if j == 0 and rng.random() < 0.6 else self.sex(dg))
                        q.wet = None
                        self.others.append(q)
                        members.append(q)
                    hh = self._household(members, rand_date(rng, a, b))
                    for q in members:
                        q.permit = hh.huisvest - days(rng.randint(40, 300))
                    hhs.append(hh)
                    remaining -= n_ad
                    want_adults -= n_ad
            earlier = [
                h
                for h in self.households
                if h.huisvest is not None and h.huisvest < a - days(90) and y >= 2022 and h.size < 11
            ]
            if remaining > 0 and not hhs:
                raise PlanError(f"{self.g.code}: children but no household in {HALVES[k]}")
            n_nareizigers = sum(1 for _ in range(remaining) if earlier and rng.random() < 0.08)
            for _ in range(n_nareizigers):
                hh = rng.choice(earlier)
                kid = self._kid(hh)
                kid.nareiziger = True
                kid.huisvest = rand_date(rng, a, b)
                kid.koppeldatum = max(hh.huisvest + days(20), kid.huisvest - days(rng.randint(20, 120)))
            self._spread_children(hhs, remaining - n_nareizigers)
            counted[k] = targets[k]
        self._housing_result = targets
        # children of households housed after the TVS peildatum
        for hh in list(self.households):
            if hh.huisvest is not None and hh.huisvest > TVS_PEIL:
                for _ in range(weighted(rng, [(0, 0.5), (1, 0.2), (2, 0.15), (3, 0.1), (5, 0.05)])):
                    self._kid(hh)

    def _kid(self, hh: Household) -> Person:
        kid = self.new_person(SH, self.rng.choice("MV"), adult=False)
        kid.huisvest = hh.huisvest
        kid.household = hh
        hh.members.append(kid)
        self.others.append(kid)
        return kid

    def _spread_children(self, hhs: list[Household], n: int) -> None:
        """Exactly n children over the households: many singles, some large families."""
        rng = self.rng
        if n <= 0:
            return
        one = [(0, 0.55), (1, 0.15), (2, 0.12), (3, 0.1), (4, 0.05), (5, 0.03)]
        two = [
            (0, 0.15),
            (1, 0.15),
            (2, 0.22),
            (3, 0.2),
            (4, 0.12),
            (5, 0.08),
            (6, 0.04),
            (7, 0.02),
            (8, 0.015),
            (9, 0.005),
        ]
        adults = [sum(1 for m in h.members if m.adult) for h in hhs]
        room = [max(0, 11 - h.size) for h in hhs]
        want = [min(room[i], weighted(rng, two if adults[i] >= 2 else one)) for i in range(len(hhs))]
        total = sum(want)
        idx = list(range(len(hhs)))
        while total > n:
            i = rng.choice(idx)
            if want[i] > 0:
                want[i] -= 1
                total -= 1
        families = [i for i in idx if adults[i] >= 2] or idx
        guard = 0
        while total < n:
            i = rng.choice(families if rng.random() < 0.7 else idx)
            if want[i] < room[i]:
                want[i] += 1
                total += 1
            guard += 1
            if guard > 100000:
                raise PlanError(f"{self.g.code}: no room for children")
        for i, h in enumerate(hhs):
            for _ in range(want[i]):
                self._kid(h)

    def _waiting(self) -> None:
        rng = self.rng
        plan = self.plan
        not_yet = sum(hh.size for hh in self.households if hh.huisvest is None or hh.huisvest > TVS_PEIL)
        target = (
            plan.waiting
            if plan.waiting is not None
            else not_yet + rng.randint(5, 30) * (2 if plan.heavy else 1)
        )
        remaining = target - not_yet
        if remaining < 0:
            raise PlanError(f"{self.g.code}: more persons housed after the TVS peildatum than waiting")
        rol = plan.rol_waiting - sum(hh.size for hh in self.households if hh.opvang == "ROL Oegstgeest")
        while remaining > 0:
            size = min(
                remaining,
                weighted(
                    rng,
                    [
                        (1, 0.45),
                        (2, 0.12),
                        (3, 0.1),
                        (4, 0.1),
                        (5, 0.09),
                        (6, 0.06),
                        (7, 0.04),
                        (8, 0.03),
                        (10, 0.01),
                    ],
                ),
            )
            if rol > 0:
                size = min(size, rol)
            n_ad = 1 if size == 1 else (2 if rng.random() < 0.7 else 1)
            members = []
            for j in range(size):
                q = self.new_person(SH, self.sex(SH), adult=j < n_ad)
                self.others.append(q)
                members.append(q)
            hh = self._household(members, None)
            hh.woningtype = None
            if rol > 0:
                hh.opvang = "ROL Oegstgeest"
                rol -= size
            remaining -= size

    def _koppeldata(self) -> None:
        rng = self.rng
        for hh in self.households:
            adults = [m for m in hh.members if m.adult]
            if hh.huisvest is not None:
                y = hh.huisvest.year
                wait = {
                    2019: (40, 160),
                    2020: (50, 200),
                    2021: (60, 240),
                    2022: (60, 260),
                    2023: (120, 420),
                    2024: (200, 700),
                    2025: (250, 720),
                }[y]
                k = hh.huisvest - days(rng.randint(*wait))
                if any(m.wet == "Wi2021" for m in adults):
                    k = max(k, dt.date(2022, 1, 12))
                    k = min(k, hh.huisvest - days(12))
            elif adults and adults[0].early_start:
                k = adults[0].dossier - days(rng.randint(40, 220))
                k = max(k, dt.date(2022, 1, 12))
            else:
                k = rand_date(rng, dt.date(2023, 1, 9), TVS_PEIL - days(8))
            if any(m.wet == "Wi2013" for m in adults):
                k = min(k, hh.huisvest - days(10))
            hh.koppeldatum = k
            for m in hh.members:
                if m.koppeldatum is None:
                    m.koppeldatum = k
                if m.wet == "Wi2021" and m.doelgroep == SH:
                    hi = m.koppeldatum - days(7)
                    lo = max(WI2021, hi - days(60))
                    m.permit = rand_date(rng, lo, hi) if lo <= hi else WI2021
                    if m.early_start:
                        m.brp = m.koppeldatum + days(rng.randint(3, 20))
                        m.brp = min(m.brp, m.dossier - days(1))
                    else:
                        m.brp = min(m.dossier - days(1), m.huisvest + days(rng.randint(0, 10)))
                elif m.huisvest is not None:
                    m.brp = m.huisvest + days(rng.randint(0, 10))
                if m.wet == "Wi2013" and m.permit is not None and m.permit >= k:
                    m.permit = k - days(rng.randint(10, 60))

    def _omkoppelen(self) -> None:
        rng = self.rng
        for van in self.plan.omgekoppeld_van:
            cands = [
                hh
                for hh in self.households
                if hh.koppeldatum
                and hh.koppeldatum >= dt.date(2023, 6, 1)
                and not any(m.extra_koppelingen for m in hh.members)
            ]
            if not cands:
                continue
            hh = rng.choice(cands)
            old = hh.koppeldatum - days(rng.randint(60, 200))
            for m in hh.members:
                m.extra_koppelingen.append(Koppeling(van, old, "omgekoppeld", hh.koppeldatum))
        for _ in range(self.plan.vertrokken):
            q = self.new_person(SH, "M")
            self.others.append(q)
            hh = self._household([q], None)
            hh.woningtype = None
            hh.koppeldatum = rand_date(rng, dt.date(2023, 3, 1), dt.date(2023, 12, 15))
            q.koppeldatum = hh.koppeldatum
            q.vertrokken = True

    # -- 7. herkomst
    def assign_herkomst(self) -> None:
        rng = self.rng
        plan = self.plan
        general_sh = [
            ("Syrië", 34),
            ("Eritrea", 14),
            ("Afghanistan", 10),
            ("Turkije", 9),
            ("Jemen", 5),
            ("Irak", 5),
            ("Iran", 5),
            ("Somalië", 4),
            ("Soedan", 2),
            ("Ethiopië", 1),
        ]
        general_gz = [
            ("Turkije", 10),
            ("Marokko", 9),
            ("India", 8),
            ("Syrië", 6),
            ("Verenigde Staten", 5),
            ("China", 5),
            ("Brazilië", 3),
            ("Filipijnen", 3),
            ("Indonesië", 3),
            ("Suriname", 3),
            ("Rusland", 2),
            ("Verenigd Koninkrijk", 2),
            ("Pakistan", 2),
            ("Egypte", 2),
        ]
        units: list[list[Person]] = []
        seen: set[int] = set()
        for p in self.persons:
            if p.pid in seen:
                continue
            if p.doelgroep == SH and p.household is not None:
                unit = [m for m in p.household.members if m.wet == "Wi2021" and m.dossier_year is not None]
            else:
                unit = [p]
            for m in unit:
                seen.add(m.pid)
            units.append(unit)
        if plan.herkomst:
            self._herkomst_exact(units)
        else:
            for unit in units:
                c = weighted(rng, general_sh if unit[0].doelgroep == SH else general_gz)
                for m in unit:
                    m.herkomstland = c
        for p in self.others:
            hh = p.household
            head = next((m for m in hh.members if m.herkomstland), None) if hh else None
            p.herkomstland = (
                head.herkomstland if head else weighted(rng, general_sh if p.doelgroep == SH else general_gz)
            )
        for hh in self.households:
            country = next((m.herkomstland for m in hh.members if m.wet == "Wi2021"), None) or next(
                (m.herkomstland for m in hh.members if m.herkomstland), None
            )
            if country:
                for m in hh.members:
                    if m.wet != "Wi2021":
                        m.herkomstland = country

    def _herkomst_exact(self, units: list[list[Person]]) -> None:
        """Countries of the 2022-2024 dossiers such that the report's top ten comes out exactly."""
        rng = self.rng
        plan = self.plan
        counted = [u for u in units if u[0].dossier_year in (2022, 2023, 2024)]
        later = [u for u in units if u[0].dossier_year not in (2022, 2023, 2024)]
        # a household is counted per dossier year; split mixed households
        split: list[list[Person]] = []
        for u in counted:
            inside = [m for m in u if m.dossier_year in (2022, 2023, 2024)]
            outside = [m for m in u if m.dossier_year not in (2022, 2023, 2024)]
            split.append(inside)
            if outside:
                later.append(outside)
        remaining = dict(plan.herkomst)
        sh_countries = {"Syrië", "Afghanistan", "Eritrea", "Jemen", "Iran", "Irak", "Turkije", "Somalië"}
        split.sort(key=lambda u: (-len(u), u[0].doelgroep != SH, u[0].pid))
        leftovers: list[list[Person]] = []
        for unit in split:
            dg = unit[0].doelgroep
            options = [
                (c, float(n))
                for c, n in remaining.items()
                if n >= len(unit) and (dg == GZ or c in sh_countries)
            ]
            if options:
                c = weighted(rng, options)
                remaining[c] -= len(unit)
                if remaining[c] == 0:
                    del remaining[c]
                for m in unit:
                    m.herkomstland = c
            else:
                leftovers.append(unit)
        if remaining:
            raise PlanError(f"{self.g.code}: herkomst left over {remaining}")
        limit = min(plan.herkomst.values()) - 1
        other_sh = [
            "Eritrea",
            "Irak",
            "Somalië",
            "Soedan",
            "Ethiopië",
            "Libië",
            "Libanon",
            "Guinee",
            "Congo",
            "Burundi",
            "Oeganda",
            "Nigeria",
            "Kameroen",
            "Georgië",
            "Jordanië",
            "Egypte",
            "Algerije",
            "Tunesië",
            "Sierra Leone",
            "Pakistan",
        ]
        other_gz = [
            "Marokko",
            "Rusland",
            "Brazilië",
            "Filipijnen",
            "Japan",
            "Verenigd Koninkrijk",
            "Indonesië",
            "Colombia",
            "Venezuela",
            "Zuid-Afrika",
            "Ghana",
            "Vietnam",
            "Thailand",
            "Servië",
            "Kenia",
            "Bangladesh",
            "Sri Lanka",
            "Nepal",
            "Mexico",
            "Suriname",
            "Dominicaanse Republiek",
            "Cuba",
            "Peru",
            "Argentinië",
            "Canada",
            "Australië",
            "Zuid-Korea",
            "Armenië",
            "Kazachstan",
            "Oekraïne",
            "Albanië",
            "Kosovo",
            "Chili",
            "Ecuador",
            "Mongolië",
            "Taiwan",
            "Maleisië",
            "Moldavië",
            "Bolivia",
            "Nieuw-Zeeland",
            "Saoedi-Arabië",
            "Singapore",
            "Tanzania",
            "Zambia",
            "Haïti",
        ]
        named = set(plan.herkomst)
        used: dict[str, int] = defaultdict(int)
        for unit in leftovers:
            pool = other_sh + other_gz if unit[0].doelgroep == SH else other_gz + other_sh
            pool = [c for c in pool if c not in named and used[c] + len(unit) <= limit]
            if not pool:
                raise PlanError(f"{self.g.code}: ran out of countries")
            c = pool[0]
            used[c] += len(unit)
            for m in unit:
                m.herkomstland = c
        for unit in later:
            c = rng.choice(
                ["Syrië", "Eritrea", "Afghanistan", "Jemen"]
                if unit[0].doelgroep == SH
                else ["Turkije", "Marokko", "India", "Verenigde Staten"]
            )
            for m in unit:
                m.herkomstland = c

    # -- 8. everything else
    def finish(self) -> None:
        rng = self.rng
        for p in self.persons:
            p.uitvoerder = self.g.uitvoerder
            p.in_dossiers = True
            p.in_duo = True
            lo, hi = BANDS[p.band]
            if p.boundary == "exact27":
                p.geboortedatum = birth_for_age(rng, p.dossier, 27, exact_birthday=True)
            elif p.boundary == "exact50":
                p.geboortedatum = birth_for_age(rng, p.dossier, 50, exact_birthday=True)
            elif p.boundary == "exact18":
                p.geboortedatum = birth_for_age(rng, p.dossier, 18, exact_birthday=True)
            elif p.boundary in ("eve27", "eve50"):
                age = 26 if p.boundary == "eve27" else 49
                # birthday tomorrow: still `age` on the dossier date
                p.geboortedatum = birth_for_age(rng, p.dossier + days(1), age + 1, exact_birthday=True)
            else:
                p.geboortedatum = birth_for_age(rng, p.dossier, rng.randint(lo, hi))
            assert lo <= age_on(p.geboortedatum, p.dossier) <= hi, (p.boundary, p.band)
            p.geboortejaar = p.geboortedatum.year
            if p.doelgroep == SH:
                p.vnummer = "pending"
            p.duo_from = p.brp
        for p in self.others:
            hh = p.household
            ref = (hh.huisvest if hh and hh.huisvest else (hh.koppeldatum if hh else None)) or (
                p.brp or dt.date(2020, 1, 1)
            )
            if not p.adult and p.huisvest:
                ref = p.huisvest  # a nareiziger is a child when housed, years after the household
            if p.adult:
                p.geboortejaar = ref.year - rng.randint(19, 58)
                p.geboortedatum = None
            else:
                p.geboortejaar = ref.year - rng.randint(0, 17)
            if p.doelgroep == SH:
                p.vnummer = "pending"
            if p.wet == "Wi2013":
                p.duo_from = p.brp or p.permit
        self._wi2013_duo()
        self._boundary_check()
        for p in self.persons:
            self._taalles(p)
            self._participatie(p)
            self._voortgang(p)
            self._startklas(p)
            self._duo_extras(p)
        self._uitkomsten()
        self._handhaving()

    def _boundary_check(self) -> None:
        for p in self.persons:
            if p.geboortedatum and p.geboortedatum.month == 2 and p.geboortedatum.day == 29:
                raise PlanError("29 February birth")

    def pick_boundaries(self) -> None:
        """A few ages exactly on a band boundary on the dossier date."""
        rng = self.rng
        wanted = [
            ("27-50", "exact27"),
            ("27-50", "exact27"),
            ("18-27", "eve27"),
            ("50-68", "exact50"),
            ("27-50", "eve50"),
            ("18-27", "exact18"),
        ]
        pool = [p for p in self.persons if p.dossier_year in (2022, 2023, 2024)]
        rng.shuffle(pool)
        for band, kind in wanted:
            for p in pool:
                near_leap_day = (p.dossier.month, p.dossier.day) in ((2, 28), (2, 29), (3, 1))
                if p.band == band and p.boundary is None and not near_leap_day:
                    p.boundary = kind
                    break

    def _wi2013_duo(self) -> None:
        """Loans and termijnen of the Wi2013 persons, with a known number of ELIP cases."""
        rng = self.rng
        peil = dt.date(2024, 8, 1)
        obligated_sh = [
            p for p in self.others if p.wet == "Wi2013" and p.doelgroep == SH and p.plicht_eind is None
        ]
        rng.shuffle(obligated_sh)
        n_elip = self.plan.elip
        for i, p in enumerate(obligated_sh):
            maximaal = 10000.0
            start = p.permit
            p.termijn_start = start
            base_end = start + days(3 * 365)
            if i < n_elip:
                if i % 2 == 0:
                    used = 9500.0 if i == 0 else float(rng.randint(9500, 10000))
                    end = rand_date(rng, max(base_end, peil + days(60)), dt.date(2026, 6, 30))
                else:
                    used = float(rng.randint(7500, 9400))
                    end = rand_date(rng, dt.date(2024, 10, 1), dt.date(2025, 6, 30))
            else:
                if rng.random() < 0.5:
                    used = float(rng.randint(1000, 7400))
                    end = rand_date(rng, max(base_end, peil + days(30)), dt.date(2026, 6, 30))
                else:
                    used = float(rng.randint(7600, 9400))
                    end = rand_date(rng, dt.date(2025, 10, 1), dt.date(2026, 9, 30))
            p.termijn_eind = end
            p.verlenging = "PERSOONLIJKE_OMSTANDIGHEDEN" if end > base_end else None
            later = min(maximaal, used + float(rng.choice([0, 0, 250, 600, 900])))
            p.lening = (maximaal, used, later)
            if rng.random() < 0.12:
                p.plicht_eind = rand_date(rng, dt.date(2024, 9, 1), dt.date(2025, 2, 10))
        for p in self.others:
            if p.wet != "Wi2013":
                continue
            if p.doelgroep == GZ and p.lening is None:
                used = float(rng.choice([rng.randint(0, 7000), rng.randint(9500, 10000)]))
                p.termijn_start = p.permit
                p.termijn_eind = rand_date(rng, dt.date(2024, 9, 1), dt.date(2026, 3, 31))
                p.lening = (10000.0, used, used)
            if p.plicht_eind == dt.date(1, 1, 1):  # obligation ended before 2024-08-01
                p.termijn_start = p.permit
                p.termijn_eind = p.permit + days(3 * 365)
                p.plicht_eind = rand_date(
                    rng, max(p.permit + days(400), dt.date(2021, 6, 1)), dt.date(2024, 6, 30)
                )
                used = 9900.0 if p.doelgroep == SH else float(rng.randint(3000, 9000))
                p.lening = (10000.0, used, used)
                p.examens = [
                    (p.plicht_eind - days(20), o, "A2", "Geslaagd") for o in ("KNM", "LE", "LU", "SC", "SP")
                ]

    def _taalles(self, p: Person) -> None:
        """Weekly attendance per route period, stored compactly: one byte per week (0 = absent)."""
        rng = self.rng
        rand = rng.random
        for r in p.routes:
            stop = min(r.end or PEIL, PEIL)
            if p.uitstroom:
                stop = min(stop, p.uitstroom)
            first = monday_on_or_after(r.start)
            weeks = (stop - _FOUR - first).days // 7 + 1
            if weeks <= 0:
                continue
            if r.leerroute in ("Z", "Z-A2"):
                codes, attend = (HOURS_CODE[12.0], HOURS_CODE[10.5], HOURS_CODE[9.0]), 0.8
            elif r.leerroute == "OND":
                codes, attend = (HOURS_CODE[12.0], HOURS_CODE[12.0], HOURS_CODE[14.0]), 0.9
            else:
                codes, attend = (HOURS_CODE[9.0], HOURS_CODE[9.0], HOURS_CODE[10.5], HOURS_CODE[12.0]), 0.86
            full = rng.choice(codes)
            short = full - 1  # three hours less
            cut = 0.8 * attend
            week_codes = bytearray(weeks)
            for i in range(weeks):
                x = rand()
                if x < attend:
                    week_codes[i] = full if x < cut else short
            p.taalles.append((first, bytes(week_codes), r.aanbieder))

    def _participatie(self, p: Person) -> None:
        rng = self.rng
        if p.doelgroep != SH:
            return
        for r in p.routes:
            if r.leerroute not in ("Z", "Z-A2"):
                continue
            if self.g.uitvoerder == LV:
                first = max(r.start + days(30), dt.date(2024, 7, 1))  # LV took charge in summer 2024
                aanbieder = "Foxtaal"
            else:
                first = r.start + days(60)
                aanbieder = "NewBees" if self.g.uitvoerder == LEIDEN else "Participatiebureau"
            month = dt.date(first.year, first.month, 1)
            stop = min(r.end or PEIL, PEIL)
            while add_months(month, 1) - days(1) <= stop:
                end = add_months(month, 1) - days(1)
                if rng.random() < 0.85:
                    p.activities.append(
                        Activity("PARTICIPATIE", month, end, float(rng.randint(16, 44)), aanbieder)
                    )
                month = add_months(month, 1)

    def _voortgang(self, p: Person) -> None:
        rng = self.rng
        if p.pip_duo is None:
            return
        start = p.pip_duo + days(1)
        stop = min(p.uitstroom or PEIL, PEIL)
        d = start + days(rng.randint(50, 110))
        n = 0
        who = consulent(self.uitvoerder_naam)
        while d <= stop:
            p.activities.append(Activity("VOORTGANGSGESPREK", d, d, 1.0, who))
            n += 1
            if n == 1 and rng.random() < 0.15:
                d += days(rng.randint(380, 460))  # the second talk comes too late
            else:
                d += days(rng.randint(90, 200))

    def _startklas(self, p: Person) -> None:
        if self.g.uitvoerder != LV or p.doelgroep != SH or p.brp is None or p.brp < dt.date(2024, 1, 1):
            return
        starts = [
            dt.date(2024, 1, 15),
            dt.date(2024, 3, 4),
            dt.date(2024, 4, 22),
            dt.date(2024, 6, 10),
            dt.date(2024, 9, 2),
            dt.date(2024, 10, 21),
            dt.date(2025, 1, 13),
        ]
        nxt = next((s for s in starts if s >= p.brp), None)
        if nxt is None or self.rng.random() < 0.15:
            return
        end = nxt + days(41)
        if end > PEIL:
            return
        p.startklas = True
        p.activities.append(Activity("STARTKLAS", nxt, end, 48.0, "Echt Nederlands"))

    def _duo_extras(self, p: Person) -> None:
        rng = self.rng
        if p.pip_duo:
            p.termijn_start = p.pip_duo + days(1)
            p.termijn_eind = p.termijn_start + days(3 * 365 - 1)
        if p.lbt:
            route = p.routes[0].leerroute if p.routes else "B1"
            ok = route in ("B1", "A2", "OND")
            needed = "50,00"
            score = (
                f"{rng.randint(51, 95) if ok else rng.randint(10, 49)},{rng.choice(['00', '25', '50', '75'])}"
            )
            p.lbt_result = ("B1-route haalbaar" if ok else "B1-route niet haalbaar", score, needed)
        if p.reden == "diploma" and p.uitstroom:
            niveau = "A2" if p.routes and p.routes[-1].leerroute == "A2" else "B1"
            for i, o in enumerate(("KNM", "LE", "LU", "SC", "SP")):
                p.examens.append((p.uitstroom - days(15 + 9 * i), o, niveau, "Geslaagd"))
        elif p.routes and p.routes[0].leerroute in ("B1", "A2") and rng.random() < 0.2:
            d = p.routes[0].start + days(rng.randint(200, 400))
            if d < PEIL - days(5) and (p.uitstroom is None or d < p.uitstroom):
                p.examens.append((d, "KNM", "A2", rng.choice(["Geslaagd", "Geslaagd", "Gezakt"])))
        if p.reden in ("diploma", "certificaat", "ontheffing", "vertrokken", "overleden"):
            p.plicht_eind = p.uitstroom

    def _uitkomsten(self) -> None:
        rng = self.rng
        targets = self.plan.uitkomsten
        if targets is None:
            return
        pool = [p for p in self.persons if p.doelgroep == SH and p.dossier <= dt.date(2024, 6, 30)]
        rng.shuffle(pool)
        hours = {
            "BETAALD_WERK": (16, 38),
            "VRIJWILLIGERSWERK": (4, 12),
            "LEERWERKTRAJECT": (20, 32),
            "OPLEIDING": (12, 24),
        }
        i = 0
        for soort, n in targets.items():
            for _ in range(n):
                if i >= len(pool):
                    raise PlanError("not enough persons for uitkomsten")
                p = pool[i]
                i += 1
                lo = p.dossier + days(120)
                hi = dt.date(2024, 12, 31)
                if p.uitstroom:
                    hi = min(hi, p.uitstroom)
                if lo > hi:
                    lo = hi
                start = rand_date(rng, lo, hi)
                end = start + days(rng.randint(90, 500)) if rng.random() < 0.5 else None
                p.uitkomsten.append(Uitkomst(soort, start, end, float(rng.randint(*hours[soort]))))

    def _handhaving(self) -> None:
        rng = self.rng
        g = self.g
        pool = [p for p in self.persons if p.intake and p.intake >= dt.date(2023, 1, 1)]
        rng.shuffle(pool)
        if self.plan.heavy or g.uitvoerder not in (LV, LEIDEN):
            # a gemeente that does enforce: the legal ladder, within the limits
            for p in pool[: max(1, len(pool) // 25)]:
                d = p.intake - days(rng.randint(20, 40))
                p.handhaving.append(Maatregel(d, "WAARSCHUWING", None, "BREDE_INTAKE", False))
                if rng.random() < 0.5:
                    p.handhaving.append(
                        Maatregel(d + days(14), "BOETE", 250.0, "BREDE_INTAKE", rng.random() < 0.5)
                    )
            for p in pool[len(pool) // 25 : len(pool) // 25 + max(1, len(pool) // 20)]:
                if not p.pip_duo:
                    continue
                grounds = ["PVT", "MAP"] + (["LEERROUTE"] if p.doelgroep == SH else [])
                d = p.pip_duo + days(rng.randint(60, 200))
                for _ in range(rng.randint(1, 4)):
                    if d >= PEIL:
                        break
                    p.handhaving.append(Maatregel(d, "BOETE", 50.0, rng.choice(grounds), rng.random() < 0.6))
                    d += days(rng.randint(30, 90))
            return
        # LV: warnings only until its enforcement policy was ready; Leiden: no fines (report §5)
        for p in pool[:4]:
            p.handhaving.append(
                Maatregel(p.intake - days(rng.randint(15, 40)), "WAARSCHUWING", None, "BREDE_INTAKE", False)
            )
        if g.uitvoerder == LV:
            fined = [
                p
                for p in self.persons
                if p.pip_duo and p.routes and p.routes[0].start < dt.date(2024, 6, 1) and p.uitstroom is None
            ]
            rng.shuffle(fined)
            for p in fined[:2]:
                ground = "LEERROUTE" if p.doelgroep == SH else "PVT"
                p.handhaving.append(
                    Maatregel(
                        rand_date(rng, dt.date(2025, 1, 6), dt.date(2025, 2, 14)),
                        "BOETE",
                        50.0,
                        ground,
                        rng.random() < 0.5,
                    )
                )

    # -- run
    def build(self) -> None:
        self.make_dossier_persons()
        self.match_slots()
        self.assign_dates()
        self.pick_boundaries()
        self.assign_pips()
        self.assign_pvt_map()
        self.make_households()
        self.assign_herkomst()
        self.finish()


def _half(d: dt.date) -> tuple[int, int]:
    return (d.year, 1 if d.month <= 6 else 2)


def _count_by_half(households: list[Household]) -> list[int]:
    out = [0] * len(HALVES)
    for hh in households:
        for m in hh.members:
            if m.huisvest is not None and dt.date(2019, 1, 1) <= m.huisvest <= TVS_PEIL:
                out[HALVES.index(_half(m.huisvest))] += 1
    return out


def build(plan: Plan, seed: int, uitvoerder_naam: str, attempts: int = 60, after=None) -> Builder:
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
