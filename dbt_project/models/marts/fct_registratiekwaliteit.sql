{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        full_refresh=false,
        on_schema_change='ignore',
    )
}}
-- Filled by the registration-quality checks (regie's quality DAG), not by dbt:
-- dbt only creates the table with its columns, so BI can rely on it, and never
-- empties it (incremental, no rows of its own, full refresh disabled).
select
    cast(null as varchar) as gemeentecode,
    cast(null as timestamp) as gecontroleerd_op,
    cast(null as varchar) as controle,
    cast(null as varchar) as ernst,
    cast(null as bigint) as gecontroleerd,
    cast(null as bigint) as afgekeurd,
    cast(null as bigint) as geslaagd,
    cast(null as varchar) as run_id,
    cast(null as date) as peildatum,
    cast(null as varchar) as bron,
    cast(null as varchar) as categorie,
    cast(null as varchar) as omschrijving
where 1 = 0
