-- The Wi2013 "ondertussengroep": still obligated under the old law, and the
-- asielstatushouders among them who qualify for ELIP (their DUO loan is (nearly)
-- used up), per woongemeente and doelgroep at the peildatum.
with wi2013 as (
    select
        persoon_id,
        gemeentecode as woongemeente,
        doelgroep,
        lening_maximaal,
        lening_gebruikt,
        termijn_einddatum
    from {{ ref('stg_duo__personen') }}
    where wet = 'Wi2013' and plicht_indicator
),

beoordeeld as (
    select
        wi2013.*,
        doelgroep = 'statushouder'
        and lening_maximaal > 0
        and (
            lening_gebruikt >= 0.95 * lening_maximaal
            or (
                lening_gebruikt >= 0.75 * lening_maximaal
                and termijn_einddatum >= {{ peildatum() }}
                and termijn_einddatum <= {{ plus_jaren(peildatum(), 1) }}
            )
        ) as is_elip
    from wi2013
),

final as (
    select
        woongemeente,
        {{ peildatum() }} as peildatum,
        doelgroep,
        count(distinct persoon_id) as nog_inburgeringsplichtig,
        count(distinct case when is_elip then persoon_id end) as elip
    from beoordeeld
    group by woongemeente, doelgroep
)

select * from final
