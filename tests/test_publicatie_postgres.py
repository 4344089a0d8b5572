"""PostgreSQL: the publication as one schema swap, and access per gemeente, tested as the roles
themselves (real connections, no superuser in between).

One warehouse (the blocking scenario with an earlier delivery, built and published once) and a
set of reader roles created with `regie toegang`, named uniquely for this test run and dropped
afterwards (roles are cluster-wide and other projects share the server).
"""

from __future__ import annotations

import time
import uuid

import duckdb
import psycopg
import pytest

from regie import publish, transform
from regie.config import Settings
from regie.publish import meta

from conftest import PG_BASE, TEST_KEY, run_regie
from quality_support import ingest, scenario_met_eerdere_levering

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ROLLEN = {"wassenaar": "GM0629", "leiden": "GM0546", "lv": "GM1916", "publiek": None}


def _url(db: str, user: str | None = None) -> str:
    base = PG_BASE if user is None else PG_BASE.replace("://postgres@", f"://{user}@")
    return f"{base}/{db}"


@pytest.fixture(scope="module")
def pg(tmp_path_factory):
    db = f"regie_test_{uuid.uuid4().hex[:10]}"
    prefix = f"regie_t{uuid.uuid4().hex[:8]}"
    roles = {k: f"{prefix}_{k}" for k in ROLLEN}
    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as admin:
        admin.execute(f'create database "{db}"')
    url = _url(db)
    root = tmp_path_factory.mktemp("pg_publicatie")
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
            scenario_met_eerdere_levering(root / "landing")
            ingest(root / "landing", root / "home", url)
            settings = Settings.resolve({"home": str(root / "home"), "warehouse": url, "run_id": "pg"})
            result = transform.build(settings, docs=False)
        assert result.ok, result.summary() + result.output[-3000:]
        for key, gemeente in ROLLEN.items():
            who = ["--publiek"] if gemeente is None else ["--gemeente", gemeente]
            out = run_regie("toegang", "--warehouse", url, "--gebruiker", roles[key], *who)
            assert out.returncode == 0, out.stderr
            assert out.stdout.startswith(f"role {roles[key]} created: reads ")
        yield {"url": url, "db": db, "roles": roles, "settings": settings, "root": root}
    finally:
        with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as admin:
            existing = {r[0] for r in admin.execute("select rolname from pg_roles").fetchall()}
            mine = [r for r in roles.values() if r in existing]
            if mine:
                with psycopg.connect(url, autocommit=True) as con:
                    for r in mine:
                        con.execute(f'drop owned by "{r}"')
            admin.execute(f'drop database if exists "{db}" with (force)')
            for r in mine:
                admin.execute(f'drop role if exists "{r}"')


def _as(pg, key: str) -> psycopg.Connection:
    return psycopg.connect(_url(pg["db"], pg["roles"][key]), autocommit=True)


def _tables(pg, schema: str) -> list[str]:
    with psycopg.connect(pg["url"]) as con:
        return [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = %s order by 1",
                (schema,),
            ).fetchall()
        ]


def _gemeenten(con, schema: str, table: str) -> dict[str, int]:
    col = meta.specs()[table].gemeente_kolom
    return dict(con.execute(f"select {col}, count(*) from {schema}.{table} group by 1").fetchall())


def test_the_published_schemas_are_copies_of_the_work(pg):
    with psycopg.connect(pg["url"]) as con:
        schemas = {r[0] for r in con.execute("select nspname from pg_namespace").fetchall()}
        assert {"marts", "publiek", "historie", "marts__werk", "publiek__werk", "historie__werk"} <= schemas
        assert not {s for s in schemas if s.endswith("__nieuw")}
        for table in _tables(pg, "marts"):
            assert (
                con.execute(f"select count(*) from marts.{table}").fetchone()
                == con.execute(f"select count(*) from marts__werk.{table}").fetchone()
            ), table
        # the documentation dbt wrote travels with the copy
        assert con.execute("select obj_description('marts.fct_pip_tijdigheid'::regclass)").fetchone()[0]


