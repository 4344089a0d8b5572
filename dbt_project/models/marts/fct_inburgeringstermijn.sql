-- The inburgeringstermijn (DUO) at the peildatum, per woongemeente, doelgroep and
-- leerroute: running termijnen, those ending within 6 months (norm
-- termijn_bijna_verstreken_maanden) without a resultaat, those expired without one,
-- extensions, and the exam results so far. A resultaat is a diploma (all five exam
-- parts KNM, LE, LU, SC and SP passed), a completed Z-route, or a full ontheffing or
-- vrijstelling. Persons whose plicht has ended (DUO) are left out.
with duo as (
    select
        persoon_id,
        gemeentecode,
        doelgroep,
        pip_leerroute,
        termijn_startdatum,
        termijn_einddatum,
        termijn_verlengingsgrond,
        zroute_datum_afronding
    from {{ ref('stg_duo__personen') }}
    where termijn_startdatum is not null
        and termijn_startdatum <= {{ peildatum() }}
        and coalesce(plicht_indicator, true)
),

examens as (
    select persoon_id, onderdeel, resultaat
    from {{ ref('stg_duo__examens') }}
    where examendatum <= {{ peildatum() }}
),

diploma as (
    select persoon_id
    from examens
    where resultaat = 'Geslaagd'
        and onderdeel in ('KNM', 'LE', 'LU', 'SC', 'SP')
    group by persoon_id
    having count(distinct onderdeel) = 5
),

examenuitslagen as (
    select
        persoon_id,
        count(case when resultaat = 'Geslaagd' then 1 end) as geslaagd,
        count(case when resultaat = 'Gezakt' then 1 end) as gezakt
    from examens
    group by persoon_id
),

geheel_vrij as (
    select persoon_id from {{ ref('stg_duo__ontheffingen') }}
    where soort = 'geheel' and datum_oordeel <= {{ peildatum() }}
        and lower(coalesce(oordeel, '')) not in ('afgewezen', 'negatief', 'geweigerd')
    union
    select persoon_id from {{ ref('stg_duo__vrijstellingen') }}
    where soort = 'geheel' and datum_oordeel <= {{ peildatum() }}
        and lower(coalesce(oordeel, '')) not in ('afgewezen', 'negatief', 'geweigerd')
),

laatste_dossier as (
    select persoon_id, woongemeente
    from {{ ref('int_dossiers') }}
    where laatste_dossier_van_persoon and persoon_id is not null
),

route as (
    select persoon_sleutel, min(leerroute) as leerroute
    from {{ ref('int_leerroute_op_peildatum') }}
    group by persoon_sleutel
),

per_persoon as (
    select
        duo.persoon_id,
        coalesce(laatste_dossier.woongemeente, duo.gemeentecode) as woongemeente,
        duo.doelgroep,
        coalesce(route.leerroute, duo.pip_leerroute, 'GEEN') as leerroute,
        duo.termijn_einddatum,
        duo.termijn_verlengingsgrond is not null and trim(duo.termijn_verlengingsgrond) <> '' as is_verlengd,
        diploma.persoon_id is not null
            or duo.zroute_datum_afronding <= {{ peildatum() }}
            or vrij.persoon_id is not null as heeft_resultaat,
        coalesce(examenuitslagen.geslaagd, 0) as examens_geslaagd,
        coalesce(examenuitslagen.gezakt, 0) as examens_gezakt
    from duo
    left join laatste_dossier on duo.persoon_id = laatste_dossier.persoon_id
    left join route on duo.persoon_id = route.persoon_sleutel
    left join diploma on duo.persoon_id = diploma.persoon_id
    left join (select distinct persoon_id from geheel_vrij) as vrij on duo.persoon_id = vrij.persoon_id
    left join examenuitslagen on duo.persoon_id = examenuitslagen.persoon_id
),

final as (
    select
        woongemeente,
        {{ peildatum() }} as peildatum,
        doelgroep,
        leerroute,
        count(case
            when termijn_einddatum is null or termijn_einddatum >= {{ peildatum() }} then 1
        end) as termijn_lopend,
        count(case
            when not coalesce(heeft_resultaat, false)
                and termijn_einddatum >= {{ peildatum() }}
                and termijn_einddatum <= {{ plus_maanden(peildatum(), norm('termijn_bijna_verstreken_maanden')) }}
                then 1
        end) as eindigt_binnen_6_maanden_zonder_resultaat,
        count(case
            when not coalesce(heeft_resultaat, false) and termijn_einddatum < {{ peildatum() }} then 1
        end) as termijn_verstreken_zonder_resultaat,
        count(case when is_verlengd then 1 end) as verlengd,
        sum(examens_geslaagd) as examens_geslaagd,
        sum(examens_gezakt) as examens_gezakt
    from per_persoon
    group by woongemeente, doelgroep, leerroute
)

select * from final
