-- SPUK counting cohorts: for every Wi2021 inburgeringsplichtige, the gemeente and
-- the year from which it counts. An asielstatushouder counts from the year housed
-- in the gemeente (TVS huisvesting; else the BRP registration of the municipal
-- dossier), in that year and the next two. A gezinsmigrant counts once, in the first
-- year in the gemeente (BRP registration of the dossier; else DUO's plicht start).
-- A statushouder without housing or BRP registration (still in the AZC) does not count.
with duo as (
    select persoon_id, gemeentecode, doelgroep, plicht_begindatum
    from {{ ref('stg_duo__personen') }}
    where wet = 'Wi2021'
),

huisvesting as (
    select
        persoon_sleutel,
        gemeentecode,
        huisvestingsdatum,
        row_number() over (partition by persoon_sleutel order by huisvestingsdatum, gemeentecode) as rang
    from {{ ref('int_huisvesting_episodes') }}
    where telt_mee and is_gehuisvest
),

inschrijving as (
    select
        persoon_sleutel,
        woongemeente,
        datum_inschrijving_brp,
        row_number() over (
            partition by persoon_sleutel
            order by datum_inschrijving_brp, uitvoerder, klantnummer
        ) as rang
    from {{ ref('int_dossiers') }}
    where datum_inschrijving_brp is not null
),

bepaald as (
    select
        duo.persoon_id as persoon_sleutel,
        duo.doelgroep,
        case
            when duo.doelgroep = 'statushouder'
                then coalesce(huisvesting.gemeentecode, inschrijving.woongemeente)
            else coalesce(inschrijving.woongemeente, duo.gemeentecode)
        end as gemeentecode,
        case
            when duo.doelgroep = 'statushouder'
                then coalesce(huisvesting.huisvestingsdatum, inschrijving.datum_inschrijving_brp)
            else coalesce(inschrijving.datum_inschrijving_brp, duo.plicht_begindatum)
        end as cohortdatum,
        case
            when duo.doelgroep = 'statushouder' and huisvesting.huisvestingsdatum is not null then 'tvs_huisvesting'
            when inschrijving.datum_inschrijving_brp is not null then 'brp_inschrijving'
            when duo.doelgroep = 'gezinsmigrant' and duo.plicht_begindatum is not null then 'duo_plicht'
        end as bron_cohort
    from duo
    left join huisvesting
        on duo.persoon_id = huisvesting.persoon_sleutel
        and huisvesting.rang = 1
    left join inschrijving
        on duo.persoon_id = inschrijving.persoon_sleutel
        and inschrijving.rang = 1
),

final as (
    select
        persoon_sleutel,
        doelgroep,
        gemeentecode,
        cohortdatum,
        {{ jaar_van('cohortdatum') }} as cohortjaar,
        bron_cohort
    from bepaald
    where cohortdatum is not null
        and cohortdatum <= {{ peildatum() }}
        and doelgroep in ('statushouder', 'gezinsmigrant')
)

select * from final
