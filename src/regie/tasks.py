"""The work behind every Airflow task. DAG files only wire these together.

Each function takes the DAG run's parameters (a plain dict) so the CLI, the
DAGs and the tests run exactly the same code.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .config import Settings
from .ingest.landing import list_files, mask_path
from .ingest.load import Places, load_file, new_files
from .ingest.masking import mask
from .ingest.parse import Parser
from .pseudonym import load_key
from .warehouse import connect, describe, is_postgres

log = logging.getLogger("regie.tasks")


def _open(settings: Settings):
    wh = connect(settings.warehouse)
    try:
        wh.ensure_schema()
    except BaseException:
        wh.close()
        raise
    return wh


def discover(family: str, params: dict[str, Any]) -> list[list[str]]:
    """Landing files of this family that are new or changed since last seen, grouped per
    delivery folder, whole deliveries joined into batches (one Airflow task loads one batch)."""
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
    deliveries: dict[str, list[str]] = {}
    for rel in todo:
        deliveries.setdefault(rel.rsplit("/", 1)[0], []).append(rel)
    return batches(list(deliveries.values()))


#: One load task takes whole deliveries until it has at least this many files: an Airflow
#: task costs a fixed part of a second, so a thousand small deliveries are not a thousand tasks.
BATCH_FILES = 40


def batches(deliveries: list[list[str]], size: int = BATCH_FILES) -> list[list[str]]:
    """Deliveries (in delivery order) joined into load tasks of at least ``size`` files each;
    a delivery is never split over two tasks."""
    out: list[list[str]] = []
    for files in deliveries:
        if out and len(out[-1]) < size:
            out[-1].extend(files)
        else:
            out.append(list(files))
    return out


def load(relpath: str, params: dict[str, Any]) -> dict[str, Any]:
    """Archive, check, parse and write one file; returns its ledger outcome."""
    return load_delivery([relpath], params)[0]


def load_delivery(relpaths: list[str], params: dict[str, Any]) -> list[dict[str, Any]]:
    """Load the files of one or more deliveries with one warehouse connection and one
    parsing connection for them all.

    Each file on its own: a file that fails (an error, not bad input: bad input is
    quarantined) does not keep the other files from loading; the task fails afterwards,
    naming it, and the next run tries it again.

    On PostgreSQL, which takes concurrent writers, the files of different deliverers are
    loaded side by side (:data:`PARALLEL_LOADERS` at a time, each with its own
    connections); one deliverer's files stay in delivery order. A DuckDB file has one
    writer, so there they are loaded one after another.
    """
    settings = Settings.resolve(params)
    pseudo = load_key()
    places = Places(settings.landing, settings.home)
    with _open(settings) as wh:
        wh.check_key(pseudo.fingerprint())
        groups = _by_deliverer(relpaths) if is_postgres(settings.warehouse) else [relpaths]
        if len(groups) == 1 or PARALLEL_LOADERS < 2:
            done = _load_files(relpaths, places, wh, pseudo, settings.run_id)
        else:
            done = {}

            def work(group: list[str]) -> dict[str, Any]:
                with connect(settings.warehouse) as own:
                    return _load_files(group, places, own, pseudo, settings.run_id)

            with ThreadPoolExecutor(max_workers=PARALLEL_LOADERS, thread_name_prefix="regie-load") as pool:
                for part in pool.map(work, groups):
                    done.update(part)
    failed = [mask_path(rel) for rel in relpaths if done[rel] is None]
    if failed:
        raise RuntimeError(
            f"{len(failed)} of {len(relpaths)} files could not be loaded (the others were): "
            + ", ".join(failed)
            + "; see the log above, the next run tries them again"
        )
    return [done[rel] for rel in relpaths]


#: Loaders side by side on PostgreSQL (one per core of a small machine).
PARALLEL_LOADERS = 2


def _by_deliverer(relpaths: list[str]) -> list[list[str]]:
    """The files per deliverer (gemeente folder, or source), each in the given order."""
    groups: dict[str, list[str]] = {}
    for rel in relpaths:
        parts = rel.split("/")
        groups.setdefault("/".join(parts[:2]) if parts[0] == "gemeente" else parts[0], []).append(rel)
    return list(groups.values())


def _load_files(relpaths, places, wh, pseudo, run_id) -> dict[str, dict[str, Any] | None]:
    """Load files one after another with one parsing connection; None for a file that failed."""
    out: dict[str, dict[str, Any] | None] = {}
    with Parser() as parser:
        for rel in relpaths:
            try:
                out[rel] = _outcome(load_file(rel, places, wh, pseudo, run_id, parser))
            except Exception as exc:  # noqa: BLE001 - reported by the caller, the others go on
                log.error("could not load %s: %s: %s", mask_path(rel), type(exc).__name__, mask(str(exc)))
                out[rel] = None
    return out


def _outcome(row) -> dict[str, Any]:
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
    results = [r for group in (results or []) for r in (group if isinstance(group, list) else [group]) if r]
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


def ingest_settled(params: dict[str, Any], waited: float) -> bool:
    """Has every delivered file been handled (loaded, quarantined or a duplicate)?

    The first task of ``transform`` under a scheduler: a delivery of several
    sources triggers ``transform`` as soon as the first source is loaded, while
    the others are still waiting for their turn. Building the marts then would
    build them twice, and mail twice. This waits until the landing zone holds
    nothing new, at most two ingestion intervals plus a minute (a file that
    keeps failing to load must not hold back the marts for ever). Outside a
    scheduler (``regie run``: ingestion has finished) it does not wait.
    """
    import os

    from .dagfactory import SCHEDULE_ENV, ingest_schedule
    from .sources.catalog import FAMILIES

    every = ingest_schedule(os.environ.get(SCHEDULE_ENV)) if os.environ.get(SCHEDULE_ENV) else None
    if every is None or not hasattr(every, "total_seconds"):
        return True
    settings = Settings.resolve(params)
    places = Places(settings.landing, settings.home)
    candidates = [rel for family in FAMILIES for rel in list_files(settings.landing, family)]
    with connect(settings.warehouse) as wh:
        try:
            pending = new_files(candidates, places, wh)
        except Exception:  # no ledger yet
            pending = candidates
    if not pending:
        return True
    limit = 2 * every.total_seconds() + 60
    if waited >= limit:
        log.warning(
            "%d bestanden nog niet verwerkt na %.0f s; de marts worden toch gebouwd", len(pending), waited
        )
        return True
    log.info("%d bestanden nog niet verwerkt (bijvoorbeeld %s); wachten", len(pending), pending[0])
    return False


def _build_state(settings: Settings):
    return settings.home / "transform" / "laatste_build.json"


def ledger_fingerprint(settings: Settings) -> str:
    """What a build of the marts depends on: the loaded files, the peildatum and the threshold."""
    from .transform import dbt_vars

    with connect(settings.warehouse) as wh:
        try:
            (n, last), *_ = wh.query(
                "select count(*), cast(max(geladen_op) as varchar) from audit.bestanden where status = 'geladen'"
            )
        except Exception:  # no ledger yet
            n, last = 0, None
    v = dbt_vars(settings)
    return f"{n} files, last {last}, peildatum {v['peildatum']}, threshold {v['threshold']}"


def build_needed(params: dict[str, Any], run_type: str) -> str | None:
    """The ledger's fingerprint when ``transform`` has something to build, else None.

    One delivery of several sources updates several raw assets, and every
    update after the first queues one more ``transform`` run. Such a run, when
    nothing was loaded since the last successful build at the same peildatum,
    builds nothing (and so triggers no second quality run and no second mail).
    Runs started by hand or by ``regie run`` always build.
    """
    import json

    settings = Settings.resolve(params)
    fingerprint = ledger_fingerprint(settings)
    if "asset" not in run_type.lower():  # DagRunType.ASSET_TRIGGERED / "asset_triggered"
        return fingerprint
    try:
        last = json.loads(_build_state(settings).read_text(encoding="utf-8")).get(
            describe(settings.warehouse)
        )
    except (OSError, ValueError):
        last = None
    if last == fingerprint:
        log.info("niets nieuws sinds de vorige build (%s): deze run bouwt niets", fingerprint)
        return None
    return fingerprint


def remember_build(params: dict[str, Any], fingerprint: str | None) -> None:
    """After a successful build: what it was built from (see :func:`build_needed`)."""
    import json

    if not fingerprint:
        return
    settings = Settings.resolve(params)
    path = _build_state(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    state[describe(settings.warehouse)] = fingerprint
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
    tmp.replace(path)
