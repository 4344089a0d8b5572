"""Issue 13: how files are grouped into load tasks, scanned while archived, and loaded side by side.

* ``discover`` joins whole deliveries into load tasks of at least ``BATCH_FILES`` files;
* the scan made while a file is hashed and archived says exactly what a second read says
  (encoding, lines, stray bytes, byte-order marks, the refusals), whatever the chunk size;
* on PostgreSQL a load task loads different deliverers side by side and the ledger and
  ``raw`` end up exactly as on DuckDB, one after another.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from regie import tasks
from regie.ingest.errors import FileRejected
from regie.ingest.reader import Scanner, decode
from regie.warehouse import connect


def test_whole_deliveries_are_joined_into_tasks_of_at_least_the_batch_size():
    deliveries = [["a/1", "a/2"], ["b/1"], [f"c/{i}" for i in range(5)], ["d/1"], ["e/1"]]
    assert tasks.batches(deliveries, size=3) == [
        ["a/1", "a/2", "b/1"],
        [f"c/{i}" for i in range(5)],  # never split, also when larger than the batch
        ["d/1", "e/1"],
    ]
    assert tasks.batches([], size=3) == []
    assert tasks.batches(deliveries, size=1) == deliveries


SAMPLES = {
    "utf8": "klantnummer;naam\nK1;Zoë\nK2;Ölçer\n".encode(),
    "utf8_bom": b"\xef\xbb\xbf" + "klantnummer;naam\nK1;Zoë\n".encode(),
    "bom_inside": "klantnummer;naam\nK1;\ufeffZoë\n".encode(),
    "bom_split_over_chunks": b"klantnummer;naam\nK1;abcd" + b"\xef\xbb\xbf" + b"x\n",
    "cp1252": "klantnummer;naam\nK1;Zoë\n".encode("cp1252"),
    "stray_byte": "klantnummer;naam\nK1;Zoë\n".encode() + b"K2;B\xe9rt\n",
    "no_final_newline": b"klantnummer;naam\nK1;Jan",
    "ascii": b"klantnummer;naam\nK1;Jan\n",
    "nul": b"klantnummer;naam\nK1;J\x00n\n",
    "empty": b"",
}


def _outcome(path: Path, workdir: Path, scanned: Scanner | None):
    try:
        d = decode(path, workdir, scanned)
    except FileRejected as exc:
        return ("rejected", str(exc))
    text = d.text_path.read_bytes()
    return (d.encoding, d.newlines, d.ends_with_newline, d.size, d.stray_bytes, d.inner_bom, text)


@pytest.mark.parametrize("name", sorted(SAMPLES))
@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 20])
def test_the_scan_made_while_archiving_says_what_a_second_read_says(tmp_path, name, chunk):
    path = tmp_path / "bestand.csv"
    path.write_bytes(SAMPLES[name])
    scanner = Scanner()
    data = SAMPLES[name]
    for i in range(0, len(data), chunk):
        scanner.feed(data[i : i + chunk])
    reread = tmp_path / "reread"
    reread.mkdir()
    fed = tmp_path / "fed"
    fed.mkdir()
    assert _outcome(path, fed, scanner) == _outcome(path, reread, None)


def test_the_scan_finds_a_byte_order_mark_after_the_start_only(tmp_path):
    def inner(data: bytes) -> bool:
        path = tmp_path / "x.csv"
        path.write_bytes(data)
        return decode(path, tmp_path).inner_bom

    assert inner(SAMPLES["utf8_bom"]) is False
    assert inner(SAMPLES["ascii"]) is False
    assert inner(SAMPLES["bom_inside"]) is True
    assert inner(SAMPLES["bom_split_over_chunks"]) is True


def _ledger_and_raw(warehouse: str) -> tuple[list, dict]:
    with connect(warehouse) as wh:
        ledger = sorted(
            wh.query(
                "select path, status, versie, rijen_in, rijen_geladen, rijen_afgewezen, sha256, reden "
                "from audit.bestanden"
            )
        )
        raw = {
            table: wh.query(f"select count(*), count(distinct _bestand) from raw.{table}")[0]
            for table in ("gemeente__dossiers", "gemeente__leerroutes", "gemeente__handhaving")
        }
    return ledger, raw


def test_postgres_loads_deliverers_side_by_side_with_the_same_outcome_as_duckdb(
    generated, tmp_path, pg_url, key_env
):
    landing, _ = generated
    small = tmp_path / "landing"
    picked = []
    for gemeente in sorted((landing / "gemeente").iterdir()):
        for folder in sorted(gemeente.iterdir()):
            for name in ("dossiers.csv", "leerroutes.csv", "handhaving.csv", "financien.csv"):
                rel = f"gemeente/{gemeente.name}/{folder.name}/{name}"
                if (landing / rel).is_file():
                    (small / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(landing / rel, small / rel)
                    picked.append(rel)
    assert len({rel.split("/")[1] for rel in picked}) >= 3  # deliverers to load side by side
    outcomes = {}
    for label, warehouse in (("duckdb", str(tmp_path / "wh.duckdb")), ("postgres", pg_url)):
        params = {"landing": str(small), "home": str(tmp_path / f"home-{label}"), "warehouse": warehouse}
        (batch,) = tasks.discover("gemeente", params)
        assert sorted(batch) == sorted(picked)
        results = tasks.load_delivery(batch, params)
        assert [r["path"] for r in results] == batch  # reported in the order given
        assert {r["status"] for r in results} == {"geladen"}
        assert tasks.discover("gemeente", params) == []  # nothing left over
        outcomes[label] = _ledger_and_raw(warehouse)
    assert outcomes["postgres"] == outcomes["duckdb"]
    ledger, raw = outcomes["duckdb"]
    assert len(ledger) == len(picked)
    assert raw["gemeente__dossiers"][1] == sum(rel.endswith("dossiers.csv") for rel in picked)
