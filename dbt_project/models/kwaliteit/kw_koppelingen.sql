-- COA TVS: one row per koppeling in force, with the klantnummer of the person's latest
-- dossier and whether DUO expects a municipal dossier (not Wi2013, not freed of the duty).
{{ config(alias='koppelingen') }}

with koppelingen as (
    select * from {{ ref('stg_coa_tvs__koppelingen') }}
),

persoon_klant as (
    {{ kwaliteit_persoon_klant() }}
),

duo as (
    select persoon_id, wet, plicht_indicator
    from {{ ref('stg_duo__personen') }}
    where persoon_id is not null
),

final as (
    select
        koppelingen.huishouden_id,
        koppelingen.gemeentecode,
        koppelingen.koppeldatum,
        koppelingen.status,
        koppelingen.huisvestingsdatum,
        koppelingen.geboortejaar,
        koppelingen.bestand,
        koppelingen.leverdatum,
        koppelingen.regelnummer,
        persoon_klant.klantnummer,
        'huishouden ' || cast(koppelingen.huishouden_id as varchar) || ', gekoppeld '
            || {{ datum_nl('koppelingen.koppeldatum') }} as kenmerk,
        {{ jaar_van('koppelingen.huisvestingsdatum') }} as huisvestingsjaar,
        {{ jaar_van('koppelingen.huisvestingsdatum') }} - koppelingen.geboortejaar as leeftijd_bij_huisvesting,
        {{ dagen_tussen('koppelingen.huisvestingsdatum', 'koppelingen.leverdatum') }} as dagen_sinds_huisvesting,
        not (coalesce(duo.wet = 'Wi2013', false) or coalesce(duo.plicht_indicator = false, false)) as dossier_verwacht
    from koppelingen
    left join persoon_klant on koppelingen.persoon_id = persoon_klant.persoon_id
    left join duo on koppelingen.persoon_id = duo.persoon_id
)

select
    {{ kwaliteit_rij('bestand, regelnummer') }} as rij,
    'coa_tvs' as bron,
    final.*
from final
