"""A failing blocking check keeps the previous publication, per source and gemeente, and says so.

The transform flow calls three functions around its dbt build (see
regie.quality.publicatie); here the "dbt build" is a plain `create or replace
table`, which is what dbt does to a table model.
"""

from __future__ import annotations

import shutil

import pytest

from regie.quality import publicatie, scorecard_text, tasks
from regie.warehouse import connect

from conftest import TEST_KEY
from quality_support import PEILDATUM, UITVOERDER, ingest, scenario

GEMEENTEN = sorted(UITVOERDER)
VERWACHT = {
    ("duo", "GM0579"): ("duo_combinatie_ongeldig",),
    ("gemeente", "GM0546"): ("meerdere_open_dossiers", "pip_voor_brp"),
    ("gemeente", "GM0626"): ("datum_in_toekomst",),
    ("gemeente", "GM1916"): ("datum_in_toekomst", "meerdere_open_leerroutes", "uren_buiten_bereik"),
}
MARTS = {"gemeente": ["marts.fct_a", "publiek.fct_a"], "duo": ["marts.fct_b"], "coa_tvs": ["marts.fct_c"]}


@pytest.fixture(scope="module")
def geladen(tmp_path_factory):
    root = tmp_path_factory.mktemp("blokkade")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
        scenario(root / "landing")
        ingest(root / "landing", root / "home", root / "wh.duckdb")
    return root


@pytest.fixture
def params(geladen, tmp_path):
    shutil.copy(geladen / "wh.duckdb", tmp_path / "wh.duckdb")
    return {
        "warehouse": str(tmp_path / "wh.duckdb"),
        "home": str(tmp_path / "home"),
        "peildatum": PEILDATUM,
        "run_id": "r1",
    }


def _publish(warehouse: str, waarde: str) -> None:
    """What a dbt build does to table models: replace them whole."""
    with connect(warehouse) as wh:
        for table, col in (
            ("marts.fct_a", "woongemeente"),
            ("publiek.fct_a", "woongemeente"),
            ("marts.fct_b", "gemeentecode"),
            ("marts.fct_c", "gemeentecode"),
        ):
            wh.execute(f"create schema if not exists {table.split('.')[0]}")
            values = ", ".join(f"('{g}', '{waarde}', {i})" for i, g in enumerate(GEMEENTEN))
            wh.execute(
                f"create or replace table {table} as select * from (values {values}) t({col}, waarde, n)"
            )


def _waarden(warehouse: str, table: str) -> dict[str, str]:
    with connect(warehouse, read_only=True) as wh:
        return dict(wh.query(f"select * exclude (n) from {table}"))


def test_the_gate_names_each_blocked_source_and_gemeente(params):
    verdict = publicatie.poort(params)
    got = {(b["bron"], b["gemeentecode"]): tuple(b["controles"]) for b in verdict["blokkades"]}
    assert got == VERWACHT
    # a gemeente with warnings only (Wassenaar) is not blocked
    assert not any(g == "GM0629" for _, g in got)
    with connect(params["warehouse"], read_only=True) as wh:
        rows = wh.query(
            "select bron, gemeentecode, besluit from audit.kwaliteit_blokkades where run_id = 'r1'"
        )
    assert {(b, g) for b, g, _ in rows} == set(VERWACHT) and {r[2] for r in rows} == {"vastgesteld"}


def test_blocked_gemeenten_keep_the_previous_publication(params):
    wh = params["warehouse"]
    _publish(wh, "vorige")
    verdict = publicatie.poort(params)
    kept = publicatie.bewaar_vorige(params, verdict, MARTS)
    _publish(wh, "nieuw")
    decisions = publicatie.herstel(params, kept)

    blocked_gemeente = {"GM1916", "GM0626", "GM0546"}
    for table in ("marts.fct_a", "publiek.fct_a"):
        assert _waarden(wh, table) == {g: "vorige" if g in blocked_gemeente else "nieuw" for g in GEMEENTEN}
    assert _waarden(wh, "marts.fct_b") == {g: "vorige" if g == "GM0579" else "nieuw" for g in GEMEENTEN}
    assert set(_waarden(wh, "marts.fct_c").values()) == {"nieuw"}  # nothing blocked in coa_tvs
    assert {d["besluit"] for d in decisions} == {"vorige publicatie behouden"}
    gm = next(d for d in decisions if d["gemeentecode"] == "GM1916")
    assert gm["tabellen"] == ["marts.fct_a", "publiek.fct_a"]
    with connect(wh, read_only=True) as con:
        assert con.query(
            "select count(*) from information_schema.tables where table_schema = 'kwaliteit_bewaard'"
        ) == [(0,)]

    # ... and says so: in the scorecard and in the mail
    tasks.controleer(params)
    text = scorecard_text(wh, "r1")
    lv = text.split("GM1916 Leidschendam-Voorburg")[1].split("\n  GM")[0]
    assert "! bron gemeente: vorige publicatie behouden" in lv
    oeg = text.split("GM0579 Oegstgeest")[1].split("\n  GM")[0]
    assert "! bron duo: vorige publicatie behouden" in oeg
    assert "! bron" not in text.split("GM0629 Wassenaar")[1].split("\n  GM")[0]


