"""Shared fixtures: real DuckDB files, a real PostgreSQL scratch database,
and `regie` run as users run it (the console script, in a subprocess).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REGIE = Path(sys.executable).parent / "regie"
TEST_KEY = "test-key-" + "0123456789abcdef" * 3
PG_BASE = os.environ.get("REGIE_TEST_PG", "postgresql://postgres@127.0.0.1:5432")

os.environ.setdefault("AIRFLOW__COSMOS__ENABLE_TELEMETRY", "False")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


@pytest.fixture
def key_env(monkeypatch):
    monkeypatch.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
    monkeypatch.delenv("REGIE_PSEUDONIEM_SLEUTEL_BESTAND", raising=False)
    return TEST_KEY


def regie_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "REGIE_"))}
    env["REGIE_PSEUDONIEM_SLEUTEL"] = TEST_KEY
    env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"] = "False"
    env["GX_ANALYTICS_ENABLED"] = "False"
    env.update(extra)
    return env


def run_regie(
    *args: str, env: dict[str, str] | None = None, timeout: int = 900, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run the installed console script, as a user would."""
    return subprocess.run(
        [str(REGIE), *args],
        env=env or regie_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or ROOT,
    )


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """The generator's default landing zone, written once per session."""
    from regie.generate import generate

    landing = tmp_path_factory.mktemp("generated") / "landing"
    manifest = generate(landing, seed=2025)
    return landing, manifest


@pytest.fixture
def pg_url():
    """A scratch PostgreSQL database, dropped afterwards."""
    import psycopg

    name = f"regie_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(f"{PG_BASE}/postgres", autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:  # pragma: no cover - CI starts PostgreSQL
        pytest.fail(f"PostgreSQL is not reachable at {PG_BASE}: {exc}")
    with admin:
        admin.execute(f'create database "{name}"')
    try:
        yield f"{PG_BASE}/{name}"
    finally:
        with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')


#: The peildatum of the reference run and of every run compared with it.
REFERENCE_PEILDATUM = "2025-02-25"


@pytest.fixture(scope="session")
def reference_run(generated, tmp_path_factory):
    """One uninterrupted `regie run` of the sample landing zone into DuckDB: what a run that was
    killed and restarted, or a `regie serve`, must end up with. Read it; copy before changing.

    Made once for the whole session, also under pytest-xdist: the first worker that needs it runs
    it (in the directory all workers share) and the others wait for it and read the same result.
    """
    import json
    import shutil

    from filelock import FileLock

    landing_src, manifest = generated
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's directory, above each worker's own
    root = shared / "reference"
    done = shared / "reference.json"
    with FileLock(str(shared / "reference.lock")):
        if not done.exists():
            if root.exists():  # an earlier attempt of this session failed half-way
                shutil.rmtree(root)
            root.mkdir()
            shutil.copytree(landing_src, root / "landing")
            result = run_regie(
                "run", "--peildatum", REFERENCE_PEILDATUM, "--landing", str(root / "landing"),
                "--warehouse", str(root / "wh" / "regie.duckdb"), "--home", str(root / "home"),
            )  # fmt: skip
            assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
            done.write_text(json.dumps({"stdout": result.stdout, "stderr": result.stderr}))
    output = json.loads(done.read_text())
    result = subprocess.CompletedProcess(["regie", "run"], 0, output["stdout"], output["stderr"])
    return {"root": root, "landing": root / "landing", "home": root / "home",
            "warehouse": root / "wh" / "regie.duckdb", "result": result, "manifest": manifest}  # fmt: skip
