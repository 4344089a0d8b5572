"""Activities of the dossier persons: PVT and MAP, weekly language lessons,
participation, voortgangsgesprekken, the startklas, what DUO knows (termijn,
leerbaarheidstoets, exams), uitkomsten and handhaving."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .gemeenten import LEIDEN, LV
from .leerroutes import providers
from .model import GZ, SH, Activiteit, Maatregel, Persoon, Uitkomst
from .peildata import PEIL
from .plans import PlanError
from .util import add_months, days, monday_on_or_after, rand_date

if TYPE_CHECKING:
    from .population import Builder

_FOUR = dt.timedelta(days=4)
# weekly lesson hours are stored as small codes; code c and c - 1 differ by three hours
HOURS = (0.0, 6.0, 9.0, 7.5, 10.5, 9.0, 12.0, 11.0, 14.0)
HOURS_CODE = {9.0: 2, 10.5: 4, 12.0: 6, 14.0: 8}


def consulent(uitvoerder_naam: str) -> str:
    return f"Gemeente {uitvoerder_naam}"


def add_activiteiten(builder: Builder) -> None:
    """Everything each dossier person did after the dossier opened, then uitkomsten and handhaving."""
    for p in builder.personen:
        _add_taalles(builder, p)
        _add_participatie(builder, p)
        _add_voortgangsgesprekken(builder, p)
        _add_startklas(builder, p)
        _add_duo_gegevens(builder, p)
    _add_uitkomsten(builder)
    _add_handhaving(builder)


def _activiteit_window(builder: Builder, p: Persoon, year: int, after: int) -> tuple[dt.date, dt.date] | None:
    lo = max(p.dossier + days(after), dt.date(year, 1, 1))
    hi = min(dt.date(year, 12, 31), PEIL - days(1))
    if p.uitstroom:
        hi = min(hi, p.uitstroom - days(5))
    return (lo, hi) if lo <= hi else None


def _map_allowed(p: Persoon) -> bool:
    return not p.routes or any(r.leerroute != "OND" for r in p.routes)


def assign_pvt_map(builder: Builder) -> None:
    rng = builder.rng
    plan = builder.plan
    prov = providers(builder.g.uitvoerder)
    for kind, targets, after, allowed in (
        ("PVT", plan.pvt, 10, lambda p: True),
        ("MAP", plan.map, 30, _map_allowed),
    ):
        done: set[int] = set()
        if targets is None:
            for p in builder.personen:
                if not allowed(p) or (kind == "MAP" and not p.routes):
                    continue
                if rng.random() < (0.85 if kind == "PVT" else 0.75):
                    base = p.dossier if kind == "PVT" else p.routes[0].start
                    lo = base + days(20 if kind == "PVT" else 60)
                    hi = min(PEIL - days(1), lo + days(300))
                    if p.uitstroom:
                        hi = min(hi, p.uitstroom - days(5))
                    if lo <= hi:
                        _add_pvt_map(builder, p, kind, rand_date(rng, lo, hi), prov)
            continue
        for year in (2022, 2023, 2024):
            for dg in (SH, GZ):
                need = targets.get((dg, year), 0)
                if not need:
                    continue
                cands = []
                for p in builder.personen:
                    if p.doelgroep != dg or p.pid in done or not allowed(p):
                        continue
                    w = _activiteit_window(builder, p, year, after)
                    if w:
                        deadline = p.uitstroom or PEIL
                        cands.append((deadline, rng.random(), p, w))
                if len(cands) < need:
                    raise PlanError(f"{builder.g.code}: {kind} {dg} {year}: {len(cands)} < {need}")
                cands.sort(key=lambda t: (t[0], t[1]))
                for _, _, p, w in cands[:need]:
                    done.add(p.pid)
                    _add_pvt_map(builder, p, kind, rand_date(rng, *w), prov)


def _add_pvt_map(builder: Builder, p: Persoon, kind: str, start: dt.date, prov: dict[str, list[str]]) -> None:
    rng = builder.rng
    if kind == "PVT":
        end = start + days(rng.randint(21, 56))
        uren = float(rng.choice([12, 12, 14, 16]))
        aanbieder = "Gemeente Leiden" if builder.g.uitvoerder == LEIDEN else "VluchtelingenWerk Nederland"
    else:
        end = start + days(rng.randint(60, 200))
        uren = float(rng.choice([40, 40, 44, 48, 56, 64]))
        route = p.route_on(start) or (p.routes[0] if p.routes else None)
        is_z = route is not None and route.leerroute in ("Z", "Z-A2")
        if builder.g.uitvoerder == LEIDEN:
            aanbieder = "NewBees" if is_z else "Gemeente Leiden"
        elif builder.g.uitvoerder == LV:
            aanbieder = "Foxtaal" if is_z else "Echt Nederlands"
        else:
            aanbieder = route.aanbieder if route else rng.choice(prov["B1"])
    if p.uitstroom and end > p.uitstroom:
        end = p.uitstroom
    p.activiteiten.append(Activiteit(kind, start, end, uren, aanbieder))


def _add_taalles(builder: Builder, p: Persoon) -> None:
    """Weekly attendance per route period, stored compactly: one byte per week (0 = absent)."""
    rng = builder.rng
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


def _add_participatie(builder: Builder, p: Persoon) -> None:
    rng = builder.rng
    if p.doelgroep != SH:
        return
    for r in p.routes:
        if r.leerroute not in ("Z", "Z-A2"):
            continue
        if builder.g.uitvoerder == LV:
            first = max(r.start + days(30), dt.date(2024, 7, 1))  # LV took charge in summer 2024
            aanbieder = "Foxtaal"
        else:
            first = r.start + days(60)
            aanbieder = "NewBees" if builder.g.uitvoerder == LEIDEN else "Participatiebureau"
        month = dt.date(first.year, first.month, 1)
        stop = min(r.end or PEIL, PEIL)
        while add_months(month, 1) - days(1) <= stop:
            end = add_months(month, 1) - days(1)
            if rng.random() < 0.85:
                p.activiteiten.append(
                    Activiteit("PARTICIPATIE", month, end, float(rng.randint(16, 44)), aanbieder)
                )
            month = add_months(month, 1)


def _add_voortgangsgesprekken(builder: Builder, p: Persoon) -> None:
    rng = builder.rng
    if p.pip_duo is None:
        return
    start = p.pip_duo + days(1)
    stop = min(p.uitstroom or PEIL, PEIL)
    d = start + days(rng.randint(50, 110))
    n = 0
    who = consulent(builder.uitvoerder_naam)
    while d <= stop:
        p.activiteiten.append(Activiteit("VOORTGANGSGESPREK", d, d, 1.0, who))
        n += 1
        if n == 1 and rng.random() < 0.15:
            d += days(rng.randint(380, 460))  # the second talk comes too late
        else:
            d += days(rng.randint(90, 200))


def _add_startklas(builder: Builder, p: Persoon) -> None:
    if builder.g.uitvoerder != LV or p.doelgroep != SH or p.brp is None or p.brp < dt.date(2024, 1, 1):
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
    if nxt is None or builder.rng.random() < 0.15:
        return
    end = nxt + days(41)
    if end > PEIL:
        return
    p.startklas = True
    p.activiteiten.append(Activiteit("STARTKLAS", nxt, end, 48.0, "Echt Nederlands"))


def _add_duo_gegevens(builder: Builder, p: Persoon) -> None:
    rng = builder.rng
    if p.pip_duo:
        p.termijn_start = p.pip_duo + days(1)
        p.termijn_eind = p.termijn_start + days(3 * 365 - 1)
    if p.lbt:
        route = p.routes[0].leerroute if p.routes else "B1"
        ok = route in ("B1", "A2", "OND")
        needed = "50,00"
        score = f"{rng.randint(51, 95) if ok else rng.randint(10, 49)},{rng.choice(['00', '25', '50', '75'])}"
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


def _add_uitkomsten(builder: Builder) -> None:
    rng = builder.rng
    targets = builder.plan.uitkomsten
    if targets is None:
        return
    pool = [p for p in builder.personen if p.doelgroep == SH and p.dossier <= dt.date(2024, 6, 30)]
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


def _add_handhaving(builder: Builder) -> None:
    rng = builder.rng
    g = builder.g
    pool = [p for p in builder.personen if p.intake and p.intake >= dt.date(2023, 1, 1)]
    rng.shuffle(pool)
    if builder.plan.heavy or g.uitvoerder not in (LV, LEIDEN):
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
            for p in builder.personen
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