def test_the_mail_says_which_figures_were_not_updated(params, tmp_path, monkeypatch):
    from aiosmtpd.controller import Controller

    from quality_support import ADRES, Postbus, free_port

    _publish(params["warehouse"], "vorige")
    kept = publicatie.bewaar_vorige(params, publicatie.poort(params), MARTS)
    _publish(params["warehouse"], "nieuw")
    publicatie.herstel(params, kept)
    tasks.controleer(params)
    box, port = Postbus(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", f"smtp://127.0.0.1:{port}")
        book = tmp_path / "c.yml"
        book.write_text("gemeenten:\n" + "".join(f"  {c}: [{a}]\n" for c, a in ADRES.items()))
        tasks.meld({**params, "contacten": str(book)}, "r1")
    finally:
        controller.stop()
    (lv,) = box.voor(ADRES["GM1916"])
    assert "NIET BIJGEWERKT" in lv.tekst
    assert "Leidschendam-Voorburg, bron gemeente: vorige publicatie behouden" in lv.tekst
    assert "Voorschoten, bron gemeente: vorige publicatie behouden" in lv.tekst
    (w,) = box.voor(ADRES["GM0629"])
    assert "NIET BIJGEWERKT" not in w.tekst


def test_a_separately_scheduled_quality_run_finds_the_transform_decisions(params):
    """Scheduled apart, the transform and quality DAG runs have different run ids."""
    _publish(params["warehouse"], "vorige")
    transform = {**params, "run_id": "transform-run"}
    kept = publicatie.bewaar_vorige(transform, publicatie.poort(transform), MARTS)
    _publish(params["warehouse"], "nieuw")
    publicatie.herstel(transform, kept)
    tasks.controleer({**params, "run_id": "quality-run"})
    text = scorecard_text(params["warehouse"], "quality-run")
    assert "! bron duo: vorige publicatie behouden" in text.split("GM0579 Oegstgeest")[1]


@pytest.mark.parametrize(
    ("zonder_vorige", "besluit", "rijen"),
    [
        ("inhouden", "niet gepubliceerd: er is nog geen eerdere publicatie", 2),
        ("publiceren", "gepubliceerd: er is nog geen eerdere publicatie", 5),
    ],
)
def test_first_publication_with_a_blocking_finding(params, zonder_vorige, besluit, rijen):
    wh = params["warehouse"]
    kept = publicatie.bewaar_vorige(params, publicatie.poort(params), MARTS)  # nothing published yet
    _publish(wh, "nieuw")
    decisions = publicatie.herstel(params, kept, zonder_vorige=zonder_vorige)
    assert len(_waarden(wh, "marts.fct_a")) == rijen
    assert {d["besluit"] for d in decisions} == {besluit}


def test_marts_per_source_from_the_dbt_manifest():
    manifest = {
        "sources": {
            "source.regie.raw.gemeente__dossiers": {
                "resource_type": "source",
                "source_name": "raw",
                "name": "gemeente__dossiers",
            },
            "source.regie.raw.duo__personen": {
                "resource_type": "source",
                "source_name": "raw",
                "name": "duo__personen",
            },
            "source.regie.audit.bestanden": {
                "resource_type": "source",
                "source_name": "audit",
                "name": "bestanden",
            },
        },
        "nodes": {
            "model.regie.stg_gemeente__dossiers": {
                "resource_type": "model",
                "schema": "staging",
                "name": "stg_gemeente__dossiers",
            },
            "model.regie.stg_duo__personen": {
                "resource_type": "model",
                "schema": "staging",
                "name": "stg_duo__personen",
            },
            "model.regie.int_personen": {
                "resource_type": "model",
                "schema": "intermediate",
                "name": "int_personen",
            },
            "model.regie.fct_pip_tijdigheid": {
                "resource_type": "model",
                "schema": "marts",
                "name": "fct_pip_tijdigheid",
            },
            "model.regie.fct_ondertussengroep": {
                "resource_type": "model",
                "schema": "marts",
                "name": "fct_ondertussengroep",
            },
            "model.regie.publiek_fct_pip_tijdigheid": {
                "resource_type": "model",
                "schema": "publiek",
                "name": "publiek_fct_pip_tijdigheid",
                "alias": "fct_pip_tijdigheid",
            },
        },
        "parent_map": {
            "model.regie.stg_gemeente__dossiers": [
                "source.regie.raw.gemeente__dossiers",
                "source.regie.audit.bestanden",
            ],
            "model.regie.stg_duo__personen": ["source.regie.raw.duo__personen"],
            "model.regie.int_personen": [
                "model.regie.stg_gemeente__dossiers",
                "model.regie.stg_duo__personen",
            ],
            "model.regie.fct_pip_tijdigheid": ["model.regie.int_personen"],
            "model.regie.fct_ondertussengroep": ["model.regie.stg_duo__personen"],
            "model.regie.publiek_fct_pip_tijdigheid": ["model.regie.fct_pip_tijdigheid"],
        },
    }
    assert publicatie.marts_per_bron(manifest) == {
        "duo": ["marts.fct_ondertussengroep", "marts.fct_pip_tijdigheid", "publiek.fct_pip_tijdigheid"],
        "gemeente": ["marts.fct_pip_tijdigheid", "publiek.fct_pip_tijdigheid"],
    }
