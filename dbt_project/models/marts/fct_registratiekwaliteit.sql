{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='ignore',
    )
}}
-- Filled by the registration-quality checks (regie's quality DAG), not by dbt:
-- dbt only creates the table with its columns, so BI can rely on it, and never
-- empties it (incremental, no rows of its own, full refresh disabled).
-- The columns are declared once, in fct_registratiekwaliteit.yml (name and data_type);
-- regie.quality.schema reads the same declaration.
select
{%- for column in model.columns.values() %}
    cast(null as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
{%- endfor %}
where 1 = 0
