"""Where things are: landing zone, warehouse, home. Resolved once, the same way
for the CLI, the DAGs and the tests.

Precedence: an explicit value (CLI option or DAG run parameter), then the
environment (``REGIE_LANDING``, ``REGIE_WAREHOUSE``, ``REGIE_HOME``,
``REGIE_PEILDATUM``), then the defaults under ``./data`` (peildatum: the day of
the run). A warehouse that is neither a ``.duckdb`` path nor a PostgreSQL URL
raises :class:`regie.warehouse.WarehouseTargetError`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .warehouse import is_postgres, normalise


@dataclass(frozen=True)
class Settings:
    home: Path
    landing: Path
    warehouse: str  # path to a .duckdb file or a postgresql:// URL
    peildatum: str | None = None
    run_id: str | None = None

    @classmethod
    def resolve(cls, given: dict[str, Any] | None = None) -> Settings:
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
