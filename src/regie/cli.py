"""``regie``: generate sample data, run the pipeline, do both as a demo, give access, export.

Thin over the package: every command calls the same functions the DAGs and
the tests call.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
from pathlib import Path

from . import pseudonym
from .config import Settings
from .private import restrict_process
from .warehouse import describe, is_postgres

DEMO_MARKER = ".regie-demo"


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (jjjj-mm-dd): {text}") from None


def cmd_generate(args: argparse.Namespace) -> int:
    from .generate import generate

    out = Path(args.out)
    manifest = generate(out, seed=args.seed, gemeenten=args.gemeenten)
    if args.manifest:
        manifest.to_json(Path(args.manifest))
    rows = sum(f.rows for f in manifest.files.values())
    print(f"generated {len(manifest.files)} files, {rows} rows, in {out}")
    return 0


def _check_key() -> bool:
    try:
        pseudonym.load_key(allow_airflow=False)
    except pseudonym.NoKeyError as exc:
        print(f"regie: {exc}", file=sys.stderr)
        return False
    return True


def _check_peildatum(settings: Settings) -> bool:
    """Refuse a peildatum before the first delivery (in the warehouse or about to be loaded)."""
    if not settings.peildatum:
        return True
    from . import peildatum
    from .ingest.landing import classify, list_files
    from .sources.catalog import FAMILIES
    from .warehouse import connect

    landing = [
        d
        for family in FAMILIES
        for rel in list_files(settings.landing, family)
        if peildatum.aannemelijk(d := classify(rel).leverdatum)
    ]
    first, last = None, None
    if is_postgres(settings.warehouse) or Path(settings.warehouse).exists():
        with connect(settings.warehouse, read_only=not is_postgres(settings.warehouse)) as wh:
            first, last = peildatum.leverdata(wh)
    dates = [d for d in (first, last, *landing) if d is not None]
    try:
        peildatum.bepaal(settings.peildatum, min(dates) if dates else None, max(dates) if dates else None)
    except peildatum.PeildatumFout as exc:
        print(f"regie: {exc} Nothing was changed.", file=sys.stderr)
        return False
    return True


def _run(settings: Settings, until: str = "quality") -> int:
    from .runner import STEPS, format_report, run_dags

    if not settings.landing.is_dir():
        print(f"regie: the landing zone {settings.landing} does not exist", file=sys.stderr)
        return 2
    if not _check_key() or not _check_peildatum(settings):
        return 2
    report = run_dags(settings, STEPS[until])
    print(format_report(report))
    if "quality" in {d.dag_id for d in report.dags}:
        from .quality import scorecard_text

        print()
        print(scorecard_text(settings.warehouse, report.run_id))
    if until != "ingest":
        _print_publication(settings, report.ok)
    from .runner import format_failures

    if format_failures(report):
        print(format_failures(report))
    return 0 if report.ok else 1


def _print_publication(settings: Settings, ok: bool = True) -> None:
    """The place BI tools open, on a line of its own that starts with ``warehouse:``."""
    from . import publish

    peil, when = publish.laatste(settings.warehouse)
    print()
    if peil:
        note = "" if ok else "; this run did not publish, BI still sees this publication"
        print(f"peildatum: {peil} (published {when}{note})")
    else:
        print("peildatum: nothing published yet (see the DAG results above)")
    print(f"warehouse: {publish.beschrijf(settings.warehouse)}")


def _contacts(path: str | None) -> None:
    """The quality DAG reads REGIE_CONTACTEN; --contacten sets it for this run."""
    if path:
        os.environ["REGIE_CONTACTEN"] = str(Path(path).resolve())


def _refuse(reason: object) -> int:
    """A preflight refusal: one line, exit 2, nothing written."""
    print(f"regie: {reason}", file=sys.stderr)
    return 2


def _place_args(args: argparse.Namespace) -> dict:
    return {
        "landing": args.landing,
        "warehouse": args.warehouse,
        "home": args.home,
        "peildatum": args.peildatum,
    }


def cmd_run(args: argparse.Namespace) -> int:
    from .preflight import Refusal, check

    try:
        checked = check(_place_args(args), args.contacten)
    except Refusal as exc:
        return _refuse(exc)
    _contacts(args.contacten)
    if args.full_refresh:
        from .transform.profiles import FULL_REFRESH_ENV

        os.environ[FULL_REFRESH_ENV] = "1"  # read by the transform DAG's dbt tasks (this process)
    return _run(checked.settings, args.until)


def cmd_serve(args: argparse.Namespace) -> int:
    from .preflight import Refusal
    from .serve import serve

    try:
        return serve(args, _place_args(args))
    except Refusal as exc:
        return _refuse(exc)


def cmd_demo(args: argparse.Namespace) -> int:
    home = Path(args.home or os.environ.get("REGIE_HOME") or "data").resolve()
    marker = home / DEMO_MARKER
    if home.exists() and any(home.iterdir()) and not marker.exists():
        print(
            f"regie demo: {home} holds data that the demo did not create; "
            "pass --home with an empty or demo folder",
            file=sys.stderr,
        )
        return 2
    key_file = home / "pseudoniem.key"
    if marker.exists():  # start afresh, but keep the key
        for sub in ("landing", "warehouse", "archive", "quarantine", "airflow", "logs"):
            shutil.rmtree(home / sub, ignore_errors=True)
    home.mkdir(parents=True, exist_ok=True)
    marker.write_text("created by 'regie demo'; the demo may empty this folder\n", encoding="utf-8")
    if not (os.environ.get(pseudonym.ENV_KEY) or os.environ.get(pseudonym.ENV_KEY_FILE)):
        if not key_file.exists():
            pseudonym.write_key_file(key_file)
            print(f"demo: created a pseudonymisation key in {key_file} (keep it; it is not in the warehouse)")
        else:
            print(f"demo: using the pseudonymisation key in {key_file}")
        os.environ[pseudonym.ENV_KEY_FILE] = str(key_file)

    from .generate import generate

    landing = home / "landing"
    manifest = generate(landing, seed=args.seed, gemeenten=args.gemeenten)
    print(f"demo: generated {len(manifest.files)} sample files in {landing}")
    try:
        settings = Settings.resolve({"home": str(home), "landing": str(landing), "warehouse": args.warehouse})
    except ValueError as exc:  # a warehouse that is no warehouse
        return _refuse(exc)
    code = _run(settings, args.until)
    if args.until != "ingest":
        from .transform.headlines import headlines

        print("\n" + headlines(settings))
    from . import publish

    print(
        "\nWhere things are:\n"
        f"warehouse: {publish.beschrijf(settings.warehouse)}  (for BI tools: marts, publiek, historie)\n"
        f"  work:        {describe(settings.warehouse)}  (regie's own; BI tools do not open it)\n"
        f"  landing:     {landing}\n"
        f"  archive:     {home / 'archive'}\n"
        f"  quarantine:  {home / 'quarantine'}\n"
        f"  logs:        {home / 'logs'}\n"
        f"  dbt docs:    {home / 'dbt' / 'docs' / 'index.html'}\n"
        f"  findings:    {home / 'quality' / 'bevindingen.html'}\n"
        f"  monitor:     {home / 'monitor'}  (a report per gemeente, HTML and PDF)\n"
        f"  key:         {os.environ.get(pseudonym.ENV_KEY_FILE, '(from the environment)')}"
    )
    return code


def cmd_toegang(args: argparse.Namespace) -> int:
    from .publish import toegang

    if not is_postgres(args.warehouse or ""):
        print(
            "regie toegang: --warehouse must be a postgresql:// URL (a DuckDB file has no roles; "
            "use regie export for a gemeente without a PostgreSQL server)",
            file=sys.stderr,
        )
        return 2
    try:
        print(toegang.registreer(args.warehouse, args.gebruiker, args.gemeente, args.publiek))
    except toegang.ToegangFout as exc:
        print(f"regie toegang: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .publish import export

    settings = Settings.resolve({"warehouse": args.warehouse, "home": args.home})
    try:
        uitkomst = export.exporteer(
            settings.warehouse, args.gemeente, Path(args.out), Path(args.parquet) if args.parquet else None
        )
    except export.ExportFout as exc:
        print(f"regie export: {exc}", file=sys.stderr)
        return 2
    print(uitkomst.samenvatting())
    return 0


def cmd_monitor(args: argparse.Namespace) -> int:
    from . import monitor

    settings = Settings.resolve({"warehouse": args.warehouse, "home": args.home})
    try:
        rapport = monitor.maak(settings.warehouse, args.gemeente, Path(args.out), args.peildatum)
    except monitor.MonitorFout as exc:
        print(f"regie monitor: {exc}", file=sys.stderr)
        return 2
    print(rapport.regel())
    return 0


def cmd_key(args: argparse.Namespace) -> int:
    path = Path(args.out)
    if path.exists():
        print(f"regie: {path} exists; not overwriting a key", file=sys.stderr)
        return 2
    pseudonym.write_key_file(path)
    print(f"wrote a new key to {path}; set REGIE_PSEUDONIEM_SLEUTEL_BESTAND={path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="regie", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="write a deterministic sample landing zone")
    g.add_argument("--out", required=True, help="landing root to write")
    g.add_argument("--seed", type=int, default=2025)
    g.add_argument("--gemeenten", type=int, default=0, help="extra gemeenten for load tests")
    g.add_argument("--manifest", help="also write what was generated, as JSON")
    g.set_defaults(func=cmd_generate)

    r = sub.add_parser("run", help="ingest the landing zone through the Airflow DAGs")
    r.add_argument("--landing", help="landing root (default: REGIE_LANDING or <home>/landing)")
    r.add_argument(
        "--warehouse", help="DuckDB file or postgresql:// URL (default: <home>/warehouse/regie.duckdb)"
    )
    r.add_argument(
        "--peildatum",
        type=_date,
        help="jjjj-mm-dd (default: the latest delivery date; one before the first delivery is refused)",
    )
    r.add_argument(
        "--home", help="archive, quarantine, logs, Airflow metadata (default: REGIE_HOME or ./data)"
    )
    r.add_argument(
        "--contacten", help="YAML with e-mail addresses per gemeentecode (default: REGIE_CONTACTEN)"
    )
    r.add_argument(
        "--until",
        choices=("ingest", "transform", "quality", "monitor"),
        default="quality",
        help="stop after this step (default: ingest, transform, quality; monitor: also every gemeente's report)",
    )
    r.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild the incremental models from all their input, not only what is new (same figures)",
    )
    r.set_defaults(func=cmd_run)

    _serve_parser(sub)

    d = sub.add_parser("demo", help="generate sample data and run everything on it")
    d.add_argument("--home", help="demo folder (default: ./data)")
    d.add_argument("--warehouse", help="DuckDB file or postgresql:// URL")
    d.add_argument("--seed", type=int, default=2025)
    d.add_argument("--gemeenten", type=int, default=0)
    d.add_argument(
        "--until",
        choices=("ingest", "transform", "quality", "monitor"),
        default="monitor",
        help="stop after this step (default: everything, the monitor reports included)",
    )
    d.set_defaults(func=cmd_demo)

    t = sub.add_parser("toegang", help="PostgreSQL: a login role that reads one gemeente's rows, or publiek")
    t.add_argument("--warehouse", required=True, help="postgresql:// URL of the warehouse")
    t.add_argument("--gebruiker", required=True, help="the role's name (created when it does not exist)")
    who = t.add_mutually_exclusive_group(required=True)
    who.add_argument("--gemeente", help="GMxxxx: its own rows of marts and historie (RLS)")
    who.add_argument("--publiek", action="store_true", help="schema publiek only")
    t.set_defaults(func=cmd_toegang)

    e = sub.add_parser("export", help="a DuckDB file (and Parquet) with only what one gemeente may read")
    e.add_argument("--gemeente", required=True, help="GMxxxx")
    e.add_argument("--out", required=True, help="DuckDB file to write")
    e.add_argument("--parquet", help="also write one Parquet file per table into this folder")
    e.add_argument(
        "--warehouse", help="the warehouse (default: REGIE_WAREHOUSE or <home>/warehouse/regie.duckdb)"
    )
    e.add_argument("--home", help="regie home (default: REGIE_HOME or ./data)")
    e.set_defaults(func=cmd_export)

    m = sub.add_parser(
        "monitor", help="one gemeente's monitor report for council and management (HTML and PDF)"
    )
    m.add_argument("--gemeente", required=True, help="GMxxxx")
    m.add_argument(
        "--peildatum", type=_date, help="jjjj-mm-dd, a published peildatum (default: the latest publication)"
    )
    m.add_argument("--out", required=True, help="folder for <GMxxxx>_<peildatum>.html and .pdf")
    m.add_argument(
        "--warehouse", help="the warehouse (default: REGIE_WAREHOUSE or <home>/warehouse/regie.duckdb)"
    )
    m.add_argument("--home", help="regie home (default: REGIE_HOME or ./data)")
    m.set_defaults(func=cmd_monitor)

    k = sub.add_parser("key", help="create a new pseudonymisation key file")
    k.add_argument("--out", required=True)
    k.set_defaults(func=cmd_key)
    return p


def _serve_parser(sub) -> None:
    s = sub.add_parser(
        "serve",
        help="run Airflow's scheduler, dag-processor, triggerer and api-server on the landing zone",
        description="Runs the real Airflow components as child processes until stopped (SIGTERM or "
        "Ctrl-C); a delivery dropped into the landing zone flows through ingest, transform, quality "
        "and mail on its own. See docs/operations.md.",
    )
    s.add_argument("--landing", help="landing root (default: REGIE_LANDING or <home>/landing)")
    s.add_argument(
        "--warehouse", help="DuckDB file or postgresql:// URL (default: <home>/warehouse/regie.duckdb)"
    )
    s.add_argument("--home", help="archive, quarantine, logs, Airflow home (default: REGIE_HOME or ./data)")
    s.add_argument("--peildatum", type=_date, help="jjjj-mm-dd for every run (default: the day of each run)")
    s.add_argument("--contacten", help="YAML with the addresses (default: REGIE_CONTACTEN)")
    s.add_argument(
        "--executor", choices=("local", "celery"), default="local", help="LocalExecutor (default) or Celery"
    )
    s.add_argument(
        "--metadata",
        help="postgresql:// URL of Airflow's metadata database (default: SQLite in <home>/airflow)",
    )
    s.add_argument(
        "--broker",
        default="redis://127.0.0.1:6379/0",
        help="Celery broker (default: redis://127.0.0.1:6379/0)",
    )
    s.add_argument("--workers", type=int, default=1, help="Celery workers to start (default 1)")
    s.add_argument(
        "--every",
        default="5m",
        help="how often the ingestion DAGs look at the landing zone: 30s, 5m, 1h or a cron expression (default 5m)",
    )
    s.add_argument("--port", type=int, default=0, help="api-server port (default: a free port)")
    s.set_defaults(func=cmd_serve)


def main(argv: list[str] | None = None) -> int:
    # every file any command creates (archive, warehouse, logs, Airflow's metadata, keys) is
    # owner-only, whichever library creates it
    restrict_process()
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # the reader of our output went away (`regie run | head`): the work is done and
        # logged; say nothing more, and keep Python from complaining at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
