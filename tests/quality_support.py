"""Small landing zones for the quality tests, loaded through the real ingestion,
and a real SMTP server on localhost.

``scenario()`` writes a landing zone for five gemeenten (Leidschendam-Voorburg
executes for Voorschoten and Wassenaar, Leiden for Oegstgeest) in which every
person is registered correctly except the cases planted for the checks. A case
is named by its klantnummer (``F-<check>...`` must fire, ``S-<check>...`` must
stay silent) or, where the record has no klantnummer, by its kenmerk.
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import json
import socket
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

from regie.ingest.landing import list_files
from regie.ingest.load import Places, load_file, new_files
from regie.pseudonym import load_key
from regie.sources.catalog import FAMILIES, header
from regie.warehouse import connect

D = dt.date
LEVERING = D(2025, 2, 25)  # gemeente and DUO deliveries; the peildatum of the runs
TVS_LEVERING = D(2024, 10, 31)
EERDERE_LEVERING = D(2025, 1, 31)  # a clean delivery before LEVERING (scenario_met_eerdere_levering)
PEILDATUM = LEVERING.isoformat()

UITVOERDER = {
    "GM1916": "GM1916",
    "GM0626": "GM1916",
    "GM0629": "GM1916",
    "GM0546": "GM0546",
    "GM0579": "GM0546",
}
NAMEN = {
    "GM1916": "Leidschendam-Voorburg",
    "GM0626": "Voorschoten",
    "GM0629": "Wassenaar",
    "GM0546": "Leiden",
    "GM0579": "Oegstgeest",
}
ADRES = {code: f"kwaliteit.{naam.lower()}@example.nl" for code, naam in NAMEN.items()}


def elfproef(digits: str) -> bool:
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def bsns():
    n = 990_000_000
    while True:
        n += 1
        s = str(n)
        if elfproef(s):
            yield s


def nl(d: dt.date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else ""


@dataclass
class Route:
    leerroute: str
    start: dt.date
    eind: dt.date | None = None
    taalaanbieder: str | None = "Taalschool Rijnland"


@dataclass
class Activiteit:
    soort: str
    start: dt.date
    eind: dt.date | None
    uren: str
    status: str = "afgerond"


@dataclass
class Persoon:
    """One inburgeraar, registered correctly unless a test says otherwise."""

    klantnummer: str
    gemeente: str
    doelgroep: str = "statushouder"
    wet: str = "Wi2021"
    geboortedatum: dt.date = D(1990, 5, 17)
    datum_dossier: dt.date = D(2023, 2, 20)
    brp: dt.date | None = D(2023, 3, 1)
    intake: dt.date | None = D(2023, 3, 10)
    pip: dt.date | None = D(2023, 4, 20)
    uitstroom: dt.date | None = None
    reden: str | None = None
    routes: list[Route] = field(default_factory=lambda: [Route("B1", D(2023, 5, 1))])
    activiteiten: list[Activiteit] = field(
        default_factory=lambda: [Activiteit("PVT", D(2023, 6, 1), D(2023, 7, 1), "12")]
    )
    handhaving: list[tuple] = field(default_factory=list)  # (datum, maatregel, bedrag, grond)
    duo: bool = True
    duo_wet: str | None = None
    duo_pip: dt.date | None | str = "zelfde"  # "zelfde": the municipal PIP date
    duo_route: tuple[str, str | None] | None = ("B", "B1")
    in_dossiers: bool = True
    huisvesting: dt.date | None = D(2023, 2, 15)
    geboortejaar_tvs: int | None = None
    extra_dossier: bool = False  # a second, open dossier for the same person
    duo_dubbel: bool = False  # DUO delivers the person twice; the earlier line has another route
    bsn: str = ""
    vnummer: str = ""
    #: delivered by another uitvoerder than the woongemeente's (a woongemeente changed by hand)
    uitvoerder: str | None = None
    #: DUO's inburgeringstermijn (start, end); None: DUO delivers no termijn
    termijn: tuple[dt.date, dt.date] | None = None
    #: DUO's exam results: (examendatum, onderdeel, resultaat)
    examens: list[tuple[dt.date, str, str]] = field(default_factory=list)

    @property
    def geleverd_door(self) -> str:
        return self.uitvoerder or UITVOERDER[self.gemeente]


@dataclass
class Scenario:
    root: Path
    personen: list[Persoon]
    identifiers: list[str]
    birth_dates: list[str]
    #: check -> the records it must flag: (gemeentecode, klantnummer or kenmerk)
    moet_vuren: dict[str, set[tuple[str | None, str]]]
    #: check -> records it must leave alone
    moet_zwijgen: dict[str, set[tuple[str | None, str]]]


def _csv(path: Path, header: list[str], rows: list[list], sep: str = ";") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=sep, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


GESPREKKEN_2021 = [
    Activiteit("VOORTGANGSGESPREK", D(2021, 4, 1), D(2021, 4, 1), "1"),
    Activiteit("VOORTGANGSGESPREK", D(2021, 10, 1), D(2021, 10, 1), "1"),
]


def _gesprekken(*datums: dt.date) -> list[Activiteit]:
    return [Activiteit("PVT", D(2023, 6, 1), D(2023, 7, 1), "12")] + [
        Activiteit("VOORTGANGSGESPREK", d, d, "1") for d in datums
    ]


def personen() -> list[Persoon]:
    P = Persoon
    L = LEVERING
    out = [
        # the clean ones, in every gemeente
        *(P(f"OK-{code}-{i}", code) for code in UITVOERDER for i in (1, 2)),
        # --- volledigheid
        # the termijn ends 30 June 2025, within 6 months of the delivery; DUO knows no exam
        P(
            "F-termijn_bijna_om_zonder_resultaat",
            "GM0629",
            termijn=(D(2022, 7, 1), D(2025, 6, 30)),
            activiteiten=_gesprekken(D(2022, 9, 1), D(2023, 3, 1)),
        ),
        # one failed exam is an exam: DUO knows the person is working on it
        P(
            "S-termijn_bijna_om_zonder_resultaat",
            "GM0629",
            termijn=(D(2022, 7, 1), D(2025, 6, 30)),
            activiteiten=_gesprekken(D(2022, 9, 1), D(2023, 3, 1)),
            examens=[(D(2024, 11, 5), "KNM", "Gezakt")],
        ),
        # ends 26 August 2025: more than 6 months after the delivery of 25 February
        P(
            "S-termijn_bijna_om_zonder_resultaat-later",
            "GM0629",
            termijn=(D(2022, 8, 27), D(2025, 8, 26)),
            activiteiten=_gesprekken(D(2022, 9, 1), D(2023, 3, 1)),
        ),
        # termijn from 1 May 2023: the first 12 months ended on 1 May 2024
        P(
            "F-voortgangsgesprekken_te_weinig",
            "GM1916",
            termijn=(D(2023, 5, 1), D(2026, 4, 30)),
            activiteiten=_gesprekken(D(2023, 8, 1), D(2024, 5, 1)),  # the second one day too late
        ),
        P(
            "S-voortgangsgesprekken_te_weinig",
            "GM1916",
            termijn=(D(2023, 5, 1), D(2026, 4, 30)),
            activiteiten=_gesprekken(D(2023, 8, 1), D(2024, 4, 30)),
        ),
        # the first 12 months have not passed yet at the delivery
        P(
            "S-voortgangsgesprekken_te_weinig-lopend",
            "GM0626",
            termijn=(D(2024, 3, 1), D(2027, 2, 28)),
            activiteiten=_gesprekken(),
        ),
        # left before the 12 months were over: nothing more owed
        P(
            "S-voortgangsgesprekken_te_weinig-uitgestroomd",
            "GM0626",
            termijn=(D(2023, 5, 1), D(2026, 4, 30)),
            uitstroom=D(2024, 3, 1),
            reden="verhuisd",
            activiteiten=_gesprekken(D(2023, 8, 1)),
        ),
        # Wi2013 has no such obligation
        P(
            "S-voortgangsgesprekken_te_weinig-wi2013",
            "GM0629",
            wet="Wi2013",
            termijn=(D(2021, 5, 1), D(2024, 4, 30)),
            pip=None,
            routes=[],
            activiteiten=[],
            duo_route=None,
            duo_pip=None,
            duo_wet="Wi2013",
        ),
        P(
            "F-brp_zonder_pip",
            "GM0626",
            brp=L - dt.timedelta(days=100),
            datum_dossier=L - dt.timedelta(days=110),
            intake=None,
            pip=None,
            routes=[],
            activiteiten=[],
            duo_route=None,
            duo_pip=None,
        ),
        P(
            "S-brp_zonder_pip-70dagen",
            "GM0626",
            brp=L - dt.timedelta(days=70),
            datum_dossier=L - dt.timedelta(days=80),
            intake=None,
            pip=None,
            routes=[],
            activiteiten=[],
            duo_route=None,
            duo_pip=None,
        ),
        P(
            "S-brp_zonder_pip-wi2013",
            "GM1916",
            wet="Wi2013",
            pip=None,
            routes=[],
            activiteiten=[],
            duo_route=None,
            duo_pip=None,
            duo_wet="Wi2013",
        ),
        P(
            "S-brp_zonder_pip-vertrokken",
            "GM1916",
            pip=None,
            uitstroom=D(2023, 4, 1),
            reden="verhuisd",
            routes=[],
            activiteiten=[],
            duo_route=None,
            duo_pip=None,
        ),
        P("F-pip_alleen_bij_duo", "GM0629", pip=None, duo_pip=D(2023, 4, 20)),
        # in Leiden's own file, its woongemeente changed to Voorschoten (which LV executes for):
        # it counts for Leiden, who delivered it, and its findings go to Leiden only
        P(
            "V-buiten-uitvoering",
            "GM0626",
            uitvoerder="GM0546",
            doelgroep="gezinsmigrant",
            pip=L - dt.timedelta(days=100),
            routes=[],
            activiteiten=[],
            duo=False,
            huisvesting=None,
        ),
        P(
            "F-pip_zonder_leerroute",
            "GM0579",
            pip=L - dt.timedelta(days=100),
            routes=[],
            activiteiten=[],
            duo_route=None,
            duo_pip=None,
        ),
        P(
            "S-pip_zonder_leerroute-60dagen",
            "GM0579",
            pip=L - dt.timedelta(days=60),
            routes=[],
            activiteiten=[],
            duo_route=None,
            duo_pip=None,
        ),
        P(
            "F-leerroute_zonder_taalaanbieder",
            "GM1916",
            routes=[Route("B1", D(2023, 5, 1), taalaanbieder=None)],
        ),
        P(
            "F-zroute_zonder_participatie",
            "GM0629",
            routes=[Route("Z", L - dt.timedelta(days=300))],
            activiteiten=[],
            duo_route=("Z", None),
        ),
        P(
            "S-zroute_zonder_participatie-gezin",
            "GM0629",
            doelgroep="gezinsmigrant",
            routes=[Route("Z", L - dt.timedelta(days=300))],
            activiteiten=[],
            duo_route=("Z", None),
        ),
        P(
            "S-zroute_zonder_participatie-pas_begonnen",
            "GM0629",
            routes=[Route("Z", L - dt.timedelta(days=100))],
            activiteiten=[],
            duo_route=("Z", None),
        ),
        P(
            "S-zroute_zonder_participatie-pvt",
            "GM0629",
            routes=[Route("Z-A2", L - dt.timedelta(days=300))],
            duo_route=("Z", "A2"),
        ),
        P("F-uitstroom_zonder_reden", "GM0546", uitstroom=D(2024, 9, 1), reden=None),
        P("S-uitstroom_zonder_reden", "GM0546", uitstroom=D(2024, 9, 1), reden="diploma"),
        # --- geldigheid
        P("F-datum_in_toekomst-intake", "GM1916", intake=L + dt.timedelta(days=10)),
        P(
            "F-datum_in_toekomst-activiteit",
            "GM0626",
            activiteiten=[Activiteit("PARTICIPATIE", L + dt.timedelta(days=1), None, "10", "gestart")],
        ),
        P(
            "S-datum_in_toekomst-leverdag",
            "GM0626",
            activiteiten=[Activiteit("PARTICIPATIE", L, None, "10", "gestart")],
        ),
        P("F-pip_voor_brp", "GM0546", brp=D(2023, 3, 1), pip=D(2023, 2, 20), datum_dossier=D(2023, 2, 1)),
        P("S-pip_voor_brp-zelfde_dag", "GM0546", brp=D(2023, 3, 1), pip=D(2023, 3, 1)),
        P(
            "F-uren_buiten_bereik",
            "GM1916",
            activiteiten=[Activiteit("PARTICIPATIE", D(2023, 6, 1), None, "2400")],
        ),
        P(
            "S-uren_buiten_bereik-2000",
            "GM1916",
            activiteiten=[Activiteit("PARTICIPATIE", D(2023, 6, 1), None, "2000")],
        ),
        P(
            "F-boete_boven_maximum-intake",
            "GM1916",
            handhaving=[(D(2023, 3, 20), "BOETE", "300", "BREDE_INTAKE")],
        ),
        P(
            "S-boete_boven_maximum-intake",
            "GM1916",
            handhaving=[(D(2023, 3, 20), "BOETE", "250", "BREDE_INTAKE")],
        ),
        P(
            "F-boete_boven_maximum-per_overtreding",
            "GM0629",
            handhaving=[(D(2024, 1, 10), "BOETE", "75", "LEERROUTE")],
        ),
        P(
            "F-boete_boven_maximum-jaar",
            "GM0546",
            handhaving=[
                (D(2024, 1, 1) + dt.timedelta(days=7 * i), "BOETE", "50", "LEERROUTE") for i in range(17)
            ],
        ),
        P(
            "S-boete_boven_maximum-jaar",
            "GM0546",
            handhaving=[
                (D(2024, 1, 1) + dt.timedelta(days=7 * i), "BOETE", "50", "LEERROUTE") for i in range(16)
            ],
        ),
        # the 800 euro are over any 365 days, not a calendar year: 9 fines in November-December
        # 2023 and 8 in January-February 2024 (each year below 800, together 850)
        P(
            "F-boete_boven_maximum-venster",
            "GM0546",
            handhaving=[(D(2023, 11, 1) + dt.timedelta(days=7 * i), "BOETE", "50", "PVT") for i in range(17)],
        ),
        # 17 fines, 23 days apart: no 365 days hold more than 16 (800)
        P(
            "S-boete_boven_maximum-venster",
            "GM0546",
            handhaving=[(D(2022, 1, 3) + dt.timedelta(days=23 * i), "BOETE", "50", "MAP") for i in range(17)],
        ),
        # 2,400 within the termijn: 49 fines 23 days apart (never more than 800 in 365 days)
        P(
            "F-boete_boven_maximum-termijn",
            "GM1916",
            termijn=(D(2021, 1, 1), D(2024, 6, 30)),
            activiteiten=GESPREKKEN_2021,
            handhaving=[
                (D(2021, 1, 4) + dt.timedelta(days=23 * i), "BOETE", "50", "LEERROUTE") for i in range(49)
            ],
        ),
        # 48 such fines are 2,400 (not above it); one more before the termijn does not count
        P(
            "S-boete_boven_maximum-termijn",
            "GM1916",
            termijn=(D(2021, 1, 1), D(2024, 6, 30)),
            activiteiten=GESPREKKEN_2021,
            handhaving=[(D(2020, 11, 2), "BOETE", "50", "LEERROUTE")]
            + [(D(2021, 1, 4) + dt.timedelta(days=23 * i), "BOETE", "50", "LEERROUTE") for i in range(48)],
        ),
        P(
            "F-boete_leerroute_gezinsmigrant",
            "GM0629",
            doelgroep="gezinsmigrant",
            handhaving=[(D(2024, 2, 5), "BOETE", "50", "LEERROUTE")],
        ),
        # a gezinsmigrant may be fined for the PVT; a statushouder for the leerroute
        P(
            "S-boete_leerroute_gezinsmigrant",
            "GM0629",
            doelgroep="gezinsmigrant",
            handhaving=[(D(2024, 2, 5), "BOETE", "50", "PVT")],
        ),
        P(
            "S-boete_leerroute_gezinsmigrant-statushouder",
            "GM0629",
            handhaving=[(D(2024, 2, 5), "BOETE", "50", "LEERROUTE")],
        ),
        P(
            "F-duo_combinatie_ongeldig-O_A2",
            "GM0579",
            routes=[Route("OND", D(2023, 5, 1))],
            duo_route=("O", "A2"),
        ),
        P(
            "F-duo_combinatie_ongeldig-Z_B1",
            "GM0579",
            routes=[Route("Z", D(2023, 5, 1))],
            duo_route=("Z", "B1"),
        ),
        P(
            "S-duo_combinatie_ongeldig",
            "GM0579",
            routes=[Route("Z-A2", D(2023, 5, 1))],
            duo_route=("Z", "A2"),
        ),
        # DUO delivers this person twice (the earlier line says Z-route): reported, the last line counts
        P("F-duo_persoon_dubbel", "GM0629", duo_dubbel=True),
        P("S-duo_persoon_dubbel", "GM0629"),
        # --- consistentie
        P(
            "F-leerroute_afwijkend_van_duo",
            "GM0626",
            routes=[Route("B1", D(2023, 5, 1))],
            duo_route=("Z", None),
        ),
        P(
            "S-leerroute_afwijkend_van_duo-wissel",
            "GM0626",
            routes=[
                Route("B1", D(2023, 5, 1), D(2023, 12, 31)),
                Route("OND", D(2024, 1, 1), None, "Hogeschool"),
            ],
            duo_route=("O", "B1"),
        ),
        P(
            "S-leerroute_afwijkend_van_duo-A2",
            "GM0626",
            routes=[Route("A2", D(2023, 5, 1))],
            duo_route=("B", "A2"),
        ),
        # --- uniciteit
        P(
            "F-meerdere_open_leerroutes",
            "GM1916",
            # the same route twice: the later one is the route in force (macro leerroute_in_kracht_rang),
            # and it agrees with DUO, so only the second open route is a finding
            routes=[Route("B1", D(2023, 5, 1)), Route("B1", D(2024, 2, 1), None, "Hogeschool")],
        ),
        P("F-meerdere_open_dossiers", "GM0546", extra_dossier=True),
        # --- housing: a housed adult statushouder nobody opened a dossier for, and those who need none
        P("gehuisvest zonder dossier", "GM0629", in_dossiers=False, duo=False, huisvesting=D(2024, 3, 1)),
        P("kind", "GM0629", in_dossiers=False, duo=False, huisvesting=D(2024, 3, 1), geboortejaar_tvs=2015),
        P(
            "pas gehuisvest",
            "GM0629",
            in_dossiers=False,
            duo=False,
            huisvesting=TVS_LEVERING - dt.timedelta(days=30),
        ),
        P("voor 2022 gehuisvest", "GM0629", in_dossiers=False, duo=False, huisvesting=D(2021, 6, 1)),
        P(
            "wi2013 gehuisvest",
            "GM0629",
            in_dossiers=False,
            duo=True,
            duo_wet="Wi2013",
            duo_route=None,
            duo_pip=None,
            huisvesting=D(2024, 3, 1),
        ),
    ]
    return out


def _duo_json(p: Persoon) -> dict:
    pip_date = p.pip if p.duo_pip == "zelfde" else p.duo_pip
    pip = None
    if pip_date is not None and p.duo_route is not None:
        pip = {
            "dagtekeningPip": pip_date.isoformat(),
            "leerroute": p.duo_route[0],
            "niveau": p.duo_route[1],
            "geschatteIntensiteitB1Route": None,
            "indicatorAlfabetiseringsonderwijs": "NVT",
        }
    wet = p.duo_wet or p.wet
    return {
        "bsn": p.bsn,
        "vNummer": int(p.vnummer) if p.vnummer else None,
        "gemeentecode": p.gemeente[2:],
        "wet": wet,
        "inburgeringsplicht": {
            "indicatorInburgeringsplicht": True,
            "begindatum": (p.brp or D(2020, 1, 1)).isoformat(),
            "einddatum": None,
            "datumKennisgevingInburgeringsplicht": None,
            "redenGeenInburgeringsplicht": None,
        },
        "doelgroep": {
            "indeling": "Asielstatushouder"
            if p.doelgroep == "statushouder"
            else "Gezinsmigrant en overige migrant",
            "gedetailleerdeDoelgroep": None,
            "begindatum": None,
        },
        "pip": pip,
        "inburgeringstermijn": None
        if p.termijn is None
        else {
            "startdatum": p.termijn[0].isoformat(),
            "einddatum": p.termijn[1].isoformat(),
            "verlengingsgrondcode": None,
        },
        "leerbaarheidstoets": [],
        "examens": [
            {
                "examendatum": d.isoformat(),
                "onderdeel": o,
                "niveau": "B1",
                "resultaat": r,
                "redenGeenResultaat": None,
            }
            for d, o, r in p.examens
        ],
        "ontheffingen": [],
        "vrijstellingen": [],
        "map": None,
        "pvt": None,
        "zroute": None,
        "lening": None,
    }


def taakstelling_rows(
    personen_: list[Persoon],
    extra: dict[tuple[str, str], int] | None = None,
    correctie: dict[tuple[str, str], int] | None = None,
) -> list[list]:
    """Balances for 2024-I and 2024-II that chain and match the TVS, except where told otherwise."""
    extra, correctie = extra or {}, correctie or {}
    rows = []
    for code, naam in NAMEN.items():
        stand = 10
        for periode, (a, b) in (
            ("2024-I", (D(2024, 1, 1), D(2024, 6, 30))),
            ("2024-II", (D(2024, 7, 1), D(2024, 12, 31))),
        ):
            housed = sum(
                1
                for p in personen_
                if p.gemeente == code
                and p.doelgroep == "statushouder"
                and p.huisvesting
                and a <= p.huisvesting <= b
            )
            housed += extra.get((code, periode), 0)
            stand += correctie.get((code, periode), 0)
            rows.append([code, naam, periode, stand, 5, housed, nl(min(b, TVS_LEVERING))])
            stand = stand + 5 - housed
    return rows


def write_landing(
    root: Path,
    people: list[Persoon],
    levering: dt.date = LEVERING,
    tvs: bool = True,
    gerealiseerd_extra=None,
    correctie=None,
    afwijzingen: bool = True,
) -> None:
    """Write every file of one delivery for ``people`` (plus the TVS and DUO files)."""
    ld = levering.isoformat()
    for uitvoerder in sorted(set(UITVOERDER.values())):
        mine = [p for p in people if p.geleverd_door == uitvoerder and p.in_dossiers]
        base = root / "gemeente" / uitvoerder / ld
        dossiers, routes, acts, fines = [], [], [], []
        for p in mine:
            row = [
                p.klantnummer,
                p.bsn,
                p.gemeente,
                p.doelgroep,
                p.wet,
                "M",
                nl(p.geboortedatum),
                "Syrië",
                nl(p.datum_dossier),
                nl(p.brp),
                nl(p.intake),
                "",
                nl(p.pip),
                "N",
                nl(p.uitstroom),
                p.reden,
            ]
            dossiers.append(row)
            klanten = [p.klantnummer]
            if p.extra_dossier:  # opened again in 2024 while the first is still open
                dossiers.append([p.klantnummer + "-2", *row[1:8], nl(D(2024, 1, 5)), *row[9:14], "", None])
                klanten.append(p.klantnummer + "-2")
            for r in p.routes:
                for k in klanten:
                    routes.append([k, r.leerroute, nl(r.start), nl(r.eind), r.taalaanbieder, ""])
            for a in p.activiteiten:
                acts.append([p.klantnummer, a.soort, nl(a.start), nl(a.eind), a.uren, "Aanbieder", a.status])
            for datum, maatregel, bedrag, grond in p.handhaving:
                fines.append([p.klantnummer, nl(datum), maatregel, bedrag, grond, "N"])
        if afwijzingen and uitvoerder == "GM1916":  # a row ingestion rejects: the BSN fails the elfproef
            dossiers.append(
                [
                    "AFGEWEZEN-1",
                    "123456789",
                    "GM1916",
                    "statushouder",
                    "Wi2021",
                    "V",
                    "01-01-1980",
                    "Eritrea",
                    "01-02-2023",
                    "",
                    "",
                    "",
                    "",
                    "N",
                    "",
                    "",
                ]
            )
        _csv(
            base / "dossiers.csv",
            header("dossiers"),
            dossiers,
        )
        _csv(
            base / "leerroutes.csv",
            header("leerroutes"),
            routes,
        )
        _csv(
            base / "activiteiten.csv",
            header("activiteiten"),
            acts,
        )
        _csv(
            base / "handhaving.csv",
            header("handhaving"),
            fines,
        )
    duo_lines = []
    for p in people:
        if not p.duo:
            continue
        if p.duo_dubbel:  # an earlier line for the same BSN: staging uses the last one
            eerder = _duo_json(p)
            eerder["pip"] = {**(eerder["pip"] or {}), "leerroute": "Z", "niveau": None}
            duo_lines.append(json.dumps(eerder, ensure_ascii=False))
        duo_lines.append(json.dumps(_duo_json(p), ensure_ascii=False))
    if afwijzingen:
        duo_lines.insert(1, '{"bsn": "99000')  # a broken line: rejected, counted against DUO
    path = root / "duo" / ld / "personen.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(duo_lines) + "\n", encoding="utf-8")
    if tvs:
        base = root / "coa_tvs" / TVS_LEVERING.isoformat()
        kopp = []
        for i, p in enumerate(people):
            if p.doelgroep != "statushouder" or p.huisvesting is None:
                continue
            jaar = p.geboortejaar_tvs or p.geboortedatum.year
            kopp.append(
                [
                    p.vnummer,
                    p.bsn,
                    f"HH{i:05d}",
                    1,
                    p.gemeente,
                    nl(p.huisvesting - dt.timedelta(days=60)),
                    "gehuisvest",
                    nl(p.huisvesting),
                    "zelfstandig",
                    "N",
                    "AZC",
                    jaar,
                    "M",
                    "Syrië",
                ]
            )
        _csv(
            base / "koppelingen.csv",
            header("koppelingen"),
            kopp,
        )
        _csv(
            base / "taakstelling.csv",
            header("taakstelling"),
            taakstelling_rows(people, gerealiseerd_extra, correctie),
        )


#: Trajectories of the begeleiding provider (VWN), by people known to it by V-nummer only (not
#: yet in the BRP, and in no other source): (tag, gemeentecode, soort, start, eind, status, verlengd_tot).
#: A tag "F-<check>..." must fire that check, "S-<check>..." must stay silent; OK rows are clean.
MB, FO = "MAATSCHAPPELIJKE_BEGELEIDING", "FINANCIEEL_ONTZORGEN"
TRAJECTEN_OK = [
    (f"OK-traject-{code}-{soort}", code, soort, D(2024, 6, 1), eind, status, None)
    for code in UITVOERDER
    for soort, eind, status in ((MB, None, "gestart"), (FO, D(2024, 11, 30), "afgerond"))
]
TRAJECTEN_FOUT = [
    ("F-begeleiding_langer_dan_termijn", "GM1916", MB, D(2023, 1, 10), D(2024, 9, 1), "afgerond", None),
    ("F-begeleiding_langer_dan_termijn-open", "GM0626", MB, D(2023, 6, 1), None, "gestart", None),
    (
        "S-begeleiding_langer_dan_termijn-verlengd",
        "GM1916",
        MB,
        D(2023, 1, 10),
        None,
        "verlengd",
        D(2025, 6, 1),
    ),
    ("S-begeleiding_langer_dan_termijn-548", "GM0629", MB, D(2023, 1, 1), D(2024, 7, 2), "afgerond", None),
    ("F-ontzorgen_langer_dan_termijn", "GM0546", FO, D(2024, 1, 15), D(2024, 8, 1), "afgerond", None),
    (
        "S-ontzorgen_langer_dan_termijn-verlengd",
        "GM0546",
        FO,
        D(2024, 1, 15),
        D(2024, 10, 15),
        "verlengd",
        D(2024, 10, 15),
    ),
    ("S-ontzorgen_langer_dan_termijn-open", "GM0579", FO, D(2024, 9, 1), None, "gestart", None),
    # a start after the delivery date: blocking, Oegstgeest's rows of this delivery are held back
    ("F-datum_in_toekomst-traject", "GM0579", MB, LEVERING + dt.timedelta(days=13), None, "gestart", None),
]


def traject_vnummer(i: int) -> str:
    return str(9_800_000_001 + i)


def write_trajecten(
    root: Path, levering: dt.date, fouten: bool, zonder: frozenset[str] = frozenset()
) -> dict[str, str]:
    """The provider's delivery (without the planted rows tagged ``zonder``); returns tag -> the
    finding's kenmerk (soort, start, line)."""
    rows = TRAJECTEN_OK + ([t for t in TRAJECTEN_FOUT if t[0] not in zonder] if fouten else [])
    out = []
    kenmerk = {}
    for i, (tag, code, soort, start, eind, status, tot) in enumerate(rows):
        out.append([code, "", traject_vnummer(i), soort, nl(start), nl(eind), status, nl(tot)])
        kenmerk[tag] = f"{soort.lower().replace('_', ' ')} vanaf {nl(start)}, regel {i + 2}"
    _csv(root / "begeleiding" / "VWN" / levering.isoformat() / "trajecten.csv", header("trajecten"), out)
    return kenmerk


