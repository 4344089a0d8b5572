-- Housing episodes: every TVS koppeling with its outcome at the TVS peildatum
-- (the delivery date), and which one counts for the person. An omgekoppeld
-- koppeling was moved to another gemeente: the person counts for the new
-- gemeente only, so the latest koppeling that was not moved away counts.
with koppelingen as (
    select * from {{ ref('stg_coa_tvs__koppelingen') }}
),

vnummers as (
    select vnummer_id, persoon_id from {{ ref('int_vnummer_naar_persoon') }}
),

huishoudens as (
    select huishouden_id, count(distinct vnummer_id) as personen
    from koppelingen
    where status <> 'omgekoppeld'
    group by huishouden_id
),

gerangschikt as (
    select
        koppelingen.*,
        row_number() over (
            partition by vnummer_id
            order by case when status = 'omgekoppeld' then 1 else 0 end, koppeldatum desc, regelnummer desc
        ) as rang
    from koppelingen
),

beoordeeld as (
    select
        gerangschikt.vnummer_id,
        coalesce(gerangschikt.persoon_id, vnummers.persoon_id, gerangschikt.vnummer_id) as persoon_sleutel,
        coalesce(gerangschikt.persoon_id, vnummers.persoon_id) as persoon_id,
        gerangschikt.huishouden_id,
        coalesce(gerangschikt.huishoudgrootte, huishoudens.personen) as huishoudgrootte,
        gerangschikt.gemeentecode,
        gerangschikt.koppeldatum,
        {{ jaar_van('gerangschikt.koppeldatum') }} as jaar,
        {{ halfjaar_van('gerangschikt.koppeldatum') }} as halfjaar,
        gerangschikt.status,
        gerangschikt.huisvestingsdatum,
        gerangschikt.woningtype,
        gerangschikt.opvanglocatie,
        gerangschikt.nareiziger,
        gerangschikt.geboortejaar,
        gerangschikt.leverdatum as peildatum_tvs,
        gerangschikt.huisvestingsdatum is not null
            and gerangschikt.huisvestingsdatum <= gerangschikt.leverdatum as is_gehuisvest,
        gerangschikt.rang = 1 and gerangschikt.status <> 'omgekoppeld' as telt_mee
    from gerangschikt
    left join vnummers on gerangschikt.vnummer_id = vnummers.vnummer_id
    left join huishoudens on gerangschikt.huishouden_id = huishoudens.huishouden_id
),

final as (
    select
        beoordeeld.*,
        {{ huishoudklasse('huishoudgrootte') }} as huishoudklasse,
        not is_gehuisvest and status in ('gekoppeld', 'gehuisvest') as is_wachtend,
        not is_gehuisvest and status = 'vertrokken' as is_vertrokken_voor_huisvesting,
        case when is_gehuisvest then {{ dagen_tussen('koppeldatum', 'huisvestingsdatum') }} end
            as dagen_tot_huisvesting,
        case
            when not is_gehuisvest and status in ('gekoppeld', 'gehuisvest')
                then {{ dagen_tussen('koppeldatum', 'peildatum_tvs') }}
        end as dagen_wachtend
    from beoordeeld
)

select * from final