def test_a_gemeente_role_reads_only_its_own_rows(pg):
    seen = 0
    with _as(pg, "wassenaar") as con:
        for schema in ("marts", "historie"):
            for table in _tables(pg, schema):
                got = _gemeenten(con, schema, table)
                assert set(got) <= {"GM0629"}, (schema, table, got)
                seen += sum(got.values())
        assert con.execute("select gemeentecode from marts.dim_gemeente").fetchall() == [("GM0629",)]
    assert seen > 20  # not vacuous: Wassenaar's own rows are there


def test_an_uitvoerder_reads_the_inburgering_of_whom_it_executes_for_never_their_housing_or_money(pg):
    specs = meta.specs()
    with _as(pg, "leiden") as con, psycopg.connect(pg["url"]) as admin:
        for table in _tables(pg, "marts"):
            got = _gemeenten(con, "marts", table)
            everything = _gemeenten(admin, "marts", table)
            if specs[table].domein in ("inburgering", "referentie"):
                assert set(got) <= {"GM0546", "GM0579"}, (table, got)
            else:
                assert set(got) <= {"GM0546"}, (table, got)
            for gemeente in set(everything) - set(got):
                assert gemeente not in ("GM0546",) or not everything[gemeente], (table, gemeente)
        # Oegstgeest's inburgering is there, its housing is not although the mart has it
        assert _gemeenten(con, "marts", "fct_inburgeraars_instroom").get("GM0579", 0) > 0
        assert _gemeenten(admin, "marts", "fct_huisvesting_doorlooptijd").get("GM0579", 0) > 0
        assert "GM0579" not in _gemeenten(con, "marts", "fct_huisvesting_doorlooptijd")
        assert "GM0579" not in _gemeenten(con, "marts", "fct_taakstelling_jaar")


@pytest.mark.parametrize(
    "sql",
    [
        "select count(*) from raw.duo__personen",
        "select count(*) from audit.bestanden",
        "select count(*) from staging.stg_duo__personen",
        "select count(*) from intermediate.int_personen",
        "select count(*) from marts__werk.fct_pip_tijdigheid",
        "select count(*) from toegang.rollen",
        "select count(*) from publiek.fct_pip_tijdigheid",
    ],
)
def test_a_gemeente_role_gets_permission_denied_outside_its_figures(pg, sql):
    with (
        _as(pg, "wassenaar") as con,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
    ):
        con.execute(sql)


def test_a_publiek_role_reads_publiek_only(pg):
    with _as(pg, "publiek") as con:
        rows = con.execute(
            "select count(*), count(distinct woongemeente) from publiek.fct_inburgeraars_instroom"
        ).fetchone()
        assert rows[0] > 0 and rows[1] >= 3
        for sql in ("select 1 from marts.fct_inburgeraars_instroom", "select 1 from historie.fct_spuk",
                    "select 1 from raw.gemeente__dossiers"):  # fmt: skip
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                con.execute(sql)


def test_row_level_security_cannot_be_switched_off_from_sql(pg):
    with _as(pg, "wassenaar") as con:
        con.execute("set row_security = off")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            con.execute("select count(*) from marts.fct_inburgeraars_instroom")
        con.execute("set row_security = on")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="must be owner"):
            con.execute("alter table marts.fct_inburgeraars_instroom disable row level security")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute(f'set role "{pg["roles"]["leiden"]}"')
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("create table marts.mijn as select * from marts.fct_inburgeraars_instroom")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("insert into toegang.rollen values (current_user, 'gemeente', 'GM0546', now())")


def test_a_role_switched_to_publiek_loses_its_gemeente(pg):
    role = pg["roles"]["lv"]
    out = run_regie("toegang", "--warehouse", pg["url"], "--gebruiker", role, "--publiek")
    assert (
        out.returncode == 0
        and out.stdout.strip() == f"role {role} updated: reads publiek (schema publiek only)"
    )
    with _as(pg, "lv") as con:
        assert con.execute("select count(*) from publiek.fct_spuk").fetchone()[0] > 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            con.execute("select count(*) from marts.fct_spuk")
    out = run_regie("toegang", "--warehouse", pg["url"], "--gebruiker", role, "--gemeente", "GM1916")
    assert out.returncode == 0
    with _as(pg, "lv") as con:
        assert set(_gemeenten(con, "marts", "fct_spuk")) == {"GM1916"}


