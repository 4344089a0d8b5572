-- Which BSN pseudonym belongs to a V-nummer pseudonym, from every source that
-- knows both (DUO, and TVS once the person is registered in the BRP).
with duo as (
    select vnummer_id, persoon_id
    from {{ ref('stg_duo__personen') }}
    where vnummer_id is not null and persoon_id is not null
),

tvs as (
    select vnummer_id, persoon_id
    from {{ ref('stg_coa_tvs__koppelingen') }}
    where vnummer_id is not null and persoon_id is not null
),

paren as (
    select vnummer_id, persoon_id from duo
    union
    select vnummer_id, persoon_id from tvs
),

final as (
    select
        vnummer_id,
        min(persoon_id) as persoon_id,
        count(distinct persoon_id) as aantal_persoon_ids
    from paren
    group by vnummer_id
)

select * from final
