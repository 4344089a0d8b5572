"""The one place that knows where the checks get their data: the dbt models ``kwaliteit.*``.

Every check validates one of the check tables (``TABELLEN``): one row per record
a check may judge, plus the few derived columns the checks need (days since BRP
registration, the route in force, fines within the legal window, ...). They are
dbt models (``dbt_project/models/kwaliteit/kw_<tabel>.sql``, views in schema
``kwaliteit``), built from staging with the macros and seeds the marts use: the
delivery choice (``stg_audit__bestanden``, macro ``rijen_in_kracht``), the code
mappings (``macros/codes.sql``), the route in force (macro
``leerroute_in_kracht_rang``, shared with ``int_leerroute_op_peildatum``) and
every legal term (seed ``ref_normen``, macro ``norm``). Python builds no check
table; it reads them.

Which deliveries they show (dbt var ``kwaliteit_keuze``):

- ``in_kracht`` (schema ``kwaliteit``, built by the transform DAG with the
  marts): the deliveries the blocking checks judged and did not hold back. What
  the quality DAG checks.
- ``kandidaat`` (schema ``kwaliteit_kandidaat``, over ``staging_kandidaat``):
  every loaded delivery on or before the peildatum, minus what the blocking gate
  (regie.quality.blocking) holds back so far (``audit.kwaliteit_kandidaat_blokkades``).
  The gate builds these views (:func:`bouw`) before it judges, so it never
  changes what the marts are built from; as views they show each new state of
  the working table at once, without another dbt run.

Privacy: no model in ``kwaliteit`` has a pseudonym, BSN, V-nummer or birth date
column (``persoon_id`` links the sources inside the models only), so no page,
finding or mail can hold one.

Every table has these columns besides its own: ``rij`` (0, 1, ...: the key GX
reports failing rows by, and the row's position in :meth:`Gegevens.tabel`),
``gemeentecode`` (the gemeente the record is about; for a delivery, the
delivering gemeente), ``bron``, ``bestand``, ``regelnummer``, ``leverdatum``,
``klantnummer`` and ``kenmerk`` (how the gemeente finds the record where it has
no klantnummer).
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import normen
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

# The terms the expectations name in their thresholds and explanations: read from seed
# ref_normen (regie.normen), the same numbers the kwaliteit models read with norm().
PIP_TERMIJN_DAGEN = normen.geheel("pip_termijn_dagen")
DOSSIER_TERMIJN_DAGEN = normen.geheel("dossier_termijn_dagen")
ZROUTE_AANLOOP_DAGEN = normen.geheel("zroute_aanloop_dagen")
VOORTGANG_MINIMUM = normen.geheel("voortgangsgesprekken_minimum")
VOORTGANG_VENSTER_MAANDEN = normen.geheel("voortgangsgesprekken_venster_maanden")
TERMIJN_BIJNA_VERSTREKEN_MAANDEN = normen.geheel("termijn_bijna_verstreken_maanden")
#: Per soort of trajectory the norm of ref_normen that bounds its length (the SQL side:
#: macro traject_termijn_dagen; tests/test_kwaliteit_definitions.py holds the two equal).
TRAJECT_TERMIJN_NORM = {
    "MAATSCHAPPELIJKE_BEGELEIDING": "mb_termijn_dagen",
    "FINANCIEEL_ONTZORGEN": "ontzorgen_termijn_dagen",
}

#: The values of var kwaliteit_keuze, and the schema each builds the check tables in.
KEUZES = {"in_kracht": "kwaliteit", "kandidaat": "kwaliteit_kandidaat"}
#: The staging schema of each choice (the check tables read it; so does the gate).
STAGING = {"in_kracht": "staging", "kandidaat": "staging_kandidaat"}
#: The gate's working state: what it holds back so far, per peildatum (read by the
#: kandidaat build's stg_audit__vervangingen; dbt creates it before every run, macro
#: kwaliteit_kandidaat_blokkades_maken).
KANDIDAAT_BLOKKADES = "audit.kwaliteit_kandidaat_blokkades"


@dataclass(frozen=True)
class Tabel:
    bron: str  # gemeente | duo | coa_tvs | begeleiding | levering
    omschrijving: str
    model: str  # the dbt model (dbt_project/models/kwaliteit/<model>.sql)


TABELLEN: dict[str, Tabel] = {
    "dossiers": Tabel("gemeente", "Dossiers van de uitvoerder, een rij per dossier", "kw_dossiers"),
    "leerroutes": Tabel("gemeente", "Leerroute-perioden, een rij per periode", "kw_leerroutes"),
    "personen_leerroute": Tabel(
        "gemeente",
        "Per klant de leerroute die nu geldt, met DUO's PIP-leerroute en participatie-uren",
        "kw_personen_leerroute",
    ),
    "activiteiten": Tabel(
        "gemeente", "Activiteiten (PVT, MAP, participatie, taalles, ...)", "kw_activiteiten"
    ),
    "uitkomsten": Tabel("gemeente", "Uitkomsten (werk, vrijwilligerswerk, opleiding)", "kw_uitkomsten"),
    "handhaving": Tabel("gemeente", "Waarschuwingen en boetes", "kw_handhaving"),
    "duo": Tabel("duo", "DUO: een rij per inburgeringsplichtige", "kw_duo"),
    "koppelingen": Tabel("coa_tvs", "COA TVS: een rij per koppeling", "kw_koppelingen"),
    "taakstelling": Tabel(
        "coa_tvs", "COA TVS: gepubliceerde taakstelling per gemeente per halfjaar", "kw_taakstelling"
    ),
    "leveringen": Tabel("levering", "Elke aangeleverde regel van de bestanden die gelden", "kw_leveringen"),
    "bestanden": Tabel(
        "levering", "De nieuwste aanlevering per bestandssoort en leverancier", "kw_bestanden"
    ),
    "gemeentecodes": Tabel(
        "levering", "Elke gemeentecode in de bestanden die gelden, per bestand en kolom", "kw_gemeentecodes"
    ),
    "leverdata": Tabel("levering", "Elke geladen aanlevering met haar leverdatum", "kw_leverdata"),
    "trajecten": Tabel(
        "begeleiding", "Trajecten maatschappelijke begeleiding en financieel ontzorgen", "kw_trajecten"
    ),
}

#: The warehouse relation of every check table, for the deliveries in force: what the
#: expectations validate (``kwaliteit.<tabel>``).
RELATIES: dict[str, str] = {naam: f"{KEUZES['in_kracht']}.{naam}" for naam in TABELLEN}


def relatie(naam: str, keuze: str = "in_kracht") -> str:
    """``schema.name`` of a check table for a choice of deliveries (``in_kracht`` | ``kandidaat``)."""
    if naam not in TABELLEN:
        raise KeyError(f"unknown check table {naam!r} (known: {', '.join(TABELLEN)})")
    return f"{KEUZES[keuze]}.{naam}"


def model_dir() -> Path:
    return project_dir() / "models" / "kwaliteit"


# --- the delivery choice, as the gate records it ------------------------------------


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


def zet_kandidaat_blokkades(wh: Warehouse, peildatum: str, held: set[Tegenhouding] | frozenset) -> None:
    """Replace the gate's working state for the peildatum (one transaction)."""
    import pyarrow as pa

    rows = sorted(held)
    peil = dt.date.fromisoformat(peildatum)
    data = pa.table(
        {
            "peildatum": pa.array([peil] * len(rows), pa.date32()),
            "bron": pa.array([t.bron for t in rows], pa.string()),
            "uitvoerder": pa.array([t.uitvoerder or None for t in rows], pa.string()),
            "leverdatum": pa.array([t.leverdatum for t in rows], pa.date32()),
            "gemeentecode": pa.array([t.gemeentecode for t in rows], pa.string()),
        }
    )
    with wh.transaction():
        wh.execute(f"delete from {KANDIDAAT_BLOKKADES} where peildatum = ?", (peil,))
        wh.insert_arrow(KANDIDAAT_BLOKKADES, data)


