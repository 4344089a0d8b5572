-- Early start: of the statushouders housed in a year (TVS huisvestingsdatum), how many
-- had their brede intake, PIP or first leerroute before they were housed (for
-- instance while still at a regional opvanglocatie, ROL), per gemeente housed in.
with gehuisvest as (
    select persoon_sleutel, persoon_id, gemeentecode, huisvestingsdatum, opvanglocatie
    from {{ ref('int_huisvesting_episodes') }}
    where telt_mee
        and is_gehuisvest
        and huisvestingsdatum <= {{ peildatum() }}
),

dossiers as (
    select
        persoon_id,
        min(case when datum_brede_intake <= {{ peildatum() }} then datum_brede_intake end) as datum_brede_intake,
        min(case when datum_pip <= {{ peildatum() }} then datum_pip end) as datum_pip
    from {{ ref('int_dossiers') }}
    where persoon_id is not null
    group by persoon_id
),

eerste_route as (
    select dossiers.persoon_id, min(perioden.datum_start) as datum_eerste_leerroute
    from {{ ref('int_leerroute_perioden') }} as perioden
    inner join {{ ref('int_dossiers') }} as dossiers
        on perioden.uitvoerder = dossiers.uitvoerder
        and perioden.klantnummer = dossiers.klantnummer
    where dossiers.persoon_id is not null
        and perioden.datum_start <= {{ peildatum() }}
    group by dossiers.persoon_id
),

per_persoon as (
    select
        gehuisvest.persoon_sleutel,
        gehuisvest.gemeentecode,
        {{ jaar_van('gehuisvest.huisvestingsdatum') }} as jaar,
        gehuisvest.opvanglocatie,
        dossiers.datum_brede_intake < gehuisvest.huisvestingsdatum as brede_intake_voor,
        dossiers.datum_pip < gehuisvest.huisvestingsdatum as pip_voor,
        eerste_route.datum_eerste_leerroute < gehuisvest.huisvestingsdatum as leerroute_voor,
        {{ dagen_tussen('gehuisvest.huisvestingsdatum', 'dossiers.datum_pip') }} as dagen_tot_pip
    from gehuisvest
    left join dossiers on gehuisvest.persoon_id = dossiers.persoon_id
    left join eerste_route on gehuisvest.persoon_id = eerste_route.persoon_id
),

final as (
    select
        gemeentecode as woongemeente,
        jaar,
        count(distinct persoon_sleutel) as gehuisvest,
        count(distinct case when brede_intake_voor then persoon_sleutel end) as brede_intake_voor_huisvesting,
        count(distinct case when pip_voor then persoon_sleutel end) as pip_voor_huisvesting,
        count(distinct case when leerroute_voor then persoon_sleutel end) as leerroute_voor_huisvesting,
        cast({{ mediaan('dagen_tot_pip') }} as numeric(10, 1)) as mediaan_dagen_huisvesting_tot_pip,
        count(distinct case
            when opvanglocatie is not null and trim(opvanglocatie) <> '' then persoon_sleutel
        end) as via_opvanglocatie
    from per_persoon
    group by gemeentecode, jaar
)

select * from final
