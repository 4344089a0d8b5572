-- COA's published balance per gemeente per half year, with every correction COA
-- made between periods shown explicitly instead of hidden in the opening balance.
with perioden as (
    select * from {{ ref('stg_coa_tvs__taakstelling') }}
),

tvs_gehuisvest as (
    select
        gemeentecode,
        {{ jaar_van('huisvestingsdatum') }} as jaar,
        {{ halfjaar_van('huisvestingsdatum') }} as halfjaar,
        count(distinct persoon_sleutel) as aantal
    from {{ ref('int_huisvesting_episodes') }}
    where telt_mee and is_gehuisvest
    group by
        gemeentecode,
        {{ jaar_van('huisvestingsdatum') }},
        {{ halfjaar_van('huisvestingsdatum') }}
),

tvs_bereik as (
    -- TVS cannot speak about half years before its oldest koppeling
    select min(koppeldatum) as eerste_koppeldatum
    from {{ ref('int_huisvesting_episodes') }}
),

met_vorige as (
    select
        perioden.*,
        stand_begin + taakstelling as totale_taakstelling,
        stand_begin + taakstelling - gerealiseerd as stand_eind,
        lag(periode_volgnummer) over gemeente_volgorde as vorige_volgnummer,
        lag(stand_begin + taakstelling - gerealiseerd) over gemeente_volgorde as vorige_stand_eind
    from perioden
    window gemeente_volgorde as (partition by gemeentecode order by periode_volgnummer)
),

-- whole months of the half year elapsed at the date COA's figures refer to (6 once it closed)
tempo as (
    select
        gemeentecode,
        periode_volgnummer,
        greatest(0, least(6, cast(
            (extract(year from {{ plus_dagen('peildatum_tvs', 1) }}) * 12
                + extract(month from {{ plus_dagen('peildatum_tvs', 1) }}))
            - (jaar * 12 + (halfjaar - 1) * 6 + 1)
        as integer))) as maanden_verstreken
    from perioden
),

final as (
    select
        met_vorige.gemeentecode,
        met_vorige.jaar,
        met_vorige.halfjaar,
        met_vorige.stand_begin,
        case
            when met_vorige.vorige_volgnummer = met_vorige.periode_volgnummer - 1
                then met_vorige.stand_begin - met_vorige.vorige_stand_eind
        end as correctie_begin,
        met_vorige.taakstelling,
        met_vorige.totale_taakstelling,
        met_vorige.gerealiseerd,
        case
            when tvs_bereik.eerste_koppeldatum is not null
                and tvs_bereik.eerste_koppeldatum <= {{ eerste_dag_van_jaar('met_vorige.jaar') }}
                then coalesce(tvs_gehuisvest.aantal, 0)
        end as gerealiseerd_tvs,
        met_vorige.stand_eind,
        met_vorige.peildatum_tvs as peildatum,
        met_vorige.periode,
        tempo.maanden_verstreken,
        -- the pro-rata pace: 1/6 of the half year's taakstelling per whole month elapsed
        cast(floor(met_vorige.taakstelling * tempo.maanden_verstreken / 6.0) as bigint) as volgens_tempo
    from met_vorige
    cross join tvs_bereik
    inner join tempo
        on met_vorige.gemeentecode = tempo.gemeentecode
        and met_vorige.periode_volgnummer = tempo.periode_volgnummer
    left join tvs_gehuisvest
        on met_vorige.gemeentecode = tvs_gehuisvest.gemeentecode
        and met_vorige.jaar = tvs_gehuisvest.jaar
        and met_vorige.halfjaar = tvs_gehuisvest.halfjaar
)

select * from final
