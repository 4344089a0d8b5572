with gekozen as (
    {{ rijen_van_gekozen_levering('coa_tvs__koppelingen') }}
),

final as (
    select
        vnummer_id,
        persoon_id,
        huishouden_id,
        huishoudgrootte,
        {{ gemeentecode('gemeentecode') }} as gemeentecode,
        koppeldatum,
        lower(status) as status,
        huisvestingsdatum,
        lower(woningtype) as woningtype,
        nareiziger,
        opvanglocatie,
        geboortejaar,
        upper(geslacht) as geslacht,
        herkomstland,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
