-- Every delivery loaded (the latest version of each path), with its date judged: before
-- the earliest plausible delivery date (var vroegste_leverdatum; no delivery about the
-- Wet inburgering can be older) or after today is suspect.
{{ config(alias='leverdata') }}

{%- set vroegste = var('vroegste_leverdatum') -%}

with laatste as (
    -- every loaded file in its highest version (stg_audit__bestanden ranks the versions)
    select path, bron, uitvoerder, leverdatum
    from {{ ref('stg_audit__bestanden') }}
),

final as (
    select
        path as bestand,
        bron,
        uitvoerder,
        leverdatum,
        case
            when leverdatum < cast('{{ vroegste }}' as date)
                then 'voor {{ modules.datetime.date.fromisoformat(vroegste | string).strftime("%d-%m-%Y") }}'
            when leverdatum > current_date then 'in de toekomst'
            else 'plausibel'
        end as oordeel,
        case when bron = 'gemeente' then uitvoerder end as gemeentecode,
        cast(null as varchar) as klantnummer,
        path as kenmerk,
        cast(null as integer) as regelnummer
    from laatste
)

select
    {{ kwaliteit_rij('bestand') }} as rij,
    final.*
from final
