"""Failures that explain themselves: which errors are retried, and who hears of the rest.

Every regie DAG takes :data:`DEFAULT_ARGS`:

* **Retries on transient errors only**, with exponential backoff (about 30 s, 60 s,
  120 s; at most three). Transient means the world, not the data: a database
  that cannot be reached or drops the connection, a DuckDB file locked by
  another process (a BI tool), a mail server that does not answer. Any other
  error (a wrong key, a broken contacts file, a dbt model that does not
  compile) fails the task at once: retrying would give the same answer later.
  Airflow 3.3's ``retry_policy`` makes that decision in the worker, from the
  exception itself (:class:`TransientOnly`). A task killed from outside (its
  worker lost, a ``kill -9``) is retried by the scheduler as usual.
* **A failure callback** (:func:`notify_operator`) that writes one line per
  failed task to ``<home>/logs/failures.jsonl`` (``regie run`` reads it for its
  summary) and mails the operators, the ``beheer`` entry of the contacts file,
  through the Airflow connection ``smtp_default``: DAG, task, run, try and the
  reason in one line. It never raises: a broken mail server must not hide
  the original failure.

Importing this module is cheap (standard library and ``airflow.sdk``): the
DAG files import it while they are parsed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import socket
from pathlib import Path
from typing import Any

from airflow.sdk.definitions.retry_policy import RetryDecision, RetryPolicy

log = logging.getLogger("regie.failures")

#: What an error message says when the cause is the connection, not the data
#: (dbt and Cosmos report database errors only as text).
TRANSIENT_TEXT = (
    "connection refused",
    "connection reset",
    "could not connect to server",
    "server closed the connection unexpectedly",
    "connection timed out",
    "timeout expired",
    "the database system is starting up",
    "the database system is shutting down",
    "terminating connection due to administrator command",
    "could not set lock on file",
    "temporarily unavailable",
)
#: PostgreSQL connection errors that are configuration, not the weather.
PERMANENT_TEXT = ("does not exist", "password authentication failed", "no pg_hba.conf entry")

FAILURES_FILE = "failures.jsonl"
#: Set by ``regie run`` to its log file, which the failure mail then names.
RUN_LOG_ENV = "REGIE_RUN_LOG"
_DIGITS = re.compile(r"\d{8,}")
_DBT_ERROR = re.compile(r"(Database Error|Compilation Error|Runtime Error|Parsing Error|Failure) in ")


def _chain(exc: BaseException):
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def transient(exc: BaseException) -> bool:
    """Would the same task, run again in a minute, probably succeed?"""
    import smtplib

    for e in _chain(exc):
        text = str(e).lower()
        if any(p in text for p in PERMANENT_TEXT):
            return False
        if isinstance(e, ConnectionError | TimeoutError | socket.gaierror):
            return True
        if isinstance(e, smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected):
            return True
        for cls in type(e).__mro__:
            module = cls.__module__ or ""
            if cls.__name__ in ("OperationalError", "InterfaceError") and module.startswith("psycopg"):
                return True
        if any(p in text for p in TRANSIENT_TEXT):
            return True
    return False


def reason(exc: BaseException | None, limit: int = 300) -> str:
    """The exception as one line: its type and the line of its message that says why.

    Long digit runs are masked: a message quoting a bad value could hold a BSN.
    """
    if exc is None:
        return "no exception recorded (killed, or timed out without one)"
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = ""
    for i, line in enumerate(lines):  # dbt: "Database Error in model x (...)" then the cause
        if _DBT_ERROR.search(line):
            text = line + (" " + lines[i + 1] if i + 1 < len(lines) else "")
            break
    text = text or (lines[0] if lines else "")
    text = _DIGITS.sub("<number>", f"{type(exc).__name__}: {text}" if text else type(exc).__name__)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TransientOnly(RetryPolicy):
    """Retry what :func:`transient` calls transient; fail everything else at once."""

    def evaluate(self, exception, try_number, max_tries, context=None) -> RetryDecision:
        if transient(exception):
            return RetryDecision.retry(reason=f"transient, retrying: {reason(exception, 200)}")
        return RetryDecision.fail(reason=f"not transient, not retrying: {reason(exception, 200)}")

    def serialize(self) -> dict[str, Any]:  # the scheduler only needs to know there is one
        return {"__type": "regie.failures.TransientOnly"}

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> TransientOnly:
        return cls()


def _params(context: dict[str, Any]) -> dict[str, Any]:
    params = context.get("params") or {}
    try:
        return dict(params)
    except Exception:  # a ParamsDict that will not convert
        return {}


def record(context: dict[str, Any]) -> dict[str, Any]:
    """The failure as a dict: what the mail and the failures file say."""
    ti = context.get("ti") or context.get("task_instance")
    dag_run = context.get("dag_run")
    params = _params(context)
    map_index = getattr(ti, "map_index", -1)
    if map_index is None:
        map_index = -1
    rendered = getattr(ti, "rendered_map_index", None)
    return {
        "tijd": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "dag_id": getattr(ti, "dag_id", None) or getattr(context.get("dag"), "dag_id", "?"),
        "task_id": getattr(ti, "task_id", "?"),
        "map_index": int(map_index),
        "map_label": rendered if rendered not in (None, "", str(map_index)) else None,
        "airflow_run_id": getattr(dag_run, "run_id", None) or context.get("run_id"),
        "run_id": params.get("run_id") or getattr(dag_run, "run_id", None) or context.get("run_id"),
        "try_number": getattr(ti, "try_number", None),
        "max_tries": getattr(ti, "max_tries", None),
        "reden": reason(context.get("exception")),
        # regie run names its own log file; under a scheduler, the task's page in Airflow
        "log_url": os.environ.get(RUN_LOG_ENV) or getattr(ti, "log_url", None),
    }


def task_label(r: dict[str, Any]) -> str:
    label = f"{r['dag_id']}.{r['task_id']}"
    if r.get("map_index", -1) >= 0:
        label += f"[{r.get('map_label') or r['map_index']}]"
    return label


def failures_file(home: Path) -> Path:
    return Path(home) / "logs" / FAILURES_FILE


def read_failures(home: Path, run_id: str) -> list[dict[str, Any]]:
    """The failures recorded for one regie (or Airflow) run id, oldest first."""
    path = failures_file(home)
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        try:
            r = json.loads(line)
        except ValueError:  # a line cut short by a kill
            continue
        if run_id in (r.get("run_id"), r.get("airflow_run_id")):
            out.append(r)
    return out


def mail_text(r: dict[str, Any]) -> tuple[str, str]:
    """Subject and body of the mail to the operators (English: they run the platform)."""
    subject = f"regie: {task_label(r)} failed (run {r['run_id']})"
    tries = f"{r['try_number']}" + (
        f" of {r['max_tries'] + 1}" if isinstance(r.get("max_tries"), int) else ""
    )
    body = "\n".join(
        [
            "A regie task failed and will not be retried.",
            "",
            f"DAG:     {r['dag_id']}",
            f"Task:    {r['task_id']}"
            + (f" [{r.get('map_label') or r['map_index']}]" if r["map_index"] >= 0 else ""),
            f"Run:     {r['run_id']}"
            + (f" (Airflow run {r['airflow_run_id']})" if r["airflow_run_id"] != r["run_id"] else ""),
            f"Try:     {tries}",
            f"When:    {r['tijd']}",
            f"Reason:  {r['reden']}",
            "",
            f"Log:     {r['log_url']}" if r.get("log_url") else "Log:     the task's log in Airflow",
            "",
            "What to do: docs/operations.md, 'Reading a failure mail'. The data of the run is",
            "unchanged where the task failed; once the cause is fixed, the next run picks up",
            "what was not done.",
        ]
    )
    return subject, body


def _mail(r: dict[str, Any], params: dict[str, Any]) -> str:
    import html

    from .quality import contacten
    from .quality.verzenden import Bericht, GeenVerbinding, send, server

    book = contacten.laad(contacten.pad(params.get("contacten")))
    if book.beheer is None or not book.beheer.adressen:
        return "not mailed: no 'beheer' in the contacts file"
    try:
        smtp = server()
    except GeenVerbinding as exc:
        return f"not mailed: {exc}"
    subject, body = mail_text(r)
    bericht = Bericht(
        aan=book.beheer.adressen,
        onderwerp=subject,
        tekst=body,
        html=f"<pre>{html.escape(body)}</pre>",
        afzender=book.afzender or smtp.afzender or "regie <regie@localhost>",
        headers=(("Auto-Submitted", "auto-generated"),),
    )
    result = send(bericht, smtp)
    to = ", ".join(bericht.aan)
    return f"mailed to {to}" if result.status == "verzonden" else f"not mailed: {result.fout}"


def notify_operator(context: dict[str, Any]) -> None:
    """``on_failure_callback`` of every regie task: record the failure, mail the operators."""
    try:
        r = record(context)
        params = _params(context)
        try:
            from .config import Settings

            home = Settings.resolve(params).home
        except Exception:  # the settings themselves are the problem: no home to write to
            home = None
        if home is not None:
            path = failures_file(home)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        outcome = _mail(r, params)
        log.error("%s failed: %s (%s)", task_label(r), r["reden"], outcome)
    except Exception:  # never let the callback hide the failure it reports
        log.exception("could not report a failed task")


#: default_args of every regie DAG.
DEFAULT_ARGS: dict[str, Any] = {
    "retries": 3,
    "retry_delay": dt.timedelta(seconds=30),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": dt.timedelta(minutes=10),
    "retry_policy": TransientOnly(),
    "on_failure_callback": notify_operator,
}
