"""quality: registration-quality checks after every publication of the marts.

Wiring only; the work is in regie.quality.tasks (imported inside the tasks, so
parsing this file touches no data and loads neither pandas nor GX).
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Asset, Param, dag, get_current_context, task

from regie.dagfactory import RUN_PARAMS, WAREHOUSE_POOL
from regie.failures import DEFAULT_ARGS

#: Updated by the transform DAG after it published the marts.
MARTS = Asset(name="marts", uri="regie://marts", group="regie")

PARAMS = {
    **RUN_PARAMS,
    "contacten": Param(
        None,
        type=["null", "string"],
        description="YAML file with the addresses per gemeentecode (default: REGIE_CONTACTEN; none: no mail)",
    ),
}


def _run_id(params: dict) -> str:
    """The regie run id when `regie run` passed one, else this DAG run's own id."""
    return params.get("run_id") or get_current_context()["run_id"]


@dag(
    dag_id="quality",
    description="Registration-quality checks per gemeente, scorecard, page of findings and a mail per change.",
    schedule=[MARTS],
    start_date=dt.datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    params=PARAMS,
    default_args=DEFAULT_ARGS,
    tags=["regie", "quality"],
    doc_md=(
        "### quality\n"
        "Runs the Great Expectations suites in `expectations/` on the deliveries in force, writes "
        "`marts.fct_registratiekwaliteit` and the failing records (`audit.kwaliteit_bevindingen`), "
        "writes the page of findings `<home>/quality/bevindingen.html`, publishes again (so BI sees the counts), "
        "then mails every gemeente for which something changed since its last mail "
        "(Airflow connection `smtp_default`, addresses from `contacten`). "
        "An undeliverable mail is recorded in `audit.meldingen`; it never fails the run."
    ),
)
def quality():
    @task(pool=WAREHOUSE_POOL)
    def check(params=None) -> dict:
        from regie.quality import tasks

        params = dict(params or {})
        return tasks.check(params, _run_id(params))

    @task(pool=WAREHOUSE_POOL)
    def notify(uitslag: dict, params=None) -> dict:
        from regie.quality import tasks

        return tasks.notify(dict(params or {}), uitslag["run_id"])

    @task(trigger_rule="all_done")
    def scorecard(uitslag: dict, params=None) -> str:
        """Also when mailing failed (a broken contacts file): the results are in the warehouse."""
        from regie.quality import tasks

        return tasks.scorecard(dict(params or {}), uitslag["run_id"])

    @task(pool=WAREHOUSE_POOL)
    def publish(uitslag: dict, params=None) -> dict | None:
        """Publish again, so BI sees this run's marts.fct_registratiekwaliteit (only a finished work area)."""
        from regie import publish as publication

        p = publication.publish(dict(params or {}), uitslag["run_id"], verplicht=False)
        return None if p is None else {"doel": p.doel, "tabellen": p.tabellen}

    uitslag = check()
    publish(uitslag)
    notify(uitslag) >> scorecard(uitslag)


quality()
