"""`regie run` on the generator's landing zone, through the real Airflow DAGs,
into a DuckDB file and into PostgreSQL: every file and row accounted for,
and no identifier or birth date anywhere it must not be.
"""

from __future__ import annotations

import collections
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from regie.sources.catalog import SOURCES
from regie.warehouse import connect

from conftest import TEST_KEY, regie_env, run_regie
from privacy import needles, scan_files, scan_warehouse

pytestmark = pytest.mark.slow

RAW_TABLE = {f"{s.bron}/{s.filename}": s.table for s in SOURCES}


def _raw_table(relpath: str) -> str:
    parts = relpath.split("/")
    return RAW_TABLE[f"{parts[0]}/{parts[-1]}"]


def _expected_raw_counts(manifest) -> dict[str, int]:
    counts: dict[str, int] = collections.Counter()
    for rel, info in manifest.files.items():
        counts[_raw_table(rel)] += info.rows - len(info.planted_rejects)
    return counts


def _assert_ledger_matches(wh, manifest, run_id=None):
    rows = wh.query(
        "select path, status, rijen_in, rijen_geladen, rijen_afgewezen, versie, encoding from audit.bestanden"
    )
    by_path = {r[0]: r for r in rows}
    assert sorted(by_path) == sorted(manifest.files), "one ledger row per generated file"
    for rel, info in manifest.files.items():
        path, status, rin, loaded, rejected, versie, encoding = by_path[rel]
        assert (status, versie) == ("geladen", 1), rel
        assert rin == info.rows, rel
        assert rejected == len(info.planted_rejects), rel
        assert loaded == info.rows - len(info.planted_rejects), rel
        assert encoding == info.encoding, rel
    rejected_lines = sorted(wh.query("select path, regelnummer from audit.afgewezen_rijen"))
    planted = sorted((rel, r.line) for rel, info in manifest.files.items() for r in info.planted_rejects)
    assert rejected_lines == planted
    # raw holds exactly the loaded rows, per table
    for table, expected in _expected_raw_counts(manifest).items():
        (n,) = wh.query(f"select count(*) from raw.{table}")[0]
        assert n == expected, table


def _owner_only(root: Path) -> list[str]:
    """Everything below ``root`` that is not 0700 (folders) or 0600 (files)."""
    wrong = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_symlink():
            continue
        if mode != (0o700 if path.is_dir() else 0o600):
            wrong.append(f"{path.relative_to(root.parent)} {oct(mode)}")
    return wrong


def _secret_in(root: Path, secret: str) -> list[str]:
    return [
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()
    ]


def test_run_on_duckdb_accounts_for_every_file_and_row(reference_run, tmp_path):
    # the session's uninterrupted run (conftest.reference_run), copied: this test changes it
    manifest = reference_run["manifest"]
    for part in ("landing", "home", "wh"):
        shutil.copytree(reference_run["root"] / part, tmp_path / part)
    landing, home, warehouse = tmp_path / "landing", tmp_path / "home", tmp_path / "wh" / "regie.duckdb"
    result = reference_run["result"]
    out = result.stdout
    # the whole chain: raw, then the marts, then the quality checks and their scorecard
    assert "DAG transform" in out and "DAG quality" in out
    assert "Registratiekwaliteit (run" in out
    total_rows = sum(f.rows for f in manifest.files.values())
    rejected = sum(len(f.planted_rejects) for f in manifest.files.values())
    assert f"files:  {len(manifest.files)} loaded, 0 quarantined, 0 duplicate" in out
    assert f"rows:   {total_rows - rejected} loaded, {rejected} rejected" in out
    for dag_id in (
        "ingest_duo",
        "ingest_coa_tvs",
        "ingest_gemeente",
        "ingest_rijk_provincie",
        "ingest_begeleiding",
    ):
        assert f"DAG {dag_id}" in out

    with connect(str(warehouse), read_only=True) as wh:
        _assert_ledger_matches(wh, manifest)
        # every delivered file sits in the archive under its sha256
        for sha, archief in wh.query("select sha256, archief from audit.bestanden"):
            assert (home / archief).read_bytes() and archief.endswith(sha)
        # ... and the archive's own index maps every delivery to its bytes
        index = [line.split("\t") for line in (home / "archive" / "index.tsv").read_text().splitlines()]
        assert sorted((path, sha) for sha, path, _ in index) == sorted(
            wh.query("select path, sha256 from audit.bestanden")
        )

        ids, dates = needles(manifest.identifiers, manifest.birth_dates)
        assert ids and dates
        assert scan_warehouse(wh, ids, dates) == {}
    # file names, reasons, the archive index, logs, Airflow's metadata database (run parameters,
    # rendered fields, XComs) and dbt's artifacts: everything under home but the stored bytes
    assert scan_files(home, ids, dates, skip=[home / "archive" / "sha256", home / "quarantine"]) == {}
    assert _secret_in(home, TEST_KEY) == [] and _secret_in(warehouse.parent, TEST_KEY) == []
    # what holds personal data or run details is owner-only
    for place in ("archive", "logs", "airflow", "dbt", "quality"):
        assert _owner_only(home / place) == [], place
    assert _owner_only(warehouse.parent) == []

    # A second run finds nothing new: untouched files are not read again.
    again = run_regie(
        "run",
        "--until",
        "ingest",
        "--landing",
        str(landing),
        "--warehouse",
        str(warehouse),
        "--home",
        str(home),
    )
    assert again.returncode == 0, again.stdout[-3000:]
    assert "files:  0 loaded, 0 quarantined, 0 duplicate" in again.stdout

    # The same bytes delivered again are recorded as a duplicate, nothing loaded.
    rel = sorted(manifest.files)[0]
    data = (landing / rel).read_bytes()
    (landing / rel).unlink()
    (landing / rel).write_bytes(data)
    third = run_regie(
        "run",
        "--until",
        "ingest",
        "--landing",
        str(landing),
        "--warehouse",
        str(warehouse),
        "--home",
        str(home),
    )
    assert "files:  0 loaded, 0 quarantined, 1 duplicate" in third.stdout
    with connect(str(warehouse), read_only=True) as wh:
        (n,) = wh.query(f"select count(*) from raw.{_raw_table(rel)}")[0]
        assert n == _expected_raw_counts(manifest)[_raw_table(rel)]
        assert wh.query(
            "select status, versie from audit.bestanden where path = ? order by geladen_op", (rel,)
        ) == [
            ("geladen", 1),
            ("duplicaat", 1),
        ]


