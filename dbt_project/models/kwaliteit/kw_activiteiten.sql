-- One row per activity in force (the largest table: a row per lesson week), with the
-- gemeente of the klant's dossier; only the columns the checks read.
{{ config(alias='activiteiten') }}

with activiteiten as (
    select * from {{ ref('stg_gemeente__activiteiten') }}
),

klanten as (
    {{ kwaliteit_klanten() }}
),

final as (
    select
        activiteiten.uitvoerder,
        activiteiten.klantnummer,
        {{ toegerekende_gemeente('klanten.woongemeente', 'activiteiten.uitvoerder') }} as gemeentecode,
        activiteiten.soort,
        activiteiten.datum_start,
        cast(activiteiten.uren as double precision) as uren,
        activiteiten.bestand,
        activiteiten.leverdatum,
        activiteiten.regelnummer,
        cast(null as varchar) as kenmerk
    from activiteiten
    left join klanten
        on activiteiten.uitvoerder = klanten.uitvoerder
        and activiteiten.klantnummer = klanten.klantnummer
)

select
    {{ kwaliteit_rij('bestand, regelnummer, uitvoerder, klantnummer') }} as rij,
    'gemeente' as bron,
    final.*
from final
