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
        dossiers: woongemeente; financien: gemeentecode)
    rijen_in_kracht(raw_table, per_klant=true)
        municipal files about a klant (leerroutes, activiteiten, uitkomsten,
        handhaving): the klant's woongemeente in the dossiers in force
        (stg_gemeente__klanten), else the delivering uitvoerder

  Usage, inside a model:  with in_kracht as ({{ rijen_in_kracht('gemeente__dossiers', 'woongemeente') }})
#}
{% macro rijen_in_kracht(raw_table, kolom='gemeentecode', per_klant=false) -%}
    {%- if per_klant -%}
        {%- set gemeente_gekozen = "coalesce(klant.woongemeente, levering.uitvoerder)" -%}
        {%- set gemeente_vervanging = "coalesce(klant.woongemeente, vervanging.uitvoerder)" -%}
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
