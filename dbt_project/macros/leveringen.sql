{#
  Rows of the deliveries in force at the peildatum.

  Every delivery is a full snapshot of its source, so a staging model keeps only
  the rows of the chosen delivery. The choice is made from the ledger
  (stg_audit__bestanden), not from the raw rows, so a delivery that held only a
  header still counts, as an empty snapshot: per file type (and per delivering
  gemeente for the municipal files) the latest delivery on or before the
  peildatum that the blocking checks judged (regie.quality.poort writes the
  verdict to audit.kwaliteit_beoordelingen and audit.kwaliteit_blokkades before
  every build).

  A delivery the checks held back is held back for one gemeente: the gemeente of
  the failing records. That gemeente's rows come from the latest earlier
  delivery not held back for it (stg_audit__vervangingen), or from none; every
  other gemeente's rows come from the chosen delivery. Which gemeente a row
  belongs to:

    rijen_in_kracht(raw_table, kolom='gemeentecode')
        by a column of the row (DUO, COA, rijk, provincie: gemeentecode;
        dossiers: woongemeente; financien: gemeentecode); for a municipal file
        as toegerekende_gemeente says (the deliverer, unless it executes for it)
    rijen_in_kracht(raw_table, per_klant=true)
        municipal files about a klant (leerroutes, activiteiten, uitkomsten,
        handhaving): the gemeente of the klant's dossier in force
        (stg_gemeente__klanten), else the delivering uitvoerder

  Usage, inside a model:  with in_kracht as ({{ rijen_in_kracht('gemeente__dossiers', 'woongemeente') }})
#}
{#
  The gemeente a municipal record is counted against (the quality checks count it so too,
  regie.quality.gegevens.Gegevens.toerekenen): its woongemeente when the deliverer executes
  inburgering for that gemeente according to the reference list (seed ref_gemeenten),
  else the deliverer itself. What a record claims never extends whom a deliverer speaks for.
#}
{% macro toegerekende_gemeente(woongemeente, uitvoerder) -%}
    case
        when {{ woongemeente }} = {{ uitvoerder }}
            or exists (
                select 1
                from {{ ref('ref_gemeenten') }} as referentie
                where referentie.gemeentecode = {{ woongemeente }}
                    and referentie.uitvoerder_gemeentecode = {{ uitvoerder }}
            )
            then {{ woongemeente }}
        else {{ uitvoerder }}
    end
{%- endmacro %}

{% macro rijen_in_kracht(raw_table, kolom='gemeentecode', per_klant=false) -%}
    {%- set gemeentelijk = raw_table.startswith('gemeente__') -%}
    {%- if per_klant -%}
        {%- set gemeente_gekozen = "coalesce(klant.gemeentecode, levering.uitvoerder)" -%}
        {%- set gemeente_vervanging = "coalesce(klant.gemeentecode, vervanging.uitvoerder)" -%}
    {%- elif gemeentelijk -%}
        {%- set gemeente_gekozen = toegerekende_gemeente(gemeentecode('rij.' ~ kolom), 'levering.uitvoerder') -%}
        {%- set gemeente_vervanging = toegerekende_gemeente(gemeentecode('rij.' ~ kolom), 'vervanging.uitvoerder') -%}
    {%- else -%}
        {%- set gemeente_gekozen = gemeentecode('rij.' ~ kolom) -%}
        {%- set gemeente_vervanging = gemeente_gekozen -%}
    {%- endif -%}
    select rij.*
    from {{ source('raw', raw_table) }} as rij
    inner join {{ ref('stg_audit__bestanden') }} as levering
        on rij._bestand = levering.path
        and rij._versie = levering.versie
    {%- if per_klant %}
    left join {{ ref('stg_gemeente__klanten') }} as klant
        on levering.uitvoerder = klant.uitvoerder
        and rij.klantnummer = klant.klantnummer
    {%- endif %}
    where levering.gekozen
        and not exists (
            select 1
            from {{ ref('stg_audit__vervangingen') }} as vervanging
            where vervanging.bron = levering.bron
                and vervanging.entiteit = levering.entiteit
                and coalesce(vervanging.uitvoerder, '') = coalesce(levering.uitvoerder, '')
                and vervanging.gemeentecode = {{ gemeente_gekozen }}
        )

    union all

    select rij.*
    from {{ source('raw', raw_table) }} as rij
    inner join {{ ref('stg_audit__vervangingen') }} as vervanging
        on rij._bestand = vervanging.path
        and rij._versie = vervanging.versie
    {%- if per_klant %}
    left join {{ ref('stg_gemeente__klanten') }} as klant
        on vervanging.uitvoerder = klant.uitvoerder
        and rij.klantnummer = klant.klantnummer
    {%- endif %}
    where vervanging.gemeentecode = {{ gemeente_vervanging }}
{%- endmacro %}
