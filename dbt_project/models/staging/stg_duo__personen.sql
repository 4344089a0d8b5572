-- DUO's view of each inburgeringsplichtige: the rows of the DUO delivery in force for
-- the person's gemeente, one row per person. A person DUO delivers more than once
-- (two lines with the same BSN, or in two deliveries when one gemeente keeps an older
-- delivery) is taken from the newest delivery, and within it from the last line of
-- the file; `aantal_in_levering` says how many lines that delivery had for the person
-- (the quality check duo_persoon_dubbel reports more than one).
with in_kracht as (
    {{ rijen_in_kracht('duo__personen', 'gemeentecode') }}
),

gerangschikt as (
    select
        in_kracht.*,
        row_number() over (
            partition by coalesce(persoon_id, _bestand || ':' || cast(_regelnummer as varchar))
            order by _leverdatum desc, _regelnummer desc
        ) as persoon_rang,
        count(*) over (
            partition by coalesce(persoon_id, _bestand || ':' || cast(_regelnummer as varchar)), _bestand
        ) as aantal_in_levering
    from in_kracht
),

gekozen as (
    select * from gerangschikt where persoon_rang = 1
),

final as (
    select
        persoon_id,
        vnummer_id,
        {{ gemeentecode('gemeentecode') }} as gemeentecode,
        wet,
        plicht_indicator,
        plicht_begindatum,
        plicht_einddatum,
        plicht_datum_kennisgeving,
        plicht_reden_geen,
        {{ doelgroep_code('doelgroep_indeling') }} as doelgroep,
        doelgroep_indeling,
        doelgroep_gedetailleerd,
        doelgroep_begindatum,
        pip_dagtekening,
        upper(pip_leerroute) as pip_leerroute_duo,
        upper(pip_niveau) as pip_niveau,
        {{ duo_leerroute('pip_leerroute', 'pip_niveau') }} as pip_leerroute,
        pip_geschatte_intensiteit_b1,
        upper(pip_alfabetisering) as pip_alfabetisering,
        termijn_startdatum,
        termijn_einddatum,
        termijn_verlengingsgrond,
        map_datum_eindgesprek,
        map_verwijtbaar,
        pvt_datum_ondertekening,
        pvt_verwijtbaar,
        zroute_datum_afronding,
        cast(lening_maximaal as numeric(18, 2)) as lening_maximaal,
        cast(lening_gebruikt as numeric(18, 2)) as lening_gebruikt,
        cast(aantal_in_levering as integer) as aantal_in_levering,
        _bestand as bestand,
        _versie as versie,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
