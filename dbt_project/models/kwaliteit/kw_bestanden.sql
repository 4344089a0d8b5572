-- Per file type and deliverer the newest delivery attempt on or before the peildatum,
-- whatever became of it (geladen, quarantaine, ...), from the ledger.
{{ config(alias='bestanden') }}

with laatste as (
    select
        bestanden.*,
        row_number() over (
            partition by bron, coalesce(entiteit, path), coalesce(uitvoerder, '')
            order by leverdatum desc nulls last, geladen_op desc nulls last
        ) as nr
    from {{ source('audit', 'bestanden') }} as bestanden
    where leverdatum is null or leverdatum <= {{ peildatum() }}
),

final as (
    select
        path as bestand,
        bron,
        entiteit,
        uitvoerder,
        leverdatum,
        status,
        reden,
        case when bron = 'gemeente' then uitvoerder end as gemeentecode,
        cast(null as varchar) as klantnummer,
        path as kenmerk,
        cast(null as integer) as regelnummer
    from laatste
    where nr = 1
)

select
    {{ kwaliteit_rij('bestand') }} as rij,
    final.*
from final
