-- The ledger's loaded files, each in its highest loaded version, with the flag
-- `gekozen` on the delivery that counts at the peildatum: per source file type
-- (and per delivering gemeente for municipal files) the latest delivery on or
-- before the peildatum. Every staging model keeps the raw rows of those files only.
with bestanden as (
    select * from {{ source('audit', 'bestanden') }}
),

geladen as (
    select
        path,
        versie,
        bron,
        entiteit,
        uitvoerder,
        leverdatum,
        rijen_geladen,
        geladen_op,
        row_number() over (partition by path order by versie desc) as versie_rang
    from bestanden
    where status = 'geladen'
),

hoogste_versie as (
    select * from geladen where versie_rang = 1
),

gerangschikt as (
    select
        hoogste_versie.*,
        case
            when leverdatum <= {{ peildatum() }}
                then row_number() over (
                    partition by bron, entiteit, coalesce(uitvoerder, ''),
                        case when leverdatum <= {{ peildatum() }} then 1 else 0 end
                    order by leverdatum desc
                )
        end as levering_rang
    from hoogste_versie
),

final as (
    select
        path,
        versie,
        bron,
        entiteit,
        {{ gemeentecode('uitvoerder') }} as uitvoerder,
        leverdatum,
        rijen_geladen,
        geladen_op,
        coalesce(levering_rang = 1, false) as gekozen,
        {{ peildatum() }} as peildatum
    from gerangschikt
)

select * from final
