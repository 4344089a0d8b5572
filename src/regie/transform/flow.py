"""The steps of a transform run around the dbt build, as the DAG's tasks run them.

    start      resolve the peildatum, mark the work area "in aanbouw", the blocking checks judge
               the deliveries (regie.quality.blocking)                       DAG task blocking_checks
    dbt build  staging -> intermediate -> marts                            DAG task group dbt
    prepare    publiek and historie from the marts; work area "gereed"    DAG task prepare_publication
    publish    what BI reads switches at once                             DAG task publish

:func:`regie.transform.build` runs the same four in one call (tests, scripts).
"""

from __future__ import annotations

from typing import Any

from ..config import Settings


def start(params: dict[str, Any], run_id: str | None = None) -> dict[str, Any]:
    """Peildatum (default: the latest delivery date), work area in aanbouw, the gate's verdict."""
    from .. import peildatum as peildatum_mod
    from .. import publish
    from ..quality import blocking
    from ..warehouse import connect

    settings = Settings.resolve(params)
    with connect(settings.warehouse) as wh:
        peil = peildatum_mod.voor_warehouse(wh, settings.peildatum)  # refuses before anything changes
    publish.begin(params, settings.run_id or run_id, peil.datum)
    return blocking.judge({**params, "peildatum": peil.datum}, run_id)


def prepare(params: dict[str, Any], verdict: dict[str, Any]) -> dict[str, Any]:
    from .. import publish

    return publish.prepare(params, verdict["peildatum"], verdict.get("run_id"))


def publish_(params: dict[str, Any], run_id: str | None = None) -> dict[str, Any]:
    from .. import publish

    p = publish.publish(params, run_id)
    return {
        "doel": p.doel,
        "tabellen": p.tabellen,
        "seconden": round(p.seconden, 2),
        "peildatum": p.peildatum,
    }
