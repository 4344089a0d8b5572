"""One small interface, two backends: a DuckDB file or a PostgreSQL database.

``connect(target)`` takes what the user typed after ``--warehouse``: a path
ending in ``.duckdb`` or a ``postgresql://`` URL. :func:`normalise` is the one
place that decides what is a warehouse: ``postgresql+psycopg://`` (SQLAlchemy's
spelling, which Airflow users know) and libpq's ``postgres://`` become
``postgresql://``; any other scheme, or a path not ending in ``.duckdb``, is
refused instead of becoming a DuckDB file with a strange name.
"""

from __future__ import annotations

from .base import LedgerRow, Warehouse, WarehouseKeyError

__all__ = [
    "LedgerRow",
    "PUBLISHED_SCHEMAS",
    "Warehouse",
    "WarehouseKeyError",
    "WarehouseTargetError",
    "connect",
    "describe",
    "is_postgres",
    "normalise",
    "work_schema",
]

#: The schemas BI reads. regie builds them in a work area and publishes them at once
#: (regie.publish): in DuckDB the work area is the --warehouse file and the publication a
#: second file; in PostgreSQL the work area is ``<schema>__werk`` in the same database.
PUBLISHED_SCHEMAS = ("marts", "publiek", "historie")

#: Suffix of the work schemas in PostgreSQL (dbt_project/macros/generate_schema_name.sql
#: says the same for marts).
WORK_SUFFIX = "__werk"

#: Spellings of a PostgreSQL URL that regie accepts; all become ``postgresql://``.
POSTGRES_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")


class WarehouseTargetError(ValueError):
    """``--warehouse`` (or REGIE_WAREHOUSE) names no warehouse regie can use."""


def normalise(target: str) -> str:
    """The canonical form of a warehouse target; refuses anything else with a clear reason."""
    text = str(target).strip()
    for scheme in POSTGRES_SCHEMES:
        if text.lower().startswith(scheme):
            return "postgresql://" + text[len(scheme) :]
    if "://" in text:
        raise WarehouseTargetError(
            f"the warehouse {describe(text)} is not supported: give a postgresql:// "
            "(or postgresql+psycopg://) URL or a DuckDB file path ending in .duckdb"
        )
    if not text.endswith(".duckdb"):
        raise WarehouseTargetError(
            f"the warehouse {text} is not a DuckDB file: a DuckDB warehouse is a path ending "
            "in .duckdb; for PostgreSQL give a postgresql:// URL"
        )
    return text


def is_postgres(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def describe(target: str) -> str:
    """The target without a password, safe to print and log."""
    if "://" in target and "@" in target:
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
