{#
  PostgreSQL plans joins from table statistics. Ingestion appends to raw and
  audit without refreshing them, and a view over a table without statistics
  can be estimated at one row, which turns the staging joins into nested loops
  (minutes instead of seconds at --gemeenten 50). So, on PostgreSQL only:
  refresh the statistics of every source table when a run starts, and of every
  table a model builds right after it is built. DuckDB needs neither.
#}
{% macro analyze_sources() -%}
    {%- if target.type == 'postgres' and execute -%}
        {%- set tables = [] -%}
        {%- for node in graph.sources.values() -%}
            {%- do tables.append(adapter.quote(node.schema) ~ '.' ~ adapter.quote(node.identifier)) -%}
        {%- endfor -%}
        analyze {{ tables | unique | sort | join(', ') }}
    {%- endif -%}
{%- endmacro %}

{% macro analyze_this() -%}
    {%- if target.type == 'postgres' and model.config.materialized in ('table', 'incremental') -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
