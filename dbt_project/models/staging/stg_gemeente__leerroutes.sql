with gekozen as (
    {{ rijen_van_gekozen_levering('gemeente__leerroutes') }}
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
