"""The people behind the files: one object per person, with the whole timeline.

Files are projections of these objects at a delivery date (see ``files``):
nothing a file shows may be dated after its delivery date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SH = "statushouder"
GZ = "gezinsmigrant"
ROUTES = ("B1", "A2", "OND", "Z", "Z-A2")


@dataclass
class Slot:
    """A place in the leerroute tables that some dossier person must fill."""

    doelgroep: str
    instroomjaar: int
    history: list[str]  # routes in order; the last is current unless the slot ends
    end_kind: str | None = None  # None (on a route at the peildatum) | "uitstroom" | "stop"
    out_year: int | None = None
    reden: str | None = None  # reden_uitstroom
    stop_reden: str | None = None  # reden_wijziging when the route stops without a new one


@dataclass
class Routeperiode:
    leerroute: str
    start: dt.date
    end: dt.date | None
    aanbieder: str | None
    reden_wijziging: str | None = None


@dataclass
class Activiteit:
    soort: str
    start: dt.date
    end: dt.date | None
    uren: float | None
    aanbieder: str | None
    status: str = "afgerond"  # final status; 'gestart' is shown while end lies after a delivery


@dataclass
class Uitkomst:
    soort: str
    start: dt.date
    end: dt.date | None
    uren_per_week: float | None


@dataclass
class Maatregel:
    datum: dt.date
    maatregel: str  # WAARSCHUWING | BOETE
    bedrag: float | None
    grond: str
    verrekend: bool


@dataclass
class Koppeling:
    gemeente: str
    koppeldatum: dt.date
    status_final: str  # gekoppeld | gehuisvest | omgekoppeld | vertrokken
    change_date: dt.date | None = None  # date of omkoppeling / vertrek


@dataclass(eq=False)
class Huishouden:
    hid: str
    gemeente: str
    leden: list[Persoon] = field(default_factory=list)
    huisvest: dt.date | None = None  # None: not housed by the last delivery
    koppeldatum: dt.date | None = None
    woningtype: str | None = None
    opvang: str = ""

    @property
    def size(self) -> int:
        return len(self.leden)


@dataclass(eq=False)
class Persoon:
    pid: int
    gemeente: str  # woongemeente (GMxxxx)
    doelgroep: str
    geslacht: str
    wet: str | None = None  # Wi2021 | Wi2013 | None (children, not obligated)
    bsn: str = ""
    vnummer: str | None = None
    geboortedatum: dt.date | None = None
    geboortejaar: int | None = None
    herkomstland: str = ""
    adult: bool = True
    # plan
    dossier_year: int | None = None
    band: str | None = None
    slot: Slot | None = None
    boundary: str | None = None  # band-boundary test case
    unrouted: bool = False  # kept off every leerroute (planted quality cases)
    # housing / arrival
    permit: dt.date | None = None  # start of the inburgeringsplicht
    huisvest: dt.date | None = None
    brp: dt.date | None = None
    household: Huishouden | None = None
    nareiziger: bool = False
    koppeldatum: dt.date | None = None  # own koppeldatum (nareizigers differ from household)
    extra_koppelingen: list[Koppeling] = field(default_factory=list)  # omgekoppeld rows
    vertrokken: bool = False
    early_start: bool = False
    # municipal dossier
    uitvoerder: str | None = None
    klantnummer: str | None = None
    dossier: dt.date | None = None
    intake: dt.date | None = None
    lbt: dt.date | None = None
    pip: dt.date | None = None  # as registered by the gemeente
    pip_duo: dt.date | None = None  # as known to DUO
    startklas: bool = False
    routes: list[Routeperiode] = field(default_factory=list)
    uitstroom: dt.date | None = None
    reden: str | None = None
    activiteiten: list[Activiteit] = field(default_factory=list)
    # weekly TAALLES attendance per route period: (first Monday, one hours code per week, aanbieder)
    taalles: list[tuple[dt.date, bytes, str | None]] = field(default_factory=list)
    uitkomsten: list[Uitkomst] = field(default_factory=list)
    handhaving: list[Maatregel] = field(default_factory=list)
    in_dossiers: bool = False
    # DUO
    in_duo: bool = False
    duo_from: dt.date | None = None  # DUO knows the person from this date
    plicht_eind: dt.date | None = None
    termijn_start: dt.date | None = None
    termijn_eind: dt.date | None = None
    verlenging: str | None = None
    lening: tuple[float, float, float] | None = None  # maximaal, gebruikt 2024-08, gebruikt 2025-02
    duo_route_override: tuple[str, str | None] | None = None  # planted DUO leerroute/niveau
    examens: list[tuple[dt.date, str, str, str]] = field(default_factory=list)
    lbt_result: tuple[str, str, str] | None = None
    patches: list = field(default_factory=list)  # planted changes to rows of the last delivery (fouten.Patch)

    def first_route_start(self) -> dt.date | None:
        return self.routes[0].start if self.routes else None

    def route_on(self, d: dt.date) -> Routeperiode | None:
        for r in self.routes:
            if r.start <= d and (r.end is None or r.end >= d):
                return r
        return None
