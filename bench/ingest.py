"""How fast is ingestion, and what does it cost compared to just reading the files?

Not a test and not timed by CI. It

1. generates a sample landing zone with ``--gemeenten N`` extra gemeenten
   (``regie.generate``) in a temporary folder;
2. runs ``regie run --until ingest`` on it as a subprocess of the project's own ``regie``
   command, with a fresh home and warehouse and a throwaway pseudonymisation
   key, and measures its wall time and peak memory (resident set size);
3. reads the same files with bare DuckDB into an in-memory database (CSV as
   all-text with ``;``, JSONL with ``read_json``), also as a subprocess;
4. prints a markdown table and writes it to ``bench/results/ingest-<date>.md``.

The ratio is regie's time over the bare read: what archiving, checking every
row, pseudonymising, the ledger and running through Airflow cost on top of
reading the bytes. Usage: see bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _report import ROOT, machine, publish  # noqa: E402  (bench/ is the script's folder)


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    returncode: int


def measure(cmd: list[str], env: dict[str, str], output: Path) -> Measured:
    """Run ``cmd``; wall time and the peak resident set size of that child.

    ``os.wait4`` gives the resource usage of exactly this child (and the
    children it waited for), so one measurement does not leak into the next.
    """
    with output.open("wb") as out:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak_mb = usage.ru_maxrss / 1024  # Linux reports kilobytes
    return Measured(seconds, peak_mb, proc.returncode)


def regie_command() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "regie"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("regie")
    if not found:
        sys.exit("bench: no regie command; run 'make install' first")
    return [found]


def regie_env(key: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("REGIE_HOME", "REGIE_LANDING", "REGIE_WAREHOUSE", "REGIE_PSEUDONIEM_SLEUTEL_BESTAND"):
        env.pop(name, None)
    env["REGIE_PSEUDONIEM_SLEUTEL"] = key
    return env


def ledger(warehouse: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select status, count(*), sum(rijen_in), sum(rijen_geladen), sum(rijen_afgewezen) "
            "from audit.bestanden group by status"
        ).fetchall()
    finally:
        con.close()
    out = {
        "geladen": 0,
        "quarantaine": 0,
        "duplicaat": 0,
        "rijen_in": 0,
        "rijen_geladen": 0,
        "rijen_afgewezen": 0,
    }
    for status, n, rin, loaded, rejected in rows:
        out[status] = int(n)
        out["rijen_in"] += int(rin or 0)
        out["rijen_geladen"] += int(loaded or 0)
        out["rijen_afgewezen"] += int(rejected or 0)
    return out


def dag_seconds(output: str) -> dict[str, float]:
    """Seconds per DAG from regie run's progress lines ("  DAG x" ... "    -> success in 2.3s")."""
    out: dict[str, float] = {}
    current = None
    for line in output.splitlines():
        if m := re.match(r"^  DAG (\S+)$", line):
            current = m.group(1)
        elif current and (m := re.match(r"^    -> \S+ in ([0-9.]+)s", line)):
            out[current] = float(m.group(1))
            current = None
    return out


