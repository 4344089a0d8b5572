-- The route each person is on at the peildatum: of the routes started on or
-- before it, the latest; counted when it has not ended before the peildatum and
-- the person did not leave (uitstroom) before it.
with perioden as (
    select * from {{ ref('int_leerroute_perioden') }}
),

gestart as (
    select
        perioden.*,
        row_number() over (
            partition by persoon_sleutel
            order by datum_start desc, volgnummer desc, uitvoerder, klantnummer
        ) as rang
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
