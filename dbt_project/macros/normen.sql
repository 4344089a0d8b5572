{#- A legal limit or term from seed ref_normen, as a SQL number. -#}
{% macro norm(name) -%}
    (select waarde from {{ ref('ref_normen') }} where norm = '{{ name }}')
{%- endmacro %}
