-- Participation per woongemeente, year, doelgroep and activity: distinct persons
-- who started a PVT or MAP (activities) or a registered outcome (uitkomsten) in the
-- year (the report's tables 7.18-7.21 for PVT and MAP).
with dossiers as (
    select uitvoerder, klantnummer, persoon_sleutel, woongemeente, doelgroep
    from {{ ref('int_dossiers') }}
),

activiteiten as (
    select uitvoerder, klantnummer, soort as activiteit, eerste_start as datum_start
    from {{ ref('int_activiteiten') }}
    where soort in ('PVT', 'MAP')
),

uitkomsten as (
    select uitvoerder, klantnummer, soort as activiteit, datum_start
    from {{ ref('stg_gemeente__uitkomsten') }}
),

gestart as (
    select * from activiteiten
    union all
    select * from uitkomsten
),

final as (
    select
        dossiers.woongemeente,
        {{ jaar_van('gestart.datum_start') }} as jaar,
        dossiers.doelgroep,
        gestart.activiteit,
        count(distinct dossiers.persoon_sleutel) as aantal_personen
    from gestart
    inner join dossiers
        on gestart.uitvoerder = dossiers.uitvoerder
        and gestart.klantnummer = dossiers.klantnummer
    where gestart.datum_start <= {{ peildatum() }}
    group by
        dossiers.woongemeente,
        {{ jaar_van('gestart.datum_start') }},
        dossiers.doelgroep,
        gestart.activiteit
)

select * from final
