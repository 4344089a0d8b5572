-- Which gemeente each klant of an uitvoerder belongs to: the woongemeente of the klant's
-- dossier in force (the last line of the newest delivery, if a klantnummer occurs twice),
-- when the uitvoerder executes for that gemeente (seed ref_gemeenten), else the uitvoerder.
-- The municipal files about a klant (routes, activities, outcomes, fines) follow it when a
-- delivery is held back for one gemeente (macro rijen_in_kracht).
with dossiers as (
    select uitvoerder, klantnummer, woongemeente, leverdatum, regelnummer
    from {{ ref('stg_gemeente__dossiers') }}
),

gerangschikt as (
    select
        dossiers.*,
        row_number() over (
            partition by uitvoerder, klantnummer
            order by leverdatum desc, regelnummer desc
        ) as rang
    from dossiers
),

final as (
    select
        uitvoerder,
        klantnummer,
        woongemeente,
        {{ toegerekende_gemeente('woongemeente', 'uitvoerder') }} as gemeentecode
    from gerangschikt
    where rang = 1
)

select * from final
