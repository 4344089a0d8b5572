-- Trajectories of begeleiding from the delivery in force, per provider (aanbieder) and per
-- commissioning gemeente: a delivery held back for one gemeente keeps counting for the others.
with gekozen as (
    {{ rijen_in_kracht('begeleiding__trajecten', 'gemeentecode') }}
),

final as (
    select
        _aanbieder as aanbieder,
        {{ gemeentecode('gemeentecode') }} as gemeentecode,
        persoon_id,
        vnummer_id,
        upper(soort) as soort,
        datum_start,
        datum_eind,
        lower(status) as status,
        verlengd_tot,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
