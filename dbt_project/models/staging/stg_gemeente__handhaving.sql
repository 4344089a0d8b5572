with gekozen as (
    {{ rijen_in_kracht('gemeente__handhaving', per_klant=true) }}
),

final as (
    select
        {{ gemeentecode('_uitvoerder') }} as uitvoerder,
        klantnummer,
        datum,
        upper(maatregel) as maatregel,
        cast(bedrag as numeric(18, 2)) as bedrag,
        upper(grond) as grond,
        verrekend_met_bijstand,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
