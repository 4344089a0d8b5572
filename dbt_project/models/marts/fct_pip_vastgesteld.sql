-- PIPs set per woongemeente, calendar month and doelgroep (Wi2021 only; the report's
-- tables 5.10 and 5.11 are sums of months of aantal_in_dossier, the gemeente's own
-- registration). The PIP date is the gemeente's dossier date, else DUO's dagtekening
-- (aantal_alleen_bij_duo); a PIP dated after the peildatum is not set yet.
with dossiers as (
    select persoon_sleutel, persoon_id, woongemeente, doelgroep, wet, datum_pip, laatste_dossier_van_persoon
    from {{ ref('int_dossiers') }}
),

duo as (
    select persoon_id, gemeentecode, doelgroep, wet, pip_dagtekening
    from {{ ref('stg_duo__personen') }}
),

uit_dossier as (
    select distinct persoon_sleutel, woongemeente, doelgroep, datum_pip, 'dossier' as bron
    from dossiers
    where datum_pip is not null
        and coalesce(wet, 'Wi2021') = 'Wi2021'
),

-- DUO knows a PIP the gemeente did not register in any dossier of the person
alleen_duo as (
    select
        duo.persoon_id as persoon_sleutel,
        coalesce(laatste.woongemeente, duo.gemeentecode) as woongemeente,
        coalesce(laatste.doelgroep, duo.doelgroep) as doelgroep,
        duo.pip_dagtekening as datum_pip,
        'duo' as bron
    from duo
    left join dossiers as laatste
        on duo.persoon_id = laatste.persoon_id
        and laatste.laatste_dossier_van_persoon
    where duo.pip_dagtekening is not null
        and duo.wet = 'Wi2021'
        and not exists (
            select 1 from uit_dossier where uit_dossier.persoon_sleutel = duo.persoon_id
        )
),

pips as (
    select * from uit_dossier
    union all
    select * from alleen_duo
),

final as (
    select
        woongemeente,
        cast({{ dbt.date_trunc('month', 'datum_pip') }} as date) as maand,
        doelgroep,
        count(distinct persoon_sleutel) as aantal,
        count(distinct case when bron = 'dossier' then persoon_sleutel end) as aantal_in_dossier,
        count(distinct case when bron = 'duo' then persoon_sleutel end) as aantal_alleen_bij_duo
    from pips
    where datum_pip <= {{ peildatum() }}
        and woongemeente is not null
    group by woongemeente, cast({{ dbt.date_trunc('month', 'datum_pip') }} as date), doelgroep
)

select * from final
