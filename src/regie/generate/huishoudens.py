"""Households and koppelingen: who is housed together and when, the Wi2013 and
historic households that fill the published half years, children and
nareizigers, the households still waiting, koppeldata, omkoppelingen and
departures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from .model import GZ, SH, Huishouden, Koppeling, Persoon
from .peildata import HALVES, TVS_PEIL, WI2021, count_by_half, half_of
from .plans import PlanError
from .util import days, half_bounds, rand_date, weighted

if TYPE_CHECKING:
    from .population import Builder

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


def make_huishoudens(builder: Builder) -> None:
    rng = builder.rng
    plan = builder.plan
    housed_sh = [p for p in builder.personen if p.doelgroep == SH and p.huisvest is not None]
    by_key: dict[object, list[Persoon]] = defaultdict(list)
    for p in housed_sh:
        key = HALVES.index(half_of(p.huisvest)) if p.huisvest <= TVS_PEIL else "late"
        by_key[key].append(p)
    for key in sorted(by_key, key=str):
        members = sorted(by_key[key], key=lambda q: (q.huisvest, q.pid))
        i = 0
        while i < len(members):
            a = members[i]
            hh = new_huishouden(builder, [a], a.huisvest)
            if i + 1 < len(members):
                b = members[i + 1]
                if (b.huisvest - a.huisvest).days <= 40 and b.geslacht != a.geslacht and rng.random() < 0.35:
                    hh.leden.append(b)
                    b.household = hh
                    b.huisvest = hh.huisvest
                    i += 1
            i += 1
    for p in builder.personen:
        if p.doelgroep == SH and p.early_start and p.huisvest is None:
            hh = new_huishouden(builder, [p], None)
            hh.opvang = "ROL Oegstgeest"
    # Wi2013 asielstatushouders and adults housed before the Wi2021 era
    wi13 = _make_wi2013_volwassenen(builder)
    counted = count_by_half(builder.huishoudens)
    if plan.housing is not None:
        for k in range(len(HALVES)):
            if counted[k] > plan.housing[k]:
                raise PlanError(f"{builder.g.code}: too many adults in {HALVES[k]}")
    _house_wi2013(builder, wi13, counted)
    _add_kinderen(builder)
    _add_wachtenden(builder)
    _assign_koppeldata(builder)
    _add_omkoppelingen(builder)


def new_huishouden(builder: Builder, members: list[Persoon], huisvest: dt.date | None) -> Huishouden:
    hh = Huishouden(hid="", gemeente=builder.g.code, leden=list(members), huisvest=huisvest)
    for m in members:
        m.household = hh
        m.huisvest = huisvest
    if huisvest is not None:
        hh.woningtype = weighted(
            builder.rng, [("zelfstandig", 0.8), ("onzelfstandig", 0.12), ("doorstroomlocatie", 0.08)]
        )
    hh.opvang = builder.rng.choice(OPVANG[:-1])
    builder.huishoudens.append(hh)
    return hh


def _make_wi2013_volwassenen(builder: Builder) -> list[Persoon]:
    out = []
    for dg in (SH, GZ):
        for done, n in ((False, builder.plan.wi2013.get(dg, 0)), (True, builder.plan.wi2013_done.get(dg, 0))):
            for _ in range(n):
                p = builder.new_persoon(dg, builder.draw_geslacht(dg), wet="Wi2013")
                p.in_duo = True
                p.plicht_eind = dt.date(1, 1, 1) if done else None  # marker, set in finish
                out.append(p)
    builder.overigen.extend(out)
    return out


def _house_wi2013(builder: Builder, wi13: list[Persoon], counted: list[int]) -> None:
    rng = builder.rng
    plan = builder.plan
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
            raise PlanError(f"{builder.g.code}: no room for Wi2013 households")
        k = weighted(rng, options)
        a, b = half_bounds(*HALVES[k])
        h = rand_date(rng, a, b)
        members = [sh[i]]
        if i + 1 < len(sh) and rng.random() < 0.3:
            members.append(sh[i + 1])
        new_huishouden(builder, members, h)
        counted[k] += len(members)
        for m in members:
            m.permit = rand_date(
                rng, max(dt.date(2018, 1, 15), h - days(420)), min(h, dt.date(2021, 12, 20)) - days(20)
            )
        i += len(members)
    builder.counted = counted


def _add_kinderen(builder: Builder) -> None:
    rng = builder.rng
    plan = builder.plan
    counted = builder.counted
    by_half: dict[int, list[Huishouden]] = defaultdict(list)
    for hh in builder.huishoudens:
        if hh.huisvest is not None and hh.huisvest <= TVS_PEIL:
            by_half[HALVES.index(half_of(hh.huisvest))].append(hh)
    targets = list(plan.housing) if plan.housing is not None else None
    if targets is None:
        # derived housing: historic households 2019-2021 and children on top of the adults
        targets = []
        hist = max(6, sum(1 for p in builder.personen if p.doelgroep == SH) // 12)
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
            raise PlanError(f"{builder.g.code}: {HALVES[k]} over-full")
        if y <= 2021:
            # historic households (obligations long settled or not in scope of this data)
            want_adults = int(round(0.55 * targets[k])) - sum(
                sum(1 for m in hh.leden if m.adult) for hh in hhs
            )
            while want_adults > 0 and remaining > 0:
                n_ad = 2 if (want_adults >= 2 and remaining >= 2 and rng.random() < 0.45) else 1
                members = []
                for j in range(n_ad):
                    dg = SH
                    q = builder.new_persoon(
                        dg, "M" if j == 0 and rng.random() < 0.6 else builder.draw_geslacht(dg)
                    )
                    q.wet = None
                    builder.overigen.append(q)
                    members.append(q)
                hh = new_huishouden(builder, members, rand_date(rng, a, b))
                for q in members:
                    q.permit = hh.huisvest - days(rng.randint(40, 300))
                hhs.append(hh)
                remaining -= n_ad
                want_adults -= n_ad
        earlier = [
            h
            for h in builder.huishoudens
            if h.huisvest is not None and h.huisvest < a - days(90) and y >= 2022 and h.size < 11
        ]
        if remaining > 0 and not hhs:
            raise PlanError(f"{builder.g.code}: children but no household in {HALVES[k]}")
        n_nareizigers = sum(1 for _ in range(remaining) if earlier and rng.random() < 0.08)
        for _ in range(n_nareizigers):
            hh = rng.choice(earlier)
            kid = _add_kind(builder, hh)
            kid.nareiziger = True
            kid.huisvest = rand_date(rng, a, b)
            kid.koppeldatum = max(hh.huisvest + days(20), kid.huisvest - days(rng.randint(20, 120)))
        _spread_kinderen(builder, hhs, remaining - n_nareizigers)
        counted[k] = targets[k]
    builder.housing_result = targets
    # children of households housed after the TVS peildatum
    for hh in list(builder.huishoudens):
        if hh.huisvest is not None and hh.huisvest > TVS_PEIL:
            for _ in range(weighted(rng, [(0, 0.5), (1, 0.2), (2, 0.15), (3, 0.1), (5, 0.05)])):
                _add_kind(builder, hh)


def _add_kind(builder: Builder, hh: Huishouden) -> Persoon:
    kid = builder.new_persoon(SH, builder.rng.choice("MV"), adult=False)
    kid.huisvest = hh.huisvest
    kid.household = hh
    hh.leden.append(kid)
    builder.overigen.append(kid)
    return kid


def _spread_kinderen(builder: Builder, hhs: list[Huishouden], n: int) -> None:
    """Exactly n children over the households: many singles, some large families."""
    rng = builder.rng
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
    adults = [sum(1 for m in h.leden if m.adult) for h in hhs]
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
            raise PlanError(f"{builder.g.code}: no room for children")
    for i, h in enumerate(hhs):
        for _ in range(want[i]):
            _add_kind(builder, h)


def _add_wachtenden(builder: Builder) -> None:
    rng = builder.rng
    plan = builder.plan
    not_yet = sum(hh.size for hh in builder.huishoudens if hh.huisvest is None or hh.huisvest > TVS_PEIL)
    target = (
        plan.waiting if plan.waiting is not None else not_yet + rng.randint(5, 30) * (2 if plan.heavy else 1)
    )
    remaining = target - not_yet
    if remaining < 0:
        raise PlanError(f"{builder.g.code}: more persons housed after the TVS peildatum than waiting")
    rol = plan.rol_waiting - sum(hh.size for hh in builder.huishoudens if hh.opvang == "ROL Oegstgeest")
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
            q = builder.new_persoon(SH, builder.draw_geslacht(SH), adult=j < n_ad)
            builder.overigen.append(q)
            members.append(q)
        hh = new_huishouden(builder, members, None)
        hh.woningtype = None
        if rol > 0:
            hh.opvang = "ROL Oegstgeest"
            rol -= size
        remaining -= size


def _assign_koppeldata(builder: Builder) -> None:
    rng = builder.rng
    for hh in builder.huishoudens:
        adults = [m for m in hh.leden if m.adult]
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
        for m in hh.leden:
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


def _add_omkoppelingen(builder: Builder) -> None:
    rng = builder.rng
    for van in builder.plan.omgekoppeld_van:
        cands = [
            hh
            for hh in builder.huishoudens
            if hh.koppeldatum
            and hh.koppeldatum >= dt.date(2023, 6, 1)
            and not any(m.extra_koppelingen for m in hh.leden)
        ]
        if not cands:
            continue
        hh = rng.choice(cands)
        old = hh.koppeldatum - days(rng.randint(60, 200))
        for m in hh.leden:
            m.extra_koppelingen.append(Koppeling(van, old, "omgekoppeld", hh.koppeldatum))
    for _ in range(builder.plan.vertrokken):
        q = builder.new_persoon(SH, "M")
        builder.overigen.append(q)
        hh = new_huishouden(builder, [q], None)
        hh.woningtype = None
        hh.koppeldatum = rand_date(rng, dt.date(2023, 3, 1), dt.date(2023, 12, 15))
        q.koppeldatum = hh.koppeldatum
        q.vertrokken = True
