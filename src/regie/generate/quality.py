"""Planted faults.

Two kinds:
- rejects: extra rows the contract says must be rejected (bad BSN, impossible
  date, unknown code, decimal point, broken JSON). They are additions; no figure
  depends on them.
- quality problems: valid rows that a registration-quality check should flag.
  They are placed on Leiden's own inburgeraars, who appear in none of the
  report's tables. Most change the person; a value no consistent person can
  have (a date after the delivery, a PIP before the BRP registration, 2400
  hours, a second open dossier) is a ``Patch`` to the person's row in the last
  delivery only.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import normen
from .duo import duo_persons, person_json
from .model import GZ, SH, Maatregel, Person, RoutePeriod
from .population import PEIL, Builder, PlanError
from .util import add_months, days, nl_amount, nl_date, nl_hours

CHECKS = (
    "brp_zonder_pip",  # BRP-registered more than 10 weeks before the delivery, no PIP
    "pip_zonder_leerroute",  # PIP set, no leerroute at all
    "leerroute_zonder_taalaanbieder",
    "zroute_zonder_participatie",  # on the Z-route, no participation/PVT/MAP hours
    "uitstroom_zonder_reden",
    "gehuisvest_zonder_dossier",  # adult statushouder housed > 8 weeks ago, no municipal dossier
    "duo_combinatie_ongeldig",  # DUO PIP with A2 + onderwijsroute or B1 + Z-route
    "leerroute_afwijkend_van_duo",  # municipal route differs from DUO's PIP leerroute
    "meerdere_open_leerroutes",
    "datum_in_toekomst",  # a date after the delivery date
    "pip_voor_brp",
    "uren_buiten_bereik",  # hours outside 0-2000
    "boete_boven_maximum",  # also: PVT/MAP fines above EUR 800 within 365 days, not within a calendar year
    "boete_leerroute_gezinsmigrant",  # a LEERROUTE fine for a gezinsmigrant
    "meerdere_open_dossiers",
    "gerealiseerd_wijkt_af_van_tvs",  # published gerealiseerd differs from the persons housed in the TVS
)

#: the klantnummer of the planted second dossier
TWEEDE_DOSSIER = "K0546-99002"


@dataclass(eq=False)
class Patch:
    """A planted change to one row of a person in the last delivery of ``kind``.

    The first row of the person that ``match`` accepts gets ``changes`` (column -> text); with
    ``copy`` the changed row is written as an extra row right after it instead."""

    kind: str  # dossiers | activiteiten | handhaving
    changes: dict[int, str]
    match: Callable[[list[str]], bool] = field(default=lambda row: True)
    copy: bool = False


def apply_patches(
    kind: str, tagged: list[tuple[object, list[str]]], persons: list[Person]
) -> list[tuple[object, list[str]]]:
    """The rows with the planted patches of ``kind`` applied; a patched row is tagged with its Patch."""
    patches = {
        p.klantnummer: [q for q in p.patches if q.kind == kind]
        for p in persons
        if p.patches and p.klantnummer
    }
    out: list[tuple[object, list[str]]] = []
    for tag, row in tagged:
        todo = patches.get(row[0], [])
        hit = next((q for q in todo if q.match(row)), None)
        if hit is None:
            out.append((tag, row))
            continue
        todo.remove(hit)
        new = list(row)
        for col, value in hit.changes.items():
            new[col] = value
        out.extend([(tag, row), (hit, new)] if hit.copy else [(hit, new)])
    left = [q for qs in patches.values() for q in qs]
    if left:
        raise PlanError(f"planted {kind} patch matched no row: {left}")
    return out


def plant_quality(b: Builder, seed: int) -> list[tuple[str, Person, str, object]]:
    """Mutate Leiden's people; returns (check, person, file kind, row tag) per planted case."""
    rng = random.Random(f"{seed}:quality")
    out: list[tuple[str, Person, str, object]] = []
    used: set[int] = set()

    def take(cands: list[Person], what: str) -> Person:
        cands = [p for p in cands if p.pid not in used]
        if not cands:
            raise PlanError(f"no Leiden person for {what}")
        p = cands[rng.randrange(len(cands))] if len(cands) > 1 else cands[0]
        used.add(p.pid)
        return p

    unrouted = sorted((p for p in b.persons if p.unrouted), key=lambda p: p.pid)
    sh_un = [p for p in unrouted if p.doelgroep == SH]
    gz_un = [p for p in unrouted if p.doelgroep == GZ]

    # a housed adult statushouder for whom no dossier was ever opened
    p = take(
        [q for q in sh_un if q.huisvest and q.huisvest <= dt.date(2024, 8, 31)], "housed without dossier"
    )
    p.in_dossiers = False
    p.activities, p.taalles, p.handhaving, p.uitkomsten = [], [], [], []
    p.pip = p.pip_duo = None
    p.termijn_start = p.termijn_eind = None
    out.append(("gehuisvest_zonder_dossier", p, "koppelingen", p))

    for q in sh_un + gz_un:
        if q.pid in used:
            continue
        if q.brp is None or q.brp > PEIL - days(90) or q.pip is not None:
            raise PlanError("unrouted Leiden dossier unfit for a planted case")
    p = take(gz_un, "pip zonder leerroute")
    p.pip = min(p.dossier + days(45), PEIL - days(100))
    p.pip = max(p.pip, p.intake)
    p.pip_duo = p.pip
    p.termijn_start = p.pip + days(1)
    p.termijn_eind = p.termijn_start + days(3 * 365 - 1)
    out.append(("pip_zonder_leerroute", p, "dossiers", p))
    for q in sh_un + gz_un:
        if q.pid not in used:
            used.add(q.pid)
            out.append(("brp_zonder_pip", q, "dossiers", q))

    routed = [q for q in b.persons if q.routes and q.in_dossiers and q.gemeente == b.g.code]
    single_open = [
        q
        for q in routed
        if len(q.routes) == 1
        and q.routes[0].end is None
        and q.uitstroom is None
        and q.routes[0].start <= dt.date(2024, 6, 1)
    ]

    p = take(single_open, "zonder taalaanbieder")
    p.routes[0].aanbieder = None
    p.taalles = [(w, codes, None) for w, codes, _ in p.taalles]
    out.append(("leerroute_zonder_taalaanbieder", p, "leerroutes", (p, 0)))

    p = take([q for q in single_open if q.doelgroep == SH and q.routes[0].leerroute == "Z"], "Z zonder uren")
    p.activities = [a for a in p.activities if a.soort not in ("PARTICIPATIE", "PVT", "MAP")]
    out.append(("zroute_zonder_participatie", p, "leerroutes", (p, 0)))

    p = take([q for q in routed if q.uitstroom is not None and q.reden], "uitstroom zonder reden")
    p.reden = None
    out.append(("uitstroom_zonder_reden", p, "dossiers", p))

    p = take([q for q in single_open if q.routes[0].leerroute == "OND" and q.pip_duo], "O met A2")
    p.duo_route_override = ("O", "A2")
    out.append(("duo_combinatie_ongeldig", p, "duo", p))
    p = take([q for q in single_open if q.routes[0].leerroute == "Z" and q.pip_duo], "Z met B1")
    p.duo_route_override = ("Z", "B1")
    out.append(("duo_combinatie_ongeldig", p, "duo", p))

    p = take([q for q in single_open if q.routes[0].leerroute == "B1" and q.pip_duo], "afwijkend")
    p.duo_route_override = ("Z", None)
    out.append(("leerroute_afwijkend_van_duo", p, "leerroutes", (p, 0)))

    p = take(
        [
            q
            for q in single_open
            if q.routes[0].leerroute == "B1" and q.routes[0].start + days(130) <= PEIL - days(10)
        ],
        "twee open routes",
    )
    second = p.routes[0].start + days(rng.randint(100, 130))
    p.routes.append(RoutePeriod("OND", second, None, "Hogeschool Leiden"))
    out.append(("meerdere_open_leerroutes", p, "leerroutes", (p, 1)))
    if p.pip_duo:
        # the later open route is the route in force (macro leerroute_in_kracht_rang, as the
        # marts count it): OND, where DUO's PIP says B1
        out.append(("leerroute_afwijkend_van_duo", p, "leerroutes", (p, 1)))

    # values no consistent person has: patched into the person's row of the last delivery
    last = dt.date(2025, 2, 25)
    p = take([q for q in routed if q.lbt is not None and q.lbt <= dt.date(2024, 12, 31)], "toekomst")
    typo = dt.date(2026, p.lbt.month, min(p.lbt.day, 28))  # the year mistyped
    p.patches.append(Patch("dossiers", {11: nl_date(typo)}))
    out.append(("datum_in_toekomst", p, "dossiers", p.patches[-1]))

    p = take([q for q in routed if q.pip and q.brp and q.pip <= last and q.uitstroom is None], "pip voor brp")
    p.patches.append(Patch("dossiers", {12: nl_date(p.brp - days(14))}))
    out.append(("pip_voor_brp", p, "dossiers", p.patches[-1]))

    def participatie(row: list[str]) -> bool:
        return row[1] == "PARTICIPATIE" and row[4] != ""

    p = take(
        [
            q
            for q in routed
            if any(a.soort == "PARTICIPATIE" and a.uren and a.start <= last for a in q.activities)
        ],
        "2400 uren",
    )
    p.patches.append(Patch("activiteiten", {4: nl_hours(2400)}, participatie))
    out.append(("uren_buiten_bereik", p, "activiteiten", p.patches[-1]))

    # Leiden fines nobody (report section 5): a warning at the brede intake becomes a fine above EUR 250
    def brede_intake_waarschuwing(row: list[str]) -> bool:
        return row[2] == "WAARSCHUWING" and row[4] == "BREDE_INTAKE"

    p = take(
        [
            q
            for q in routed
            if any(
                m.maatregel == "WAARSCHUWING" and m.grond == "BREDE_INTAKE" and m.datum <= last
                for m in q.handhaving
            )
        ],
        "boete brede intake",
    )
    p.patches.append(Patch("handhaving", {2: "BOETE", 3: nl_amount(300)}, brede_intake_waarschuwing))
    out.append(("boete_boven_maximum", p, "handhaving", p.patches[-1]))

    # the EUR 800 are over any 365 days: 17 fines of EUR 50 on the PVT from November 2023 to
    # February 2024 (9 in 2023, 8 in 2024: each calendar year stays below the maximum)
    p = take(
        [
            q
            for q in routed
            if q.doelgroep == SH
            and not q.handhaving
            and q.pip_duo is not None
            and q.pip_duo <= dt.date(2023, 9, 1)
            and (q.uitstroom is None or q.uitstroom > dt.date(2024, 3, 31))
        ],
        "boetes over de jaargrens",
    )
    eerste = dt.date(2023, 11, 6)
    for i in range(17):
        p.handhaving.append(Maatregel(eerste + days(7 * i), "BOETE", 50.0, "PVT", False))
    laatste = nl_date(eerste + days(7 * 16))
    p.patches.append(Patch("handhaving", {}, lambda row, d=laatste: row[1] == d and row[4] == "PVT"))
    out.append(("boete_boven_maximum", p, "handhaving", p.patches[-1]))

    # a gezinsmigrant fined for the leerroute (only asielstatushouders can be)
    p = take(
        [
            q
            for q in routed
            if q.doelgroep == GZ
            and not q.handhaving
            and q.pip_duo is not None
            and q.pip_duo <= dt.date(2024, 6, 1)
            and (q.uitstroom is None or q.uitstroom > dt.date(2024, 9, 30))
        ],
        "leerrouteboete gezinsmigrant",
    )
    p.handhaving.append(Maatregel(dt.date(2024, 9, 2), "BOETE", 50.0, "LEERROUTE", False))
    p.patches.append(Patch("handhaving", {}, lambda row: row[4] == "LEERROUTE"))
    out.append(("boete_leerroute_gezinsmigrant", p, "handhaving", p.patches[-1]))

    # a second open dossier: opened recently, for a person whose PIP is recent too (no other check fires)
    recent = last - days(60)
    p = take(
        [
            q
            for q in routed
            if q.uitstroom is None
            and q.pip
            and recent <= q.pip <= last
            and (q.pip_duo is None or recent <= q.pip_duo)
        ],
        "tweede open dossier",
    )
    p.patches.append(Patch("dossiers", {0: TWEEDE_DOSSIER, 8: nl_date(last - days(20))}, copy=True))
    out.append(("meerdere_open_dossiers", p, "dossiers", p.patches[-1]))
    return out


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


