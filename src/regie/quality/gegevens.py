"""The one place that knows where the checks get their data.

Every check validates one of the tables built here (``TABELLEN``), pandas
frames with one row per record a check may judge, plus the few derived columns
the checks need (days since BRP registration, number of routes, ...). Switching
a check to another model (an intermediate model of the dbt project, say) is a
change in this module only.

Where the rows come from:
- ``staging``: the dbt staging views (``staging.stg_<bron>__<entiteit>``),
  which already hold only the delivery in force at the peildatum;
- ``raw``: the same selection made here from ``raw`` and the ledger, for a
  warehouse in which dbt has not run (yet): the blocking checks run *before*
  the marts are rebuilt (regie.quality.poort), and the tests build warehouses
  through ingestion only. The rule is the staging rule
  (``dbt_project/models/staging/stg_audit__bestanden.sql`` and
  ``macros/leveringen.sql``): per source file type (and per delivering
  gemeente) the latest delivery on or before the peildatum, in its highest
  loaded version. A delivery held back (``tegengehouden``) is held back for one
  gemeente: that gemeente's rows come from the latest earlier delivery not
  held back for it (a klant's routes, activities, outcomes and fines follow the
  woongemeente of its dossier in force). DUO rows are one per person (the
  newest delivery, then the last line of the file); COA koppelingen of a
  person, and the dossiers of a klant, come from one delivery (the newest).
- the ledger (``audit.bestanden``, ``audit.afgewezen_rijen``) for the checks
  about deliveries.

Privacy: ``persoon_id`` is used to link sources and then dropped; no frame
handed to Great Expectations (and so no page, no finding, no mail)
holds a pseudonym, a BSN, a V-nummer or a birth date.

Every table has these columns besides its own:
``rij`` (position, the key GX reports failing rows by), ``gemeentecode`` (the
gemeente the record is about; for a delivery, the delivering gemeente),
``bron``, ``bestand``, ``regelnummer``, ``leverdatum``, ``klantnummer`` and
``kenmerk`` (how the gemeente finds the record where it has no klantnummer).
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import normen
from ..ingest.landing import EARLIEST_LEVERDATUM
from ..sources.catalog import SOURCES
from ..transform.project import project_dir
from ..warehouse import Warehouse

log = logging.getLogger("regie.quality")

STANDAARD_KOLOMMEN = (
    "rij",
    "gemeentecode",
    "bron",
    "bestand",
    "regelnummer",
    "leverdatum",
    "klantnummer",
    "kenmerk",
)

#: Columns that identify a person and may never reach a check table.
VERBODEN_KOLOMMEN = frozenset({"persoon_id", "vnummer_id", "bsn", "v_nummer", "vnummer", "geboortedatum"})

#: Municipal route codes for DUO's route + niveau (B + A2 is the B1-route at A2 level).
DUO_ROUTE = {
    ("B", "A2"): "A2",
    ("B", "B1"): "B1",
    ("B", None): "B1",
    ("O", "A2"): "OND",
    ("O", "B1"): "OND",
    ("O", None): "OND",
    ("Z", "A2"): "Z-A2",
    ("Z", "B1"): "Z",
    ("Z", None): "Z",
}

#: PIP within 10 weeks of BRP registration; leerroute within 10 weeks of the PIP (seed ref_normen)
PIP_TERMIJN_DAGEN = normen.geheel("pip_termijn_dagen")
DOSSIER_TERMIJN_DAGEN = 56  # housed adult statushouder: dossier within 8 weeks
ZROUTE_AANLOOP_DAGEN = 182  # half a year on the Z-route before zero participation hours is a finding
NA_PIP_GRONDEN = ("PIP", "PVT", "MAP", "LEERROUTE")
#: fines that count towards the maxima per 365 days and per termijn (seed ref_normen)
MAXIMUM_GRONDEN = ("PVT", "MAP", "LEERROUTE")
BOETE_JAARMAXIMUM = normen.geheel("boete_jaarmaximum_euro")
BOETE_VENSTER_DAGEN = normen.geheel("boete_jaarmaximum_venster_dagen")
BOETE_TERMIJNMAXIMUM = normen.geheel("boete_termijnmaximum_euro")
BOETE_BREDE_INTAKE_MAXIMUM = normen.geheel("boete_brede_intake_maximum_euro")
#: at least this many progress conversations in the first months of the termijn (seed ref_normen)
VOORTGANG_MINIMUM = normen.geheel("voortgangsgesprekken_minimum")
VOORTGANG_VENSTER_MAANDEN = normen.geheel("voortgangsgesprekken_venster_maanden")
#: a termijn ending within this many months without exam or resultaat is a finding (seed ref_normen)
TERMIJN_BIJNA_VERSTREKEN_MAANDEN = normen.geheel("termijn_bijna_verstreken_maanden")


# --- where the base rows come from -------------------------------------------------


@dataclass(frozen=True)
class Basis:
    """A staging view and the raw table it selects from, with the columns the checks read."""

    staging: str
    raw: str
    kolommen: tuple[str, ...]
    #: output name -> expression, where the staging view names a column differently
    staging_namen: tuple[tuple[str, str], ...] = ()
    #: output name -> expression over the raw table (alias r)
    raw_namen: tuple[tuple[str, str], ...] = ()


_LEVERING = ("bestand", "leverdatum", "regelnummer")
#: Who a national row is about, for the one-row-per-person rules (the same expressions as staging).
DUO_PERSOON = "coalesce(r.persoon_id, r._bestand || ':' || cast(r._regelnummer as varchar))"
TVS_PERSOON = "coalesce(r.vnummer_id, r.persoon_id, r._bestand || ':' || cast(r._regelnummer as varchar))"
TVS_PERIODE = (
    "case when substr(upper(trim(r.gemeentecode)), 1, 2) = 'GM' then upper(trim(r.gemeentecode)) "
    "else 'GM' || lpad(trim(r.gemeentecode), 4, '0') end, upper(trim(r.periode))"
)
_RAW_LEVERING = (
    ("bestand", "r._bestand"),
    ("leverdatum", "r._leverdatum"),
    ("regelnummer", "r._regelnummer"),
)
_RAW_UITVOERDER = (("uitvoerder", "r._uitvoerder"),)

BASIS: dict[str, Basis] = {
    "dossiers": Basis(
        "staging.stg_gemeente__dossiers",
        "raw.gemeente__dossiers",
        (
            "uitvoerder",
            "klantnummer",
            "persoon_id",
            "woongemeente",
            "doelgroep",
            "wet",
            "datum_dossier",
            "datum_inschrijving_brp",
            "datum_brede_intake",
            "datum_leerbaarheidstoets",
            "datum_pip",
            "datum_uitstroom",
            "reden_uitstroom",
            *_LEVERING,
        ),
        raw_namen=_RAW_UITVOERDER + _RAW_LEVERING,
    ),
    "leerroutes": Basis(
        "staging.stg_gemeente__leerroutes",
        "raw.gemeente__leerroutes",
        ("uitvoerder", "klantnummer", "leerroute", "datum_start", "datum_eind", "taalaanbieder", *_LEVERING),
        raw_namen=_RAW_UITVOERDER + _RAW_LEVERING,
    ),
    "activiteiten": Basis(
        "staging.stg_gemeente__activiteiten",
        "raw.gemeente__activiteiten",
        ("uitvoerder", "klantnummer", "soort", "datum_start", "datum_eind", "uren", *_LEVERING),
        raw_namen=_RAW_UITVOERDER + _RAW_LEVERING,
    ),
    "uitkomsten": Basis(
        "staging.stg_gemeente__uitkomsten",
        "raw.gemeente__uitkomsten",
        ("uitvoerder", "klantnummer", "soort", "datum_start", *_LEVERING),
        raw_namen=_RAW_UITVOERDER + _RAW_LEVERING,
    ),
    "handhaving": Basis(
        "staging.stg_gemeente__handhaving",
        "raw.gemeente__handhaving",
        ("uitvoerder", "klantnummer", "datum", "maatregel", "bedrag", "grond", *_LEVERING),
        raw_namen=_RAW_UITVOERDER + _RAW_LEVERING,
    ),
    "duo": Basis(
        "staging.stg_duo__personen",
        "raw.duo__personen",
        (
            "persoon_id",
            "gemeentecode",
            "wet",
            "plicht_indicator",
            "plicht_datum_kennisgeving",
            "pip_dagtekening",
            "pip_route",
            "pip_niveau",
            "map_datum_eindgesprek",
            "pvt_datum_ondertekening",
            "zroute_datum_afronding",
            "termijn_startdatum",
            "termijn_einddatum",
            "aantal_in_levering",
            "versie",
            *_LEVERING,
        ),
        staging_namen=(("pip_route", "pip_leerroute_duo"),),
        raw_namen=(
            ("pip_route", "r.pip_leerroute"),
            ("versie", "r._versie"),
            ("aantal_in_levering", f"count(*) over (partition by {DUO_PERSOON}, r._bestand)"),
        )
        + _RAW_LEVERING,
    ),
    "koppelingen": Basis(
        "staging.stg_coa_tvs__koppelingen",
        "raw.coa_tvs__koppelingen",
        (
            "persoon_id",
            "huishouden_id",
            "gemeentecode",
            "koppeldatum",
            "status",
            "huisvestingsdatum",
            "geboortejaar",
            *_LEVERING,
        ),
        raw_namen=_RAW_LEVERING,
    ),
    "taakstelling": Basis(
        "staging.stg_coa_tvs__taakstelling",
        "raw.coa_tvs__taakstelling",
        (
            "gemeentecode",
            "gemeentenaam",
            "periode",
            "stand_begin",
            "taakstelling",
            "gerealiseerd",
            "aantal_in_levering",
            *_LEVERING,
        ),
        raw_namen=(("aantal_in_levering", f"count(*) over (partition by {TVS_PERIODE}, r._bestand)"),)
        + _RAW_LEVERING,
    ),
    "trajecten": Basis(
        "staging.stg_begeleiding__trajecten",
        "raw.begeleiding__trajecten",
        (
            "aanbieder",
            "persoon_id",
            "gemeentecode",
            "soort",
            "datum_start",
            "datum_eind",
            "status",
            "verlengd_tot",
            *_LEVERING,
        ),
        raw_namen=(("aanbieder", "r._aanbieder"),) + _RAW_LEVERING,
    ),
}

_DATUMKOLOMMEN = {
    "datum_dossier",
    "datum_inschrijving_brp",
    "datum_brede_intake",
    "datum_leerbaarheidstoets",
    "datum_pip",
    "datum_uitstroom",
    "datum_start",
    "datum_eind",
    "datum",
    "leverdatum",
    "plicht_datum_kennisgeving",
    "pip_dagtekening",
    "map_datum_eindgesprek",
    "pvt_datum_ondertekening",
    "zroute_datum_afronding",
    "termijn_startdatum",
    "termijn_einddatum",
    "voortgang_venster_eind",
    "koppeldatum",
    "huisvestingsdatum",
    "verlengd_tot",
}

#: The deliveries in force when nothing is held back: per file type (and delivering
#: gemeente) the latest loaded delivery on or before the peildatum, in its highest
#: version. Plain SQL that DuckDB and PostgreSQL read alike (the peildatum is the one
#: parameter).
GEKOZEN_SQL = """
    select path, versie, bron, entiteit, uitvoerder, leverdatum, rijen_in, rijen_geladen, rijen_afgewezen
    from (
        select hoogste.*,
               row_number() over (
                   partition by bron, entiteit, coalesce(uitvoerder, '') order by leverdatum desc
               ) as levering_rang
        from (
            select b.*, row_number() over (partition by path order by versie desc) as versie_rang
            from audit.bestanden b
            where status = 'geladen'
        ) hoogste
        where versie_rang = 1 and leverdatum <= cast(? as date)
    ) gerangschikt
    where levering_rang = 1
