"""``regie serve``: the real Airflow components on this machine, until stopped.

``regie run`` drives the DAGs in its own process; ``regie serve`` runs them the
way a deployment does, as child processes with the project's configuration:

* ``airflow api-server`` (UI, REST API and the execution API the tasks talk to),
  on 127.0.0.1 and a free port unless ``--port`` is given;
* ``airflow scheduler`` (with the LocalExecutor it also runs the tasks);
* ``airflow dag-processor`` (parses ``dags/``);
* ``airflow triggerer`` (deferred tasks: Cosmos' watcher sensors defer);
* with ``--executor celery``: ``airflow celery worker`` processes on the
  broker (default Redis at 127.0.0.1:6379), on a queue of their own.

Airflow's metadata lives in ``<home>/airflow/airflow.db`` (SQLite) or in the
PostgreSQL database of ``--metadata``; Celery needs the latter. The ingestion
DAGs look at the landing zone every ``--every`` (default 5 minutes): a delivery
dropped there is loaded by the next run, the raw assets trigger ``transform``,
its ``regie://marts`` asset triggers ``quality``, which writes the scorecard and
mails. Nobody triggers anything by hand.

Stopping (SIGTERM, SIGINT, Ctrl-C): every component gets SIGTERM and 30
seconds to finish; then whatever is still running below ``regie serve`` is
killed. Nothing is left: ``regie serve`` is a child subreaper, so even
processes that started their own session (dbt does) stay its descendants. When
``regie serve`` itself is killed with ``kill -9``, its components get SIGTERM
from the kernel (parent-death signal), and the next ``regie serve`` on the same
home ends whatever the killed one left (every process it started carries its
mark in the environment) before it starts anything.

Everything each component prints goes to ``<home>/logs/serve/<component>.log``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import processes
from .config import Settings
from .preflight import Refusal, check, postgres_database
from .warehouse import WarehouseTargetError, describe, is_postgres, normalise

#: Seconds a component gets to stop after SIGTERM before it is killed.
STOP_GRACE = 30
#: Seconds the api-server gets to answer its health check at start.
START_TIMEOUT = 180


@dataclass
class Component:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _airflow() -> str:
    beside = Path(sys.executable).parent / "airflow"
    return str(beside) if beside.exists() else "airflow"


def _secrets(home: Path) -> dict[str, str]:
    """Secrets the components share (JWT, API, Fernet): made once per home, owner-only."""
    path = home / "airflow" / "serve-secrets.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    import base64

    values = {
        "jwt_secret": secrets.token_urlsafe(32),
        "api_secret_key": secrets.token_urlsafe(32),
        "fernet_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(values, fh)
    return values


def metadata_urls(url: str) -> tuple[str, str]:
    """Airflow's sync (psycopg2) and async (psycopg 3) SQLAlchemy URLs for a postgresql:// URL."""
    plain = normalise(url)
    if not is_postgres(plain):
        raise Refusal(f"--metadata must be a postgresql:// URL, not {describe(url)}")
    rest = plain.split("://", 1)[1]
    return f"postgresql+psycopg2://{rest}", f"postgresql+psycopg://{rest}"


def identity(home: Path) -> str:
    """A short name for this home: the Celery queue and the Redis key prefix are made of it,
    so two homes never share tasks on one broker, and a restart finds its own queue."""
    return "regie-" + hashlib.sha256(str(home.resolve()).encode()).hexdigest()[:10]


