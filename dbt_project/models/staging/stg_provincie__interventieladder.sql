with gekozen as (
    {{ rijen_in_kracht('provincie__interventieladder', 'gemeentecode') }}
),

final as (
    select
        {{ gemeentecode('gemeentecode') }} as gemeentecode,
        datum,
        lower(trim(trede)) as trede,
        toelichting,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
