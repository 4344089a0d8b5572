select * from {{ ref('dim_gemeente') }}
