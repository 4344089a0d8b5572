-- The summarised activities of the deliveries in force: per uitvoerder the chosen
-- activiteiten delivery, except for klanten of a gemeente it is held back for, whose
-- activities come from the delivery that stays in force for that gemeente (the same
-- rule as the staging macro rijen_in_kracht, on the summarised rows).
with per_levering as (
    select * from {{ ref('int_activiteiten__per_levering') }}
),

bestanden as (
    select path, versie, bron, entiteit, uitvoerder from {{ ref('stg_audit__bestanden') }} where gekozen
),

vervangingen as (
    select * from {{ ref('stg_audit__vervangingen') }}
    where bron = 'gemeente' and entiteit = 'activiteiten'
),

klanten as (
    select * from {{ ref('stg_gemeente__klanten') }}
),

uit_gekozen as (
    select per_levering.*
    from per_levering
    inner join bestanden
        on per_levering.bestand = bestanden.path
        and per_levering.versie = bestanden.versie
    left join klanten
        on per_levering.uitvoerder = klanten.uitvoerder
        and per_levering.klantnummer = klanten.klantnummer
    where not exists (
        select 1
        from vervangingen
        where vervangingen.uitvoerder = bestanden.uitvoerder
            and vervangingen.gemeentecode = coalesce(klanten.gemeentecode, per_levering.uitvoerder)
    )
),

uit_vervanging as (
    select per_levering.*
    from per_levering
    inner join vervangingen
        on per_levering.bestand = vervangingen.path
        and per_levering.versie = vervangingen.versie
    left join klanten
        on per_levering.uitvoerder = klanten.uitvoerder
        and per_levering.klantnummer = klanten.klantnummer
    where vervangingen.gemeentecode = coalesce(klanten.gemeentecode, per_levering.uitvoerder)
),

final as (
    select * from uit_gekozen
    union all
    select * from uit_vervanging
)

select * from final
