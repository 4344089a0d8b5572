with gekozen as (
    {{ rijen_van_gekozen_levering('duo__leerbaarheidstoetsen') }}
),

final as (
    select
        persoon_id,
        _volgnummer as volgnummer,
        datum_afname,
        resultaat,
        cast(behaalde_score as numeric(18, 2)) as behaalde_score,
        cast(benodigde_score as numeric(18, 2)) as benodigde_score,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
