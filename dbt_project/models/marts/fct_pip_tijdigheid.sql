-- Was the PIP set within 10 weeks (70 days) of BRP registration? Per woongemeente,
-- year of BRP registration and doelgroep. A PIP dated after the peildatum does
-- not exist yet at the peildatum.
with dossiers as (
    select
        persoon_sleutel,
        woongemeente,
        doelgroep,
        datum_inschrijving_brp,
        case when datum_pip <= {{ peildatum() }} then datum_pip end as datum_pip
    from {{ ref('int_dossiers') }}
    where datum_inschrijving_brp is not null
        and datum_inschrijving_brp <= {{ peildatum() }}
        and coalesce(wet, 'Wi2021') = 'Wi2021'
),

beoordeeld as (
    select
        dossiers.*,
        {{ dagen_tussen('datum_inschrijving_brp', 'datum_pip') }} as dagen_tot_pip,
        {{ dagen_tussen('datum_inschrijving_brp', peildatum()) }} as dagen_sinds_inschrijving
    from dossiers
),

final as (
    select
        woongemeente,
        {{ jaar_van('datum_inschrijving_brp') }} as jaar,
        doelgroep,
        count(distinct persoon_sleutel) as inschrijvingen,
        count(distinct case when datum_pip is not null then persoon_sleutel end) as pip_vastgesteld,
        count(distinct case when dagen_tot_pip <= 70 then persoon_sleutel end) as pip_binnen_10_weken,
        count(distinct case when dagen_tot_pip > 70 then persoon_sleutel end) as pip_te_laat,
        count(distinct case
            when datum_pip is null and dagen_sinds_inschrijving > 70 then persoon_sleutel
        end) as zonder_pip_termijn_verstreken,
        cast({{ mediaan('dagen_tot_pip') }} as numeric(10, 1)) as mediaan_dagen_tot_pip
    from beoordeeld
    group by woongemeente, {{ jaar_van('datum_inschrijving_brp') }}, doelgroep
)

select * from final
