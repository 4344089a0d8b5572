with gekozen as (
    {{ rijen_in_kracht('coa_tvs__taakstelling', 'gemeentecode') }}
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
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gesplitst
)

select * from final
