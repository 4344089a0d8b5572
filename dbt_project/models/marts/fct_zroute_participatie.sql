-- Participation hours of persons on the Z-route at the peildatum: the Z-route for
-- asielstatushouders includes 800 hours of participation (norm participatie_uren_zroute;
-- PVT and MAP included). The norm does not apply to gezinsmigranten: bereikt_800_uur
-- is null on their rows. STARTKLAS hours count only when var
-- startklas_telt_als_participatie is true (default false).
with op_zroute as (
    select persoon_sleutel, woongemeente, doelgroep, peildatum
    from {{ ref('int_leerroute_op_peildatum') }}
    where leerroute in ('Z', 'Z-A2')
),

dossiers as (
    select uitvoerder, klantnummer, persoon_sleutel
    from {{ ref('int_dossiers') }}
),

uren as (
    select
        dossiers.persoon_sleutel,
        cast(sum(activiteiten.uren) as numeric(18, 2)) as uren
    from {{ ref('int_activiteiten') }} as activiteiten
    inner join dossiers
        on activiteiten.uitvoerder = dossiers.uitvoerder
        and activiteiten.klantnummer = dossiers.klantnummer
    where (
            activiteiten.soort in ('PARTICIPATIE', 'PVT', 'MAP')
            {%- if var('startklas_telt_als_participatie', false) | string | lower in ('true', '1', 'yes', 'j') %}
            or activiteiten.soort = 'STARTKLAS'
            {%- endif %}
        )
        and activiteiten.periode_start <= {{ peildatum() }}
    group by dossiers.persoon_sleutel
),

per_persoon as (
    select
        op_zroute.*,
        coalesce(uren.uren, 0) as participatie_uren
    from op_zroute
    left join uren on op_zroute.persoon_sleutel = uren.persoon_sleutel
),

final as (
    select
        woongemeente,
        peildatum,
        doelgroep,
        count(*) as in_zroute,
        cast({{ mediaan('participatie_uren') }} as numeric(10, 1)) as participatie_uren_mediaan,
        case
            when doelgroep = 'statushouder'
                then count(case when participatie_uren >= {{ norm('participatie_uren_zroute') }} then 1 end)
        end as bereikt_800_uur
    from per_persoon
    group by woongemeente, peildatum, doelgroep
)

select * from final
