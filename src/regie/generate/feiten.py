"""Figures the generator chose (not the report's), written into the manifest for the tests
further down the line: the ondertussengroep, who waits on the TVS peildatum, routes without a
municipal PIP."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from . import money
from .model import SH, Persoon
from .peildata import DUO_DATES, HALVES, TVS_PEIL

if TYPE_CHECKING:
    from .population import Builder


def facts(builders: list[Builder], persons: list[Persoon]) -> dict:
    """Figures chosen by the generator (not the report), for tests further down the line."""
    facts: dict = {"star_value": money.R.STAR}
    onder: dict[str, dict] = {}
    for d in DUO_DATES:
        key = d.isoformat()
        onder[key] = {}
        for p in persons:
            if p.wet != "Wi2013" or not p.in_duo:
                continue
            if p.plicht_eind is not None and p.plicht_eind <= d:
                continue
            code = p.gemeente
            cell = onder[key].setdefault(
                code, {"Asielstatushouder": 0, "Gezinsmigrant en overige migrant": 0, "elip": 0}
            )
            cell["Asielstatushouder" if p.doelgroep == SH else "Gezinsmigrant en overige migrant"] += 1
            if p.doelgroep == SH and p.lening:
                maximaal, u24, u25 = p.lening
                used = u25 if d >= dt.date(2025, 1, 1) else u24
                horizon = d.replace(year=d.year + 1)
                if used >= 0.95 * maximaal or (used >= 0.75 * maximaal and p.termijn_eind <= horizon):
                    cell["elip"] += 1
    facts["ondertussengroep"] = onder
    facts["waiting_on_tvs_peildatum"] = {
        b.g.code: sum(
            1
            for hh in b.huishoudens
            for m in hh.leden
            if not m.vertrokken
            and (m.huisvest is None or m.huisvest > TVS_PEIL)
            and m.koppeldatum is not None
            and m.koppeldatum <= TVS_PEIL
        )
        for b in builders
    }
    facts["route_without_municipal_pip"] = {
        b.g.code: sum(1 for p in b.personen if p.routes and p.in_dossiers and p.pip is None) for b in builders
    }
    facts["halves"] = [f"{y}-{'I' if h == 1 else 'II'}" for y, h in HALVES]
    return facts
