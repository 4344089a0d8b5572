"""Plans: what each woongemeente's data must add up to.

The four gemeenten of the audit report get plans made from the report's
tables (``report``); Leiden and the load-test gemeenten get plausible
synthetic plans.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import report as R
from .gemeenten import BASE, LEIDEN, LV, OEGSTGEEST, VOORSCHOTEN, WASSENAAR, Gemeente
from .model import GZ, SH, Slot
from .peildata import PEIL, WI2021
from .util import days, weighted


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


BY_CODE = {g.code: g for g in BASE}


def _stand_slots(code: str) -> list[Slot]:
    slots: list[Slot] = []
    for (dg, route), counts in R.LEERROUTE_STAND[code].items():
        for year, n in zip((2022, 2023, 2024, 2025), counts, strict=True):
            slots.extend(Slot(dg, year, [route]) for _ in range(n))
    for dg, van, naar, year in R.SWITCHES.get(code, []):
        if naar is None:
            reden = (
                "on hold: volgt een niet-vrijstellende opleiding"
                if code == OEGSTGEEST
                else "overgestapt; nieuwe leerroute niet geregistreerd"
            )
            slots.append(Slot(dg, year, [van], end_kind="stop", stop_reden=reden))
            continue
        for s in slots:
            if s.doelgroep == dg and s.instroomjaar == year and s.history == [naar] and s.end_kind is None:
                s.history = [van, naar]
                break
        else:
            raise AssertionError(f"no stand slot for switch {code} {dg} {van}->{naar} {year}")
    for dg, out_year, route, reden, instroom in R.UITSTROOM.get(code, []):
        slots.append(Slot(dg, instroom, [route], end_kind="uitstroom", out_year=out_year, reden=reden))
    return slots


def _halves(code: str) -> list[int]:
    return [ger for _, ger in R.TAAKSTELLING[code]["halves"]]


def _achterstand(code: str) -> int:
    y = R.TAAKSTELLING_JAAR[code][2024]
    return y[2] - y[3]


def _year_targets(table: dict[str, dict[str, tuple[int, int, int]]], code: str) -> dict[tuple[str, int], int]:
    out = {}
    for dg, counts in table[code].items():
        for year, n in zip((2022, 2023, 2024), counts, strict=True):
            out[(dg, year)] = n
    return out


def report_plan(code: str) -> Plan:
    g = BY_CODE[code]
    cells: dict[tuple[str, int, str, str], int] = {}
    for (dg, sex, band), counts in R.INSTROOM[code].items():
        for year, n in zip((2022, 2023, 2024), counts, strict=True):
            if n:
                cells[(dg, year, sex, band)] = n
    extra = {LV: {GZ: 8, SH: 4}, VOORSCHOTEN: {GZ: 2, SH: 2}, WASSENAAR: {GZ: 2, SH: 1}}[code]
    return Plan(
        gemeente=g,
        cells=cells,
        slots=_stand_slots(code),
        extra_2025=extra,
        housing=_halves(code),
        waiting=_achterstand(code),
        pip_count=R.PIPS[code],
        pvt=_year_targets(R.PVT, code),
        map=_year_targets(R.MAP, code),
        wi2013=dict(R.WI2013[code]),
        wi2013_done={SH: 3, GZ: 2},
        elip={LV: 8, VOORSCHOTEN: 3, WASSENAAR: 4}[code],
        herkomst=dict(R.HERKOMST[code]),
        uitkomsten=dict(R.UITKOMSTEN_LV) if code == LV else None,
        omgekoppeld_van={LV: [VOORSCHOTEN, VOORSCHOTEN], VOORSCHOTEN: [], WASSENAAR: [LV]}[code],
        vertrokken={LV: 2, VOORSCHOTEN: 0, WASSENAAR: 1}[code],
    )


def oegstgeest_plan(seed: int = 2025) -> Plan:
    """Oegstgeest: 112 inburgeraars (72 asiel, 40 gezin), no breakdown in the report."""
    rng = random.Random(f"{seed}:oegstgeest-cells")
    slots = _stand_slots(OEGSTGEEST)
    cells: dict[tuple[str, int, str, str], int] = {}

    def add(dg: str, year: int) -> None:
        sex = "M" if rng.random() < (0.55 if dg == SH else 0.35) else "V"
        band = weighted(rng, [("18-27", 0.3), ("27-50", 0.6), ("50-68", 0.1)])
        cells[(dg, year, sex, band)] = cells.get((dg, year, sex, band), 0) + 1

    for s in slots:
        add(s.doelgroep, s.instroomjaar)
    for year in (2023, 2024, 2024, 2024, 2024, 2024):  # waiting for a leerroute
        add(GZ, year)
    n = {SH: 0, GZ: 0}
    for (dg, *_), k in cells.items():
        n[dg] += k
    assert n == R.OEGSTGEEST_DOSSIERS, n
    return Plan(
        gemeente=BY_CODE[OEGSTGEEST],
        cells=dict(sorted(cells.items())),
        slots=slots,
        housing=_halves(OEGSTGEEST),
        waiting=_achterstand(OEGSTGEEST),
        pip_count=R.PIPS[OEGSTGEEST],
        pip_from=dt.date(2022, 5, 1),
        route_from=dt.date(2022, 5, 20),
        dossier_from=dt.date(2022, 4, 15),
        dossier_cutoff=dt.date(2024, 10, 31),
        pvt=_year_targets(R.PVT, OEGSTGEEST),
        map=_year_targets(R.MAP, OEGSTGEEST),
        wi2013=dict(R.WI2013[OEGSTGEEST]),
        wi2013_done={SH: 2, GZ: 1},
        elip=2,
        early_start=10,
        early_unhoused=3,
        rol_waiting=7,
        omgekoppeld_van=[LEIDEN],
        vertrokken=1,
    )


SH_ROUTES = [("B1", 0.45), ("Z", 0.27), ("OND", 0.13), ("A2", 0.09), ("Z-A2", 0.06)]
GZ_ROUTES = [("B1", 0.8), ("A2", 0.05), ("Z", 0.08), ("OND", 0.07)]
SWITCH_TO = {"B1": ["OND", "Z", "A2"], "Z": ["B1", "Z-A2"], "OND": ["B1"], "A2": ["B1"], "Z-A2": ["Z"]}
OUT_REDEN_SH = [
    ("diploma", 0.55),
    ("certificaat", 0.1),
    ("verhuisd", 0.2),
    ("vertrokken", 0.05),
    ("ontheffing", 0.08),
    ("overleden", 0.02),
]
OUT_REDEN_GZ = [
    ("diploma", 0.65),
    ("verhuisd", 0.2),
    ("vertrokken", 0.08),
    ("vrijstelling", 0.05),
    ("overig", 0.02),
]


def synthetic_plan(
    g: Gemeente, scale: float, *, seed: str, heavy: bool, unrouted: dict[tuple[str, int], int] | None = None
) -> Plan:
    """A plausible plan for a gemeente outside the report: every dossier gets a leerroute."""
    rng = random.Random(seed)
    per_year = {SH: (0.2, 0.42, 0.38), GZ: (0.25, 0.37, 0.38)}
    totals = {SH: int(scale * rng.uniform(150, 210)), GZ: int(scale * rng.uniform(170, 260))}
    cells: dict[tuple[str, int, str, str], int] = {}
    slots: list[Slot] = []
    for dg in (SH, GZ):
        for year, share in zip((2022, 2023, 2024), per_year[dg], strict=True):
            n = int(round(totals[dg] * share))
            for _ in range(n):
                sex = "M" if rng.random() < (0.55 if dg == SH else 0.35) else "V"
                band = weighted(rng, [("18-27", 0.27), ("27-50", 0.62), ("50-68", 0.11)])
                cells[(dg, year, sex, band)] = cells.get((dg, year, sex, band), 0) + 1
                slots.append(_random_slot(rng, dg, year))
    extra = {SH: max(1, int(scale * 4)), GZ: max(1, int(scale * 6))}
    for dg, n in extra.items():
        for _ in range(n):
            slots.append(_random_slot(rng, dg, 2025))
    for (dg, year), n in (unrouted or {}).items():
        for _ in range(n):
            sex = "M" if dg == SH else "V"
            cells[(dg, year, sex, "27-50")] = cells.get((dg, year, sex, "27-50"), 0) + 1
    n_sh = totals[SH]
    return Plan(
        gemeente=g,
        cells=dict(sorted(cells.items())),
        slots=slots,
        extra_2025=extra,
        wi2013={SH: max(1, int(n_sh * 0.12)), GZ: max(1, int(totals[GZ] * 0.12))},
        wi2013_done={SH: 2, GZ: 1},
        elip=max(1, int(n_sh * 0.03)),
        pip_share=1.0 if not heavy else 0.95,
        pip_without_route=0.0,
        uitkomsten={
            "BETAALD_WERK": max(1, int(n_sh * 0.08)),
            "VRIJWILLIGERSWERK": max(1, int(n_sh * 0.05)),
            "OPLEIDING": max(1, int(n_sh * 0.03)),
        },
        heavy=heavy,
        unrouted=dict(unrouted or {}),
    )


def _random_slot(rng: random.Random, dg: str, year: int) -> Slot:
    route = weighted(rng, SH_ROUTES if dg == SH else GZ_ROUTES)
    instroom = year if (year == 2025 or rng.random() < 0.85) else year + 1
    history = [route]
    if instroom <= 2024 and rng.random() < 0.04:
        history = [route, rng.choice(SWITCH_TO[route])]
    slot = Slot(dg, instroom, history)
    if len(history) == 1 and instroom <= 2023:
        p_out = 0.3 if instroom == 2022 else 0.1
        if rng.random() < p_out:
            slot.end_kind = "uitstroom"
            slot.out_year = rng.choice([2023, 2024]) if instroom == 2022 else 2024
            slot.reden = weighted(rng, OUT_REDEN_SH if dg == SH else OUT_REDEN_GZ)
            if slot.reden == "certificaat" and route not in ("Z", "Z-A2"):
                slot.reden = "diploma"
            if slot.reden == "diploma" and route in ("Z", "Z-A2"):
                slot.reden = "certificaat"
    return slot


def leiden_plan(seed: int = 2025) -> Plan:
    g = BY_CODE[LEIDEN]
    # planted quality cases need dossiers that never get a leerroute (see fouten.py)
    return synthetic_plan(
        g, 1.0, seed=f"{seed}:leiden-plan", heavy=False, unrouted={(SH, 2023): 2, (GZ, 2023): 3}
    )
