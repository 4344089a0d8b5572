{#
  Rows of the delivery that counts at the peildatum.

  Every delivery is a full snapshot of its source, so a staging model keeps
  only the rows of the chosen file: per source (and per delivering gemeente for
  the municipal files) the latest loaded delivery on or before the peildatum,
  in its highest loaded version. The choice is made from the ledger
  (stg_audit__bestanden), not from the raw rows, so a delivery that held only
  a header still counts, as an empty snapshot.

  Usage, inside a model:  with gekozen as ({{ rijen_van_gekozen_levering('gemeente__dossiers') }})
#}
{% macro rijen_van_gekozen_levering(raw_table) -%}
    select rij.*
    from {{ source('raw', raw_table) }} as rij
    inner join {{ ref('stg_audit__bestanden') }} as levering
        on rij._bestand = levering.path
        and rij._versie = levering.versie
    where levering.gekozen
{%- endmacro %}
