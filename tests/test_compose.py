"""docker-compose.yml without a Docker engine: valid against the Compose Specification's JSON
schema, and every command, path and variable it names exists.

The schema is `schema/compose-spec.json` of the compose-spec repository (Apache-2.0), committed
in tests/fixtures (see tests/fixtures/README.md); Debian's docker-compose 1.29 predates it.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"
SCHEMA = ROOT / "tests" / "fixtures" / "compose-spec.json"
AIRFLOW_COMPONENTS = (
    "airflow-api-server",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
)
#: Variables read by something other than Airflow or regie, and who reads them.
OTHER_READERS = {
    "POSTGRES_USER": "the postgres image",
    "POSTGRES_PASSWORD": "the postgres image",
    "POSTGRES_DB": "the postgres image",
    "PGPASSWORD": "libpq (the warehouse connection)",
    "GX_ANALYTICS_ENABLED": "Great Expectations",
    "SCARF_ANALYTICS": "Airflow's usage telemetry",
    "DO_NOT_TRACK": "dbt and other tools' telemetry",
}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_compose_file_follows_the_compose_specification(compose):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(compose), key=lambda e: list(e.path))
    assert [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors] == []


def test_every_airflow_component_has_a_healthcheck_and_workers_scale(compose):
    services = compose["services"]
    for name in AIRFLOW_COMPONENTS:
        assert "healthcheck" in services[name], name
        assert services[name]["healthcheck"]["test"], name
    worker = services["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker  # --scale airflow-worker=N
    env = services["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert env["AIRFLOW__CORE__AUTH_MANAGER"].endswith("FabAuthManager")
    for service in services.values():
        for dependency in service.get("depends_on", {}):
            assert dependency in services


def _shell_words(text: str) -> list[list[str]]:
    """The airflow invocations in a command, with shell substitutions replaced by a word."""
    text = re.sub(r"\$\$\([^)]*\)|\$\$\{[^}]*\}|\$\{[^}]*\}", "X", text)
    out = []
    for part in re.split(r"&&|\|\||[()|;]", text):
        words = shlex.split(part)
        if words and words[0] == "airflow":
            out.append(words[1:])
    return out


def _airflow_invocations(compose) -> list[list[str]]:
    found = []
    for service in compose["services"].values():
        command = service.get("command")
        if isinstance(command, list):
            command = (
                " ".join(shlex.quote(w) for w in command) if command[0] == "airflow" else " ".join(command)
            )
        if command:
            found += _shell_words(command)
        test = (service.get("healthcheck") or {}).get("test") or []
        if test and test[0] == "CMD-SHELL":
            found += _shell_words(test[1])
    return found


_PARSE = r"""
import json, os, sys
os.environ["AIRFLOW__CORE__AUTH_MANAGER"] = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"
os.environ["AIRFLOW__CORE__EXECUTOR"] = "CeleryExecutor"
from airflow.cli.cli_parser import get_parser
from airflow.configuration import conf
parser = get_parser()
bad = []
for argv in json.loads(sys.argv[1]):
    try:
        parser.parse_args(argv)
    except SystemExit:
        bad.append(argv)