"""

#: Every candidate: each loaded file on or before the peildatum, in its highest version.
KANDIDATEN_SQL = """
    select path, versie, bron, entiteit, uitvoerder, leverdatum, rijen_in, rijen_geladen, rijen_afgewezen
    from (
        select b.*, row_number() over (partition by path order by versie desc) as versie_rang
        from audit.bestanden b
        where status = 'geladen'
    ) hoogste
    where versie_rang = 1 and leverdatum <= cast(? as date)
"""

#: Municipal sources: one delivery per uitvoerder (folder gemeente/<GMxxxx>/<date>/).
GEMEENTELIJK = "gemeente"


def leverende_gemeente(df: pd.DataFrame) -> pd.Series:
    """The gemeente a delivery-level record counts against: the delivering gemeente of a municipal
    delivery. A provider of begeleiding (``begeleiding/<aanbieder>/``) delivers too, but is no
    gemeente: its deliveries, like the national ones, count against none (``leverancier`` names it)."""
    return df["uitvoerder"].astype(object).where(df["uitvoerder"].notna() & df["bron"].eq(GEMEENTELIJK), None)


@dataclass(frozen=True, order=True)
class Tegenhouding:
    """A delivery held back for one gemeente by a failing blocking check.

    The delivery of ``bron`` on ``leverdatum`` (for municipal files: the delivery of
    ``uitvoerder``), for the rows of ``gemeentecode`` only: the gemeente of the
    failing records. Every other gemeente keeps the delivery.
    """

    bron: str
    leverdatum: dt.date
    uitvoerder: str  # "" for a national source
    gemeentecode: str

    @property
    def levering(self) -> str:
        parts = [self.bron] + ([self.uitvoerder] if self.uitvoerder else []) + [self.leverdatum.isoformat()]
        return "/".join(parts)


def gemeente_sql(expr: str) -> str:
    """GMxxxx from a gemeentecode as stored (the dbt macro ``gemeentecode`` does the same)."""
    return (
        f"case when {expr} is null or trim({expr}) = '' then null "
        f"when substr(upper(trim({expr})), 1, 2) = 'GM' then upper(trim({expr})) "
        f"else 'GM' || lpad(trim({expr}), 4, '0') end"
    )


@dataclass
class Keuze:
    """Which delivered files count at a peildatum, given the deliveries held back."""

    kandidaten: pd.DataFrame  # every file on or before the peildatum, highest version
    gekozen: pd.DataFrame  # per file type (and uitvoerder) the latest file
    #: (bron, entiteit, uitvoerder or "") -> {gemeente held back in the chosen file: (path, versie)
    #: whose rows of that gemeente count instead, or None}
    vervangingen: dict[tuple[str, str, str], dict[str, tuple[str, int] | None]]

    def bestanden(self) -> set[tuple[str, int]]:
        """Every (path, versie) some rows in force come from."""
        out = {(p, int(v)) for p, v in zip(self.gekozen["path"], self.gekozen["versie"], strict=True)}
        for per_gemeente in self.vervangingen.values():
            out |= {pv for pv in per_gemeente.values() if pv is not None}
        return out


def kies(wh: Warehouse, peildatum: str, tegengehouden: frozenset[Tegenhouding] = frozenset()) -> Keuze:
    """The staging choice of deliveries, made from the ledger (see the module docstring)."""
    k = wh.query_frame(KANDIDATEN_SQL, (peildatum,))
    k["leverdatum"] = pd.to_datetime(k["leverdatum"]).dt.date
    k["uitvoerder"] = k["uitvoerder"].astype(object).where(k["uitvoerder"].notna(), "")
    held = {(t.bron, t.uitvoerder, t.leverdatum, t.gemeentecode) for t in tegengehouden}
    k = k.sort_values(
        ["bron", "entiteit", "uitvoerder", "leverdatum", "path"], ascending=[True, True, True, False, True]
    )
    gekozen = k.drop_duplicates(["bron", "entiteit", "uitvoerder"]).reset_index(drop=True)
    vervangingen: dict[tuple[str, str, str], dict[str, tuple[str, int] | None]] = {}
    for row in gekozen.itertuples():
        geraakt = sorted(
            g for b, u, d, g in held if b == row.bron and u == row.uitvoerder and d == row.leverdatum
        )
        if not geraakt:
            continue
        eerder = k[
            (k["bron"] == row.bron) & (k["entiteit"] == row.entiteit) & (k["uitvoerder"] == row.uitvoerder)
        ]
        keuzes: dict[str, tuple[str, int] | None] = {}
        for g in geraakt:
            vrij = eerder[[(row.bron, row.uitvoerder, d, g) not in held for d in eerder["leverdatum"]]]
            keuzes[g] = (vrij.iloc[0]["path"], int(vrij.iloc[0]["versie"])) if len(vrij) else None
        vervangingen[(row.bron, row.entiteit, row.uitvoerder)] = keuzes
    return Keuze(k.reset_index(drop=True), gekozen, vervangingen)


def bron_van(basis: str) -> str:
    """The source folder a base table comes from ("*": every source)."""
    return "*" if basis == "*" else BASIS[basis].raw.split(".", 1)[1].split("__", 1)[0]


#: The column that says whose a national row is (the staging models say the same).
GEMEENTE_KOLOM = {"dossiers": "woongemeente", "financien": "gemeentecode"}


def _peildatum_van(wh: Warehouse, bron: str) -> str:
    """No peildatum given: the one the staging views were built for, else the latest delivery date."""
    from ..peildatum import voor_warehouse

    if bron != "raw" and wh.has_relation("staging.stg_audit__bestanden"):
        rows = wh.query("select max(peildatum) from staging.stg_audit__bestanden")
        if rows and rows[0][0] is not None:
            return str(rows[0][0])[:10]
    return voor_warehouse(wh, None).datum


def referentie_uitvoerders(wh: Warehouse) -> dict[str, str]:
    """gemeentecode -> its uitvoerder, from the reference list only (the dbt seed
    ``ref_gemeenten``, through ``marts.dim_gemeente`` once dbt built it).

    Never from what a delivery claims: a dossier's ``woongemeente`` does not make
    its deliverer the uitvoerder of that gemeente. A gemeente that is not in the
    list executes its own inburgering.
    """
    if wh.has_relation("marts.dim_gemeente"):
        cols = {
            r[0]
            for r in wh.query(
                "select column_name from information_schema.columns "
                "where table_schema = 'marts' and table_name = 'dim_gemeente'"
            )
        }
        where = " where in_referentielijst" if "in_referentielijst" in cols else ""
        rows = wh.query(f"select gemeentecode, uitvoerder_gemeentecode from marts.dim_gemeente{where}")
        if rows:
            return {g: u for g, u in rows if g and u}
    seed = project_dir() / "seeds" / "ref_gemeenten.csv"
    with seed.open(encoding="utf-8", newline="") as fh:
        return {r["gemeentecode"]: r["uitvoerder_gemeentecode"] for r in csv.DictReader(fh)}


def mag_leveren_voor(uitvoerder: str | None, gemeentecode: str | None, uitvoerders: dict[str, str]) -> bool:
    """Is ``gemeentecode`` one of the gemeenten whose inburgering ``uitvoerder`` executes?"""
    if uitvoerder is None or gemeentecode is None:
        return True
    return gemeentecode == uitvoerder or uitvoerders.get(gemeentecode) == uitvoerder


class Gegevens:
    """Loads and prepares the check tables for one warehouse and peildatum (cached per table)."""

    def __init__(
        self,
        wh: Warehouse,
        peildatum: str | None = None,
        bron: str = "auto",
        tegengehouden: frozenset[Tegenhouding] = frozenset(),
        hergebruik: dict[str, pd.DataFrame] | None = None,
    ) -> None:
        """``hergebruik``: base frames already loaded for the same choice of deliveries (the gate's
        next round reuses the sources whose choice did not change)."""
        if bron not in ("auto", "staging", "raw"):
            raise ValueError(f"bron moet auto, staging of raw zijn, niet {bron!r}")
        if tegengehouden and bron != "raw":
            raise ValueError("tegengehouden leveringen gelden alleen voor bron='raw' (staging kiest zelf)")
        self.wh = wh
        self.peildatum = peildatum or _peildatum_van(wh, bron)
        self.bron = bron
        self.tegengehouden = frozenset(tegengehouden)
        self.gelezen_uit: dict[str, str] = {}
        self._basis: dict[str, pd.DataFrame] = dict(hergebruik or {})
        self._tabellen: dict[str, pd.DataFrame] = {}
        self._keuze: Keuze | None = None
        #: per check table the base tables it was built from ("*": the ledger's choice itself)
        self.gebruikt: dict[str, set[str]] = {}
        self._bezig: set[str] | None = None
        self._uitvoerders: dict[str, str] | None = None

    def keuze(self) -> Keuze:
        """The deliveries in force in raw mode (computed once)."""
        if self._keuze is None:
            self._keuze = kies(self.wh, self.peildatum, self.tegengehouden)
        return self._keuze

    def uitvoerders(self) -> dict[str, str]:
        if self._uitvoerders is None:
            self._uitvoerders = referentie_uitvoerders(self.wh)
        return self._uitvoerders

    def toerekenen(self, df: pd.DataFrame) -> pd.DataFrame:
        """``gemeentecode`` of a municipal record: its woongemeente when that is one of the
        gemeenten its deliverer executes for, else the deliverer itself. Who reads a record
        follows who delivered it, not what the record claims (``woongemeente_bij_uitvoerder``
        says which)."""
        ref = self.uitvoerders()
        ok = [
            mag_leveren_voor(u if isinstance(u, str) else None, w if isinstance(w, str) else None, ref)
            for u, w in zip(df["uitvoerder"], df["woongemeente"], strict=True)
        ]
        df["woongemeente_bij_uitvoerder"] = np.array(ok, dtype=bool)
        df["gemeentecode"] = (
            df["woongemeente"].where(df["woongemeente_bij_uitvoerder"]).fillna(df["uitvoerder"])
        )
        return df

    # -- base rows ----------------------------------------------------------
    def basis(self, naam: str) -> pd.DataFrame:
        if self._bezig is not None:
            self._bezig.add(naam)
        if naam not in self._basis:
            df = _typed(self._load(naam))
            if self.gelezen_uit.get(naam) == BASIS[naam].raw and BASIS[naam].raw.startswith("raw.gemeente__"):
                df = self._gemeentelijk(naam, df)
            self._basis[naam] = df
        return self._basis[naam]

    def _load(self, naam: str) -> pd.DataFrame:
        spec = BASIS[naam]
        use_staging = self.bron == "staging" or (self.bron == "auto" and self.wh.has_relation(spec.staging))
        if use_staging:
            renamed = dict(spec.staging_namen)
            cols = ", ".join(f"{renamed[c]} as {c}" if c in renamed else c for c in spec.kolommen)
            self.gelezen_uit[naam] = spec.staging
            return self.wh.query_frame(f"select {cols} from {spec.staging}")
        if not self.wh.has_relation(spec.raw):
            self.gelezen_uit[naam] = "(ontbreekt)"
            return pd.DataFrame(columns=list(spec.kolommen))
        renamed = dict(spec.raw_namen)
        cols = ", ".join(f"{renamed.get(c, 'r.' + c)} as {c}" for c in spec.kolommen)
        self.gelezen_uit[naam] = spec.raw
        sql, params = self._raw_rijen(spec, cols)
        return self.wh.query_frame(sql, params)

    def _raw_rijen(self, spec: Basis, cols: str) -> tuple[str, list]:
        """SQL for the raw rows in force, as staging selects them (municipal files: see :meth:`_gemeentelijk`)."""
        keuze = self.keuze()
        bron, entiteit = spec.raw.split(".", 1)[1].split("__", 1)
        files = keuze.gekozen[(keuze.gekozen["bron"] == bron) & (keuze.gekozen["entiteit"] == entiteit)]
        if not len(files):
            return f"select {cols} from {spec.raw} r where 1 = 0", []
        params: list = []
        # a municipal record's gemeente needs the reference list: decided afterwards (_gemeentelijk)
        gemeentelijk = bron == GEMEENTELIJK
        gem = gemeente_sql("r." + GEMEENTE_KOLOM.get(entiteit, "gemeentecode"))
        clauses = []
        for row in files.itertuples():
            vervangen = keuze.vervangingen.get((bron, entiteit, row.uitvoerder), {})
            clause = "(r._bestand = ? and r._versie = ?"
            params += [row.path, int(row.versie)]
            if vervangen and not gemeentelijk:
                clause += f" and coalesce({gem}, '') not in ({', '.join('?' for _ in vervangen)})"
                params += sorted(vervangen)
            clauses.append(clause + ")")
            for g, pv in sorted(vervangen.items()):
                if pv is None:
                    continue
                if gemeentelijk:  # every row of the file; the record's gemeente decides afterwards
                    clauses.append("(r._bestand = ? and r._versie = ?)")
                    params += [pv[0], pv[1]]
                else:
                    clauses.append(f"(r._bestand = ? and r._versie = ? and {gem} = ?)")
                    params += [pv[0], pv[1], g]
        where = " or ".join(clauses)
        names = ", ".join(spec.kolommen)
        if spec.raw == "raw.duo__personen":
            # one row per person: the newest delivery, then the last line (as stg_duo__personen)
            return (
                f"select {names} from (select {cols}, row_number() over (partition by {DUO_PERSOON} "
                f"order by r._leverdatum desc, r._regelnummer desc) as _rang "
                f"from {spec.raw} r where {where}) t where _rang = 1",
                params,
            )
        if spec.raw == "raw.coa_tvs__taakstelling":
            # one row per gemeente and half year: the last line (as stg_coa_tvs__taakstelling)
            return (
                f"select {names} from (select {cols}, row_number() over (partition by {TVS_PERIODE} "
                f"order by r._leverdatum desc, r._regelnummer desc) as _rang "
                f"from {spec.raw} r where {where}) t where _rang = 1",
                params,
            )
        if spec.raw == "raw.coa_tvs__koppelingen":
            # a person's koppelingen from one delivery: the newest (as stg_coa_tvs__koppelingen)
            return (
                f"select {names} from (select {cols}, r._leverdatum as _ld, "
                f"max(r._leverdatum) over (partition by {TVS_PERSOON}) as _nieuwste "
                f"from {spec.raw} r where {where}) t where _ld = _nieuwste",
                params,
            )
        return f"select {cols} from {spec.raw} r where {where}", params

    def _gemeentelijk(self, naam: str, df: pd.DataFrame) -> pd.DataFrame:
        """Rows of a municipal file: from the chosen delivery, unless it is held back for the
        record's gemeente - the one it is counted against (:meth:`toerekenen`: the woongemeente
        when the deliverer executes for it, else the deliverer), for a file about a klant that of
        the klant's dossier in force. Then a klant's dossiers from one delivery, the newest
        (as staging: macro rijen_in_kracht, stg_gemeente__klanten, stg_gemeente__dossiers)."""
        keuze = self.keuze()
        entiteit = BASIS[naam].raw.split("__", 1)[1]
        gekozen = keuze.gekozen[
            (keuze.gekozen["bron"] == GEMEENTELIJK) & (keuze.gekozen["entiteit"] == entiteit)
        ]
        vervangingen = {
            u: per_g for (b, e, u), per_g in keuze.vervangingen.items() if b == GEMEENTELIJK and e == entiteit
        }
        if vervangingen and len(df):
            if naam == "dossiers":
                gemeenten = self.toerekenen(df[["uitvoerder", "woongemeente"]].copy())[
                    "gemeentecode"
                ].tolist()
            else:
                klanten = self.toerekenen(self.klant_gemeente())
                gem = dict(
                    zip(
                        zip(klanten["uitvoerder"], klanten["klantnummer"], strict=True),
                        klanten["gemeentecode"],
                        strict=True,
                    )
                )
                gemeenten = [
                    gem.get((u, k)) or u for u, k in zip(df["uitvoerder"], df["klantnummer"], strict=True)
                ]
            chosen = dict(zip(gekozen["uitvoerder"], gekozen["path"], strict=True))
            keep = []
            for u, g, b in zip(df["uitvoerder"], gemeenten, df["bestand"], strict=True):
                per_g = vervangingen.get(u, {})
                if b == chosen.get(u):
                    keep.append(g not in per_g)
                else:
                    pv = per_g.get(g)
                    keep.append(pv is not None and pv[0] == b)
            df = df[pd.Series(keep, index=df.index, dtype=bool)].reset_index(drop=True)
        if naam == "dossiers" and len(df):
            newest = df.groupby(["uitvoerder", "klantnummer"], dropna=False)["leverdatum"].transform("max")
            df = df[df["leverdatum"] == newest].reset_index(drop=True)
        return df

    def gekozen_bestanden(self) -> pd.DataFrame:
        """The files in force (path, versie, bron, uitvoerder, leverdatum, row counts)."""
        if self._bezig is not None:
            self._bezig.add("*")
        if self.bron != "raw" and self.wh.has_relation("staging.stg_audit__bestanden"):
            out = self.wh.query_frame(
                                "select b.path, b.versie, b.bron, b.entiteit, b.uitvoerder, b.leverdatum, l.rijen_in, "
                "l.rijen_geladen, l.rijen_afgewezen from staging.stg_audit__bestanden b "
                "join audit.bestanden l on l.path = b.path and l.versie = b.versie and l.status = 'geladen' "
                "where b.gekozen or exists (select 1 from staging.stg_audit__vervangingen v "
                "where v.path = b.path and v.versie = b.versie)",
            )
            # one representation whichever path: None for "no uitvoerder" (national sources)
            out["uitvoerder"] = out["uitvoerder"].astype(object).where(out["uitvoerder"].notna(), None)
            return out
        keuze = self.keuze()
        wanted = keuze.bestanden()
        k = keuze.kandidaten
        out = k[[(p, int(v)) in wanted for p, v in zip(k["path"], k["versie"], strict=True)]].reset_index(
            drop=True
        )
        out["uitvoerder"] = out["uitvoerder"].where(out["uitvoerder"] != "", None)
        out["leverdatum"] = pd.to_datetime(out["leverdatum"])  # as the database returns it
        return out

    # -- check tables -------------------------------------------------------
    def tabel(self, naam: str) -> pd.DataFrame:
        if naam not in self._tabellen:
            self._bezig = set()
            try:
                df = TABELLEN[naam].bouw(self)
            finally:
                self.gebruikt[naam], self._bezig = self._bezig, None
            self._tabellen[naam] = _afronden(df, TABELLEN[naam].bron)
        return self._tabellen[naam]

    # -- shared lookups -----------------------------------------------------
    def klant_gemeente(self) -> pd.DataFrame:
        """(uitvoerder, klantnummer) -> woongemeente and doelgroep, from the dossiers."""
        d = self.basis("dossiers")
        # the last line of the newest delivery, as stg_gemeente__klanten
        out = d.sort_values(["leverdatum", "regelnummer"]).drop_duplicates(
            ["uitvoerder", "klantnummer"], keep="last"
        )
        return out[["uitvoerder", "klantnummer", "woongemeente", "doelgroep"]]

    def persoon_klant(self) -> pd.DataFrame:
        """persoon_id -> the klantnummer of the person's latest dossier (for records from DUO and COA)."""
        d = self.basis("dossiers")
        d = d[d["persoon_id"].notna()].sort_values(["datum_dossier", "regelnummer"])
        return d.drop_duplicates("persoon_id", keep="last")[["persoon_id", "klantnummer"]]

    def duo_pip(self) -> pd.DataFrame:
        duo = self.basis("duo")
        out = duo[duo["persoon_id"].notna()].drop_duplicates("persoon_id", keep="last").copy()
        out["leerroute_duo"] = [
            DUO_ROUTE.get((r, n if isinstance(n, str) else None)) if isinstance(r, str) else None
            for r, n in zip(out["pip_route"], out["pip_niveau"], strict=True)
        ]
        return out[["persoon_id", "pip_dagtekening", "leerroute_duo", "wet", "plicht_indicator"]]

    def met_woongemeente(self, df: pd.DataFrame) -> pd.DataFrame:
        """Attach the woongemeente of the dossier; a record without dossier counts for its uitvoerder."""
        out = df.merge(self.klant_gemeente(), on=["uitvoerder", "klantnummer"], how="left")
        return self.toerekenen(out)


