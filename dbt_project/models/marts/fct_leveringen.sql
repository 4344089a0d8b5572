-- Which delivery of each source counts for a gemeente at the peildatum: every figure a
-- gemeente reads (its monitor report prints these dates under each figure) comes from
-- these files. National sources (DUO, COA, rijk, provincie) count for every gemeente;
-- a municipal export counts for the gemeente that delivered it and (except financien, a
-- gemeente's own money) for the gemeenten whose inburgering that gemeente executes. A delivery a blocking check held back for a
-- gemeente is replaced by the one that counts for it instead (stg_audit__vervangingen).
with bestanden as (
    select * from {{ ref('stg_audit__bestanden') }}
    where gekozen
),

vervangingen as (
    select * from {{ ref('stg_audit__vervangingen') }}
),

gemeenten as (
    select gemeentecode, uitvoerder_gemeentecode from {{ ref('dim_gemeente') }}
),

per_gemeente as (
    select
        gemeenten.gemeentecode,
        bestanden.bron,
        bestanden.entiteit,
        bestanden.uitvoerder,
        bestanden.leverdatum
    from bestanden
    inner join gemeenten
        on bestanden.uitvoerder is null
        or bestanden.uitvoerder = gemeenten.gemeentecode
        -- the uitvoerder's case-management exports hold the gemeente's inburgeraars; its
        -- financien.csv is its own money (gemeente/<gemeente>/financien.csv, CONTRACTS 2)
        or (bestanden.uitvoerder = gemeenten.uitvoerder_gemeentecode and bestanden.entiteit <> 'financien')
),

final as (
    select
        per_gemeente.gemeentecode,
        per_gemeente.bron,
        per_gemeente.entiteit,
        per_gemeente.uitvoerder as geleverd_door,
        case
            when vervangingen.bron is not null then vervangingen.leverdatum
            else per_gemeente.leverdatum
        end as leverdatum,
        vervangingen.bron is not null as tegengehouden,
        {{ peildatum() }} as peildatum
    from per_gemeente
    left join vervangingen
        on per_gemeente.bron = vervangingen.bron
        and per_gemeente.entiteit = vervangingen.entiteit
        and coalesce(per_gemeente.uitvoerder, '') = coalesce(vervangingen.uitvoerder, '')
        and per_gemeente.gemeentecode = vervangingen.gemeentecode
)

select * from final