@pytest.mark.postgres
def test_run_on_postgres_accounts_for_every_file_and_row(generated, tmp_path, pg_url):
    landing_src, manifest = generated
    landing = tmp_path / "landing"
    shutil.copytree(landing_src, landing)
    home = tmp_path / "home"
    # a password in the URL, as a user may type it: it must end up nowhere (the test server
    # trusts local connections, so it is carried but not checked)
    password = "pw-" + "7Xq2Lm9Rt4"
    scheme, rest = pg_url.split("://", 1)
    user_host = rest if "@" in rest else "postgres@" + rest
    user, hostpart = user_host.split("@", 1)
    url = f"{scheme}://{user}:{password}@{hostpart}"
    # ingestion only: test_marts_report builds and compares the marts on PostgreSQL
    result = run_regie(
        "run", "--until", "ingest", "--landing", str(landing), "--warehouse", url, "--home", str(home)
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert password not in result.stdout + result.stderr
    with connect(pg_url) as wh:
        _assert_ledger_matches(wh, manifest)
        ids, dates = needles(manifest.identifiers, manifest.birth_dates)
        assert scan_warehouse(wh, ids, dates) == {}
    assert _secret_in(home, password) == []
    with sqlite3.connect(home / "airflow" / "airflow.db") as meta:
        confs = [row[0] for row in meta.execute("select conf from dag_run")]
    texts = [c if isinstance(c, str) else bytes(c).decode("latin-1") for c in confs]
    assert len(texts) == 5 and all("postgres" in t and password not in t for t in texts)  # 5 ingest DAGs
    assert _owner_only(home / "airflow") == [] and _owner_only(home / "logs") == []


def test_run_without_key_stops_with_a_clear_message(tmp_path):
    (tmp_path / "landing").mkdir()
    env = regie_env()
    env.pop("REGIE_PSEUDONIEM_SLEUTEL")
    result = run_regie(
        "run",
        "--until",
        "ingest",
        "--landing",
        str(tmp_path / "landing"),
        "--home",
        str(tmp_path / "h"),
        env=env,
    )
    assert result.returncode == 2
    assert "no pseudonymisation key" in result.stderr
    assert not (tmp_path / "h" / "warehouse").exists()


def test_run_refuses_a_warehouse_filled_with_another_key(generated, tmp_path):
    landing_src, manifest = generated
    landing = tmp_path / "landing"
    (landing / "provincie").mkdir(parents=True)
    rel = next(r for r in manifest.files if r.startswith("provincie/"))
    shutil.copytree(landing_src / os.path.dirname(rel), landing / os.path.dirname(rel))
    wh = str(tmp_path / "wh.duckdb")
    first = run_regie(
        "run",
        "--until",
        "ingest",
        "--landing",
        str(landing),
        "--warehouse",
        wh,
        "--home",
        str(tmp_path / "h"),
    )
    assert first.returncode == 0, first.stdout[-3000:]
    (landing / rel).write_bytes((landing / rel).read_bytes() + b"")
    os.utime(landing / rel, ns=(1, 1))
    other = regie_env(REGIE_PSEUDONIEM_SLEUTEL="another-key-" + "f" * 40)
    second = run_regie(
        "run", "--until", "ingest", "--landing", str(landing), "--warehouse", wh, "--home", str(tmp_path / "h"),
        env=other,
    )  # fmt: skip
    assert second.returncode == 1
    assert "ingest_rijk_provincie failed" in second.stdout


def test_demo_creates_a_key_says_so_and_starts_afresh(tmp_path):
    home = tmp_path / "demo"
    env = regie_env()
    env.pop("REGIE_PSEUDONIEM_SLEUTEL")
    first = run_regie("demo", "--home", str(home), env=env)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    key_file = home / "pseudoniem.key"
    assert f"demo: created a pseudonymisation key in {key_file}" in first.stdout
    assert "files:  36 loaded, 0 quarantined, 0 duplicate" in first.stdout
    # BI opens the published file; the work file is regie's own
    published = f"warehouse: {home / 'warehouse' / 'regie_publicatie.duckdb'}"
    assert any(line.startswith(published) for line in first.stdout.splitlines())
    assert f"  work:        {home / 'warehouse' / 'regie.duckdb'}" in first.stdout
    # the default peildatum is the latest delivery, not today
    assert "Inburgeraars per huidige leerroute op 2025-02-25:" in first.stdout
    # the headline figures from the marts: the report's backlog on 31 October 2024
    backlog = {
        line.split()[0]: line.split()[1]
        for line in first.stdout.split("Achterstand huisvesting")[1].split("\n\n")[0].splitlines()[1:]
    }
    assert backlog == {
        "Leidschendam-Voorburg": "176",
        "Voorschoten": "40",
        "Wassenaar": "34",
        "Oegstgeest": "30",
        # Leiden is not in the report; its TVS figures are published although a blocking check
        # holds back its DUO and municipal deliveries: those do not feed COA's balance
        "Leiden": "167",
    }
    # one line per gemeente on maatschappelijke begeleiding: started per year as tables 8.22 and
    # 8.23 have it, still running and beyond the term at the peildatum
    mb = first.stdout.split("Maatschappelijke begeleiding: gestart per jaar")[1].split("\n\n")[0].splitlines()
    assert mb[1].split() == ["2022", "2023", "2024", "2025", "lopend", "te", "lang"]
    assert {line[:26].strip(): line[26:].split()[:3] for line in mb[2:]} == {
        "Leidschendam-Voorburg": ["17", "67", "29"],
        "Voorschoten": ["8", "29", "17"],
        "Wassenaar": ["8", "20", "8"],
        "Oegstgeest": ["26", "22", "21"],
        "Leiden": ["20", "27", "27"],  # not in the report: a third of the adults it housed
    }
    # costs against revenue (report §10.2) in each gemeente's latest year with realised costs
    geld = {
        line.split()[0]: line.split()[1:]
        for line in first.stdout.split("Kosten en baten inburgering")[1].split("\n\n")[0].splitlines()[2:]
    }
    assert geld["Leidschendam-Voorburg"] == ["2023", "1.341.926", "1.342.575", "649"]
    assert geld["Wassenaar"] == ["2023", "280.958", "463.393", "182.435"]
    assert geld["Voorschoten"] == ["2024", "686.700", "656.938", "-29.762"]
    assert "Registratiekwaliteit (run" in first.stdout
    assert (home / "dbt" / "docs" / "index.html").exists()
    key = key_file.read_text()

    second = run_regie("demo", "--until", "ingest", "--home", str(home), env=env)
    assert second.returncode == 0, second.stdout[-3000:]
    assert f"demo: using the pseudonymisation key in {key_file}" in second.stdout
    assert "files:  36 loaded, 0 quarantined, 0 duplicate" in second.stdout  # afresh, not duplicates
    assert key_file.read_text() == key


def test_demo_refuses_a_folder_it_did_not_create(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    result = run_regie("demo", "--home", str(tmp_path))
    assert result.returncode == 2
    assert "holds data that the demo did not create" in result.stderr
    assert (tmp_path / "precious.txt").read_text() == "keep me"
