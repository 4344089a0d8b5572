"""Airflow DAG ``transform``: judge the deliveries, dbt from raw to the marts, publish.

    blocking_checks -> dbt (every model a task) -> prepare_publication -> publish -> docs

The steps are regie.transform.flow's: the blocking checks judge the deliveries
and fix the peildatum (default: the latest delivery date) that every later task
uses (from its XCom); staging keeps only judged deliveries that were not held
back; prepare_publication derives publiek and historie; publish switches what
BI reads at once (regie.publish).

Scheduled on the raw assets (an update of any source triggers it) and
publishing ``regie://marts``. astronomer-cosmos renders every dbt model and
seed as a task, with its tests; dbt always runs as a subprocess. The task
graph comes from the committed slim manifest ``dbt_project/cosmos_manifest.json``
(LoadMode.DBT_MANIFEST): parsing this file neither runs dbt nor touches a
database.

Two ways to execute, chosen with ``REGIE_TRANSFORM_MODE`` when the DAG is parsed:

* ``watcher`` (default): one ``dbt build`` for the whole project, its data
  tests included (the producer task; dbt's unit tests run in the test suite); each model's and seed's task reports
  that build's outcome for its node (Cosmos ExecutionMode.WATCHER). A failing
  test fails the producer, and with it the run: nothing is published. There is
  no task per test (that was ~80 tasks, each ~0.7 s under ``regie run``).
* ``local``: one dbt subprocess per model, ``dbt build --select <model>``, its
  tests included (TestBehavior.BUILD). ~5 minutes on the sample data: dbt's
  start-up and parse are paid ~70 times.

The run parameters are those of the ingestion DAGs; at run time every dbt
call follows them: the profile through ``regie.transform.dbt_env(params)``
(the static profile reads those variables); the peildatum is the one the
blocking checks decided (XCom of ``blocking_checks``).
"""

from __future__ import annotations

import datetime as dt
import os

os.environ.setdefault("AIRFLOW__COSMOS__ENABLE_TELEMETRY", "False")

from airflow.sdk import DAG, Asset, task  # noqa: E402
from cosmos import DbtTaskGroup, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig  # noqa: E402
from cosmos.constants import (  # noqa: E402
    ExecutionMode,
    InvocationMode,
    LoadMode,
    TestBehavior,
    TestIndirectSelection,
)

from regie.dagfactory import RUN_PARAMS, WAREHOUSE_POOL, raw_asset  # noqa: E402
from regie.failures import DEFAULT_ARGS  # noqa: E402
from regie.transform import COSMOS_MANIFEST, dbt_executable, full_refresh, project_dir, threshold  # noqa: E402
from regie.transform.profiles import ENV_KEYS, dbt_env_cached  # noqa: E402

PROJECT = project_dir()
MARTS = Asset(name="marts", uri="regie://marts", group="regie")
SOURCES = ("duo", "coa_tvs", "gemeente", "rijk", "provincie", "begeleiding")

WATCHER = os.environ.get("REGIE_TRANSFORM_MODE", "watcher").strip().lower() != "local"


def _settings(params):
    from regie.config import Settings

    return Settings.resolve(dict(params or {}))


schedule = raw_asset(SOURCES[0])
for _bron in SOURCES[1:]:
    schedule = schedule | raw_asset(_bron)

