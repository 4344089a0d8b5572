"""The quality DAG: light to parse, scheduled on the marts, and a whole run through Airflow."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from aiosmtpd.controller import Controller

from conftest import ROOT, TEST_KEY, regie_env
from quality_support import ADRES, PEILDATUM, Postbus, free_port, ingest, scenario

_PROBE = r"""
import json, os, sys, tempfile
os.environ.update({"AIRFLOW_HOME": tempfile.mkdtemp(), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"})
from airflow.dag_processing.dagbag import DagBag
import airflow.sdk  # noqa: F401
before = set(sys.modules)
bag = DagBag(sys.argv[1])
dag = bag.dags["quality"]
cond = dag.timetable.asset_condition
assets = [a.uri for a in getattr(cond, "objects", [cond])]
print(json.dumps({
    "errors": {k: v.splitlines()[-1] for k, v in bag.import_errors.items()},
    "tasks": sorted(dag.task_ids),
    "assets": assets,
    "params": sorted(dag.params.keys()),
    "heavy": sorted(m for m in ("duckdb", "pandas", "pyarrow", "great_expectations", "psycopg")
                    if m in sys.modules and m not in before),
}))
"""


def test_quality_dag_parses_without_heavy_imports():
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT / "dags" / "quality.py")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["errors"] == {}
    assert result["tasks"] == ["check", "notify", "publish", "scorecard"]
    assert result["assets"] == ["regie://marts/"] or result["assets"] == ["regie://marts"]
    assert set(result["params"]) >= {"landing", "warehouse", "home", "peildatum", "run_id", "contacten"}
    assert result["heavy"] == []


_RUN = r"""
import json, sys
from regie.config import Settings
from regie.runner import run_dags
settings = Settings.resolve(json.loads(sys.argv[1]))
report = run_dags(settings, ("quality",))
print(json.dumps({"run_id": report.run_id, "dags": [[d.dag_id, d.state, d.failed_tasks] for d in report.dags]}))
"""


@pytest.mark.slow
def test_quality_dag_runs_through_airflow_and_mails(tmp_path, monkeypatch):
    """The DAG run as `regie run` runs it: in its own process, with Airflow under <home>/airflow."""
    from regie import quality

    monkeypatch.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
    scenario(tmp_path / "landing")
    ingest(tmp_path / "landing", tmp_path / "home", tmp_path / "wh.duckdb")
    book = tmp_path / "contacten.yml"
    book.write_text("gemeenten:\n" + "".join(f"  {c}: [{a}]\n" for c, a in ADRES.items()))
    box, port = Postbus(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    given = {
        "home": str(tmp_path / "home"),
        "landing": str(tmp_path / "landing"),
        "warehouse": str(tmp_path / "wh.duckdb"),
        "peildatum": PEILDATUM,
    }
    try:
        env = regie_env(AIRFLOW_CONN_SMTP_DEFAULT=f"smtp://127.0.0.1:{port}", REGIE_CONTACTEN=str(book))
        out = subprocess.run(
            [sys.executable, "-c", _RUN, json.dumps(given)],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            cwd=ROOT,
        )
    finally:
        controller.stop()
    assert out.returncode == 0, out.stderr[-3000:]
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report["dags"] == [["quality", "success", []]]
    assert sorted(a for m in box.berichten for a in m.aan) == sorted(ADRES.values())
    text = quality.scorecard_text(given["warehouse"], report["run_id"])
    assert f"run {report['run_id']}" in text and "GM0546 Leiden" in text
    assert (tmp_path / "home" / "quality" / "bevindingen.html").exists()
