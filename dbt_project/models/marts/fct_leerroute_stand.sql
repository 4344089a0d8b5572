-- Persons per current leerroute at the peildatum, by woongemeente, doelgroep and
-- instroomjaar (the report's tables 6.12-6.14 and 6.17).
with op_peildatum as (
    select * from {{ ref('int_leerroute_op_peildatum') }}
),

final as (
    select
        woongemeente,
        peildatum,
        doelgroep,
        leerroute,
        instroomjaar,
        count(distinct persoon_sleutel) as aantal
    from op_peildatum
    group by woongemeente, peildatum, doelgroep, leerroute, instroomjaar
)

select * from final
