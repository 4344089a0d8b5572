"""Running regie's Airflow DAGs in-process, as ``regie run`` does.

Airflow keeps its metadata in SQLite under ``<home>/airflow``; each DAG runs
with ``dag.test()``, the same DAG objects a scheduler would run. Airflow's
own output goes to ``<home>/logs/run-<stamp>.log``; the terminal shows
regie's progress per DAG and task and a closing summary.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import resources
from .config import Settings
from .private import private_dir, private_tree

INGEST_DAGS = (
    "ingest_duo",
    "ingest_coa_tvs",
    "ingest_gemeente",
    "ingest_rijk_provincie",
    "ingest_begeleiding",
)
#: What ``regie run`` runs, in order: ingestion, then the marts, then the checks.
#: Under a scheduler the same order follows from the assets.
ALL_DAGS = (*INGEST_DAGS, "transform", "quality")
#: ``regie run --until STEP``: the DAGs up to and including that step. ``monitor`` (the
#: reports per gemeente) only when asked: ``regie run --until monitor``, ``regie demo``.
STEPS = {
    "ingest": INGEST_DAGS,
    "transform": (*INGEST_DAGS, "transform"),
    "quality": ALL_DAGS,
    "monitor": (*ALL_DAGS, "monitor"),
}


def dags_folder() -> Path:
    """regie's DAG files (``dags/`` in the repository, installed as the package ``regie.dags``;
    ``REGIE_DAGS`` overrides)."""
    given = os.environ.get("REGIE_DAGS")
    return Path(given) if given else resources.folder(resources.DAGS)


#: The DAG folder ``regie run`` shows Airflow: links to the one DAG file being run.
RUN_DAGS = "regie-run-dags"


def airflow_environment(home: Path, dags: Path | None = None) -> dict[str, str]:
    """Environment for an embedded Airflow under ``home`` (set before importing airflow);
    ``dags``: the DAG folder (default: regie's own)."""
    af = home / "airflow"
    return {
        "AIRFLOW_HOME": str(af),
        "AIRFLOW__CORE__DAGS_FOLDER": str(dags or dags_folder()),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{af / 'airflow.db'}",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs" / "airflow"),
        # task logs may name files and counts: owner-only, like everything under home
        "AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FOLDER_PERMISSIONS": "0o700",
        "AIRFLOW__LOGGING__FILE_TASK_HANDLER_NEW_FILE_PERMISSIONS": "0o600",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
        "GX_ANALYTICS_ENABLED": "False",
        "SCARF_ANALYTICS": "false",
        "DO_NOT_TRACK": "1",
    }


@dataclass
class DagOutcome:
    dag_id: str
    state: str
    seconds: float
    failed_tasks: list[str] = field(default_factory=list)
    #: "<dag>.<task>: <reason in one line>" for each task that failed (from regie.failures)
    reasons: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    run_id: str
    dags: list[DagOutcome]
    seconds: float
    log_file: Path
    totals: dict[str, int]

    @property
    def ok(self) -> bool:
        return all(d.state == "success" for d in self.dags)


