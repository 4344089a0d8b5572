"""`regie serve --executor celery`: the real Airflow components with Celery workers on Redis and
the metadata in PostgreSQL. Deliveries dropped into the landing zone become marts, a scorecard and
one mail per gemeente without anyone triggering anything; stopping leaves no process behind.

One service start is shared by all the assertions: starting Airflow is the expensive part.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time

import duckdb
import pytest
from aiosmtpd.controller import Controller

from regie import processes

from conftest import REFERENCE_PEILDATUM, REGIE, ROOT, regie_env
from crash_support import differences, digest, wait_for
from quality_support import Postbus, free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

#: The Done-when of the issue: from the drop to the mails.
DEADLINE = 600
ADRESSEN = {
    "GM1916": "kwaliteit@leidschendam-voorburg.example.nl",
    "GM0626": "kwaliteit@voorschoten.example.nl",
    "GM0629": "kwaliteit@wassenaar.example.nl",
    "GM0546": "kwaliteit@leiden.example.nl",
    "GM0579": "kwaliteit@oegstgeest.example.nl",
}
BEHEER = "beheer@regie.example.nl"


class Serve:
    """`regie serve` in a session of its own, its terminal lines collected."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [str(REGIE), "serve", *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def running(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(f"regie serve exited ({self.proc.returncode}):\n{self.text[-3000:]}")
        return "regie serve is running" in self.text

    def mark(self, home) -> str:
        return json.loads((home / "airflow" / "serve.json").read_text())["mark"]

    def left(self, mark: str) -> list[int]:
        """What is still running of this service: its session, its process group, its mark."""
        return sorted(set(processes.in_session(self.proc.pid)) | set(processes.marked(mark)))


def _marts_ready(warehouse) -> bool:
    """The marts are built and the quality run has written its scorecard (read when no task writes)."""
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:  # not there yet, or a task holds it
        return False
    try:
        (n,) = con.execute("select count(*) from marts.fct_registratiekwaliteit").fetchone()
        return n > 0
    except duckdb.Error:
        return False
    finally:
        con.close()


def _scorecard_logged(home) -> bool:
    logs = (home / "logs" / "airflow" / "dag_id=quality").glob("run_id=*/task_id=scorecard/*.log")
    return any("Registratiekwaliteit (run" in p.read_text(errors="replace") for p in logs)


def test_serve_with_celery_runs_dropped_deliveries_to_mail_and_stops_clean(reference_run, tmp_path, pg_url):
    landing, home, warehouse = tmp_path / "landing", tmp_path / "home", tmp_path / "wh" / "regie.duckdb"
    landing.mkdir()
    book = tmp_path / "contacten.yml"
    book.write_text(
        f"beheer: [{BEHEER}]\ngemeenten:\n" + "".join(f"  {c}: [{a}]\n" for c, a in ADRESSEN.items())
    )
    box, smtp_port = Postbus(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = regie_env(AIRFLOW_CONN_SMTP_DEFAULT=f"smtp://127.0.0.1:{smtp_port}")
    args = [
        "--executor", "celery", "--metadata", pg_url, "--workers", "1", "--every", "60s",
        "--peildatum", REFERENCE_PEILDATUM, "--contacten", str(book),
        "--landing", str(landing), "--warehouse", str(warehouse), "--home", str(home),
    ]  # fmt: skip
    serve = Serve(*args, env=env)
    try:
        wait_for("regie serve to start", serve.running, 240, 1)
        mark = serve.mark(home)

        # Drop the sample deliveries the way a delivery should arrive: written elsewhere, then moved in.
        staging = tmp_path / "aankomst"
        shutil.copytree(reference_run["landing"], staging)
        dropped = time.monotonic()
        for bron in sorted(os.listdir(staging)):
            os.rename(staging / bron, landing / bron)

        # Nobody triggers anything: ingest, transform, quality and the mails follow on their own.
        with_something_to_say = {
            code
            for (code,) in duckdb.connect(str(reference_run["warehouse"]), read_only=True)
            .execute("select distinct gemeentecode from audit.meldingen")
            .fetchall()
        }
        assert with_something_to_say == set(ADRESSEN)
        try:
            wait_for(
                "one mail per gemeente",
                lambda: {a for m in box.berichten for a in m.aan} >= set(ADRESSEN.values()),
                DEADLINE - (time.monotonic() - dropped),
                2,
            )
        except AssertionError as exc:
            failures = home / "logs" / "failures.jsonl"
            runs = sorted(
                p.name + "/" + q.name
                for p in (home / "logs" / "airflow").glob("dag_id=*")
                for q in p.iterdir()
            )
            raise AssertionError(
                f"{exc}\nmails: {[m.aan for m in box.berichten]}\nruns: {runs}\n"
                f"failures: {failures.read_text() if failures.exists() else 'none'}"
            ) from None
        wait_for("the scorecard", lambda: _marts_ready(warehouse), DEADLINE - (time.monotonic() - dropped), 2)
        elapsed = time.monotonic() - dropped
        assert elapsed < DEADLINE
        print(f"drop to mails and scorecard: {elapsed:.0f} s")
        assert sorted(a for m in box.berichten for a in m.aan) == sorted(ADRESSEN.values())
        assert BEHEER not in {a for m in box.berichten for a in m.aan}, "a task failed"
        assert box.voor(ADRESSEN["GM0546"])[0].tekst.startswith("Beste collega's van Leiden (GM0546),")
        wait_for("the scorecard in the task log", lambda: _scorecard_logged(home), 120, 2)

        # SIGTERM: everything stops, and nothing of it is left.
        running = serve.left(mark)
        assert len(running) > 6, running  # api-server, scheduler, dag-processor, triggerer, worker, ...
        serve.proc.send_signal(signal.SIGTERM)
        assert serve.proc.wait(timeout=120) == 0, serve.text[-3000:]
        assert "regie serve: stopped; no process left" in serve.text
        assert serve.left(mark) == []
        assert not any(processes.alive(p) for p in running)
    finally:
        if serve.proc.poll() is None:
            serve.proc.kill()
        controller.stop()

    # the same warehouse as the uninterrupted `regie run` of the same deliveries; only the mail log
    # differs: the reference had no contacts file (geen_adres), this service mailed (verzonden)
    want, got = digest(reference_run["warehouse"]), digest(warehouse)
    assert differences({**want, "audit.meldingen": None}, {**got, "audit.meldingen": None}) == {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sent = con.execute("select gemeentecode, status from audit.meldingen order by 1").fetchall()
    assert sent == sorted((code, "verzonden") for code in ADRESSEN)

    # kill -9 of regie serve: its components end with it (they get SIGTERM from the kernel), and
    # a new start on the same home ends whatever might still be left before it starts anything.
    serve = Serve(*args, env=env)
    try:
        wait_for("regie serve to start again", serve.running, 240, 1)
        mark = serve.mark(home)
        running = serve.left(mark)
        os.kill(serve.proc.pid, signal.SIGKILL)
        serve.proc.wait(timeout=30)
        wait_for("the components to end with it", lambda: serve.left(mark) == [], 120, 1)
        assert not any(processes.alive(p) for p in running)
    finally:
        for pid in serve.left(mark) if serve.proc.poll() is not None else []:
            os.kill(pid, signal.SIGKILL)
