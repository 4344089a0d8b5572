"""Files only their owner can read: the archive, quarantine, warehouse, logs, keys.

Two layers, because either alone leaves gaps:

* the process umask (:func:`restrict_process`, 077): everything regie, Airflow,
  DuckDB, dbt and GX create afterwards in this process and its subprocesses is
  created 0600 / 0700, including files whose creation regie does not control
  (Airflow's SQLite metadata database, dbt's target folder, DuckDB's WAL);
* explicit modes on the places regie owns (:func:`private_dir`,
  :func:`private_file`), so a folder that an older version or another tool
  created world-readable is tightened the next time regie uses it.

The landing zone is not regie's: deliverers write there, and regie leaves its
modes alone.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
UMASK = 0o077


def restrict_process() -> None:
    """From now on, files and folders this process creates are owner-only."""
    os.umask(UMASK)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) and make it 0700; returns it."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    _chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make an existing file 0600; returns it."""
    _chmod(path, FILE_MODE)
    return path


def private_tree(path: Path) -> None:
    """Folders 0700 and files 0600 below ``path`` (links are left alone, never followed)."""
    if not path.exists() or path.is_symlink():
        return
    _chmod(path, DIR_MODE)
    for root, dirs, files in os.walk(path):
        for name in dirs:
            p = Path(root) / name
            if not p.is_symlink():
                _chmod(p, DIR_MODE)
        for name in files:
            p = Path(root) / name
            if not p.is_symlink():
                _chmod(p, FILE_MODE)


def _chmod(path: Path, mode: int) -> None:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode) or st.st_uid != os.getuid():
        return  # never follow a link; another user's file is not ours to change
    if stat.S_IMODE(st.st_mode) != mode:
        os.chmod(path, mode)
