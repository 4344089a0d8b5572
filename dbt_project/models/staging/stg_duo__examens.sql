with gekozen as (
    {{ rijen_van_gekozen_levering('duo__examens') }}
),

final as (
    select
        persoon_id,
        _volgnummer as volgnummer,
        examendatum,
        upper(onderdeel) as onderdeel,
        upper(niveau) as niveau,
        resultaat,
        reden_geen_resultaat,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
