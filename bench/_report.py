"""What both benchmarks share: the machine line and writing the result."""

from __future__ import annotations

import datetime as dt
import json
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


def last_json(text: str) -> dict:
    """The last JSON line a child step printed: its result."""
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON result in the output:\n" + text[-3000:])


def run_step(script: str, action: str, params: dict, env: dict[str, str], work: Path) -> tuple[Measured, dict]:
    """Run ``script --child action params`` measured; its JSON result, or stop the bench with its output."""
    import sys

    m = measure([sys.executable, script, "--child", action, json.dumps(params)], env, work / f"{action}.out")
    result = last_json(m.output) if m.returncode == 0 else {"ok": False}
    if m.returncode != 0 or not result.get("ok"):
        print(m.output[-4000:])
        raise SystemExit(f"bench: {action} failed")
    return m, result
