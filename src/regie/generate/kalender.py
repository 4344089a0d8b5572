"""Dates of the dossier persons: dossier, housing within the published capacity, and PIPs.

Every function takes the ``Builder`` of one woongemeente and draws from its
random generator, in the order ``Builder.build`` calls them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .gemeenten import LV
from .leerroutes import assign_route_dates, route_window
from .model import GZ, SH, Persoon
from .peildata import HALVES, PEIL, PIP_CUTOFF, TVS_PEIL, half_of
from .plans import PlanError
from .util import clamp, days, half_bounds, rand_date, weighted

if TYPE_CHECKING:
    from .population import Builder


def dossier_window(builder: Builder, p: Persoon) -> tuple[dt.date, dt.date]:
    y = p.dossier_year
    lo = max(dt.date(y, 1, 1), builder.plan.dossier_from)
    hi = min(dt.date(y, 12, 31), builder.plan.dossier_cutoff)
    if y == 2025:
        lo, hi = dt.date(2025, 1, 2), min(hi, PEIL - days(10))
    if p.doelgroep == SH and not p.early_start:
        lo = max(lo, dt.date(2022, 2, 8))
    if p.doelgroep == GZ:
        lo = max(lo, dt.date(2022, 1, 10))
    if p.slot is not None:
        rlo, rhi = route_window(builder, p)
        hi = min(hi, rhi - days(21))
    if lo > hi:
        raise PlanError(f"{builder.g.code}: empty dossier window for person {p.pid}")
    return lo, hi


def pick_dossier_date(builder: Builder, lo: dt.date, hi: dt.date) -> dt.date:
    # most dossiers open before November, leaving room for a PVT/MAP in the same year
    soft = min(hi, dt.date(lo.year, 10, 31))
    if soft >= lo and builder.rng.random() < 0.6:
        return rand_date(builder.rng, lo, soft)
    return rand_date(builder.rng, lo, hi)


def assign_dates(builder: Builder) -> None:
    rng = builder.rng
    plan = builder.plan
    # early starters (ROL): dossier may open before housing
    if plan.early_start:
        cands = [p for p in builder.personen if p.doelgroep == SH and p.dossier_year in (2023, 2024)]
        rng.shuffle(cands)
        for p in cands[: plan.early_start]:
            p.early_start = True
    cap = list(plan.housing) if plan.housing is not None else None
    sh = [p for p in builder.personen if p.doelgroep == SH]
    windows = {p.pid: dossier_window(builder, p) for p in builder.personen}
    rng.shuffle(sh)
    for p in builder.personen:
        if p.doelgroep == GZ:
            lo, hi = windows[p.pid]
            p.dossier = pick_dossier_date(builder, lo, hi)
    for p in sh:
        lo, hi = windows[p.pid]
        if p.early_start:
            p.dossier = pick_dossier_date(builder, lo, hi)
            continue
        if cap is None:
            p.dossier = pick_dossier_date(builder, lo, hi)
            p.huisvest = max(dt.date(2022, 2, 1), p.dossier - days(rng.randint(3, 45)))
            continue
        _place_with_capacity(builder, p, lo, hi, cap)
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
            k = HALVES.index(half_of(h))
            if cap is None or cap[k] > 0:
                if cap is not None:
                    cap[k] -= 1
                p.huisvest = h
                placed = True
                break
        if not placed:
            p.huisvest = None
    builder.capacity_left = cap
    for p in builder.personen:
        assign_route_dates(builder, p)


def _place_with_capacity(builder: Builder, p: Persoon, lo: dt.date, hi: dt.date, cap: list[int]) -> None:
    """Dossier and housing dates such that no half year houses more people than published."""
    rng = builder.rng
    # first the natural way: dossier date, housed a few weeks before it
    for _ in range(12):
        d = pick_dossier_date(builder, lo, hi)
        h = d - days(rng.randint(4, 35))
        if h < dt.date(2022, 2, 1):
            continue
        if h > TVS_PEIL:
            p.dossier, p.huisvest = d, h
            return
        k = HALVES.index(half_of(h))
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
        raise PlanError(f"{builder.g.code}: no housing capacity for person {p.pid}")
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
    raise PlanError(f"{builder.g.code}: could not place person {p.pid}")


def assign_pips(builder: Builder) -> None:
    rng = builder.rng
    plan = builder.plan
    cutoff = PIP_CUTOFF if plan.pip_count is not None else PEIL - days(1)

    def window(p: Persoon, limit: dt.date) -> tuple[dt.date, dt.date] | None:
        lo = max(p.dossier + days(7), p.intake, plan.pip_from)
        hi = limit
        if p.routes:
            hi = min(hi, p.routes[0].start - days(1))
        if p.uitstroom:
            hi = min(hi, p.uitstroom - days(1))
        return (lo, hi) if lo <= hi else None

    route_p = [p for p in builder.personen if p.routes]
    rest = [p for p in builder.personen if not p.routes]
    rng.shuffle(route_p)
    rng.shuffle(rest)
    elig_route = [p for p in route_p if window(p, cutoff)]
    elig_rest = [p for p in rest if window(p, cutoff)]
    if plan.pip_count is not None:
        k = plan.pip_count
        if k > len(elig_route) + len(elig_rest):
            raise PlanError(f"{builder.g.code}: only {len(elig_route) + len(elig_rest)} can have a PIP")
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
        if builder.g.uitvoerder == LV and rng.random() < 0.1:
            p.pip_duo = max(p.intake, p.pip - days(rng.randint(5, 20)))
    chosen_ids = {p.pid for p in chosen}
    for p in route_p:
        if p.pid not in chosen_ids:
            # DUO knows the PIP even where the gemeente's own registration lacks it
            w = window(p, PEIL - days(1))
            if w is None:
                raise PlanError(f"{builder.g.code}: no PIP date possible for {p.pid}")
            p.pip_duo = rand_date(rng, *w)
