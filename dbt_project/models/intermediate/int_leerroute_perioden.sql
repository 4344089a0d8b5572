-- Route history per person: every period on a leerroute, in order, with the
-- route before and after it and the person's first route start (instroomjaar).
with routes as (
    select * from {{ ref('stg_gemeente__leerroutes') }}
),

dossiers as (
    select
        uitvoerder,
        klantnummer,
        persoon_sleutel,
        woongemeente,
        doelgroep,
        datum_uitstroom,
        reden_uitstroom
    from {{ ref('int_dossiers') }}
),

gekoppeld as (
    select
        routes.uitvoerder,
        routes.klantnummer,
        coalesce(dossiers.persoon_sleutel, routes.uitvoerder || ':' || routes.klantnummer) as persoon_sleutel,
        dossiers.woongemeente,
        dossiers.doelgroep,
        dossiers.datum_uitstroom,
        dossiers.reden_uitstroom,
        dossiers.persoon_sleutel is not null as heeft_dossier,
        routes.leerroute,
        routes.datum_start,
        routes.datum_eind,
        routes.taalaanbieder,
        routes.reden_wijziging,
        routes.regelnummer
    from routes
    left join dossiers
        on routes.uitvoerder = dossiers.uitvoerder
        and routes.klantnummer = dossiers.klantnummer
),

geordend as (
    select
        gekoppeld.*,
        row_number() over dossier_volgorde as volgnummer,
        lag(leerroute) over dossier_volgorde as vorige_leerroute,
        lead(leerroute) over dossier_volgorde as volgende_leerroute,
        lead(datum_start) over dossier_volgorde as volgende_start,
        min(datum_start) over (partition by persoon_sleutel) as eerste_start_persoon
    from gekoppeld
    window dossier_volgorde as (
        partition by uitvoerder, klantnummer
        order by datum_start, regelnummer
    )
),

final as (
    select
        uitvoerder,
        klantnummer,
        persoon_sleutel,
        woongemeente,
        doelgroep,
        heeft_dossier,
        volgnummer,
        leerroute,
        datum_start,
        datum_eind,
        taalaanbieder,
        reden_wijziging,
        vorige_leerroute,
        volgende_leerroute,
        volgende_start,
        eerste_start_persoon,
        {{ jaar_van('eerste_start_persoon') }} as instroomjaar,
        datum_uitstroom,
        reden_uitstroom
    from geordend
)

select * from final
