"""The dbt target for a warehouse: a DuckDB file or a ``postgresql://`` URL.

Two ways to hand it to dbt, from the same description:

* :func:`write_profiles` writes a concrete ``profiles.yml`` under
  ``<home>/dbt/`` (used by :func:`regie.transform.build`);
* :func:`dbt_env` gives the ``REGIE_DBT_*`` variables that the static
  ``dbt_project/profiles/profiles.yml`` reads (used by the Cosmos tasks, whose
  profile file is fixed when the DAG is parsed but whose warehouse is a run
  parameter).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from ..private import private_dir
from .project import dbt_home

if TYPE_CHECKING:  # regie.config pulls in the warehouse backends; keep DAG parsing light
    from ..config import Settings

PROFILE_NAME = "regie"
DEFAULT_THRESHOLD = 5
DEFAULT_THREADS = 4

#: Every variable :func:`dbt_env` sets, whatever the backend.
ENV_KEYS = (
    "REGIE_DBT_TARGET",
    "REGIE_DBT_THREADS",
    "REGIE_DBT_DUCKDB_PATH",
    "REGIE_DBT_PG_HOST",
    "REGIE_DBT_PG_PORT",
    "REGIE_DBT_PG_USER",
    "REGIE_DBT_PG_DBNAME",
    "REGIE_DBT_PG_SSLMODE",
    "DBT_LOG_PATH",
    "DBT_SEND_ANONYMOUS_USAGE_STATS",
    "DO_NOT_TRACK",
)

#: How a profile names the warehouse password: libpq's variable, which regie.config sets from a
#: URL that carried one (and which a deployment sets for its task processes).
PASSWORD_FROM_ENV = "{{ env_var('PGPASSWORD', '') }}"

#: libpq options a postgresql:// URL may carry that dbt-postgres understands.
_PG_OPTIONS = ("sslmode", "sslcert", "sslkey", "sslrootcert", "connect_timeout", "application_name")


def profile_target(warehouse: str, threads: int | None = None) -> dict[str, Any]:
    """The dbt output (target) for a warehouse string."""
    threads = threads or int(os.environ.get("REGIE_DBT_THREADS", DEFAULT_THREADS))
    if not warehouse.startswith(("postgresql://", "postgres://")):
        return {"type": "duckdb", "path": str(Path(warehouse).resolve()), "threads": threads}
    parts = urlsplit(warehouse)
    dbname = unquote(parts.path.lstrip("/")) or "postgres"
    out: dict[str, Any] = {
        "type": "postgres",
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username) if parts.username else os.environ.get("PGUSER", "postgres"),
        # never the password itself: dbt reads it from the environment when it connects, so
        # neither profiles.yml nor a rendered task field (Airflow's metadata) ever holds it
        "password": PASSWORD_FROM_ENV,
        "dbname": dbname,
        "schema": "public",
        "threads": threads,
    }
    query = parse_qs(parts.query)
    for key in _PG_OPTIONS:
        if key in query:
            value = query[key][-1]
            out[key] = int(value) if key == "connect_timeout" else value
    return out


def render_profiles(warehouse: str, threads: int | None = None) -> str:
    """profiles.yml text with one target, ``regie``, for the warehouse."""
    import yaml  # a dependency of dbt and regie; imported late to keep DAG parsing light

    target = profile_target(warehouse, threads)
    doc = {PROFILE_NAME: {"target": "regie", "outputs": {"regie": target}}}
    header = (
        "# Written by regie.transform for one warehouse; rewritten on every run.\n"
        "# It never holds the database password: dbt reads PGPASSWORD when it connects.\n"
    )
    return header + yaml.safe_dump(doc, sort_keys=False)


def write_profiles(settings: Settings, threads: int | None = None) -> Path:
    """Write ``<home>/dbt/profiles.yml`` for the settings' warehouse; returns its folder."""
    folder = private_dir(dbt_home(settings.home))
    path = folder / "profiles.yml"
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_text(render_profiles(settings.warehouse, threads), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return folder


def _peildatum(settings: Settings) -> str:
    if settings.peildatum:
        return dt.date.fromisoformat(str(settings.peildatum)).isoformat()
    return dt.date.today().isoformat()


def threshold(value: int | None = None) -> int:
    """The suppression threshold: counts 0 < n < threshold are hidden in everything published.

    Given, else ``REGIE_THRESHOLD``, else 5. The one place it is decided; dbt gets
    it as var ``threshold``, regie.publish applies it.
    """
    value = value if value is not None else int(os.environ.get("REGIE_THRESHOLD", DEFAULT_THRESHOLD))
    if value < 1:
        raise ValueError(f"threshold must be at least 1, got {value}")
    return value


_threshold = threshold

#: Set (to 1) by ``regie run --full-refresh``: the transform DAG's dbt build rebuilds the
#: incremental models from all their input, as :func:`regie.transform.build` does with
#: ``full_refresh=True``.
FULL_REFRESH_ENV = "REGIE_FULL_REFRESH"


def full_refresh() -> bool:
    """Whether this process's dbt builds are full refreshes (``REGIE_FULL_REFRESH``)."""
    return os.environ.get(FULL_REFRESH_ENV, "").strip().lower() in ("1", "true", "yes", "ja")


def dbt_vars(settings: Settings, threshold: int | None = None) -> dict[str, Any]:
    """The ``--vars`` of a run: peildatum and the suppression threshold.

    regie resolves the peildatum before dbt runs (regie.peildatum: default the latest
    delivery date); a settings object without one gets today, for dbt commands that do
    not build figures (parse, docs).
    """
    return {"peildatum": _peildatum(settings), "threshold": _threshold(threshold)}


_ENV_CACHE: dict[str, dict[str, str]] = {}


def dbt_env_cached(params: dict[str, Any] | None = None) -> dict[str, str]:
    """:func:`dbt_env` for the transform DAG's templates: every dbt task renders each of
    ``ENV_KEYS`` from it (~60 tasks x 10 keys a run, ~30 ms a call); the same run
    parameters and ``REGIE_*`` variables give the same answer, so it is computed once."""
    import json

    key = json.dumps(
        [params or {}, sorted((k, v) for k, v in os.environ.items() if k.startswith("REGIE_"))],
        sort_keys=True,
        default=str,
    )
    if key not in _ENV_CACHE:
        if len(_ENV_CACHE) > 64:
            _ENV_CACHE.clear()
        _ENV_CACHE[key] = dbt_env(dict(params or {}))
    return dict(_ENV_CACHE[key])


def dbt_env(params: dict[str, Any] | Settings | None = None) -> dict[str, str]:
    """``REGIE_DBT_*`` variables for the static profiles.yml, from DAG params or settings.

    No I/O: safe to call while Airflow renders a task's templates.
    """
    from ..config import Settings

    settings = params if isinstance(params, Settings) else Settings.resolve(dict(params or {}))
    target = profile_target(settings.warehouse)
    env = {
        "REGIE_DBT_TARGET": target["type"],
        "REGIE_DBT_THREADS": str(target["threads"]),
        "DBT_LOG_PATH": str(dbt_home(settings.home) / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }
    # the same keys for both backends (the DAG templates each one separately); the
    # other backend's keys get harmless values the static profile can still render
    env.update(
        {
            "REGIE_DBT_DUCKDB_PATH": "unused.duckdb",
            "REGIE_DBT_PG_HOST": "127.0.0.1",
            "REGIE_DBT_PG_PORT": "5432",
            "REGIE_DBT_PG_USER": "postgres",
            "REGIE_DBT_PG_DBNAME": "postgres",
            "REGIE_DBT_PG_SSLMODE": "prefer",
        }
    )
    if target["type"] == "duckdb":
        env["REGIE_DBT_DUCKDB_PATH"] = target["path"]
    else:
        env.update(
            {
                "REGIE_DBT_PG_HOST": target["host"],
                "REGIE_DBT_PG_PORT": str(target["port"]),
                "REGIE_DBT_PG_USER": target["user"],
                "REGIE_DBT_PG_DBNAME": target["dbname"],
                "REGIE_DBT_PG_SSLMODE": str(target.get("sslmode", "prefer")),
            }
        )
    return env
