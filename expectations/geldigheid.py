"""Geldigheid: values that cannot be right.

A date after the delivery that holds it, a PIP before the person lived in the
gemeente, hours no activity can have, a DUO route at a level that route does
not have: such records make the published figures wrong, so these checks are
``blokkerend`` (fines above the legal maximum are a legal matter, not a figure,
and only warn). Rows that ingestion rejected are counted here too, against
whoever delivered them.
"""

import great_expectations.expectations as gxe

from regie import normen
from regie.quality.model import BLOKKEREND, WAARSCHUWING, Controle, Verwachting, waar

#: Per table, the dates that record something that has happened (a planned end
#: date may lie ahead; a start, a decision or a registration may not).
GEBEURDE_DATUMS = {
    "dossiers": (
        "datum_dossier",
        "datum_inschrijving_brp",
        "datum_brede_intake",
        "datum_leerbaarheidstoets",
        "datum_pip",
        "datum_uitstroom",
    ),
    "leerroutes": ("datum_start",),
    "activiteiten": ("datum_start",),
    "uitkomsten": ("datum_start",),
    "handhaving": ("datum",),
    "duo": (
        "plicht_datum_kennisgeving",
        "pip_dagtekening",
        "map_datum_eindgesprek",
        "pvt_datum_ondertekening",
        "zroute_datum_afronding",
    ),
    "koppelingen": ("koppeldatum", "huisvestingsdatum"),
    "trajecten": ("datum_start",),
}

# the legal limits, from seed ref_normen (regie.normen)
BOETE_BREDE_INTAKE_MAX = normen.geheel("boete_brede_intake_maximum_euro")
BOETE_PER_OVERTREDING_MAX = 50
BOETES_PER_JAAR_MAX = normen.geheel("boete_jaarmaximum_euro")
BOETES_VENSTER_DAGEN = normen.geheel("boete_jaarmaximum_venster_dagen")
BOETES_TERMIJN_MAX = normen.geheel("boete_termijnmaximum_euro")


def _euro(n: int) -> str:
    return f"EUR {n:,}".replace(",", ".")


def _toekomst() -> tuple[Verwachting, ...]:
    out = []
    for tabel, kolommen in GEBEURDE_DATUMS.items():
        for kolom in kolommen:
            out.append(
                Verwachting(
                    tabel,
                    gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                        column_A="leverdatum",
                        column_B=kolom,
                        or_equal=True,
                        ignore_row_if="either_value_is_missing",
                    ),
                    f"{kolom} {{{kolom}}} ligt na de leverdatum {{leverdatum}}",
                    domein="huisvesting" if tabel == "koppelingen" else None,
                )
            )
    return tuple(out)


