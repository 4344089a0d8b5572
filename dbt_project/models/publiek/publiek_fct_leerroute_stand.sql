select
    woongemeente,
    peildatum,
    doelgroep,
    leerroute,
    instroomjaar,
    {{ onderdruk('aantal') }} as aantal,
    {{ onderdrukt_vlag(['aantal']) }} as onderdrukt
from {{ ref('fct_leerroute_stand') }}
