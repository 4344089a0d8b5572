-- The yearly view of the taakstelling, as the report shows it (tables 3.2-3.5),
-- built from the half years so that COA's corrections stay visible: at 1 January
-- (correctie_1_januari) and within the year (correcties_in_jaar, at 1 July).
with halfjaren as (
    select * from {{ ref('fct_taakstelling_halfjaar') }}
),

ladder as (
    select gemeentecode, datum, trede from {{ ref('stg_provincie__interventieladder') }}
),

jaren as (
    select
        gemeentecode,
        jaar,
        max(case when halfjaar = 1 then stand_begin end) as stand_1_januari,
        cast(sum(taakstelling) as bigint) as taakstelling,
        max(case when halfjaar = 2 then correctie_begin end) as correcties_in_jaar,
        cast(sum(gerealiseerd) as bigint) as gerealiseerd,
        max(peildatum) as peildatum
    from halfjaren
    group by gemeentecode, jaar
),

berekend as (
    select
        jaren.*,
        stand_1_januari + taakstelling + coalesce(correcties_in_jaar, 0) as totale_taakstelling,
        stand_1_januari + taakstelling + coalesce(correcties_in_jaar, 0) - gerealiseerd as achterstand
    from jaren
),

met_vorig_jaar as (
    select
        berekend.*,
        lag(jaar) over gemeente_volgorde as vorig_jaar,
        lag(achterstand) over gemeente_volgorde as vorige_achterstand
    from berekend
    window gemeente_volgorde as (partition by gemeentecode order by jaar)
),

-- the trede in force at the end of the year (or at the peildatum, for the current year)
treden as (
    select
        jaren.gemeentecode,
        jaren.jaar,
        ladder.trede,
        row_number() over (
            partition by jaren.gemeentecode, jaren.jaar
            order by ladder.datum desc
        ) as rang
    from jaren
    inner join ladder
        on jaren.gemeentecode = ladder.gemeentecode
        and ladder.datum <= least({{ laatste_dag_van_jaar('jaren.jaar') }}, {{ peildatum() }})
),

final as (
    select
        met_vorig_jaar.gemeentecode,
        met_vorig_jaar.jaar,
        met_vorig_jaar.stand_1_januari,
        case
            when met_vorig_jaar.vorig_jaar = met_vorig_jaar.jaar - 1
                then met_vorig_jaar.stand_1_januari - met_vorig_jaar.vorige_achterstand
        end as correctie_1_januari,
        met_vorig_jaar.taakstelling,
        met_vorig_jaar.correcties_in_jaar,
        met_vorig_jaar.totale_taakstelling,
        met_vorig_jaar.gerealiseerd,
        met_vorig_jaar.achterstand,
        treden.trede as interventieladder_trede,
        met_vorig_jaar.peildatum
    from met_vorig_jaar
    left join treden
        on met_vorig_jaar.gemeentecode = treden.gemeentecode
        and met_vorig_jaar.jaar = treden.jaar
        and treden.rang = 1
)

select * from final