# --- the check tables ------------------------------------------------------------


@dataclass(frozen=True)
class Tabel:
    bron: str  # gemeente | duo | coa_tvs | begeleiding | levering
    omschrijving: str
    bouw: Callable[[Gegevens], pd.DataFrame]


def _dagen(eind: pd.Series, start: pd.Series) -> pd.Series:
    return (eind - start).dt.days.astype("Float64")


def _dossiers(g: Gegevens) -> pd.DataFrame:
    d = g.toerekenen(g.basis("dossiers").copy())
    d["kenmerk"] = d["klantnummer"]
    pip = g.duo_pip()[["persoon_id", "pip_dagtekening"]].rename(columns={"pip_dagtekening": "pip_duo"})
    d = d.merge(pip, on="persoon_id", how="left")
    d["pip_bekend"] = d["datum_pip"].fillna(d["pip_duo"])
    d["dagen_sinds_brp"] = _dagen(d["leverdatum"], d["datum_inschrijving_brp"])
    d["dagen_sinds_pip"] = _dagen(d["leverdatum"], d["pip_bekend"])
    termijn = d["datum_inschrijving_brp"] + pd.Timedelta(days=PIP_TERMIJN_DAGEN)
    d["in_zorg_na_pip_termijn"] = d["datum_uitstroom"].isna() | (d["datum_uitstroom"] > termijn)
    routes = g.basis("leerroutes").groupby(["uitvoerder", "klantnummer"]).size().rename("aantal_leerroutes")
    d = d.merge(routes.reset_index(), on=["uitvoerder", "klantnummer"], how="left")
    d["aantal_leerroutes"] = d["aantal_leerroutes"].fillna(0).astype("int64")
    # the n-th open dossier of the same person (by persoon_id; by klantnummer when there is no BSN)
    d["_persoon"] = d["persoon_id"].fillna(d["uitvoerder"] + "/" + d["klantnummer"])
    open_ = d["datum_uitstroom"].isna()
    d["open_dossier_volgnummer"] = (
        d[open_].sort_values(["datum_dossier", "regelnummer"]).groupby("_persoon").cumcount() + 1
    )
    d["open_dossier_volgnummer"] = d["open_dossier_volgnummer"].astype("Int64")
    d = _voortgang(g, d)
    return d.drop(columns=["_persoon"])


