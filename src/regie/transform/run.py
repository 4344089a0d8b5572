"""Running dbt as a subprocess, and what came out of it."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .profiles import PROFILE_NAME, dbt_vars, write_profiles
from .project import dbt_executable, dbt_home, project_dir

if TYPE_CHECKING:
    from ..config import Settings

log = logging.getLogger("regie.transform")


class DbtCommandError(RuntimeError):
    """dbt exited with an error; ``result`` holds what it reported."""

    def __init__(self, message: str, result: BuildResult) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    status: str  # success | pass | error | fail | warn | skipped
    seconds: float
    message: str | None = None

    @property
    def name(self) -> str:
        return (
            self.unique_id.split(".")[-1]
            if self.unique_id.startswith(("model.", "seed."))
            else self.unique_id
        )

    @property
    def ok(self) -> bool:
        return self.status in ("success", "pass", "skipped", "no op", "warn")


@dataclass
class BuildResult:
    command: list[str]
    returncode: int
    seconds: float
    nodes: list[NodeResult] = field(default_factory=list)
    log_file: Path | None = None
    output: str = ""
    docs_dir: Path | None = None
    #: set by :func:`build`: the peildatum built, the gate's verdict, the publication
    peildatum: str | None = None
    blokkades: list[dict[str, Any]] = field(default_factory=list)
    publicatie: dict[str, Any] | None = None
    #: wall seconds per step of :func:`build` (controles, dbt, voorbereiden, publiceren)
    stappen: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def failures(self) -> list[NodeResult]:
        return [n for n in self.nodes if not n.ok]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for node in self.nodes:
            out[node.status] = out.get(node.status, 0) + 1
        return out

    def summary(self) -> str:
        counts = ", ".join(f"{v} {k}" for k, v in sorted(self.counts().items()))
        verdict = "ok" if self.ok else f"FAILED (exit {self.returncode})"
        text = f"dbt {self.command[0]}: {verdict} in {self.seconds:.1f}s ({counts or 'no nodes'})"
        for node in self.failures[:20]:
            text += f"\n  {node.status}: {node.unique_id}" + (f" - {node.message}" if node.message else "")
        return text


def _environment(settings: Settings) -> dict[str, str]:
    home = dbt_home(settings.home)
    env = dict(os.environ)
    env.update(
        {
            "DBT_PROFILES_DIR": str(home),
            "DBT_TARGET_PATH": str(home / "target"),
            "DBT_LOG_PATH": str(home / "logs"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_USE_COLORS": "false",
            "DO_NOT_TRACK": "1",
        }
    )
    # the static Cosmos profile's variables must not leak into this one
    for key in [k for k in env if k.startswith("REGIE_DBT_") and k != "REGIE_DBT_THREADS"]:
        env.pop(key)
    return env


def _node_results(target_path: Path) -> list[NodeResult]:
    path = target_path / "run_results.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [
        NodeResult(
            unique_id=r.get("unique_id", "?"),
            status=str(r.get("status", "?")),
            seconds=float(r.get("execution_time") or 0.0),
            message=r.get("message") if str(r.get("status")) not in ("success", "pass") else None,
        )
        for r in data.get("results", [])
    ]


def run_dbt(
    settings: Settings,
    args: list[str],
    *,
    threshold: int | None = None,
    target_path: Path | None = None,
    check: bool = False,
    extra_vars: dict[str, Any] | None = None,
) -> BuildResult:
    """Run one dbt command for the settings' warehouse, in a subprocess.

    ``extra_vars``: dbt vars besides the run's own (regie.quality.gegevens.bouw passes
    ``kwaliteit_keuze``).

    Writes ``<home>/dbt/profiles.yml`` first; dbt's target and logs go to
    ``<home>/dbt/target`` and ``<home>/dbt/logs``. Never raises on a dbt
    failure unless ``check``; the result tells.
    """
    write_profiles(settings)
    env = _environment(settings)
    if target_path is not None:
        env["DBT_TARGET_PATH"] = str(target_path)
    command = [
        *args,
        "--profile",
        PROFILE_NAME,
        "--vars",
        json.dumps({**dbt_vars(settings, threshold), **(extra_vars or {})}),
    ]
    # a run that stops before writing its results must not report the previous run's
    (Path(env["DBT_TARGET_PATH"]) / "run_results.json").unlink(missing_ok=True)
    log.info("dbt %s (peildatum %s)", " ".join(args), dbt_vars(settings, threshold)["peildatum"])
    started = time.monotonic()
    proc = subprocess.run(
        [dbt_executable(), *command],
        cwd=project_dir(),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.monotonic() - started
    output = proc.stdout + (("\n" + proc.stderr) if proc.stderr else "")
    result = BuildResult(
        command=list(args),
        returncode=proc.returncode,
        seconds=seconds,
        nodes=_node_results(Path(env["DBT_TARGET_PATH"]))
        if args and args[0] in ("build", "run", "test", "seed")
        else [],
        log_file=Path(env["DBT_LOG_PATH"]) / "dbt.log",
        output=output,
    )
    log.info("%s", result.summary())
    if check and not result.ok:
        raise DbtCommandError(result.summary() + "\n" + _tail(output), result)
    return result


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


def build(
    settings: Settings,
    *,
    full_refresh: bool = False,
    threshold: int | None = None,
    docs: bool = True,
    check: bool = False,
    publish: bool = True,
    unit_tests: bool = False,
) -> BuildResult:
    """A whole transform run, as the transform DAG does it (regie.transform.flow):

    the blocking checks judge the deliveries at the peildatum (``settings.peildatum``,
    default the latest delivery date; one before the first delivery raises
    regie.peildatum.PeildatumFout before anything changes), ``dbt build``, then
    publiek and historie, then the publication (``publish=False`` stops before it),
    and ``dbt docs generate`` into ``<home>/dbt/docs`` (when the project changed).

    ``full_refresh`` rebuilds the incremental models from all their input
    (``regie run --full-refresh``). ``unit_tests`` also runs dbt's unit tests: they
    test the models' logic on fixed rows, not the data, so a production run leaves
    them to the test suite (``make test``), which runs them on every build it does.
    """
    import dataclasses

    from . import flow

    params = settings.as_params()
    steps: dict[str, float] = {}
    started = time.monotonic()
    verdict = flow.start(params, settings.run_id)
    steps["controles"] = time.monotonic() - started
    built = dataclasses.replace(settings, peildatum=verdict["peildatum"])
    started = time.monotonic()
    result = dbt_build(
        built, full_refresh=full_refresh, threshold=threshold, docs=docs, check=check, unit_tests=unit_tests
    )
    steps["dbt"] = time.monotonic() - started
    result.peildatum = verdict["peildatum"]
    result.blokkades = verdict["blokkades"]
    if result.ok:
        started = time.monotonic()
        flow.prepare(built.as_params(), verdict)
        steps["voorbereiden"] = time.monotonic() - started
        if publish:
            started = time.monotonic()
            result.publicatie = flow.publish_(built.as_params(), verdict.get("run_id"))
            steps["publiceren"] = time.monotonic() - started
    result.stappen = {k: round(v, 2) for k, v in steps.items()}
    return result


def dbt_build(
    settings: Settings,
    *,
    select: str | None = None,
    exclude: str | None = None,
    full_refresh: bool = False,
    threshold: int | None = None,
    docs: bool = True,
    check: bool = False,
    unit_tests: bool = True,
) -> BuildResult:
    """``dbt build`` alone (seeds, models, tests; unit tests unless ``unit_tests=False``), then
    ``dbt docs generate``.

    Uses the verdict the blocking checks last recorded for the peildatum (none: no
    delivery is in force); use :func:`build` for a whole run. The docs site lands in
    ``<home>/dbt/docs``.
    """
    from ..quality import schema as quality_schema
    from ..warehouse import connect

    with connect(settings.warehouse) as wh:  # the verdict tables staging reads as sources
        quality_schema.ensure(wh)
    args = ["build"]
    if select:
        args += ["--select", select]
    if exclude:
        args += ["--exclude", exclude]
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    if full_refresh:
        args.append("--full-refresh")
    result = run_dbt(settings, args, threshold=threshold, check=check)
    if result.ok and docs:
        docs_result = docs_generate(settings, threshold=threshold)
        if docs_result.ok:
            result.docs_dir = dbt_home(settings.home) / "docs"
        else:
            log.warning("dbt docs generate failed: %s", _tail(docs_result.output, 10))
    return result


def docs_fingerprint(settings: Settings) -> str:
    """What the docs site depends on: the project's files, dbt's version, the warehouse.

    Not the peildatum or the data: the site describes the models and their columns
    (the catalog's types), which follow from the project and the backend alone.
    """
    import hashlib
    from importlib import metadata

    digest = hashlib.sha256()
    root = project_dir()
    for folder in ("models", "macros", "seeds", "tests"):
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update((root / "dbt_project.yml").read_bytes())
    for dist in ("dbt-core", "dbt-duckdb", "dbt-postgres"):
        try:
            digest.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            pass
    digest.update(settings.warehouse.encode())
    return digest.hexdigest()


def docs_generate(settings: Settings, *, threshold: int | None = None, force: bool = False) -> BuildResult:
    """``dbt docs generate --static``: the docs site as one file, ``<home>/dbt/docs/index.html``.

    dbt's plain ``index.html`` fetches ``manifest.json`` and ``catalog.json`` from beside it,
    which a browser refuses for a file opened from disk and which is lost when the page is
    mailed or copied; ``--static`` writes them into the page itself. Tracking stays off
    (``send_anonymous_usage_stats: false``), so the page's code never loads dbt's tracker: it
    makes no request outside the file. Runs in the build's own target folder so dbt can reuse
    its parse.

    Skipped (ok, 0 seconds) when the site in place was made from the same project, dbt and
    warehouse (:func:`docs_fingerprint`, kept in ``<home>/dbt/docs.fingerprint``): a full
    parse and catalog cost as much as a small build, on every run, for the same page.
    ``force`` makes it anyway.
    """
    docs = dbt_home(settings.home) / "docs"
    stamp = dbt_home(settings.home) / "docs.fingerprint"
    fingerprint = docs_fingerprint(settings)
    if not force and (docs / "index.html").is_file():
        try:
            same = stamp.read_text(encoding="utf-8").strip() == fingerprint
        except OSError:
            same = False
        if same:
            log.info("dbt docs: the site in %s is current (project unchanged)", docs)
            return BuildResult(command=["docs", "generate"], returncode=0, seconds=0.0, docs_dir=docs)
    stamp.unlink(missing_ok=True)
    result = run_dbt(settings, ["docs", "generate", "--static"], threshold=threshold)
    if result.ok:
        source = dbt_home(settings.home) / "target"
        docs.mkdir(parents=True, exist_ok=True, mode=0o700)
        for stale in ("manifest.json", "catalog.json"):  # an older site's separate files
            (docs / stale).unlink(missing_ok=True)
        tmp = docs / "index.html.tmp"
        shutil.copyfile(source / "static_index.html", tmp)
        tmp.replace(docs / "index.html")
        result.docs_dir = docs
        stamp.write_text(fingerprint + "\n", encoding="utf-8")
    return result


def parse(settings: Settings, *, target_path: Path | None = None) -> Path:
    """``dbt parse``; returns the path of the manifest.json it wrote."""
    target = target_path or dbt_home(settings.home) / "target"
    run_dbt(settings, ["parse"], target_path=target, check=True)
    return target / "manifest.json"


def describe_nodes(result: BuildResult) -> list[dict[str, Any]]:
    """The per-node outcome as plain dicts (for XCom and JSON reports)."""
    return [{"node": n.unique_id, "status": n.status, "seconds": round(n.seconds, 3)} for n in result.nodes]
