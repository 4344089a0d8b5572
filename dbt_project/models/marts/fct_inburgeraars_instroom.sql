-- Inflow of inburgeraars per woongemeente, year of the dossier date, doelgroep,
-- gender and age class (the report's tables 5.7-5.9).
with dossiers as (
    select * from {{ ref('int_dossiers') }}
    where datum_dossier <= {{ peildatum() }}
),

final as (
    select
        woongemeente,
        jaar_dossier as jaar,
        doelgroep,
        geslacht,
        leeftijdsklasse,
        count(distinct persoon_sleutel) as aantal
    from dossiers
    group by woongemeente, jaar_dossier, doelgroep, geslacht, leeftijdsklasse
)

select * from final
