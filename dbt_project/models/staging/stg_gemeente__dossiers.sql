-- The dossiers in force. When a delivery is held back for one gemeente, that gemeente's
-- dossiers come from an earlier delivery; a klant found in both (it moved) is taken from
-- the newest delivery only.
with in_kracht as (
    {{ rijen_in_kracht('gemeente__dossiers', 'woongemeente') }}
),

gekozen as (
    select *
    from (
        select
            in_kracht.*,
            max(_leverdatum) over (partition by _uitvoerder, klantnummer) as nieuwste_levering
        from in_kracht
    ) as per_klant
    where _leverdatum = nieuwste_levering
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
