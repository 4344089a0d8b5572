"""Volledigheid: is everything registered that should be by now?

Each check judges a record against the date of the delivery it came in
(``leverdatum``), not against today: a gemeente is held to what its own
export could have shown.
"""

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column as K

from regie.quality.gegevens import (
    DOSSIER_TERMIJN_DAGEN,
    PIP_TERMIJN_DAGEN,
    TERMIJN_BIJNA_VERSTREKEN_MAANDEN,
    VOORTGANG_MINIMUM,
    VOORTGANG_VENSTER_MAANDEN,
    ZROUTE_AANLOOP_DAGEN,
)
from regie.quality.model import WAARSCHUWING, Controle, Verwachting, waar


def controles() -> list[Controle]:
    return [
        Controle(
            code="termijn_bijna_om_zonder_resultaat",
            naam="Inburgeringstermijn eindigt binnen 6 maanden, geen examen of resultaat",
            uitleg=(
                f"De inburgeringstermijn bij DUO eindigt binnen {TERMIJN_BIJNA_VERSTREKEN_MAANDEN} maanden, "
                "terwijl DUO nog geen enkel examen, geen afgeronde Z-route en geen volledige ontheffing of "
                "vrijstelling kent. Bespreek met de inburgeraar wat nodig is om de termijn te halen, of "
                "vraag tijdig verlenging, ontheffing of vrijstelling aan."
            ),
            ernst=WAARSCHUWING,
            categorie="volledigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "duo",
                    gxe.ExpectColumnValuesToBeInSet(
                        column="examen_of_resultaat",
                        value_set=[True],
                        row_condition=waar("termijn_eindigt_binnenkort"),
                    ),
                    "termijn eindigt op {termijn_einddatum}, bij DUO geen examen of resultaat",
                ),
            ),
        ),
        Controle(
            code="voortgangsgesprekken_te_weinig",
            naam=f"Minder dan {VOORTGANG_MINIMUM} voortgangsgesprekken in het eerste jaar van de termijn",
            uitleg=(
                f"In de eerste {VOORTGANG_VENSTER_MAANDEN} maanden van de inburgeringstermijn (DUO) voert de "
                f"gemeente minstens {VOORTGANG_MINIMUM} voortgangsgesprekken met de inburgeraar. Dit dossier "
                "heeft er minder als activiteit VOORTGANGSGESPREK. Registreer de gesprekken die wel zijn "
                "gevoerd, of plan ze alsnog."
            ),
            ernst=WAARSCHUWING,
            categorie="volledigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "dossiers",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="voortgangsgesprekken_eerste_jaar",
                        min_value=VOORTGANG_MINIMUM,
                        row_condition=waar("voortgang_te_beoordelen"),
                    ),
                    "{voortgangsgesprekken_eerste_jaar} voortgangsgesprek(ken) in de eerste "
                    f"{VOORTGANG_VENSTER_MAANDEN} maanden van de termijn (tot {{voortgang_venster_eind}})",
                ),
            ),
        ),
        Controle(
            code="brp_zonder_pip",
            naam="Ingeschreven in de BRP, na 10 weken nog geen PIP",
            uitleg=(
                "Een inburgeraar onder de Wi2021 die langer dan 10 weken in de BRP staat, heeft een PIP "
                "nodig. Noch het dossier van de gemeente noch DUO kent er een. Stel het PIP vast, of "
                "registreer het als het al is vastgesteld."
            ),
            ernst=WAARSCHUWING,
            categorie="volledigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "dossiers",
                    gxe.ExpectColumnValuesToNotBeNull(
                        column="pip_bekend",
                        row_condition=(K("wet") == "Wi2021")
                        & (K("dagen_sinds_brp") > PIP_TERMIJN_DAGEN)
                        & waar("in_zorg_na_pip_termijn"),
                    ),
                    "ingeschreven in de BRP op {datum_inschrijving_brp}, {dagen_sinds_brp:.0f} dagen voor de "
                    "levering; geen PIP bij gemeente of DUO",
                ),
            ),
        ),
        Controle(
            code="pip_zonder_leerroute",
            naam="PIP zonder leerroute",
            uitleg=(
                "Na het PIP hoort binnen 10 weken een leerroute te starten. Dit dossier heeft een PIP van "
                "meer dan 10 weken oud maar geen enkele leerroute. Registreer de leerroute."
            ),
            ernst=WAARSCHUWING,
            categorie="volledigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "dossiers",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="aantal_leerroutes",
                        min_value=1,
                        row_condition=(K("dagen_sinds_pip") > PIP_TERMIJN_DAGEN)
                        & K("datum_uitstroom").is_null(),
                    ),
                    "PIP van {pip_bekend}, geen leerroute geregistreerd",
                ),
            ),
        ),
        Controle(
            code="leerroute_zonder_taalaanbieder",
            naam="Leerroute gestart zonder taalaanbieder",
            uitleg=(
                "Bij elke gestarte leerroute hoort de taalaanbieder die hem uitvoert. Vul de taalaanbieder aan."
            ),
            ernst=WAARSCHUWING,
            categorie="volledigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "leerroutes",
                    gxe.ExpectColumnValuesToNotBeNull(column="taalaanbieder", row_condition=waar("gestart")),
                    "leerroute {leerroute} gestart op {datum_start} zonder taalaanbieder",
                ),
            ),
        ),
        Controle(
            code="zroute_zonder_participatie",
            naam="Z-route zonder participatie-uren",
            uitleg=(
                "Een statushouder op de Z-route doet naast taal ook 800 uur participatie (met PVT en MAP). "
                "Na een half jaar op de Z-route staat er voor deze klant geen enkel participatie-, PVT- of "
                "MAP-uur geregistreerd. Registreer de uren, of controleer de leerroute."
            ),
            ernst=WAARSCHUWING,
            categorie="volledigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "personen_leerroute",
                    gxe.ExpectColumnValuesToBeBetween(
                        column="participatie_uren",
                        min_value=0,
                        strict_min=True,
                        row_condition=K("leerroute_in_kracht").is_in(["Z", "Z-A2"])
                        & waar("route_open")
                        & (K("doelgroep") == "statushouder")
                        & (K("dagen_op_route") > ZROUTE_AANLOOP_DAGEN),
                    ),
                    "op de {leerroute_in_kracht} sinds {datum_start}, geen participatie-uren geregistreerd",
                ),
            ),
        ),
        Controle(
            code="uitstroom_zonder_reden",
            naam="Uitstroom zonder reden",
            uitleg=(
                "Bij een uitstroomdatum hoort de reden (diploma, certificaat, ontheffing, verhuisd, ...). "
                "Zonder reden telt de uitstroom niet mee in de uitstroomcijfers per reden. Vul de reden aan."
            ),
            ernst=WAARSCHUWING,
            categorie="volledigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "dossiers",
                    gxe.ExpectColumnValuesToNotBeNull(
                        column="reden_uitstroom", row_condition=K("datum_uitstroom").is_not_null()
                    ),
                    "uitgestroomd op {datum_uitstroom} zonder reden",
                ),
            ),
        ),
        Controle(
            code="gehuisvest_zonder_dossier",
            naam="Gehuisveste statushouder zonder dossier",
            uitleg=(
                "Een volwassen statushouder die sinds 2022 in de gemeente is gehuisvest (COA TVS), hoort na "
                "8 weken een inburgeringsdossier te hebben. Voor deze persoon is bij de uitvoerder geen dossier "
                "gevonden (DUO kent hem niet als Wi2013 of als niet inburgeringsplichtig). Open het dossier, "
                "of zoek uit waarom het ontbreekt. De persoon staat in de bijlage met het COA-huishoudnummer."
            ),
            ernst=WAARSCHUWING,
            categorie="volledigheid",
            domein="inburgering",
            verwachtingen=(
                Verwachting(
                    "koppelingen",
                    gxe.ExpectColumnValuesToNotBeNull(
                        column="klantnummer",
                        row_condition=(K("status") == "gehuisvest")
                        & (K("huisvestingsjaar") >= 2022)
                        & (K("leeftijd_bij_huisvesting") >= 18)
                        & (K("dagen_sinds_huisvesting") > DOSSIER_TERMIJN_DAGEN)
                        & waar("dossier_verwacht"),
                    ),
                    "gehuisvest op {huisvestingsdatum}, na {dagen_sinds_huisvesting:.0f} dagen geen dossier",
                ),
            ),
        ),
    ]
