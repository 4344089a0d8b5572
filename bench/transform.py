"""How long does the dbt build take at a size well beyond the demo?

Not a test and not timed by CI. It

1. generates a sample landing zone with ``--gemeenten N`` extra gemeenten
   (``regie.generate``) in a temporary folder;
2. ingests it with the four ingestion DAGs (untimed here; ``bench/ingest.py``
   measures that) into a fresh DuckDB warehouse, or PostgreSQL with ``--postgres``;
3. times, each as a separate process: the first build as the transform DAG
   runs it (the blocking checks, ``dbt build`` with seeds, every model, every
   data and unit test, publiek and historie, the publication; seconds per step
   in the notes), a second build with nothing new
   (the incremental activities summary then reads no file again), and
   ``dbt docs generate``; with ``--dag`` also the ``transform`` DAG through
   Airflow (Cosmos), as ``regie run`` runs it;
4. prints a markdown table and writes it to
   ``bench/results/transform-<duckdb|postgresql>-<date>.md`` (git-ignored).

Usage::

    .venv/bin/python bench/transform.py --gemeenten 50            # DuckDB
    .venv/bin/python bench/transform.py --gemeenten 50 --dag      # + the Cosmos DAG
    .venv/bin/python bench/transform.py --postgres postgresql://postgres@127.0.0.1:5432/scratch

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
from pathlib import Path

from _report import Measured, machine, publish, run_step  # noqa: E402  (bench/ is the script's folder)

#: The tables whose size says how much work the build did.
SIZES = (
    "raw.gemeente__activiteiten",
    "intermediate.int_activiteiten__per_levering",
    "intermediate.int_leerroute_perioden",
    "intermediate.int_personen",
    "marts.fct_inburgeraars_instroom",
    "marts.fct_leerroute_stand",
)


# --- the child processes ---------------------------------------------------------


def _short(unique_id: str) -> str:
    """model.regie.x -> x; test.regie.unique_x.1a2b3c -> unique_x."""
    parts = unique_id.split(".")
    return parts[2] if parts[0] in ("test", "unit_test", "operation") and len(parts) > 2 else parts[-1]


def child(action: str, params: dict) -> None:
    """One measured step, in its own process; prints a JSON line."""
    from regie import transform
    from regie.config import Settings
    from regie.runner import INGEST_DAGS, run_dags

    settings = Settings.resolve(params)
    if action == "ingest":
        report = run_dags(settings, INGEST_DAGS)
        print(json.dumps({"ok": report.ok, "dags": [[d.dag_id, d.state, d.seconds] for d in report.dags]}))
    elif action == "build":
        result = transform.build(settings, docs=False)
        slowest = sorted(result.nodes, key=lambda n: -n.seconds)[:8]
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "seconds": result.seconds,
                    "counts": result.counts(),
                    "node_seconds": sum(n.seconds for n in result.nodes),
                    "slowest": [[_short(n.unique_id), round(n.seconds, 2)] for n in slowest],
                    "failures": [n.unique_id for n in result.failures],
                    "stappen": result.stappen,
                    "tail": "" if result.ok else result.output[-2000:],
                }
            )
        )
    elif action == "docs":
        result = transform.docs_generate(settings)
        print(json.dumps({"ok": result.ok, "seconds": result.seconds}))
    elif action == "dag":
        report = run_dags(settings, ("transform",))
        d = report.dags[0]
        print(
            json.dumps(
                {"ok": report.ok, "state": d.state, "seconds": d.seconds, "failed": d.failed_tasks[:10]}
            )
        )
    else:
        raise SystemExit(f"unknown action {action}")


def sizes(warehouse: str) -> dict[str, int]:
    from regie.warehouse import connect

    out = {}
    with connect(warehouse, read_only=not warehouse.startswith("postgres")) as wh:
        for table in SIZES:
            out[table] = int(wh.query(f"select count(*) from {table}")[0][0])
    return out


# --- the benchmark ------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gemeenten", type=int, default=50, help="extra gemeenten to generate (default 50)")
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--peildatum", default="2025-02-25", help="peildatum of the build (default 2025-02-25)")
    p.add_argument(
        "--postgres", metavar="URL", help="build in this (empty) PostgreSQL database instead of DuckDB"
    )
    p.add_argument("--dag", action="store_true", help="also time the transform DAG through Airflow (Cosmos)")
    p.add_argument("--tmp", help="folder for the temporary run (default: the system's temp folder)")
    p.add_argument("--keep", action="store_true", help="keep the generated data, home and warehouse")
    p.add_argument("--child", nargs=2, metavar=("ACTION", "PARAMS"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        child(args.child[0], json.loads(args.child[1]))
        return 0

    from regie.generate import generate

    work = Path(tempfile.mkdtemp(prefix="regie-bench-transform-", dir=args.tmp))
    try:
        landing, home = work / "landing", work / "home"
        warehouse = args.postgres or str(home / "warehouse" / "regie.duckdb")
        params = {
            "home": str(home),
            "landing": str(landing),
            "warehouse": warehouse,
            "peildatum": args.peildatum,
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith("REGIE_")}
        env["REGIE_PSEUDONIEM_SLEUTEL"] = secrets.token_hex(32)
        env["AIRFLOW__COSMOS__ENABLE_TELEMETRY"] = "False"

        def step(action: str) -> tuple[Measured, dict]:
            return run_step(str(Path(__file__).resolve()), action, params, env, work)

        print(f"bench: generating --gemeenten {args.gemeenten} --seed {args.seed} into {landing}")
        manifest = generate(landing, seed=args.seed, gemeenten=args.gemeenten)
        n_rows = sum(f.rows for f in manifest.files.values())
        print(f"bench: {len(manifest.files)} files, {n_rows:,} rows; ingesting (not timed here) ...")
        ingest, _ = step("ingest")
        print(f"bench: ingested in {ingest.seconds:.1f} s; dbt build ...")
        load_before = os.getloadavg()[0]
        first, first_r = step("build")
        print(f"bench: first build {first.seconds:.1f} s; again, nothing new ...")
        second, second_r = step("build")
        print(f"bench: second build {second.seconds:.1f} s; docs ...")
        docs, _ = step("docs")
        dag = dag_r = None
        if args.dag:
            print("bench: the transform DAG through Airflow ...")
            dag, dag_r = step("dag")
        load_after = os.getloadavg()[0]
        counted = sizes(warehouse)

        rows = [
            ("build, first (incl. incremental summary)", first, first_r.get("seconds")),
            ("build, again with nothing new", second, second_r.get("seconds")),
            ("`dbt docs generate`", docs, None),
        ]
        if dag:
            rows.append(("`transform` DAG via Airflow/Cosmos (watcher)", dag, dag_r.get("seconds")))
        table = "\n".join(
            ["| step | wall seconds | dbt/DAG seconds | peak MB |", "|---|---:|---:|---:|"]
            + [
                f"| {name} | {m.seconds:.1f} | {'' if inner is None else f'{inner:.1f}'} | {m.peak_mb:.0f} |"
                for name, m, inner in rows
            ]
        )
        backend = "PostgreSQL" if args.postgres else "DuckDB"
        notes = [
            f"- command: `.venv/bin/python bench/transform.py --gemeenten {args.gemeenten} --seed {args.seed}`"
            + (" --postgres URL" if args.postgres else "")
            + (" --dag" if args.dag else ""),
            f"- warehouse: {backend}, fresh; landing zone {len(manifest.files)} files, {n_rows:,} rows, "
            f"ingested in {ingest.seconds:.1f} s (not part of the figures)",
            f"- peildatum {args.peildatum}; nodes in the first build: "
            + ", ".join(f"{v} {k}" for k, v in sorted(first_r["counts"].items())),
            f"- time inside dbt's nodes, first build: {first_r['node_seconds']:.1f} s; slowest: "
            + ", ".join(f"{n} {s:.2f} s" for n, s in first_r["slowest"]),
            "- a build is what the transform DAG runs (regie.transform.build): the blocking checks, "
            "`dbt build`, publiek and historie, the publication; seconds per step, first build: "
            + ", ".join(f"{k} {v:.1f}" for k, v in first_r.get("stappen", {}).items())
            + "; second: "
            + ", ".join(f"{k} {v:.1f}" for k, v in second_r.get("stappen", {}).items()),
            "- the rest of each build's wall time is dbt's own start-up and project parse (a new peildatum "
            "means a full parse), and the Python start-up of the measuring process",
            "- rows after the build: " + ", ".join(f"{t} {n:,}" for t, n in counted.items()),
            f"- load average (1 min) at start / end: {load_before:.1f} / {load_after:.1f}",
            machine("dbt-core", "duckdb", "astronomer-cosmos"),
        ]
        publish(f"Transformation benchmark ({backend})", table, notes, f"transform-{backend.lower()}")
        return 0
    finally:
        if args.keep:
            print(f"bench: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
