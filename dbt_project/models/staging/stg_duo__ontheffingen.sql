with gekozen as (
    {{ rijen_van_gekozen_levering('duo__ontheffingen') }}
),

final as (
    select
        persoon_id,
        _volgnummer as volgnummer,
        lower(soort) as soort,
        oordeel,
        datum_oordeel,
        upper(grond) as grond,
        examenonderdeel,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
