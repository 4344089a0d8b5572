"""monitor: every gemeente's monitor report (HTML and PDF) after each publication of the marts.

Wiring only; the work is in regie.monitor (imported inside the task, so parsing this
file loads neither pandas nor matplotlib nor WeasyPrint).
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Asset, dag, task

from regie.dagfactory import RUN_PARAMS, WAREHOUSE_POOL
from regie.failures import DEFAULT_ARGS

#: Updated by the transform DAG after it published the marts.
MARTS = Asset(name="marts", uri="regie://marts", group="regie")


@dag(
    dag_id="monitor",
    description="The monitor report of every gemeente, for its council and management (HTML and PDF).",
    schedule=[MARTS],
    start_date=dt.datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    params=RUN_PARAMS,
    default_args=DEFAULT_ARGS,
    tags=["regie", "monitor"],
    doc_md=(
        "### monitor\n"
        "Writes `<home>/monitor/<peildatum>/<GMxxxx>_<peildatum>.html` and `.pdf` for every gemeente in "
        "the reference list, from the publication: its own figures (small counts hidden as in `publiek`), "
        "its signals (`marts.fct_signalen`) and a regional comparison from `publiek`. "
        "The same as `regie monitor --gemeente GMxxxx`."
    ),
)
def monitor():
    # in the pool: it opens the warehouse's publication and work file read-only
    @task(pool=WAREHOUSE_POOL)
    def rapporten(params=None) -> list[str]:
        from regie.monitor import tasks

        return tasks.rapporten(dict(params or {}))

    rapporten()


monitor()
