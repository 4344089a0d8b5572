-- Signals per gemeente at the peildatum: the things that make the provincie climb the
-- interventieladder or cost the gemeente money, before they do.
--
-- The rules, their thresholds, severity (ernst) and Dutch texts are configuration, in
-- seed ref_signaalregels: one row per rule. This model only MEASURES: per rule one
-- CTE `regel_<signaal>` below (marked) gives, per gemeente, the rule's
--     waarde   the measured value (compared with the seed's drempel: fires when waarde > drempel)
--     sinds    since when the rule fires, where the data itself says so (null: see below)
--     detail   a short Dutch fact for the text's {detail}
-- and the rule's name is listed in `regels` just below. Adding a rule = one seed row +
-- one such CTE + its name in that list.
--
-- sinds, when a rule's CTE gives none: the sinds of the same signal at the latest earlier
-- published peildatum when it fired there too (historie.fct_signalen in the work area),
-- else the peildatum itself (the first publication that shows it).
{%- set regels = [
    'achterstand_gestegen',
    'realisatie_achter_op_tempo',
    'interventieladder_hoger',
    'pip_termijn_verstreken',
    'spuk_terugbetaling',
    'mb_langer_dan_termijn',
    'termijn_eindigt_zonder_resultaat',
] %}

with regelset as (
    select * from {{ ref('ref_signaalregels') }}
),

-- the COA half years in force, numbered per gemeente (consecutive periods differ by 1)
halfjaren as (
    select
        gemeentecode,
        jaar,
        halfjaar,
        stand_begin,
        taakstelling,
        gerealiseerd,
        peildatum as peildatum_tvs,
        maanden_verstreken,
        volgens_tempo,
        jaar * 2 + halfjaar as volgnummer,
        case when halfjaar = 1
            then {{ eerste_dag_van_jaar('jaar') }}
            else cast(cast(jaar as varchar) || '-07-01' as date)
        end as begindatum
    from {{ ref('fct_taakstelling_halfjaar') }}
),

laatste_halfjaar as (
    select gemeentecode, max(volgnummer) as volgnummer
    from halfjaren
    group by gemeentecode
),

-- ===== rule achterstand_gestegen: backlog higher than half a year earlier =================
-- COA's published achterstand at the start of the latest half year against the start of the
-- half year before; sinds = the start of the first half year of the unbroken rise.
achterstand_reeks as (
    select
        nu.gemeentecode,
        nu.volgnummer,
        nu.begindatum,
        nu.stand_begin,
        vorig.stand_begin as vorige_stand_begin,
        nu.stand_begin - vorig.stand_begin as stijging,
        nu.stand_begin - vorig.stand_begin
            > (select drempel from regelset where signaal = 'achterstand_gestegen') as vuurt
    from halfjaren as nu
    inner join halfjaren as vorig
        on nu.gemeentecode = vorig.gemeentecode
        and vorig.volgnummer = nu.volgnummer - 1
),

regel_achterstand_gestegen as (
    select
        laatste.gemeentecode,
        cast(reeks.stijging as numeric(18, 2)) as waarde,
        (
            select min(r.begindatum) from achterstand_reeks as r
            where r.gemeentecode = laatste.gemeentecode
                and r.volgnummer <= laatste.volgnummer
                and r.volgnummer > coalesce((
                    select max(g.volgnummer) from achterstand_reeks as g
                    where g.gemeentecode = laatste.gemeentecode and not g.vuurt
                ), 0)
        ) as sinds,
        'van ' || cast(reeks.vorige_stand_begin as varchar) || ' naar '
            || cast(reeks.stand_begin as varchar) as detail
    from laatste_halfjaar as laatste
    inner join achterstand_reeks as reeks
        on laatste.gemeentecode = reeks.gemeentecode
        and laatste.volgnummer = reeks.volgnummer
),

-- ===== rule realisatie_achter_op_tempo: behind the pro-rata pace of the half year ==========
-- the pace is fct_taakstelling_halfjaar.volgens_tempo (1/6 of the half year's taakstelling per
-- whole month elapsed at COA's date); waarde = how many fewer were housed; sinds = the start
-- of the first half year of the unbroken series of half years behind their pace.
tempo_reeks as (
    select
        halfjaren.*,
        volgens_tempo - gerealiseerd as tekort,
        volgens_tempo - gerealiseerd
            > (select drempel from regelset where signaal = 'realisatie_achter_op_tempo') as vuurt
    from halfjaren
),

regel_realisatie_achter_op_tempo as (
    select
        laatste.gemeentecode,
        cast(reeks.tekort as numeric(18, 2)) as waarde,
        (
            select min(r.begindatum) from tempo_reeks as r
            where r.gemeentecode = laatste.gemeentecode
                and r.volgnummer <= laatste.volgnummer
                and r.volgnummer > coalesce((
                    select max(g.volgnummer) from tempo_reeks as g
                    where g.gemeentecode = laatste.gemeentecode and not g.vuurt
                ), 0)
        ) as sinds,
        cast(reeks.gerealiseerd as varchar) || ' van ' || cast(reeks.volgens_tempo as varchar)
            || ' na ' || cast(reeks.maanden_verstreken as varchar) || ' maand(en) van '
            || cast(reeks.jaar as varchar) || '-' || case when reeks.halfjaar = 1 then 'I' else 'II' end
            as detail
    from laatste_halfjaar as laatste
    inner join tempo_reeks as reeks
        on laatste.gemeentecode = reeks.gemeentecode
        and laatste.volgnummer = reeks.volgnummer
),

-- ===== rule interventieladder_hoger: stepped up since the provincie's previous decision ====
-- the provincie's latest decision on or before the peildatum against its decision before
-- that (none: below the first trede); sinds = the date of the latest decision.
ladder as (
    select
        besluit.gemeentecode,
        besluit.datum,
        besluit.trede,
        treden.volgorde,
        row_number() over (partition by besluit.gemeentecode order by besluit.datum desc) as rang
    from {{ ref('stg_provincie__interventieladder') }} as besluit
    inner join {{ ref('ref_interventieladder_treden') }} as treden
        on besluit.trede = treden.trede
    where besluit.datum <= {{ peildatum() }}
),

regel_interventieladder_hoger as (
    select
        nu.gemeentecode,
        cast(nu.volgorde - coalesce(vorig.volgorde, 0) as numeric(18, 2)) as waarde,
        nu.datum as sinds,
        'trede ' || nu.trede || ' sinds ' || cast(nu.datum as varchar)
            || coalesce(', was trede ' || vorig.trede, '') as detail
    from ladder as nu
    left join ladder as vorig
        on nu.gemeentecode = vorig.gemeentecode
        and vorig.rang = 2
    where nu.rang = 1
),

-- ===== rule pip_termijn_verstreken: PIPs overdue (no PIP 70 days after BRP registration) ===
-- the persons counted in fct_pip_tijdigheid.zonder_pip_termijn_verstreken (every BRP year);
-- sinds from the earlier publications (the mart has no date per person).
regel_pip_termijn_verstreken as (
    select
        woongemeente as gemeentecode,
        cast(sum(zonder_pip_termijn_verstreken) as numeric(18, 2)) as waarde,
        cast(null as date) as sinds,
        cast(null as varchar) as detail
    from {{ ref('fct_pip_tijdigheid') }}
    group by woongemeente
),

-- ===== rule spuk_terugbetaling: SPUK terug_te_betalen > 0 in any year =======================
-- sinds = the end of the first budget year with money to pay back (or the peildatum while
-- that year runs).
regel_spuk_terugbetaling as (
    select
        gemeentecode,
        cast(sum(terug_te_betalen) as numeric(18, 2)) as waarde,
        least(
            min({{ laatste_dag_van_jaar('jaar') }}),
            {{ peildatum() }}
        ) as sinds,
        'over ' || cast(min(jaar) as varchar)
            || case when max(jaar) > min(jaar) then ' tot en met ' || cast(max(jaar) as varchar) else '' end
            as detail
    from {{ ref('fct_spuk') }}
    where terug_te_betalen > 0
    group by gemeentecode
),

-- ===== rule mb_langer_dan_termijn: maatschappelijke begeleiding beyond its term ============
-- fct_maatschappelijke_begeleiding.langer_dan_termijn (terms from ref_normen), every year and
-- soort; sinds from the earlier publications.
regel_mb_langer_dan_termijn as (
    select
        gemeentecode,
        cast(sum(langer_dan_termijn) as numeric(18, 2)) as waarde,
        cast(null as date) as sinds,
        cast(null as varchar) as detail
    from {{ ref('fct_maatschappelijke_begeleiding') }}
    group by gemeentecode
),

-- ===== rule termijn_eindigt_zonder_resultaat: termijn ends within 6 months, no resultaat ====
regel_termijn_eindigt_zonder_resultaat as (
    select
        woongemeente as gemeentecode,
        cast(sum(eindigt_binnen_6_maanden_zonder_resultaat) as numeric(18, 2)) as waarde,
        cast(null as date) as sinds,
        cast(null as varchar) as detail
    from {{ ref('fct_inburgeringstermijn') }}
    group by woongemeente
),

-- ===== end of the rules ======================================================================

metingen as (
    {%- for regel in regels %}
    select gemeentecode, '{{ regel }}' as signaal, waarde, sinds, detail from regel_{{ regel }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

vuurt as (
    select
        metingen.gemeentecode,
        metingen.signaal,
        regelset.ernst,
        metingen.waarde,
        cast(regelset.drempel as numeric(18, 2)) as drempel,
        metingen.sinds,
        metingen.detail,
        regelset.titel,
        regelset.toelichting as tekst,
        regelset.eenheid,
        regelset.onderdrukken
    from metingen
    inner join regelset on metingen.signaal = regelset.signaal
    where metingen.gemeentecode is not null
        and metingen.waarde > regelset.drempel
),

{% set vorige = historie_signalen() %}
vorige_publicatie as (
    {%- if vorige is not none %}
    select gemeentecode, signaal, sinds
    from {{ vorige }}
    where peildatum = (select max(peildatum) from {{ vorige }} where peildatum < {{ peildatum() }})
    {%- else %}
    select cast(null as varchar) as gemeentecode, cast(null as varchar) as signaal, cast(null as date) as sinds
    where 1 = 0
    {%- endif %}
),

final as (
    select
        vuurt.gemeentecode,
        {{ peildatum() }} as peildatum,
        vuurt.signaal,
        vuurt.ernst,
        vuurt.waarde,
        vuurt.drempel,
        coalesce(vuurt.sinds, vorige_publicatie.sinds, {{ peildatum() }}) as sinds,
        replace(replace(replace(
            vuurt.tekst,
            '{waarde}', case
                when vuurt.waarde = floor(vuurt.waarde) then cast(cast(vuurt.waarde as bigint) as varchar)
                else cast(vuurt.waarde as varchar)
            end),
            '{drempel}', cast(cast(vuurt.drempel as bigint) as varchar)),
            '{detail}', coalesce(vuurt.detail, '')) as toelichting,
        vuurt.titel,
        vuurt.eenheid,
        vuurt.onderdrukken
    from vuurt
    left join vorige_publicatie
        on vuurt.gemeentecode = vorige_publicatie.gemeentecode
        and vuurt.signaal = vorige_publicatie.signaal
)

select * from final
