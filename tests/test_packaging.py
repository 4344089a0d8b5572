"""regie installs as a package, editable or not: the dbt project, the DAG files and the checks
ship inside it (``regie.dbt_project``, ``regie.dags``, ``regie.expectations``) and regie finds
them with importlib, not by a path relative to its source files.

The wheel test builds the wheel as ``pip install .`` would, installs it (not editable) into a
folder of its own, and asks that copy where its files are. It runs no pipeline.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

from regie import resources
from regie.quality.catalogus import load_checks, modules_met_controles
from regie.runner import dags_folder
from regie.transform.project import project_dir

from conftest import ROOT

#: what the wheel is built from: what the Dockerfile copies into the image
BUILT_FROM = ("pyproject.toml", "README.md", "src", "dags", "dbt_project", "expectations")
#: never shipped: dbt's and Python's working files
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "target", "logs", "dbt_packages", "*.egg-info")

_PROBE = r"""
import importlib, json
import regie
from regie import normen
from regie.quality.catalogus import load_checks
from regie.runner import dags_folder
from regie.transform.project import project_dir, static_profiles_dir
print(json.dumps({
    "regie": regie.__file__,
    "dbt_project": str(project_dir()),
    "dbt_project_yml": (project_dir() / "dbt_project.yml").is_file(),
    "profiles": (static_profiles_dir() / "profiles.yml").is_file(),
    "dags": str(dags_folder()),
    "dag_files": sorted(p.name for p in dags_folder().glob("*.py")),
    "expectations": importlib.import_module("regie.expectations.levering").__file__,
    "controles": [c.code for c in load_checks()],
    "pip_termijn_dagen": normen.geheel("pip_termijn_dagen"),
}))
"""


def _files(folder: Path) -> set[str]:
    skip = {"__pycache__", "target", "logs", "dbt_packages"}
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not skip & set(p.relative_to(folder).parts) and p.suffix != ".pyc"
    }


def test_pyproject_lists_every_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    in_src = {
        ".".join(p.parent.relative_to(ROOT / "src").parts)
        for p in (ROOT / "src" / "regie").rglob("__init__.py")
    }
    mapped = {
        resources.DBT_PROJECT: "dbt_project",
        resources.DAGS: "dags",
        resources.EXPECTATIONS: "expectations",
    }
    assert set(config["packages"]) == in_src | set(mapped)
    assert config["package-dir"] == {"": "src", **mapped}


def test_the_editable_install_finds_the_repository_folders():
    assert project_dir() == ROOT / "dbt_project"
    assert dags_folder() == ROOT / "dags"
    assert resources.folder(resources.EXPECTATIONS) == ROOT / "expectations"
    names = {p.stem for p in (ROOT / "expectations").glob("*.py") if not p.name.startswith("_")}
    assert set(modules_met_controles()) == names
    assert modules_met_controles()[:5] == [
        "volledigheid",
        "geldigheid",
        "consistentie",
        "uniciteit",
        "levering",
    ]


def test_the_wheel_holds_the_project_files_and_an_installed_copy_finds_them(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in BUILT_FROM:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=IGNORED)
        else:
            shutil.copy2(ROOT / name, source / name)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REGIE_", "PIP_"))}
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            wheels,
            source,
        ],
        check=True,
        env=env,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("regie-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, package in (
        ("dbt_project", "dbt_project"),
        ("dags", "dags"),
        ("expectations", "expectations"),
    ):
        expected = {f"regie/{package}/{f}" for f in _files(ROOT / folder)}
        assert expected <= names, sorted(expected - names)
    assert {
        "regie/dbt_project/dbt_project.yml",
        "regie/dags/transform.py",
        "regie/expectations/__init__.py",
    } <= names
    assert not any("/target/" in n or "/logs/" in n for n in names)

    # installed, not editable, into a folder of its own; that folder comes first on the path
    installed = tmp_path / "installed"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            "--target",
            installed,
            wheel,
        ],
        check=True,
        env=env,
        capture_output=True,
        timeout=300,
    )
    out = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(installed), "GX_ANALYTICS_ENABLED": "False"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    found = json.loads(out.stdout.strip().splitlines()[-1])
    package = installed / "regie"
    assert found["regie"] == str(package / "__init__.py")
    assert found["dbt_project"] == str(package / "dbt_project")
    assert found["dbt_project_yml"] and found["profiles"]
    assert found["dags"] == str(package / "dags")
    assert found["dag_files"] == sorted(p.name for p in (ROOT / "dags").glob("*.py"))
    assert found["expectations"] == str(package / "expectations" / "levering.py")
    assert found["controles"] == [c.code for c in load_checks()]
    assert found["pip_termijn_dagen"] == 70
