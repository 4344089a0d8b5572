{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='append_new_columns',
    )
}}
-- Activities summarised once per delivered file, so a build reads each new
-- activiteiten file once instead of re-aggregating every snapshot ever received.
-- TAALLES (one row per person per lesson week, the bulk of the volume) is summed
-- per person per calendar year; every other kind keeps its start date, so hours
-- "up to the peildatum" stay exact for PVT, MAP and PARTICIPATIE.
with nieuwe_bestanden as (
    select bestanden.path, bestanden.versie
    from {{ source('audit', 'bestanden') }} as bestanden
    where bestanden.status = 'geladen'
        and bestanden.bron = 'gemeente'
        and bestanden.entiteit = 'activiteiten'
    {% if is_incremental() %}
        and not exists (
            select 1
            from {{ this }} as al
            where al.bestand = bestanden.path and al.versie = bestanden.versie
        )
    {% endif %}
),

rijen as (
    select rij.*
    from {{ source('raw', 'gemeente__activiteiten') }} as rij
    inner join nieuwe_bestanden
        on rij._bestand = nieuwe_bestanden.path
        and rij._versie = nieuwe_bestanden.versie
),

ingedeeld as (
    select
        _bestand as bestand,
        _versie as versie,
        _leverdatum as leverdatum,
        {{ gemeentecode('_uitvoerder') }} as uitvoerder,
        klantnummer,
        upper(soort) as soort_code,
        case
            when upper(soort) = 'TAALLES' then {{ eerste_dag_van_jaar(jaar_van('datum_start')) }}
            else datum_start
        end as periode_start,
        datum_start,
        datum_eind,
        cast(uren as numeric(18, 2)) as uren,
        lower(status) as status_code
    from rijen
),

final as (
    select
        bestand,
        versie,
        leverdatum,
        uitvoerder,
        klantnummer,
        soort_code as soort,
        periode_start,
        {{ jaar_van('periode_start') }} as jaar,
        count(*) as aantal_regels,
        cast(sum(uren) as numeric(18, 2)) as uren,
        min(datum_start) as eerste_start,
        max(datum_start) as laatste_start,
        max(datum_eind) as laatste_eind,
        count(case when datum_eind is null then 1 end) as aantal_open,
        count(case when status_code = 'afgerond' then 1 end) as aantal_afgerond,
        count(case when status_code = 'afgebroken' then 1 end) as aantal_afgebroken
    from ingedeeld
    group by bestand, versie, leverdatum, uitvoerder, klantnummer, soort_code, periode_start
)

select * from final
