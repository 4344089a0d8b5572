-- Municipal dossiers with the person key, age class and per-person order.
with dossiers as (
    select * from {{ ref('stg_gemeente__dossiers') }}
),

final as (
    select
        uitvoerder,
        klantnummer,
        -- the BSN pseudonym; a dossier without one stays a person of its own
        coalesce(persoon_id, uitvoerder || ':' || klantnummer) as persoon_sleutel,
        persoon_id,
        woongemeente,
        doelgroep,
        wet,
        coalesce(geslacht, 'onbekend') as geslacht,
        geboortejaar,
        leeftijd_bij_dossier,
        {{ leeftijdsklasse('leeftijd_bij_dossier') }} as leeftijdsklasse,
        herkomstland,
        datum_dossier,
        {{ jaar_van('datum_dossier') }} as jaar_dossier,
        datum_inschrijving_brp,
        datum_brede_intake,
        datum_leerbaarheidstoets,
        datum_pip,
        startklas,
        datum_uitstroom,
        reden_uitstroom,
        row_number() over (
            partition by coalesce(persoon_id, uitvoerder || ':' || klantnummer)
            order by datum_dossier desc, uitvoerder, klantnummer
        ) = 1 as laatste_dossier_van_persoon,
        bestand,
        leverdatum,
        regelnummer
    from dossiers
)

select * from final
