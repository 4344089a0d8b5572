"""Builds the ingestion DAGs. Kept light: importing it touches no data,
no database and no heavy library, so the DAG processor parses fast.
"""

from __future__ import annotations

import datetime as dt
import os
import re

from airflow.sdk import Asset, Param, dag, task

from regie.failures import DEFAULT_ARGS
from regie.sources.catalog import FAMILIES

#: DuckDB has one writer: tasks that write the warehouse share this pool.
#: ``regie run`` creates it with one slot; create it likewise in a deployment.
WAREHOUSE_POOL = "regie_warehouse"

RUN_PARAMS = {
    "landing": Param(
        None, type=["null", "string"], description="Landing root (default: REGIE_LANDING or <home>/landing)"
    ),
    "warehouse": Param(None, type=["null", "string"], description="DuckDB file or postgresql:// URL"),
    "home": Param(None, type=["null", "string"], description="regie home: archive, quarantine, logs"),
    "peildatum": Param(None, type=["null", "string"], description="jjjj-mm-dd; default today"),
    "run_id": Param(None, type=["null", "string"], description="Label stamped on the ledger rows"),
}

FAMILY_DOCS = {
    "duo": "DUO M2M person resources (personen.jsonl).",
    "coa_tvs": "COA TVS: taakstelling balances and koppelingen.",
    "gemeente": "Municipal exports per uitvoerder: dossiers, leerroutes, activiteiten, uitkomsten, handhaving, financien.",
    "rijk_provincie": "SPUK decisions (rijk) and the interventieladder (provincie).",
    "begeleiding": "Maatschappelijke begeleiding and financial support trajectories per provider (trajecten.csv).",
}


#: How often the ingestion DAGs look at the landing zone; ``regie serve --every`` sets it.
SCHEDULE_ENV = "REGIE_INGEST_SCHEDULE"
DEFAULT_SCHEDULE = "@hourly"
_EVERY = re.compile(r"^(\d+)\s*([smh])$")


def ingest_schedule(text: str | None = None) -> str | dt.timedelta:
    """``30s``, ``5m``, ``1h`` (an interval) or a cron expression / preset such as ``@hourly``.

    A run finds what is new or changed since the ledger last saw the landing
    zone, so a short interval costs one cheap discovery task per DAG when
    nothing arrived; nothing is loaded twice.
    """
    value = (text if text is not None else os.environ.get(SCHEDULE_ENV) or DEFAULT_SCHEDULE).strip()
    m = _EVERY.match(value)
    if m:
        amount = int(m.group(1))
        if amount < 1:
            raise ValueError(f"{SCHEDULE_ENV}: an interval must be at least 1{m.group(2)}")
        return dt.timedelta(**{{"s": "seconds", "m": "minutes", "h": "hours"}[m.group(2)]: amount})
    if value.startswith("@") or len(value.split()) == 5:
        return value
    raise ValueError(f"{SCHEDULE_ENV}: '{value}' is neither an interval (30s, 5m, 1h) nor a cron expression")


#: A load task's label: its delivery folder, or the first and last when it loads several.
LOAD_LABEL = (
    "{% set r = task.op_kwargs['relpaths'] %}{{ r[0].rsplit('/', 1)[0] }}"
    "{% if r[-1].rsplit('/', 1)[0] != r[0].rsplit('/', 1)[0] %} .. {{ r[-1].rsplit('/', 1)[0] }}{% endif %}"
)


def _with_run(params, run_id) -> dict:
    """Run parameters; the ledger gets Airflow's run id when none was given."""
    out = dict(params or {})
    out["run_id"] = out.get("run_id") or run_id
    return out


def raw_asset(bron: str) -> Asset:
    """The asset of one source (duo, coa_tvs, gemeente, rijk, provincie, begeleiding).

    Updated whenever its family's DAG loaded at least one file; the transform
    DAG is scheduled on these assets, not on a clock.
    """
    return Asset(name=f"raw_{bron}", uri=f"regie://raw/{bron}", group="regie")


def ingest_dag(family: str):
    assets = [raw_asset(bron) for bron in FAMILIES[family]]

    @dag(
        dag_id=f"ingest_{family}",
        description=FAMILY_DOCS[family],
        schedule=ingest_schedule(),
        start_date=dt.datetime(2024, 1, 1),
        catchup=False,
        max_active_runs=1,
        params=RUN_PARAMS,
        default_args=DEFAULT_ARGS,
        tags=["regie", "ingest", family],
        doc_md=(
            f"### ingest_{family}\n{FAMILY_DOCS[family]}\n\n"
            "Finds new or changed files in the landing zone, archives each by sha256, "
            "parses and checks it, pseudonymises BSN and V-nummer and writes `raw` and "
            "`audit`. A bad file is quarantined; the run goes on."
        ),
    )
    def ingest():
        # in the pool too: it reads the ledger, and a DuckDB file opened by discovery
        # would make a dbt build that starts at the same moment fail on the lock
        @task(pool=WAREHOUSE_POOL)
        def discover(params=None, run_id=None) -> list[list[str]]:
            from regie import tasks

            return tasks.discover(family, _with_run(params, run_id))

        @task(pool=WAREHOUSE_POOL, map_index_template=LOAD_LABEL)
        def load(relpaths: list[str], params=None, run_id=None) -> list[dict]:
            """One or more whole delivery folders: their files, one after another."""
            from regie import tasks

            return tasks.load_delivery(relpaths, _with_run(params, run_id))

        @task(outlets=assets, trigger_rule="all_done")
        def publish(results) -> dict:
            from airflow.exceptions import AirflowSkipException

            from regie import tasks

            totals = tasks.summarise(family, list(results or []))
            if not totals["geladen"]:
                raise AirflowSkipException("nothing new loaded: no asset update")
            return totals

        @task(trigger_rule="all_success")
        def all_files_processed(results) -> int:
            """Fails the run when loading any file failed (an error, not bad input).

            ``publish`` runs regardless, so what did load still reaches the
            marts; this gate makes sure the run is not reported as a success.
            """
            return len(list(results or []))

        loaded = load.expand(relpaths=discover())
        publish(loaded)
        all_files_processed(loaded)

    return ingest()
