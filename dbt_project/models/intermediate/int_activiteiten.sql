-- The summarised activities of the deliveries that count at the peildatum.
with per_levering as (
    select * from {{ ref('int_activiteiten__per_levering') }}
),

leveringen as (
    select path, versie from {{ ref('stg_audit__bestanden') }} where gekozen
),

final as (
    select per_levering.*
    from per_levering
    inner join leveringen
        on per_levering.bestand = leveringen.path
        and per_levering.versie = leveringen.versie
)

select * from final
