-- Deliveries held back for a gemeente by a blocking check (audit.kwaliteit_blokkades):
-- per file type (and delivering uitvoerder) and gemeente, the delivery whose rows count
-- for that gemeente instead - the latest earlier judged delivery not held back for it.
-- `path` is null when there is none: that gemeente then has no rows of this file type.
-- In the blocking gate's own build (var kwaliteit_keuze = kandidaat): what the gate has
-- held back so far (audit.kwaliteit_kandidaat_blokkades, rewritten between its rounds).
with bestanden as (
    select * from {{ ref('stg_audit__bestanden') }}
),

blokkades as (
    select distinct bron, coalesce(uitvoerder, '') as uitvoerder, leverdatum, gemeentecode
    {%- if kwaliteit_keuze() == 'kandidaat' %}
    from {{ source('audit', 'kwaliteit_kandidaat_blokkades') }}
    {%- else %}
    from {{ source('audit', 'kwaliteit_blokkades') }}
    {%- endif %}
    where peildatum = {{ peildatum() }}
),

-- the gemeenten held back in a delivery that is gekozen
geraakt as (
    select
        gekozen.bron,
        gekozen.entiteit,
        gekozen.uitvoerder,
        blokkades.gemeentecode
    from bestanden as gekozen
    inner join blokkades
        on gekozen.bron = blokkades.bron
        and coalesce(gekozen.uitvoerder, '') = blokkades.uitvoerder
        and gekozen.leverdatum = blokkades.leverdatum
    where gekozen.gekozen
),

eerder as (
    select
        geraakt.bron,
        geraakt.entiteit,
        geraakt.uitvoerder,
        geraakt.gemeentecode,
        bestanden.path,
        bestanden.versie,
        bestanden.leverdatum,
        row_number() over (
            partition by geraakt.bron, geraakt.entiteit, geraakt.uitvoerder, geraakt.gemeentecode
            order by bestanden.leverdatum desc
        ) as rang
    from geraakt
    inner join bestanden
        on geraakt.bron = bestanden.bron
        and geraakt.entiteit = bestanden.entiteit
        and coalesce(geraakt.uitvoerder, '') = coalesce(bestanden.uitvoerder, '')
        and bestanden.kandidaat
    where not exists (
        select 1
        from blokkades
        where blokkades.bron = bestanden.bron
            and blokkades.uitvoerder = coalesce(bestanden.uitvoerder, '')
            and blokkades.leverdatum = bestanden.leverdatum
            and blokkades.gemeentecode = geraakt.gemeentecode
    )
),

final as (
    select
        geraakt.bron,
        geraakt.entiteit,
        geraakt.uitvoerder,
        geraakt.gemeentecode,
        eerder.path,
        eerder.versie,
        eerder.leverdatum
    from geraakt
    left join eerder
        on geraakt.bron = eerder.bron
        and geraakt.entiteit = eerder.entiteit
        and coalesce(geraakt.uitvoerder, '') = coalesce(eerder.uitvoerder, '')
        and geraakt.gemeentecode = eerder.gemeentecode
        and eerder.rang = 1
)

select * from final
