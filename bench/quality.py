"""How long do the registration-quality checks take, and how much memory, at a size well beyond the demo?

Not a test and not timed by CI. It

1. generates a sample landing zone with ``--gemeenten N`` extra gemeenten
   (``regie.generate``) in a temporary folder;
2. ingests it with the four ingestion DAGs and builds it once
   (``regie.transform.build``: the blocking checks, dbt, publiek, historie); neither is timed
   here (``bench/ingest.py`` and ``bench/transform.py`` measure those);
3. times, each as a separate process (wall time and peak resident set size from ``os.wait4``):
   the checks as the ``quality`` DAG's ``check`` task runs them (every check, the counts
   and findings saved, the page of findings written); GX alone on the ``kwaliteit`` relations
   the checks left (what the checks cost once those relations are dbt models; skipped by code
   that has none); and the blocking gate as the transform DAG's first task runs it
   (``regie.quality.blocking.beoordeel``);
4. prints a markdown table and writes it to ``bench/results/quality-<duckdb|postgresql>-<date>.md``
   (git-ignored).

Usage::

    .venv/bin/python bench/quality.py --gemeenten 50            # DuckDB
    .venv/bin/python bench/quality.py --gemeenten 50 --keep     # keep the folder, for --reuse
    .venv/bin/python bench/quality.py --reuse /tmp/regie-bench-quality-xyz   # time the checks again
    .venv/bin/python bench/quality.py --postgres postgresql://postgres@127.0.0.1:5432/scratch

``--postgres`` needs an empty database; the benchmark fills it and leaves it.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _report import Measured, machine, publish, run_step  # noqa: E402  (bench/ is the script's folder)

# --- the child processes ---------------------------------------------------------


def child(action: str, params: dict) -> None:
    """One step, in its own process; prints a JSON line."""
    from regie.config import Settings

    settings = Settings.resolve(params)
    if action == "ingest":
        from regie.runner import INGEST_DAGS, run_dags

        report = run_dags(settings, INGEST_DAGS)
        print(json.dumps({"ok": report.ok}))
    elif action == "build":
        from regie import transform

        result = transform.build(settings, docs=False)
        print(json.dumps({"ok": result.ok, "seconds": result.seconds, "stappen": result.stappen}))
    elif action == "checks":
        from regie.quality import tasks

        started = time.monotonic()
        result = tasks.check(params, "bench-quality")
        print(
            json.dumps(
                {
                    "ok": not result["fouten"],
                    "seconds": time.monotonic() - started,
                    "controles": result["controles"],
                    "gemeenten": result["gemeenten"],
                    "bevindingen": result["bevindingen"],
                    "fouten": result["fouten"],
                }
            )
        )
    elif action == "gx":
        # GX alone on the kwaliteit relations the checks left behind: what the checks cost once
        # those relations are dbt models (built by `dbt build`, not by the checks)
        import datetime as dt

        from regie.quality.catalogus import load_checks
        from regie.quality.resultaten import tally
        from regie.warehouse import connect

        try:
            from regie.quality.validation import SCHEMA, validate_in_warehouse
        except ImportError:  # code from before GX validated in the warehouse
            print(json.dumps({"ok": True, "seconds": None}))
            return
        if not _has_kwaliteit(settings.warehouse, SCHEMA):
            print(json.dumps({"ok": True, "seconds": None}))
            return
        started = time.monotonic()
        controles = load_checks()
        with connect(settings.warehouse) as wh:
            v = validate_in_warehouse(controles, wh, "bench-gx")
            res = tally(v, controles, settings.peildatum, "bench-gx", dt.datetime.now())
        print(
            json.dumps(
                {"ok": True, "seconds": time.monotonic() - started, "bevindingen": len(res.bevindingen)}
            )
        )
    elif action == "gate":
        from regie.quality import blocking

        started = time.monotonic()
        result = blocking.judge(params, "bench-gate")
        print(
            json.dumps(
                {"ok": True, "seconds": time.monotonic() - started, "blokkades": len(result["blokkades"])}
            )
        )
    else:
        raise SystemExit(f"unknown action {action}")


def _has_kwaliteit(warehouse: str, schema: str) -> bool:
    from regie.warehouse import connect

    with connect(warehouse) as wh:
        return wh.has_relation(f"{schema}.dossiers")


# --- the benchmark ------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gemeenten", type=int, default=50, help="extra gemeenten to generate (default 50)")
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--peildatum", default="2025-02-25", help="peildatum of the build (default 2025-02-25)")
    p.add_argument("--postgres", metavar="URL", help="use this (empty) PostgreSQL database instead of DuckDB")
    p.add_argument("--tmp", help="folder for the temporary run (default: the system's temp folder)")
    p.add_argument("--keep", action="store_true", help="keep the generated data, home and warehouse")
    p.add_argument("--reuse", metavar="DIR", help="a folder kept by --keep: time the checks on it again")
    p.add_argument("--child", nargs=2, metavar=("ACTION", "PARAMS"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args.child[0], json.loads(args.child[1]))
        return 0

    work = (
        Path(args.reuse)
        if args.reuse
        else Path(tempfile.mkdtemp(prefix="regie-bench-quality-", dir=args.tmp))
    )
    keep = args.keep or bool(args.reuse)
    try:
        landing, home = work / "landing", work / "home"
        saved = work / "bench.json"
        if args.reuse:
            params = json.loads(saved.read_text())["params"]
        else:
            warehouse = args.postgres or str(home / "warehouse" / "regie.duckdb")
            params = {
                "home": str(home),
                "landing": str(landing),
                "warehouse": warehouse,
                "peildatum": args.peildatum,
            }
        env = {k: v for k, v in os.environ.items() if not k.startswith("REGIE_")}
        env["REGIE_PSEUDONIEM_SLEUTEL"] = (
            json.loads(saved.read_text())["key"] if args.reuse else secrets.token_hex(32)
        )
        env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"] = "False"
        env["GX_ANALYTICS_ENABLED"] = "False"

        def step(action: str) -> tuple[Measured, dict]:
            return run_step(str(Path(__file__).resolve()), action, params, env, work)

        if args.reuse:
            info = json.loads(saved.read_text())
            print(f"bench: reusing {work} ({info['files']} files, {info['rows']:,} rows)")
        else:
            from regie.generate import generate

            print(f"bench: generating --gemeenten {args.gemeenten} --seed {args.seed} into {landing}")
            manifest = generate(landing, seed=args.seed, gemeenten=args.gemeenten)
            n_rows = sum(f.rows for f in manifest.files.values())
            print(f"bench: {len(manifest.files)} files, {n_rows:,} rows; ingesting (not timed here) ...")
            ingest, _ = step("ingest")
            print(f"bench: ingested in {ingest.seconds:.1f} s; building (not timed here) ...")
            build, _ = step("build")
            print(f"bench: built in {build.seconds:.1f} s")
            info = {
                "params": params,
                "key": env["REGIE_PSEUDONIEM_SLEUTEL"],
                "files": len(manifest.files),
                "rows": n_rows,
                "gemeenten": args.gemeenten,
                "seed": args.seed,
                "ingest_seconds": ingest.seconds,
                "build_seconds": build.seconds,
            }
            saved.write_text(json.dumps(info))
        load_before = os.getloadavg()[0]
        print("bench: the checks (regie.quality.tasks.check) ...")
        checks, checks_r = step("checks")
        print(f"bench: checks {checks.seconds:.1f} s, peak {checks.peak_mb:.0f} MB; GX alone ...")
        gx_only, gx_r = step("gx")
        print(
            f"bench: GX alone {gx_only.seconds:.1f} s, peak {gx_only.peak_mb:.0f} MB; the blocking gate ..."
        )
        gate, gate_r = step("gate")
        print(f"bench: gate {gate.seconds:.1f} s, peak {gate.peak_mb:.0f} MB")
        load_after = os.getloadavg()[0]

        rows = [
            ("checks: `regie.quality.tasks.check`, the `quality` DAG task `check` (all checks, saved, page written)", checks, checks_r),
            ("blocking gate: `regie.quality.blocking.beoordeel` (blocking checks, every round)", gate, gate_r),
        ]
        if gx_r.get("seconds") is not None:
            rows.insert(
                1,
                ("GX alone on the `kwaliteit` relations, counts and findings (not saved)", gx_only, gx_r),
            )
        table = "\n".join(
            ["| step | wall seconds | inside seconds | peak MB |", "|---|---:|---:|---:|"]
            + [f"| {name} | {m.seconds:.1f} | {r['seconds']:.1f} | {m.peak_mb:.0f} |" for name, m, r in rows]
        )
        backend = "PostgreSQL" if params["warehouse"].startswith("postgres") else "DuckDB"
        notes = [
            f"- command: `.venv/bin/python bench/quality.py --gemeenten {info['gemeenten']} --seed {info['seed']}`"
            + (" --postgres URL" if backend == "PostgreSQL" else ""),
            f"- warehouse: {backend}; landing zone {info['files']} files, {info['rows']:,} rows, ingested in "
            f"{info['ingest_seconds']:.1f} s and built in {info['build_seconds']:.1f} s (not part of the figures)",
            f"- peildatum {params['peildatum']}; {checks_r['controles']} checks, {checks_r['gemeenten']} gemeenten "
            f"with counts, {checks_r['bevindingen']} findings; the gate held back {gate_r['blokkades']} deliveries",
            "- wall seconds: the whole process (Python start-up and imports included); inside seconds: the call "
            "itself; peak MB: the process's largest resident set size (os.wait4)",
            f"- load average (1 min) at start / end: {load_before:.1f} / {load_after:.1f}",
            machine("great_expectations", "duckdb", "pandas"),
        ]
        publish(f"Quality checks benchmark ({backend})", table, notes, f"quality-{backend.lower()}")
        return 0
    finally:
        if keep:
            print(f"bench: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
