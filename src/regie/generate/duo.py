"""DUO's view of a person (M2M resources flattened into one JSON object)."""

from __future__ import annotations

import datetime as dt

from .model import GZ, SH, Persoon
from .util import days, iso_date

DUO_ROUTE = {"B1": ("B", "B1"), "A2": ("B", "A2"), "OND": ("O", "B1"), "Z": ("Z", None), "Z-A2": ("Z", "A2")}
REDEN_GEEN = {
    "diploma": "Voldaan: diploma",
    "certificaat": "Voldaan: certificaat Z-route",
    "ontheffing": "Ontheffing",
    "vertrokken": "Vertrokken uit Nederland",
    "overleden": "Overleden",
}
MOVED_TO = "0599"  # where people who move away are registered next


def _iso(x: dt.date | None, d: dt.date) -> str | None:
    return iso_date(x) if x is not None and x <= d else None


def persoon_json(p: Persoon, d: dt.date) -> dict:
    ended = p.plicht_eind is not None and p.plicht_eind <= d
    gemeente = p.gemeente[2:]
    if p.reden == "verhuisd" and p.uitstroom is not None and p.uitstroom <= d:
        gemeente = MOVED_TO
    kennis = p.permit + days(14 + p.pid % 17) if p.permit else None
    obj: dict = {
        "bsn": p.bsn,
        "vNummer": int(p.vnummer) if p.vnummer else None,
        "gemeentecode": gemeente,
        "wet": p.wet,
        "inburgeringsplicht": {
            "indicatorInburgeringsplicht": not ended,
            "begindatum": _iso(p.permit, d),
            "einddatum": iso_date(p.plicht_eind) if ended else None,
            "datumKennisgevingInburgeringsplicht": _iso(kennis, d),
            "redenGeenInburgeringsplicht": (REDEN_GEEN.get(p.reden or "", "Voldaan") if ended else None),
        },
        "doelgroep": {
            "indeling": "Asielstatushouder" if p.doelgroep == SH else "Gezinsmigrant en overige migrant",
            "gedetailleerdeDoelgroep": ("Nareiziger" if p.nareiziger else "Asielstatushouder")
            if p.doelgroep == SH
            else ("Gezinsmigrant" if p.pid % 5 else "Overige migrant"),
            "begindatum": _iso(p.permit, d),
        },
        "pip": None,
        "inburgeringstermijn": None,
        "leerbaarheidstoets": [],
        "examens": [],
        "ontheffingen": [],
        "vrijstellingen": [],
        "map": None,
        "pvt": None,
        "zroute": None,
        "lening": None,
    }
    if p.pip_duo is not None and p.pip_duo <= d and p.routes:
        route = p.route_on(min(d, p.uitstroom or d)) or (
            p.routes[0] if p.routes[0].start > d else p.routes[-1]
        )
        code, niveau = DUO_ROUTE[route.leerroute]
        if p.duo_route_override is not None:
            code, niveau = p.duo_route_override
        obj["pip"] = {
            "dagtekeningPip": iso_date(p.pip_duo),
            "leerroute": code,
            "niveau": niveau,
            "geschatteIntensiteitB1Route": (600 + (p.pid * 37) % 600)
            if (code == "B" and p.doelgroep == SH)
            else None,
            "indicatorAlfabetiseringsonderwijs": "A" if (code == "Z" and p.pid % 3 == 0) else "NVT",
        }
    if p.termijn_start is not None and p.termijn_start <= d:
        obj["inburgeringstermijn"] = {
            "startdatum": iso_date(p.termijn_start),
            "einddatum": iso_date(p.termijn_eind),  # a deadline: may lie after the delivery date
            "verlengingsgrondcode": p.verlenging,
        }
    if p.lbt is not None and p.lbt <= d and p.lbt_result:
        res, score, needed = p.lbt_result
        obj["leerbaarheidstoets"] = [
            {
                "resultaat": res,
                "behaaldeScore": score,
                "benodigdeScore": needed,
                "datumAfname": iso_date(p.lbt),
            }
        ]
    obj["examens"] = [
        {"examendatum": iso_date(x), "onderdeel": o, "niveau": n, "resultaat": r, "redenGeenResultaat": None}
        for x, o, n, r in sorted(p.examens)
        if x <= d
    ]
    if p.reden == "ontheffing" and ended:
        obj["ontheffingen"] = [
            {
                "soort": "geheel",
                "oordeel": "Toegekend",
                "datumOordeel": iso_date(p.plicht_eind),
                "grond": "MED",
                "examenonderdeel": None,
            }
        ]
    for a in p.activiteiten:
        if a.soort in ("PVT", "MAP") and a.end is not None and a.end <= d:
            key, field = (
                ("pvt", "datumOndertekeningPvt") if a.soort == "PVT" else ("map", "datumEindgesprekMap")
            )
            obj[key] = {field: iso_date(a.end), "verwijtbaar": "Nee"}
    if p.reden == "certificaat" and ended:
        obj["zroute"] = {"datumAfrondingZroute": iso_date(p.uitstroom)}
    if p.lening is not None:
        maximaal, used_2024, used_2025 = p.lening
        obj["lening"] = {
            "maximaal": maximaal,
            "gebruikt": used_2025 if d >= dt.date(2025, 1, 1) else used_2024,
        }
    return obj


def duo_personen(persons: list[Persoon], d: dt.date) -> list[Persoon]:
    out = [p for p in persons if p.in_duo and p.duo_from is not None and p.duo_from <= d and p.bsn]
    return out


__all__ = ["persoon_json", "duo_personen", "GZ"]
