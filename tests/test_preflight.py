"""`regie run` refuses, before any work, what would fail later: one line, exit 2, nothing written."""

from __future__ import annotations

import re
import uuid

import pytest

from regie import preflight
from regie.config import Settings
from regie.quality import contacten
from regie.warehouse import WarehouseTargetError, normalise

from conftest import PG_BASE, ROOT, TEST_KEY, regie_env, run_regie
from quality_support import free_port


def _refused(tmp_path, *args: str, env=None):
    """Run `regie run` from an empty folder; return its one-line refusal."""
    landing = tmp_path / "landing"
    landing.mkdir(exist_ok=True)
    work = tmp_path / "cwd"
    work.mkdir(exist_ok=True)
    home = tmp_path / "home"
    result = run_regie("run", "--landing", str(landing), "--home", str(home), *args, env=env, cwd=work)
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    # nothing written: no home (logs, Airflow metadata, warehouse), nothing in the working folder
    assert not home.exists()
    assert list(work.iterdir()) == []
    return lines[0]


def test_a_warehouse_of_another_kind_is_refused(tmp_path):
    line = _refused(tmp_path, "--warehouse", "mssql://sa:geheim@127.0.0.1/regie")
    assert line == (
        "regie: the warehouse mssql://sa@127.0.0.1/regie is not supported: give a postgresql:// "
        "(or postgresql+psycopg://) URL or a DuckDB file path ending in .duckdb"
    )


def test_a_duckdb_path_must_end_in_duckdb(tmp_path):
    line = _refused(tmp_path, "--warehouse", str(tmp_path / "wh.db"))
    assert line == (
        f"regie: the warehouse {tmp_path / 'wh.db'} is not a DuckDB file: a DuckDB warehouse is a path "
        "ending in .duckdb; for PostgreSQL give a postgresql:// URL"
    )


def test_postgresql_psycopg_urls_are_accepted_and_normalised(tmp_path, pg_url, key_env):
    assert normalise("postgresql+psycopg://u:p@h:5433/db?sslmode=require") == (
        "postgresql://u:p@h:5433/db?sslmode=require"
    )
    assert normalise("postgres://u@h/db") == "postgresql://u@h/db"
    assert normalise("data/x.duckdb") == "data/x.duckdb"
    with pytest.raises(WarehouseTargetError):
        Settings.resolve({"warehouse": "sqlite:///x.db", "home": str(tmp_path)})
    (tmp_path / "landing").mkdir()
    given = pg_url.replace("postgresql://", "postgresql+psycopg://")
    checked = preflight.check({"home": str(tmp_path), "warehouse": given})
    assert checked.settings.warehouse == pg_url


@pytest.mark.postgres
def test_a_missing_postgres_database_is_refused(tmp_path):
    name = f"regie_missing_{uuid.uuid4().hex[:8]}"
    line = _refused(tmp_path, "--warehouse", f"{PG_BASE}/{name}")
    assert line == (
        f"regie: the PostgreSQL warehouse database {name} does not exist on 127.0.0.1:5432; "
        f"create it first (createdb -h 127.0.0.1 -p 5432 {name})"
    )


def test_an_unreachable_postgres_server_is_refused(tmp_path):
    port = free_port()  # nothing listens there
    line = _refused(tmp_path, "--warehouse", f"postgresql://postgres@127.0.0.1:{port}/regie")
    assert (
        line == f"regie: cannot reach the PostgreSQL warehouse server at 127.0.0.1:{port}: Connection refused"
    )


def test_a_missing_key_is_refused(tmp_path):
    env = regie_env()
    env.pop("REGIE_PSEUDONIEM_SLEUTEL")
    line = _refused(tmp_path, env=env)
    assert line.startswith("regie: no pseudonymisation key: set REGIE_PSEUDONIEM_SLEUTEL")


def test_a_missing_landing_zone_is_refused(tmp_path):
    line = _refused(tmp_path, "--landing", str(tmp_path / "nergens"))
    assert line == f"regie: the landing zone {tmp_path / 'nergens'} does not exist"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the layout from the issue: a flat mapping without `gemeenten:`
        (
            "GM1916: [a@lv.example.nl]\n",
            "line 1: unknown key 'GM1916' in the contacts file (allowed: afzender, beheer, antwoord_aan, hersteltermijn_dagen, gemeenten)",
        ),
        (
            "afzender: regie <r@example.nl>\ngemeenten:\n  GM1916:\n    naam: LV\n    adres: [a@lv.example.nl]\n",
            "line 5: unknown key 'adres' in GM1916 (allowed: naam, aan, antwoord_aan, hersteltermijn_dagen)",
        ),
        ("gemeenten:\n  GM1916:\n    naam: LV\n", "line 3: GM1916: 'aan' is missing (where the mail goes)"),
        ("gemeenten:\n  GM19: [a@b.nl]\n", "line 2: 'GM19' is not a gemeentecode (GM and 4 digits)"),
        ("beheer: [ops@example.nl, geen-adres]\n", "line 1: 'geen-adres' is not an e-mail address"),
        ("gemeenten: [1, 2]\n", "line 1: 'gemeenten' must map each gemeentecode to its addresses"),
        ("gemeenten:\n  GM1916: [a@b.nl]\n  '1916': [c@d.nl]\n", "line 3: GM1916 appears twice"),
        ("gemeenten:\n  GM1916: [a@b.nl\n", "line 3: not valid YAML"),
    ],
)
def test_a_contacts_file_of_another_layout_is_refused_with_its_line(tmp_path, text, expected):
    book = tmp_path / "contacten.yml"
    book.write_text(text)
    line = _refused(tmp_path, "--contacten", str(book))
    assert line.startswith(f"regie: contacts file {book}, {expected}"), line


