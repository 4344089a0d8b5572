"""Every source regie accepts, described as data (see docs/sources.md).

The column lists follow the delivery contract: names, kinds, which fields are
required and which values a listed column may take. The parser reads nothing
else to know what a file should look like.
"""

from __future__ import annotations

from .spec import Child, Column, Source

C = Column

# --- DUO -------------------------------------------------------------------
_DOELGROEP = ("Asielstatushouder", "Gezinsmigrant en overige migrant")

DUO_PERSONEN = Source(
    bron="duo",
    entiteit="personen",
    format="jsonl",
    family="duo",
    description="DUO M2M resources per inburgeringsplichtige, one JSON object per line.",
    columns=(
        C("bsn", "bsn", required=True, path="$.bsn"),
        C("vNummer", "vnummer", path="$.vNummer"),
        C("gemeentecode", "gemeentecode", path="$.gemeentecode"),
        C("wet", "code", values=("Wi2021", "Wi2013"), path="$.wet"),
        C("plicht_indicator", "bool", path="$.inburgeringsplicht.indicatorInburgeringsplicht"),
        C("plicht_begindatum", "date", path="$.inburgeringsplicht.begindatum"),
        C("plicht_einddatum", "date", path="$.inburgeringsplicht.einddatum"),
        C(
            "plicht_datum_kennisgeving",
            "date",
            path="$.inburgeringsplicht.datumKennisgevingInburgeringsplicht",
        ),
        C("plicht_reden_geen", "text", path="$.inburgeringsplicht.redenGeenInburgeringsplicht"),
        C("doelgroep_indeling", "code", values=_DOELGROEP, path="$.doelgroep.indeling"),
        C("doelgroep_gedetailleerd", "text", path="$.doelgroep.gedetailleerdeDoelgroep"),
        C("doelgroep_begindatum", "date", path="$.doelgroep.begindatum"),
        C("pip_dagtekening", "date", path="$.pip.dagtekeningPip"),
        C("pip_leerroute", "code", values=("B", "O", "Z"), path="$.pip.leerroute"),
        C("pip_niveau", "code", values=("A2", "B1"), path="$.pip.niveau"),
        C("pip_geschatte_intensiteit_b1", "text", path="$.pip.geschatteIntensiteitB1Route"),
        C(
            "pip_alfabetisering",
            "code",
            values=("A", "AA", "NVT"),
            path="$.pip.indicatorAlfabetiseringsonderwijs",
        ),
        C("termijn_startdatum", "date", path="$.inburgeringstermijn.startdatum"),
        C("termijn_einddatum", "date", path="$.inburgeringstermijn.einddatum"),
        C("termijn_verlengingsgrond", "text", path="$.inburgeringstermijn.verlengingsgrondcode"),
        C("map_datum_eindgesprek", "date", path="$.map.datumEindgesprekMap"),
        C("map_verwijtbaar", "code", values=("Ja", "Nee"), path="$.map.verwijtbaar"),
        C("pvt_datum_ondertekening", "date", path="$.pvt.datumOndertekeningPvt"),
        C("pvt_verwijtbaar", "code", values=("Ja", "Nee"), path="$.pvt.verwijtbaar"),
        C("zroute_datum_afronding", "date", path="$.zroute.datumAfrondingZroute"),
        C("lening_maximaal", "decimal", path="$.lening.maximaal"),
        C("lening_gebruikt", "decimal", path="$.lening.gebruikt"),
    ),
    children=(
        Child(
            "leerbaarheidstoetsen",
            "$.leerbaarheidstoets",
            (
                C("resultaat", "text", path="$.resultaat"),
                C("behaalde_score", "decimal", path="$.behaaldeScore"),
                C("benodigde_score", "decimal", path="$.benodigdeScore"),
                C("datum_afname", "date", path="$.datumAfname"),
            ),
        ),
        Child(
            "examens",
            "$.examens",
            (
                C("examendatum", "date", path="$.examendatum"),
                C("onderdeel", "code", values=("KNM", "LE", "LU", "SC", "SP"), path="$.onderdeel"),
                C("niveau", "code", values=("A2", "B1", "B2"), path="$.niveau"),
                C("resultaat", "code", values=("Geslaagd", "Gezakt", "Geen"), path="$.resultaat"),
                C("reden_geen_resultaat", "text", path="$.redenGeenResultaat"),
            ),
        ),
        Child(
            "ontheffingen",
            "$.ontheffingen",
            (
                C("soort", "code", values=("geheel", "gedeeltelijk"), path="$.soort"),
                C("oordeel", "text", path="$.oordeel"),
                C("datum_oordeel", "date", path="$.datumOordeel"),
                C("grond", "code", values=("BIO", "MED"), path="$.grond"),
                C("examenonderdeel", "text", path="$.examenonderdeel"),
            ),
        ),
        Child(
            "vrijstellingen",
            "$.vrijstellingen",
            (
                C("soort", "code", values=("geheel", "tijdelijk", "gedeeltelijk"), path="$.soort"),
                C("oordeel", "text", path="$.oordeel"),
                C("reden", "text", path="$.reden"),
                C("datum_oordeel", "date", path="$.datumOordeel"),
            ),
        ),
    ),
)

