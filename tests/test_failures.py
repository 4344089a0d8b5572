"""Failures that explain themselves: what is retried, the one-line reason, the mail to beheer."""

from __future__ import annotations

import shutil
import smtplib

import psycopg
import pytest
from aiosmtpd.controller import Controller
from airflow.sdk.definitions.retry_policy import RetryAction

from regie import failures

from conftest import regie_env, run_regie
from quality_support import Postbus, free_port


def _raised(fn):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the exception is the point
        return exc
    raise AssertionError("did not raise")


def test_connection_errors_are_transient_and_nothing_else_is():
    port = free_port()
    refused = _raised(lambda: psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/x", connect_timeout=3))
    missing = _raised(
        lambda: psycopg.connect("postgresql://postgres@127.0.0.1:5432/regie_nope_nope", connect_timeout=3)
    )
    smtp_down = _raised(lambda: smtplib.SMTP("127.0.0.1", port, timeout=3))
    assert failures.transient(refused)
    assert failures.transient(smtp_down)
    assert failures.transient(smtplib.SMTPServerDisconnected("Connection unexpectedly closed"))
    assert failures.transient(
        RuntimeError('IO Error: Could not set lock on file "/x/regie.duckdb": Conflicting lock')
    )
    # dbt reports a lost database only as text
    assert failures.transient(
        RuntimeError("Database Error\n  could not connect to server: Connection refused")
    )
    # a wrong database name, a bad value, a broken model: the same answer every time
    assert not failures.transient(missing)
    assert not failures.transient(ValueError("'x' is not a date"))
    assert not failures.transient(RuntimeError("Compilation Error in model fct_x (models/marts/fct_x.sql)"))
    # the cause counts, however it was wrapped
    try:
        try:
            raise ConnectionResetError(104, "Connection reset by peer")
        except OSError as exc:
            raise RuntimeError("loading failed") from exc
    except RuntimeError as wrapped:
        assert failures.transient(wrapped)


def test_the_retry_policy_retries_transient_errors_only():
    policy = failures.TransientOnly()
    assert (
        policy.evaluate(ConnectionRefusedError(111, "Connection refused"), 1, 3).action == RetryAction.RETRY
    )
    decision = policy.evaluate(KeyError("gemeentecode"), 1, 3)
    assert decision.action == RetryAction.FAIL
    assert decision.reason == "not transient, not retrying: KeyError: 'gemeentecode'"
    args = failures.DEFAULT_ARGS
    assert args["retries"] == 3 and args["retry_exponential_backoff"] == 2.0
    assert args["on_failure_callback"] is failures.notify_operator


def test_a_reason_is_one_line_without_long_numbers():
    assert failures.reason(ValueError("bsn 123456789 klopt niet\nTraceback ...")) == (
        "ValueError: bsn <number> klopt niet"
    )
    dbt = RuntimeError(
        "dbt command failed\n\n  Database Error in model fct_taakstelling_jaar (models/marts/fct.sql)\n"
        '  relation "staging.x" does not exist\n  compiled code at target/run/...'
    )
    assert failures.reason(dbt) == (
        "RuntimeError: Database Error in model fct_taakstelling_jaar (models/marts/fct.sql) "
        'relation "staging.x" does not exist'
    )
    assert len(failures.reason(ValueError("x" * 1000))) == 300


@pytest.mark.slow
def test_a_failed_task_is_mailed_to_beheer_and_ends_the_summary(generated, tmp_path):
    """A warehouse filled with another key: not transient, so one try, one mail, one closing line."""
    landing_src, manifest = generated
    landing = tmp_path / "landing"
    rels = sorted(r for r in manifest.files if r.startswith("provincie/"))
    for rel in rels:
        (landing / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(landing_src / rel, landing / rel)
    wh, home = str(tmp_path / "wh.duckdb"), str(tmp_path / "h")
    first = run_regie(
        "run", "--until", "ingest", "--landing", str(landing), "--warehouse", wh, "--home", home
    )
    assert first.returncode == 0, first.stdout[-3000:]
    (landing / rels[0]).write_bytes((landing / rels[0]).read_bytes() + b"\n")  # a new version
    delivery = rels[0].rsplit("/", 1)[0]

    book = tmp_path / "contacten.yml"
    book.write_text("beheer: {naam: Team data, aan: [ops@example.nl]}\ngemeenten: {}\n")
    box, port = Postbus(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = regie_env(
            REGIE_PSEUDONIEM_SLEUTEL="another-key-" + "f" * 40,
            AIRFLOW_CONN_SMTP_DEFAULT=f"smtp://127.0.0.1:{port}",
        )
        second = run_regie(
            "run", "--until", "ingest", "--contacten", str(book),
            "--landing", str(landing), "--warehouse", wh, "--home", home, env=env,
        )  # fmt: skip
    finally:
        controller.stop()
    assert second.returncode == 1
    reason = (
        "WarehouseKeyError: this warehouse was filled with a different pseudonymisation key (fingerprint "
    )
    tail = second.stdout.rstrip().splitlines()[-2:]
    assert tail[0] == "Failed:"
    assert tail[1].startswith(f"  ingest_rijk_provincie.load[{delivery}]: {reason}"), tail
    (mail,) = box.berichten
    assert mail.aan == ["ops@example.nl"]
    assert mail.onderwerp.startswith(f"regie: ingest_rijk_provincie.load[{delivery}] failed (run regie-")
    body = mail.tekst.replace("\r\n", "\n")
    assert "DAG:     ingest_rijk_provincie\n" in body
    assert f"Task:    load [{delivery}]\n" in body
    assert "Try:     1 of 4\n" in body  # not transient: not retried
    assert f"Reason:  {reason}" in body
    assert f"Log:     {home}/logs/regie-" in body
