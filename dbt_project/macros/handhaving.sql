{#
  Which fines the law limits, defined once for the mart (fct_handhaving) and the checks
  (kwaliteit.handhaving); the limits themselves are norms of seed ref_normen.

  boete_telt_voor_maximum: a fine on grond PVT, MAP or LEERROUTE counts towards the maxima
      per 365 days and per inburgeringstermijn.
  leerrouteboete_gezinsmigrant: a fine on grond LEERROUTE for a gezinsmigrant, for whom the
      leerroute is not enforceable.
#}
{% macro boete_telt_voor_maximum(maatregel, grond) -%}
    ({{ maatregel }} = 'BOETE' and {{ grond }} in ('PVT', 'MAP', 'LEERROUTE'))
{%- endmacro %}

{% macro leerrouteboete_gezinsmigrant(maatregel, grond, doelgroep) -%}
    ({{ maatregel }} = 'BOETE' and {{ grond }} = 'LEERROUTE' and {{ doelgroep }} = 'gezinsmigrant')
{%- endmacro %}
