"""The tables regie writes at ingest: ``audit`` (the ledger) and ``raw``.

One description serves both backends; the types used here mean the same in
DuckDB and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..sources.catalog import SOURCES
from ..sources.spec import Column, Source

SQL_TYPES = {
    "text": "varchar",
    "int": "bigint",
    "decimal": "numeric(18,2)",
    "date": "date",
    "bool": "boolean",
    "code": "varchar",
    "gemeentecode": "varchar",
    "periode": "varchar",
    "bsn": "varchar",
    "vnummer": "varchar",
}

#: Provenance columns on every raw row.
META_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_bestand", "varchar"),  # path relative to the landing root
    ("_versie", "integer"),  # version of that path (1, 2, ... on changed re-delivery)
    ("_leverdatum", "date"),  # the delivery (folder) date
    ("_regelnummer", "bigint"),  # physical line in the file (header is line 1)
)
UITVOERDER_COLUMN = ("_uitvoerder", "varchar")  # gemeente files: delivering gemeente
AANBIEDER_COLUMN = ("_aanbieder", "varchar")  # begeleiding files: the delivering provider
EXTRA_COLUMN = ("_extra", "varchar")  # JSON object of columns the contract does not name
CHILD_COLUMNS = (("persoon_id", "varchar"), ("_volgnummer", "integer"))


def age_column(col: Column) -> str:
    assert col.age_on
    return "leeftijd_bij_" + col.age_on.removeprefix("datum_")


def value_columns(columns: tuple[Column, ...]) -> list[tuple[str, str]]:
    """Raw (name, type) for a list of delivered columns."""
    out: list[tuple[str, str]] = []
    for col in columns:
        if col.kind == "geboortedatum":
            # data minimisation: the date itself is never stored
            out.append(("geboortejaar", "integer"))
            out.append((age_column(col), "integer"))
        else:
            out.append((col.target, SQL_TYPES[col.kind]))
    return out


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    columns: tuple[tuple[str, str], ...]

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    def ddl(self) -> str:
        cols = ",\n  ".join(f"{n} {t}" for n, t in self.columns)
        return f"create table if not exists {self.qualified} (\n  {cols}\n)"


def raw_tables(source: Source) -> list[Table]:
    meta = list(META_COLUMNS)
    if source.per_gemeente:
        meta.append(UITVOERDER_COLUMN)
    if source.per_aanbieder:
        meta.append(AANBIEDER_COLUMN)
    tables = [Table("raw", source.table, tuple(meta + value_columns(source.columns) + [EXTRA_COLUMN]))]
    for child in source.children:
        tables.append(
            Table(
                "raw",
                f"{source.bron}__{child.table}",
                tuple(meta + list(CHILD_COLUMNS) + value_columns(child.columns)),
            )
        )
    return tables


BESTANDEN = Table(
    "audit",
    "bestanden",
    (
        ("path", "varchar"),
        ("bron", "varchar"),
        ("entiteit", "varchar"),
        ("uitvoerder", "varchar"),
        ("leverdatum", "date"),
        ("sha256", "varchar"),
        ("versie", "integer"),
        ("status", "varchar"),  # geladen | quarantaine | duplicaat
        ("reden", "varchar"),
        ("rijen_in", "bigint"),
        ("rijen_geladen", "bigint"),
        ("rijen_afgewezen", "bigint"),
        ("geladen_op", "timestamp"),
        ("bytes", "bigint"),
        ("mtime_ns", "bigint"),
        ("encoding", "varchar"),
        ("extra_kolommen", "varchar"),
        ("ontbrekende_kolommen", "varchar"),
        ("archief", "varchar"),
        ("run_id", "varchar"),
    ),
)

AFGEWEZEN_RIJEN = Table(
    "audit",
    "afgewezen_rijen",
    (
        ("path", "varchar"),
        ("versie", "integer"),
        ("regelnummer", "bigint"),
        ("reden", "varchar"),
    ),
)

SLEUTEL = Table(
    "audit",
    "sleutel",
    (("vingerafdruk", "varchar"), ("vastgelegd_op", "timestamp")),
)

AUDIT_TABLES = (BESTANDEN, AFGEWEZEN_RIJEN, SLEUTEL)


def all_tables() -> list[Table]:
    out = list(AUDIT_TABLES)
    for src in SOURCES:
        out.extend(raw_tables(src))
    return out


def ddl_statements() -> list[str]:
    stmts = ["create schema if not exists audit", "create schema if not exists raw"]
    stmts.extend(t.ddl() for t in all_tables())
    return stmts
