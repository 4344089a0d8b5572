{% set tellingen = ['asiel_cohort_0', 'asiel_cohort_1', 'asiel_cohort_2', 'gezinsmigranten'] %}
select
    gemeentecode,
    jaar,
    {%- for kolom in tellingen %}
    {{ onderdruk(kolom) }} as {{ kolom }},
    {%- endfor %}
    -- count x tariff would give a suppressed count back
    {{ onderdruk_als('berekende_uitkering', tellingen) }} as berekende_uitkering,
    voorlopig_beschikt,
    definitief_beschikt,
    kosten_realisatie,
    overschot_jaar,
    reserve_cumulatief,
    terug_te_betalen,
    tarief_bekend,
    {{ onderdrukt_vlag(tellingen) }} as onderdrukt
from {{ ref('fct_spuk') }}
