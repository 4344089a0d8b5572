"""The dbt project itself: it builds on an empty warehouse (DuckDB and
PostgreSQL), its unit tests pass, every mart has the columns BI relies on,
every model and column is documented, and the profile follows the warehouse.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from regie import transform
from regie.config import Settings
from regie.warehouse import connect

# The marts BI reads, with the columns the data contract fixes (more are allowed).
MART_COLUMNS: dict[str, tuple[str, ...]] = {
    "dim_gemeente": ("gemeentecode", "duo_code", "gemeentenaam", "uitvoerder_gemeentecode", "provincie"),
    "fct_taakstelling_halfjaar": (
        "gemeentecode", "jaar", "halfjaar", "stand_begin", "correctie_begin", "taakstelling",
        "totale_taakstelling", "gerealiseerd", "gerealiseerd_tvs", "stand_eind", "peildatum",
    ),
    "fct_taakstelling_jaar": (
        "gemeentecode", "jaar", "stand_1_januari", "correctie_1_januari", "taakstelling", "correcties_in_jaar",
        "totale_taakstelling", "gerealiseerd", "achterstand", "interventieladder_trede", "peildatum",
    ),
    "fct_huisvesting_doorlooptijd": (
        "gemeentecode", "jaar", "halfjaar", "huishoudklasse", "gekoppeld", "gehuisvest", "wachtend",
        "mediaan_dagen_tot_huisvesting", "binnen_10_weken", "wachtend_langer_dan_10_weken",
    ),
    "fct_inburgeraars_instroom": ("woongemeente", "jaar", "doelgroep", "geslacht", "leeftijdsklasse", "aantal"),
    "fct_pip_tijdigheid": (
        "woongemeente", "jaar", "doelgroep", "inschrijvingen", "pip_vastgesteld", "pip_binnen_10_weken",
        "pip_te_laat", "zonder_pip_termijn_verstreken", "geen_pip_nodig", "mediaan_dagen_tot_pip",
    ),
    "fct_leerroute_stand": ("woongemeente", "peildatum", "doelgroep", "leerroute", "instroomjaar", "aantal"),
    "fct_leerroute_wissel": ("woongemeente", "doelgroep", "van_leerroute", "naar_leerroute", "jaar", "aantal"),
    "fct_uitstroom": ("woongemeente", "jaar", "doelgroep", "leerroute", "reden", "aantal"),
    "fct_participatie": ("woongemeente", "jaar", "doelgroep", "activiteit", "aantal_personen"),
    "fct_zroute_participatie": (
        "woongemeente", "peildatum", "doelgroep", "in_zroute", "participatie_uren_mediaan", "bereikt_800_uur",
    ),
    "fct_spuk": (
        "gemeentecode", "jaar", "asiel_cohort_0", "asiel_cohort_1", "asiel_cohort_2", "gezinsmigranten",
        "berekende_uitkering", "voorlopig_beschikt", "definitief_beschikt", "kosten_realisatie", "overschot_jaar",
        "reserve_cumulatief", "terug_te_betalen", "tarief_bekend",
    ),
    "fct_ondertussengroep": ("woongemeente", "peildatum", "doelgroep", "nog_inburgeringsplichtig", "elip"),
    "fct_maatschappelijke_begeleiding": (
        "gemeentecode", "jaar", "soort", "gestart", "lopend_31_december", "afgerond", "afgebroken",
        "mediaan_duur_dagen", "langer_dan_termijn",
    ),
    "fct_registratiekwaliteit": (
        "gemeentecode", "gecontroleerd_op", "controle", "ernst", "gecontroleerd", "afgekeurd", "geslaagd",
    ),
    # version 2 of the contract
    "fct_vroege_start": (
        "woongemeente", "jaar", "gehuisvest", "brede_intake_voor_huisvesting", "pip_voor_huisvesting",
        "leerroute_voor_huisvesting", "mediaan_dagen_huisvesting_tot_pip", "via_opvanglocatie",
    ),
    "fct_handhaving": (
        "uitvoerder", "woongemeente", "jaar", "maatregel", "grond", "aantal", "personen", "bedrag",
        "boven_jaarmaximum", "boven_termijnmaximum", "niet_toegestaan",
    ),
    "fct_kosten_baten": (
        "gemeentecode", "jaar", "kosten_leerroutes", "kosten_maatschappelijke_begeleiding", "kosten_pvt",
        "kosten_map", "kosten_participatiecomponent", "kosten_tolken", "kosten_formatie", "kosten_totaal",
        "kosten_soort", "baten_gemeentefonds", "baten_spuk", "baten_spuk_soort", "baten_overig", "baten_totaal",
        "saldo",
    ),
    "fct_pip_vastgesteld": ("woongemeente", "maand", "doelgroep", "aantal"),
    "fct_herkomst": ("woongemeente", "jaar", "doelgroep", "herkomstland", "aantal"),
    "fct_inburgeringstermijn": (
        "woongemeente", "peildatum", "doelgroep", "leerroute", "termijn_lopend",
        "eindigt_binnen_6_maanden_zonder_resultaat", "termijn_verstreken_zonder_resultaat", "verlengd",
        "examens_geslaagd", "examens_gezakt",
    ),
    "fct_signalen": (
        "gemeentecode", "peildatum", "signaal", "ernst", "waarde", "drempel", "sinds", "toelichting",
    ),
}  # fmt: skip

#: Marts that count persons: each has a suppressed copy in schema publiek and a historie table.
COUNT_MARTS = (
    "fct_huisvesting_doorlooptijd", "fct_inburgeraars_instroom", "fct_pip_tijdigheid", "fct_leerroute_stand",
    "fct_leerroute_wissel", "fct_uitstroom", "fct_participatie", "fct_zroute_participatie", "fct_spuk",
    "fct_ondertussengroep", "fct_taakstelling_halfjaar", "fct_taakstelling_jaar",
    "fct_maatschappelijke_begeleiding",
    "fct_vroege_start", "fct_handhaving", "fct_pip_vastgesteld", "fct_herkomst", "fct_inburgeringstermijn",
)  # fmt: skip

#: what a build makes (kwaliteit: the check tables, regie.quality.gegevens.RELATIES; the gate's
#: own build in staging_kandidaat and kwaliteit_kandidaat is not part of the project's shape)
SCHEMAS = {"staging", "intermediate", "marts", "publiek", "historie", "kwaliteit"}


def _columns(warehouse: str) -> dict[tuple[str, str], list[str]]:
    """(schema, table) -> column names, for regie's dbt schemas."""
    with connect(warehouse, read_only=not warehouse.startswith("postgres")) as wh:
        rows = wh.query(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema in ('staging', 'intermediate', 'marts', 'publiek', 'historie', 'kwaliteit') "
            "order by table_schema, table_name, ordinal_position"
        )
    out: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in rows:
        out.setdefault((schema, table), []).append(column)
    return out


