-- One row per warning or fine in force. Which fines count towards which legal maximum
-- (seed ref_normen), and per fine the sums it is judged by: the person's PVT, MAP and
-- leerroute fines in the window up to and including its date, and those within the
-- inburgeringstermijn DUO gives (every such fine when DUO gives none).
{{ config(alias='handhaving') }}

with handhaving as (
    select
        handhaving.*,
        coalesce(handhaving.maatregel = 'BOETE', false) as boete
    from {{ ref('stg_gemeente__handhaving') }} as handhaving
),

klanten as (
    {{ kwaliteit_klanten() }}
),

duo as (
    select persoon_id, termijn_startdatum, termijn_einddatum
    from {{ ref('stg_duo__personen') }}
    where persoon_id is not null
),

beoordeeld as (
    select
        handhaving.*,
        klanten.woongemeente,
        klanten.doelgroep,
        duo.termijn_startdatum,
        duo.termijn_einddatum,
        handhaving.boete and coalesce(handhaving.grond in ('PIP', 'PVT', 'MAP', 'LEERROUTE'), false) as boete_na_pip,
        handhaving.boete and coalesce(handhaving.grond = 'BREDE_INTAKE', false) as boete_brede_intake,
        coalesce({{ boete_telt_voor_maximum('handhaving.maatregel', 'handhaving.grond') }}, false)
            as boete_telt_voor_maximum
    from handhaving
    left join klanten
        on handhaving.uitvoerder = klanten.uitvoerder
        and handhaving.klantnummer = klanten.klantnummer
    left join duo on klanten.persoon_id = duo.persoon_id
),

sommen as (
    select
        boete.bestand,
        boete.regelnummer,
        sum(case
            when {{ dagen_tussen('eerder.datum', 'boete.datum') }} < {{ norm('boete_jaarmaximum_venster_dagen') }}
                then coalesce(eerder.bedrag, 0)
            else 0
        end) as boetes_venster,
        sum(case
            when (boete.termijn_startdatum is null or eerder.datum >= boete.termijn_startdatum)
                and (boete.termijn_einddatum is null or eerder.datum <= boete.termijn_einddatum)
                then coalesce(eerder.bedrag, 0)
            else 0
        end) as boetes_termijn
    from beoordeeld as boete
    inner join beoordeeld as eerder
        on boete.uitvoerder = eerder.uitvoerder
        and boete.klantnummer = eerder.klantnummer
        and eerder.boete_telt_voor_maximum
        and eerder.datum <= boete.datum
    where boete.boete_telt_voor_maximum
    group by boete.bestand, boete.regelnummer
),

final as (
    select
        beoordeeld.uitvoerder,
        beoordeeld.klantnummer,
        beoordeeld.datum,
        beoordeeld.maatregel,
        cast(beoordeeld.bedrag as double precision) as bedrag,
        beoordeeld.grond,
        beoordeeld.bestand,
        beoordeeld.leverdatum,
        beoordeeld.regelnummer,
        beoordeeld.woongemeente,
        beoordeeld.doelgroep,
        {{ kwaliteit_toerekening('beoordeeld.woongemeente', 'beoordeeld.uitvoerder') }},
        beoordeeld.klantnummer as kenmerk,
        {{ jaar_van('beoordeeld.datum') }} as jaar,
        beoordeeld.boete_na_pip,
        beoordeeld.boete_brede_intake,
        beoordeeld.boete_telt_voor_maximum,
        coalesce(
            {{ leerrouteboete_gezinsmigrant('beoordeeld.maatregel', 'beoordeeld.grond', 'beoordeeld.doelgroep') }},
            false
        ) as boete_leerroute_gezinsmigrant,
        cast(sommen.boetes_venster as double precision) as boetes_365_dagen,
        cast(case
            when (beoordeeld.termijn_startdatum is null or beoordeeld.datum >= beoordeeld.termijn_startdatum)
                and (beoordeeld.termijn_einddatum is null or beoordeeld.datum <= beoordeeld.termijn_einddatum)
                then sommen.boetes_termijn
        end as double precision) as boetes_in_termijn
    from beoordeeld
    left join sommen
        on beoordeeld.bestand = sommen.bestand
        and beoordeeld.regelnummer = sommen.regelnummer
)

select
    {{ kwaliteit_rij('bestand, regelnummer, uitvoerder, klantnummer') }} as rij,
    'gemeente' as bron,
    final.*
from final
