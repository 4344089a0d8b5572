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
        Controle(
            code="gemeentecode_onbekend",
            naam="Onbekende gemeentecode",
            uitleg=(
                "Een gemeentecode in het bestand (of de map van de aanlevering) staat niet in de lijst van "
                "gemeenten die regie kent en komt niet voor in de bestanden van DUO en het COA. Meestal een tikfout "
                "(GM9999, een oude code van een heringedeelde gemeente). Herstel de code; hoort de gemeente er "
                "wel bij, laat de beheerder haar dan toevoegen aan de referentielijst."
            ),
            ernst=WAARSCHUWING,
            categorie="geldigheid",
            domein="levering",
            verwachtingen=(
                Verwachting(
                    "gemeentecodes",
                    gxe.ExpectColumnValuesToNotBeInSet(column="oordeel", value_set=["onbekend"]),
                    "{bestand}: {kolom} {code} is geen bekende gemeente",
                ),
            ),
        ),
        Controle(
            code="leverdatum_onwaarschijnlijk",
            naam="Leverdatum in de toekomst of voor 2013",
            uitleg=(
                "De datummap van deze aanlevering ligt in de toekomst of voor 2013 (het begin van de Wet "
                "inburgering 2013). regie heeft het bestand geladen onder die datum, maar de cijfers rekenen "
                "met de leverdatum. Lever het bestand opnieuw aan in een map met de juiste datum en laat de "
                "beheerder de verkeerde aanlevering weghalen."
            ),
            ernst=WAARSCHUWING,
            categorie="levering",
            domein="levering",
            verwachtingen=(
                Verwachting(
                    "leverdata",
                    gxe.ExpectColumnValuesToBeInSet(column="oordeel", value_set=["plausibel"]),
                    "{bestand}: leverdatum {leverdatum} ligt {oordeel}",
                ),
            ),
        ),
    ]
