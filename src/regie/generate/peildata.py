"""The sample data's calendar: its peildata and the half years the taakstelling counts in."""

from __future__ import annotations

import datetime as dt

from .model import Huishouden

PEIL = dt.date(2025, 2, 25)  # last delivery of gemeenten and DUO; the report's leerroute peildatum
TVS_PEIL = dt.date(2024, 10, 31)  # last COA TVS delivery
PIP_CUTOFF = dt.date(2024, 10, 31)  # report counts PIPs up to November 2024
WI2021 = dt.date(2022, 1, 1)
HALVES = [(y, h) for y in range(2019, 2025) for h in (1, 2)]

# the delivery dates of each source
DUO_DATES = [dt.date(2024, 8, 1), dt.date(2025, 2, 25)]
TVS_DATES = [dt.date(2024, 6, 30), dt.date(2024, 10, 31)]
GEMEENTE_DATES = [dt.date(2024, 6, 30), dt.date(2025, 2, 25)]
RIJK_DATES = [dt.date(2025, 2, 25)]
PROVINCIE_DATES = [dt.date(2024, 11, 1), dt.date(2025, 2, 25)]
BEGELEIDING_DATES = [dt.date(2024, 6, 30), dt.date(2025, 2, 25)]


def half_of(d: dt.date) -> tuple[int, int]:
    return (d.year, 1 if d.month <= 6 else 2)


def count_by_half(households: list[Huishouden]) -> list[int]:
    """Persons housed per half year 2019-I .. 2024-II (up to the TVS peildatum)."""
    out = [0] * len(HALVES)
    for hh in households:
        for m in hh.leden:
            if m.huisvest is not None and dt.date(2019, 1, 1) <= m.huisvest <= TVS_PEIL:
                out[HALVES.index(half_of(m.huisvest))] += 1
    return out