def identify(people: list[Persoon]) -> list[Persoon]:
    """Give everyone a valid BSN, and statushouders a V-nummer."""
    ids = bsns()
    vnr = 9_900_000_001
    for p in people:
        p.bsn = next(ids)
        if p.doelgroep == "statushouder":
            p.vnummer = str(vnr)
            vnr += 1
    return people


def scenario(root: Path) -> Scenario:
    people = identify(personen())
    write_landing(
        root, people, gerealiseerd_extra={("GM0629", "2024-I"): 1}, correctie={("GM0626", "2024-II"): 3}
    )
    # Leiden's newest uitkomsten delivery cannot be read (comma-separated): quarantined
    _csv(
        root / "gemeente" / "GM0546" / "2025-02-20" / "uitkomsten.csv",
        header("uitkomsten"),
        [],
    )
    _csv(
        root / "gemeente" / "GM0546" / "2025-02-24" / "uitkomsten.csv",
        header("uitkomsten"),
        [["OK-GM0546-1", "BETAALD_WERK", "01-01-2025", "", "20"]],
        sep=",",
    )

    # COA publishes Oegstgeest's 2024-I twice; the earlier line is wrong (staging uses the last)
    tvs = root / "coa_tvs" / TVS_LEVERING.isoformat() / "taakstelling.csv"
    lines = tvs.read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("GM0579;") and ";2024-I;" in line)
    fout = lines[i].split(";")
    fout[3] = "99"  # stand_begin
    lines.insert(i, ";".join(fout))
    tvs.write_text("\n".join(lines) + "\n", encoding="utf-8")

    trajecten = write_trajecten(root, LEVERING, fouten=True)
    vuren: dict[str, set] = {}
    zwijgen: dict[str, set] = {}
    for tag, code, *_ in TRAJECTEN_FOUT:
        check = tag[2:].split("-")[0]
        (vuren if tag[0] == "F" else zwijgen).setdefault(check, set()).add((code, trajecten[tag]))
    for p in people:
        name = p.klantnummer
        if name.startswith(("F-", "S-")):
            check = name[2:].split("-")[0]
            (vuren if name[0] == "F" else zwijgen).setdefault(check, set()).add((p.gemeente, name))
    vuren["meerdere_open_dossiers"] = {("GM0546", "F-meerdere_open_dossiers-2")}
    zwijgen["meerdere_open_dossiers"] = {("GM0546", "F-meerdere_open_dossiers")}
    zwijgen.setdefault("meerdere_open_leerroutes", set()).add(
        ("GM0626", "S-leerroute_afwijkend_van_duo-wissel")
    )
    vuren["gehuisvest_zonder_dossier"] = {("GM0629", _kenmerk(people, "gehuisvest zonder dossier"))}
    zwijgen["gehuisvest_zonder_dossier"] = {
        ("GM0629", _kenmerk(people, n))
        for n in ("kind", "pas gehuisvest", "voor 2022 gehuisvest", "wi2013 gehuisvest")
    }
    vuren["gerealiseerd_wijkt_af_van_tvs"] = {("GM0629", "periode 2024-I")}
    zwijgen["gerealiseerd_wijkt_af_van_tvs"] = {("GM0629", "periode 2024-II"), ("GM0626", "periode 2024-I")}
    vuren["tvs_periode_dubbel"] = {("GM0579", "periode 2024-I")}
    zwijgen["tvs_periode_dubbel"] = {("GM0579", "periode 2024-II"), ("GM0626", "periode 2024-I")}
    vuren["taakstelling_correctie"] = {("GM0626", "periode 2024-II")}
    zwijgen["taakstelling_correctie"] = {("GM0629", "periode 2024-II"), ("GM1916", "periode 2024-II")}
    vuren["afgewezen_rijen"] = {
        (
            "GM1916",
            "gemeente/GM1916/2025-02-25/dossiers.csv, regel "
            + str(
                2 + sum(1 + p.extra_dossier for p in people if p.geleverd_door == "GM1916" and p.in_dossiers)
            ),
        ),
        (None, "duo/2025-02-25/personen.jsonl, regel 2"),
    }
    vuren["bestand_in_quarantaine"] = {("GM0546", "gemeente/GM0546/2025-02-24/uitkomsten.csv")}
    vuren["pip_zonder_leerroute"].add(("GM0546", "V-buiten-uitvoering"))
    vuren["woongemeente_buiten_uitvoering"] = {("GM0546", "V-buiten-uitvoering")}
    # an unknown gemeente as a delivery folder
    onbekend = root / "gemeente" / "GM9999" / LEVERING.isoformat() / "uitkomsten.csv"
    _csv(onbekend, header("uitkomsten"), [])
    vuren["gemeentecode_onbekend"] = {
        ("GM9999", f"gemeente/GM9999/{LEVERING.isoformat()}/uitkomsten.csv: map GM9999")
    }
    # delivery dates no delivery can have
    for pad in ("gemeente/GM1916/2099-12-31/uitkomsten.csv", "rijk/1900-01-01/spuk_beschikkingen.csv"):
        _csv(root / pad, header(pad.rsplit("/", 1)[1][:-4]), [])
    vuren["leverdatum_onwaarschijnlijk"] = {
        ("GM1916", "gemeente/GM1916/2099-12-31/uitkomsten.csv"),
        (None, "rijk/1900-01-01/spuk_beschikkingen.csv"),
    }
    identifiers = [p.bsn for p in people] + [p.vnummer for p in people if p.vnummer] + ["123456789"]
    identifiers += [traject_vnummer(i) for i in range(len(TRAJECTEN_OK) + len(TRAJECTEN_FOUT))]
    births = sorted({p.geboortedatum.isoformat() for p in people} | {"1980-01-01"})
    return Scenario(root, people, identifiers, births, vuren, zwijgen)


