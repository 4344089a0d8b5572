-- Was the PIP set within 10 weeks (norm pip_termijn_dagen, 70 days) of BRP
-- registration? Per woongemeente, year of BRP registration and doelgroep. A PIP
-- dated after the peildatum does not exist yet at the peildatum. A person without a
-- PIP who needed none - a full medical ontheffing (DUO, grond MED, soort geheel) or
-- uitstroom within the term - is counted in geen_pip_nodig, not as overdue.
with dossiers as (
    select
        persoon_sleutel,
        woongemeente,
        doelgroep,
        datum_inschrijving_brp,
        case when datum_pip <= {{ peildatum() }} then datum_pip end as datum_pip,
        case when datum_uitstroom <= {{ peildatum() }} then datum_uitstroom end as datum_uitstroom
    from {{ ref('int_dossiers') }}
    where datum_inschrijving_brp is not null
        and datum_inschrijving_brp <= {{ peildatum() }}
        and coalesce(wet, 'Wi2021') = 'Wi2021'
),

medische_ontheffing as (
    select persoon_id, min(datum_oordeel) as datum_ontheffing
    from {{ ref('stg_duo__ontheffingen') }}
    where soort = 'geheel'
        and grond = 'MED'
        and lower(coalesce(oordeel, '')) not in ('afgewezen', 'negatief', 'geweigerd')
        and datum_oordeel <= {{ peildatum() }}
    group by persoon_id
),

beoordeeld as (
    select
        dossiers.*,
        {{ dagen_tussen('datum_inschrijving_brp', 'datum_pip') }} as dagen_tot_pip,
        {{ dagen_tussen('datum_inschrijving_brp', peildatum()) }} as dagen_sinds_inschrijving,
        datum_pip is null and (
            {{ dagen_tussen('datum_inschrijving_brp', 'medische_ontheffing.datum_ontheffing') }}
                <= {{ norm('pip_termijn_dagen') }}
            or {{ dagen_tussen('datum_inschrijving_brp', 'datum_uitstroom') }} <= {{ norm('pip_termijn_dagen') }}
        ) as is_geen_pip_nodig
    from dossiers
    left join medische_ontheffing on dossiers.persoon_sleutel = medische_ontheffing.persoon_id
),

final as (
    select
        woongemeente,
        {{ jaar_van('datum_inschrijving_brp') }} as jaar,
        doelgroep,
        count(distinct persoon_sleutel) as inschrijvingen,
        count(distinct case when datum_pip is not null then persoon_sleutel end) as pip_vastgesteld,
        count(distinct case
            when dagen_tot_pip <= {{ norm('pip_termijn_dagen') }} then persoon_sleutel
        end) as pip_binnen_10_weken,
        count(distinct case
            when dagen_tot_pip > {{ norm('pip_termijn_dagen') }} then persoon_sleutel
        end) as pip_te_laat,
        count(distinct case
            when datum_pip is null
                and not coalesce(is_geen_pip_nodig, false)
                and dagen_sinds_inschrijving > {{ norm('pip_termijn_dagen') }}
                then persoon_sleutel
        end) as zonder_pip_termijn_verstreken,
        count(distinct case when is_geen_pip_nodig then persoon_sleutel end) as geen_pip_nodig,
        cast({{ mediaan('dagen_tot_pip') }} as numeric(10, 1)) as mediaan_dagen_tot_pip
    from beoordeeld
    group by woongemeente, {{ jaar_van('datum_inschrijving_brp') }}, doelgroep
)

select * from final
