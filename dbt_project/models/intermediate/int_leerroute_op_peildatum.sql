-- The route each person is on at the peildatum: the route in force (macro
-- leerroute_in_kracht_rang, which the quality checks use too: of the routes started on
-- or before the peildatum, the latest); counted when it has not ended before the
-- peildatum and the person did not leave (uitstroom) before it.
with perioden as (
    select * from {{ ref('int_leerroute_perioden') }}
),

gestart as (
    select
        perioden.*,
        {{ leerroute_in_kracht_rang('persoon_sleutel', peildatum(), daarna='volgnummer desc, uitvoerder, klantnummer') }} as rang
    from perioden
    where datum_start <= {{ peildatum() }}
),

final as (
    select
        persoon_sleutel,
        uitvoerder,
        klantnummer,
        woongemeente,
        doelgroep,
        leerroute,
        datum_start,
        datum_eind,
        instroomjaar,
        {{ peildatum() }} as peildatum
    from gestart
    where rang = 1
        and (datum_eind is null or datum_eind >= {{ peildatum() }})
        and (datum_uitstroom is null or datum_uitstroom >= {{ peildatum() }})
)

select * from final