def _empty_warehouse_build(settings: Settings) -> transform.BuildResult:
    with connect(settings.warehouse) as wh:
        wh.ensure_schema()  # raw and audit as ingestion creates them, no rows
    result = transform.build(settings, docs=False, unit_tests=True)  # production runs leave them out
    assert result.ok, result.summary() + "\n" + result.output[-4000:]
    return result


def _assert_project_shape(settings: Settings, result: transform.BuildResult) -> None:
    # unit tests ran and passed (they are part of dbt build)
    unit = [n for n in result.nodes if n.unique_id.startswith("unit_test.")]
    assert len(unit) >= 10 and all(n.status == "pass" for n in unit), [(n.unique_id, n.status) for n in unit]

    columns = _columns(settings.warehouse)
    assert {schema for schema, _ in columns} == SCHEMAS
    for mart, expected in MART_COLUMNS.items():
        actual = columns.get(("marts", mart))
        assert actual is not None, f"marts.{mart} missing"
        missing = [c for c in expected if c not in actual]
        assert not missing, f"marts.{mart} lacks {missing}"
    for mart in COUNT_MARTS:
        copy = columns.get(("publiek", mart))
        assert copy is not None, f"publiek.{mart} missing"
        assert copy == columns[("marts", mart)] + ["onderdrukt"], f"publiek.{mart}"
        history = columns.get(("historie", mart))
        assert history is not None and history[0] == "peildatum", f"historie.{mart}"
        assert [c for c in MART_COLUMNS[mart] if c not in history and c != "peildatum"] == [], (
            f"historie.{mart} lacks contract columns"
        )

    # every model and every column it outputs is documented beside it
    manifest = json.loads((transform.dbt_home(settings.home) / "target" / "manifest.json").read_text())
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "seed"):
            continue
        name = node["alias"] or node["name"]
        assert node["description"].strip(), f"{node['name']} has no description"
        documented = {c for c, meta in node["columns"].items() if meta.get("description", "").strip()}
        # PostgreSQL builds the marts in marts__werk and publishes them as marts: the same columns
        built = set(columns.get((node["schema"].removesuffix("__werk"), name), []))
        assert built, f"{node['schema']}.{name} was not built"
        assert built <= documented, f"{node['name']}: undocumented columns {sorted(built - documented)}"
        assert documented <= built, f"{node['name']}: documented but absent {sorted(documented - built)}"


