-- COA's published balances: public already, copied unchanged.
select
    gemeentecode,
    jaar,
    stand_1_januari,
    correctie_1_januari,
    taakstelling,
    correcties_in_jaar,
    totale_taakstelling,
    gerealiseerd,
    achterstand,
    interventieladder_trede,
    peildatum,
    false as onderdrukt
from {{ ref('fct_taakstelling_jaar') }}
