"""The persons of a woongemeente: the dossier persons the plan's cells ask for,
their birth dates (a few exactly on an age-band boundary), V-nummers to be
handed out, and countries of origin (households share one)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from .model import GZ, SH, Persoon
from .plans import PlanError
from .util import age_on, birth_for_age, days, weighted

if TYPE_CHECKING:
    from .population import Builder

BANDS = {"18-27": (18, 26), "27-50": (27, 49), "50-68": (50, 67)}

#: countries of origin of statushouders (weights), where the plan names none
HERKOMST_SH = [
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

#: countries of origin of gezinsmigranten (weights), where the plan names none
HERKOMST_GZ = [
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

#: countries outside the report's top ten, for the dossiers left over (statushouders first)
OVERIGE_LANDEN_SH = [
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

#: the same for gezinsmigranten
OVERIGE_LANDEN_GZ = [
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


def make_dossierpersonen(builder: Builder) -> None:
    unrouted = dict(builder.plan.unrouted)
    for (dg, year, sex, band), n in builder.plan.cells.items():
        for _ in range(n):
            p = builder.new_persoon(dg, sex, wet="Wi2021", dossier_year=year, band=band)
            if unrouted.get((dg, year), 0) > 0 and band == "27-50":
                unrouted[(dg, year)] -= 1
                p.unrouted = True
            builder.personen.append(p)
    if any(unrouted.values()):
        raise AssertionError(f"unrouted dossiers not found: {unrouted}")
    for dg, n in builder.plan.extra_2025.items():
        for _ in range(n):
            band = weighted(builder.rng, [("18-27", 0.3), ("27-50", 0.6), ("50-68", 0.1)])
            builder.personen.append(
                builder.new_persoon(dg, builder.draw_geslacht(dg), wet="Wi2021", dossier_year=2025, band=band)
            )


def pick_grensleeftijden(builder: Builder) -> None:
    """A few ages exactly on a band boundary on the dossier date."""
    rng = builder.rng
    wanted = [
        ("27-50", "exact27"),
        ("27-50", "exact27"),
        ("18-27", "eve27"),
        ("50-68", "exact50"),
        ("27-50", "eve50"),
        ("18-27", "exact18"),
    ]
    pool = [p for p in builder.personen if p.dossier_year in (2022, 2023, 2024)]
    rng.shuffle(pool)
    for band, kind in wanted:
        for p in pool:
            near_leap_day = (p.dossier.month, p.dossier.day) in ((2, 28), (2, 29), (3, 1))
            if p.band == band and p.boundary is None and not near_leap_day:
                p.boundary = kind
                break


def assign_geboortedata(builder: Builder) -> None:
    """Birth dates (birth years for everyone else), uitvoerder and V-nummers still to hand out."""
    rng = builder.rng
    for p in builder.personen:
        p.uitvoerder = builder.g.uitvoerder
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
    for p in builder.overigen:
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


def check_geboortedata(builder: Builder) -> None:
    """No dossier person is born on 29 February (a rebuild with the next seed if one is)."""
    for p in builder.personen:
        if p.geboortedatum and p.geboortedatum.month == 2 and p.geboortedatum.day == 29:
            raise PlanError("29 February birth")


def assign_herkomst(builder: Builder) -> None:
    rng = builder.rng
    plan = builder.plan
    units: list[list[Persoon]] = []
    seen: set[int] = set()
    for p in builder.personen:
        if p.pid in seen:
            continue
        if p.doelgroep == SH and p.household is not None:
            unit = [m for m in p.household.leden if m.wet == "Wi2021" and m.dossier_year is not None]
        else:
            unit = [p]
        for m in unit:
            seen.add(m.pid)
        units.append(unit)
    if plan.herkomst:
        _assign_herkomst_exact(builder, units)
    else:
        for unit in units:
            c = weighted(rng, HERKOMST_SH if unit[0].doelgroep == SH else HERKOMST_GZ)
            for m in unit:
                m.herkomstland = c
    for p in builder.overigen:
        hh = p.household
        head = next((m for m in hh.leden if m.herkomstland), None) if hh else None
        p.herkomstland = (
            head.herkomstland if head else weighted(rng, HERKOMST_SH if p.doelgroep == SH else HERKOMST_GZ)
        )
    for hh in builder.huishoudens:
        country = next((m.herkomstland for m in hh.leden if m.wet == "Wi2021"), None) or next(
            (m.herkomstland for m in hh.leden if m.herkomstland), None
        )
        if country:
            for m in hh.leden:
                if m.wet != "Wi2021":
                    m.herkomstland = country


def _assign_herkomst_exact(builder: Builder, units: list[list[Persoon]]) -> None:
    """Countries of the 2022-2024 dossiers such that the report's top ten comes out exactly."""
    rng = builder.rng
    plan = builder.plan
    counted = [u for u in units if u[0].dossier_year in (2022, 2023, 2024)]
    later = [u for u in units if u[0].dossier_year not in (2022, 2023, 2024)]
    # a household is counted per dossier year; split mixed households
    split: list[list[Persoon]] = []
    for u in counted:
        inside = [m for m in u if m.dossier_year in (2022, 2023, 2024)]
        outside = [m for m in u if m.dossier_year not in (2022, 2023, 2024)]
        split.append(inside)
        if outside:
            later.append(outside)
    remaining = dict(plan.herkomst)
    sh_countries = {"Syrië", "Afghanistan", "Eritrea", "Jemen", "Iran", "Irak", "Turkije", "Somalië"}
    split.sort(key=lambda u: (-len(u), u[0].doelgroep != SH, u[0].pid))
    leftovers: list[list[Persoon]] = []
    for unit in split:
        dg = unit[0].doelgroep
        options = [
            (c, float(n)) for c, n in remaining.items() if n >= len(unit) and (dg == GZ or c in sh_countries)
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
        raise PlanError(f"{builder.g.code}: herkomst left over {remaining}")
    limit = min(plan.herkomst.values()) - 1
    named = set(plan.herkomst)
    used: dict[str, int] = defaultdict(int)
    for unit in leftovers:
        pool = (
            OVERIGE_LANDEN_SH + OVERIGE_LANDEN_GZ
            if unit[0].doelgroep == SH
            else OVERIGE_LANDEN_GZ + OVERIGE_LANDEN_SH
        )
        pool = [c for c in pool if c not in named and used[c] + len(unit) <= limit]
        if not pool:
            raise PlanError(f"{builder.g.code}: ran out of countries")
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
