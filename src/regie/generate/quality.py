"""What the registration-quality checks must find in the sample data beyond the
planted faults (``fouten.py``): the records the report's own figures make
suspect, the taakstelling corrections, and the DUO lines a check fires on.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .. import normen
from . import begeleiding as B
from .duo import duo_personen, persoon_json
from .gemeenten import LEIDEN
from .model import Persoon
from .peildata import DUO_DATES, GEMEENTE_DATES
from .util import add_months, days

if TYPE_CHECKING:
    from .population import Builder

#: why a check fires on a record the generator did not plant: the report's own figures
REDEN_PLANTED = "planted"
REDEN_PIP_COUNTS = "report: PIP counts (Wi2021 inburgeraars without a PIP)"
REDEN_ROUTE_TABLES = "report: Oegstgeest has more PIPs than people on a route"
REDEN_PIP_DUO = "report 5.2.1: PIPs known to DUO, not registered in the dossier"
REDEN_CORRECTIE = "report: the five taakstelling corrections (tables 3.2-3.5)"
PIP_TERMIJN = normen.geheel("pip_termijn_dagen")  # days, as regie.quality.gegevens.PIP_TERMIJN_DAGEN
REDEN_VOORTGANG = "sample: the second voortgangsgesprek came after the first 12 months of the termijn"
VOORTGANG_MINIMUM = normen.geheel("voortgangsgesprekken_minimum")
VOORTGANG_MAANDEN = normen.geheel("voortgangsgesprekken_venster_maanden")


REDEN_TERMIJN = "sample: the termijn ends within 6 months, DUO knows no exam or resultaat"
TERMIJN_MAANDEN = normen.geheel("termijn_bijna_verstreken_maanden")


def termijn_zonder_resultaat(obj: dict, d: dt.date) -> bool:
    """Does check termijn_bijna_om_zonder_resultaat fire on this line of DUO's delivery of d?
    (The rule of regie.quality.gegevens, on what the line shows.)"""
    if not obj["inburgeringsplicht"]["indicatorInburgeringsplicht"]:
        return False
    termijn = obj["inburgeringstermijn"]
    if not termijn or not termijn.get("einddatum"):
        return False
    eind = dt.date.fromisoformat(termijn["einddatum"])
    if eind < d or eind > add_months(d, TERMIJN_MAANDEN):
        return False

    def voor(value: str | None) -> bool:
        return value is not None and dt.date.fromisoformat(value) <= d

    if any(voor(x["examendatum"]) for x in obj["examens"]):
        return False
    if obj["zroute"] and voor(obj["zroute"]["datumAfrondingZroute"]):
        return False
    vrij = obj["ontheffingen"] + obj["vrijstellingen"]
    return not any(x["soort"] == "geheel" and voor(x["datumOordeel"]) for x in vrij)


def duo_findings(persons: list[Persoon], d: dt.date) -> list[tuple[str, Persoon, str, str]]:
    """(check, person, gemeentecode, reden) for the lines of DUO's delivery of d a check flags."""
    out = []
    # regie judges only the gemeenten it serves: not DUO's gemeente of a person who moved away
    bediend = {q.gemeente for q in persons}
    for p in duo_personen(persons, d):
        obj = persoon_json(p, d)
        if termijn_zonder_resultaat(obj, d) and "GM" + obj["gemeentecode"] in bediend:
            out.append(("termijn_bijna_om_zonder_resultaat", p, "GM" + obj["gemeentecode"], REDEN_TERMIJN))
    return out


def te_weinig_voortgang(p: Persoon, d: dt.date) -> bool:
    """Does check voortgangsgesprekken_te_weinig fire on p's dossier in the delivery of d? (The
    same rule as regie.quality.gegevens: fewer than 2 talks in the first 12 months of the DUO
    termijn, judged once those months have passed, for a Wi2021 dossier still open then.)"""
    if p.wet != "Wi2021" or p.brp is None or p.brp > d:  # DUO is linked by the dossier's BSN
        return False
    if not (p.in_duo and p.duo_from is not None and p.duo_from <= d and p.bsn):
        return False
    start = p.termijn_start
    if start is None or start > d:
        return False
    eind = add_months(start, VOORTGANG_MAANDEN)
    if eind > d or (p.uitstroom is not None and p.uitstroom <= d and p.uitstroom < eind):
        return False
    gesprekken = sum(
        1
        for a in p.activiteiten
        if a.soort == "VOORTGANGSGESPREK" and start <= a.start < eind and a.start <= d
    )
    return gesprekken < VOORTGANG_MINIMUM


