"""Where the dbt project, the dbt executable and dbt's working files are."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .. import resources

#: The slim manifest the transform DAG renders its tasks from (see manifest.py).
COSMOS_MANIFEST = "cosmos_manifest.json"


def project_dir() -> Path:
    """The dbt project (``dbt_project/`` in the repository, installed as the package
    ``regie.dbt_project``; ``REGIE_DBT_PROJECT`` overrides)."""
    override = os.environ.get("REGIE_DBT_PROJECT")
    if override:
        return Path(override).resolve()
    return resources.folder(resources.DBT_PROJECT)


def static_profiles_dir() -> Path:
    """The profiles.yml that reads its target from ``REGIE_DBT_*`` variables (Cosmos uses it)."""
    return project_dir() / "profiles"


def dbt_executable() -> str:
    """The command regie runs dbt with: ``regie-dbt``, which dies with the task that started it
    (see :mod:`regie.processes`); plain dbt where that is not installed."""
    beside = Path(sys.executable).parent / "regie-dbt"
    if beside.exists():
        return str(beside)
    found = shutil.which("regie-dbt")
    if found:
        return found
    from ..processes import real_dbt

    return real_dbt()


def dbt_home(home: Path) -> Path:
    """dbt's files for one regie home: profiles.yml, target/, logs/, docs/."""
    return Path(home) / "dbt"
