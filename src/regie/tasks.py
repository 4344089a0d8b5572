"""The work behind every Airflow task. DAG files only wire these together.

Each function takes the DAG run's parameters (a plain dict) so the CLI, the
DAGs and the tests run exactly the same code.
"""

from __future__ import annotations

import logging
from typing import Any

from .config import Settings
from .ingest.landing import list_files
from .ingest.load import Places, load_file, new_files
from .pseudonym import load_key
from .warehouse import connect, describe

log = logging.getLogger("regie.tasks")


def _open(settings: Settings):
    wh = connect(settings.warehouse)
    try:
        wh.ensure_schema()
    except BaseException:
        wh.close()
        raise
    return wh


def discover(family: str, params: dict[str, Any]) -> list[str]:
    """Landing files of this source family that are new or changed since last seen."""
    settings = Settings.resolve(params)
    load_key()  # fail before doing anything when no key is configured
    places = Places(settings.landing, settings.home)
    candidates = list_files(settings.landing, family)
    with _open(settings) as wh:
        todo = new_files(candidates, places, wh)
    log.info(
        "%s: %d bestanden in %s, %d nieuw of gewijzigd (warehouse %s)",
        family,
        len(candidates),
        settings.landing,
        len(todo),
        describe(settings.warehouse),
    )
    return todo


def load(relpath: str, params: dict[str, Any]) -> dict[str, Any]:
    """Archive, check, parse and write one file; returns its ledger outcome."""
    settings = Settings.resolve(params)
    pseudo = load_key()
    places = Places(settings.landing, settings.home)
    with _open(settings) as wh:
        wh.check_key(pseudo.fingerprint())
        row = load_file(relpath, places, wh, pseudo, settings.run_id)
    return {
        "path": row.path,
        "status": row.status,
        "versie": row.versie,
        "rijen_in": row.rijen_in,
        "rijen_geladen": row.rijen_geladen,
        "rijen_afgewezen": row.rijen_afgewezen,
        "reden": row.reden,
    }


def summarise(family: str, results: list[dict[str, Any]] | None) -> dict[str, int]:
    """Totals for one family's run; logs them."""
    results = [r for r in (results or []) if r]
    totals = {
        "bestanden": len(results),
        "geladen": sum(r["status"] == "geladen" for r in results),
        "quarantaine": sum(r["status"] == "quarantaine" for r in results),
        "duplicaat": sum(r["status"] == "duplicaat" for r in results),
        "rijen_geladen": sum(r["rijen_geladen"] for r in results),
        "rijen_afgewezen": sum(r["rijen_afgewezen"] for r in results),
    }
    log.info("%s: %s", family, ", ".join(f"{k} {v}" for k, v in totals.items()))
    return totals
