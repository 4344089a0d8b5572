"""Child processes that cannot outlive what started them (Linux).

Two guarantees, both needed for a restart after ``kill -9`` to find the
warehouse free and the machine clean:

* **dbt dies with its task.** Cosmos starts dbt in a session of its own
  (``setsid``), so killing the task's process group does not reach it, and a
  task killed with ``kill -9`` cannot clean up. The ``regie-dbt`` command
  (:func:`dbt_main`) is what regie gives Cosmos and :func:`regie.transform.run_dbt`
  as the dbt executable: it asks the kernel to kill it when its parent dies
  (``PR_SET_PDEATHSIG``, which survives ``exec``) and then becomes dbt.
* **``regie serve`` leaves nothing behind.** It makes itself a child subreaper
  (``PR_SET_CHILD_SUBREAPER``), so every descendant that loses its parent is
  re-parented to it rather than to init, and it marks every child with
  ``REGIE_SERVE_ID`` in the environment. Stopping walks the descendants;
  starting after a ``kill -9`` finds what the killed instance left by its mark
  (:func:`marked`) and ends it before anything else starts.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
SERVE_MARK = "REGIE_SERVE_ID"


def _prctl(option: int, value: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux: the guarantee is not available
        return False


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Have the kernel send ``sig`` to this process when its parent ends."""
    return _prctl(PR_SET_PDEATHSIG, int(sig))


def become_subreaper() -> bool:
    """Orphaned descendants are re-parented to this process instead of init."""
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def real_dbt() -> str:
    """The dbt installed beside this Python (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    if beside.exists():
        return str(beside)
    found = shutil.which("dbt")
    if found:
        return found
    raise FileNotFoundError("dbt is not installed beside this Python nor on PATH")


def dbt_main() -> None:
    """``regie-dbt ARGS``: dbt ARGS, killed by the kernel when its parent dies.

    With a DuckDB target (the Cosmos profile's ``REGIE_DBT_DUCKDB_PATH``) it first
    takes an exclusive lock on ``<file>.dbt-lock``, held until dbt ends: two dbt
    processes on one DuckDB file (Cosmos' per-node tasks running dbt themselves
    after a lost producer) then wait for each other instead of failing on
    DuckDB's own lock.
    """
    parent = os.getppid()
    die_with_parent()
    if os.getppid() != parent:  # the parent died before the kernel was asked
        sys.exit(128 + signal.SIGKILL)
    if os.environ.get("REGIE_DBT_TARGET") == "duckdb" and os.environ.get("REGIE_DBT_DUCKDB_PATH"):
        import fcntl

        lock = Path(os.environ["REGIE_DBT_DUCKDB_PATH"] + ".dbt-lock")
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        os.set_inheritable(fd, True)
        fcntl.flock(fd, fcntl.LOCK_EX)  # inherited by dbt across exec; released when it ends
    dbt = real_dbt()
    os.execv(dbt, [dbt, *sys.argv[1:]])


# --- finding processes ---------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, int, int] | None:
    """(ppid, pgid, sid) of a live process, or None."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    if fields[0] == "Z":  # a zombie has ended; only its parent's wait is missing
        return None
    return int(fields[1]), int(fields[2]), int(fields[3])


def alive(pid: int) -> bool:
    return _stat(pid) is not None


def pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def descendants(root: int) -> list[int]:
    """Every live process below ``root``."""
    children: dict[int, list[int]] = {}
    for pid in pids():
        st = _stat(pid)
        if st:
            children.setdefault(st[0], []).append(pid)
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def in_session(sid: int) -> list[int]:
    """Live processes of a session (or of a process group with the same id)."""
    out = []
    for pid in pids():
        st = _stat(pid)
        if st and (st[2] == sid or st[1] == sid):
            out.append(pid)
    return out


def marked(mark: str, key: str = SERVE_MARK) -> list[int]:
    """Live processes started with ``key=mark`` in their environment."""
    needle = f"{key}={mark}".encode()
    out = []
    for pid in pids():
        if pid == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{pid}/environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0") and alive(pid):
            out.append(pid)
    return out


def signal_all(targets: list[int], sig: int) -> None:
    for pid in targets:
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
