select
    woongemeente,
    peildatum,
    doelgroep,
    {{ onderdruk('in_zroute') }} as in_zroute,
    {{ onderdruk_als('participatie_uren_mediaan', ['in_zroute']) }} as participatie_uren_mediaan,
    {{ onderdruk('bereikt_800_uur') }} as bereikt_800_uur,
    {{ onderdrukt_vlag(['in_zroute', 'bereikt_800_uur']) }} as onderdrukt
from {{ ref('fct_zroute_participatie') }}
