"""Consistentie: two sources, or two publications, that should agree and do not.

None of these blocks a publication: which side is wrong is for the gemeente
to find out, and the marts show both sides (``gerealiseerd`` next to
``gerealiseerd_tvs``, ``correctie_begin`` next to ``stand_begin``).
"""

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column as K

from regie.quality.model import WAARSCHUWING, Controle, Verwachting


def controles() -> list[Controle]:
    return [
        Controle(
            code="leerroute_afwijkend_van_duo",
            naam="Leerroute wijkt af van het PIP bij DUO",
            uitleg=(
                "De leerroute die de gemeente registreert is een andere dan die in het PIP bij DUO (B1, A2, "
                "onderwijsroute, Z of Z-A2). Na een routewissel hoort het PIP bij DUO te worden aangepast; "
                "anders is een van beide registraties fout."
            ),
            ernst=WAARSCHUWING,
            categorie="consistentie",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "personen_leerroute",
                    gxe.ExpectColumnPairValuesToBeEqual(
                        column_A="leerroute_in_kracht",
                        column_B="leerroute_duo",
                        ignore_row_if="either_value_is_missing",
                    ),
                    "gemeente: {leerroute_in_kracht} (sinds {datum_start}), DUO: {leerroute_duo}",
                ),
            ),
        ),
        Controle(
            code="pip_alleen_bij_duo",
            naam="PIP wel bij DUO, niet in het dossier",
            uitleg=(
                "DUO kent een PIP voor deze klant, maar het dossier van de gemeente heeft geen PIP-datum. "
                "Zonder die datum telt het PIP niet mee in de tijdigheid van de PIP's. Neem de datum over "
                "uit het PIP."
            ),
            ernst=WAARSCHUWING,
            categorie="consistentie",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "dossiers",
                    gxe.ExpectColumnValuesToNotBeNull(
                        column="datum_pip", row_condition=K("pip_duo").is_not_null()
                    ),
                    "PIP bij DUO van {pip_duo}, in het dossier geen PIP-datum",
                ),
            ),
        ),
        Controle(
            code="gerealiseerd_wijkt_af_van_tvs",
            naam="Gepubliceerd aantal gehuisvest wijkt af van de personen in het TVS",
            uitleg=(
                "Het aantal gehuisveste statushouders dat het COA per halfjaar publiceert (gerealiseerd) is "
                "een ander dan het aantal personen dat het TVS in dat halfjaar als gehuisvest toont. Vraag "
                "het COA welke personen het verschil vormen."
            ),
            ernst=WAARSCHUWING,
            categorie="consistentie",
            domein="huisvesting",
            verwachtingen=(
                Verwachting(
                    "taakstelling",
                    gxe.ExpectColumnPairValuesToBeEqual(
                        column_A="gerealiseerd",
                        column_B="gerealiseerd_tvs",
                        ignore_row_if="either_value_is_missing",
                    ),
                    "{periode}: gepubliceerd {gerealiseerd} gehuisvest, TVS toont {gerealiseerd_tvs} personen",
                ),
            ),
        ),
        Controle(
            code="taakstelling_correctie",
            naam="Taakstelling: stand sluit niet aan op de vorige periode",
            uitleg=(
                "De stand aan het begin van een halfjaar hoort gelijk te zijn aan de stand aan het eind van "
                "het vorige (stand begin + taakstelling - gerealiseerd). Waar dat niet zo is, is er tussentijds "
                "gecorrigeerd. regie toont elke correctie apart; ga na of ze terecht is."
            ),
            ernst=WAARSCHUWING,
            categorie="consistentie",
            domein="huisvesting",
            verwachtingen=(
                Verwachting(
                    "taakstelling",
                    gxe.ExpectColumnPairValuesToBeEqual(
                        column_A="stand_begin",
                        column_B="vorige_stand_eind",
                        ignore_row_if="either_value_is_missing",
                    ),
                    "{periode}: stand begin {stand_begin}, volgens de vorige periode {vorige_stand_eind} "
                    "(correctie {correctie:+d})",
                ),
            ),
        ),
        Controle(
            code="woongemeente_buiten_uitvoering",
            naam="Woongemeente hoort niet bij de uitvoerder",
            uitleg=(
                "De woongemeente in het dossier is geen gemeente waarvoor de aanleverende gemeente de "
                "inburgering uitvoert. regie rekent het dossier daarom toe aan de gemeente die het aanleverde "
                "(en stuurt de bevindingen alleen naar haar), niet aan de genoemde woongemeente. Is de klant "
                "verhuisd, sluit het dossier dan af met reden verhuisd; anders is de woongemeente fout."
            ),
            ernst=WAARSCHUWING,
            categorie="consistentie",
            domein="levering",
            verwachtingen=(
                Verwachting(
                    "dossiers",
                    gxe.ExpectColumnValuesToBeInSet(column="woongemeente_bij_uitvoerder", value_set=[True]),
                    "woongemeente {woongemeente} hoort niet bij de gemeenten van uitvoerder {uitvoerder}",
                ),
            ),
        ),
    ]
