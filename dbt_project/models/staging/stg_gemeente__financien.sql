with gekozen as (
    {{ rijen_in_kracht('gemeente__financien', 'gemeentecode') }}
),

final as (
    select
        {{ gemeentecode('gemeentecode') }} as gemeentecode,
        {{ gemeentecode('_uitvoerder') }} as aanleverende_gemeente,
        jaar,
        upper(richting) as richting,
        upper(post) as post,
        upper(soort) as soort,
        cast(bedrag as numeric(18, 2)) as bedrag,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