def controles() -> list[Controle]:
    return [
        Controle(
            code="datum_in_toekomst",
            naam="Datum na de leverdatum",
            uitleg=(
                "Een startdatum, besluit of inschrijving kan niet later liggen dan de dag waarop het bestand "
                "is gemaakt. Waarschijnlijk een tikfout in het jaar of een geplande datum in een veld voor "
                "wat al is gebeurd. Corrigeer de datum."
            ),
            ernst=BLOKKEREND,
            categorie="geldigheid",
            domein="inburgering",
            verwachtingen=_toekomst(),
        ),
        Controle(
            code="pip_voor_brp",
            naam="PIP vastgesteld vóór de BRP-inschrijving",
            uitleg=(
                "Het PIP wordt vastgesteld nadat iemand in de gemeente is ingeschreven; een PIP-datum vóór "
                "de BRP-inschrijving klopt niet en maakt de PIP-tijdigheid onbetrouwbaar. Controleer beide datums."
            ),
            ernst=BLOKKEREND,
            categorie="geldigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "dossiers",
                    gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                        column_A="datum_pip",
                        column_B="datum_inschrijving_brp",
                        or_equal=True,
                        ignore_row_if="either_value_is_missing",
                    ),
                    "PIP {datum_pip} ligt vóór de BRP-inschrijving {datum_inschrijving_brp}",
                ),
                Verwachting(
                    "dossiers",
                    gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                        column_A="pip_duo",
                        column_B="datum_inschrijving_brp",
                        or_equal=True,
                        ignore_row_if="either_value_is_missing",
                    ),
                    "PIP bij DUO {pip_duo} ligt vóór de BRP-inschrijving {datum_inschrijving_brp}",
                ),
            ),
        ),
        Controle(
            code="uren_buiten_bereik",
            naam="Uren buiten 0-2000",
            uitleg=(
                "Een activiteit heeft tussen 0 en 2000 uur. Een negatief of groter aantal is een invoerfout "
                "en vertekent de participatie-uren. Corrigeer het aantal uren."
            ),
            ernst=BLOKKEREND,
            categorie="geldigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "activiteiten",
                    gxe.ExpectColumnValuesToBeBetween(column="uren", min_value=0, max_value=2000),
                    "{soort} vanaf {datum_start} met {uren} uur",
                ),
            ),
        ),
        Controle(
            code="boete_boven_maximum",
            naam="Boete boven het wettelijk maximum",
            uitleg=(
                f"Wettelijke maxima: {_euro(BOETE_BREDE_INTAKE_MAX)} per boete bij de brede intake; na het PIP "
                f"{_euro(BOETE_PER_OVERTREDING_MAX)} per overtreding. Boetes voor PVT, MAP en leerroute samen "
                f"hooguit {_euro(BOETES_PER_JAAR_MAX)} binnen elke {BOETES_VENSTER_DAGEN} dagen (niet per "
                f"kalenderjaar) en {_euro(BOETES_TERMIJN_MAX)} binnen de inburgeringstermijn. Controleer het "
                "bedrag of de grond van de boete."
            ),
            ernst=WAARSCHUWING,
            categorie="geldigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "handhaving",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="bedrag",
                        min_value=0,
                        max_value=BOETE_BREDE_INTAKE_MAX,
                        row_condition=waar("boete_brede_intake"),
                    ),
                    "boete brede intake van EUR {bedrag} op {datum} "
                    f"(maximum {_euro(BOETE_BREDE_INTAKE_MAX)})",
                ),
                Verwachting(
                    "handhaving",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="bedrag",
                        min_value=0,
                        max_value=BOETE_PER_OVERTREDING_MAX,
                        row_condition=waar("boete_na_pip"),
                    ),
                    "boete ({grond}) van EUR {bedrag} op {datum} (maximum EUR 50 per overtreding)",
                ),
                Verwachting(
                    "handhaving",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="boetes_365_dagen",
                        max_value=BOETES_PER_JAAR_MAX,
                        row_condition=waar("boete_telt_voor_maximum"),
                    ),
                    "met deze boete van {datum} komen de boetes voor PVT, MAP en leerroute in "
                    f"{BOETES_VENSTER_DAGEN} dagen op EUR {{boetes_365_dagen}} "
                    f"(maximum {_euro(BOETES_PER_JAAR_MAX)})",
                ),
                Verwachting(
                    "handhaving",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="boetes_in_termijn",
                        max_value=BOETES_TERMIJN_MAX,
                        row_condition=waar("boete_telt_voor_maximum"),
                    ),
                    "met deze boete van {datum} komen de boetes voor PVT, MAP en leerroute binnen de "
                    f"inburgeringstermijn op EUR {{boetes_in_termijn}} (maximum {_euro(BOETES_TERMIJN_MAX)})",
                ),
            ),
        ),
        Controle(
            code="boete_leerroute_gezinsmigrant",
            naam="Leerrouteboete voor een gezinsmigrant",
            uitleg=(
                "Een gezinsmigrant kan geen boete krijgen voor het niet volgen van de leerroute: die boete "
                "is er alleen voor asielstatushouders, voor wie de gemeente de leerroute aanbiedt. Trek de "
                "boete in, of corrigeer de doelgroep in het dossier als die niet klopt."
            ),
            ernst=WAARSCHUWING,
            categorie="geldigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "handhaving",
                    gxe.ExpectColumnValuesToBeInSet(
                        column="boete_leerroute_gezinsmigrant", value_set=[False]
                    ),
                    "boete (leerroute) van EUR {bedrag} op {datum} voor een gezinsmigrant",
                ),
            ),
        ),
        Controle(
            code="duo_combinatie_ongeldig",
            naam="DUO: leerroute en niveau die niet samengaan",
            uitleg=(
                "DUO legt de leerroute vast als B, O of Z met een niveau. De onderwijsroute bestaat niet op "
                "A2 en de Z-route niet op B1. Zo'n PIP kan niet kloppen: laat het PIP bij DUO corrigeren."
            ),
            ernst=BLOKKEREND,
            categorie="geldigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "duo",
                    gxe.ExpectColumnValuesToNotBeInSet(column="pip_route_niveau", value_set=["O+A2", "Z+B1"]),
                    "PIP bij DUO met leerroute {pip_route} op niveau {pip_niveau}",
                ),
            ),
        ),
    ]
