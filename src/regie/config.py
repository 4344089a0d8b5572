"""Where things are: landing zone, warehouse, home. Resolved once, the same way
for the CLI, the DAGs and the tests.

Precedence: an explicit value (CLI option or DAG run parameter), then the
environment (``REGIE_LANDING``, ``REGIE_WAREHOUSE``, ``REGIE_HOME``,
``REGIE_PEILDATUM``), then the defaults under ``./data`` (peildatum: the day of
the run). A warehouse that is neither a ``.duckdb`` path nor a PostgreSQL URL
raises :class:`regie.warehouse.WarehouseTargetError`.

A PostgreSQL password never travels with the settings: a ``postgresql://``
URL that carries one is split when it is resolved; the URL keeps everything
but the password, and the password goes to ``PGPASSWORD`` in this process's
environment, where libpq (psycopg), dbt's profile and every subprocess find
it. So a DAG run's parameters (``dag_run.conf``, stored in Airflow's metadata
database), the logs and dbt's files hold the URL without it. Under a
scheduler, give the task processes ``PGPASSWORD`` or a ``~/.pgpass`` file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from .private import restrict_process
from .warehouse import is_postgres, normalise

#: Where the warehouse password is kept for this process (libpq's own variable).
PASSWORD_ENV = "PGPASSWORD"


def without_password(url: str) -> tuple[str, str | None]:
    """A ``postgresql://`` URL without its password, and the password (or None)."""
    if not is_postgres(url):
        return url, None
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = (
        (f"{parts.username}@" if parts.username else "") + host + (f":{parts.port}" if parts.port else "")
    )
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), unquote(
        parts.password
    )


@dataclass(frozen=True)
class Settings:
    home: Path
    landing: Path
    warehouse: str  # path to a .duckdb file or a postgresql:// URL
    peildatum: str | None = None
    run_id: str | None = None

    @classmethod
    def resolve(cls, given: dict[str, Any] | None = None) -> Settings:
        """The settings for a command or task. Every task resolves its settings first, so this is
        also where the process is made to create owner-only files (see :mod:`regie.private`)."""
        restrict_process()
        given = {k: v for k, v in (given or {}).items() if v not in (None, "")}
        home = Path(given.get("home") or os.environ.get("REGIE_HOME") or "data").resolve()
        landing = Path(given.get("landing") or os.environ.get("REGIE_LANDING") or home / "landing").resolve()
        warehouse = normalise(
            str(
                given.get("warehouse")
                or os.environ.get("REGIE_WAREHOUSE")
                or home / "warehouse" / "regie.duckdb"
            )
        )
        if not is_postgres(warehouse):
            warehouse = str(Path(warehouse).resolve())
        warehouse, password = without_password(warehouse)
        if password is not None:
            os.environ[PASSWORD_ENV] = password
        peildatum = given.get("peildatum") or os.environ.get("REGIE_PEILDATUM") or None
        return cls(home, landing, warehouse, peildatum, given.get("run_id"))

    def as_params(self) -> dict[str, str | None]:
        """The DAG run parameters that reproduce these settings inside a task."""
        return {
            "home": str(self.home),
            "landing": str(self.landing),
            "warehouse": self.warehouse,
            "peildatum": self.peildatum,
            "run_id": self.run_id,
        }