def duo_pip(p: Persoon, d: dt.date) -> dt.date | None:
    """The PIP date DUO's delivery of d shows for p (see duo.persoon_json)."""
    if not (p.in_duo and p.duo_from is not None and p.duo_from <= d and p.bsn):
        return None
    return p.pip_duo if p.pip_duo is not None and p.pip_duo <= d and p.routes else None


def report_findings(persons: list[Persoon], d: dt.date) -> list[tuple[str, Persoon, str]]:
    """(check, person, reden) for the dossier rows of delivery d on which a check fires because the
    report's figures say so; the same rules as the checks, on what the files show."""
    out = []
    for p in persons:
        if not p.in_dossiers or p.dossier > d:
            continue
        if te_weinig_voortgang(p, d) and not any(q.kind == "dossiers" for q in p.patches):
            out.append(("voortgangsgesprekken_te_weinig", p, REDEN_VOORTGANG))
        if p.patches:
            continue
        brp = p.brp if p.brp is not None and p.brp <= d else None
        pip = p.pip if p.pip is not None and p.pip <= d else None
        uit = p.uitstroom if p.uitstroom is not None and p.uitstroom <= d else None
        duo = duo_pip(p, d) if brp is not None else None  # DUO is linked by BSN
        bekend = pip or duo
        if (
            p.wet == "Wi2021"
            and brp is not None
            and (d - brp).days > PIP_TERMIJN
            and (uit is None or uit > brp + days(PIP_TERMIJN))
            and bekend is None
        ):
            out.append(("brp_zonder_pip", p, REDEN_PIP_COUNTS))
        if (
            bekend is not None
            and (d - bekend).days > PIP_TERMIJN
            and uit is None
            and not any(r.start <= d for r in p.routes)
        ):
            out.append(("pip_zonder_leerroute", p, REDEN_ROUTE_TABLES))
        if pip is None and duo is not None:
            out.append(("pip_alleen_bij_duo", p, REDEN_PIP_DUO))
    return out


def correcties(rows: list[list[str]]) -> list[int]:
    """Indexes of the taakstelling rows whose stand_begin does not chain from the half year before."""
    out, vorige = [], {}
    for i, r in enumerate(rows):
        code, begin, taak, ger = r[0], int(r[3]), int(r[4]), int(r[5])
        if code in vorige and vorige[code] != begin:
            out.append(i)
        vorige[code] = begin + taak - ger
    return out


def expected_findings(
    lines: dict[tuple[str, object], tuple[str, int]],
    builders: list[Builder],
    planted_quality: list[tuple[str, Persoon, str, object]],
    trajecten: list[B.Traject],
    persons_all: list[Persoon],
) -> list[dict]:
    """What every check must find: the planted cases, then what follows from the report's figures."""
    found: list[dict] = []

    def finding(check: str, rel_line: tuple[str, int], gemeente: str, reden: str) -> None:
        rel, line = rel_line
        if not any((f["check"], f["path"], f["line"]) == (check, rel, line) for f in found):
            found.append(
                {"check": check, "path": rel, "line": line, "gemeentecode": gemeente, "reden": reden}
            )

    for check, p, kind, tag in planted_quality:
        finding(check, lines[(kind, tag)], p.gemeente, REDEN_PLANTED)
    finding("gerealiseerd_wijkt_af_van_tvs", lines[("taakstelling", LEIDEN)], LEIDEN, REDEN_PLANTED)
    for check, p, reden in report_findings(
        sorted((p for b in builders for p in b.personen), key=lambda p: p.pid), GEMEENTE_DATES[-1]
    ):
        finding(check, lines[("dossiers", p)], p.gemeente, reden)
    for t in trajecten:
        if t.planted:
            finding(B.CHECK[t.soort], lines[("trajecten", t)], t.gemeente, REDEN_PLANTED)
    for check, p, gemeente, reden in duo_findings(persons_all, DUO_DATES[-1]):
        finding(check, lines[("duo", p)], gemeente, reden)
    for (kind, tag), rel_line in lines.items():
        if kind == "taakstelling_correctie":
            finding(kind, rel_line, tag[0], REDEN_CORRECTIE)
    return found
