"""The key: where it comes from, what happens without one, and what it yields."""

from __future__ import annotations

import hashlib
import hmac
import stat

import duckdb
import pytest

from regie import pseudonym
from regie.pseudonym import NoKeyError, Pseudonymiser, load_key, write_key_file
from regie.warehouse import WarehouseKeyError, connect

KEY = "k" * 40


def test_pseudonym_is_hmac_sha256_with_domain():
    p = Pseudonymiser(KEY)
    expected = hmac.new(KEY.encode(), b"bsn:999999990", hashlib.sha256).hexdigest()
    assert p.pseudonym("bsn", "999999990") == expected
    assert p.pseudonym("vnummer", "999999990") != expected


@pytest.mark.parametrize("key", [KEY, "x" * 100])  # short and longer than the SHA-256 block
def test_sql_hmac_equals_python_hmac(key):
    p = Pseudonymiser(key)
    con = duckdb.connect()
    sql = "select " + Pseudonymiser.sql("bsn", "$v")
    got = con.execute(sql, {"v": "999999990", **p.sql_params()}).fetchone()[0]
    assert got == p.pseudonym("bsn", "999999990")
    assert con.execute(sql, {"v": None, **p.sql_params()}).fetchone()[0] is None


def test_no_key_is_a_clear_error(monkeypatch):
    monkeypatch.delenv(pseudonym.ENV_KEY, raising=False)
    monkeypatch.delenv(pseudonym.ENV_KEY_FILE, raising=False)
    with pytest.raises(NoKeyError, match="no pseudonymisation key: set REGIE_PSEUDONIEM_SLEUTEL"):
        load_key(allow_airflow=False)


def test_short_key_is_refused():
    with pytest.raises(NoKeyError, match="is 5 characters long; use at least 32"):
        Pseudonymiser("short")


def test_key_file_is_private_and_used(tmp_path, monkeypatch):
    path = tmp_path / "k" / "pseudoniem.key"
    key = write_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        write_key_file(path)  # never overwrite a key
    monkeypatch.delenv(pseudonym.ENV_KEY, raising=False)
    monkeypatch.setenv(pseudonym.ENV_KEY_FILE, str(path))
    assert load_key(allow_airflow=False).fingerprint() == Pseudonymiser(key).fingerprint()


def test_environment_key_wins_over_file(tmp_path, monkeypatch):
    path = tmp_path / "pseudoniem.key"
    write_key_file(path)
    monkeypatch.setenv(pseudonym.ENV_KEY_FILE, str(path))
    monkeypatch.setenv(pseudonym.ENV_KEY, KEY)
    assert load_key(allow_airflow=False).fingerprint() == Pseudonymiser(KEY).fingerprint()


def test_warehouse_refuses_a_different_key(tmp_path):
    with connect(str(tmp_path / "w.duckdb")) as wh:
        wh.ensure_schema()
        wh.check_key(Pseudonymiser(KEY).fingerprint())
        wh.check_key(Pseudonymiser(KEY).fingerprint())  # same key: fine
        with pytest.raises(WarehouseKeyError, match="different pseudonymisation key"):
            wh.check_key(Pseudonymiser("y" * 40).fingerprint())
