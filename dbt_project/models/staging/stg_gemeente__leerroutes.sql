with gekozen as (
    {{ rijen_in_kracht('gemeente__leerroutes', per_klant=true) }}
),

final as (
    select
        {{ gemeentecode('_uitvoerder') }} as uitvoerder,
        klantnummer,
        {{ leerroute_code('leerroute') }} as leerroute,
        datum_start,
        datum_eind,
        taalaanbieder,
        reden_wijziging,
        _bestand as bestand,
        _leverdatum as leverdatum,
        _regelnummer as regelnummer
    from gekozen
)

select * from final
