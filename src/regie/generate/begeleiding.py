"""Maatschappelijke begeleiding: the provider's trajectories per person, and faults planted in them.

VluchtelingenWerk (aanbieder ``VWN``) begeleidt statushouders for 1.5 years after housing
(MAATSCHAPPELIJKE_BEGELEIDING), the gemeente has them financially unburdened for six months
(FINANCIEEL_ONTZORGEN, sometimes extended to nine) and offers the Omgaan met geld training.
The number of persons starting MB per gemeente and year is the report's (tables 8.22, 8.23);
other gemeenten get a share of the persons they housed.

Every trajectory stays within its term except the planted ones (``PLANTED``): an MB or
ontzorgen trajectory beyond its term without status ``verlengd``. Near misses that must stay
silent: a trajectory of exactly the term, and extended ones (``verlengd``) beyond it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from .. import normen
from .model import SH, Persoon
from .report import MB_GESTART, MB_JAREN
from .util import days, nl_date

AANBIEDER = "VWN"
MB, FO, OMG = "MAATSCHAPPELIJKE_BEGELEIDING", "FINANCIEEL_ONTZORGEN", "OMGAAN_MET_GELD"
#: The terms, from seed ref_normen (mb_termijn_dagen, ontzorgen_termijn_dagen).
TERMIJN = {MB: normen.geheel("mb_termijn_dagen"), FO: normen.geheel("ontzorgen_termijn_dagen")}
#: The checks a planted trajectory must trip.
CHECK = {MB: "begeleiding_langer_dan_termijn", FO: "ontzorgen_langer_dan_termijn"}


@dataclass(eq=False)
class Traject:
    person: Persoon
    gemeente: str
    soort: str
    start: dt.date
    end: dt.date | None  # None: still running (never ends within the sample period)
    status: str  # final status: afgerond | afgebroken | verlengd | gestart
    verlengd_tot: dt.date | None = None
    planted: bool = False  # beyond its term without extension: a check must find it

    def row(self, d: dt.date) -> list[str] | None:
        """What the provider's export of date ``d`` shows, or None before the start."""
        if self.start > d:
            return None
        ended = self.end is not None and self.end <= d
        if ended:
            status = self.status
        elif self.status == "verlengd" and self.verlengd_tot and self.start + days(TERMIJN[self.soort]) <= d:
            status = "verlengd"
        else:
            status = "gestart"
        # the provider registers the BSN it knew at the start: before the BRP registration only
        # the V-nummer (the marts link the two through DUO and the TVS)
        bsn = self.person.bsn if self.person.brp is not None and self.person.brp <= self.start else ""
        return [
            self.gemeente,
            bsn,
            self.person.vnummer or "",
            self.soort,
            nl_date(self.start),
            nl_date(self.end) if ended else "",
            status,
            nl_date(self.verlengd_tot) if status == "verlengd" else "",
        ]


def _candidates(persons: list[Persoon], gemeente: str) -> list[Persoon]:
    """Statushouders housed in the gemeente, with a V-nummer, adults first."""
    out = [
        p
        for p in persons
        if p.gemeente == gemeente and p.doelgroep == SH and p.vnummer and p.huisvest is not None
    ]
    return sorted(out, key=lambda p: (not p.adult, p.huisvest, p.pid))


def _starts(
    gemeente: str, persons: list[Persoon], rng: random.Random, last: dt.date
) -> list[tuple[Persoon, dt.date]]:
    """(person, MB start) for every person starting MB: the report's counts where it has them."""
    pool = _candidates(persons, gemeente)
    if gemeente in MB_GESTART:
        per_year = dict(zip(MB_JAREN, MB_GESTART[gemeente], strict=True))
    else:  # about a third of the adults housed per year
        per_year = {}
        for y in MB_JAREN:
            housed = sum(1 for p in pool if p.adult and p.huisvest.year == y)
            per_year[y] = round(housed * 0.35)
    used: set[int] = set()
    out = []
    for y in MB_JAREN:
        # persons housed that year first, then those housed late the year before (start in January)
        ordered = [p for p in pool if p.huisvest.year == y] + [p for p in pool if p.huisvest.year == y - 1]
        ordered += [p for p in pool if p.huisvest.year < y - 1]
        chosen = [p for p in ordered if p.pid not in used][: per_year[y]]
        if len(chosen) < per_year[y]:
            raise AssertionError(
                f"{gemeente}: {len(chosen)} statushouders for {per_year[y]} MB starts in {y}"
            )
        for p in chosen:
            used.add(p.pid)
            start = max(p.huisvest + days(rng.randint(3, 30)), dt.date(y, 1, 2))
            if start.year != y:
                start = dt.date(y, 12, rng.randint(1, 28))
            out.append((p, min(start, last)))
    return out


