-- Per klant the route in force at the delivery date of its routes (macro
-- leerroute_in_kracht_rang, the rule int_leerroute_op_peildatum uses at the peildatum),
-- with DUO's PIP leerroute (macro duo_leerroute, in stg_duo__personen) and the
-- participation hours registered by the delivery date.
{{ config(alias='personen_leerroute') }}

with routes as (
    select
        routes.*,
        {{ leerroute_in_kracht_rang('routes.uitvoerder, routes.klantnummer', 'routes.leverdatum',
            datum_start='routes.datum_start', daarna='routes.regelnummer desc') }} as rang
    from {{ ref('stg_gemeente__leerroutes') }} as routes
),

klanten as (
    {{ kwaliteit_klanten() }}
),

duo as (
    select persoon_id, pip_leerroute as leerroute_duo
    from {{ ref('stg_duo__personen') }}
    where persoon_id is not null
),

uren as (
    select uitvoerder, klantnummer, sum(uren) as participatie_uren
    from {{ ref('stg_gemeente__activiteiten') }}
    where soort in ('PARTICIPATIE', 'PVT', 'MAP')
        and datum_start <= leverdatum
    group by uitvoerder, klantnummer
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
        routes.leerroute as leerroute_in_kracht,
        routes.datum_eind is null as route_open,
        {{ dagen_tussen('routes.datum_start', 'routes.leverdatum') }} as dagen_op_route,
        duo.leerroute_duo,
        cast(coalesce(uren.participatie_uren, 0) as double precision) as participatie_uren
    from routes
    left join klanten
        on routes.uitvoerder = klanten.uitvoerder
        and routes.klantnummer = klanten.klantnummer
    left join duo on klanten.persoon_id = duo.persoon_id
    left join uren
        on routes.uitvoerder = uren.uitvoerder
        and routes.klantnummer = uren.klantnummer
    where routes.rang = 1
)

select
    {{ kwaliteit_rij('bestand, regelnummer, uitvoerder, klantnummer') }} as rij,
    'gemeente' as bron,
    final.*
from final
