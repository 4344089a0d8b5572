"""The tables the quality checks write (DuckDB and PostgreSQL alike).

- ``marts.fct_registratiekwaliteit``: per gemeente, check and run the records
  checked, failed and passed; appended per run (a rerun of the same run
  replaces its own rows). For a delivery check on a national source (DUO,
  COA, ...) ``gemeentecode`` is empty and ``bron`` names the source. Its
  columns are declared once, in the dbt project
  (``models/marts/fct_registratiekwaliteit.yml``, name and data_type): dbt
  builds the empty incremental model from them, and regie reads them here to
  create the table before dbt ran and to write it. regie never alters the
  table and writes the columns it has (an older declaration may have fewer).
- ``audit.kwaliteit_bevindingen``: the failing records of each run, by
  klantnummer or another kenmerk; the mails and their attachments are built
  from here, and "what changed" compares two runs of it. No identifier.
- ``audit.kwaliteit_beoordelingen``: per peildatum the delivered files the
  blocking checks judged before the last build (staging uses no other file).
- ``audit.kwaliteit_blokkades``: per peildatum the deliveries held back by a
  failing blocking check, for which gemeenten, and which delivery stays in force.
  Staging reads both (dbt sources); see regie.quality.blocking.
- ``audit.meldingen``: every alert: to whom, whether it was delivered, and what
  it was about (a fingerprint): the next mail goes only when that changed since
  the last mail the gemeente received. One row per mail, written as soon as the
  mail is sent, so a run killed while mailing is resumed without a duplicate.
- ``audit.kwaliteit_controles``: the checks of the latest run, with their explanation.
"""

from __future__ import annotations

from ..warehouse import Warehouse, work_schema
from ..warehouse.schema import Table

#: The dbt model whose columns this table has: declared once, in its yml (name and data_type).
MART_YML = ("models", "marts", "fct_registratiekwaliteit.yml")


def _mart_kolommen() -> tuple[tuple[str, str], ...]:
    """The columns of marts.fct_registratiekwaliteit as the dbt project declares them."""
    import yaml

    from ..transform.project import project_dir

    doc = yaml.safe_load(project_dir().joinpath(*MART_YML).read_text(encoding="utf-8"))
    model = next(m for m in doc["models"] if m["name"] == "fct_registratiekwaliteit")
    return tuple((c["name"], c["data_type"]) for c in model["columns"])


REGISTRATIEKWALITEIT = Table("marts", "fct_registratiekwaliteit", _mart_kolommen())

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

#: One row per delivered file version the blocking checks judged for a peildatum: the
#: files in force in the state the checks saw, and the files they held back.
BEOORDELINGEN = Table(
    "audit",
    "kwaliteit_beoordelingen",
    (
        ("peildatum", "date"),
        ("path", "varchar"),
        ("versie", "integer"),
        ("bron", "varchar"),
        ("uitvoerder", "varchar"),
        ("leverdatum", "date"),
        ("run_id", "varchar"),
        ("beoordeeld_op", "timestamp"),
    ),
)

#: One row per delivery held back and the gemeente it is held back for: the gemeente of
#: the failing records (a municipal delivery: the woongemeente, else the uitvoerder).
#: That gemeente's rows of the delivery are replaced by those of the latest earlier
#: delivery not held back for it; every other gemeente keeps the delivery.
BLOKKADES = Table(
    "audit",
    "kwaliteit_blokkades",
    (
        ("peildatum", "date"),
        ("bron", "varchar"),
        ("uitvoerder", "varchar"),  # municipal: the delivering gemeente; national: null
        ("leverdatum", "date"),
        ("levering", "varchar"),  # the delivery folder, e.g. gemeente/GM1916/2025-02-25
        ("gemeentecode", "varchar"),  # the gemeente whose rows are held back
        ("controles", "varchar"),
        ("afgekeurd", "bigint"),  # failing records of that gemeente in the delivery
        ("in_kracht_leverdatum", "date"),  # the delivery that stays in force; null: none
        ("besluit", "varchar"),
        ("run_id", "varchar"),
        ("vastgesteld_op", "timestamp"),
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
        ("vingerafdruk", "varchar"),  # what the mail is about (regie.quality.meldingen.vingerafdruk)
        ("signalen", "varchar"),  # JSON list of the titles of the signals it named
        ("peildatum", "date"),
        ("rapport", "varchar"),  # the monitor report it carried (file name), if any
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

TABLES = (REGISTRATIEKWALITEIT, BEVINDINGEN, BEOORDELINGEN, BLOKKADES, MELDINGEN, CONTROLES)


def registratiekwaliteit(wh: Warehouse) -> Table:
    """The quality mart where this warehouse builds it (``marts__werk`` in PostgreSQL; see regie.publish)."""
    return Table(work_schema(wh.kind, "marts"), REGISTRATIEKWALITEIT.name, REGISTRATIEKWALITEIT.columns)


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
    mart = registratiekwaliteit(wh)
    for schema in ("audit", mart.schema):
        wh.execute(f"create schema if not exists {schema}")
    for table in TABLES:
        if table is REGISTRATIEKWALITEIT:
            wh.execute(mart.ddl())
            continue
        wh.execute(table.ddl())
        have = set(kolommen(wh, table))
        for name, sql_type in table.columns:
            if name not in have:
                wh.execute(f"alter table {table.qualified} add column {name} {sql_type}")
