{#
  historie.fct_signalen in the work area (regie.publish writes it after every build:
  historie on DuckDB, historie__werk on PostgreSQL), or none before the first
  publication. fct_signalen reads it for `sinds`: a signal that also fired at the latest
  earlier published peildatum keeps the sinds it had there.
#}
{% macro historie_signalen() -%}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set schema = 'historie__werk' if target.type == 'postgres' else 'historie' -%}
    {%- set relation = adapter.get_relation(database=target.database, schema=schema, identifier='fct_signalen') -%}
    {{- return(relation) -}}
{%- endmacro %}

{# Data test: no date in the column lies after the run's peildatum. #}
{% test niet_na_peildatum(model, column_name) %}
    select * from {{ model }} where {{ column_name }} > {{ peildatum() }}
{% endtest %}