def test_project_builds_on_an_empty_duckdb(tmp_path):
    import datetime as dt

    import duckdb

    settings = Settings.resolve({"home": str(tmp_path / "home"), "warehouse": str(tmp_path / "regie.duckdb")})
    result = _empty_warehouse_build(settings)
    _assert_project_shape(settings, result)

    # no delivery yet: the peildatum is today; BI gets a publication file beside the work file
    assert result.peildatum == dt.date.today().isoformat()
    assert result.publicatie["doel"] == str(tmp_path / "regie_publicatie.duckdb")
    con = duckdb.connect(result.publicatie["doel"], read_only=True)
    try:
        published = {
            r[0]
            for r in con.execute("select distinct table_schema from information_schema.tables").fetchall()
        }
    finally:
        con.close()
    assert published == {"marts", "publiek", "historie"}  # never raw, audit, staging or intermediate

    # the quality checks' scores survive every rebuild, a full refresh included
    with connect(settings.warehouse) as wh:
        wh.execute(
            "insert into marts.fct_registratiekwaliteit (gemeentecode, gecontroleerd_op, controle, ernst, "
            "gecontroleerd, afgekeurd, geslaagd) values ('GM0629', current_timestamp, 'pip_termijn', "
            "'waarschuwing', 10, 1, 9)"
        )
    result = transform.dbt_build(settings, full_refresh=True, docs=False, select="fct_registratiekwaliteit")
    assert result.ok, result.summary()
    with connect(settings.warehouse, read_only=True) as wh:
        assert wh.query("select count(*) from marts.fct_registratiekwaliteit")[0][0] == 1


@pytest.mark.postgres
def test_project_builds_on_an_empty_postgres(tmp_path, pg_url):
    settings = Settings.resolve({"home": str(tmp_path / "home"), "warehouse": pg_url})
    result = _empty_warehouse_build(settings)
    _assert_project_shape(settings, result)


# --- the profile follows the warehouse -------------------------------------------


def test_duckdb_profile(tmp_path):
    target = transform.profile_target(str(tmp_path / "w" / "regie.duckdb"), threads=2)
    assert target == {"type": "duckdb", "path": str(tmp_path / "w" / "regie.duckdb"), "threads": 2}


def test_postgres_profile_from_url():
    target = transform.profile_target(
        "postgresql://anna:geh%40im@db.example:6543/regie?sslmode=require", threads=3
    )
    assert target == {
        "type": "postgres",
        "host": "db.example",
        "port": 6543,
        "user": "anna",
        "password": "{{ env_var('PGPASSWORD', '') }}",
        "dbname": "regie",
        "schema": "public",
        "threads": 3,
        "sslmode": "require",
    }


def test_profiles_file_is_private_and_follows_settings(tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    settings = Settings.resolve({"home": str(tmp_path), "warehouse": "postgresql://u:secret@h:5433/db"})
    folder = transform.write_profiles(settings)
    path = folder / "profiles.yml"
    assert folder == tmp_path / "dbt"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    text = path.read_text()
    assert "dbname: db" in text and "port: 5433" in text
    # the password went to the process environment, never into a file or the settings
    assert "secret" not in text and "secret" not in settings.warehouse
    assert settings.warehouse == "postgresql://u@h:5433/db"
    assert os.environ["PGPASSWORD"] == "secret"


def test_dbt_env_has_the_same_keys_for_both_backends(tmp_path):
    duck = transform.dbt_env({"home": str(tmp_path), "warehouse": str(tmp_path / "x.duckdb")})
    pg = transform.dbt_env({"home": str(tmp_path), "warehouse": "postgresql://postgres@127.0.0.1:5432/regie"})
    assert set(duck) == set(pg)
    assert duck["REGIE_DBT_TARGET"] == "duckdb" and duck["REGIE_DBT_DUCKDB_PATH"].endswith("x.duckdb")
    assert pg["REGIE_DBT_TARGET"] == "postgres" and pg["REGIE_DBT_PG_DBNAME"] == "regie"
    assert duck["DBT_LOG_PATH"] == str(tmp_path / "dbt" / "logs")


def test_vars_default_to_today_and_five():
    import datetime as dt

    settings = Settings.resolve({"home": "/tmp/x", "warehouse": "/tmp/x/w.duckdb"})
    assert transform.dbt_vars(settings) == {"peildatum": dt.date.today().isoformat(), "threshold": 5}
    settings = Settings.resolve({"home": "/tmp/x", "warehouse": "/tmp/x/w.duckdb", "peildatum": "2025-02-25"})
    assert transform.dbt_vars(settings, threshold=10) == {"peildatum": "2025-02-25", "threshold": 10}


def test_the_cosmos_environment_never_holds_the_password(tmp_path, monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    env = transform.dbt_env({"home": str(tmp_path), "warehouse": "postgresql://anna:geh%40im@db:5432/regie"})
    assert not any("geh@im" in v or "geh%40im" in v for v in env.values())
    assert env["REGIE_DBT_PG_USER"] == "anna" and os.environ["PGPASSWORD"] == "geh@im"


@pytest.mark.postgres
def test_dbt_connects_with_the_password_from_the_environment_and_keeps_it_out_of_its_files(
    tmp_path, pg_url, monkeypatch
):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    scheme, rest = pg_url.split("://", 1)
    url = f"{scheme}://" + rest.replace("@", ":pw-Kq81Zr5@", 1)
    settings = Settings.resolve({"home": str(tmp_path), "warehouse": url})
    result = transform.run_dbt(settings, ["debug"])
    assert result.ok, result.output[-2000:]
    assert "pw-Kq81Zr5" not in result.output
    assert [p for p in (tmp_path / "dbt").rglob("*") if p.is_file() and b"pw-Kq81Zr5" in p.read_bytes()] == []