def _voortgang(g: Gegevens, d: pd.DataFrame) -> pd.DataFrame:
    """Progress conversations (VOORTGANGSGESPREK) in the first months of the DUO termijn.

    Judged only where that window has passed by the delivery date, for a Wi2021 dossier that
    was still open at its end (uitstroom before it: nothing more was owed)."""
    duo = g.basis("duo")
    duo = duo[duo["persoon_id"].notna()].drop_duplicates("persoon_id", keep="last")
    d = d.merge(duo[["persoon_id", "termijn_startdatum"]], on="persoon_id", how="left")
    d["voortgang_venster_eind"] = d["termijn_startdatum"] + pd.DateOffset(months=VOORTGANG_VENSTER_MAANDEN)
    a = g.basis("activiteiten")
    a = a[a["soort"].eq("VOORTGANGSGESPREK").fillna(False)][["uitvoerder", "klantnummer", "datum_start"]]
    a = a.merge(
        d[["uitvoerder", "klantnummer", "termijn_startdatum", "voortgang_venster_eind"]],
        on=["uitvoerder", "klantnummer"],
    )
    a = a[(a["datum_start"] >= a["termijn_startdatum"]) & (a["datum_start"] < a["voortgang_venster_eind"])]
    n = a.groupby(["uitvoerder", "klantnummer"]).size().rename("voortgangsgesprekken_eerste_jaar")
    d = d.merge(n.reset_index(), on=["uitvoerder", "klantnummer"], how="left")
    d["voortgangsgesprekken_eerste_jaar"] = d["voortgangsgesprekken_eerste_jaar"].fillna(0).astype("int64")
    d["voortgang_te_beoordelen"] = (
        (
            d["wet"].fillna("Wi2021").eq("Wi2021")
            & d["voortgang_venster_eind"].notna()
            & (d["voortgang_venster_eind"] <= d["leverdatum"])
            & (d["datum_uitstroom"].isna() | (d["datum_uitstroom"] >= d["voortgang_venster_eind"]))
        )
        .fillna(False)
        .astype(bool)
    )
    return d.drop(columns=["termijn_startdatum"])


