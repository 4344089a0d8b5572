with gekozen as (
    {{ rijen_in_kracht('gemeente__uitkomsten', per_klant=true) }}
),

final as (
    select
        {{ gemeentecode('_uitvoerder') }} as uitvoerder,
        klantnummer,
        upper(soort) as soort,
        datum_start,
        datum_eind,
        cast(uren_per_week as numeric(18, 2)) as uren_per_week,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
