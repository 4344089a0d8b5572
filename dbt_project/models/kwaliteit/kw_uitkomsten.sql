-- One row per outcome in force (werk, vrijwilligerswerk, opleiding), with the gemeente of
-- the klant's dossier.
{{ config(alias='uitkomsten') }}

with uitkomsten as (
    select * from {{ ref('stg_gemeente__uitkomsten') }}
),

klanten as (
    {{ kwaliteit_klanten() }}
),

final as (
    select
        uitkomsten.uitvoerder,
        uitkomsten.klantnummer,
        uitkomsten.soort,
        uitkomsten.datum_start,
        uitkomsten.bestand,
        uitkomsten.leverdatum,
        uitkomsten.regelnummer,
        klanten.woongemeente,
        klanten.doelgroep,
        {{ kwaliteit_toerekening('klanten.woongemeente', 'uitkomsten.uitvoerder') }},
        uitkomsten.klantnummer as kenmerk
    from uitkomsten
    left join klanten
        on uitkomsten.uitvoerder = klanten.uitvoerder
        and uitkomsten.klantnummer = klanten.klantnummer
)

select
    {{ kwaliteit_rij('bestand, regelnummer, uitvoerder, klantnummer') }} as rij,
    'gemeente' as bron,
    final.*
from final
