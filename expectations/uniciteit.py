"""Uniciteit: one person, one open dossier and one route at a time.

A second open dossier or a second open leerroute counts the person twice in
every stand at the peildatum, so both block the marts built from the
delivery until the older one is closed. A person DUO delivers twice in one
delivery, or a half year COA publishes twice for a gemeente, is resolved by a
fixed rule in staging (the last line counts) and reported, never blocking: the
other records of the delivery are fine.
"""

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column as K

from regie.quality.model import BLOKKEREND, WAARSCHUWING, Controle, Verwachting


def controles() -> list[Controle]:
    return [
        Controle(
            code="meerdere_open_dossiers",
            naam="Meer dan een open dossier voor een persoon",
            uitleg=(
                "Voor deze persoon staan twee of meer dossiers open (zonder uitstroomdatum). Sluit het "
                "dossier dat niet meer geldt. In de bijlage staat het later geopende dossier."
            ),
            ernst=BLOKKEREND,
            categorie="uniciteit",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "dossiers",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="open_dossier_volgnummer",
                        max_value=1,
                        row_condition=K("datum_uitstroom").is_null(),
                    ),
                    "open dossier van {datum_dossier}, terwijl een eerder dossier van deze persoon ook openstaat",
                ),
            ),
        ),
        Controle(
            code="meerdere_open_leerroutes",
            naam="Meer dan een open leerroute voor een klant",
            uitleg=(
                "Een klant volgt een leerroute tegelijk. Hier staan er twee of meer open (zonder einddatum). "
                "Geef de vorige route een einddatum als de klant is gewisseld."
            ),
            ernst=BLOKKEREND,
            categorie="uniciteit",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "leerroutes",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="open_route_volgnummer", max_value=1, row_condition=K("datum_eind").is_null()
                    ),
                    "leerroute {leerroute} open sinds {datum_start}, terwijl een eerdere route ook openstaat",
                ),
            ),
        ),
        Controle(
            code="duo_persoon_dubbel",
            naam="DUO: persoon meer dan eens in één levering",
            uitleg=(
                "DUO levert voor iedere inburgeringsplichtige één regel. Deze persoon staat er vaker in; "
                "regie gebruikt de laatste regel van het bestand en laat de eerdere weg. Vraag DUO welke "
                "gegevens kloppen."
            ),
            ernst=WAARSCHUWING,
            categorie="uniciteit",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "duo",
                    gxe.ExpectColumnValuesToBeBetween(column="aantal_in_levering", max_value=1),
                    "persoon staat {aantal_in_levering} keer in de DUO-levering; regie gebruikt de laatste "
                    "regel ({regelnummer})",
                ),
            ),
        ),
        Controle(
            code="tvs_periode_dubbel",
            naam="TVS: halfjaar meer dan eens in één levering",
            uitleg=(
                "COA publiceert per gemeente en halfjaar één stand. Dit halfjaar staat er vaker in; regie "
                "gebruikt de laatste regel van het bestand en laat de eerdere weg. Vraag COA welke stand klopt."
            ),
            ernst=WAARSCHUWING,
            categorie="uniciteit",
            domein="huisvesting",
            verwachtingen=(
                Verwachting(
                    "taakstelling",
                    gxe.ExpectColumnValuesToBeBetween(column="aantal_in_levering", max_value=1),
                    "periode {periode} staat {aantal_in_levering} keer in de TVS-levering; regie gebruikt de "
                    "laatste regel ({regelnummer})",
                ),
            ),
        ),
    ]
