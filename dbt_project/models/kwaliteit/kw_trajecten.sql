-- Trajectories of begeleiding: one row per trajectory in force. `gemeentecode` is the
-- gemeente that commissioned it; the duration runs to its end, or to the peildatum
-- while open, against the term of its soort (seed ref_normen; as
-- fct_maatschappelijke_begeleiding counts langer_dan_termijn).
{{ config(alias='trajecten') }}

with trajecten as (
    select * from {{ ref('stg_begeleiding__trajecten') }}
),

persoon_klant as (
    {{ kwaliteit_persoon_klant() }}
),

final as (
    select
        trajecten.aanbieder,
        trajecten.gemeentecode,
        trajecten.soort,
        trajecten.datum_start,
        trajecten.datum_eind,
        trajecten.status,
        trajecten.verlengd_tot,
        trajecten.bestand,
        trajecten.leverdatum,
        trajecten.regelnummer,
        persoon_klant.klantnummer,
        {{ dagen_tussen('trajecten.datum_start', 'coalesce(trajecten.datum_eind, ' ~ peildatum() ~ ')') }} as duur_dagen,
        {{ traject_termijn_dagen('trajecten.soort') }} as termijn_dagen,
        coalesce(trajecten.soort = 'MAATSCHAPPELIJKE_BEGELEIDING', false)
            and coalesce(trajecten.status <> 'verlengd', true) as mb_zonder_verlenging,
        coalesce(trajecten.soort = 'FINANCIEEL_ONTZORGEN', false)
            and coalesce(trajecten.status <> 'verlengd', true) as ontzorgen_zonder_verlenging,
        coalesce(
            persoon_klant.klantnummer,
            lower(replace(trajecten.soort, '_', ' ')) || ' vanaf ' || {{ datum_nl('trajecten.datum_start') }}
            || ', regel ' || cast(trajecten.regelnummer as varchar)
        ) as kenmerk
    from trajecten
    left join persoon_klant on trajecten.persoon_id = persoon_klant.persoon_id
)

select
    {{ kwaliteit_rij('bestand, regelnummer') }} as rij,
    'begeleiding' as bron,
    final.*
from final
