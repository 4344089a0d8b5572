"""One small interface, two backends: a DuckDB file or a PostgreSQL database.

``connect(target)`` takes what the user typed after ``--warehouse``: a path
ending in ``.duckdb`` or a ``postgresql://`` URL.
"""

from __future__ import annotations

from .base import LedgerRow, Warehouse, WarehouseKeyError

__all__ = [
    "LedgerRow",
    "PUBLISHED_SCHEMAS",
    "Warehouse",
    "WarehouseKeyError",
    "connect",
    "describe",
    "is_postgres",
    "work_schema",
]

#: The schemas BI reads. regie builds them in a work area and publishes them at once
#: (regie.publish): in DuckDB the work area is the --warehouse file and the publication a
#: second file; in PostgreSQL the work area is ``<schema>__werk`` in the same database.
PUBLISHED_SCHEMAS = ("marts", "publiek", "historie")

#: Suffix of the work schemas in PostgreSQL (dbt_project/macros/generate_schema_name.sql
#: says the same for marts).
WORK_SUFFIX = "__werk"


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def describe(target: str) -> str:
    """The target without a password, safe to print and log."""
    if is_postgres(target) and "@" in target:
        scheme, rest = target.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return target


def work_schema(kind_or_target: str, schema: str) -> str:
    """Where a published schema is built: itself in a DuckDB work file, ``<schema>__werk`` in PostgreSQL."""
    postgres = kind_or_target == "postgres" or is_postgres(kind_or_target)
    return f"{schema}{WORK_SUFFIX}" if postgres and schema in PUBLISHED_SCHEMAS else schema


def connect(target: str, *, read_only: bool = False) -> Warehouse:
    if is_postgres(target):
        from .postgres_backend import PostgresWarehouse

        return PostgresWarehouse(target)
    from .duckdb_backend import DuckDBWarehouse

    return DuckDBWarehouse(target, read_only=read_only)
