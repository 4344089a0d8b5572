-- Maatschappelijke begeleiding (MB), financieel ontzorgen and the Omgaan met geld training
-- per commissioning gemeente, calendar year and soort. Counts are distinct persons: a person
-- is known by the BSN pseudonym, else by the BSN the V-nummer is linked to elsewhere (DUO,
-- TVS), else by the V-nummer alone. Years run from a gemeente's first trajectory of a soort
-- up to the year of the peildatum; trajectories starting after the peildatum are not counted.
with trajecten as (
    select
        trajecten.gemeentecode,
        trajecten.soort,
        trajecten.status,
        trajecten.datum_start,
        trajecten.datum_eind,
        coalesce(
            trajecten.persoon_id,
            vnummers.persoon_id,
            'v:' || trajecten.vnummer_id
        ) as persoon_sleutel,
        {{ dagen_tussen('trajecten.datum_start', 'coalesce(trajecten.datum_eind, ' ~ peildatum() ~ ')') }}
            as duur_dagen,
        {{ traject_termijn_dagen('trajecten.soort') }} as termijn_dagen
    from {{ ref('stg_begeleiding__trajecten') }} as trajecten
    left join {{ ref('int_vnummer_naar_persoon') }} as vnummers
        on trajecten.vnummer_id = vnummers.vnummer_id
    where trajecten.datum_start <= {{ peildatum() }}
),

gemarkeerd as (
    select
        trajecten.*,
        {{ jaar_van('datum_start') }} as startjaar,
        {{ jaar_van('datum_eind') }} as eindjaar,
        termijn_dagen is not null and duur_dagen > termijn_dagen and status <> 'verlengd' as te_lang
    from trajecten
),

jaren as (
    select startjaar as jaar from gemarkeerd
    union
    select eindjaar from gemarkeerd where eindjaar is not null
    union
    select {{ jaar_van(peildatum()) }}
),

reeksen as (
    select gemeentecode, soort, min(startjaar) as eerste_jaar
    from gemarkeerd
    group by gemeentecode, soort
),

raster as (
    select reeksen.gemeentecode, reeksen.soort, jaren.jaar
    from reeksen
    inner join jaren
        on jaren.jaar >= reeksen.eerste_jaar
        and jaren.jaar <= {{ jaar_van(peildatum()) }}
),

per_jaar as (
    select
        raster.gemeentecode,
        raster.jaar,
        raster.soort,
        count(distinct case when gemarkeerd.startjaar = raster.jaar then gemarkeerd.persoon_sleutel end)
            as gestart,
        count(distinct case
            when gemarkeerd.datum_start <= {{ laatste_dag_van_jaar('raster.jaar') }}
                and (gemarkeerd.datum_eind is null
                    or gemarkeerd.datum_eind >= {{ laatste_dag_van_jaar('raster.jaar') }})
                then gemarkeerd.persoon_sleutel
        end) as lopend_31_december,
        count(distinct case
            when gemarkeerd.eindjaar = raster.jaar and gemarkeerd.status = 'afgerond'
                then gemarkeerd.persoon_sleutel
        end) as afgerond,
        count(distinct case
            when gemarkeerd.eindjaar = raster.jaar and gemarkeerd.status = 'afgebroken'
                then gemarkeerd.persoon_sleutel
        end) as afgebroken,
        {{ mediaan('case when gemarkeerd.eindjaar = raster.jaar then gemarkeerd.duur_dagen end') }}
            as mediaan_duur_dagen,
        count(distinct case
            when gemarkeerd.startjaar = raster.jaar and gemarkeerd.te_lang then gemarkeerd.persoon_sleutel
        end) as langer_dan_termijn
    from raster
    left join gemarkeerd
        on raster.gemeentecode = gemarkeerd.gemeentecode
        and raster.soort = gemarkeerd.soort
    group by raster.gemeentecode, raster.jaar, raster.soort
),

final as (
    select
        gemeentecode,
        jaar,
        soort,
        cast(gestart as integer) as gestart,
        cast(lopend_31_december as integer) as lopend_31_december,
        cast(afgerond as integer) as afgerond,
        cast(afgebroken as integer) as afgebroken,
        cast(mediaan_duur_dagen as numeric(10, 1)) as mediaan_duur_dagen,
        cast(langer_dan_termijn as integer) as langer_dan_termijn,
        {{ peildatum() }} as peildatum
    from per_jaar
)

select * from final