class _Progress(logging.Handler):
    """Turns Airflow's and regie's log records into short progress lines."""

    _start = re.compile(r"\[DAG TEST\] starting task_id=(\S+) map_index=(-?\d+)")

    def __init__(self, out: TextIO) -> None:
        super().__init__(logging.INFO)
        self.out = out

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage()
        except Exception:  # never let progress output break a run
            return
        if record.name.startswith("airflow.sdk.definitions.dag"):
            m = self._start.search(msg)
            if m and m.group(2) in ("-1",):
                self._print(f"    task {m.group(1)}")
            return
        if record.name.startswith("regie"):
            self._print(f"      {msg}")

    def _print(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()


class _Terminal:
    """The console stream of a run. When its reader goes away (``regie run | head``, a
    closed SSH session) writing raises BrokenPipeError; the run must go on regardless
    (its log file has everything), so from then on console output is dropped."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                self._stream.write(text)
                self._stream.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.gone = True
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.gone = True

    def close(self) -> None:
        try:
            self._stream.close()
        except OSError:
            pass


@contextlib.contextmanager
def _output_to(log_file: Path):
    """Send everything written to stdout/stderr (fd level) to the log file (owner-only).

    Yields a stream that still reaches the terminal.
    """
    private_dir(log_file.parent)
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    terminal = _Terminal(os.fdopen(os.dup(saved_out), "w", buffering=1, encoding="utf-8"))
    fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        os.dup2(fh.fileno(), 1)
        os.dup2(fh.fileno(), 2)
        try:
            yield terminal
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved_out, 1)
            os.dup2(saved_err, 2)
            os.close(saved_out)
            os.close(saved_err)
            terminal.close()


def prepare_airflow(home: Path, dags: Path | None = None) -> None:
    """Point Airflow at ``home`` and bring its metadata database up to date.

    The metadata database holds every run's parameters and logs; it and its folder are
    owner-only, also when an older regie created them readable for others.
    """
    os.environ.update(airflow_environment(home, dags))
    private_dir(home / "airflow")
    private_dir(home / "logs")
    # Migrating takes seconds even when there is nothing to migrate: done once per Airflow
    # version (the marker names the version that last migrated this database).
    marker = home / "airflow" / ".regie-migrated"
    database = home / "airflow" / "airflow.db"
    from airflow import __version__ as airflow_version

    if not (database.is_file() and marker.is_file() and marker.read_text().strip() == airflow_version):
        from airflow.utils.db import upgradedb

        upgradedb()
        marker.write_text(airflow_version + "\n", encoding="utf-8")
    private_tree(home / "airflow")
    from airflow.models.pool import Pool

    from .dagfactory import WAREHOUSE_POOL

    Pool.create_or_update_pool(
        WAREHOUSE_POOL,
        slots=1,
        description="One writer at a time for the DuckDB warehouse",
        include_deferred=False,
    )


def run_dags(
    settings: Settings, dag_ids: tuple[str, ...] = INGEST_DAGS, out: TextIO | None = None
) -> RunReport:
    """Run the DAGs one after another in-process; never raises on a failed task."""
    out = out or sys.stdout
    run_id = settings.run_id or f"regie-{dt.datetime.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    settings = Settings(settings.home, settings.landing, settings.warehouse, settings.peildatum, run_id)
    log_file = settings.home / "logs" / f"{run_id}.log"
    started = time.monotonic()
    outcomes: list[DagOutcome] = []
    with _output_to(log_file) as terminal:
        progress = _Progress(terminal)
        watched = [logging.getLogger("airflow.sdk.definitions.dag"), logging.getLogger("regie")]
        try:
            terminal.write(f"regie run {run_id}\n  Airflow metadata: {settings.home / 'airflow'}\n")
            os.environ["REGIE_RUN_LOG"] = str(log_file)  # named in failure mails (regie.failures)
            prepare_airflow(settings.home, settings.home / "airflow" / RUN_DAGS)
            from airflow.dag_processing.dagbag import DagBag

            bag = _dag_bag(DagBag, dag_ids)
            # attached after Airflow configured its logging, which resets handlers
            for lg in watched:
                lg.addHandler(progress)
                lg.setLevel(logging.INFO)
            if bag.import_errors:
                for path, err in bag.import_errors.items():
                    terminal.write(f"  DAG import error in {path}: {err.splitlines()[-1]}\n")
            for dag_id in dag_ids:
                own = _show_only(dag_id)
                dag = DagBag(str(own)).get_dag(dag_id) if own else bag.get_dag(dag_id)
                t0 = time.monotonic()
                terminal.write(f"  DAG {dag_id}\n")
                if dag is None:
                    outcomes.append(DagOutcome(dag_id, "missing", 0.0))
                    terminal.write("    not found in the DAG folder\n")
                    continue
                try:
                    dagrun = dag.test(run_conf=settings.as_params())
                    state = str(getattr(dagrun.state, "value", dagrun.state))
                    failed = [
                        ti.task_id + (f"[{ti.map_index}]" if ti.map_index >= 0 else "")
                        for ti in dagrun.get_task_instances()
                        if str(getattr(ti.state, "value", ti.state)) in ("failed", "upstream_failed")
                    ]
                    if failed and state == "success":
                        state = "failed"
                    own = [
                        (ti.task_id, ti.map_index)
                        for ti in dagrun.get_task_instances()
                        if str(getattr(ti.state, "value", ti.state)) == "failed"
                    ]
                except Exception as exc:  # an Airflow error, not an input problem
                    logging.getLogger("regie.runner").exception("DAG %s crashed", dag_id)
                    state, failed, own = "failed", [f"{type(exc).__name__}: {exc}"], []
                outcome = DagOutcome(dag_id, state, time.monotonic() - t0, failed)
                outcome.reasons = failure_reasons(settings.home, run_id, dag_id, own) or [
                    f"{dag_id}: {line}"
                    for line in failed
                    if " " in line  # the DAG itself crashed
                ]
                outcomes.append(outcome)
                terminal.write(
                    f"    -> {state} in {outcome.seconds:.1f}s"
                    + (f"; failed: {', '.join(failed)}" if failed else "")
                    + "\n"
                )
        finally:
            for lg in watched:
                lg.removeHandler(progress)
            if (settings.home / "airflow" / RUN_DAGS).is_dir():
                _empty(settings.home / "airflow" / RUN_DAGS)  # a link would show the DAG file's mode
    totals = ledger_totals(settings.warehouse, run_id)
    return RunReport(run_id, outcomes, time.monotonic() - started, log_file, totals)


def _dag_bag(dag_bag_class, dag_ids: tuple[str, ...]):
    """The DAGs of this run, parsing only their files (``<dag_id>.py``).

    ``--until ingest`` then never parses the transform DAG (Cosmos, the dbt
    manifest) or the quality DAG. When a DAG has no file of its own name (a
    deployment with its own DAG folder), the whole folder is parsed.
    """
    folder = dags_folder()
    files = [folder / f"{dag_id}.py" for dag_id in dag_ids]
    if not all(f.is_file() for f in files):
        return dag_bag_class(str(folder))
    bag = dag_bag_class(str(files[0]))
    for f in files[1:]:
        bag.collect_dags(str(f))
    return bag


def _show_only(dag_id: str) -> Path | None:
    """Let Airflow's DAG folder hold only this DAG's file (a link to it); the folder, or None.

    ``dag.test()`` parses every file of the DAG folder and writes every DAG to the
    metadata database before each run, the Cosmos DAG included: seconds per DAG
    for DAGs this step does not run. ``regie run`` points Airflow at a folder of
    its own (``<home>/airflow/regie-run-dags``) and links the one file there. When
    Airflow was started with another folder in this process, nothing changes (None).
    """
    from airflow import settings as airflow_settings

    folder = Path(airflow_settings.DAGS_FOLDER)
    source = dags_folder() / f"{dag_id}.py"
    if folder.name != RUN_DAGS or not source.is_file():
        return None
    _empty(folder)
    (folder / source.name).symlink_to(source.resolve())
    return folder


def _empty(folder: Path) -> None:
    """No DAG file (link) left in regie run's own DAG folder; the folder owner-only."""
    private_dir(folder)
    for old in folder.iterdir():
        if old.is_symlink() or old.suffix == ".py":
            old.unlink()


def failure_reasons(home: Path, run_id: str, dag_id: str, failed: list[tuple[str, int]]) -> list[str]:
    """One line per failed task of this DAG: the reason its failure callback recorded.

    ``failed``: (task_id, map_index) of the task instances that failed themselves
    (not those that did not run because an upstream task failed). One without a
    record (killed before its callback ran) says so.
    """
    from .failures import read_failures, task_label

    recorded = {
        (r["task_id"], r.get("map_index", -1)): f"{task_label(r)}: {r['reden']}"  # the last try wins
        for r in read_failures(home, run_id)
        if r.get("dag_id") == dag_id
    }
    lines = []
    for task_id, map_index in failed:
        suffix = f"[{map_index}]" if map_index >= 0 else ""
        lines.append(
            recorded.get((task_id, map_index), f"{dag_id}.{task_id}{suffix}: no reason recorded; see the log")
        )
    return lines


def ledger_totals(warehouse: str, run_id: str) -> dict[str, int]:
    from .warehouse import connect

    with connect(warehouse) as wh:
        try:
            rows = wh.query(
                "select status, count(*), coalesce(sum(rijen_geladen), 0), coalesce(sum(rijen_afgewezen), 0) "
                "from audit.bestanden where run_id = ? group by status",
                (run_id,),
            )
        except Exception:  # no ledger yet: nothing ran
            rows = []
    totals = {"geladen": 0, "quarantaine": 0, "duplicaat": 0, "rijen_geladen": 0, "rijen_afgewezen": 0}
    for status, n, loaded, rejected in rows:
        totals[status] = int(n)
        totals["rijen_geladen"] += int(loaded)
        totals["rijen_afgewezen"] += int(rejected)
    return totals


def format_failures(report: RunReport) -> str:
    """The closing lines of ``regie run``: why each failed task failed ("" when none did)."""
    reasons = [line for d in report.dags for line in d.reasons]
    if not reasons:
        return ""
    return "\n".join(["", "Failed:", *(f"  {line}" for line in reasons)])


def format_report(report: RunReport) -> str:
    t = report.totals
    lines = [
        "",
        f"Summary of {report.run_id}",
        f"  files:  {t['geladen']} loaded, {t['quarantaine']} quarantined, {t['duplicaat']} duplicate",
        f"  rows:   {t['rijen_geladen']} loaded, {t['rijen_afgewezen']} rejected",
        f"  time:   {report.seconds:.1f} s",
        "  DAGs:   " + ", ".join(f"{d.dag_id} {d.state}" for d in report.dags),
        f"  log:    {report.log_file}",
    ]
    return "\n".join(lines)
