-- Outflow per woongemeente, year of outflow, doelgroep, the route the person was
-- on at that moment, and reason (the report's table 6.15).
with dossiers as (
    select * from {{ ref('int_dossiers') }}
    where datum_uitstroom is not null
        and datum_uitstroom <= {{ peildatum() }}
),

routes as (
    select uitvoerder, klantnummer, leerroute, datum_start, volgnummer
    from {{ ref('int_leerroute_perioden') }}
),

route_bij_uitstroom as (
    select
        dossiers.uitvoerder,
        dossiers.klantnummer,
        routes.leerroute,
        -- the route in force at the uitstroom (the rule the checks and int_leerroute_op_peildatum use)
        {{ leerroute_in_kracht_rang('dossiers.uitvoerder, dossiers.klantnummer', 'dossiers.datum_uitstroom',
            datum_start='routes.datum_start', daarna='routes.volgnummer desc') }} as rang
    from dossiers
    inner join routes
        on dossiers.uitvoerder = routes.uitvoerder
        and dossiers.klantnummer = routes.klantnummer
        and routes.datum_start <= dossiers.datum_uitstroom
),

final as (
    select
        dossiers.woongemeente,
        {{ jaar_van('dossiers.datum_uitstroom') }} as jaar,
        dossiers.doelgroep,
        coalesce(route_bij_uitstroom.leerroute, 'GEEN') as leerroute,
        coalesce(dossiers.reden_uitstroom, 'onbekend') as reden,
        count(distinct dossiers.persoon_sleutel) as aantal
    from dossiers
    left join route_bij_uitstroom
        on dossiers.uitvoerder = route_bij_uitstroom.uitvoerder
        and dossiers.klantnummer = route_bij_uitstroom.klantnummer
        and route_bij_uitstroom.rang = 1
    group by
        dossiers.woongemeente,
        {{ jaar_van('dossiers.datum_uitstroom') }},
        dossiers.doelgroep,
        coalesce(route_bij_uitstroom.leerroute, 'GEEN'),
        coalesce(dossiers.reden_uitstroom, 'onbekend')
)

select * from final