def _leerroutes(g: Gegevens) -> pd.DataFrame:
    r = g.met_woongemeente(g.basis("leerroutes"))
    r["kenmerk"] = r["klantnummer"]
    open_ = r["datum_eind"].isna()
    r["open_route_volgnummer"] = (
        r[open_].sort_values(["datum_start", "regelnummer"]).groupby(["uitvoerder", "klantnummer"]).cumcount()
        + 1
    )
    r["open_route_volgnummer"] = r["open_route_volgnummer"].astype("Int64")
    r["gestart"] = r["datum_start"] <= r["leverdatum"]
    return r


def _route_in_kracht(routes: pd.DataFrame) -> pd.DataFrame:
    """Per person the route in force: the earliest-started open route, else the last one."""
    r = routes.assign(_open=routes["datum_eind"].isna())
    # open routes first, among them the earliest start; otherwise the latest start
    r["_volgorde"] = np.where(
        r["_open"], r["datum_start"].rank(method="first"), -r["datum_start"].rank(method="first")
    )
    r = r.sort_values(["_open", "_volgorde"], ascending=[False, True])
    return r.drop_duplicates(["uitvoerder", "klantnummer"], keep="first").drop(columns=["_open", "_volgorde"])


def _personen_leerroute(g: Gegevens) -> pd.DataFrame:
    routes = g.basis("leerroutes")
    p = _route_in_kracht(routes)
    p = g.met_woongemeente(p)
    p["kenmerk"] = p["klantnummer"]
    p["leerroute_in_kracht"] = p["leerroute"]
    p["route_open"] = p["datum_eind"].isna()
    p["dagen_op_route"] = _dagen(p["leverdatum"], p["datum_start"])
    # DUO's PIP leerroute, linked through the dossier's persoon_id
    dossiers = g.basis("dossiers")
    link = dossiers[dossiers["persoon_id"].notna()].drop_duplicates(
        ["uitvoerder", "klantnummer"], keep="last"
    )
    p = p.merge(
        link[["uitvoerder", "klantnummer", "persoon_id"]], on=["uitvoerder", "klantnummer"], how="left"
    )
    p = p.merge(g.duo_pip()[["persoon_id", "leerroute_duo"]], on="persoon_id", how="left")
    # participation hours (PARTICIPATIE, PVT, MAP) registered by the delivery date
    a = g.basis("activiteiten")
    a = a[a["soort"].isin(["PARTICIPATIE", "PVT", "MAP"]) & (a["datum_start"] <= a["leverdatum"])]
    uren = a.groupby(["uitvoerder", "klantnummer"])["uren"].sum(min_count=1).rename("participatie_uren")
    p = p.merge(uren.reset_index(), on=["uitvoerder", "klantnummer"], how="left")
    p["participatie_uren"] = p["participatie_uren"].astype("Float64").fillna(0.0)
    return p


