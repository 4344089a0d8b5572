{#
  Small date helpers in plain SQL that DuckDB and PostgreSQL read alike.
  (`date + integer` and `date - date` mean days on both; dbt's dateadd would
  turn dates into timestamps on PostgreSQL.)
#}

{# Calendar year of a date, as an integer. #}
{% macro jaar_van(expr) -%}
    cast(extract(year from {{ expr }}) as integer)
{%- endmacro %}

{# Half year of a date: 1 (January-June) or 2 (July-December). #}
{% macro halfjaar_van(expr) -%}
    case when extract(month from {{ expr }}) <= 6 then 1 else 2 end
{%- endmacro %}

{# Whole days from `start` to `eind` (positive when eind is later). #}
{% macro dagen_tussen(start, eind) -%}
    cast(({{ eind }}) - ({{ start }}) as integer)
{%- endmacro %}

{# A date `n` days after `expr`. #}
{% macro plus_dagen(expr, n) -%}
    cast(({{ expr }}) + {{ n }} as date)
{%- endmacro %}

{# The same calendar day `n` years later (29 February -> 28 February). #}
{% macro plus_jaren(expr, n) -%}
    cast({{ dbt.dateadd('year', n, expr) }} as date)
{%- endmacro %}

{# 1 January / 31 December of a year given as an integer expression. #}
{% macro eerste_dag_van_jaar(jaar) -%}
    cast(cast({{ jaar }} as varchar) || '-01-01' as date)
{%- endmacro %}

{% macro laatste_dag_van_jaar(jaar) -%}
    cast(cast({{ jaar }} as varchar) || '-12-31' as date)
{%- endmacro %}

{# Median of a numeric expression (an ordered-set aggregate on both engines). #}
{% macro mediaan(expr) -%}
    percentile_cont(0.5) within group (order by {{ expr }})
{%- endmacro %}

{# The same calendar day `n` months later; `n` may be any integer SQL expression (a norm()). #}
{% macro plus_maanden(expr, n) -%}
    cast({{ dbt.dateadd('month', 'cast(' ~ n ~ ' as integer)', expr) }} as date)
{%- endmacro %}
