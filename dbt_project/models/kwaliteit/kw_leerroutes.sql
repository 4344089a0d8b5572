-- One row per route period in force, with the gemeente of the klant's dossier.
{{ config(alias='leerroutes') }}

with routes as (
    select * from {{ ref('stg_gemeente__leerroutes') }}
),

klanten as (
    {{ kwaliteit_klanten() }}
),

final as (
    select
        routes.uitvoerder,
        routes.klantnummer,
        routes.leerroute,
        routes.datum_start,
        routes.datum_eind,
        routes.taalaanbieder,
        routes.bestand,
        routes.leverdatum,
        routes.regelnummer,
        klanten.woongemeente,
        klanten.doelgroep,
        {{ kwaliteit_toerekening('klanten.woongemeente', 'routes.uitvoerder') }},
        routes.klantnummer as kenmerk,
        case
            when routes.datum_eind is null
                then row_number() over (
                    partition by routes.uitvoerder, routes.klantnummer, routes.datum_eind is null
                    order by routes.datum_start, routes.regelnummer
                )
        end as open_route_volgnummer,
        coalesce(routes.datum_start <= routes.leverdatum, false) as gestart
    from routes
    left join klanten
        on routes.uitvoerder = klanten.uitvoerder
        and routes.klantnummer = klanten.klantnummer
)

select
    {{ kwaliteit_rij('bestand, regelnummer, uitvoerder, klantnummer') }} as rij,
    'gemeente' as bron,
    final.*
from final
