"""Publication through `regie run`, as an operator and a BI tool live it (DuckDB).

One sequence on the generator's landing zone, shared by the tests below:

1. The first publication (loaded and built directly, without Airflow, to save time).
2. A new delivery arrives (Leidschendam-Voorburg's export again, a week later).
   A reader polls the published file every 0.2 s, and a BI tool holds it open.
3. `regie run --until transform` is killed with SIGKILL 8 s into dbt.
4. `regie run --until transform` again, to the end.
5. Reference: the same data built in one go, without a kill (regie.transform.build on a
   copy of the warehouse of step 1, with the new delivery loaded).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from regie import transform
from regie.config import Settings

from conftest import REGIE, ROOT, TEST_KEY, regie_env, run_regie
from quality_support import ingest

pytestmark = pytest.mark.slow

NIEUW = "2025-03-04"
SCHEMAS = ("marts", "publiek", "historie")

POLLER = r"""
import duckdb, hashlib, json, os, sys, time
path, out, stop, ready = sys.argv[1:5]
obs = []
open(ready, "w").close()
while not os.path.exists(stop):
    t = time.time()
    try:
        con = duckdb.connect(path, read_only=True)
        try:
            tables = con.execute(
                "select table_schema, table_name from information_schema.tables order by 1, 2"
            ).fetchall()
            h = hashlib.sha256()
            for s, n in tables:
                rows = sorted(repr(r) for r in con.execute(f'select * from "{s}"."{n}"').fetchall())
                h.update(f"{s}.{n}:{hashlib.sha256(repr(rows).encode()).hexdigest()};".encode())
        finally:
            con.close()
        obs.append({"t": t, "hash": h.hexdigest()})
    except Exception as exc:
        obs.append({"t": t, "error": f"{type(exc).__name__}: {exc}"})
    time.sleep(0.2)
json.dump(obs, open(out, "w"))
"""

BI_TOOL = r"""
import duckdb, json, os, sys, time
path, out, stop, ready = sys.argv[1:5]
con = duckdb.connect(path, read_only=True)          # a BI tool opens the file and keeps it open
first = con.execute("select count(*), sum(aantal) from marts.fct_inburgeraars_instroom").fetchone()
open(ready, "w").close()
while not os.path.exists(stop):
    time.sleep(0.2)
held = con.execute("select count(*), sum(aantal) from marts.fct_inburgeraars_instroom").fetchone()
con.close()
con = duckdb.connect(path, read_only=True)          # its next connection
again = con.execute("select max(peildatum) from marts.fct_leerroute_stand").fetchone()
con.close()
json.dump({"first": first, "held": held, "next": [str(again[0])]}, open(out, "w"))
"""


def _snapshot(path: Path) -> str:
    """The same digest the poller computes: every table of the file, rows in any order."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables order by 1, 2"
        ).fetchall()
        h = hashlib.sha256()
        for s, n in tables:
            rows = sorted(repr(r) for r in con.execute(f'select * from "{s}"."{n}"').fetchall())
            h.update(f"{s}.{n}:{hashlib.sha256(repr(rows).encode()).hexdigest()};".encode())
    finally:
        con.close()
    return h.hexdigest()


