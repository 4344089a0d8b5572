{#- A legal limit or term from seed ref_normen, as a SQL number. -#}
{% macro norm(name) -%}
    (select waarde from {{ ref('ref_normen') }} where norm = '{{ name }}')
{%- endmacro %}

{#- The term of a begeleiding trajectory by its soort (seed ref_normen); null for another soort. -#}
{% macro traject_termijn_dagen(soort) -%}
    case {{ soort }}
        when 'MAATSCHAPPELIJKE_BEGELEIDING' then {{ norm('mb_termijn_dagen') }}
        when 'FINANCIEEL_ONTZORGEN' then {{ norm('ontzorgen_termijn_dagen') }}
    end
{%- endmacro %}