def _activiteiten(g: Gegevens) -> pd.DataFrame:
    """The largest table (a row per lesson week): only the columns the checks read, and
    categories for the repeated texts."""
    a = g.met_woongemeente(g.basis("activiteiten"))
    a = a[["uitvoerder", "klantnummer", "gemeentecode", "soort", "datum_start", "uren", "bestand", "leverdatum",
           "regelnummer"]]  # fmt: skip
    a["uren"] = a["uren"].astype("Float64")
    for col in ("uitvoerder", "gemeentecode", "soort", "bestand"):
        a[col] = a[col].astype("category")
    return a


def _uitkomsten(g: Gegevens) -> pd.DataFrame:
    u = g.met_woongemeente(g.basis("uitkomsten"))
    u["kenmerk"] = u["klantnummer"]
    return u


def _handhaving(g: Gegevens) -> pd.DataFrame:
    h = g.met_woongemeente(g.basis("handhaving"))
    h["kenmerk"] = h["klantnummer"]
    h["bedrag"] = h["bedrag"].astype("Float64")
    h["jaar"] = h["datum"].dt.year.astype("Int64")
    boete = h["maatregel"].eq("BOETE").fillna(False)
    h["boete_na_pip"] = (boete & h["grond"].isin(NA_PIP_GRONDEN)).astype(bool)
    h["boete_brede_intake"] = (boete & h["grond"].eq("BREDE_INTAKE").fillna(False)).astype(bool)
    h["boete_telt_voor_maximum"] = (boete & h["grond"].isin(MAXIMUM_GRONDEN)).astype(bool)
    # the leerroute is not enforceable for gezinsmigranten: no LEERROUTE fine
    h["boete_leerroute_gezinsmigrant"] = (
        boete & h["grond"].eq("LEERROUTE").fillna(False) & h["doelgroep"].eq("gezinsmigrant").fillna(False)
    ).astype(bool)
    # per fine: the person's PVT/MAP/LEERROUTE fines in the 365 days up to and including its date,
    # and those within the inburgeringstermijn (DUO) up to its date. Only the fine that takes the
    # sum over a maximum (and any later one while it stays over) is reported, never the ones before.
    h = h.sort_values(["uitvoerder", "klantnummer", "datum", "regelnummer"]).reset_index(drop=True)
    termijn = _termijnen(g)
    h = h.merge(termijn, on=["uitvoerder", "klantnummer"], how="left")
    som_venster: list[float | None] = []
    som_termijn: list[float | None] = []
    venster = pd.Timedelta(days=BOETE_VENSTER_DAGEN)
    for _, groep in h.groupby(["uitvoerder", "klantnummer"], sort=False):
        telt = groep["boete_telt_voor_maximum"].to_numpy()
        datums = groep["datum"].to_numpy()
        bedragen = groep["bedrag"].fillna(0).to_numpy(dtype=float)
        start = groep["termijn_startdatum"].iloc[0]
        eind = groep["termijn_einddatum"].iloc[0]
        for i in range(len(groep)):
            if not telt[i] or pd.isna(datums[i]):
                som_venster.append(None)
                som_termijn.append(None)
                continue
            d = datums[i]
            mee = telt & (datums <= d) & (datums > d - venster)
            som_venster.append(float(bedragen[mee].sum()))
            in_termijn = telt & (datums <= d)
            if not pd.isna(start):
                in_termijn &= datums >= np.datetime64(start)
            if not pd.isna(eind):
                in_termijn &= datums <= np.datetime64(eind)
            binnen = (pd.isna(start) or d >= np.datetime64(start)) and (
                pd.isna(eind) or d <= np.datetime64(eind)
            )
            som_termijn.append(float(bedragen[in_termijn].sum()) if binnen else None)
    h["boetes_365_dagen"] = pd.array(som_venster, dtype="Float64")
    h["boetes_in_termijn"] = pd.array(som_termijn, dtype="Float64")
    return h.drop(columns=["termijn_startdatum", "termijn_einddatum"])


def _termijnen(g: Gegevens) -> pd.DataFrame:
    """(uitvoerder, klantnummer) -> the person's inburgeringstermijn at DUO (start, end)."""
    d = g.basis("dossiers")
    d = d[d["persoon_id"].notna()].drop_duplicates(["uitvoerder", "klantnummer"], keep="last")
    duo = g.basis("duo")
    duo = duo[duo["persoon_id"].notna()].drop_duplicates("persoon_id", keep="last")
    out = d[["uitvoerder", "klantnummer", "persoon_id"]].merge(
        duo[["persoon_id", "termijn_startdatum", "termijn_einddatum"]], on="persoon_id", how="left"
    )
    return out.drop(columns=["persoon_id"])


def _duo(g: Gegevens) -> pd.DataFrame:
    p = g.basis("duo").copy()
    p = p.merge(g.persoon_klant(), on="persoon_id", how="left")
    p["kenmerk"] = p["klantnummer"].fillna("DUO-regel " + p["regelnummer"].astype("string"))
    niveau = p["pip_niveau"].fillna("-")
    p["pip_route_niveau"] = (p["pip_route"] + "+" + niveau).where(p["pip_route"].notna())
    return _termijn_resultaat(g, p)


def _duo_regels(g: Gegevens, tabel: str, kolommen: tuple[str, ...]) -> pd.DataFrame:
    """The lines of a DUO list (examens, ontheffingen, vrijstellingen) with the person line they
    belong to (file, version, line): the same rows whether the person rows came from staging or raw."""
    naam = f"raw.duo__{tabel}"
    sleutel = ["bestand", "versie", "regelnummer"]
    if not g.wh.has_relation(naam):
        return pd.DataFrame(columns=sleutel + list(kolommen))
    cols = ", ".join(kolommen)
    return g.wh.query_frame(
                f"select _bestand as bestand, _versie as versie, _regelnummer as regelnummer, {cols} from {naam}",
    )


def _termijn_resultaat(g: Gegevens, p: pd.DataFrame) -> pd.DataFrame:
    """Does the person's termijn end within 6 months of the delivery (still inburgeringsplichtig),
    and is there any exam, a finished Z-route or a full ontheffing or vrijstelling by then?"""
    sleutel = ["bestand", "versie", "regelnummer"]
    p["versie"] = p["versie"].astype("Int64")
    eind = p["termijn_einddatum"]
    grens = p["leverdatum"] + pd.DateOffset(months=TERMIJN_BIJNA_VERSTREKEN_MAANDEN)
    # only the gemeenten regie serves (the reference list, and every gemeente that delivers its
    # own municipal files): DUO's register also names people who moved elsewhere, and regie
    # neither judges nor mails a gemeente it does not serve
    bediend = set(g.uitvoerders()) | set(g.basis("dossiers")["uitvoerder"].dropna())
    eigen = p["gemeentecode"].isin(list(bediend)).fillna(False).astype(bool)
    p["termijn_eindigt_binnenkort"] = (
        (
            eigen
            & p["plicht_indicator"].fillna(True).astype(bool)
            & eind.notna()
            & (eind >= p["leverdatum"])
            & (eind <= grens)
        )
        .fillna(False)
        .astype(bool)
    )
    gevonden = set()
    for tabel, datum, extra in (
        ("examens", "examendatum", None),
        ("ontheffingen", "datum_oordeel", "soort"),
        ("vrijstellingen", "datum_oordeel", "soort"),
    ):
        regels = _duo_regels(g, tabel, (datum,) + ((extra,) if extra else ()))
        if extra:
            regels = regels[regels[extra].astype("string").str.lower().eq("geheel").fillna(False)]
        regels = regels.copy()
        regels["versie"] = regels["versie"].astype("Int64")
        regels[datum] = pd.to_datetime(regels[datum], errors="coerce")
        m = regels.merge(p[sleutel + ["leverdatum"]], on=sleutel)
        m = m[m[datum].notna() & (m[datum] <= m["leverdatum"])]
        gevonden |= set(zip(m["bestand"], m["versie"], m["regelnummer"], strict=True))
    heeft = [
        (b, v, r) in gevonden for b, v, r in zip(p["bestand"], p["versie"], p["regelnummer"], strict=True)
    ]
    zroute = (p["zroute_datum_afronding"].notna() & (p["zroute_datum_afronding"] <= p["leverdatum"])).fillna(
        False
    )
    p["examen_of_resultaat"] = (pd.Series(heeft, index=p.index, dtype=bool) | zroute).astype(bool)
    return p.drop(columns=["versie"])


