-- Inburgeraars by woongemeente, instroom year (year of the dossier date), doelgroep
-- and country of origin as registered in the dossier (the report's §5 top countries).
with dossiers as (
    select * from {{ ref('int_dossiers') }}
    where datum_dossier <= {{ peildatum() }}
),

final as (
    select
        woongemeente,
        jaar_dossier as jaar,
        doelgroep,
        coalesce(herkomstland, 'onbekend') as herkomstland,
        count(distinct persoon_sleutel) as aantal
    from dossiers
    group by woongemeente, jaar_dossier, doelgroep, coalesce(herkomstland, 'onbekend')
)

select * from final
