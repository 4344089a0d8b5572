"""What both warehouse backends offer the ingestion code."""

from __future__ import annotations

import contextlib
import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from . import schema


class WarehouseKeyError(RuntimeError):
    """The warehouse was filled with another pseudonymisation key."""


@dataclass
class LedgerRow:
    """One row of ``audit.bestanden``: what happened to one delivered file."""

    path: str
    bron: str | None
    entiteit: str | None
    uitvoerder: str | None
    leverdatum: dt.date | None
    sha256: str | None  # None: nothing was read (a link, a file that vanished)
    versie: int | None
    status: str  # geladen | quarantaine | duplicaat
    reden: str | None
    rijen_in: int
    rijen_geladen: int
    rijen_afgewezen: int
    geladen_op: dt.datetime
    bytes: int
    mtime_ns: int
    encoding: str | None = None
    extra_kolommen: str | None = None
    ontbrekende_kolommen: str | None = None
    archief: str | None = None
    run_id: str | None = None

    def __post_init__(self) -> None:
        if self.rijen_in != self.rijen_geladen + self.rijen_afgewezen:
            raise ValueError(f"row accounting broken for {self.path}")

    def values(self) -> tuple[Any, ...]:
        d = asdict(self)
        return tuple(d[name] for name, _ in schema.BESTANDEN.columns)


@dataclass(frozen=True)
class SeenFile:
    """The latest ledger entry for a path, as discovery needs it."""

    sha256: str
    versie: int | None
    status: str
    bytes: int
    mtime_ns: int


class Warehouse(ABC):
    kind: str

    @abstractmethod
    def execute(self, sql: str, params: tuple | list | None = None) -> None: ...

    @abstractmethod
    def query(self, sql: str, params: tuple | list | None = None) -> list[tuple]: ...

    @abstractmethod
    def query_arrow(self, sql: str, params: tuple | list | None = None) -> pa.Table:
        """A query's rows as an Arrow table, typed by the database."""

    @abstractmethod
    def query_frame(self, sql: str, params: tuple | list | None = None) -> pd.DataFrame:
        """A query's rows as a pandas DataFrame."""

    def insert_arrow(self, table: str, data: pa.Table) -> None:
        """Append an Arrow table's rows to ``table`` set-wise (columns matched by name)."""
        if data.num_rows:
            self._insert_arrow(table, data)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """Everything inside commits together, or nothing does when it raises."""
        self._begin()
        try:
            yield self
        except BaseException:
            self._rollback()
            raise
        self._commit()

    def has_relation(self, qualified: str) -> bool:
        """Whether ``schema.name`` exists as a table or view."""
        schema_name, name = qualified.split(".", 1)
        rows = self.query(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            (schema_name, name),
        )
        return bool(rows and rows[0][0])

    # -- backend internals: callers use transaction() and insert_arrow() --------
    @abstractmethod
    def _begin(self) -> None: ...

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def _insert_arrow(self, table: str, data: pa.Table) -> None: ...

    @abstractmethod
    def close(self) -> None: ...

    @contextlib.contextmanager
    def released(self) -> Iterator[None]:
        """Let go of the database while doing long work outside it (parsing).

        A no-op where concurrent writers are fine; DuckDB closes the file so
        other DAGs and read-only BI tools are not locked out meanwhile.
        """
        yield

    # -- shared behaviour ---------------------------------------------------
    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_schema(self) -> None:
        for stmt in schema.ddl_statements():
            self.execute(stmt)

    def check_key(self, fingerprint: str) -> None:
        """Record the key's fingerprint, or refuse a different key."""
        rows = self.query("select vingerafdruk from audit.sleutel")
        if not rows:
            self.execute(
                "insert into audit.sleutel values (?, ?)",
                (fingerprint, dt.datetime.now().replace(microsecond=0)),
            )
            return
        if rows[0][0] != fingerprint:
            raise WarehouseKeyError(
                "this warehouse was filled with a different pseudonymisation key "
                f"(fingerprint {rows[0][0]}, the configured key has {fingerprint}); "
                "pseudonyms would no longer link. Use the original key, or see "
                "docs/operations.md on key rotation."
            )

    def seen_files(self) -> dict[str, SeenFile]:
        """Latest ledger entry per path."""
        rows = self.query(
            """
            select path, sha256, versie, status, bytes, mtime_ns
            from (
                select *, row_number() over (partition by path order by geladen_op desc) as nr
                from audit.bestanden
            ) latest
            where nr = 1
            """
        )
        return {r[0]: SeenFile(r[1], r[2], r[3], r[4], r[5]) for r in rows}

    def current_version(self, path: str) -> tuple[str, int] | None:
        """(sha256, versie) of the version of ``path`` now in force, if any."""
        rows = self.query(
            "select sha256, versie from audit.bestanden "
            "where path = ? and status = 'geladen' order by versie desc limit 1",
            (path,),
        )
        return (rows[0][0], rows[0][1]) if rows else None

    def record(
        self,
        row: LedgerRow,
        tables: dict[str, pa.Table] | None = None,
        rejects: pa.Table | None = None,
    ) -> None:
        """Write one file's outcome in one transaction: raw rows, rejects, ledger."""
        with self.transaction():
            for name, data in (tables or {}).items():
                self.insert_arrow(name, data)
            if rejects is not None and rejects.num_rows:
                n = rejects.num_rows
                self.insert_arrow(
                    "audit.afgewezen_rijen",
                    pa.table(
                        {
                            "path": pa.array([row.path] * n, pa.string()),
                            "versie": pa.array([row.versie] * n, pa.int32()),
                            "regelnummer": rejects.column("regelnummer").cast(pa.int64()),
                            "reden": rejects.column("reden").cast(pa.string()),
                        }
                    ),
                )
            placeholders = ", ".join("?" for _ in schema.BESTANDEN.columns)
            self.execute(f"insert into audit.bestanden values ({placeholders})", row.values())