def duo_findings(persons: list[Person], d: dt.date) -> list[tuple[str, Person, str, str]]:
    """(check, person, gemeentecode, reden) for the lines of DUO's delivery of d a check flags."""
    out = []
    # regie judges only the gemeenten it serves: not DUO's gemeente of a person who moved away
    bediend = {q.gemeente for q in persons}
    for p in duo_persons(persons, d):
        obj = person_json(p, d)
        if termijn_zonder_resultaat(obj, d) and "GM" + obj["gemeentecode"] in bediend:
            out.append(("termijn_bijna_om_zonder_resultaat", p, "GM" + obj["gemeentecode"], REDEN_TERMIJN))
    return out


def te_weinig_voortgang(p: Person, d: dt.date) -> bool:
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
        1 for a in p.activities if a.soort == "VOORTGANGSGESPREK" and start <= a.start < eind and a.start <= d
    )
    return gesprekken < VOORTGANG_MINIMUM


def duo_pip(p: Person, d: dt.date) -> dt.date | None:
    """The PIP date DUO's delivery of d shows for p (see duo.person_json)."""
    if not (p.in_duo and p.duo_from is not None and p.duo_from <= d and p.bsn):
        return None
    return p.pip_duo if p.pip_duo is not None and p.pip_duo <= d and p.routes else None


def report_findings(persons: list[Person], d: dt.date) -> list[tuple[str, Person, str]]:
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
