select
    woongemeente,
    jaar,
    doelgroep,
    leerroute,
    reden,
    {{ onderdruk('aantal') }} as aantal,
    {{ onderdrukt_vlag(['aantal']) }} as onderdrukt
from {{ ref('fct_uitstroom') }}
