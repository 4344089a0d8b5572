"""`regie run | head`: the console going away must not stop, hang or break a run."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import REFERENCE_PEILDATUM, REGIE, regie_env
from crash_support import differences, digest

pytestmark = pytest.mark.slow


def test_run_goes_on_when_its_reader_goes_away(reference_run, tmp_path):
    shutil.copytree(reference_run["landing"], tmp_path / "landing")
    warehouse = tmp_path / "wh" / "regie.duckdb"
    proc = subprocess.Popen(
        [str(REGIE), "run", "--until", "ingest", "--peildatum", REFERENCE_PEILDATUM,
         "--landing", str(tmp_path / "landing"), "--warehouse", str(warehouse), "--home", str(tmp_path / "home")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=regie_env(),
    )  # fmt: skip
    first = proc.stdout.readline().decode()
    assert first.startswith("regie run regie-")
    proc.stdout.close()  # the reader is gone: every later write gets EPIPE
    try:
        _, err = proc.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("regie run hung after its console went away")
    # the run finished its work, no traceback on stderr about the pipe
    assert b"BrokenPipeError" not in err and b"Traceback" not in err, err.decode()[-2000:]
    logs = list((tmp_path / "home" / "logs").glob("regie-*.log"))
    assert len(logs) == 1
    # everything the uninterrupted reference run loaded, this run loaded too
    assert differences(digest(reference_run["warehouse"], ("raw",)), digest(warehouse, ("raw",))) == {}
