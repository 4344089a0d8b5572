-- SPUK per gemeente and budget year: who counts (cohorts), what the tariffs give,
-- what was decided (provisional, final), what was spent, and the reserve rule.
with recursive cohorten as (
    select gemeentecode, doelgroep, cohortjaar from {{ ref('int_spuk_cohorten') }}
),

tarieven as (
    select * from {{ ref('ref_spuk_tarieven') }}
),

beschikkingen as (
    select
        gemeentecode,
        jaar,
        sum(case when soort = 'VOORLOPIG' then bedrag end) as voorlopig_beschikt,
        sum(case when soort = 'DEFINITIEF' then bedrag end) as definitief_beschikt
    from {{ ref('stg_rijk__spuk_beschikkingen') }}
    group by gemeentecode, jaar
),

-- costs SPUK pays for; execution staff (FORMATIE) is paid from the gemeentefonds
kosten as (
    select gemeentecode, jaar, cast(sum(bedrag) as numeric(18, 2)) as kosten_realisatie
    from {{ ref('stg_gemeente__financien') }}
    where richting = 'LAST'
        and soort = 'REALISATIE'
        and post in ('LEERROUTES', 'MAATSCHAPPELIJKE_BEGELEIDING', 'PVT', 'MAP', 'PARTICIPATIECOMPONENT', 'TOLKEN')
    group by gemeentecode, jaar
),

cohortjaren as (
    select gemeentecode, cohortjaar + verschuiving.n as jaar
    from cohorten
    cross join (select 0 as n union all select 1 union all select 2) as verschuiving
    where doelgroep = 'statushouder'
    union
    select gemeentecode, cohortjaar as jaar
    from cohorten
    where doelgroep = 'gezinsmigrant'
),

jaren as (
    select gemeentecode, jaar from beschikkingen
    union
    select gemeentecode, jaar from kosten
    union
    select gemeentecode, jaar from cohortjaren
    where jaar <= {{ jaar_van(peildatum()) }}
),

tellingen as (
    select
        jaren.gemeentecode,
        jaren.jaar,
        count(case when cohorten.doelgroep = 'statushouder' and cohorten.cohortjaar = jaren.jaar then 1 end)
            as asiel_cohort_0,
        count(case when cohorten.doelgroep = 'statushouder' and cohorten.cohortjaar = jaren.jaar - 1 then 1 end)
            as asiel_cohort_1,
        count(case when cohorten.doelgroep = 'statushouder' and cohorten.cohortjaar = jaren.jaar - 2 then 1 end)
            as asiel_cohort_2,
        count(case when cohorten.doelgroep = 'gezinsmigrant' and cohorten.cohortjaar = jaren.jaar then 1 end)
            as gezinsmigranten
    from jaren
    left join cohorten
        on jaren.gemeentecode = cohorten.gemeentecode
        and cohorten.cohortjaar between jaren.jaar - 2 and jaren.jaar
    where jaren.jaar >= {{ var('spuk_eerste_jaar', 2022) }}
    group by jaren.gemeentecode, jaren.jaar
),

basis as (
    select
        tellingen.gemeentecode,
        tellingen.jaar,
        cast(tellingen.asiel_cohort_0 as integer) as asiel_cohort_0,
        cast(tellingen.asiel_cohort_1 as integer) as asiel_cohort_1,
        cast(tellingen.asiel_cohort_2 as integer) as asiel_cohort_2,
        cast(tellingen.gezinsmigranten as integer) as gezinsmigranten,
        tarieven.jaar is not null as tarief_bekend,
        cast(
            tellingen.asiel_cohort_0 * tarieven.asiel_cohort_0
            + tellingen.asiel_cohort_1 * tarieven.asiel_cohort_1
            + tellingen.asiel_cohort_2 * tarieven.asiel_cohort_2
            + tellingen.gezinsmigranten * tarieven.gezinsmigrant
            as numeric(18, 2)
        ) as berekende_uitkering,
        cast(beschikkingen.voorlopig_beschikt as numeric(18, 2)) as voorlopig_beschikt,
        cast(beschikkingen.definitief_beschikt as numeric(18, 2)) as definitief_beschikt,
        cast(coalesce(beschikkingen.definitief_beschikt, beschikkingen.voorlopig_beschikt) as numeric(18, 2))
            as toegekend,
        cast(kosten.kosten_realisatie as numeric(18, 2)) as kosten_realisatie,
        row_number() over (partition by tellingen.gemeentecode order by tellingen.jaar) as volgnummer
    from tellingen
    left join tarieven on tellingen.jaar = tarieven.jaar
    left join beschikkingen
        on tellingen.gemeentecode = beschikkingen.gemeentecode
        and tellingen.jaar = beschikkingen.jaar
    left join kosten
        on tellingen.gemeentecode = kosten.gemeentecode
        and tellingen.jaar = kosten.jaar
),

met_overschot as (
    select
        basis.*,
        cast(toegekend - kosten_realisatie as numeric(18, 2)) as overschot_jaar
    from basis
),

-- the reserve carries from year to year: saldo = last year's reserve + this year's
-- surplus; the reserve keeps at most 100% of this year's allocation, the rest is
-- reclaimed; a deficit lowers the reserve, never below zero. Unknown stays unknown.
reserve as (
    select
        gemeentecode,
        volgnummer,
        cast(
            case when overschot_jaar is not null then least(greatest(overschot_jaar, 0), toegekend) end
            as numeric(18, 2)
        ) as reserve_cumulatief,
        cast(
            case when overschot_jaar is not null then greatest(overschot_jaar - toegekend, 0) end
            as numeric(18, 2)
        ) as terug_te_betalen
    from met_overschot
    where volgnummer = 1

    union all

    select
        volgend.gemeentecode,
        volgend.volgnummer,
        cast(
            case
                when volgend.overschot_jaar is not null and reserve.reserve_cumulatief is not null
                    then least(greatest(reserve.reserve_cumulatief + volgend.overschot_jaar, 0), volgend.toegekend)
            end
            as numeric(18, 2)
        ) as reserve_cumulatief,
        cast(
            case
                when volgend.overschot_jaar is not null and reserve.reserve_cumulatief is not null
                    then greatest(reserve.reserve_cumulatief + volgend.overschot_jaar - volgend.toegekend, 0)
            end
            as numeric(18, 2)
        ) as terug_te_betalen
    from reserve
    inner join met_overschot as volgend
        on reserve.gemeentecode = volgend.gemeentecode
        and volgend.volgnummer = reserve.volgnummer + 1
),

final as (
    select
        met_overschot.gemeentecode,
        met_overschot.jaar,
        met_overschot.asiel_cohort_0,
        met_overschot.asiel_cohort_1,
        met_overschot.asiel_cohort_2,
        met_overschot.gezinsmigranten,
        met_overschot.berekende_uitkering,
        met_overschot.voorlopig_beschikt,
        met_overschot.definitief_beschikt,
        met_overschot.kosten_realisatie,
        met_overschot.overschot_jaar,
        reserve.reserve_cumulatief,
        reserve.terug_te_betalen,
        met_overschot.tarief_bekend,
        met_overschot.toegekend
    from met_overschot
    left join reserve
        on met_overschot.gemeentecode = reserve.gemeentecode
        and met_overschot.volgnummer = reserve.volgnummer
)

select * from final