# --- building the models --------------------------------------------------------------


def gebouwd_voor(wh: Warehouse, keuze: str) -> str | None:
    """The peildatum the check tables of ``keuze`` were built for (None: not built)."""
    staging = f"{STAGING[keuze]}.stg_audit__bestanden"
    if not all(wh.has_relation(relatie(n, keuze)) for n in TABELLEN) or not wh.has_relation(staging):
        return None
    rows = wh.query(f"select max(peildatum) from {staging}")
    return str(rows[0][0])[:10] if rows and rows[0][0] is not None else ""


def bouw(settings, keuze: str = "kandidaat") -> None:
    """Build the check tables of ``keuze`` (and what they read: seeds, staging) with dbt, for
    the settings' peildatum. dbt runs as a subprocess (regie.transform.run_dbt): call this
    while no connection of this process holds a DuckDB warehouse open.

    The kandidaat build uses its own dbt target folder, so it neither spoils the partial
    parse of the main build nor its run_results."""
    from ..transform import run_dbt

    if keuze not in KEUZES:
        raise ValueError(f"kwaliteit_keuze must be one of {', '.join(KEUZES)}, not {keuze!r}")
    args = [
        "build",
        "--select",
        "+kwaliteit",
        "--exclude-resource-type",
        "test",
        "--exclude-resource-type",
        "unit_test",
    ]
    target = settings.home / "dbt" / f"target_{keuze}" if keuze == "kandidaat" else None
    run_dbt(settings, args, target_path=target, extra_vars={"kwaliteit_keuze": keuze}, check=True)


