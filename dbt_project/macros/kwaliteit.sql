{#
  The registration checks' own rules, where they are shared with the marts.

  kwaliteit_keuze(): which deliveries the staging and kwaliteit models look at (var
      `kwaliteit_keuze`):
        in_kracht  (default) the deliveries in force: those the blocking checks judged
                   for the peildatum (audit.kwaliteit_beoordelingen), minus those they
                   held back (audit.kwaliteit_blokkades). What the marts and the quality
                   DAG read.
        kandidaat  every loaded delivery on or before the peildatum, minus what the
                   blocking gate holds back so far (audit.kwaliteit_kandidaat_blokkades,
                   written by regie.quality.poort between its rounds). Built by the gate
                   before it judges, in the schemas staging_kandidaat and
                   kwaliteit_kandidaat (macro generate_schema_name), so it never changes
                   what the marts are built from.
#}
{% macro kwaliteit_keuze() -%}
    {%- set keuze = var('kwaliteit_keuze', 'in_kracht') | string | trim -%}
    {%- if keuze not in ('in_kracht', 'kandidaat') -%}
        {{ exceptions.raise_compiler_error("var kwaliteit_keuze must be in_kracht or kandidaat, not " ~ keuze) }}
    {%- endif -%}
    {{- return(keuze) -}}
{%- endmacro %}

{#
  The route in force at a date, the one definition marts and checks share: of the
  routes started on or before `datum`, the latest (then the later line). An
  expression that is 1 for that route within `partitie`, greater for the others, and
  null for a route not started by `datum`.
  int_leerroute_op_peildatum: per person at the peildatum (and counted only while it
  runs); kwaliteit.personen_leerroute: per klant at the delivery date of its routes.
#}
{% macro leerroute_in_kracht_rang(partitie, datum, datum_start='datum_start', daarna='regelnummer desc') -%}
    case
        when {{ datum_start }} <= {{ datum }}
            then row_number() over (
                partition by {{ partitie }}, ({{ datum_start }} <= {{ datum }})
                order by {{ datum_start }} desc, {{ daarna }}
            )
    end
{%- endmacro %}

{# A date as the Dutch dd-mm-jjjj (the way findings name a record). #}
{% macro datum_nl(expr) -%}
    {%- if target.type == 'postgres' -%}
        to_char({{ expr }}, 'DD-MM-YYYY')
    {%- else -%}
        strftime({{ expr }}, '%d-%m-%Y')
    {%- endif -%}
{%- endmacro %}

{# The row key the checks report failing rows by: 0, 1, ... in a fixed order. #}
{% macro kwaliteit_rij(volgorde) -%}
    cast(row_number() over (order by {{ volgorde }}) - 1 as bigint)
{%- endmacro %}

{#
  Per klant of an uitvoerder (the last line of the newest delivery of its dossier in
  force): woongemeente, doelgroep, and the gemeente the checks count its records against
  (macro toegerekende_gemeente: the woongemeente when the deliverer executes for it,
  else the deliverer; a record without dossier counts for its deliverer).
#}
{% macro kwaliteit_klanten() -%}
    select uitvoerder, klantnummer, woongemeente, doelgroep, persoon_id
    from (
        select
            uitvoerder,
            klantnummer,
            woongemeente,
            doelgroep,
            persoon_id,
            row_number() over (
                partition by uitvoerder, klantnummer
                order by leverdatum desc, regelnummer desc
            ) as rang
        from {{ ref('stg_gemeente__dossiers') }}
    ) as dossiers
    where rang = 1
{%- endmacro %}

{# The gemeente a municipal record counts against, and whether its woongemeente is one its deliverer serves. #}
{% macro kwaliteit_toerekening(woongemeente, uitvoerder) -%}
    {{ toegerekende_gemeente(woongemeente, uitvoerder) }} as gemeentecode,
    coalesce({{ woongemeente }} is null or {{ toegerekende_gemeente(woongemeente, uitvoerder) }} = {{ woongemeente }}, true)
        as woongemeente_bij_uitvoerder
{%- endmacro %}

{#
  persoon_id -> the klantnummer of the person's latest dossier (by dossier date, a
  dossier without date counting as the latest; then the later line), for records of
  DUO, the COA and begeleiding.
#}
{% macro kwaliteit_persoon_klant() -%}
    select persoon_id, klantnummer
    from (
        select
            persoon_id,
            klantnummer,
            row_number() over (
                partition by persoon_id
                order by datum_dossier desc nulls first, regelnummer desc nulls first
            ) as rang
        from {{ ref('stg_gemeente__dossiers') }}
        where persoon_id is not null
    ) as dossiers
    where rang = 1
{%- endmacro %}

{#
  The blocking gate's working table (a dbt source, audit.kwaliteit_kandidaat_blokkades):
  what it holds back so far, per peildatum. Created here, before every run (on-run-start),
  so the source exists wherever dbt runs - also for analyze_sources() on PostgreSQL -
  and regie.quality.poort only fills it.
#}
{% macro kwaliteit_kandidaat_blokkades_maken() -%}
    {%- if execute -%}
        create schema if not exists audit;
        create table if not exists audit.kwaliteit_kandidaat_blokkades (
            peildatum date,
            bron varchar,
            uitvoerder varchar,
            leverdatum date,
            gemeentecode varchar
        )
    {%- endif -%}
{%- endmacro %}
