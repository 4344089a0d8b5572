"""The warehouse transformation: dbt from ``raw`` to the marts, and their publication.

dbt always runs as a subprocess (a DuckDB file has one writer, and ingestion
has closed its connections by then). The CLI, the tests and the ``transform``
DAG go through these functions; the DAG's Cosmos tasks use the same target
description through :func:`dbt_env`.

Importing this package is cheap (standard library only): the DAG file imports
it at parse time.
"""

from __future__ import annotations

from .profiles import (
    DEFAULT_THRESHOLD,
    PROFILE_NAME,
    dbt_env,
    dbt_vars,
    full_refresh,
    profile_target,
    render_profiles,
    threshold,
    write_profiles,
)
from .project import (
    COSMOS_MANIFEST,
    dbt_executable,
    dbt_home,
    project_dir,
    static_profiles_dir,
)
from .run import BuildResult, DbtCommandError, NodeResult, build, dbt_build, docs_generate, parse, run_dbt

__all__ = [
    "BuildResult",
    "COSMOS_MANIFEST",
    "DEFAULT_THRESHOLD",
    "DbtCommandError",
    "NodeResult",
    "PROFILE_NAME",
    "build",
    "dbt_build",
    "dbt_env",
    "dbt_executable",
    "dbt_home",
    "dbt_vars",
    "full_refresh",
    "docs_generate",
    "parse",
    "profile_target",
    "project_dir",
    "render_profiles",
    "run_dbt",
    "static_profiles_dir",
    "threshold",
    "write_profiles",
]
