"""Taakstelling balances, money (financien, SPUK) and the provincial interventieladder."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from . import report as R
from .gemeenten import LEIDEN, LV, OEGSTGEEST, VOORSCHOTEN, WASSENAAR, Gemeente
from .model import GZ, SH
from .peildata import HALVES, TVS_PEIL
from .report_financien import FINANCIEN, SPUK_BATEN
from .util import days, half_bounds, iso_date, nl_amount, nl_date, rand_date

if TYPE_CHECKING:
    from .population import Builder


# ----------------------------------------------------------------------------- taakstelling
class Balance:
    """Published half-year balance of one gemeente (what COA's TVS shows)."""

    def __init__(self, g: Gemeente, start: int, halves: list[tuple[int, int]], corrections: dict) -> None:
        self.g = g
        self.rows = []
        stand = start
        for (y, h), (taak, ger) in zip(HALVES, halves, strict=True):
            begin = stand + corrections.get((y, h), 0)
            self.rows.append(((y, h), begin, taak, ger))
            stand = begin + taak - ger

    def csv_rows(self, d: dt.date) -> list[list[str]]:
        out = []
        for (y, h), begin, taak, ger in self.rows:
            a, b = half_bounds(y, h)
            if a > d:
                continue
            peil = min(b, TVS_PEIL, d)
            out.append(
                [
                    self.g.code,
                    self.g.naam,
                    f"{y}-{'I' if h == 1 else 'II'}",
                    str(begin),
                    str(taak),
                    str(ger),
                    nl_date(peil),
                ]
            )
        return out


def report_balance(g: Gemeente) -> Balance:
    t = R.TAAKSTELLING[g.code]
    return Balance(g, t["start"], t["halves"], t["corrections"])


def synthetic_balance(g: Gemeente, housed: list[int], rng: random.Random) -> Balance:
    """Taakstelling a bit above what was housed, rising in 2023-2024 (as everywhere)."""
    halves = []
    for (y, _h), ger in zip(HALVES, housed, strict=True):
        factor = rng.uniform(0.85, 1.15) if y <= 2022 else rng.uniform(1.2, 1.7)
        halves.append((max(1, int(round(ger * factor)) + rng.randint(0, 3)), ger))
    return Balance(g, rng.randint(-8, 15), halves, {})


# ----------------------------------------------------------------------------- financien
def financien_rows(g: Gemeente, rng: random.Random, scale: float = 1.0) -> list[list[str]]:
    rows = []
    code = g.code
    if code in FINANCIEN:
        thousands = code in (LV, OEGSTGEEST)
        for post, years in FINANCIEN[code].items():
            richting = "BATE" if post in ("GEMEENTEFONDS", "OVERIG") else "LAST"
            for jaar, (bedrag, soort) in sorted(years.items()):
                rows.append([code, str(jaar), richting, post, soort, nl_amount(bedrag, thousands=thousands)])
        return rows
    base = 120000 * scale
    posts = {
        "LEERROUTES": 0.45,
        "MAATSCHAPPELIJKE_BEGELEIDING": 0.2,
        "PVT": 0.03,
        "MAP": 0.05,
        "PARTICIPATIECOMPONENT": 0.07,
        "TOLKEN": 0.02,
        "FORMATIE": 0.5,
    }
    for jaar in range(2022, 2027):
        soort = "REALISATIE" if jaar <= 2023 else "BEGROTING"
        growth = {2022: 0.6, 2023: 1.0, 2024: 1.5, 2025: 1.4, 2026: 1.3}[jaar]
        for post, share in posts.items():
            rows.append(
                [
                    code,
                    str(jaar),
                    "LAST",
                    post,
                    soort,
                    nl_amount(round(base * share * growth * rng.uniform(0.8, 1.2), 2)),
                ]
            )
        rows.append(
            [
                code,
                str(jaar),
                "BATE",
                "GEMEENTEFONDS",
                soort,
                nl_amount(round(base * 0.9 * rng.uniform(0.9, 1.1), 2)),
            ]
        )
        if rng.random() < 0.5:
            rows.append([code, str(jaar), "BATE", "OVERIG", soort, nl_amount(round(base * 0.05, 2))])
    return rows


# ----------------------------------------------------------------------------- SPUK
# Provisional amounts for 2022 and 2023 (before the definitive decision); ours, not the report's.
_VOORLOPIG_FACTOR = {
    2022: {LV: 1.06, VOORSCHOTEN: 1.12, WASSENAAR: 1.21, OEGSTGEEST: 1.04},
    2023: {LV: 1.09, VOORSCHOTEN: 1.07, WASSENAAR: 1.15, OEGSTGEEST: 1.03},
}


def _split(total: int) -> list[tuple[str, int]]:
    g10 = round(total * 0.82)
    g13 = round(total * 0.12)
    return [("G10", g10), ("G13", g13), ("A38", total - g10 - g13)]


def spuk_rows(g: Gemeente, rng: random.Random, scale: float = 1.0) -> list[list[str]]:
    """gemeentecode written as the bare four digits (normalised on ingest)."""
    code = g.duo_code
    rows = []
    amounts = SPUK_BATEN.get(g.code)
    if amounts is None:
        base = 200000 * scale
        amounts = {
            2022: int(base * 0.5 * rng.uniform(0.9, 1.1)),
            2023: int(base * rng.uniform(0.9, 1.1)),
            2024: int(base * 1.8 * rng.uniform(0.9, 1.1)),
            2025: int(base * 1.7 * rng.uniform(0.9, 1.1)),
        }
    for jaar in (2022, 2023, 2024, 2025):
        total = amounts[jaar]
        if jaar <= 2023:
            factor = _VOORLOPIG_FACTOR[jaar].get(g.code, 1.05)
            voorlopig = int(round(total * factor))
            for regeling, amount in _split(voorlopig):
                rows.append(
                    [
                        code,
                        str(jaar),
                        regeling,
                        "VOORLOPIG",
                        nl_amount(amount),
                        iso_date(dt.date(jaar, 2, 15)),
                    ]
                )
            for regeling, amount in _split(total):
                rows.append(
                    [
                        code,
                        str(jaar),
                        regeling,
                        "DEFINITIEF",
                        nl_amount(amount),
                        iso_date(dt.date(jaar + 1, 7, 1)),
                    ]
                )
        else:
            for regeling, amount in _split(total):
                rows.append(
                    [
                        code,
                        str(jaar),
                        regeling,
                        "VOORLOPIG",
                        nl_amount(amount),
                        iso_date(dt.date(jaar - 1, 12, 13) if jaar == 2025 else dt.date(jaar, 2, 15)),
                    ]
                )
    return rows


# ----------------------------------------------------------------------------- interventieladder
LADDER: dict[str, list[tuple[dt.date, str, str]]] = {
    LV: [
        (dt.date(2023, 4, 3), "1", "achterstand taakstelling gesignaleerd"),
        (dt.date(2024, 3, 18), "2a", "ambtelijk gesprek met de provincie"),
        (dt.date(2024, 9, 16), "2b", "achterstand loopt op; ambtelijk gesprek met de provincie"),
        (dt.date(2025, 1, 15), "3", "plan van aanpak gevraagd"),
    ],
    VOORSCHOTEN: [
        (dt.date(2023, 10, 2), "1", "achterstand taakstelling gesignaleerd"),
        (dt.date(2024, 4, 9), "3", "raad geïnformeerd over interbestuurlijk toezicht; plan van aanpak"),
        (dt.date(2025, 1, 13), "4", "vooraankondiging interventie, trede 4 per januari 2025"),
    ],
    WASSENAAR: [
        (dt.date(2024, 7, 1), "1", "eerste achterstand sinds 2019"),
        (dt.date(2025, 1, 15), "2a", "ambtelijk plan om de achterstand in te halen"),
    ],
    OEGSTGEEST: [
        (dt.date(2023, 11, 1), "2a", "ambtelijk overleg met de provincie"),
        (dt.date(2024, 4, 15), "3", "plan van aanpak op verzoek van de provincie"),
        (dt.date(2024, 9, 2), "4", "vooraankondiging interventie"),
    ],
    LEIDEN: [(dt.date(2024, 5, 6), "1", "achterstand taakstelling gesignaleerd")],
}


def ladder_steps(g: Gemeente, rng: random.Random) -> list[tuple[dt.date, str, str]]:
    steps = LADDER.get(g.code)
    if steps is None:
        steps = [
            (dt.date(2024, rng.randint(2, 9), 1), rng.choice(["1", "1", "2a"]), "achterstand gesignaleerd")
        ]
    return steps


def ladder_rows(g: Gemeente, steps: list[tuple[dt.date, str, str]], d: dt.date) -> list[list[str]]:
    return [[g.code, iso_date(when), trede, text] for when, trede, text in steps if when <= d]


# ----------------------------------------------------------------------------- Wi2013 loans
def assign_wi2013_leningen(builder: Builder) -> None:
    """Loans and termijnen of the Wi2013 persons, with a known number of ELIP cases."""
    rng = builder.rng
    peil = dt.date(2024, 8, 1)
    obligated_sh = [
        p for p in builder.overigen if p.wet == "Wi2013" and p.doelgroep == SH and p.plicht_eind is None
    ]
    rng.shuffle(obligated_sh)
    n_elip = builder.plan.elip
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
    for p in builder.overigen:
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