conf.load_providers_configuration()
described = conf.configuration_description  # every option Airflow and its providers document
import inspect, cosmos.settings  # Cosmos reads its [cosmos] section itself
cosmos_reads = inspect.getsource(cosmos.settings)
missing = [
    k for k in json.loads(sys.argv[2])
    if k.split("__")[2] not in (described.get(k.split("__")[1]) or {}).get("options", {})
    and not (k.split("__")[1] == "cosmos" and f'"{k.split("__")[2]}"' in cosmos_reads)
]
print(json.dumps({"bad": bad, "missing": missing}))
"""


def test_every_command_and_airflow_setting_exists(compose):
    invocations = _airflow_invocations(compose)
    assert ["db", "migrate"] in invocations and ["celery", "worker"] in invocations
    names = set()
    for service in compose["services"].values():
        names |= set(service.get("environment") or {})
    settings = sorted(
        n for n in names if n.startswith("AIRFLOW__") and not n.startswith("AIRFLOW__CELERY_BROKER_TRANSPORT")
    )
    out = subprocess.run(
        [sys.executable, "-c", _PARSE, json.dumps(invocations), json.dumps([s.lower() for s in settings])],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {"bad": [], "missing": []}
    # the programs the healthchecks call are in the image (regie's venv) or in their own image
    for name, service in compose["services"].items():
        test = (service.get("healthcheck") or {}).get("test") or []
        if not test:
            continue
        program = shlex.split(test[1])[0] if test[0] == "CMD-SHELL" else test[1]
        if name.startswith("airflow-"):
            assert program in ("python", "airflow", "celery"), (name, program)
            assert (ROOT / ".venv" / "bin" / program).exists() or shutil.which(program), program


def test_every_variable_is_read_by_someone_and_documented(compose):
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "regie").rglob("*.py"))
    database_init = compose["configs"]["regie_database"]["content"]
    for name, service in compose["services"].items():
        for var in service.get("environment") or {}:
            if var.startswith("AIRFLOW__") or var.startswith("AIRFLOW_CONN_"):
                continue  # checked against Airflow's configuration above
            if var.startswith("REGIE_") and name == "postgres":
                assert f"$${var}" in database_init, var  # used by the init script
            elif var.startswith("REGIE_"):
                assert f'"{var}"' in source, f"{var} is not read by regie"
            else:
                assert var in OTHER_READERS, var
    documented = (ROOT / "deploy" / "compose.env.example").read_text(encoding="utf-8")
    for var in set(re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)", COMPOSE.read_text(encoding="utf-8"))):
        assert re.search(rf"^(# )?{var}=", documented, re.MULTILINE), (
            f"{var} is not in deploy/compose.env.example"
        )


def test_every_path_exists_or_is_made_by_setup(compose, tmp_path):
    common = compose["x-airflow-common"]
    assert common["build"] == "." and (ROOT / "Dockerfile").is_file()
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    # inside the image: the DAG folder, and the folders the volumes are mounted on
    assert common["environment"]["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/regie/dags"
    assert (
        "WORKDIR /opt/regie" in dockerfile and "COPY dags ./dags" in dockerfile and (ROOT / "dags").is_dir()
    )
    for volume in common["volumes"]:
        source, target = volume.split(":")[:2]
        if target.startswith("/srv/regie/"):
            assert target in dockerfile, target
    # on the host: what the repository holds, or what deploy/setup.sh makes
    assert (ROOT / compose["configs"]["regie_contacten"]["file"].split(":-")[1].rstrip("}")).is_file()
    work = tmp_path / "repo"
    (work / "deploy").mkdir(parents=True)
    for name in ("setup.sh", "compose.env.example", "connections.example.yaml"):
        shutil.copy(ROOT / "deploy" / name, work / "deploy" / name)
    subprocess.run(["bash", str(work / "deploy" / "setup.sh")], check=True, capture_output=True, timeout=60)
    data = {"${REGIE_DATA_DIR:-./data}": work / "data"}

    def host(path: str):
        for var, where in data.items():
            path = path.replace(var, str(where))
        return work / path if not path.startswith("/") else Path(path)

    for volume in common["volumes"]:
        source = volume.split(":/")[0]
        if source.startswith("${") or source.startswith("."):
            assert host(source).is_dir(), source
    for secret in compose["secrets"].values():
        path = host(secret["file"])
        assert path.is_file() and path.stat().st_mode & 0o077 == 0, secret["file"]  # owner-only
    env = dict(
        line.split("=", 1)
        for line in (work / ".env").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    assert all(env[k] for k in env), env.keys()  # every required password and key has a value
    for name in common["secrets"] + compose["services"]["airflow-init"]["secrets"]:
        assert name in compose["secrets"]
