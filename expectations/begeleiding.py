"""Begeleiding: trajectories of the provider of maatschappelijke begeleiding that run past their term.

Maatschappelijke begeleiding lasts 1.5 years and financieel ontzorgen six months (the
terms are seed ``ref_normen``, which the mart ``fct_maatschappelijke_begeleiding`` reads
too). A trajectory may go on longer only when it is extended: status ``verlengd``. One
that runs longer without that status has either ended without an end date, or was
extended without it being registered. Counted against the gemeente that commissioned
the trajectory; a warning, never blocking.
"""

import great_expectations.expectations as gxe

from regie import normen
from regie.quality.gegevens import TRAJECT_TERMIJN_NORM
from regie.quality.model import WAARSCHUWING, Controle, Verwachting, waar


def controles() -> list[Controle]:
    mb = normen.geheel(TRAJECT_TERMIJN_NORM["MAATSCHAPPELIJKE_BEGELEIDING"])
    fo = normen.geheel(TRAJECT_TERMIJN_NORM["FINANCIEEL_ONTZORGEN"])
    return [
        Controle(
            code="begeleiding_langer_dan_termijn",
            naam="Maatschappelijke begeleiding langer dan anderhalf jaar",
            uitleg=(
                f"Maatschappelijke begeleiding duurt anderhalf jaar ({mb} dagen). Dit traject loopt langer "
                "(tot de einddatum, of tot de peildatum als het nog open staat) zonder de status verlengd. "
                "Vul de einddatum in als het traject is afgelopen, of registreer de verlenging."
            ),
            ernst=WAARSCHUWING,
            categorie="volledigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "trajecten",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="duur_dagen", max_value=mb, row_condition=waar("mb_zonder_verlenging")
                    ),
                    "maatschappelijke begeleiding vanaf {datum_start} ({status}) duurt {duur_dagen} dagen, "
                    f"langer dan {mb} dagen, zonder verlenging",
                ),
            ),
        ),
        Controle(
            code="ontzorgen_langer_dan_termijn",
            naam="Financieel ontzorgen langer dan zes maanden",
            uitleg=(
                f"Financieel ontzorgen duurt zes maanden ({fo} dagen), tenzij het wordt verlengd. Dit "
                "traject loopt langer zonder de status verlengd. Vul de einddatum in als het ontzorgen is "
                "gestopt, of registreer de verlenging (en de datum tot wanneer)."
            ),
            ernst=WAARSCHUWING,
            categorie="volledigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "trajecten",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="duur_dagen", max_value=fo, row_condition=waar("ontzorgen_zonder_verlenging")
                    ),
                    "financieel ontzorgen vanaf {datum_start} ({status}) duurt {duur_dagen} dagen, "
                    f"langer dan {fo} dagen, zonder verlenging",
                ),
            ),
        ),
    ]
