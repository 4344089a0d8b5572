with gekozen as (
    {{ rijen_van_gekozen_levering('duo__personen') }}
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
        _bestand as bestand,
        _versie as versie,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
