-- How long from koppeling to a home, per gemeente, half year of the koppeling and
-- household size class. Statushouders must be offered a home within 10 weeks (norm
-- huisvesting_termijn_dagen, seed ref_normen).
with episodes as (
    select * from {{ ref('int_huisvesting_episodes') }}
    where telt_mee
),

final as (
    select
        gemeentecode,
        jaar,
        halfjaar,
        huishoudklasse,
        count(*) as gekoppeld,
        count(case when is_gehuisvest then 1 end) as gehuisvest,
        count(case when is_wachtend then 1 end) as wachtend,
        cast({{ mediaan('dagen_tot_huisvesting') }} as numeric(10, 1)) as mediaan_dagen_tot_huisvesting,
        count(case when is_gehuisvest and dagen_tot_huisvesting <= {{ norm('huisvesting_termijn_dagen') }} then 1 end) as binnen_10_weken,
        count(case when is_wachtend and dagen_wachtend > {{ norm('huisvesting_termijn_dagen') }} then 1 end) as wachtend_langer_dan_10_weken,
        count(case when is_vertrokken_voor_huisvesting then 1 end) as vertrokken_voor_huisvesting,
        max(peildatum_tvs) as peildatum_tvs
    from episodes
    group by gemeentecode, jaar, halfjaar, huishoudklasse
)

select * from final
