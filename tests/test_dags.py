"""The DAG folder imports cleanly, fast, and without touching data."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT

# Run in a fresh interpreter: Airflow reads its configuration at import time,
# and we want to see exactly what importing a DAG file pulls in.
_PROBE = r"""
import json, os, sys, time, tempfile
home = tempfile.mkdtemp()
os.environ.update({
    "AIRFLOW_HOME": home,
    "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    "AIRFLOW__CORE__DAGS_FOLDER": sys.argv[1],
    "REGIE_LANDING": "/nonexistent/landing",
    "REGIE_WAREHOUSE": "/nonexistent/warehouse.duckdb",
})
os.environ.pop("REGIE_PSEUDONIEM_SLEUTEL", None)
from airflow.dag_processing.dagbag import DagBag
import airflow.sdk  # noqa: F401  (baseline: Airflow itself)
before = set(sys.modules)
times = {}
t0 = time.perf_counter()
bag = DagBag(sys.argv[1])
total = time.perf_counter() - t0
for stat in getattr(bag, "dagbag_stats", []):
    times[stat.file] = stat.duration.total_seconds() if hasattr(stat.duration, "total_seconds") else stat.duration
heavy = sorted(m for m in ("duckdb", "pandas", "pyarrow", "psycopg", "great_expectations", "dbt", "matplotlib", "weasyprint")
               if m in sys.modules and m not in before)
print(json.dumps({
    "errors": {k: v.splitlines()[-1] for k, v in bag.import_errors.items()},
    "dags": sorted(bag.dag_ids),
    "heavy": heavy,
    "total": total,
    "times": {str(k): v for k, v in times.items()},
    "tasks": {d: sorted(bag.dags[d].task_ids) for d in bag.dag_ids},
    "outlets": {d: sorted(str(o.uri) for t in bag.dags[d].tasks for o in t.outlets) for d in bag.dag_ids},
}))
"""


def _probe() -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT / "dags")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_dag_folder_imports_without_errors_or_heavy_imports():
    result = _probe()
    for name, seconds in sorted(result["times"].items()):
        print(f"DAG file parse time: {name}: {seconds:.3f}s")
    print(f"DagBag total: {result['total']:.2f}s")
    assert result["errors"] == {}
    assert result["dags"] == [
        "ingest_begeleiding",
        "ingest_coa_tvs",
        "ingest_duo",
        "ingest_gemeente",
        "ingest_rijk_provincie",
        "monitor",
        "quality",
        "transform",
    ]
    # A DAG file is wiring: no data library is imported while parsing.
    assert result["heavy"] == []
    for dag_id in result["dags"]:
        if dag_id.startswith("ingest_"):
            assert result["tasks"][dag_id] == ["all_files_processed", "discover", "load", "publish"]
    # every dbt model is a task of its own, with its tests
    assert "dbt.fct_taakstelling_jaar_run" in result["tasks"]["transform"] or any(
        t.endswith("fct_taakstelling_jaar_run") or t.endswith("fct_taakstelling_jaar.run")
        for t in result["tasks"]["transform"]
    ), sorted(result["tasks"]["transform"])[:20]
    assert result["outlets"]["transform"] == ["regie://marts/"]  # Airflow normalises the URI
    assert result["tasks"]["quality"] == ["check", "notify", "publish", "scorecard"]
    assert result["tasks"]["monitor"] == ["rapporten"]
    assert result["outlets"]["ingest_duo"] == ["regie://raw/duo"]
    assert result["outlets"]["ingest_gemeente"] == ["regie://raw/gemeente"]
    assert result["outlets"]["ingest_rijk_provincie"] == ["regie://raw/provincie", "regie://raw/rijk"]
    assert result["outlets"]["ingest_begeleiding"] == ["regie://raw/begeleiding"]
