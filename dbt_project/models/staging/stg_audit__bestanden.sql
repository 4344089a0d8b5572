-- The ledger's loaded files, each in its highest loaded version, and which of them
-- counts at the peildatum (`gekozen`): per file type (and per delivering gemeente for
-- municipal files, per provider for begeleiding files) the latest delivery on or before the peildatum that the blocking
-- checks judged for this peildatum (audit.kwaliteit_beoordelingen, written by
-- regie.quality.poort before every build). A delivery they held back for a gemeente
-- stays gekozen for the other gemeenten; stg_audit__vervangingen says what counts for
-- the gemeente held back. Every staging model keeps the raw rows of these files only.
-- In the blocking gate's own build (var kwaliteit_keuze = kandidaat) every loaded
-- delivery on or before the peildatum counts as judged: the gate is judging them.
with bestanden as (
    select * from {{ source('audit', 'bestanden') }}
),

beoordeeld as (
    {%- if kwaliteit_keuze() == 'kandidaat' %}
    -- the blocking gate's own build (macro kwaliteit_keuze): every delivery is a candidate
    select distinct path, versie
    from bestanden
    where status = 'geladen'
    {%- else %}
    select distinct path, versie
    from {{ source('audit', 'kwaliteit_beoordelingen') }}
    where peildatum = {{ peildatum() }}
    {%- endif %}
),

geladen as (
    select
        path,
        versie,
        bron,
        entiteit,
        uitvoerder,
        leverdatum,
        rijen_geladen,
        geladen_op,
        row_number() over (partition by path order by versie desc) as versie_rang
    from bestanden
    where status = 'geladen'
),

hoogste_versie as (
    select * from geladen where versie_rang = 1
),

beoordeling as (
    select
        hoogste_versie.*,
        beoordeeld.path is not null as beoordeeld,
        hoogste_versie.leverdatum <= {{ peildatum() }} and beoordeeld.path is not null as kandidaat
    from hoogste_versie
    left join beoordeeld
        on hoogste_versie.path = beoordeeld.path
        and hoogste_versie.versie = beoordeeld.versie
),

gerangschikt as (
    select
        beoordeling.*,
        case
            when kandidaat
                then row_number() over (
                    partition by bron, entiteit, coalesce(uitvoerder, ''), kandidaat
                    order by leverdatum desc
                )
        end as levering_rang
    from beoordeling
),

final as (
    select
        path,
        versie,
        bron,
        entiteit,
        -- a municipal deliverer is a gemeente (normalised code); a provider of begeleiding keeps its code
        case when bron = 'gemeente' then {{ gemeentecode('uitvoerder') }} else uitvoerder end as uitvoerder,
        leverdatum,
        rijen_geladen,
        geladen_op,
        beoordeeld,
        kandidaat,
        coalesce(levering_rang = 1, false) as gekozen,
        {{ peildatum() }} as peildatum
    from gerangschikt
)

select * from final
