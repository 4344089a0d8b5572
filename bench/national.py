"""regie at about national scale, against a bare DuckDB script and a pandas script, in one run.

Not a test and not timed by CI. It

1. generates a landing zone with ``--gemeenten N`` extra gemeenten (``regie.generate``,
   as ``regie generate --gemeenten N``) in a temporary folder;
2. runs, each as a separate process measured for wall time and peak memory:

   * ``regie run`` (ingest, transform, quality) on it, fresh home and DuckDB warehouse;
   * ``regie run`` on the sample with no extra gemeenten (``--gemeenten 0``): the fixed
     cost, so that ``regie - fixed`` is regie's data-proportional time;
   * the bare DuckDB script (``--bare``): reads the same files, pseudonymises BSN and
     V-nummer with the same keyed HMAC-SHA256, keeps the delivery in force per deliverer
     and builds the core figures (instroom per gemeente and month, leerroute stand,
     activity hours, DUO and COA counts);
   * the same in pandas only (``--pandas``);
   * one gemeente's new delivery (its latest files again at a later date, rows in another
     order) on top of the full warehouse: ``regie run`` once more;
   * what ``regie run`` pays before the first byte, per part (``--fixed-parts``);
3. writes the tables into ``bench/README.md`` (between the ``national`` markers) and
   ``bench/results/national-<date>.md``.

Usage::

    .venv/bin/python bench/national.py --gemeenten 10
    .venv/bin/python bench/national.py --gemeenten 340      # about national scale

The bare and pandas scripts do much less than regie (no row checks, no ledger, no
archive, no quality gate, fewer marts): the ratio says what regie's promises cost.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _report import ROOT, Measured, machine, measure, publish  # noqa: E402  (bench/ is the script's folder)

README = ROOT / "bench" / "README.md"
BEGIN, END = "<!-- national:begin -->", "<!-- national:end -->"


def regie_env(key: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("REGIE_HOME", "REGIE_LANDING", "REGIE_WAREHOUSE", "REGIE_PSEUDONIEM_SLEUTEL_BESTAND"):
        env.pop(name, None)
    env["REGIE_PSEUDONIEM_SLEUTEL"] = key
    env.setdefault("AIRFLOW__COSMOS__ENABLE_TELEMETRY", "False")
    env.setdefault("GX_ANALYTICS_ENABLED", "False")
    return env


def regie_run(home: Path, landing: Path, env: dict[str, str], out: Path) -> Measured:
    exe = ROOT / ".venv" / "bin" / "regie"
    cmd = [str(exe if exe.exists() else shutil.which("regie") or "regie"), "run"]
    cmd += ["--home", str(home), "--landing", str(landing), "--warehouse", str(home / "regie.duckdb")]
    return measure(cmd, env, out)


def dag_seconds(output: str) -> dict[str, float]:
    """Seconds per DAG from regie run's progress lines ("  DAG x" ... "    -> success in 2.3s")."""
    out: dict[str, float] = {}
    current = None
    for line in output.splitlines():
        if m := re.match(r"^  DAG (\S+)$", line):
            current = m.group(1)
        elif current and (m := re.match(r"^    -> (\S+) in ([0-9.]+)s", line)):
            out[current] = float(m.group(2))
            current = None
    return out


def dag_states(output: str) -> dict[str, str]:
    out: dict[str, str] = {}
    current = None
    for line in output.splitlines():
        if m := re.match(r"^  DAG (\S+)$", line):
            current = m.group(1)
        elif current and (m := re.match(r"^    -> (\S+) in", line)):
            out[current] = m.group(1)
            current = None
    return out


_STAMP = r"^(\d{4}-\d\d-\d\dT[0-9:.]+)Z "


