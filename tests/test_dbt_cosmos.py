"""The transform DAG: rendered from the committed manifest, fast to parse,
scheduled on the raw assets, and runnable end to end through Airflow with
the warehouse taken from the run parameters.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from regie.transform import manifest

from conftest import ROOT, regie_env

_PROBE = r"""
import json, os, sys, tempfile, time
os.environ.update({"AIRFLOW_HOME": tempfile.mkdtemp(), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"})
import airflow.sdk  # noqa: F401  (Airflow itself is the baseline)
before = set(sys.modules)
from airflow.dag_processing.dagbag import DagBag
t0 = time.perf_counter()
bag = DagBag(sys.argv[1])
seconds = time.perf_counter() - t0
dag = bag.dags["transform"]
heavy = sorted(m for m in ("duckdb", "pandas", "pyarrow", "psycopg", "great_expectations", "dbt")
               if m in sys.modules and m not in before)
print(json.dumps({
    "errors": {k: v.splitlines()[-1] for k, v in bag.import_errors.items()},
    "seconds": seconds,
    "heavy": heavy,
    "tasks": sorted(dag.task_ids),
    "params": sorted(dag.params.keys()),
    "schedule_any": type(dag.timetable.asset_condition).__name__,
    "schedule": sorted(a.uri.rstrip("/") for a in dag.timetable.asset_condition.objects),
    "outlets": sorted(o.uri.rstrip("/") for t in dag.tasks for o in t.outlets),
}))
"""


def _probe(dag_file) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(dag_file)],
        capture_output=True,
        text=True,
        timeout=300,
        env=regie_env(),
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_committed_manifest_is_current():
    assert manifest.path().read_text(encoding="utf-8") == manifest.render(), (
        "dbt_project/cosmos_manifest.json is out of date: run `python -m regie.transform.manifest`"
    )


def test_transform_dag_parses_fast_without_io():
    result = _probe(ROOT / "dags" / "transform.py")  # this DAG file only
    print(f"transform DAG parse: {result['seconds']:.2f}s, {len(result['tasks'])} tasks")
    assert result["errors"] == {}
    assert result["heavy"] == []
    # not a speed test (bench/ measures speed): a DAG file that takes longer than Airflow's
    # import timeout (core.dagbag_import_timeout, 30 s) is dropped by the dag-processor
    assert result["seconds"] < 30
    assert result["params"] == ["home", "landing", "peildatum", "run_id", "warehouse"]
    assert result["outlets"] == ["regie://marts"]
    if result["schedule"]:
        assert result["schedule"] == [
            f"regie://raw/{b}" for b in ("begeleiding", "coa_tvs", "duo", "gemeente", "provincie", "rijk")
        ]
    models = [
        node["name"]
        for node in json.loads(manifest.path().read_text())["nodes"].values()
        if node["resource_type"] in ("model", "seed")
    ]
    tasks = set(result["tasks"])
    for name in models:  # every model and seed is visible as a task, with its tests
        assert any(t.startswith(f"dbt.{name}") for t in tasks), name
    assert "docs" in tasks
    # the blocking checks judge the deliveries before the build; publiek, historie and the
    # publication follow it
    assert {"blocking_checks", "prepare_publication", "publish"} <= tasks


_RUN = r"""
import json, sys
from regie.config import Settings
from regie.runner import run_dags
settings = Settings.resolve(json.loads(sys.argv[1]))
report = run_dags(settings, ("transform",))
print(json.dumps({"dags": [[d.dag_id, d.state, d.seconds, d.failed_tasks] for d in report.dags]}))
"""


@pytest.mark.slow
def test_transform_dag_builds_the_marts_for_the_run_parameters(tmp_path):
    from regie.warehouse import connect

    warehouse = tmp_path / "regie.duckdb"
    with connect(str(warehouse)) as wh:
        wh.ensure_schema()  # raw and audit as ingestion leaves them
        # one header-only DUO delivery: enough to see which peildatum dbt was given
        wh.execute(
            "insert into audit.bestanden (path, bron, entiteit, leverdatum, versie, status, rijen_in, "
            "rijen_geladen, rijen_afgewezen) values ('duo/2024-08-01/personen.jsonl', 'duo', 'personen', "
            "date '2024-08-01', 1, 'geladen', 0, 0, 0)"
        )
    params = {"home": str(tmp_path / "home"), "warehouse": str(warehouse), "peildatum": "2024-10-31"}
    out = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(params)],
        capture_output=True,
        text=True,
        timeout=900,
        env=regie_env(),
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    (dag_id, state, seconds, failed) = json.loads(out.stdout.strip().splitlines()[-1])["dags"][0]
    print(f"transform DAG: {state} in {seconds:.1f}s")
    assert (dag_id, state, failed) == ("transform", "success", [])
    with connect(str(warehouse), read_only=True) as wh:
        # the profile followed the run parameters: this warehouse, this peildatum
        rows = wh.query("select cast(peildatum as varchar), gekozen from staging.stg_audit__bestanden")
        assert rows == [("2024-10-31", True)]
        assert wh.query("select count(*) from marts.dim_gemeente")[0][0] == 5
        tables = {
            r[0]
            for r in wh.query("select table_name from information_schema.tables where table_schema = 'marts'")
        }
        assert {"fct_taakstelling_jaar", "fct_leerroute_stand", "fct_registratiekwaliteit"} <= tables
    assert (tmp_path / "home" / "dbt" / "docs" / "index.html").exists()
