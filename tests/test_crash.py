"""`kill -9` of `regie run` at each point, then a restart: the same warehouse as an uninterrupted run,
and no dbt process outliving the run that started it.

(`regie serve` killed with `kill -9` is tested in test_serve.py.)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading

import pytest

from regie import processes

from conftest import REFERENCE_PEILDATUM, REGIE, ROOT, regie_env, run_regie
from crash_support import cmdline, dbt_processes, differences, digest, wait_for

pytestmark = pytest.mark.slow

INGEST_TABLES = ("raw",)
LEDGER_TABLES = {"audit.bestanden", "audit.afgewezen_rijen", "audit.sleutel"}


class Run:
    """`regie run` in the background, its terminal lines collected as they come."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [str(REGIE), "run", "--peildatum", REFERENCE_PEILDATUM, *args],
            env=regie_env(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def saw(self, *fragments: str) -> bool:
        """The fragments appeared on the terminal, in this order."""
        i = 0
        for line in self.lines:
            if fragments[i] in line:
                i += 1
                if i == len(fragments):
                    return True
        return False

    def kill(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._reader.join(timeout=10)


def _places(tmp_path, reference_run) -> list[str]:
    shutil.copytree(reference_run["landing"], tmp_path / "landing")
    return [
        "--landing", str(tmp_path / "landing"),
        "--warehouse", str(tmp_path / "wh" / "regie.duckdb"),
        "--home", str(tmp_path / "home"),
    ]  # fmt: skip


def _loaded(stdout: str) -> int:
    line = next(x for x in stdout.splitlines() if x.strip().startswith("files:"))
    return int(line.split()[1])


def test_kill_during_ingest_then_restart(reference_run, tmp_path):
    places = _places(tmp_path, reference_run)
    run = Run("--until", "ingest", *places)
    # the gemeente deliveries are loading: some files are in, others not yet
    wait_for(
        "the first gemeente file", lambda: run.saw("DAG ingest_gemeente", "geladen: gemeente/"), 300, 0.02
    )
    run.kill()

    again = run_regie("run", "--until", "ingest", "--peildatum", REFERENCE_PEILDATUM, *places)
    assert again.returncode == 0, again.stdout[-3000:]
    total = len(reference_run["manifest"].files)
    assert 0 < _loaded(again.stdout) < total, "the kill fell between the first and the last file"

    want = digest(reference_run["warehouse"], ("raw", "audit"))
    got = digest(tmp_path / "wh" / "regie.duckdb", ("raw", "audit"))
    keep = {k for k in want if k.startswith("raw.") or k in LEDGER_TABLES}
    assert differences({k: want[k] for k in keep}, {k: got.get(k) for k in keep}) == {}


def test_kill_during_dbt_and_during_quality_then_restart(reference_run, tmp_path):
    places = _places(tmp_path, reference_run)

    # 1. killed while dbt builds the marts
    run = Run(*places)
    builds = wait_for(
        "dbt build",
        lambda: [p for p in dbt_processes(processes.descendants(run.proc.pid)) if "build" in cmdline(p)],
        600,
        0.2,
    )
    run.kill()
    # a dbt child never outlives the process that started it
    wait_for("dbt to end with regie run", lambda: not any(processes.alive(p) for p in builds), 15, 0.1)
    assert processes.in_session(run.proc.pid) == []

    # 2. restarted, and killed again while the quality checks run or mail
    run = Run(*places)
    wait_for("the quality DAG", lambda: run.saw("DAG quality", "task notify"), 900, 0.05)
    run.kill()
    assert processes.in_session(run.proc.pid) == []

    # 3. restarted once more: it finishes, with the warehouse of a run that was never interrupted
    final = run_regie("run", "--peildatum", REFERENCE_PEILDATUM, *places)
    assert final.returncode == 0, final.stdout[-4000:]
    assert differences(digest(reference_run["warehouse"]), digest(tmp_path / "wh" / "regie.duckdb")) == {}
