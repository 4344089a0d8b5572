{#
  Small-cell suppression for schema publiek.

  onderdruk('aantal'):            the count, or null when 0 < n < threshold.
  is_klein('aantal'):             true when that count is suppressed.
  onderdrukt_vlag(['a', 'b']):    true when any of the listed counts is suppressed.
  onderdruk_als(expr, ['a']):     expr, or null when any of the listed counts is
                                  suppressed (medians and amounts derived from them).
#}
{% macro is_klein(col) -%}
    ({{ col }} > 0 and {{ col }} < {{ threshold() }})
{%- endmacro %}

{% macro onderdruk(col) -%}
    case when {{ is_klein(col) }} then null else {{ col }} end
{%- endmacro %}

{% macro onderdrukt_vlag(cols) -%}
    coalesce(
    {%- for col in cols %}
        {{ is_klein(col) }}{{ ' or' if not loop.last }}
    {%- endfor %}
    , false)
{%- endmacro %}

{% macro onderdruk_als(expr, cols) -%}
    case when {{ onderdrukt_vlag(cols) }} then null else {{ expr }} end
{%- endmacro %}
