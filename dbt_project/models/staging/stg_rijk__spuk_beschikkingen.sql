with gekozen as (
    {{ rijen_in_kracht('rijk__spuk_beschikkingen', 'gemeentecode') }}
),

final as (
    select
        {{ gemeentecode('gemeentecode') }} as gemeentecode,
        jaar,
        upper(regeling) as regeling,
        upper(soort) as soort,
        cast(bedrag as numeric(18, 2)) as bedrag,
        datum_beschikking,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