with DAG(
    dag_id="transform",
    description="blocking checks, dbt (raw -> staging -> intermediate -> marts), publiek + historie, publish",
    schedule=schedule,
    start_date=dt.datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    params=RUN_PARAMS,
    default_args=DEFAULT_ARGS,
    tags=["regie", "dbt"],
    user_defined_macros={
        "regie_dbt_env": lambda params: dbt_env_cached(dict(params or {})),
        "regie_dbt_threshold": lambda: threshold(),
        "regie_dbt_full_refresh": lambda: full_refresh(),
    },
    doc_md=__doc__,
) as dag:
    dbt = DbtTaskGroup(
        group_id="dbt",
        project_config=ProjectConfig(manifest_path=PROJECT / COSMOS_MANIFEST, project_name="regie"),
        profile_config=ProfileConfig(
            profile_name="regie",
            target_name="regie",
            profiles_yml_filepath=PROJECT / "profiles" / "profiles.yml",
        ),
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.WATCHER if WATCHER else ExecutionMode.LOCAL,
            invocation_mode=InvocationMode.SUBPROCESS,
            dbt_executable_path=dbt_executable(),
            dbt_project_path=PROJECT,
            # per-model runs: a test that also reads another model waits for it (see below)
            test_indirect_selection=TestIndirectSelection.CAUTIOUS,
        ),
        render_config=RenderConfig(
            load_method=LoadMode.DBT_MANIFEST,
            # watcher: the single `dbt build` runs every test (below); a failing test fails that
            # build, and so the run, without a task per test (~80 tasks of ~0.7 s each in-process)
            test_behavior=TestBehavior.NONE if WATCHER else TestBehavior.BUILD,
            # tests between two models (relationships) get a task after both
            should_detach_multiple_parents_tests=True,
            emit_datasets=False,
        ),
        operator_args={
            "pool": WAREHOUSE_POOL,
            # `regie run --full-refresh`: rebuild the incremental models from all their input
            "full_refresh": "{{ regie_dbt_full_refresh() }}",
            "install_deps": False,
            "append_env": True,
            "env": {key: "{{ regie_dbt_env(params)['" + key + "'] }}" for key in ENV_KEYS},
            "vars": {
                # the peildatum the blocking checks judged the deliveries for
                "peildatum": "{{ ti.xcom_pull(task_ids='blocking_checks')['peildatum'] }}",
                "threshold": "{{ regie_dbt_threshold() }}",
            },
        },
    )

    if WATCHER:
        # Run the producer (the whole `dbt build`) first, so the per-node tasks find
        # their outcome at once - also when the DAG runs one task at a time
        # in-process (`regie run`, dag.test()), where a waiting sensor would block it.
        # A failed build still lets every per-node task report its own node's outcome.
        producer = dag.get_task("dbt.dbt_producer_watcher")
        # With TestBehavior.NONE Cosmos limits the producer's `dbt build` to models, seeds and
        # snapshots (--resource-type); the data tests belong in it: add them back. dbt's unit
        # tests (the models' logic on fixed rows) are left to the test suite, as in
        # regie.transform.build.
        producer.dbt_cmd_flags = [*(producer.dbt_cmd_flags or []), "--resource-type", "test"]
        # The per-node tasks only read the producer's outcome; they run dbt themselves only
        # when retried after a lost producer, and regie-dbt then takes the DuckDB file's
        # lock (regie.processes). Outside the one-slot pool they do not queue behind each
        # other under a scheduler (~150 tasks).
        for task_id, watcher in dag.task_dict.items():
            if task_id.startswith("dbt.") and watcher is not producer:
                watcher.pool = "default_pool"
        for node_task in dbt.children.values():
            if node_task is not producer and not node_task.upstream_task_ids:
                producer >> node_task
                for root in node_task.roots if hasattr(node_task, "roots") else [node_task]:
                    root.trigger_rule = "all_done"

    @task(pool=WAREHOUSE_POOL, outlets=[MARTS])
    def docs(params=None, ti=None) -> str:
        """dbt docs generate into <home>/dbt/docs, then publish regie://marts."""
        from regie import transform

        result = transform.docs_generate(_settings(params))
        if not result.ok:
            raise RuntimeError(result.summary() + "\n" + result.output[-3000:])
        from regie import tasks

        tasks.remember_build(dict(params or {}), ti.xcom_pull(task_ids="build_needed"))
        return str(result.docs_dir)

    @task(pool=WAREHOUSE_POOL)
    def blocking_checks(params=None, run_id=None) -> dict:
        """Peildatum, work area "in aanbouw", and the blocking checks' verdict per delivery.

        A delivery with a failing blocking record is held back: staging keeps the
        latest one before it (audit.kwaliteit_blokkades says which).
        """
        from regie.transform import flow

        p = dict(params or {})
        return flow.start(p, p.get("run_id") or run_id)

    @task(pool=WAREHOUSE_POOL)
    def prepare_publication(verdict: dict, params=None) -> dict:
        """publiek (small counts and their complementary cells hidden) and historie, from the marts."""
        from regie.transform import flow

        return flow.prepare(dict(params or {}), verdict)

    @task(pool=WAREHOUSE_POOL)
    def publish(params=None, run_id=None) -> dict:
        """What BI reads switches at once: a new DuckDB file renamed over the old, or a schema swap."""
        from regie.transform import flow

        p = dict(params or {})
        return flow.publish_(p, p.get("run_id") or run_id)

    @task.sensor(pool=WAREHOUSE_POOL, mode="reschedule", poke_interval=15, timeout=3600)
    def ingest_settled(params=None, dag_run=None) -> bool:
        """Wait until every delivered file is loaded, so one delivery builds the marts once."""
        import datetime as _dt

        from regie import tasks

        waited = (_dt.datetime.now(_dt.UTC) - dag_run.start_date).total_seconds() if dag_run else 0.0
        return tasks.ingest_settled(dict(params or {}), waited)

    @task.short_circuit(ignore_downstream_trigger_rules=True, pool=WAREHOUSE_POOL)
    def build_needed(params=None, dag_run=None):
        """Skip the whole run when an asset triggered it and nothing was loaded since the last build."""
        from regie import tasks

        return tasks.build_needed(dict(params or {}), str(getattr(dag_run, "run_type", "")))

    verdict = blocking_checks()
    ingest_settled() >> build_needed() >> verdict
    verdict >> dbt
    prepared = prepare_publication(verdict)
    dbt >> prepared
    prepared >> publish() >> docs()