def _koppelingen(g: Gegevens) -> pd.DataFrame:
    k = g.basis("koppelingen").copy()
    k = k.merge(g.persoon_klant(), on="persoon_id", how="left")
    k["kenmerk"] = (
        "huishouden "
        + k["huishouden_id"].astype("string")
        + ", gekoppeld "
        + k["koppeldatum"].dt.strftime("%d-%m-%Y")
    )
    k["huisvestingsjaar"] = k["huisvestingsdatum"].dt.year.astype("Float64")
    k["leeftijd_bij_huisvesting"] = (k["huisvestingsjaar"] - k["geboortejaar"].astype("Float64")).astype(
        "Float64"
    )
    k["dagen_sinds_huisvesting"] = _dagen(k["leverdatum"], k["huisvestingsdatum"])
    duo = g.duo_pip()[["persoon_id", "wet", "plicht_indicator"]]
    k = k.merge(duo, on="persoon_id", how="left")
    # DUO says the person is under Wi2013 or not inburgeringsplichtig: no municipal dossier expected
    k["dossier_verwacht"] = ~(
        k["wet"].eq("Wi2013").fillna(False) | k["plicht_indicator"].eq(False).fillna(False)
    )
    k["dossier_verwacht"] = k["dossier_verwacht"].astype(bool)
    return k.drop(columns=["wet", "plicht_indicator"])


def _taakstelling(g: Gegevens) -> pd.DataFrame:
    t = g.basis("taakstelling").copy()
    t["jaar"] = t["periode"].str.slice(0, 4).astype("int64")
    t["halfjaar"] = np.where(t["periode"].str.upper().str.endswith("-II"), 2, 1)
    t = t.sort_values(["gemeentecode", "jaar", "halfjaar"])
    for c in ("stand_begin", "taakstelling", "gerealiseerd"):
        t[c] = t[c].astype("Int64")
    eind = t["stand_begin"] + t["taakstelling"] - t["gerealiseerd"]
    t["vorige_stand_eind"] = eind.groupby(t["gemeentecode"]).shift(1).astype("Int64")
    t["correctie"] = t["stand_begin"] - t["vorige_stand_eind"]
    # persons the TVS shows as housed in the half year (any later status; an omgekoppeld person
    # counts for the gemeente that housed them)
    k = g.basis("koppelingen")
    k = k[k["huisvestingsdatum"].notna()]
    if len(k):
        tvs = (
            k.assign(
                jaar=k["huisvestingsdatum"].dt.year,
                halfjaar=np.where(k["huisvestingsdatum"].dt.month <= 6, 1, 2),
            )
            .groupby(["gemeentecode", "jaar", "halfjaar"])
            .size()
            .rename("gerealiseerd_tvs")
            .reset_index()
        )
        t = t.merge(tvs, on=["gemeentecode", "jaar", "halfjaar"], how="left")
        t["gerealiseerd_tvs"] = t["gerealiseerd_tvs"].fillna(0).astype("Int64")
    else:  # no koppelingen delivered: nothing to compare with
        t["gerealiseerd_tvs"] = pd.array([pd.NA] * len(t), dtype="Int64")
    t["kenmerk"] = "periode " + t["periode"]
    t["klantnummer"] = None
    return t


def _leveringen(g: Gegevens) -> pd.DataFrame:
    """The delivered lines of the files in force: each rejected line as a row (with its line
    number and reason; reasons never quote an identifying value, see regie.ingest), and per
    file one row standing for all its loaded lines (``aantal_rijen``)."""
    files = g.gekozen_bestanden().rename(columns={"path": "bestand"})
    rejects = g.wh.query_frame(
        "select path as bestand, versie, regelnummer, reden from audit.afgewezen_rijen"
    )
    in_force = {(p, int(v)) for p, v in zip(files["bestand"], files["versie"], strict=True)}
    keep = [(p, int(v)) in in_force for p, v in zip(rejects["bestand"], rejects["versie"], strict=True)]
    rejects = rejects[pd.Series(keep, index=rejects.index, dtype=bool)].drop(columns=["versie"])
    rejects["aantal_rijen"] = 1
    loaded = files[["bestand"]].assign(regelnummer=pd.NA, reden=None)
    loaded["aantal_rijen"] = files["rijen_geladen"].fillna(0).astype("int64").to_numpy()
    loaded = loaded[loaded["aantal_rijen"] > 0]
    rows = pd.concat([rejects, loaded], ignore_index=True)
    rows = rows.merge(files[["bestand", "bron", "uitvoerder", "leverdatum"]], on="bestand", how="left")
    rows["uitvoerder"] = rows["uitvoerder"].astype(object).where(rows["uitvoerder"].notna(), None)
    rows["gemeentecode"] = leverende_gemeente(rows)
    rows["reden_afwijzing"] = rows["reden"]
    rows["klantnummer"] = None
    rows["kenmerk"] = rows["bestand"] + ", regel " + rows["regelnummer"].astype("string")
    rows["leverancier"] = rows["uitvoerder"].fillna(rows["bron"])
    rows["aantal_rijen"] = rows["aantal_rijen"].astype("int64")
    return rows.drop(columns=["reden"])


def _bestanden(g: Gegevens) -> pd.DataFrame:
    """Per file type and deliverer the newest delivery attempt on or before the peildatum."""
    b = g.wh.query_frame(
                """
        select path as bestand, bron, entiteit, uitvoerder, leverdatum, status, reden
        from (
            select b.*, row_number() over (
                partition by bron, coalesce(entiteit, path), coalesce(uitvoerder, '')
                order by leverdatum desc, geladen_op desc
            ) as nr
            from audit.bestanden b
            where leverdatum is null or leverdatum <= cast(? as date)
        ) laatste
        where nr = 1
        """,
        (g.peildatum,),
    )
    b["gemeentecode"] = leverende_gemeente(b)
    b["klantnummer"] = None
    b["kenmerk"] = b["bestand"]
    b["regelnummer"] = pd.NA
    return b


#: Per soort of trajectory the norm of ref_normen that bounds its length.
TRAJECT_TERMIJN_NORM = {
    "MAATSCHAPPELIJKE_BEGELEIDING": "mb_termijn_dagen",
    "FINANCIEEL_ONTZORGEN": "ontzorgen_termijn_dagen",
}


def _trajecten(g: Gegevens) -> pd.DataFrame:
    """Trajectories of begeleiding: one row per person per trajectory. ``gemeentecode`` is the
    gemeente that commissioned it; the duration runs to the end, or to the peildatum when open
    (as marts.fct_maatschappelijke_begeleiding counts ``langer_dan_termijn``)."""
    t = g.basis("trajecten").copy()
    t = t.merge(g.persoon_klant(), on="persoon_id", how="left") if len(t) else t.assign(klantnummer=None)
    peil = pd.Timestamp(g.peildatum)
    t["duur_dagen"] = _dagen(t["datum_eind"].fillna(peil), t["datum_start"])
    termijn = {soort: normen.geheel(norm) for soort, norm in TRAJECT_TERMIJN_NORM.items()}
    t["termijn_dagen"] = t["soort"].map(termijn).astype("Float64")
    niet_verlengd = t["status"].ne("verlengd").fillna(True)
    for soort, kolom in (
        ("MAATSCHAPPELIJKE_BEGELEIDING", "mb_zonder_verlenging"),
        ("FINANCIEEL_ONTZORGEN", "ontzorgen_zonder_verlenging"),
    ):
        t[kolom] = (t["soort"].eq(soort).fillna(False) & niet_verlengd).astype(bool)
    t["kenmerk"] = (
        t["klantnummer"]
        .astype(object)
        .where(
            t["klantnummer"].notna(),
            t["soort"].str.lower().str.replace("_", " ")
            + " vanaf "
            + t["datum_start"].dt.strftime("%d-%m-%Y")
            + ", regel "
            + t["regelnummer"].astype("string"),
        )
    )
    t["bron"] = "begeleiding"
    return t


