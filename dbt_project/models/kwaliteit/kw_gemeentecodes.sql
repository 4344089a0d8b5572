-- Every gemeentecode the deliveries in force name, once per file and column: in a column
-- of kind gemeentecode of a source (the catalog, regie.sources.catalog; the list below is
-- held equal to it by tests/test_kwaliteit_definitions.py) and in a municipal delivery
-- folder. `oordeel` is onbekend for a code that is neither in the reference list (seed
-- ref_gemeenten) nor in a file of a national register (DUO, the COA) in force: what they
-- name counts as a real gemeente, a move to any gemeente included.
{{ config(alias='gemeentecodes') }}

{%- set kolommen = var('kwaliteit_gemeentecode_kolommen') -%}

with bestanden as (
    select * from {{ ref('stg_audit__bestanden') }}
),

in_kracht as (
    select bestanden.*
    from bestanden
    where bestanden.gekozen
        or exists (
            select 1
            from {{ ref('stg_audit__vervangingen') }} as vervangingen
            where vervangingen.path = bestanden.path
                and vervangingen.versie = bestanden.versie
        )
),

genoemd as (
    {%- for k in kolommen %}
    select
        '{{ k.register }}' as register,
        rij._bestand as bestand,
        '{{ k.kolom }}' as kolom,
        rij.{{ k.kolom }} as code,
        min(rij._regelnummer) as regelnummer
    from {{ source('raw', k.tabel) }} as rij
    inner join bestanden
        on rij._bestand = bestanden.path
        and rij._versie = bestanden.versie
        and bestanden.gekozen
    where rij.{{ k.kolom }} is not null
    group by rij._bestand, rij.{{ k.kolom }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

bekend as (
    select gemeentecode as code from {{ ref('ref_gemeenten') }} where uitvoerder_gemeentecode is not null
    union
    select code from genoemd where register = 'ja'
),

regels as (
    select bestand, kolom, code, regelnummer
    from genoemd
    where register = 'nee'
    union all
    select path, 'map', uitvoerder, cast(null as integer)
    from in_kracht
    where bron = 'gemeente' and uitvoerder is not null
),

final as (
    select
        regels.bestand,
        regels.kolom,
        regels.code,
        regels.regelnummer,
        in_kracht.bron,
        in_kracht.uitvoerder,
        in_kracht.leverdatum,
        -- the deliverer's scorecard
        case when in_kracht.bron = 'gemeente' then in_kracht.uitvoerder end as gemeentecode,
        case when regels.code in (select code from bekend) then 'bekend' else 'onbekend' end as oordeel,
        cast(null as varchar) as klantnummer,
        regels.bestand || ': ' || regels.kolom || ' ' || regels.code as kenmerk
    from regels
    left join in_kracht on regels.bestand = in_kracht.path
)

select
    {{ kwaliteit_rij('bestand, kolom, code') }} as rij,
    final.*
from final
