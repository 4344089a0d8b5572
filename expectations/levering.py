"""Levering: what the delivering party sent that regie could not use.

Counted against whoever delivered the file: the uitvoerder for municipal
exports, the source itself (DUO, COA, ...) for national files, which no
gemeente receives a mail about.
"""

import great_expectations.expectations as gxe

from regie.quality.model import WAARSCHUWING, Controle, Verwachting


def controles() -> list[Controle]:
    return [
        Controle(
            code="afgewezen_rijen",
            naam="Rijen afgewezen bij het inlezen",
            uitleg=(
                "Deze regels van het aangeleverde bestand braken een regel van de aanlevering (een ongeldig "
                "BSN, een onmogelijke datum, een onbekende code, ...) en zijn niet ingelezen; de rest van het "
                "bestand wel. Herstel de regels in de bron; ze komen mee met de volgende levering."
            ),
            ernst=WAARSCHUWING,
            categorie="geldigheid",
            domein="levering",
            verwachtingen=(
                Verwachting(
                    "leveringen",
                    gxe.ExpectColumnValuesToBeNull(column="reden_afwijzing"),
                    "{bestand} regel {regelnummer}: {reden_afwijzing}",
                ),
            ),
        ),
        Controle(
            code="bestand_in_quarantaine",
            naam="Aanlevering in quarantaine",
            uitleg=(
                "De nieuwste aanlevering van dit bestand kon als geheel niet worden gelezen en staat in "
                "quarantaine; regie gebruikt de vorige aanlevering. Lever het bestand opnieuw aan."
            ),
            ernst=WAARSCHUWING,
            categorie="levering",
            domein="levering",
            verwachtingen=(
                Verwachting(
                    "bestanden",
                    gxe.ExpectColumnValuesToNotBeInSet(column="status", value_set=["quarantaine"]),
                    "{bestand}: {reden}",
                ),
            ),
        ),
    ]