def bare_read(list_file: Path) -> None:
    """The baseline (runs in its own process): read every file into in-memory DuckDB."""
    import duckdb

    files = json.loads(list_file.read_text(encoding="utf-8"))
    con = duckdb.connect()
    rows = 0
    unreadable = []
    for i, (path, fmt, encoding) in enumerate(files):
        if fmt == "jsonl":
            sql = f"create table t{i} as select * from read_json(?, format='newline_delimited', ignore_errors=true)"
            params = [path]
        else:
            sql = (
                f"create table t{i} as select * from read_csv(?, delim=';', header=true, all_varchar=true, "
                "encoding=?, ignore_errors=true, null_padding=true)"
            )
            params = [path, "latin-1" if encoding == "cp1252" else "utf-8"]
        try:
            con.execute(sql, params)
            rows += con.execute(f"select count(*) from t{i}").fetchone()[0]
        except duckdb.Error as exc:
            unreadable.append(f"{Path(path).name}: {str(exc).splitlines()[0][:120]}")
    print(json.dumps({"rows": rows, "unreadable": unreadable}))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gemeenten", type=int, default=50, help="extra gemeenten to generate (default 50)")
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--tmp", help="folder for the temporary run (default: the system's temp folder)")
    p.add_argument("--keep", action="store_true", help="keep the generated data, home and warehouse")
    p.add_argument("--bare", help=argparse.SUPPRESS)  # internal: the baseline process
    args = p.parse_args(argv)
    if args.bare:
        bare_read(Path(args.bare))
        return 0

    from regie.generate import generate

    work = Path(tempfile.mkdtemp(prefix="regie-bench-", dir=args.tmp))
    try:
        landing, home = work / "landing", work / "home"
        warehouse = home / "warehouse" / "regie.duckdb"
        print(f"bench: generating --gemeenten {args.gemeenten} --seed {args.seed} into {landing}")
        t0 = time.monotonic()
        manifest = generate(landing, seed=args.seed, gemeenten=args.gemeenten)
        gen_seconds = time.monotonic() - t0
        n_files = len(manifest.files)
        n_rows = sum(f.rows for f in manifest.files.values())
        size_mb = sum((landing / rel).stat().st_size for rel in manifest.files) / 1024 / 1024
        print(f"bench: {n_files} files, {n_rows} rows, {size_mb:.0f} MB in {gen_seconds:.1f} s")

        # the bare read first: regie moves quarantined files out of the landing zone
        listing = work / "files.json"
        listing.write_text(
            json.dumps(
                [
                    [str(landing / rel), rel.rsplit(".", 1)[-1], f.encoding]
                    for rel, f in sorted(manifest.files.items())
                ]
            ),
            encoding="utf-8",
        )
        print("bench: bare DuckDB read ...")
        bare_out = work / "bare.out"
        bare = measure(
            [sys.executable, str(Path(__file__).resolve()), "--bare", str(listing)],
            dict(os.environ),
            bare_out,
        )
        if bare.returncode != 0:
            print(bare_out.read_text(encoding="utf-8", errors="replace")[-3000:])
            return 1
        bare_result = json.loads(bare_out.read_text(encoding="utf-8").strip().splitlines()[-1])

        cmd = regie_command() + [
            "run",
            "--until",
            "ingest",  # this benchmark measures ingestion; bench/transform.py measures dbt
            "--home",
            str(home),
            "--landing",
            str(landing),
            "--warehouse",
            str(warehouse),
        ]
        env = regie_env(secrets.token_hex(32))
        print("bench: regie run ...")
        run_out = work / "regie-run.out"
        load_before = os.getloadavg()[0]
        run = measure(cmd, env, run_out)
        load_after = os.getloadavg()[0]
        if run.returncode != 0:
            print(run_out.read_text(encoding="utf-8", errors="replace")[-3000:])
            print(f"bench: regie run exited with {run.returncode}")
            return 1
        totals = ledger(warehouse)
        per_dag = dag_seconds(run_out.read_text(encoding="utf-8", errors="replace"))
        warehouse_mb = warehouse.stat().st_size / 1024 / 1024

        print("bench: regie run again, nothing new (fixed cost of a run) ...")
        idle = measure(cmd, env, work / "regie-idle.out")

        ratio = run.seconds / bare.seconds if bare.seconds else float("nan")
        table = "\n".join(
            [
                "| files | rows | regie seconds | regie peak MB | bare seconds | ratio |",
                "|---:|---:|---:|---:|---:|---:|",
                f"| {n_files} | {n_rows:,} | {run.seconds:.1f} | {run.peak_mb:.0f} | {bare.seconds:.1f} | {ratio:.1f} |",
            ]
        )
        notes = [
            f"- command: `.venv/bin/python bench/ingest.py --gemeenten {args.gemeenten} --seed {args.seed}`"
            + (" (`make bench`)" if (args.gemeenten, args.seed) == (50, 2025) else ""),
            f"- landing zone: {n_files} files, {size_mb:.0f} MB, {n_rows:,} rows (CSV data rows and JSONL lines)",
            f"- ledger after the run: {totals['geladen']} files geladen, {totals['quarantaine']} quarantaine, "
            f"{totals['duplicaat']} duplicaat; {totals['rijen_in']:,} rows in = {totals['rijen_geladen']:,} geladen "
            f"+ {totals['rijen_afgewezen']:,} afgewezen",
            "- regie: `regie run --until ingest` through the four ingestion DAGs (Airflow `dag.test()`), fresh home and warehouse; "
            "peak = largest resident set size",
            f"- per DAG: {', '.join(f'{d} {sec:.1f} s' for d, sec in per_dag.items())}; "
            f"{n_rows / run.seconds:,.0f} rows/s overall; warehouse file {warehouse_mb:.0f} MB",
            f"- a second `regie run` with nothing new took {idle.seconds:.1f} s (Airflow start-up and discovery: "
            "the fixed cost inside the regie figure)",
            f"- bare: DuckDB `read_csv(delim=';', all_varchar=true)` / `read_json` of the same files into an in-memory "
            f"database, {bare_result['rows']:,} rows, peak {bare.peak_mb:.0f} MB"
            + (
                f"; could not read {len(bare_result['unreadable'])} file(s)"
                if bare_result["unreadable"]
                else ""
            ),
            f"- load average (1 min) when regie started / ended: {load_before:.1f} / {load_after:.1f} "
            "(other work on the machine slows every figure)",
            machine("duckdb", "apache-airflow", "regie"),
        ]
        publish("Ingestion benchmark", table, notes, "ingest")
        return 0
    finally:
        if args.keep:
            print(f"bench: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
