{% set tellingen = ['gekoppeld', 'gehuisvest', 'wachtend', 'binnen_10_weken', 'wachtend_langer_dan_10_weken', 'vertrokken_voor_huisvesting'] %}
select
    gemeentecode,
    jaar,
    halfjaar,
    huishoudklasse,
    {%- for kolom in tellingen %}
    {{ onderdruk(kolom) }} as {{ kolom }},
    {%- endfor %}
    {{ onderdruk_als('mediaan_dagen_tot_huisvesting', ['gehuisvest']) }} as mediaan_dagen_tot_huisvesting,
    peildatum_tvs,
    {{ onderdrukt_vlag(tellingen) }} as onderdrukt
from {{ ref('fct_huisvesting_doorlooptijd') }}
