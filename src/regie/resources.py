"""The project files regie installs inside its package, found with ``importlib.resources``.

The repository keeps them at its top (``dbt_project/``, ``dags/``, ``expectations/``);
pyproject.toml installs them as the packages ``regie.dbt_project``, ``regie.dags`` and
``regie.expectations``, so an installed regie finds them the same way whether it was installed
editable (``make install``) or not (``pip install .``).
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

DBT_PROJECT = "regie.dbt_project"
DAGS = "regie.dags"
EXPECTATIONS = "regie.expectations"


def folder(package: str) -> Path:
    """The folder the files of ``package`` are installed in."""
    return Path(str(importlib.resources.files(package)))
