select
    woongemeente,
    jaar,
    doelgroep,
    geslacht,
    leeftijdsklasse,
    {{ onderdruk('aantal') }} as aantal,
    {{ onderdrukt_vlag(['aantal']) }} as onderdrukt
from {{ ref('fct_inburgeraars_instroom') }}
