-- Costs and revenue of inburgering per gemeente and year, side by side (the report's
-- §10.2). Costs are the LAST posts of financien.csv: the realisation where the
-- gemeente delivered any realised cost for that year, else its budget (kosten_soort
-- says which). Revenue: the gemeentefonds and OVERIG BATE posts (realisation where
-- delivered, else budget) and SPUK - per scheme (G10, G13, A38) the definitive
-- decision where present, else the provisional one (baten_spuk_soort says which:
-- DEFINITIEF, VOORLOPIG, or GEMENGD when the schemes differ).
with financien as (
    select gemeentecode, jaar, richting, post, soort, bedrag
    from {{ ref('stg_gemeente__financien') }}
),

kosten_soort as (
    select
        gemeentecode,
        jaar,
        case when count(case when soort = 'REALISATIE' then 1 end) > 0 then 'REALISATIE' else 'BEGROTING' end
            as kosten_soort
    from financien
    where richting = 'LAST'
    group by gemeentecode, jaar
),

kosten as (
    select
        financien.gemeentecode,
        financien.jaar,
        kosten_soort.kosten_soort,
        sum(case when post = 'LEERROUTES' then bedrag end) as kosten_leerroutes,
        sum(case when post = 'MAATSCHAPPELIJKE_BEGELEIDING' then bedrag end) as kosten_maatschappelijke_begeleiding,
        sum(case when post = 'PVT' then bedrag end) as kosten_pvt,
        sum(case when post = 'MAP' then bedrag end) as kosten_map,
        sum(case when post = 'PARTICIPATIECOMPONENT' then bedrag end) as kosten_participatiecomponent,
        sum(case when post = 'TOLKEN' then bedrag end) as kosten_tolken,
        sum(case when post = 'FORMATIE' then bedrag end) as kosten_formatie,
        sum(bedrag) as kosten_totaal
    from financien
    inner join kosten_soort
        on financien.gemeentecode = kosten_soort.gemeentecode
        and financien.jaar = kosten_soort.jaar
        and financien.soort = kosten_soort.kosten_soort
    where financien.richting = 'LAST'
    group by financien.gemeentecode, financien.jaar, kosten_soort.kosten_soort
),

-- per BATE post: the realisation where delivered, else the budget
bate_posten as (
    select
        gemeentecode,
        jaar,
        post,
        coalesce(
            sum(case when soort = 'REALISATIE' then bedrag end),
            sum(case when soort = 'BEGROTING' then bedrag end)
        ) as bedrag
    from financien
    where richting = 'BATE'
    group by gemeentecode, jaar, post
),

baten_financien as (
    select
        gemeentecode,
        jaar,
        sum(case when post = 'GEMEENTEFONDS' then bedrag end) as baten_gemeentefonds,
        sum(case when post <> 'GEMEENTEFONDS' then bedrag end) as baten_overig
    from bate_posten
    group by gemeentecode, jaar
),

-- per scheme: the definitive decision where present, else the provisional one
spuk_regelingen as (
    select
        gemeentecode,
        jaar,
        regeling,
        case when count(case when soort = 'DEFINITIEF' then 1 end) > 0 then 'DEFINITIEF' else 'VOORLOPIG' end
            as soort,
        coalesce(
            sum(case when soort = 'DEFINITIEF' then bedrag end),
            sum(case when soort = 'VOORLOPIG' then bedrag end)
        ) as bedrag
    from {{ ref('stg_rijk__spuk_beschikkingen') }}
    group by gemeentecode, jaar, regeling
),

spuk as (
    select
        gemeentecode,
        jaar,
        sum(bedrag) as baten_spuk,
        case when min(soort) = max(soort) then min(soort) else 'GEMENGD' end as baten_spuk_soort
    from spuk_regelingen
    group by gemeentecode, jaar
),

sleutels as (
    select gemeentecode, jaar from kosten
    union
    select gemeentecode, jaar from baten_financien
    union
    select gemeentecode, jaar from spuk
),

final as (
    select
        sleutels.gemeentecode,
        sleutels.jaar,
        cast(kosten.kosten_leerroutes as numeric(18, 2)) as kosten_leerroutes,
        cast(kosten.kosten_maatschappelijke_begeleiding as numeric(18, 2)) as kosten_maatschappelijke_begeleiding,
        cast(kosten.kosten_pvt as numeric(18, 2)) as kosten_pvt,
        cast(kosten.kosten_map as numeric(18, 2)) as kosten_map,
        cast(kosten.kosten_participatiecomponent as numeric(18, 2)) as kosten_participatiecomponent,
        cast(kosten.kosten_tolken as numeric(18, 2)) as kosten_tolken,
        cast(kosten.kosten_formatie as numeric(18, 2)) as kosten_formatie,
        cast(kosten.kosten_totaal as numeric(18, 2)) as kosten_totaal,
        kosten.kosten_soort,
        cast(baten_financien.baten_gemeentefonds as numeric(18, 2)) as baten_gemeentefonds,
        cast(spuk.baten_spuk as numeric(18, 2)) as baten_spuk,
        spuk.baten_spuk_soort,
        cast(baten_financien.baten_overig as numeric(18, 2)) as baten_overig,
        cast(case
            when baten_financien.gemeentecode is not null or spuk.gemeentecode is not null
                then coalesce(baten_financien.baten_gemeentefonds, 0)
                    + coalesce(spuk.baten_spuk, 0)
                    + coalesce(baten_financien.baten_overig, 0)
        end as numeric(18, 2)) as baten_totaal,
        cast(coalesce(baten_financien.baten_gemeentefonds, 0)
            + coalesce(spuk.baten_spuk, 0)
            + coalesce(baten_financien.baten_overig, 0)
            - coalesce(kosten.kosten_totaal, 0) as numeric(18, 2)) as saldo
    from sleutels
    left join kosten
        on sleutels.gemeentecode = kosten.gemeentecode and sleutels.jaar = kosten.jaar
    left join baten_financien
        on sleutels.gemeentecode = baten_financien.gemeentecode and sleutels.jaar = baten_financien.jaar
    left join spuk
        on sleutels.gemeentecode = spuk.gemeentecode and sleutels.jaar = spuk.jaar
)

select * from final
