-- One row per dossier in force: what the checks on dossiers judge (PIP in time, open
-- dossiers, voortgangsgesprekken, ...), with DUO's PIP and termijn linked by person.
{{ config(alias='dossiers') }}

with dossiers as (
    select * from {{ ref('stg_gemeente__dossiers') }}
),

duo as (
    select persoon_id, pip_dagtekening, termijn_startdatum
    from {{ ref('stg_duo__personen') }}
    where persoon_id is not null
),

routes as (
    select uitvoerder, klantnummer, count(*) as aantal_leerroutes
    from {{ ref('stg_gemeente__leerroutes') }}
    group by uitvoerder, klantnummer
),

gekoppeld as (
    select
        dossiers.*,
        duo.pip_dagtekening as pip_duo,
        coalesce(dossiers.datum_pip, duo.pip_dagtekening) as pip_bekend,
        duo.termijn_startdatum,
        {{ plus_maanden('duo.termijn_startdatum', norm('voortgangsgesprekken_venster_maanden')) }}
            as voortgang_venster_eind,
        coalesce(dossiers.persoon_id, dossiers.uitvoerder || '/' || dossiers.klantnummer) as persoon
    from dossiers
    left join duo on dossiers.persoon_id = duo.persoon_id
),

gesprekken as (
    select gekoppeld.uitvoerder, gekoppeld.klantnummer, count(*) as aantal
    from gekoppeld
    inner join {{ ref('stg_gemeente__activiteiten') }} as activiteiten
        on gekoppeld.uitvoerder = activiteiten.uitvoerder
        and gekoppeld.klantnummer = activiteiten.klantnummer
    where activiteiten.soort = 'VOORTGANGSGESPREK'
        and activiteiten.datum_start >= gekoppeld.termijn_startdatum
        and activiteiten.datum_start < gekoppeld.voortgang_venster_eind
    group by gekoppeld.uitvoerder, gekoppeld.klantnummer
),

final as (
    select
        gekoppeld.uitvoerder,
        gekoppeld.klantnummer,
        gekoppeld.woongemeente,
        gekoppeld.doelgroep,
        gekoppeld.wet,
        gekoppeld.datum_dossier,
        gekoppeld.datum_inschrijving_brp,
        gekoppeld.datum_brede_intake,
        gekoppeld.datum_leerbaarheidstoets,
        gekoppeld.datum_pip,
        gekoppeld.datum_uitstroom,
        gekoppeld.reden_uitstroom,
        gekoppeld.bestand,
        gekoppeld.leverdatum,
        gekoppeld.regelnummer,
        {{ kwaliteit_toerekening('gekoppeld.woongemeente', 'gekoppeld.uitvoerder') }},
        gekoppeld.klantnummer as kenmerk,
        gekoppeld.pip_duo,
        gekoppeld.pip_bekend,
        {{ dagen_tussen('gekoppeld.datum_inschrijving_brp', 'gekoppeld.leverdatum') }} as dagen_sinds_brp,
        {{ dagen_tussen('gekoppeld.pip_bekend', 'gekoppeld.leverdatum') }} as dagen_sinds_pip,
        coalesce(
            gekoppeld.datum_uitstroom is null
            or gekoppeld.datum_uitstroom
                > {{ plus_dagen('gekoppeld.datum_inschrijving_brp', 'cast(' ~ norm('pip_termijn_dagen') ~ ' as integer)') }},
            false
        ) as in_zorg_na_pip_termijn,
        coalesce(routes.aantal_leerroutes, 0) as aantal_leerroutes,
        case
            when gekoppeld.datum_uitstroom is null
                then row_number() over (
                    partition by gekoppeld.persoon, gekoppeld.datum_uitstroom is null
                    order by gekoppeld.datum_dossier, gekoppeld.regelnummer, gekoppeld.uitvoerder, gekoppeld.klantnummer
                )
        end as open_dossier_volgnummer,
        gekoppeld.voortgang_venster_eind,
        coalesce(gesprekken.aantal, 0) as voortgangsgesprekken_eerste_jaar,
        coalesce(
            coalesce(gekoppeld.wet, 'Wi2021') = 'Wi2021'
            and gekoppeld.voortgang_venster_eind <= gekoppeld.leverdatum
            and (gekoppeld.datum_uitstroom is null or gekoppeld.datum_uitstroom >= gekoppeld.voortgang_venster_eind),
            false
        ) as voortgang_te_beoordelen
    from gekoppeld
    left join routes
        on gekoppeld.uitvoerder = routes.uitvoerder
        and gekoppeld.klantnummer = routes.klantnummer
    left join gesprekken
        on gekoppeld.uitvoerder = gesprekken.uitvoerder
        and gekoppeld.klantnummer = gesprekken.klantnummer
)

select
    {{ kwaliteit_rij('bestand, regelnummer, uitvoerder, klantnummer') }} as rij,
    'gemeente' as bron,
    final.*
from final
