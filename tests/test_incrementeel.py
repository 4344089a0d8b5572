"""After a new delivery, the incremental build gives exactly the tables a full rebuild gives.

The incremental models (``int_activiteiten__per_levering``: each delivered activities
file summarised once; ``historie.<mart>``: delete-and-insert per peildatum) keep what
earlier builds made. Their promise: a build after a new delivery - also one the blocking
checks hold back - gives the same marts, publiek, historie and intermediate tables, cell
by cell, as a full rebuild (``regie run --full-refresh``, ``transform.build(full_refresh=True)``)
on the same warehouse, and the same publication.
"""

from __future__ import annotations

import datetime as dt
import decimal
import shutil
from pathlib import Path

import duckdb
import pytest

from regie import transform
from regie.config import Settings

from quality_support import ingest

SCHEMAS = ("staging", "intermediate", "marts", "publiek", "historie")


def _cell(value):
    if isinstance(value, float):
        return round(value, 9)  # the same sum in another order may differ in the last bit
    if isinstance(value, decimal.Decimal):
        return value.normalize()
    return value


def snapshot(path: Path, schemas=SCHEMAS) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table of the schemas: its columns and its rows, sorted."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) and table_type = 'BASE TABLE' order by all",
            [list(schemas)],
        ).fetchall()
        out = {}
        for schema, table in tables:
            cur = con.execute(f'select * from "{schema}"."{table}"')
            columns = [d[0] for d in cur.description]
            rows = sorted((tuple(_cell(v) for v in row) for row in cur.fetchall()), key=repr)
            out[f"{schema}.{table}"] = (columns, rows)
        return out
    finally:
        con.close()


def assert_same(incremental: dict, full: dict) -> None:
    assert sorted(incremental) == sorted(full)
    for table, (columns, rows) in full.items():
        inc_columns, inc_rows = incremental[table]
        assert inc_columns == columns, table
        assert len(inc_rows) == len(rows), f"{table}: {len(inc_rows)} rows incremental, {len(rows)} full"
        for i, (a, b) in enumerate(zip(inc_rows, rows, strict=True)):
            assert a == b, f"{table}, row {i}: incremental {a} != full {b}"


def new_delivery(landing: Path, gemeente: str, days: int = 7) -> str:
    """The gemeente's latest delivery again, ``days`` later, rows in reverse order and the
    activities' last row left out (a real change); returns its folder."""
    root = landing / "gemeente" / gemeente
    latest = max(p for p in root.iterdir() if p.is_dir())
    later = (dt.date.fromisoformat(latest.name) + dt.timedelta(days=days)).isoformat()
    target = root / later
    target.mkdir()
    for f in sorted(latest.iterdir()):
        head, _, body = f.read_bytes().partition(b"\n")
        lines = [line for line in body.split(b"\n") if line]
        if f.name == "activiteiten.csv":
            lines = lines[:-1]
        (target / f.name).write_bytes(head + b"\n" + b"\n".join(reversed(lines)) + b"\n")
    return f"gemeente/{gemeente}/{later}"


@pytest.mark.slow
def test_a_new_delivery_builds_the_same_tables_as_a_full_rebuild(generated, tmp_path, key_env):
    source, _ = generated
    landing = tmp_path / "landing"
    shutil.copytree(source, landing)
    home, warehouse = tmp_path / "home", tmp_path / "regie.duckdb"
    settings = Settings.resolve({"home": str(home), "landing": str(landing), "warehouse": str(warehouse)})

    ingest(landing, home, warehouse, run_id="eerste")
    first = transform.build(settings, docs=False)
    assert first.ok, first.summary() + "\n" + first.output[-3000:]

    # Leidschendam-Voorburg delivers for Voorschoten and Wassenaar too; Leiden's latest delivery
    # is held back by the blocking checks, and so is its copy: that gemeente keeps an older one
    folders = [new_delivery(landing, gemeente) for gemeente in ("GM1916", "GM0546")]
    ingest(landing, home, warehouse, run_id="tweede")
    incremental = transform.build(settings, docs=False)
    assert incremental.ok, incremental.summary() + "\n" + incremental.output[-3000:]
    assert incremental.peildatum > first.peildatum  # the new deliveries moved the peildatum on
    held_back = {(b["levering"], b["gemeentecode"]) for b in incremental.blokkades}
    assert (folders[1], "GM0546") in held_back, sorted(held_back)
    per_levering = {
        n.unique_id: n.status
        for n in incremental.nodes
        if n.unique_id.endswith("int_activiteiten__per_levering")
    }
    assert per_levering == {"model.regie.int_activiteiten__per_levering": "success"}
    built = snapshot(warehouse)
    published = snapshot(tmp_path / "regie_publicatie.duckdb", ("marts", "publiek", "historie"))
    con = duckdb.connect(str(warehouse), read_only=True)
    try:  # every delivered activities file summarised once: the new ones added, none twice
        summarised, files, twice = con.execute(
            "select (select count(distinct bestand) from intermediate.int_activiteiten__per_levering), "
            "(select count(distinct path) from audit.bestanden where status = 'geladen' "
            "and bron = 'gemeente' and entiteit = 'activiteiten'), "
            "(select count(*) from (select bestand, versie, klantnummer, soort, periode_start, count(*) "
            "from intermediate.int_activiteiten__per_levering group by all having count(*) > 1))"
        ).fetchone()
    finally:
        con.close()
    assert (summarised, twice) == (files, 0)

    full = transform.build(settings, docs=False, full_refresh=True)
    assert full.ok, full.summary() + "\n" + full.output[-3000:]
    assert full.peildatum == incremental.peildatum
    assert_same(built, snapshot(warehouse))
    assert_same(published, snapshot(tmp_path / "regie_publicatie.duckdb", ("marts", "publiek", "historie")))
