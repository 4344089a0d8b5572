-- Every gemeente in the reference list, plus every gemeentecode that appears in
-- the data but not in the list: kept, flagged (in_referentielijst = false) and
-- filled in as far as the deliveries allow, never dropped.
with referentie as (
    select * from {{ ref('ref_gemeenten') }}
),

tvs_namen as (
    select gemeentecode, max(gemeentenaam) as gemeentenaam
    from {{ ref('stg_coa_tvs__taakstelling') }}
    group by gemeentecode
),

-- who delivers dossiers for whom: the uitvoerder of an unknown woongemeente
uitvoering as (
    select
        woongemeente as gemeentecode,
        uitvoerder,
        row_number() over (partition by woongemeente order by count(*) desc, uitvoerder) as rang
    from {{ ref('stg_gemeente__dossiers') }}
    group by woongemeente, uitvoerder
),

gezien as (
    select gemeentecode from {{ ref('stg_coa_tvs__taakstelling') }}
    union select gemeentecode from {{ ref('stg_coa_tvs__koppelingen') }}
    union select woongemeente from {{ ref('stg_gemeente__dossiers') }}
    union select uitvoerder from {{ ref('stg_gemeente__dossiers') }}
    union select gemeentecode from {{ ref('stg_gemeente__financien') }}
    union select gemeentecode from {{ ref('stg_duo__personen') }}
    union select gemeentecode from {{ ref('stg_rijk__spuk_beschikkingen') }}
    union select gemeentecode from {{ ref('stg_provincie__interventieladder') }}
    union select uitvoerder from {{ ref('stg_audit__bestanden') }} where uitvoerder is not null
),

onbekend as (
    select gezien.gemeentecode
    from gezien
    left join referentie on gezien.gemeentecode = referentie.gemeentecode
    where referentie.gemeentecode is null and gezien.gemeentecode is not null
),

final as (
    select
        gemeentecode,
        duo_code,
        gemeentenaam,
        uitvoerder_gemeentecode,
        provincie,
        true as in_referentielijst
    from referentie

    union all

    select
        onbekend.gemeentecode,
        substr(onbekend.gemeentecode, 3, 4) as duo_code,
        tvs_namen.gemeentenaam,
        uitvoering.uitvoerder as uitvoerder_gemeentecode,
        cast(null as varchar) as provincie,
        false as in_referentielijst
    from onbekend
    left join tvs_namen on onbekend.gemeentecode = tvs_namen.gemeentecode
    left join uitvoering
        on onbekend.gemeentecode = uitvoering.gemeentecode
        and uitvoering.rang = 1
)

select * from final