def _when(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


def run_log(home: Path) -> Path | None:
    """The log of the latest ``regie run`` under ``home``."""
    logs = sorted((home / "logs").glob("regie-*.log"), key=lambda p: p.stat().st_mtime)
    return logs[-1] if logs else None


def task_parts(log: Path | None) -> dict[str, dict[str, float]]:
    """Seconds per task, per DAG, from a ``regie run`` log (``[DAG TEST] starting`` .. ``end task``);
    the transform DAG's per-node dbt tasks are summed as ``dbt node tasks (n)``, and the
    producer's ``dbt build`` split into start-up and parse, and running the nodes."""
    out: dict[str, dict[str, float]] = {}
    if log is None or not log.is_file():
        return out
    dag = None
    started: dict[str, dt.datetime] = {}
    nodes = 0
    dbt_start = parse_end = None
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.match(_STAMP, line)
        if not m:
            continue
        when = _when(m.group(1))
        if s := re.search(r"\[DAG TEST\] starting task_id=(\S+)", line):
            started[s.group(1)] = when
        elif s := re.search(r"running task <TaskInstance: (\w+)\.", line):
            dag = s.group(1)
        elif (s := re.search(r"\[DAG TEST\] end task task_id=(\S+)", line)) and s.group(1) in started:
            task = s.group(1)
            seconds = (when - started.pop(task)).total_seconds()
            parts = out.setdefault(dag or "?", {})
            if task.startswith("dbt.") and "producer" not in task:
                nodes += 1
                task = "dbt node tasks"
            parts[task] = parts.get(task, 0.0) + seconds
        elif "Running with dbt=" in line and dbt_start is None:
            dbt_start = when
        elif re.search(r"\d\d:\d\d:\d\d  Found \d+ models", line) and dbt_start and parse_end is None:
            parse_end = when
        elif (s := re.search(r"Finished running .* \(([0-9.]+)s\)", line)) and parse_end:
            parts = out.setdefault("dbt build (producer)", {})
            parts["dbt start-up and parse"] = (parse_end - dbt_start).total_seconds()
            parts["running the nodes"] = float(s.group(1))
    if "transform" in out and "dbt node tasks" in out["transform"]:
        out["transform"][f"dbt node tasks ({nodes})"] = out["transform"].pop("dbt node tasks")
    return out


def format_parts(parts: dict[str, dict[str, float]]) -> list[str]:
    return [
        f"  - {dag}: "
        + ", ".join(f"{task} {sec:.1f} s" for task, sec in sorted(tasks.items(), key=lambda kv: -kv[1]))
        for dag, tasks in parts.items()
    ]


def ledger(warehouse: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select status, count(*), sum(rijen_geladen), sum(rijen_afgewezen) from audit.bestanden group by status"
        ).fetchall()
    finally:
        con.close()
    out = {"geladen": 0, "quarantaine": 0, "duplicaat": 0, "rijen_geladen": 0, "rijen_afgewezen": 0}
    for status, n, loaded, rejected in rows:
        out[status] = int(n)
        out["rijen_geladen"] += int(loaded or 0)
        out["rijen_afgewezen"] += int(rejected or 0)
    return out


# -- the baselines (each runs in its own process) ----------------------------------------------

#: What the baselines read: per source, the landing file name.
CSV_SOURCES = {
    "dossiers": "dossiers.csv",
    "leerroutes": "leerroutes.csv",
    "activiteiten": "activiteiten.csv",
    "uitkomsten": "uitkomsten.csv",
    "handhaving": "handhaving.csv",
    "financien": "financien.csv",
    "koppelingen": "koppelingen.csv",
    "taakstelling": "taakstelling.csv",
    "spuk": "spuk_beschikkingen.csv",
    "ladder": "interventieladder.csv",
}
#: Identifier columns the baselines pseudonymise (domain, column), as regie does.
IDENTIFIERS = {
    "dossiers": [("bsn", "bsn")],
    "koppelingen": [("bsn", "bsn"), ("vnummer", "v_nummer")],
    "personen": [("bsn", "bsn"), ("vnummer", "vNummer")],
}


def _grouped(files: list[list[str]]) -> dict[str, dict[str, list[str]]]:
    """{source: {encoding: [paths]}} for the CSV files; "personen" for the JSONL files."""
    out: dict[str, dict[str, list[str]]] = {}
    for path, encoding in files:
        name = Path(path).name
        source = next((s for s, f in CSV_SOURCES.items() if f == name), None)
        if name == "personen.jsonl":
            source = "personen"
        if source:
            out.setdefault(source, {}).setdefault(encoding, []).append(path)
    return out


def bare_duckdb(list_file: Path, key: str) -> None:
    """Bare DuckDB: every file read once, identifiers pseudonymised, the delivery in force
    per deliverer kept, core figures built. No checks, no ledger, no archive."""
    import duckdb

    files = json.loads(list_file.read_text(encoding="utf-8"))
    raw = key.encode()
    inner = bytes(b ^ 0x36 for b in raw.ljust(64, b"\0"))
    outer = bytes(b ^ 0x5C for b in raw.ljust(64, b"\0"))
    con = duckdb.connect()

    def hmac(domain: str, expr: str) -> str:
        return f"sha256($o || unhex(sha256($i || encode('{domain}:' || {expr}))))"

    rows = 0
    for source, by_encoding in _grouped(files).items():
        parts = []
        for encoding, paths in by_encoding.items():
            if source == "personen":
                parts.append(
                    f"select *, filename from read_json({paths!r}, format='newline_delimited', "
                    "ignore_errors=true, filename=true, union_by_name=true)"
                )
            else:
                enc = "latin-1" if encoding == "cp1252" else "utf-8"
                parts.append(
                    f"select * from read_csv({paths!r}, delim=';', header=true, all_varchar=true, "
                    f"encoding='{enc}', ignore_errors=true, null_padding=true, filename=true, union_by_name=true)"
                )
        con.execute(f"create table {source}_all as " + " union all by name ".join(parts))
        # the delivery in force: the latest delivery date per deliverer (folder names)
        ids = IDENTIFIERS.get(source, [])
        pseudo = "".join(
            f"{hmac(domain, f'cast({col} as varchar)')} as {col}_pseudo, " for domain, col in ids
        )
        dropped = "".join(f", {col}" for _, col in ids)
        con.execute(
            f"""
            create table {source} as
            select * exclude (filename, _lever, _wie{dropped}), {pseudo}
                   _wie as uitvoerder
            from (
                select *, regexp_extract(filename, '/(\\d{{4}}-\\d{{2}}-\\d{{2}})/', 1) as _lever,
                       coalesce(nullif(regexp_extract(filename, '/(GM\\d{{4}})/', 1), ''), 'landelijk') as _wie
                from {source}_all
            )
            qualify _lever = max(_lever) over (partition by _wie)
            """,
            {"i": inner, "o": outer} if ids else {},
        )
        rows += con.execute(f"select count(*) from {source}_all").fetchone()[0]
    figures = {
        "instroom": """
            select woongemeente, date_trunc('month', try_strptime(datum_inschrijving_brp, '%d-%m-%Y')) as maand,
                   count(distinct bsn_pseudo) as inburgeraars
            from dossiers group by all""",
        "leerroute_stand": """
            select d.woongemeente, l.leerroute, count(*) as aantal
            from (select * from leerroutes qualify row_number() over (
                      partition by uitvoerder, klantnummer order by try_strptime(datum_start, '%d-%m-%Y') desc) = 1) l
            join dossiers d using (uitvoerder, klantnummer)
            group by all""",
        "activiteiten_uren": """
            select uitvoerder, soort, sum(try_cast(replace(replace(uren, '.', ''), ',', '.') as decimal(18,2))) as uren,
                   count(*) as activiteiten
            from activiteiten group by all""",
        "duo_plicht": """
            select gemeentecode, count(distinct bsn_pseudo) as plichtigen from personen group by all""",
        "coa_koppelingen": """
            select gemeentecode, status, count(*) as aantal from koppelingen group by all""",
    }
    sizes = {}
    for name, sql in figures.items():
        con.execute(f"create table fig_{name} as {sql}")
        sizes[name] = con.execute(f"select count(*) from fig_{name}").fetchone()[0]
    print(json.dumps({"rows": rows, "figures": sizes}))


def bare_pandas(list_file: Path, key: str) -> None:
    """The same as :func:`bare_duckdb` with pandas only (hashlib for the pseudonyms)."""
    import hashlib
    import hmac

    import pandas as pd

    files = json.loads(list_file.read_text(encoding="utf-8"))
    raw = key.encode()
    tables: dict[str, pd.DataFrame] = {}
    rows = 0
    for source, by_encoding in _grouped(files).items():
        frames = []
        for encoding, paths in by_encoding.items():
            for path in paths:
                if source == "personen":
                    records = []
                    with open(path, encoding="utf-8-sig") as fh:
                        for line in fh:
                            try:
                                record = json.loads(line)
                            except ValueError:  # a broken line, as DuckDB's ignore_errors skips it
                                continue
                            if isinstance(record, dict):
                                records.append(
                                    {k: v for k, v in record.items() if not isinstance(v, (dict, list))}
                                )
                    df = pd.DataFrame.from_records(records)
                else:
                    df = pd.read_csv(
                        path,
                        sep=";",
                        dtype=str,
                        keep_default_na=False,
                        encoding="cp1252" if encoding == "cp1252" else "utf-8-sig",
                        encoding_errors="replace",
                        on_bad_lines="skip",
                    )
                df["filename"] = path
                frames.append(df)
        df = pd.concat(frames, ignore_index=True)
        rows += len(df)
        df["_lever"] = df["filename"].str.extract(r"/(\d{4}-\d{2}-\d{2})/", expand=False)
        df["uitvoerder"] = df["filename"].str.extract(r"/(GM\d{4})/", expand=False).fillna("landelijk")
        df = df[df["_lever"] == df.groupby("uitvoerder")["_lever"].transform("max")].copy()
        for domain, col in IDENTIFIERS.get(source, []):
            values = df[col].astype("string")
            uniques = values.dropna().unique()
            pseudo = {v: hmac.new(raw, f"{domain}:{v}".encode(), hashlib.sha256).hexdigest() for v in uniques}
            df[f"{col}_pseudo"] = values.map(pseudo)
            df = df.drop(columns=[col])
        tables[source] = df
    d = tables["dossiers"]
    figures = {}
    d["maand"] = pd.to_datetime(d["datum_inschrijving_brp"], format="%d-%m-%Y", errors="coerce").dt.to_period(
        "M"
    )
    figures["instroom"] = d.groupby(["woongemeente", "maand"])["bsn_pseudo"].nunique()
    lr = tables["leerroutes"].copy()
    lr["start"] = pd.to_datetime(lr["datum_start"], format="%d-%m-%Y", errors="coerce")
    lr = lr.sort_values("start", ascending=False).drop_duplicates(["uitvoerder", "klantnummer"])
    figures["leerroute_stand"] = (
        lr.merge(d[["uitvoerder", "klantnummer", "woongemeente"]], on=["uitvoerder", "klantnummer"])
        .groupby(["woongemeente", "leerroute"])
        .size()
    )
    a = tables["activiteiten"]
    a["uren_num"] = pd.to_numeric(
        a["uren"].str.replace(".", "", regex=False).str.replace(",", ".", regex=False), errors="coerce"
    )
    figures["activiteiten_uren"] = a.groupby(["uitvoerder", "soort"])["uren_num"].agg(["sum", "count"])
    figures["duo_plicht"] = tables["personen"].groupby("gemeentecode")["bsn_pseudo"].nunique()
    figures["coa_koppelingen"] = tables["koppelingen"].groupby(["gemeentecode", "status"]).size()
    print(json.dumps({"rows": rows, "figures": {k: int(len(v)) for k, v in figures.items()}}))


def fixed_parts(home: Path) -> None:
    """What ``regie run`` pays before the first byte, part by part (in its own process)."""
    started = time.monotonic()
    parts: dict[str, float] = {}

    def lap(name: str, t0: float) -> float:
        now = time.monotonic()
        parts[name] = round(now - t0, 2)
        return now

    t = time.monotonic()
    from regie.runner import INGEST_DAGS, _dag_bag, airflow_environment, dags_folder

    os.environ.update(airflow_environment(home))
    t = lap("import regie", t)
    from airflow.dag_processing.dagbag import DagBag

    t = lap("import Airflow", t)
    from regie.runner import prepare_airflow

    prepare_airflow(home)
    t = lap("Airflow metadata database (create/upgrade, pool)", t)
    _dag_bag(DagBag, INGEST_DAGS)
    t = lap("parse the four ingestion DAG files", t)
    _dag_bag(DagBag, ("transform",))
    t = lap("parse the transform DAG (Cosmos, dbt manifest)", t)
    _dag_bag(DagBag, ("quality",))
    t = lap("parse the quality DAG", t)
    DagBag(str(dags_folder()))
    t = lap("parse the whole DAG folder (what dag.test() did before every DAG until issue 13)", t)
    import great_expectations as gx

    gx.get_context(mode="ephemeral")
    t = lap("import Great Expectations and make its context (quality DAG)", t)
    parts["total"] = round(time.monotonic() - started, 2)
    print(json.dumps(parts))


# -- the run ---------------------------------------------------------------------------------------


def new_delivery(landing: Path, gemeente: str) -> tuple[str, int]:
    """Copy ``gemeente``'s latest delivery to a later date with its data rows reversed
    (the same bytes would be a duplicate); returns the new folder and its row count."""
    root = landing / "gemeente" / gemeente
    latest = max(p for p in root.iterdir() if p.is_dir())
    later = (dt.date.fromisoformat(latest.name) + dt.timedelta(days=7)).isoformat()
    target = root / later
    target.mkdir()
    rows = 0
    for f in sorted(latest.iterdir()):
        data = f.read_bytes()
        head, _, body = data.partition(b"\n")
        lines = [line for line in body.split(b"\n") if line]
        rows += len(lines)
        (target / f.name).write_bytes(head + b"\n" + b"\n".join(reversed(lines)) + b"\n")
    return f"gemeente/{gemeente}/{later}", rows


def write_readme(section: str) -> None:
    text = README.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gemeenten", type=int, default=340, help="extra gemeenten to generate (default 340)")
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--tmp", help="folder for the temporary run (default: the system's temp folder)")
    p.add_argument("--keep", action="store_true", help="keep the generated data, homes and warehouses")
    p.add_argument("--no-readme", action="store_true", help="do not write the tables into bench/README.md")
    p.add_argument("--bare", help=argparse.SUPPRESS)
    p.add_argument("--pandas", help=argparse.SUPPRESS)
    p.add_argument("--fixed-parts", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.bare:
        bare_duckdb(Path(args.bare), os.environ["REGIE_PSEUDONIEM_SLEUTEL"])
        return 0
    if args.pandas:
        bare_pandas(Path(args.pandas), os.environ["REGIE_PSEUDONIEM_SLEUTEL"])
        return 0
    if args.fixed_parts:
        fixed_parts(Path(args.fixed_parts))
        return 0

    from regie.generate import generate

    work = Path(tempfile.mkdtemp(prefix="regie-national-", dir=args.tmp))
    env = regie_env(secrets.token_hex(32))
    me = [sys.executable, str(Path(__file__).resolve())]
    try:
        source = work / "generated"
        print(f"national: generating --gemeenten {args.gemeenten} --seed {args.seed}", flush=True)
        t0 = time.monotonic()
        manifest = generate(source, seed=args.seed, gemeenten=args.gemeenten)
        n_files = len(manifest.files)
        n_rows = sum(f.rows for f in manifest.files.values())
        size_mb = sum((source / rel).stat().st_size for rel in manifest.files) / 1024 / 1024
        print(
            f"national: {n_files} files, {n_rows:,} rows, {size_mb:.0f} MB in {time.monotonic() - t0:.0f} s"
        )
        listing = work / "files.json"
        listing.write_text(
            json.dumps([[str(source / rel), f.encoding] for rel, f in sorted(manifest.files.items())]),
            encoding="utf-8",
        )

        print("national: bare DuckDB ...", flush=True)
        bare = measure(me + ["--bare", str(listing)], env, work / "bare.out")
        print("national: pandas ...", flush=True)
        pandas_run = measure(me + ["--pandas", str(listing)], env, work / "pandas.out")
        for m in (bare, pandas_run):
            if m.returncode != 0:
                print(m.output[-3000:])
                return 1
        bare_result = json.loads(bare.output.strip().splitlines()[-1])
        pandas_result = json.loads(pandas_run.output.strip().splitlines()[-1])

        print("national: fixed cost parts ...", flush=True)
        parts_run = measure(me + ["--fixed-parts", str(work / "parts-home")], env, work / "parts.out")
        parts = json.loads(parts_run.output.strip().splitlines()[-1]) if parts_run.returncode == 0 else {}

        print("national: regie run on the sample without extra gemeenten (fixed cost) ...", flush=True)
        small = work / "small"
        generate(small / "landing", seed=args.seed, gemeenten=0)
        fixed = regie_run(small / "home", small / "landing", env, work / "fixed.out")

        print("national: regie run ...", flush=True)
        full_dir = work / "full"
        shutil.copytree(source, full_dir / "landing")
        load_before = os.getloadavg()[0]
        full = regie_run(full_dir / "home", full_dir / "landing", env, work / "full.out")
        load_after = os.getloadavg()[0]
        totals = ledger(full_dir / "home" / "regie.duckdb")
        full_parts = task_parts(run_log(full_dir / "home"))

        gemeente = (
            "GM0518"
            if (full_dir / "landing" / "gemeente" / "GM0518").is_dir()
            else sorted(p.name for p in (full_dir / "landing" / "gemeente").iterdir())[0]
        )
        folder, delivery_rows = new_delivery(full_dir / "landing", gemeente)
        print(f"national: regie run with one new delivery ({folder}) ...", flush=True)
        again = regie_run(full_dir / "home", full_dir / "landing", env, work / "again.out")
        again_parts = task_parts(run_log(full_dir / "home"))
        fixed_parts_log = task_parts(run_log(small / "home"))

        per_dag = dag_seconds(full.output)
        per_dag_again = dag_seconds(again.output)
        per_dag_fixed = dag_seconds(fixed.output)
        states = {**dag_states(full.output)}
        proportional = full.seconds - fixed.seconds
        ratio = proportional / bare.seconds if bare.seconds else float("nan")
        today = dt.date.today().isoformat()
        table = "\n".join(
            [
                "| run | seconds | peak MB | ratio to bare DuckDB |",
                "|---|---:|---:|---:|",
                f"| regie run (ingest, transform, quality) | {full.seconds:.1f} | {full.peak_mb:.0f} | "
                f"{full.seconds / bare.seconds:.1f} |",
                f"| regie run on the sample without extra gemeenten (fixed cost) | {fixed.seconds:.1f} | "
                f"{fixed.peak_mb:.0f} | |",
                f"| regie, data-proportional (full - fixed) | {proportional:.1f} | | **{ratio:.1f}** |",
                f"| bare DuckDB script | {bare.seconds:.1f} | {bare.peak_mb:.0f} | 1.0 |",
                f"| pandas script | {pandas_run.seconds:.1f} | {pandas_run.peak_mb:.0f} | "
                f"{pandas_run.seconds / bare.seconds:.1f} |",
            ]
        )
        table2 = "\n".join(
            [
                "| run | seconds | peak MB | share of the full run |",
                "|---|---:|---:|---:|",
                f"| regie run, everything new | {full.seconds:.1f} | {full.peak_mb:.0f} | 100% |",
                f"| regie run, one new delivery of {gemeente} ({delivery_rows:,} rows) | {again.seconds:.1f} | "
                f"{again.peak_mb:.0f} | {100 * again.seconds / full.seconds:.0f}% |",
                f"| bare DuckDB script (no state: recomputes everything) | {bare.seconds:.1f} | "
                f"{bare.peak_mb:.0f} | |",
            ]
        )
        table3 = "\n".join(
            ["| part of regie run's fixed cost | seconds |", "|---|---:|"]
            + [f"| {name} | {sec:.2f} |" for name, sec in parts.items()]
        )

        def dags(d: dict[str, float]) -> str:
            return ", ".join(f"{k} {v:.1f} s" for k, v in d.items())

        notes = [
            f"- command: `.venv/bin/python bench/national.py --gemeenten {args.gemeenten} --seed {args.seed}`",
            f"- scale: `--gemeenten {args.gemeenten}`: {n_files} files, {size_mb:.0f} MB, {n_rows:,} rows "
            "(CSV data rows and JSONL lines)",
            f"- ledger after the full run: {totals['geladen']} files geladen, {totals['quarantaine']} quarantaine, "
            f"{totals['duplicaat']} duplicaat; {totals['rijen_geladen']:,} rows geladen, "
            f"{totals['rijen_afgewezen']:,} afgewezen",
            f"- regie per DAG, full run: {dags(per_dag)}; DAG states: "
            + ", ".join(f"{k} {v}" for k, v in states.items()),
            f"- regie per DAG, fixed-cost run: {dags(per_dag_fixed)}",
            f"- regie per DAG, one new delivery: {dags(per_dag_again)}",
            "- seconds per task (from each run's log; `dbt node tasks` are the Cosmos tasks that report "
            "the producer's outcome per model and seed), full run:",
            *format_parts(full_parts),
            "- the same, one new delivery:",
            *format_parts(again_parts),
            "- the same, fixed-cost run:",
            *format_parts(fixed_parts_log),
            f"- bare DuckDB: {bare_result['rows']:,} rows read; figures (rows): "
            + ", ".join(f"{k} {v}" for k, v in bare_result["figures"].items()),
            f"- pandas: {pandas_result['rows']:,} rows read; figures (rows): "
            + ", ".join(f"{k} {v}" for k, v in pandas_result["figures"].items()),
            "- peak MB: largest resident set size of the process or any of its children (`os.wait4`)",
            f"- load average (1 min) when the full regie run started / ended: {load_before:.1f} / {load_after:.1f} "
            "(other work on the machine slows every figure)",
            machine("duckdb", "pandas", "apache-airflow", "dbt-core", "regie"),
        ]
        section = (
            f"## National scale ({today}, `--gemeenten {args.gemeenten}`)\n\n{table}\n\n"
            f"One gemeente's new delivery on top of the full warehouse:\n\n{table2}\n\n"
            f"What `regie run` pays before the first byte (measured in one process, in this order):\n\n{table3}\n\n"
            + "\n".join(notes)
        )
        publish("National-scale benchmark", section, [], "national")
        if not args.no_readme:
            write_readme(section)
            print(f"national: written to {README.relative_to(ROOT)}")
        return 0
    finally:
        if args.keep:
            print(f"national: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