def test_toegang_refuses_what_it_cannot_set_up(pg, tmp_path):
    bad = run_regie("toegang", "--warehouse", str(tmp_path / "w.duckdb"), "--gebruiker", "x", "--publiek")
    assert bad.returncode == 2 and "--warehouse must be a postgresql:// URL" in bad.stderr
    bad = run_regie("toegang", "--warehouse", pg["url"], "--gebruiker", "x", "--gemeente", "Leiden")
    assert bad.returncode == 2 and "is not a gemeentecode (GM and 4 digits)" in bad.stderr
    bad = run_regie(
        "toegang", "--warehouse", pg["url"], "--gebruiker", pg["roles"]["leiden"], "--gemeente", "GM0001"
    )
    assert bad.returncode == 2 and "gemeente GM0001 is not in marts.dim_gemeente" in bad.stderr
    bad = run_regie("toegang", "--warehouse", pg["url"], "--gebruiker", "postgres", "--publiek")
    assert bad.returncode == 2 and "superuser" in bad.stderr


def test_publishing_waits_for_no_reader_and_switches_in_one_transaction(pg):
    reader = _as(pg, "wassenaar")
    reader.autocommit = False
    before = reader.execute("select count(*) from marts.fct_leerroute_stand").fetchone()
    started = time.monotonic()
    p = publish.publish(pg["settings"].as_params(), "opnieuw")  # a BI query holds the old tables meanwhile
    seconds = time.monotonic() - started
    assert p is not None and p.tabellen >= 38
    with psycopg.connect(pg["url"]) as con:
        schemas = {r[0] for r in con.execute("select nspname from pg_namespace").fetchall()}
    assert "marts__oud" in schemas  # still held by the reader: dropped later, never waited for
    assert seconds < 60
    assert reader.execute("select count(*) from marts.fct_leerroute_stand").fetchone() == before
    reader.rollback()
    reader.close()
    publish.publish(pg["settings"].as_params(), "nog eens")
    with psycopg.connect(pg["url"]) as con:
        schemas = {r[0] for r in con.execute("select nspname from pg_namespace").fetchall()}
    assert not {s for s in schemas if "__oud" in s or "__nieuw" in s}
    with _as(pg, "wassenaar") as con:  # the grants and policies came along with the new copy
        assert set(_gemeenten(con, "marts", "fct_inburgeraars_instroom")) == {"GM0629"}


def test_export_holds_only_what_the_gemeente_may_read(pg, tmp_path):
    out = run_regie(
        "export", "--warehouse", pg["url"], "--gemeente", "GM0546", "--out", str(tmp_path / "leiden.duckdb"),
        "--parquet", str(tmp_path / "parquet"),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("export GM0546: ")
    specs = meta.specs()
    con = duckdb.connect(str(tmp_path / "leiden.duckdb"), read_only=True)
    try:
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        assert {s for s, _ in tables} == {"marts", "historie"}
        for schema, table in tables:
            spec = specs[table]
            got = {
                r[0]
                for r in con.execute(
                    f"select distinct {spec.gemeente_kolom} from {schema}.{table}"
                ).fetchall()
            }
            allowed = {"GM0546", "GM0579"} if spec.domein in ("inburgering", "referentie") else {"GM0546"}
            assert got <= allowed, (schema, table, got)
        assert (
            con.execute(
                "select count(*) from marts.fct_inburgeraars_instroom where woongemeente = 'GM0579'"
            ).fetchone()[0]
            > 0
        )
        parquet = con.execute(
            "select count(*) from read_parquet(?)",
            (str(tmp_path / "parquet" / "marts.fct_inburgeraars_instroom.parquet"),),
        ).fetchone()
        assert parquet == con.execute("select count(*) from marts.fct_inburgeraars_instroom").fetchone()
    finally:
        con.close()


def test_a_difference_attack_on_publiek_recovers_nothing_on_postgresql(pg):
    import pandas as pd

    from regie.publish.onderdrukking import aanval

    found = []
    with psycopg.connect(pg["url"]) as con:
        for table, spec in meta.specs().items():
            if not spec.publiek:
                continue
            frames = []
            for schema in ("publiek", "marts"):
                cur = con.execute(f"select * from {schema}.{table}")
                frames.append(pd.DataFrame(cur.fetchall(), columns=[d.name for d in cur.description]))
            found += aanval(frames[0], frames[1], spec, 5)
    assert found == []