# --- COA TVS ---------------------------------------------------------------
COA_TAAKSTELLING = Source(
    bron="coa_tvs",
    entiteit="taakstelling",
    format="csv",
    family="coa_tvs",
    description="Published taakstelling balance per gemeente per half year.",
    columns=(
        C("gemeentecode", "gemeentecode", required=True),
        C("gemeentenaam"),
        C("periode", "periode", required=True),
        C("stand_begin", "int", required=True),
        C("taakstelling", "int", required=True),
        C("gerealiseerd", "int", required=True),
        C("peildatum", "date"),
    ),
)

COA_KOPPELINGEN = Source(
    bron="coa_tvs",
    entiteit="koppelingen",
    format="csv",
    family="coa_tvs",
    description="One row per person per koppeling to a gemeente, with housing.",
    columns=(
        C("v_nummer", "vnummer", required=True),
        C("bsn", "bsn"),
        C("huishouden_id", required=True),
        C("huishoudgrootte", "int"),
        C("gemeentecode", "gemeentecode", required=True),
        C("koppeldatum", "date", required=True),
        C(
            "status",
            "code",
            required=True,
            values=("gekoppeld", "gehuisvest", "omgekoppeld", "vertrokken"),
        ),
        C("huisvestingsdatum", "date"),
        C("woningtype", "code", values=("zelfstandig", "onzelfstandig", "doorstroomlocatie")),
        C("nareiziger", "bool"),
        C("opvanglocatie"),
        C("geboortejaar", "int"),
        C("geslacht"),
        C("herkomstland"),
    ),
)

# --- gemeente --------------------------------------------------------------
GEMEENTE_DOSSIERS = Source(
    bron="gemeente",
    entiteit="dossiers",
    format="csv",
    family="gemeente",
    per_gemeente=True,
    description="Case-management export of the uitvoerder, one row per dossier.",
    columns=(
        C("klantnummer", required=True),
        C("bsn", "bsn"),
        C("woongemeente", "gemeentecode", required=True),
        C("doelgroep", "code", required=True, values=("statushouder", "gezinsmigrant")),
        C("wet", "code", required=True, values=("Wi2013", "Wi2021")),
        C("geslacht", "code", values=("M", "V", "X")),
        C("geboortedatum", "geboortedatum", age_on="datum_dossier"),
        C("herkomstland"),
        C("datum_dossier", "date", required=True),
        C("datum_inschrijving_brp", "date"),
        C("datum_brede_intake", "date"),
        C("datum_leerbaarheidstoets", "date"),
        C("datum_pip", "date"),
        C("startklas", "bool"),
        C("datum_uitstroom", "date"),
        C(
            "reden_uitstroom",
            "code",
            values=(
                "diploma",
                "certificaat",
                "ontheffing",
                "vrijstelling",
                "verhuisd",
                "vertrokken",
                "overleden",
                "overig",
            ),
        ),
    ),
)

