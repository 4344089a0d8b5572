-- COA's taakstelling figures are published by COA already; only regie's own
-- person count from the koppelingen is subject to suppression.
select
    gemeentecode,
    jaar,
    halfjaar,
    stand_begin,
    correctie_begin,
    taakstelling,
    totale_taakstelling,
    gerealiseerd,
    {{ onderdruk('gerealiseerd_tvs') }} as gerealiseerd_tvs,
    stand_eind,
    peildatum,
    {{ onderdrukt_vlag(['gerealiseerd_tvs']) }} as onderdrukt
from {{ ref('fct_taakstelling_halfjaar') }}
