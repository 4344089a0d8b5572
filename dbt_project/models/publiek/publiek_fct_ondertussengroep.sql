select
    woongemeente,
    peildatum,
    doelgroep,
    {{ onderdruk('nog_inburgeringsplichtig') }} as nog_inburgeringsplichtig,
    {{ onderdruk('elip') }} as elip,
    {{ onderdrukt_vlag(['nog_inburgeringsplichtig', 'elip']) }} as onderdrukt
from {{ ref('fct_ondertussengroep') }}