def test_a_missing_contacts_file_is_refused(tmp_path):
    line = _refused(tmp_path, "--contacten", str(tmp_path / "nergens.yml"))
    assert line == f"regie: contacts file {tmp_path / 'nergens.yml'} does not exist"


def test_contacts_file_with_beheer_reads(tmp_path):
    book = tmp_path / "c.yml"
    book.write_text(
        "afzender: regie <regie@example.nl>\n"
        "beheer:\n  naam: Team data\n  aan: [ops@example.nl]\n"
        "gemeenten:\n  '1916': {naam: LV, aan: [a@lv.example.nl, b@lv.example.nl]}\n  GM0626: x@v.example.nl\n"
    )
    read = contacten.laad(book)
    assert read.beheer == contacten.Contact("beheer", ("ops@example.nl",), "Team data")
    assert read.adressen("GM1916") == ("a@lv.example.nl", "b@lv.example.nl")
    assert read.adressen("GM0626") == ("x@v.example.nl",)
    assert read.afzender == "regie <regie@example.nl>"


def test_every_field_of_the_contacts_schema_is_documented():
    """docs/quality.md describes the layout that contacten.SCHEMA declares, field by field."""
    doc = (ROOT / "docs" / "quality.md").read_text(encoding="utf-8")
    section = doc.split("## The contacts file", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", section, re.MULTILINE))
    declared = {v.naam for v in contacten.SCHEMA} | {v.naam for v in contacten.CONTACT}
    assert documented == declared


def test_a_good_run_is_not_refused(tmp_path, monkeypatch):
    """The checks pass on what the example files describe (no work is done here)."""
    monkeypatch.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
    (tmp_path / "landing").mkdir()
    checked = preflight.check(
        {
            "home": str(tmp_path / "h"),
            "landing": str(tmp_path / "landing"),
            "warehouse": str(tmp_path / "wh.duckdb"),
        },
        str(ROOT / "expectations" / "contacten.example.yml"),
    )
    assert checked.contacten.beheer is not None
    assert not (tmp_path / "h").exists() and not (tmp_path / "wh.duckdb").exists()


def test_serve_refuses_celery_without_postgres_metadata(tmp_path):
    line = _refused_serve(tmp_path, "--executor", "celery")
    assert (
        line
        == "regie: --executor celery needs --metadata postgresql://...: Celery workers cannot share SQLite"
    )


def test_serve_refuses_an_interval_it_cannot_read(tmp_path):
    line = _refused_serve(tmp_path, "--every", "soms")
    assert line == "regie: --every: 'soms' is neither an interval (30s, 5m, 1h) nor a cron expression"


@pytest.mark.postgres
def test_serve_refuses_a_missing_metadata_database_and_an_unreachable_broker(tmp_path):
    name = f"regie_missing_{uuid.uuid4().hex[:8]}"
    line = _refused_serve(tmp_path, "--metadata", f"{PG_BASE}/{name}")
    assert line.startswith(f"regie: the PostgreSQL metadata database {name} does not exist on 127.0.0.1:5432")
    port = free_port()
    line = _refused_serve(
        tmp_path,
        "--executor",
        "celery",
        "--metadata",
        f"{PG_BASE}/postgres",
        "--broker",
        f"redis://127.0.0.1:{port}/0",
    )
    assert line.startswith(f"regie: cannot reach the Celery broker at redis://127.0.0.1:{port}/0")


def _refused_serve(tmp_path, *args: str) -> str:
    landing = tmp_path / "landing"
    landing.mkdir(exist_ok=True)
    home = tmp_path / "home"
    result = run_regie("serve", "--landing", str(landing), "--home", str(home), *args, timeout=120)
    assert result.returncode == 2, result.stdout[-2000:] + result.stderr[-2000:]
    assert not home.exists()
    (line,) = result.stderr.splitlines()
    return line
