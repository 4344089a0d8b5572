{% set tellingen = ['inschrijvingen', 'pip_vastgesteld', 'pip_binnen_10_weken', 'pip_te_laat', 'zonder_pip_termijn_verstreken'] %}
select
    woongemeente,
    jaar,
    doelgroep,
    {%- for kolom in tellingen %}
    {{ onderdruk(kolom) }} as {{ kolom }},
    {%- endfor %}
    {{ onderdruk_als('mediaan_dagen_tot_pip', ['pip_vastgesteld']) }} as mediaan_dagen_tot_pip,
    {{ onderdrukt_vlag(tellingen) }} as onderdrukt
from {{ ref('fct_pip_tijdigheid') }}
