{#
  Schemas are exactly the names the project gives (staging, intermediate, marts),
  never prefixed with the target schema: the quality checks and regie's publish
  step address `marts.fct_...` on every warehouse.

  On PostgreSQL the marts are built in `marts__werk`: BI reads schema `marts`,
  which regie's publish step (regie.publish) replaces in one transaction with a
  copy of the finished work, so a reader never sees a half-built set. In a DuckDB
  work file the marts keep their own name; the publication is a second file.
  (regie.warehouse.work_schema says the same in Python.)

  With var kwaliteit_keuze = kandidaat (the blocking gate's own build, macro
  kwaliteit_keuze) the staging and kwaliteit models go to staging_kandidaat and
  kwaliteit_kandidaat; the seeds stay where they are.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- elif node.resource_type == 'model' and (custom_schema_name | trim) in ('staging', 'kwaliteit')
        and kwaliteit_keuze() == 'kandidaat' -%}
        {{ custom_schema_name | trim }}_kandidaat
    {%- elif target.type == 'postgres' and (custom_schema_name | trim) in ('marts', 'publiek', 'historie') -%}
        {{ custom_schema_name | trim }}__werk
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
