-- The delivered lines of the files in force (stg_audit__bestanden, stg_audit__vervangingen):
-- each line ingestion rejected as a row (with its line number and reason; reasons never
-- quote an identifying value), and per file one row standing for all its loaded lines.
{{ config(alias='leveringen') }}

with bestanden as (
    select bestanden.*
    from {{ ref('stg_audit__bestanden') }} as bestanden
    where bestanden.gekozen
        or exists (
            select 1
            from {{ ref('stg_audit__vervangingen') }} as vervangingen
            where vervangingen.path = bestanden.path
                and vervangingen.versie = bestanden.versie
        )
),

regels as (
    select
        afgewezen.path as bestand,
        afgewezen.regelnummer,
        afgewezen.reden as reden_afwijzing,
        1 as aantal_rijen
    from {{ source('audit', 'afgewezen_rijen') }} as afgewezen
    inner join bestanden
        on afgewezen.path = bestanden.path
        and afgewezen.versie = bestanden.versie
    union all
    select
        path,
        cast(null as integer),
        cast(null as varchar),
        coalesce(rijen_geladen, 0)
    from bestanden
    where coalesce(rijen_geladen, 0) > 0
),

final as (
    select
        regels.bestand,
        regels.regelnummer,
        cast(regels.aantal_rijen as bigint) as aantal_rijen,
        bestanden.bron,
        bestanden.uitvoerder,
        bestanden.leverdatum,
        -- a delivery counts against its deliverer when that is a gemeente
        case when bestanden.bron = 'gemeente' then bestanden.uitvoerder end as gemeentecode,
        regels.reden_afwijzing,
        cast(null as varchar) as klantnummer,
        regels.bestand || ', regel ' || cast(regels.regelnummer as varchar) as kenmerk,
        coalesce(bestanden.uitvoerder, bestanden.bron) as leverancier
    from regels
    left join bestanden on regels.bestand = bestanden.path
)

select
    {{ kwaliteit_rij('bestand, regelnummer nulls first') }} as rij,
    final.*
from final