def environment(
    settings: Settings,
    *,
    executor: str,
    metadata: str | None,
    broker: str,
    port: int,
    every: str,
    contacten: Path | None,
    mark: str,
) -> dict[str, str]:
    """The environment of every component: Airflow's settings and regie's places."""
    from .runner import airflow_environment

    home = settings.home
    env = dict(os.environ)
    env.update(airflow_environment(home))
    keys = _secrets(home)
    name = identity(home)
    env.update(
        {
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor" if executor == "celery" else "LocalExecutor",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__API_AUTH__JWT_SECRET": keys["jwt_secret"],
            "AIRFLOW__API__SECRET_KEY": keys["api_secret_key"],
            "AIRFLOW__CORE__FERNET_KEY": keys["fernet_key"],
            # the admin's password is generated into <home>/airflow (see the start message)
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            # a task whose process vanished (kill -9, a lost worker) is failed and retried after a minute
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "60",
            "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "300",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "60",
            "REGIE_HOME": str(home),
            "REGIE_LANDING": str(settings.landing),
            "REGIE_WAREHOUSE": settings.warehouse,
            "REGIE_INGEST_SCHEDULE": every,
            processes.SERVE_MARK: mark,
            "PYTHONUNBUFFERED": "1",
        }
    )
    if settings.peildatum:
        env["REGIE_PEILDATUM"] = str(settings.peildatum)
    if contacten is not None:
        env["REGIE_CONTACTEN"] = str(contacten)
    if metadata:
        sync, asynchronous = metadata_urls(metadata)
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] = sync
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"] = asynchronous
    if executor == "celery":
        env.update(
            {
                "AIRFLOW__CELERY__BROKER_URL": broker,
                "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata_urls(metadata or "")[0],
                "AIRFLOW__OPERATORS__DEFAULT_QUEUE": name,
                "AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__GLOBAL_KEYPREFIX": f"{name}:",
                "AIRFLOW__CELERY_BROKER_TRANSPORT_OPTIONS__VISIBILITY_TIMEOUT": "21600",
                "AIRFLOW__CELERY__WORKER_CONCURRENCY": "4",
            }
        )
    return env


def components(executor: str, port: int, workers: int, queue: str) -> list[Component]:
    af = _airflow()
    out = [
        Component("api-server", [af, "api-server", "--host", "127.0.0.1", "--port", str(port)]),
        Component("scheduler", [af, "scheduler"]),
        Component("dag-processor", [af, "dag-processor"]),
        Component("triggerer", [af, "triggerer"]),
    ]
    if executor == "celery":
        for i in range(1, workers + 1):
            out.append(
                Component(
                    f"celery-worker-{i}",
                    [
                        af,
                        "celery",
                        "worker",
                        "--queues",
                        queue,
                        "--celery-hostname",
                        f"{queue}-{i}@%h",
                        "--without-mingle",
                        "--without-gossip",
                    ],
                )  # fmt: skip
            )
    return out


def _child_setup() -> None:
    """In each component, before exec: its own process group, and SIGTERM when serve dies."""
    os.setpgid(0, 0)
    processes.die_with_parent(signal.SIGTERM)


