-- Route switches per woongemeente, doelgroep, from-route, to-route and year the
-- new route started. A route that ended before the peildatum with no route after
-- it, for a person still in the inburgering, is shown as a switch to GEEN.
with perioden as (
    select * from {{ ref('int_leerroute_perioden') }}
),

wissels as (
    select
        persoon_sleutel,
        woongemeente,
        doelgroep,
        vorige_leerroute as van_leerroute,
        leerroute as naar_leerroute,
        {{ jaar_van('datum_start') }} as jaar
    from perioden
    where vorige_leerroute is not null
        and vorige_leerroute <> leerroute
        and datum_start <= {{ peildatum() }}
),

gestopt as (
    select
        persoon_sleutel,
        woongemeente,
        doelgroep,
        leerroute as van_leerroute,
        'GEEN' as naar_leerroute,
        {{ jaar_van(plus_dagen('datum_eind', 1)) }} as jaar
    from perioden
    where volgende_leerroute is null
        and datum_eind is not null
        and datum_eind < {{ peildatum() }}
        and (datum_uitstroom is null or datum_uitstroom > {{ peildatum() }})
),

alle as (
    select * from wissels
    union all
    select * from gestopt
),

final as (
    select
        woongemeente,
        doelgroep,
        van_leerroute,
        naar_leerroute,
        jaar,
        count(distinct persoon_sleutel) as aantal
    from alle
    group by woongemeente, doelgroep, van_leerroute, naar_leerroute, jaar
)

select * from final
