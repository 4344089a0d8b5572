-- Only the lines of the person rows in force (stg_duo__personen): the same delivery, the same line.
with gekozen as (
    select rij.*
    from {{ source('raw', 'duo__vrijstellingen') }} as rij
    inner join {{ ref('stg_duo__personen') }} as persoon
        on rij._bestand = persoon.bestand
        and rij._versie = persoon.versie
        and rij._regelnummer = persoon.regelnummer
),

final as (
    select
        persoon_id,
        _volgnummer as volgnummer,
        lower(soort) as soort,
        oordeel,
        reden,
        datum_oordeel,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