def _run_once(command: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"\n$ {' '.join(command)}\n")
        fh.flush()
        result = subprocess.run(
            command, env=env, stdout=fh, stderr=subprocess.STDOUT, preexec_fn=_child_setup, check=False
        )
    if result.returncode != 0:
        raise RuntimeError(f"'{' '.join(command[1:])}' failed (exit {result.returncode}); see {log}")


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=5) as r:
            return r.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _check_broker(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except Exception as exc:  # redis.ConnectionError and friends
        raise Refusal(f"cannot reach the Celery broker at {describe(url)}: {exc}") from None


class _Stop(Exception):
    pass


def _state_file(home: Path) -> Path:
    return home / "airflow" / "serve.json"


def end_leftovers(home: Path, out) -> int:
    """End what a ``regie serve`` on this home that was killed left running; returns how many."""
    try:
        previous = json.loads(_state_file(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    pid = int(previous.get("pid", 0))
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        cmdline = []
    if pid != os.getpid() and processes.alive(pid) and b"serve" in cmdline:
        raise Refusal(f"regie serve is already running on {home} (pid {pid}); stop it first")
    left = processes.marked(previous.get("mark", "-"))
    if left:
        out.write(f"ending {len(left)} processes left by a regie serve that was killed\n")
        processes.signal_all(left, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(processes.alive(p) for p in left):
            time.sleep(0.2)
    return len(left)


def serve(args: Any, given: dict[str, Any], out=None) -> int:
    """Check, start every component, wait for a stop signal, stop everything."""
    out = out or sys.stdout
    if args.executor == "celery" and not args.metadata:
        raise Refusal(
            "--executor celery needs --metadata postgresql://...: Celery workers cannot share SQLite"
        )
    try:
        from .dagfactory import ingest_schedule

        ingest_schedule(args.every)
    except ValueError as exc:
        raise Refusal(f"--every: {str(exc).split(': ', 1)[1]}") from None
    checked = check(given, args.contacten)
    settings = checked.settings
    if args.metadata:
        try:
            metadata_urls(args.metadata)
        except WarehouseTargetError as exc:
            raise Refusal(f"--metadata: {exc}") from None
        postgres_database(normalise(args.metadata), "metadata")
    if args.executor == "celery":
        _check_broker(args.broker)

    home = settings.home
    (home / "airflow").mkdir(parents=True, exist_ok=True)
    logs = home / "logs" / "serve"
    logs.mkdir(parents=True, exist_ok=True)
    end_leftovers(home, out)
    mark = f"{os.getpid()}-{secrets.token_hex(4)}"
    port = args.port or _free_port()
    contacten = Path(args.contacten).resolve() if args.contacten else None
    env = environment(
        settings,
        executor=args.executor,
        metadata=args.metadata,
        broker=args.broker,
        port=port,
        every=args.every,
        contacten=contacten,
        mark=mark,
    )
    _state_file(home).write_text(
        json.dumps(
            {"pid": os.getpid(), "mark": mark, "port": port, "started": dt.datetime.now().isoformat()}
        ),
        encoding="utf-8",
    )
    processes.become_subreaper()

    stop = {"signal": None}

    def _on_signal(signum, _frame):
        stop["signal"] = signum
        raise _Stop()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, _on_signal)

    parts = components(args.executor, port, args.workers, identity(home))
    code = 0
    try:
        out.write(f"regie serve: Airflow home {home / 'airflow'}, logs in {logs}\n")
        out.flush()
        _run_once([_airflow(), "db", "migrate"], env, logs / "init.log")
        _run_once(
            [_airflow(), "pools", "set", "regie_warehouse", "1", "One writer at a time for the warehouse"],
            env,
            logs / "init.log",
        )
        for part in parts:
            fh = (logs / f"{part.name}.log").open("a", encoding="utf-8")
            part.process = subprocess.Popen(
                part.command, env=env, stdout=fh, stderr=subprocess.STDOUT, preexec_fn=_child_setup
            )
            fh.close()
        deadline = time.monotonic() + START_TIMEOUT
        while not _healthy(port):
            _check_running(parts)
            if time.monotonic() > deadline:
                raise RuntimeError(f"the api-server did not answer within {START_TIMEOUT} s; see {logs}")
            time.sleep(1)
        password_file = home / "airflow" / "simple_auth_manager_passwords.json.generated"
        out.write(
            "\n".join(
                [
                    f"regie serve is running ({args.executor} executor, pid {os.getpid()})",
                    f"  Airflow:    http://127.0.0.1:{port}  (user admin, password in {password_file})",
                    f"  landing:    {settings.landing}  (looked at every {args.every})",
                    f"  warehouse:  {describe(settings.warehouse)}",
                    f"  metadata:   {describe(args.metadata) if args.metadata else home / 'airflow' / 'airflow.db'}",
                    f"  failures:   {home / 'logs' / 'failures.jsonl'}",
                    "  stop:       Ctrl-C or kill -TERM " + str(os.getpid()),
                    "",
                ]
            )
        )
        out.flush()
        while True:
            _check_running(parts)
            time.sleep(1)
    except _Stop:
        out.write(f"regie serve: stopping (signal {stop['signal']})\n")
    except RuntimeError as exc:
        out.write(f"regie serve: {exc}\n")
        code = 1
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        _stop_all(parts, mark)
        _state_file(home).unlink(missing_ok=True)
        out.write("regie serve: stopped; no process left\n")
        out.flush()
    return code


def _check_running(parts: list[Component]) -> None:
    for part in parts:
        if part.process is not None and part.process.poll() is not None:
            raise RuntimeError(f"{part.name} stopped unexpectedly (exit {part.process.returncode})")


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


#: Stopping order: first what runs tasks (they may still talk to the api-server),
#: then what feeds them, the api-server last.
STOP_ORDER = (("scheduler", "celery-worker"), ("triggerer", "dag-processor"), ("api-server",))


def _stop_all(parts: list[Component], mark: str) -> None:
    """SIGTERM to each component's process group in :data:`STOP_ORDER`, then SIGKILL to
    anything still below us or carrying our mark."""
    deadline = time.monotonic() + STOP_GRACE
    for names in STOP_ORDER:
        group = [p for p in parts if p.name.startswith(names) and p.process is not None]
        for part in group:
            if part.process.poll() is None:
                try:
                    os.killpg(part.process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        while time.monotonic() < deadline and any(p.process.poll() is None for p in group):
            _reap()
            time.sleep(0.2)
    while time.monotonic() < deadline and processes.descendants(os.getpid()):
        _reap()
        time.sleep(0.2)
    for _ in range(50):
        left = set(processes.descendants(os.getpid())) | set(processes.marked(mark))
        if not left:
            return
        processes.signal_all(sorted(left), signal.SIGKILL)
        time.sleep(0.2)
        _reap()