GEMEENTE_LEERROUTES = Source(
    bron="gemeente",
    entiteit="leerroutes",
    format="csv",
    family="gemeente",
    per_gemeente=True,
    description="Route history: one row per period on a leerroute.",
    columns=(
        C("klantnummer", required=True),
        C("leerroute", "code", required=True, values=("B1", "A2", "OND", "Z", "Z-A2")),
        C("datum_start", "date", required=True),
        C("datum_eind", "date"),
        C("taalaanbieder"),
        C("reden_wijziging"),
    ),
)

GEMEENTE_ACTIVITEITEN = Source(
    bron="gemeente",
    entiteit="activiteiten",
    format="csv",
    family="gemeente",
    per_gemeente=True,
    description="Activities: PVT, MAP, participation, language lessons, progress talks.",
    columns=(
        C("klantnummer", required=True),
        C(
            "soort",
            "code",
            required=True,
            values=("PVT", "MAP", "PARTICIPATIE", "TAALLES", "VOORTGANGSGESPREK", "STARTKLAS"),
        ),
        C("datum_start", "date", required=True),
        C("datum_eind", "date"),
        C("uren", "decimal"),
        C("aanbieder"),
        C("status", "code", values=("gestart", "afgerond", "afgebroken")),
    ),
)

GEMEENTE_UITKOMSTEN = Source(
    bron="gemeente",
    entiteit="uitkomsten",
    format="csv",
    family="gemeente",
    per_gemeente=True,
    description="Outcomes: paid work, volunteering, leerwerktraject, education.",
    columns=(
        C("klantnummer", required=True),
        C(
            "soort",
            "code",
            required=True,
            values=("BETAALD_WERK", "VRIJWILLIGERSWERK", "LEERWERKTRAJECT", "OPLEIDING"),
        ),
        C("datum_start", "date", required=True),
        C("datum_eind", "date"),
        C("uren_per_week", "decimal"),
    ),
)

GEMEENTE_HANDHAVING = Source(
    bron="gemeente",
    entiteit="handhaving",
    format="csv",
    family="gemeente",
    per_gemeente=True,
    description="Warnings and fines.",
    columns=(
        C("klantnummer", required=True),
        C("datum", "date", required=True),
        C("maatregel", "code", required=True, values=("WAARSCHUWING", "BOETE")),
        C("bedrag", "decimal"),
        C("grond", "code", values=("BREDE_INTAKE", "PIP", "PVT", "MAP", "LEERROUTE")),
        C("verrekend_met_bijstand", "bool"),
    ),
)

GEMEENTE_FINANCIEN = Source(
    bron="gemeente",
    entiteit="financien",
    format="csv",
    family="gemeente",
    per_gemeente=True,
    description="Costs (LAST) and revenues (BATE) per year, realised or budgeted.",
    columns=(
        C("gemeentecode", "gemeentecode", required=True),
        C("jaar", "int", required=True),
        C("richting", "code", required=True, values=("LAST", "BATE")),
        C(
            "post",
            "code",
            required=True,
            values=(
                "LEERROUTES",
                "MAATSCHAPPELIJKE_BEGELEIDING",
                "PVT",
                "MAP",
                "PARTICIPATIECOMPONENT",
                "TOLKEN",
                "FORMATIE",
                "GEMEENTEFONDS",
                "OVERIG",
            ),
        ),
        C("soort", "code", required=True, values=("REALISATIE", "BEGROTING")),
        C("bedrag", "decimal", required=True),
    ),
)

