"""One small interface, two backends: a DuckDB file or a PostgreSQL database.

``connect(target)`` takes what the user typed after ``--warehouse``: a path
ending in ``.duckdb`` or a ``postgresql://`` URL.
"""

from __future__ import annotations

from .base import LedgerRow, Warehouse, WarehouseKeyError

__all__ = ["LedgerRow", "Warehouse", "WarehouseKeyError", "connect", "is_postgres", "describe"]


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


def connect(target: str, *, read_only: bool = False) -> Warehouse:
    if is_postgres(target):
        from .postgres_backend import PostgresWarehouse

        return PostgresWarehouse(target)
    from .duckdb_backend import DuckDBWarehouse

    return DuckDBWarehouse(target, read_only=read_only)
