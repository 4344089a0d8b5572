-- COA TVS: the published taakstelling per gemeente and half year in force, with the
-- correction against the previous half year and the persons the TVS shows housed in it
-- (any later status; an omgekoppeld person counts for the gemeente that housed them).
{{ config(alias='taakstelling') }}

with taakstelling as (
    select * from {{ ref('stg_coa_tvs__taakstelling') }}
),

koppelingen as (
    select * from {{ ref('stg_coa_tvs__koppelingen') }}
    where huisvestingsdatum is not null
),

gehuisvest as (
    select
        gemeentecode,
        {{ jaar_van('huisvestingsdatum') }} as jaar,
        {{ halfjaar_van('huisvestingsdatum') }} as halfjaar,
        count(*) as aantal
    from koppelingen
    group by 1, 2, 3
),

final as (
    select
        taakstelling.gemeentecode,
        taakstelling.gemeentenaam,
        taakstelling.periode,
        taakstelling.stand_begin,
        taakstelling.taakstelling,
        taakstelling.gerealiseerd,
        taakstelling.aantal_in_levering,
        taakstelling.bestand,
        taakstelling.leverdatum,
        taakstelling.regelnummer,
        taakstelling.jaar,
        taakstelling.halfjaar,
        lag(taakstelling.stand_begin + taakstelling.taakstelling - taakstelling.gerealiseerd) over per_gemeente
            as vorige_stand_eind,
        taakstelling.stand_begin
            - lag(taakstelling.stand_begin + taakstelling.taakstelling - taakstelling.gerealiseerd) over per_gemeente
            as correctie,
        -- no koppelingen delivered at all: nothing to compare with
        case when exists (select 1 from koppelingen) then coalesce(gehuisvest.aantal, 0) end as gerealiseerd_tvs,
        'periode ' || taakstelling.periode as kenmerk,
        cast(null as varchar) as klantnummer
    from taakstelling
    left join gehuisvest
        on taakstelling.gemeentecode = gehuisvest.gemeentecode
        and taakstelling.jaar = gehuisvest.jaar
        and taakstelling.halfjaar = gehuisvest.halfjaar
    window per_gemeente as (partition by taakstelling.gemeentecode order by taakstelling.jaar, taakstelling.halfjaar)
)

select
    {{ kwaliteit_rij('bestand, regelnummer') }} as rij,
    'coa_tvs' as bron,
    final.*
from final
