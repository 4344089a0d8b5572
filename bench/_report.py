"""What both benchmarks share: the machine line and writing the result."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def machine(*packages: str) -> str:
    """The note naming the machine and the versions that matter for the figures."""
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in packages)
    return (
        f"- machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, {versions}"
    )


def publish(title: str, table: str, notes: list[str], stem: str) -> Path:
    """Print the report and write it to bench/results/<stem>-<date>.md."""
    today = dt.date.today().isoformat()
    report = f"# {title}, {today}\n\n{table}\n\n" + "\n".join(notes) + "\n"
    print()
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{stem}-{today}.md"
    target.write_text(report, encoding="utf-8")
    print(f"bench: written to {target.relative_to(ROOT)}")
    return target


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    returncode: int
    output: str


def measure(cmd: list[str], env: dict[str, str], output: Path) -> Measured:
    """Run ``cmd``; wall time and the peak resident set size of it or any child (``os.wait4``)."""
    with output.open("wb") as out:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - started
    return Measured(
        seconds,
        usage.ru_maxrss / 1024,
        os.waitstatus_to_exitcode(status),
        output.read_text(encoding="utf-8", errors="replace"),
    )