def trajecten(persons: list[Persoon], gemeenten: list[str], seed: int, last: dt.date) -> list[Traject]:
    """Every trajectory of every gemeente, with the planted faults, ordered as exported."""
    out: list[Traject] = []
    for g in gemeenten:
        rng = random.Random(f"{seed}:{g}:begeleiding")
        for n, (p, start) in enumerate(_starts(g, persons, rng, last)):
            # MB: 1.5 years, sometimes stopped early (moved away, no longer wanted)
            if rng.random() < 0.1:
                end, status = start + days(rng.randint(60, 400)), "afgebroken"
            else:
                end, status = start + days(TERMIJN[MB] - rng.randint(0, 20)), "afgerond"
            out.append(Traject(p, g, MB, start, end if end <= last else None, status))
            if not p.adult:
                continue
            # financieel ontzorgen: six months from the start; one in eight extended to nine
            fo_start = start + days(rng.randint(0, 10))
            if rng.random() < 0.125:
                tot = fo_start + days(274)
                out.append(Traject(p, g, FO, fo_start, tot if tot <= last else None, "verlengd", tot))
            else:
                fo_end = fo_start + days(TERMIJN[FO] - rng.randint(0, 15))
                out.append(Traject(p, g, FO, fo_start, fo_end if fo_end <= last else None, "afgerond"))
            # Omgaan met geld: a training in the first months; many do not finish it
            if n % 2 == 0:
                t0 = fo_start + days(rng.randint(30, 90))
                if t0 <= last:
                    t1 = t0 + days(rng.randint(20, 50))
                    afgebroken = rng.random() < 0.3
                    out.append(
                        Traject(
                            p,
                            g,
                            OMG,
                            t0,
                            t1 if t1 <= last else None,
                            "afgebroken" if afgebroken else "afgerond",
                        )
                    )
    _plant(out, last)
    return sorted(out, key=lambda t: (t.gemeente, t.start, t.soort, t.person.pid))


def _plant(out: list[Traject], last: dt.date) -> None:
    """Faults for the checks, and near misses that must stay silent (see the module docstring)."""
    mb = sorted(
        (t for t in out if t.soort == MB and t.status == "afgerond" and t.end), key=lambda t: t.person.pid
    )
    fo = sorted(
        (t for t in out if t.soort == FO and t.status == "afgerond" and t.end), key=lambda t: t.person.pid
    )
    by_gemeente: dict[str, list[Traject]] = {}
    for t in mb:
        by_gemeente.setdefault(t.gemeente, []).append(t)
    # per gemeente with MB: one ended 40 days beyond the term; one exactly on the term (silent);
    # one extended beyond the term (silent)
    for g in sorted(by_gemeente):
        ts = by_gemeente[g]
        if len(ts) < 4:
            continue
        late, exact, ext = ts[0], ts[1], ts[2]
        late.end = late.start + days(TERMIJN[MB] + 40)
        late.planted = late.end <= last
        if not late.planted:
            late.end = None  # still running at the last delivery: beyond the term anyway
            late.planted = late.start + days(TERMIJN[MB]) < last
        exact.end = exact.start + days(TERMIJN[MB])
        if exact.end > last:
            exact.end = None
        ext.status, ext.verlengd_tot = "verlengd", ext.start + days(TERMIJN[MB] + 180)
        ext.end = ext.verlengd_tot if ext.verlengd_tot <= last else None
    # an MB trajectory still open long after its term (started in 2022, never closed)
    open_ = next(
        (
            t
            for t in mb
            if t.start.year == 2022
            and not t.planted
            and t.status == "afgerond"
            and t.end
            and t.end != t.start + days(TERMIJN[MB])
        ),
        None,
    )
    if open_ is not None:
        open_.end, open_.status, open_.planted = None, "gestart", True
    # ontzorgen: three beyond six months without extension, in three gemeenten
    firsts: dict[str, Traject] = {}
    for t in fo:
        firsts.setdefault(t.gemeente, t)
    for i, t in enumerate(sorted(firsts.values(), key=lambda t: t.person.pid)[:3]):
        t.end = t.start + days(TERMIJN[FO] + 30 + 10 * i)
        t.planted = t.end <= last
        if not t.planted:
            t.end = None
            t.planted = t.start + days(TERMIJN[FO]) < last


def rows(ts: list[Traject], d: dt.date) -> list[tuple[Traject, list[str]]]:
    """The export of date ``d``: every trajectory started by then."""
    out = []
    for t in ts:
        r = t.row(d)
        if r is not None:
            out.append((t, r))
    return out