#: The national registers: their gemeentecodes are the ones DUO and the COA keep for a person
#: (a move to any of the 342 gemeenten included), so they count as known, and are not judged.
REGISTERS = ("duo", "coa_tvs")


def _gemeentecodes(g: Gegevens) -> pd.DataFrame:
    """Every gemeentecode the deliveries in force name, once per file and column: in a
    column of kind gemeentecode (any source of the catalog but the national registers)
    and in a municipal delivery folder. ``oordeel`` is ``onbekend`` for a code that is
    neither in the reference list nor in a file of DUO or the COA in force."""
    files = g.gekozen_bestanden()
    bekend = set(g.uitvoerders())
    parts = []
    for src in SOURCES:
        table = f"raw.{src.table}"
        cols = [c.target for c in src.columns if c.kind == "gemeentecode"]
        if not cols or not g.wh.has_relation(table):
            continue
        for col in cols:
            found = g.wh.query_frame(
                                f"select r._bestand as bestand, '{col}' as kolom, r.{col} as code, "
                f"min(r._regelnummer) as regelnummer from {table} r "
                f"join ({GEKOZEN_SQL}) k on r._bestand = k.path and r._versie = k.versie "
                f"where r.{col} is not null group by r._bestand, r.{col}",
                (g.peildatum,),
            )
            if src.bron in REGISTERS:
                bekend |= set(found["code"])
            else:
                parts.append(found)
    mappen = files[files["uitvoerder"].notna() & files["bron"].eq(GEMEENTELIJK)]
    parts.append(
        pd.DataFrame(
            {"bestand": mappen["path"], "kolom": "map", "code": mappen["uitvoerder"], "regelnummer": pd.NA}
        )
    )
    rows = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else (pd.DataFrame(columns=["bestand", "kolom", "code", "regelnummer"]))
    )
    rows = rows.merge(
        files.rename(columns={"path": "bestand"})[["bestand", "bron", "uitvoerder", "leverdatum"]],
        on="bestand",
        how="left",
    )
    rows["gemeentecode"] = leverende_gemeente(rows)  # the deliverer's scorecard
    rows["oordeel"] = np.where(rows["code"].isin(bekend), "bekend", "onbekend")
    rows["klantnummer"] = None
    rows["kenmerk"] = rows["bestand"] + ": " + rows["kolom"] + " " + rows["code"]
    return rows


def _leverdata(g: Gegevens) -> pd.DataFrame:
    """Every delivery loaded (latest version per path), with its date judged: before 2013
    (no delivery about the Wet inburgering can be older) or after today is suspect."""
    b = g.wh.query_frame(
                """
        select path as bestand, bron, uitvoerder, leverdatum
        from (
            select b.*, row_number() over (partition by path order by versie desc) as nr
            from audit.bestanden b where status = 'geladen'
        ) laatste
        where nr = 1
        """,
    )
    d = pd.to_datetime(b["leverdatum"])
    b["oordeel"] = np.select(
        [d < pd.Timestamp(EARLIEST_LEVERDATUM), d > pd.Timestamp(dt.date.today())],
        [f"voor {EARLIEST_LEVERDATUM:%d-%m-%Y}", "in de toekomst"],
        "plausibel",
    )
    b["gemeentecode"] = leverende_gemeente(b)
    b["klantnummer"] = None
    b["kenmerk"] = b["bestand"]
    b["regelnummer"] = pd.NA
    return b


TABELLEN: dict[str, Tabel] = {
    "dossiers": Tabel("gemeente", "Dossiers van de uitvoerder, een rij per dossier", _dossiers),
    "leerroutes": Tabel("gemeente", "Leerroute-perioden, een rij per periode", _leerroutes),
    "personen_leerroute": Tabel(
        "gemeente",
        "Per klant de leerroute die nu geldt, met DUO's PIP-leerroute en participatie-uren",
        _personen_leerroute,
    ),
    "activiteiten": Tabel("gemeente", "Activiteiten (PVT, MAP, participatie, taalles, ...)", _activiteiten),
    "uitkomsten": Tabel("gemeente", "Uitkomsten (werk, vrijwilligerswerk, opleiding)", _uitkomsten),
    "handhaving": Tabel("gemeente", "Waarschuwingen en boetes", _handhaving),
    "duo": Tabel("duo", "DUO: een rij per inburgeringsplichtige", _duo),
    "koppelingen": Tabel("coa_tvs", "COA TVS: een rij per koppeling", _koppelingen),
    "taakstelling": Tabel(
        "coa_tvs", "COA TVS: gepubliceerde taakstelling per gemeente per halfjaar", _taakstelling
    ),
    "leveringen": Tabel("levering", "Elke aangeleverde regel van de bestanden die gelden", _leveringen),
    "bestanden": Tabel("levering", "De nieuwste aanlevering per bestandssoort en leverancier", _bestanden),
    "gemeentecodes": Tabel(
        "levering", "Elke gemeentecode in de bestanden die gelden, per bestand en kolom", _gemeentecodes
    ),
    "leverdata": Tabel("levering", "Elke geladen aanlevering met haar leverdatum", _leverdata),
    "trajecten": Tabel(
        "begeleiding", "Trajecten maatschappelijke begeleiding en financieel ontzorgen", _trajecten
    ),
}


# --- normalising -----------------------------------------------------------------


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """One set of dtypes whichever backend and path the rows came from."""
    df = df.copy()
    for col in df.columns:
        if col in _DATUMKOLOMMEN:
            df[col] = pd.to_datetime(df[col], errors="coerce").astype("datetime64[us]")
        elif df[col].dtype == object:
            sample = df[col].dropna()
            if (
                len(sample)
                and isinstance(sample.iloc[0], (int, np.integer))
                and not isinstance(sample.iloc[0], bool)
            ):
                df[col] = df[col].astype("Int64")
            elif len(sample) and not isinstance(sample.iloc[0], (str, bool, np.bool_)):
                df[col] = pd.to_numeric(df[col], errors="coerce")
    if "regelnummer" in df.columns:
        df["regelnummer"] = df["regelnummer"].astype("Int64")
    if "doelgroep" in df.columns:
        df["doelgroep"] = df["doelgroep"].map(_doelgroep, na_action="ignore")
    return df


def _doelgroep(value: str) -> str:
    v = value.strip().lower()
    if v.startswith(("asiel", "statushouder", "vergunninghouder")):
        return "statushouder"
    if v.startswith(("gezin", "overig")):
        return "gezinsmigrant"
    return v


def _afronden(df: pd.DataFrame, bron: str) -> pd.DataFrame:
    """The standard columns in front, identifiers gone, a fresh row key."""
    df = df.drop(columns=[c for c in df.columns if c in VERBODEN_KOLOMMEN]).reset_index(drop=True)
    if "bron" not in df.columns:
        df["bron"] = bron
    for col in STANDAARD_KOLOMMEN[1:]:
        if col not in df.columns:
            df[col] = None
    df["rij"] = np.arange(len(df), dtype="int64")
    rest = [c for c in df.columns if c not in STANDAARD_KOLOMMEN]
    return df[list(STANDAARD_KOLOMMEN) + rest]