def _hashes(path: Path) -> dict[str, str]:
    """Per table of marts, publiek and historie: a digest of its rows (in any order)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables where table_schema in "
            "('marts', 'publiek', 'historie') order by 1, 2"
        ).fetchall()
        out = {}
        for s, n in tables:
            rows = sorted(repr(r) for r in con.execute(f'select * from "{s}"."{n}"').fetchall())
            out[f"{s}.{n}"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    finally:
        con.close()
    return out


def _helper(script: str, tmp: Path, name: str, published: Path) -> tuple[subprocess.Popen, Path, Path]:
    src = tmp / f"{name}.py"
    src.write_text(script)
    out, stop, ready = tmp / f"{name}.json", tmp / f"{name}.stop", tmp / f"{name}.ready"
    proc = subprocess.Popen([sys.executable, str(src), str(published), str(out), str(stop), str(ready)])
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert proc.poll() is None and time.monotonic() < deadline, f"{name} did not start"
        time.sleep(0.1)
    return proc, out, stop


def _run_killed_in_dbt(args: list[str], after: float) -> tuple[str, bool]:
    """Start `regie run`; SIGKILL its whole process group `after` seconds into the dbt build."""
    proc = subprocess.Popen(
        [str(REGIE), *args],
        env=regie_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    in_dbt = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line)
            if "task dbt." in line:
                in_dbt.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    killed = False
    if in_dbt.wait(timeout=600):
        time.sleep(after)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
    proc.wait(timeout=600)
    reader.join(timeout=10)
    return "".join(lines), killed


@pytest.fixture(scope="module")
def verloop(generated, tmp_path_factory):
    landing_src, _ = generated
    root = tmp_path_factory.mktemp("publicatie")
    landing, home, work = root / "landing", root / "home", root / "wh" / "regie.duckdb"
    shutil.copytree(landing_src, landing)
    args = [
        "run",
        "--until",
        "transform",
        "--landing",
        str(landing),
        "--home",
        str(home),
        "--warehouse",
        str(work),
    ]
    published = work.with_name("regie_publicatie.duckdb")

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
        ingest(landing, home, work, run_id="eerste")
        first = transform.build(Settings.resolve({"home": str(home), "warehouse": str(work)}), docs=False)
    assert first.ok, first.summary()
    eerste = _snapshot(published)
    shutil.copy(work, root / "na_eerste_run.duckdb")

    # a new delivery: LV's export again, a week later (rows in another order: the same bytes
    # at a later date would be a duplicate)
    src = landing / "gemeente" / "GM1916" / "2025-02-25"
    for f in sorted(src.iterdir()):
        header, *rows = (line.rstrip(b"\r\n") + b"\n" for line in f.read_bytes().splitlines())
        target = landing / "gemeente" / "GM1916" / NIEUW / f.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(header + b"".join(reversed(rows)))

    poller, poll_out, poll_stop = _helper(POLLER, root, "poller", published)
    bi, bi_out, bi_stop = _helper(BI_TOOL, root, "bi", published)
    started = time.monotonic()
    killed_output, killed = _run_killed_in_dbt(args, after=8.0)
    after_kill = _snapshot(published)
    second = run_regie(*args)
    seconds = time.monotonic() - started
    for stop in (poll_stop, bi_stop):
        stop.touch()
    poller.wait(timeout=120)
    bi.wait(timeout=120)

    # the reference: the same data, built in one go without a kill
    ref_home = root / "ref"
    ref = root / "ref" / "regie.duckdb"
    ref.parent.mkdir(parents=True)
    shutil.copy(root / "na_eerste_run.duckdb", ref)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
        ingest(landing, ref_home, ref, run_id="referentie")
        built = transform.build(Settings.resolve({"home": str(ref_home), "warehouse": str(ref)}), docs=False)
    assert built.ok, built.summary()
    return {
        "first": first,
        "second": second,
        "killed": killed,
        "killed_output": killed_output,
        "eerste": eerste,
        "after_kill": after_kill,
        "laatste": _snapshot(published),
        "polls": json.loads(poll_out.read_text()),
        "bi": json.loads(bi_out.read_text()),
        "work": work,
        "published": published,
        "ref": ref,
        "seconds": seconds,
    }


def test_regie_run_says_where_bi_reads(verloop):
    assert verloop["first"].peildatum == "2025-02-25"  # the latest delivery date
    out = verloop["second"].stdout
    assert verloop["second"].returncode == 0, out[-4000:]
    assert f"warehouse: {verloop['published']}" in out.splitlines()
    assert f"peildatum: {NIEUW} (published " in out  # the new latest delivery, printed


def test_kill_during_dbt_and_a_rerun_give_the_tables_of_an_unkilled_run(verloop):
    assert verloop["killed"], (
        "the first run finished before it could be killed:\n" + verloop["killed_output"][-2000:]
    )
    # the killed run published nothing: BI still had the first publication
    assert verloop["after_kill"] == verloop["eerste"]
    work, ref = _hashes(verloop["work"]), _hashes(verloop["ref"])
    assert len(work) >= 38 and sorted(work) == sorted(ref)
    assert {t for t in work if work[t] != ref[t]} == set()
    published, ref_published = (
        _hashes(verloop["published"]),
        _hashes(verloop["ref"].with_name("regie_publicatie.duckdb")),
    )
    assert published == ref_published == work


def test_a_reader_polling_during_the_runs_sees_only_whole_publications(verloop):
    polls = verloop["polls"]
    errors = [p for p in polls if "error" in p]
    assert errors == []
    seen = [p["hash"] for p in polls]
    assert len(seen) >= 50, f"{len(seen)} reads in {verloop['seconds']:.0f} s"
    assert set(seen) <= {verloop["eerste"], verloop["laatste"]}
    assert seen[0] == verloop["eerste"] and seen[-1] == verloop["laatste"] != verloop["eerste"]
    switch = seen.index(verloop["laatste"])
    assert set(seen[switch:]) == {verloop["laatste"]}  # never back to the old one


def test_a_bi_tool_holding_the_file_open_neither_blocks_nor_fails_a_run(verloop):
    bi = verloop["bi"]
    assert verloop["second"].returncode == 0
    assert bi["held"] == bi["first"]  # its open connection kept a consistent (old) view
    assert bi["next"] == [NIEUW]  # its next connection sees the new publication


def test_history_keeps_each_peildatum_once(verloop):
    con = duckdb.connect(str(verloop["published"]), read_only=True)
    try:
        peildata = con.execute(
            "select cast(peildatum as varchar), count(*) from historie.fct_inburgeraars_instroom group by 1 order by 1"
        ).fetchall()
        now = con.execute("select count(*) from marts.fct_inburgeraars_instroom").fetchone()[0]
    finally:
        con.close()
    assert [p for p, _ in peildata] == ["2025-02-25", NIEUW]  # the killed run and its rerun: once
    assert dict(peildata)[NIEUW] == now


def test_a_difference_attack_on_every_published_table_recovers_nothing(verloop):
    """Every publiek table of the generated sample: no small count shown, none computable from the
    declared relations, the relations found in the data, or non-negativity."""
    from regie.publish import meta
    from regie.publish.onderdrukking import aanval

    con = duckdb.connect(str(verloop["published"]), read_only=True)
    try:
        published = {r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'publiek'"
        ).fetchall()}  # fmt: skip
        specs = {t: s for t, s in meta.specs().items() if s.publiek}
        assert published == set(specs)
        found, hidden = [], 0
        for table, spec in specs.items():
            mart = con.execute(f"select * from marts.{table}").df()
            publiek = con.execute(f"select * from publiek.{table}").df()
            found += aanval(publiek, mart, spec, 5)
            hidden += int(publiek["onderdrukt"].sum())
    finally:
        con.close()
    assert found == []
    assert hidden > 100  # the sample has small cells enough to make this a test
