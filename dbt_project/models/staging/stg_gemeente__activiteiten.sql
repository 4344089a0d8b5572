-- Every activity row of the deliveries that count. TAALLES rows are the bulk
-- (one per person per lesson week); the marts read the summarised
-- int_activiteiten instead, this view stays for row-level checks.
with gekozen as (
    {{ rijen_in_kracht('gemeente__activiteiten', per_klant=true) }}
),

final as (
    select
        {{ gemeentecode('_uitvoerder') }} as uitvoerder,
        klantnummer,
        upper(soort) as soort,
        datum_start,
        datum_eind,
        cast(uren as numeric(18, 2)) as uren,
        aanbieder,
        lower(status) as status,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