def scenario_met_eerdere_levering(root: Path, eerder: dt.date = EERDERE_LEVERING) -> Scenario:
    """The scenario, plus an earlier, clean delivery from every uitvoerder and from DUO.

    The blocking checks hold the scenario's failing deliveries back for their gemeenten; this
    earlier delivery (only the clean persons ``OK-...``) is then the one in force for them.
    """
    sc = scenario(root)
    clean = identify([p for p in personen() if p.klantnummer.startswith("OK-")])
    write_landing(root, clean, levering=eerder, tvs=False, afwijzingen=False)
    write_trajecten(root, eerder, fouten=False)
    return sc


def _kenmerk(people: list[Persoon], klantnummer: str) -> str:
    i = next(i for i, p in enumerate(people) if p.klantnummer == klantnummer)
    p = people[i]
    return f"huishouden HH{i:05d}, gekoppeld {nl(p.huisvesting - dt.timedelta(days=60))}"


def ingest(landing: Path, home: Path, warehouse: Path, run_id: str = "test") -> None:
    """Load every landing file through the real ingestion, oldest delivery first."""
    pseudo = load_key()
    places = Places(landing, home)
    with connect(str(warehouse)) as wh:
        wh.ensure_schema()
        wh.check_key(pseudo.fingerprint())
        for family in FAMILIES:
            for rel in new_files(list_files(landing, family), places, wh):
                load_file(rel, places, wh, pseudo, run_id)


# --- a real SMTP server ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Ontvangen:
    afzender: str
    aan: list[str]
    bericht: email.message.EmailMessage

    @property
    def onderwerp(self) -> str:
        return str(self.bericht["Subject"])

    @property
    def tekst(self) -> str:
        return self.bericht.get_body(("plain",)).get_content()

    def bijlagen(self) -> dict[str, str]:
        out = {}
        for part in self.bericht.iter_attachments():
            data = part.get_payload(decode=True)
            out[part.get_filename()] = data.decode("utf-8-sig")
        return out

    def rijen(self) -> list[dict]:
        (text,) = self.bijlagen().values()
        return list(csv.DictReader(text.splitlines(), delimiter=";"))


class Postbus:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.berichten: list[Ontvangen] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        self.berichten.append(Ontvangen(envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 OK"

    def voor(self, adres: str) -> list[Ontvangen]:
        return [m for m in self.berichten if adres in m.aan]
