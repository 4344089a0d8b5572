select
    woongemeente,
    doelgroep,
    van_leerroute,
    naar_leerroute,
    jaar,
    {{ onderdruk('aantal') }} as aantal,
    {{ onderdrukt_vlag(['aantal']) }} as onderdrukt
from {{ ref('fct_leerroute_wissel') }}
