{#
  Schemas are exactly the names the project gives (staging, intermediate, marts,
  publiek), never prefixed with the target schema: BI tools and the quality checks
  address `marts.fct_...` on every warehouse.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

{#
  The publiek copies are models named publiek_<mart> (dbt model names are unique
  in a project); in the warehouse they carry the mart's own name in schema
  publiek, so publiek.fct_leerroute_stand mirrors marts.fct_leerroute_stand.
#}
{% macro generate_alias_name(custom_alias_name=none, node=none) -%}
    {%- if custom_alias_name -%}
        {{ custom_alias_name | trim }}
    {%- elif node.resource_type == 'model' and node.name.startswith('publiek_') -%}
        {{ node.name[8:] }}
    {%- elif node.version -%}
        {{ return(node.name ~ "_v" ~ (node.version | replace(".", "_"))) }}
    {%- else -%}
        {{ node.name }}
    {%- endif -%}
{%- endmacro %}
