-- SPUK counting cohorts: for every Wi2021 inburgeringsplichtige, the gemeente and
-- the year from which it counts. An asielstatushouder counts from the year housed
-- in the gemeente (TVS huisvestingsdatum), in that year and the next two. A
-- statushouder with a koppeling but no housing yet does not count, even when the BRP
-- already has them (registered while living at an AZC or a regional opvanglocatie,
-- ROL); the BRP registration of the municipal dossier stands in only for a
-- statushouder with no koppeling at all. A gezinsmigrant counts once, in the first
-- year in the gemeente (BRP registration of the dossier; else DUO's plicht start).
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

gekoppeld as (
    select distinct persoon_sleutel
    from {{ ref('int_huisvesting_episodes') }}
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
            when duo.doelgroep = 'statushouder' and gekoppeld.persoon_sleutel is not null
                then huisvesting.gemeentecode
            when duo.doelgroep = 'statushouder'
                then inschrijving.woongemeente
            else coalesce(inschrijving.woongemeente, duo.gemeentecode)
        end as gemeentecode,
        case
            when duo.doelgroep = 'statushouder' and gekoppeld.persoon_sleutel is not null
                then huisvesting.huisvestingsdatum
            when duo.doelgroep = 'statushouder'
                then inschrijving.datum_inschrijving_brp
            else coalesce(inschrijving.datum_inschrijving_brp, duo.plicht_begindatum)
        end as cohortdatum,
        case
            when duo.doelgroep = 'statushouder' and huisvesting.huisvestingsdatum is not null then 'tvs_huisvesting'
            when duo.doelgroep = 'statushouder' and gekoppeld.persoon_sleutel is not null then null
            when inschrijving.datum_inschrijving_brp is not null then 'brp_inschrijving'
            when duo.doelgroep = 'gezinsmigrant' and duo.plicht_begindatum is not null then 'duo_plicht'
        end as bron_cohort
    from duo
    left join huisvesting
        on duo.persoon_id = huisvesting.persoon_sleutel
        and huisvesting.rang = 1
    left join gekoppeld
        on duo.persoon_id = gekoppeld.persoon_sleutel
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
