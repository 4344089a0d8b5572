{#
  The two run parameters, read once here so every model means the same by them.

  peildatum_text(): the peildatum as jjjj-mm-dd; var `peildatum`, default today.
  peildatum():      the same as a SQL date literal.
  threshold():      var `threshold` (default 5): published counts 0 < n < threshold
                    are suppressed in schema publiek.
#}
{% macro peildatum_text() -%}
    {%- set value = var('peildatum', none) -%}
    {%- if value is none or (value | string | trim) in ('', 'None', 'none', 'null') -%}
        {{- return(modules.datetime.date.today().isoformat()) -}}
    {%- endif -%}
    {%- set text = value | string | trim -%}
    {#- fail early on anything that is not a calendar date -#}
    {%- set parsed = modules.datetime.datetime.strptime(text, '%Y-%m-%d') -%}
    {{- return(parsed.date().isoformat()) -}}
{%- endmacro %}

{% macro peildatum() -%}
    cast('{{ peildatum_text() }}' as date)
{%- endmacro %}

{% macro threshold() -%}
    {%- set value = var('threshold', 5) | int -%}
    {%- if value < 1 -%}
        {{ exceptions.raise_compiler_error("var threshold must be at least 1, got " ~ value) }}
    {%- endif -%}
    {{- return(value) -}}
{%- endmacro %}
