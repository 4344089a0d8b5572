"""What both benchmarks share: the machine line and writing the result."""

from __future__ import annotations

import datetime as dt
import os
import platform
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
