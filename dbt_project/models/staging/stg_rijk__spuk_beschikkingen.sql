with gekozen as (
    {{ rijen_van_gekozen_levering('rijk__spuk_beschikkingen') }}
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
