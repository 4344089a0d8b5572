-- The person spine: one row per person seen in DUO, TVS or a municipal dossier,
-- linked by BSN pseudonym, by V-nummer pseudonym before BRP registration, and by
-- (uitvoerder, klantnummer) for a dossier without BSN.
with duo as (
    select
        persoon_id as persoon_sleutel,
        persoon_id,
        vnummer_id,
        gemeentecode,
        wet,
        doelgroep,
        plicht_indicator,
        plicht_begindatum,
        pip_dagtekening,
        pip_leerroute,
        termijn_startdatum,
        termijn_einddatum
    from {{ ref('stg_duo__personen') }}
),

tvs as (
    select
        persoon_sleutel,
        persoon_id,
        vnummer_id,
        gemeentecode,
        koppeldatum,
        huisvestingsdatum,
        is_gehuisvest,
        geboortejaar
    from {{ ref('int_huisvesting_episodes') }}
    where telt_mee
),

tvs_per_persoon as (
    select
        tvs.*,
        row_number() over (partition by persoon_sleutel order by koppeldatum desc, vnummer_id) as rang
    from tvs
),

dossiers as (
    select
        persoon_sleutel,
        persoon_id,
        uitvoerder,
        klantnummer,
        woongemeente,
        doelgroep,
        wet,
        datum_dossier,
        datum_inschrijving_brp,
        datum_pip,
        datum_uitstroom,
        geboortejaar
    from {{ ref('int_dossiers') }}
    where laatste_dossier_van_persoon
),

sleutels as (
    select persoon_sleutel from duo
    union
    select persoon_sleutel from tvs
    union
    select persoon_sleutel from dossiers
),

final as (
    select
        sleutels.persoon_sleutel,
        coalesce(duo.persoon_id, dossiers.persoon_id, tvs_per_persoon.persoon_id) as persoon_id,
        coalesce(duo.vnummer_id, tvs_per_persoon.vnummer_id) as vnummer_id,
        duo.persoon_sleutel is not null as in_duo,
        tvs_per_persoon.persoon_sleutel is not null as in_tvs,
        dossiers.persoon_sleutel is not null as in_gemeente,
        coalesce(dossiers.doelgroep, duo.doelgroep,
            case when tvs_per_persoon.persoon_sleutel is not null then 'statushouder' end) as doelgroep,
        coalesce(dossiers.wet, duo.wet) as wet,
        coalesce(dossiers.geboortejaar, tvs_per_persoon.geboortejaar) as geboortejaar,
        duo.gemeentecode as duo_gemeentecode,
        duo.plicht_indicator as duo_plicht_indicator,
        duo.plicht_begindatum as duo_plicht_begindatum,
        duo.pip_dagtekening as duo_pip_dagtekening,
        duo.pip_leerroute as duo_pip_leerroute,
        duo.termijn_startdatum as duo_termijn_startdatum,
        duo.termijn_einddatum as duo_termijn_einddatum,
        tvs_per_persoon.gemeentecode as tvs_gemeentecode,
        tvs_per_persoon.koppeldatum as tvs_koppeldatum,
        tvs_per_persoon.huisvestingsdatum as tvs_huisvestingsdatum,
        dossiers.uitvoerder,
        dossiers.klantnummer,
        dossiers.woongemeente,
        dossiers.datum_dossier,
        dossiers.datum_inschrijving_brp,
        dossiers.datum_pip,
        dossiers.datum_uitstroom
    from sleutels
    left join duo on sleutels.persoon_sleutel = duo.persoon_sleutel
    left join tvs_per_persoon
        on sleutels.persoon_sleutel = tvs_per_persoon.persoon_sleutel
        and tvs_per_persoon.rang = 1
    left join dossiers on sleutels.persoon_sleutel = dossiers.persoon_sleutel
)

select * from final
