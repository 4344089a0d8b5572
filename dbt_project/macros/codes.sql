{#
  Normalisation of the codes the sources spell differently. Ingestion already
  checks values against the contract's lists; these make the spelling one.
#}

{# GM + 4 digits; a bare number (DUO's "1916", "626") gets the prefix and zero padding. #}
{% macro gemeentecode(expr) -%}
    case
        when {{ expr }} is null or trim({{ expr }}) = '' then null
        when upper(trim({{ expr }})) like 'GM%' then upper(trim({{ expr }}))
        else 'GM' || lpad(trim({{ expr }}), 4, '0')
    end
{%- endmacro %}

{# Municipal leerroute code: B1 | A2 | OND | Z | Z-A2. #}
{% macro leerroute_code(expr) -%}
    case upper(replace(replace(trim({{ expr }}), '_', '-'), ' ', '-'))
        when 'B1' then 'B1'
        when 'B1-ROUTE' then 'B1'
        when 'A2' then 'A2'
        when 'OND' then 'OND'
        when 'O' then 'OND'
        when 'ONDERWIJSROUTE' then 'OND'
        when 'Z' then 'Z'
        when 'Z-ROUTE' then 'Z'
        when 'Z-A2' then 'Z-A2'
        when 'ZA2' then 'Z-A2'
        when 'Z-ROUTE-A2' then 'Z-A2'
        else upper(trim({{ expr }}))
    end
{%- endmacro %}

{#
  DUO codes a route as B/O/Z with a niveau; in the municipal vocabulary:
  B + A2 = A2 (B1-route at A2 level), B otherwise = B1, O = OND,
  Z + A2 = Z-A2, Z otherwise = Z. (Invalid combinations such as O + A2 keep
  the route; the quality checks report them.)
#}
{% macro duo_leerroute(route, niveau) -%}
    case upper(trim({{ route }}))
        when 'B' then case when upper(trim({{ niveau }})) = 'A2' then 'A2' else 'B1' end
        when 'O' then 'OND'
        when 'Z' then case when upper(trim({{ niveau }})) = 'A2' then 'Z-A2' else 'Z' end
    end
{%- endmacro %}

{# statushouder | gezinsmigrant, from DUO's "indeling" or the municipal code. #}
{% macro doelgroep_code(expr) -%}
    case
        when {{ expr }} is null then null
        when lower(trim({{ expr }})) like 'asiel%' or lower(trim({{ expr }})) like 'statushouder%'
            or lower(trim({{ expr }})) like 'vergunninghouder%' then 'statushouder'
        when lower(trim({{ expr }})) like 'gezin%' or lower(trim({{ expr }})) like 'overig%' then 'gezinsmigrant'
        else lower(trim({{ expr }}))
    end
{%- endmacro %}

{#
  Age class on whole years at the dossier date, half-open bands:
  [18,27) -> 18-27, [27,50) -> 27-50, [50,68) -> 50-68; anything else
  (younger, 68 and over, unknown) -> overig.
#}
{% macro leeftijdsklasse(leeftijd) -%}
    case
        when {{ leeftijd }} >= 18 and {{ leeftijd }} < 27 then '18-27'
        when {{ leeftijd }} >= 27 and {{ leeftijd }} < 50 then '27-50'
        when {{ leeftijd }} >= 50 and {{ leeftijd }} < 68 then '50-68'
        else 'overig'
    end
{%- endmacro %}

{# Household size class of the housing mart: 1 / 2-4 / 5-7 / 8+. #}
{% macro huishoudklasse(grootte) -%}
    case
        when {{ grootte }} is null then 'onbekend'
        when {{ grootte }} <= 1 then '1'
        when {{ grootte }} <= 4 then '2-4'
        when {{ grootte }} <= 7 then '5-7'
        else '8+'
    end
{%- endmacro %}
