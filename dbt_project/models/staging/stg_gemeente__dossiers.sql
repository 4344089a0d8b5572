with gekozen as (
    {{ rijen_van_gekozen_levering('gemeente__dossiers') }}
),

final as (
    select
        {{ gemeentecode('_uitvoerder') }} as uitvoerder,
        klantnummer,
        persoon_id,
        {{ gemeentecode('woongemeente') }} as woongemeente,
        {{ doelgroep_code('doelgroep') }} as doelgroep,
        wet,
        upper(geslacht) as geslacht,
        geboortejaar,
        leeftijd_bij_dossier,
        herkomstland,
        datum_dossier,
        datum_inschrijving_brp,
        datum_brede_intake,
        datum_leerbaarheidstoets,
        datum_pip,
        startklas,
        datum_uitstroom,
        lower(reden_uitstroom) as reden_uitstroom,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
