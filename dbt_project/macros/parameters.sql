{#
  The run's peildatum, read once here so every model means the same by it.

  peildatum_text(): the peildatum as jjjj-mm-dd; var `peildatum` (regie passes the
                    latest delivery date unless told otherwise), else today.
  peildatum():      the same as a SQL date literal.

  (The suppression threshold, var `threshold`, is applied by regie.publish.)
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
