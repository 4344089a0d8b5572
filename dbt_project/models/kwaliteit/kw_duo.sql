-- DUO: one row per inburgeringsplichtige in force, with the klantnummer of the person's
-- latest dossier, and whether the termijn ends soon (norm termijn_bijna_verstreken_maanden)
-- with no exam, finished Z-route, or full ontheffing or vrijstelling by the delivery date.
{{ config(alias='duo') }}

with personen as (
    select * from {{ ref('stg_duo__personen') }}
),

persoon_klant as (
    {{ kwaliteit_persoon_klant() }}
),

-- the gemeenten regie serves (the reference list, and every gemeente that delivers its own
-- municipal files): DUO's register also names people who moved elsewhere, and regie
-- neither judges nor mails a gemeente it does not serve
bediend as (
    select gemeentecode from {{ ref('ref_gemeenten') }} where uitvoerder_gemeentecode is not null
    union
    select uitvoerder from {{ ref('stg_gemeente__dossiers') }} where uitvoerder is not null
),

resultaten as (
    select _bestand as bestand, _versie as versie, _regelnummer as regelnummer, examendatum as datum
    from {{ source('raw', 'duo__examens') }}
    union all
    select _bestand, _versie, _regelnummer, datum_oordeel
    from {{ source('raw', 'duo__ontheffingen') }}
    where lower(soort) = 'geheel'
    union all
    select _bestand, _versie, _regelnummer, datum_oordeel
    from {{ source('raw', 'duo__vrijstellingen') }}
    where lower(soort) = 'geheel'
),

final as (
    select
        personen.gemeentecode,
        personen.wet,
        personen.plicht_indicator,
        personen.plicht_datum_kennisgeving,
        personen.pip_dagtekening,
        personen.pip_leerroute_duo as pip_route,
        personen.pip_niveau,
        personen.map_datum_eindgesprek,
        personen.pvt_datum_ondertekening,
        personen.zroute_datum_afronding,
        personen.termijn_startdatum,
        personen.termijn_einddatum,
        personen.aantal_in_levering,
        personen.bestand,
        personen.leverdatum,
        personen.regelnummer,
        persoon_klant.klantnummer,
        coalesce(persoon_klant.klantnummer, 'DUO-regel ' || cast(personen.regelnummer as varchar)) as kenmerk,
        case
            when personen.pip_leerroute_duo is not null
                then personen.pip_leerroute_duo || '+' || coalesce(personen.pip_niveau, '-')
        end as pip_route_niveau,
        coalesce(
            personen.gemeentecode in (select gemeentecode from bediend)
            and coalesce(personen.plicht_indicator, true)
            and personen.termijn_einddatum >= personen.leverdatum
            and personen.termijn_einddatum
                <= {{ plus_maanden('personen.leverdatum', norm('termijn_bijna_verstreken_maanden')) }},
            false
        ) as termijn_eindigt_binnenkort,
        (
            exists (
                select 1
                from resultaten
                where resultaten.bestand = personen.bestand
                    and resultaten.versie = personen.versie
                    and resultaten.regelnummer = personen.regelnummer
                    and resultaten.datum <= personen.leverdatum
            )
            or coalesce(personen.zroute_datum_afronding <= personen.leverdatum, false)
        ) as examen_of_resultaat
    from personen
    left join persoon_klant on personen.persoon_id = persoon_klant.persoon_id
)

select
    {{ kwaliteit_rij('bestand, regelnummer') }} as rij,
    'duo' as bron,
    final.*
from final
