-- Enforcement (warnings and fines) per uitvoerder, woongemeente, year, maatregel and
-- grond, with the legal limits checked per person (norms in seed ref_normen):
-- - boven_jaarmaximum: persons whose fines on grond PVT, MAP or LEERROUTE within
--   any 365 days add up to more than EUR 800; counted on the row of the fine that
--   crosses the limit (and every later one while it stays crossed);
-- - boven_termijnmaximum: persons whose such fines within their inburgeringstermijn
--   (DUO) add up to more than EUR 2,400, likewise;
-- - niet_toegestaan: LEERROUTE fines of gezinsmigranten (the leerroute is not
--   enforceable for them) plus fines above EUR 250 on grond BREDE_INTAKE.
with maatregelen as (
    select
        handhaving.uitvoerder,
        handhaving.klantnummer,
        handhaving.regelnummer,
        handhaving.datum,
        handhaving.maatregel,
        handhaving.grond,
        handhaving.bedrag,
        coalesce(dossiers.persoon_sleutel, handhaving.uitvoerder || ':' || handhaving.klantnummer)
            as persoon_sleutel,
        dossiers.persoon_id,
        coalesce(dossiers.woongemeente, handhaving.uitvoerder) as woongemeente,
        dossiers.doelgroep
    from {{ ref('stg_gemeente__handhaving') }} as handhaving
    left join {{ ref('int_dossiers') }} as dossiers
        on handhaving.uitvoerder = dossiers.uitvoerder
        and handhaving.klantnummer = dossiers.klantnummer
    where handhaving.datum <= {{ peildatum() }}
),

-- fines that count towards the maxima
boetes as (
    select *
    from maatregelen
    where {{ boete_telt_voor_maximum('maatregel', 'grond') }}
        and bedrag is not null
),

termijnen as (
    select persoon_id, termijn_startdatum, termijn_einddatum
    from {{ ref('stg_duo__personen') }}
    where termijn_startdatum is not null
),

-- per fine: the sum of the person's fines in the 365 days up to and including its date
venster as (
    select
        boete.uitvoerder,
        boete.klantnummer,
        boete.regelnummer,
        sum(eerder.bedrag) as som_venster
    from boetes as boete
    inner join boetes as eerder
        on boete.persoon_sleutel = eerder.persoon_sleutel
        and {{ dagen_tussen('eerder.datum', 'boete.datum') }} >= 0
        and {{ dagen_tussen('eerder.datum', 'boete.datum') }} < {{ norm('boete_jaarmaximum_venster_dagen') }}
    group by boete.uitvoerder, boete.klantnummer, boete.regelnummer
),

-- per fine within the termijn: the sum of the person's fines in the termijn up to its date
in_termijn as (
    select boetes.*
    from boetes
    inner join termijnen
        on boetes.persoon_id = termijnen.persoon_id
        and boetes.datum >= termijnen.termijn_startdatum
        and (termijnen.termijn_einddatum is null or boetes.datum <= termijnen.termijn_einddatum)
),

termijn_som as (
    select
        boete.uitvoerder,
        boete.klantnummer,
        boete.regelnummer,
        sum(eerder.bedrag) as som_termijn
    from in_termijn as boete
    inner join in_termijn as eerder
        on boete.persoon_sleutel = eerder.persoon_sleutel
        and eerder.datum <= boete.datum
    group by boete.uitvoerder, boete.klantnummer, boete.regelnummer
),

beoordeeld as (
    select
        maatregelen.*,
        {{ jaar_van('maatregelen.datum') }} as jaar,
        coalesce(venster.som_venster > {{ norm('boete_jaarmaximum_euro') }}, false) as is_boven_jaarmaximum,
        coalesce(termijn_som.som_termijn > {{ norm('boete_termijnmaximum_euro') }}, false)
            as is_boven_termijnmaximum,
        (
            {{ leerrouteboete_gezinsmigrant('maatregelen.maatregel', 'maatregelen.grond', 'maatregelen.doelgroep') }}
            or (
                maatregelen.maatregel = 'BOETE'
                and maatregelen.grond = 'BREDE_INTAKE'
                and maatregelen.bedrag > {{ norm('boete_brede_intake_maximum_euro') }}
            )
        ) as is_niet_toegestaan
    from maatregelen
    left join venster
        on maatregelen.uitvoerder = venster.uitvoerder
        and maatregelen.klantnummer = venster.klantnummer
        and maatregelen.regelnummer = venster.regelnummer
    left join termijn_som
        on maatregelen.uitvoerder = termijn_som.uitvoerder
        and maatregelen.klantnummer = termijn_som.klantnummer
        and maatregelen.regelnummer = termijn_som.regelnummer
),

final as (
    select
        uitvoerder,
        woongemeente,
        jaar,
        maatregel,
        grond,
        count(*) as aantal,
        count(distinct persoon_sleutel) as personen,
        cast(sum(bedrag) as numeric(18, 2)) as bedrag,
        count(distinct case when is_boven_jaarmaximum then persoon_sleutel end) as boven_jaarmaximum,
        count(distinct case when is_boven_termijnmaximum then persoon_sleutel end) as boven_termijnmaximum,
        count(case when is_niet_toegestaan then 1 end) as niet_toegestaan
    from beoordeeld
    group by uitvoerder, woongemeente, jaar, maatregel, grond
)

select * from final
