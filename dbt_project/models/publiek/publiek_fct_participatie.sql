select
    woongemeente,
    jaar,
    doelgroep,
    activiteit,
    {{ onderdruk('aantal_personen') }} as aantal_personen,
    {{ onderdrukt_vlag(['aantal_personen']) }} as onderdrukt
from {{ ref('fct_participatie') }}
