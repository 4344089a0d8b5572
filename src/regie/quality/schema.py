"""The tables the quality checks write (DuckDB and PostgreSQL alike).

- ``marts.fct_registratiekwaliteit``: per gemeente, check and run the records
  checked, failed and passed; appended per run (a rerun of the same run
  replaces its own rows). For a delivery check on a national source (DUO,
  COA, ...) ``gemeentecode`` is empty and ``bron`` names the source. The dbt
  project declares the same table (an incremental model without rows of its
  own) so BI finds it documented; regie never alters it and writes the
  columns it has.
- ``audit.kwaliteit_bevindingen``: the failing records of each run, by
  klantnummer or another kenmerk; the mails and their attachments are built
  from here, and "what changed" compares two runs of it. No identifier.
- ``audit.kwaliteit_blokkades``: per run the (bron, gemeente) pairs whose marts
  kept their previous publication because of a failing blocking check.
- ``audit.meldingen``: every alert: to whom, whether it was delivered.
- ``audit.kwaliteit_controles``: the checks of the latest run, with their explanation.
"""

from __future__ import annotations

from ..warehouse import Warehouse
from ..warehouse.schema import Table

REGISTRATIEKWALITEIT = Table(
    "marts",
    "fct_registratiekwaliteit",
    (
        ("gemeentecode", "varchar"),
        ("gecontroleerd_op", "timestamp"),
        ("controle", "varchar"),
        ("ernst", "varchar"),
        ("gecontroleerd", "bigint"),
        ("afgekeurd", "bigint"),
        ("geslaagd", "bigint"),
        ("run_id", "varchar"),
        ("peildatum", "date"),
        ("bron", "varchar"),
        ("categorie", "varchar"),
        ("omschrijving", "varchar"),
    ),
)

BEVINDINGEN = Table(
    "audit",
    "kwaliteit_bevindingen",
    (
        ("run_id", "varchar"),
        ("gecontroleerd_op", "timestamp"),
        ("gemeentecode", "varchar"),
        ("controle", "varchar"),
        ("ernst", "varchar"),
        ("domein", "varchar"),
        ("bron", "varchar"),
        ("bestand", "varchar"),
        ("regelnummer", "bigint"),
        ("klantnummer", "varchar"),
        ("kenmerk", "varchar"),
        ("bevinding", "varchar"),
        ("sleutel", "varchar"),
    ),
)

BLOKKADES = Table(
    "audit",
    "kwaliteit_blokkades",
    (
        ("run_id", "varchar"),
        ("vastgesteld_op", "timestamp"),
        ("bron", "varchar"),
        ("gemeentecode", "varchar"),
        ("controles", "varchar"),
        ("afgekeurd", "bigint"),
        (
            "besluit",
            "varchar",
        ),  # vastgesteld | vorige publicatie behouden | ingehouden (geen vorige publicatie)
        ("tabellen", "varchar"),
    ),
)

MELDINGEN = Table(
    "audit",
    "meldingen",
    (
        ("run_id", "varchar"),
        ("gemeentecode", "varchar"),
        ("aan", "varchar"),
        ("onderwerp", "varchar"),
        ("status", "varchar"),  # verzonden | niet_afgeleverd | geen_adres
        ("pogingen", "integer"),
        ("fout", "varchar"),
        ("bevindingen", "bigint"),
        ("gemeenten", "varchar"),  # whose records the mail holds
        ("verwerkt_op", "timestamp"),
    ),
)

#: The checks as they were run last: what each means, for the mails and for BI.
CONTROLES = Table(
    "audit",
    "kwaliteit_controles",
    (
        ("controle", "varchar"),
        ("naam", "varchar"),
        ("uitleg", "varchar"),
        ("ernst", "varchar"),
        ("categorie", "varchar"),
        ("domein", "varchar"),
        ("volgorde", "integer"),
    ),
)

TABLES = (REGISTRATIEKWALITEIT, BEVINDINGEN, BLOKKADES, MELDINGEN, CONTROLES)


def kolommen(wh: Warehouse, table: Table) -> list[str]:
    return [
        r[0]
        for r in wh.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position",
            (table.schema, table.name),
        )
    ]


def ensure(wh: Warehouse) -> None:
    """Create the tables; add the columns an older audit table lacks.

    The mart is left as it is when it exists: the dbt project declares it as an
    incremental model, and a column dbt does not know would break dbt's next
    append. regie then writes the columns the table has.
    """
    for schema in ("audit", "marts"):
        wh.execute(f"create schema if not exists {schema}")
    for table in TABLES:
        wh.execute(table.ddl())
        if table is REGISTRATIEKWALITEIT:
            continue
        have = set(kolommen(wh, table))
        for name, sql_type in table.columns:
            if name not in have:
                wh.execute(f"alter table {table.qualified} add column {name} {sql_type}")
