-- COA's published balance per gemeente and half year, from the TVS delivery in force for
-- the gemeente. A half year COA delivers twice for a gemeente is taken from the last line
-- of the file (`aantal_in_levering` says how many lines it had; the quality check
-- tvs_periode_dubbel reports more than one).
with in_kracht as (
    {{ rijen_in_kracht('coa_tvs__taakstelling', 'gemeentecode') }}
),

gerangschikt as (
    select
        in_kracht.*,
        row_number() over (
            partition by {{ gemeentecode('gemeentecode') }}, upper(trim(periode))
            order by _leverdatum desc, _regelnummer desc
        ) as periode_rang,
        count(*) over (
            partition by {{ gemeentecode('gemeentecode') }}, upper(trim(periode)), _bestand
        ) as aantal_in_levering
    from in_kracht
),

gekozen as (
    select * from gerangschikt where periode_rang = 1
),

gesplitst as (
    select
        gekozen.*,
        -- periode is "2024-I" or "2024-II"
        cast(substr(trim(periode), 1, 4) as integer) as jaar,
        case when upper(trim(periode)) like '%-II' then 2 else 1 end as halfjaar
    from gekozen
),

final as (
    select
        {{ gemeentecode('gemeentecode') }} as gemeentecode,
        gemeentenaam,
        upper(trim(periode)) as periode,
        jaar,
        halfjaar,
        jaar * 2 + halfjaar - 1 as periode_volgnummer,
        stand_begin,
        taakstelling,
        gerealiseerd,
        peildatum as peildatum_tvs,
        cast(aantal_in_levering as integer) as aantal_in_levering,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gesplitst
)

select * from final