def zorg_voor_tabellen(settings, bron: str = "auto") -> None:
    """Make sure the check tables ``Gegevens(wh, settings.peildatum, bron)`` reads exist:
    with ``auto`` the ones in force when the transform built them, else the candidates
    (built here when missing or built for another peildatum)."""
    import dataclasses

    from ..peildatum import voor_warehouse
    from ..warehouse import connect

    with connect(settings.warehouse) as wh:
        keuze = _keuze(wh, bron)
        gebouwd = gebouwd_voor(wh, keuze)
        peil = settings.peildatum or voor_warehouse(wh, None).datum
    if keuze == "in_kracht" and gebouwd is not None:
        return
    if gebouwd is None or gebouwd != peil:
        bouw(dataclasses.replace(settings, peildatum=peil), keuze)


def _keuze(wh: Warehouse, bron: str) -> str:
    if bron not in ("auto", "staging", "raw"):
        raise ValueError(f"bron must be auto, staging or raw, not {bron!r}")
    if bron == "staging":
        return "in_kracht"
    if bron == "raw":
        return "kandidaat"
    return "in_kracht" if all(wh.has_relation(r) for r in RELATIES.values()) else "kandidaat"


# --- who a record counts for ------------------------------------------------------------


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


# --- reading the check tables -----------------------------------------------------------


class Gegevens:
    """The check tables for one warehouse and peildatum, read from the kwaliteit models
    (cached per table).

    ``bron``: ``staging`` reads the tables of the deliveries in force (``kwaliteit.*``),
    ``raw`` the blocking gate's candidates (``kwaliteit_kandidaat.*``), ``auto`` the
    former when the transform built them, else the latter. The tables must exist
    (:func:`zorg_voor_tabellen`, :func:`bouw`): reading never runs dbt.
    """

    def __init__(self, wh: Warehouse, peildatum: str | None = None, bron: str = "auto") -> None:
        self.wh = wh
        self.bron = bron
        self.keuze = _keuze(wh, bron)
        self.peildatum = peildatum or self._peildatum()
        self.gelezen_uit: dict[str, str] = {}
        self._tabellen: dict[str, pd.DataFrame] = {}

    def _peildatum(self) -> str:
        """No peildatum given: the one the models were built for, else the latest delivery date."""
        from ..peildatum import voor_warehouse

        gebouwd = gebouwd_voor(self.wh, self.keuze)
        return gebouwd or voor_warehouse(self.wh, None).datum

    def relatie(self, naam: str) -> str:
        return relatie(naam, self.keuze)

    def tabel(self, naam: str) -> pd.DataFrame:
        if naam not in self._tabellen:
            rel = self.relatie(naam)
            if not self.wh.has_relation(rel):
                raise LookupError(
                    f"{rel} does not exist: build the kwaliteit models first "
                    f"(regie.quality.gegevens.bouw or zorg_voor_tabellen)"
                )
            df = self.wh.query_frame(f"select * from {rel} order by rij")
            self.gelezen_uit[naam] = rel
            self._tabellen[naam] = _typed(df)
        return self._tabellen[naam]

    def vergeet(self) -> None:
        """Forget the tables read (the gate's next round reads the new state)."""
        self._tabellen.clear()


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """One set of dtypes whichever backend the rows came from: dates as datetime64, whole
    numbers as Int64, other numbers as Float64, the standard columns first."""
    df = df.copy()
    for col in df.columns:
        s = df[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            df[col] = pd.to_datetime(s).astype("datetime64[us]")
            continue
        if pd.api.types.is_bool_dtype(s):
            continue
        if pd.api.types.is_integer_dtype(s):
            df[col] = s.astype("Int64")
            continue
        if pd.api.types.is_float_dtype(s):
            df[col] = s.astype("Float64")
            continue
        sample = s.dropna()
        if not len(sample):
            continue
        first = sample.iloc[0]
        if isinstance(first, (bool, np.bool_)):
            df[col] = s.astype(bool)
        elif isinstance(first, dt.date):
            df[col] = pd.to_datetime(s).astype("datetime64[us]")
        elif isinstance(first, (int, np.integer)):
            df[col] = s.astype("Int64")
        elif not isinstance(first, str):
            df[col] = pd.to_numeric(s, errors="coerce").astype("Float64")
    if "rij" in df.columns:
        df["rij"] = df["rij"].astype("int64")
    if "regelnummer" in df.columns:
        df["regelnummer"] = pd.to_numeric(df["regelnummer"]).astype("Int64")
    rest = [c for c in df.columns if c not in STANDAARD_KOLOMMEN]
    return df[[c for c in STANDAARD_KOLOMMEN if c in df.columns] + rest]