# --- rijk and provincie ------------------------------------------------------
RIJK_SPUK = Source(
    bron="rijk",
    entiteit="spuk_beschikkingen",
    format="csv",
    family="rijk_provincie",
    description="SPUK decisions per gemeente and year, provisional and final.",
    columns=(
        C("gemeentecode", "gemeentecode", required=True),
        C("jaar", "int", required=True),
        C("regeling", "code", required=True, values=("G10", "G13", "A38")),
        C("soort", "code", required=True, values=("VOORLOPIG", "DEFINITIEF")),
        C("bedrag", "decimal", required=True),
        C("datum_beschikking", "date"),
    ),
)

PROVINCIE_INTERVENTIELADDER = Source(
    bron="provincie",
    entiteit="interventieladder",
    format="csv",
    family="rijk_provincie",
    description="The provincie's supervision step per gemeente.",
    columns=(
        C("gemeentecode", "gemeentecode", required=True),
        C("datum", "date", required=True),
        C("trede", "code", required=True, values=("1", "2a", "2b", "3", "4", "5")),
        C("toelichting"),
    ),
)

# --- begeleiding (maatschappelijke begeleiding, per aanbieder) -----------------
BEGELEIDING_TRAJECTEN = Source(
    bron="begeleiding",
    entiteit="trajecten",
    format="csv",
    family="begeleiding",
    per_aanbieder=True,
    description=(
        "Trajectories of maatschappelijke begeleiding and financial support, one row per person "
        "per trajectory, delivered by the provider the gemeente commissioned."
    ),
    columns=(
        C("gemeentecode", "gemeentecode", required=True),
        C("bsn", "bsn"),
        C("v_nummer", "vnummer"),
        C(
            "soort",
            "code",
            required=True,
            values=("MAATSCHAPPELIJKE_BEGELEIDING", "FINANCIEEL_ONTZORGEN", "OMGAAN_MET_GELD"),
        ),
        C("datum_start", "date", required=True),
        C("datum_eind", "date"),
        C("status", "code", required=True, values=("gestart", "afgerond", "afgebroken", "verlengd")),
        C("verlengd_tot", "date"),
    ),
    one_of=(("bsn", "v_nummer"),),
)

SOURCES: tuple[Source, ...] = (
    DUO_PERSONEN,
    COA_TAAKSTELLING,
    COA_KOPPELINGEN,
    GEMEENTE_DOSSIERS,
    GEMEENTE_LEERROUTES,
    GEMEENTE_ACTIVITEITEN,
    GEMEENTE_UITKOMSTEN,
    GEMEENTE_HANDHAVING,
    GEMEENTE_FINANCIEN,
    RIJK_SPUK,
    PROVINCIE_INTERVENTIELADDER,
    BEGELEIDING_TRAJECTEN,
)

#: The ingestion DAGs, one per source family, and the landing folders they own.
FAMILIES: dict[str, tuple[str, ...]] = {
    "duo": ("duo",),
    "coa_tvs": ("coa_tvs",),
    "gemeente": ("gemeente",),
    "rijk_provincie": ("rijk", "provincie"),
    "begeleiding": ("begeleiding",),
}


def source_for(bron: str, filename: str) -> Source | None:
    """The source a landing file belongs to, or None for an unknown file."""
    for src in SOURCES:
        if src.bron == bron and src.filename == filename:
            return src
    return None


def sources_of_family(family: str) -> tuple[Source, ...]:
    return tuple(s for s in SOURCES if s.family == family)


def header(entiteit: str) -> list[str]:
    """The header line of a delivered CSV file (``dossiers``, ``koppelingen``, ...): its column
    names, in order. The one definition: the sample-data generator writes it, the tests build
    their files with it, and the parser reads the columns by these names."""
    for src in SOURCES:
        if src.entiteit == entiteit and src.format == "csv":
            return [c.name for c in src.columns]
    raise KeyError(f"no CSV source {entiteit!r}")
