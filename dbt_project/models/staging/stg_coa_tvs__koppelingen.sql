-- The koppelingen of the TVS delivery in force for each gemeente. A person's koppelingen
-- all come from one delivery, the newest that has the person, so a person who moved
-- between a gemeente that keeps an older delivery and one that does not counts once.
with in_kracht as (
    {{ rijen_in_kracht('coa_tvs__koppelingen', 'gemeentecode') }}
),

gekozen as (
    select *
    from (
        select
            in_kracht.*,
            max(_leverdatum) over (
                partition by coalesce(vnummer_id, persoon_id, _bestand || ':' || cast(_regelnummer as varchar))
            ) as nieuwste_levering
        from in_kracht
    ) as per_persoon
    where _leverdatum = nieuwste_levering
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
