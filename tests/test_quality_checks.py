"""Each check fires on the records planted for it and stays silent on the near misses.

One small landing zone (tests/quality_support.py) is loaded through the real
ingestion; the checks run once on it through the same function the quality
DAG calls. Every planted record is named by its klantnummer: ``F-<check>``
must be flagged by that check and by no other, ``S-<check>`` and ``OK-...``
by none.
"""

from __future__ import annotations

import re
import shutil

import pytest

from regie.quality import scorecard_text, tasks
from regie.quality.catalogus import load_checks
from regie.quality.model import BLOKKEREND, CATEGORIEEN, DOMEINEN, ERNSTEN
from regie.quality.resultaten import bevindingen, tellingen
from regie.warehouse import connect

from conftest import TEST_KEY
from privacy import needles, scan_files
from quality_support import PEILDATUM, ingest, scenario

CHECKS = [c.code for c in load_checks()]


@pytest.fixture(scope="module")
def gecontroleerd(tmp_path_factory):
    """The scenario, ingested and checked once (run r1)."""
    root = tmp_path_factory.mktemp("kwaliteit")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
        mp.delenv("REGIE_PSEUDONIEM_SLEUTEL_BESTAND", raising=False)
        sc = scenario(root / "landing")
        ingest(root / "landing", root / "home", root / "wh.duckdb")
    params = {
        "warehouse": str(root / "wh.duckdb"),
        "home": str(root / "home"),
        "peildatum": PEILDATUM,
        "run_id": "r1",
    }
    summary = tasks.check(params)
    with connect(params["warehouse"], read_only=True) as wh:
        found = bevindingen(wh, "r1")
        counts = tellingen(wh, "r1")
    return sc, params, summary, found, counts


def _flagged(found, check: str) -> set[tuple[str | None, str]]:
    sel = found[found["controle"] == check]
    return {
        (g if isinstance(g, str) else None, k)
        for g, k in zip(sel["gemeentecode"], sel["sleutel"], strict=True)
    }


def test_every_check_is_named_for_its_users_and_has_a_severity():
    controles = load_checks()
    assert len(controles) >= 19
    for c in controles:
        assert c.ernst in ERNSTEN and c.categorie in CATEGORIEEN and c.domein in DOMEINEN
        assert c.naam and c.naam[0].isupper() and len(c.naam) <= 70, c.code
        assert len(c.uitleg) > 60, c.code
    assert {c.code for c in controles if c.ernst == BLOKKEREND} == {
        "datum_in_toekomst",
        "pip_voor_brp",
        "uren_buiten_bereik",
        "duo_combinatie_ongeldig",
        "meerdere_open_dossiers",
        "meerdere_open_leerroutes",
    }


def test_the_scenario_plants_a_case_for_every_check(gecontroleerd):
    sc, *_ = gecontroleerd
    assert set(sc.moet_vuren) == set(CHECKS)
    # silent cases: the clean persons for every check, and named near misses for most
    assert len(sc.moet_zwijgen) >= 12


@pytest.mark.parametrize("check", CHECKS)
def test_check_fires_exactly_on_its_planted_records(gecontroleerd, check):
    sc, _, _, found, _ = gecontroleerd
    assert _flagged(found, check) == sc.moet_vuren[check]


@pytest.mark.parametrize("check", CHECKS)
def test_check_stays_silent_on_the_near_misses(gecontroleerd, check):
    sc, _, _, found, _ = gecontroleerd
    flagged = _flagged(found, check)
    assert not flagged & sc.moet_zwijgen.get(check, set())
    # nothing but planted records, and no planted record of another check
    for _, key in flagged:
        assert not key.startswith(("OK-", "S-")), key
        if key.startswith("F-"):
            assert key[2:].startswith(check), f"{check} fired on {key}"


def test_counts_per_gemeente_check_and_run(gecontroleerd):
    sc, params, summary, found, counts = gecontroleerd
    assert summary["fouten"] == {}
    assert (counts["gecontroleerd"] >= counts["afgekeurd"]).all()
    assert (counts["geslaagd"] == counts["gecontroleerd"] - counts["afgekeurd"]).all()
    per_check = found.groupby("controle").size()
    for check, n in counts.groupby("controle")["afgekeurd"].sum().items():
        assert n == per_check.get(check, 0), check
    # one row per gemeente and check; national sources have no gemeente but name the source
    keyed = counts.assign(k=counts["gemeentecode"].fillna(counts["bron"]))
    assert not keyed.duplicated(["k", "controle"]).any()
    # GM9999 delivered a folder of its own: an unknown code, on its own scorecard as the deliverer
    assert set(counts["gemeentecode"].dropna()) == {
        "GM1916",
        "GM0626",
        "GM0629",
        "GM0546",
        "GM0579",
        "GM9999",
    }
    duo = counts[(counts["bron"] == "duo") & (counts["controle"] == "afgewezen_rijen")].iloc[0]
    assert pd_none(duo["gemeentecode"]) and duo["afgekeurd"] == 1
    # rejected rows count against the uitvoerder that delivered them, out of all its delivered rows
    with connect(params["warehouse"], read_only=True) as wh:
        (delivered,) = wh.query(
            "select sum(rijen_in) from audit.bestanden where uitvoerder = 'GM1916' and status = 'geladen'"
        )[0]
        cols = [
            r[0]
            for r in wh.query(
                "select column_name from information_schema.columns where table_schema = 'marts' "
                "and table_name = 'fct_registratiekwaliteit'"
            )
        ]
    lv = counts[(counts["gemeentecode"] == "GM1916") & (counts["controle"] == "afgewezen_rijen")].iloc[0]
    assert (lv["gecontroleerd"], lv["afgekeurd"]) == (delivered, 1)
    assert cols[:7] == [
        "gemeentecode",
        "gecontroleerd_op",
        "controle",
        "ernst",
        "gecontroleerd",
        "afgekeurd",
        "geslaagd",
    ]


def pd_none(v) -> bool:
    return v is None or v != v


def test_findings_name_records_by_klantnummer_file_and_line(gecontroleerd):
    _, _, _, found, _ = gecontroleerd
    row = found[found["controle"] == "uren_buiten_bereik"].iloc[0]
    assert row["klantnummer"] == "F-uren_buiten_bereik"
    assert row["bestand"] == "gemeente/GM1916/2025-02-25/activiteiten.csv" and row["regelnummer"] > 1
    assert "2400" in row["bevinding"]
    fine = found[found["controle"] == "boete_boven_maximum"]
    assert "EUR 850" in fine[fine["klantnummer"] == "F-boete_boven_maximum-jaar"].iloc[0]["bevinding"]
    correction = found[found["controle"] == "taakstelling_correctie"].iloc[0]
    assert correction["bevinding"] == "2024-II: stand begin 18, volgens de vorige periode 15 (correctie +3)"
    # no finding carries a pseudonym
    for col in found.columns:
        for v in found[col].dropna().astype(str):
            assert not re.search(r"[0-9a-f]{64}", v), (col, v)


def test_the_page_of_findings_is_one_dutch_file_without_identifiers_or_external_requests(gecontroleerd):
    """regie's own page replaces GX's Data Docs (CDN Bootstrap, jQuery, Vega, a newsletter box)."""
    sc, params, summary, *_ = gecontroleerd
    from pathlib import Path

    page = Path(summary["pagina"])
    assert page == Path(params["home"]) / "quality" / "bevindingen.html"
    assert [p.name for p in page.parent.iterdir()] == ["bevindingen.html"]  # one file, nothing beside it
    html = page.read_text(encoding="utf-8")
    assert "<h1>Registratiekwaliteit, peildatum 25-02-2025</h1>" in html
    # the scorecard's own headline per gemeente, and the checks by their Dutch names
    card = scorecard_text(params["warehouse"], "r1")
    for line in re.findall(r"^  (GM\d{4} [^:]+): (score .+)$", card, re.MULTILINE):
        assert f">{line[0]}</h3>\n<p>{line[1]}</p>" in html, line
    assert "Meer dan een open dossier voor een persoon" in html and "meerdere_open_dossiers" not in html
    # nothing fetched from anywhere: no script, no stylesheet link, no URL
    assert not re.search(r"<script|<link|<img|@import|https?:|src\s*=|//[a-z]", html, re.IGNORECASE)
    assert {h for h in re.findall(r'href="([^"]*)"', html)} <= {
        f"#{c}" for c in re.findall(r'id="([^"]+)"', html)
    }
    ids, dates = needles(sc.identifiers, sc.birth_dates)
    assert scan_files(page.parent, ids, dates) == {}
    assert not re.search(r"[0-9a-f]{64}", html)


def test_scorecard_text_per_gemeente(gecontroleerd):
    _, params, *_ = gecontroleerd
    text = scorecard_text(params["warehouse"], "r1")
    assert text.startswith("Registratiekwaliteit (run r1, peildatum 2025-02-25)")
    for naam in (
        "GM1916 Leidschendam-Voorburg",
        "GM0626 Voorschoten",
        "GM0629 Wassenaar",
        "GM0546 Leiden",
        "GM0579 Oegstgeest",
        "bron duo",
    ):
        assert naam in text
    lv = text.split("GM1916 Leidschendam-Voorburg")[1].split("\n  GM")[0]
    assert "blokkerend    Uren buiten 0-2000" in lv
    assert "Meer dan een open leerroute" in lv
    assert "100,0%" not in text.split("bron duo")[1]  # a failure never rounds to a perfect score
    assert scorecard_text(params["warehouse"], "bestaat-niet").startswith(
        "Registratiekwaliteit: geen controles"
    )


def test_a_rerun_of_the_same_run_replaces_its_rows(gecontroleerd, tmp_path):
    _, params, _, found, counts = gecontroleerd
    wh = tmp_path / "wh.duckdb"
    shutil.copy(params["warehouse"], wh)
    again = {**params, "warehouse": str(wh), "home": str(tmp_path / "home")}
    tasks.check(again)
    with connect(str(wh), read_only=True) as con:
        assert len(tellingen(con, "r1")) == len(counts)
        assert len(bevindingen(con, "r1")) == len(found)


def test_every_check_is_documented():
    from conftest import ROOT

    doc = (ROOT / "docs" / "quality.md").read_text(encoding="utf-8")
    for c in load_checks():
        assert f"| `{c.code}` | {c.naam} | {c.ernst} |" in doc, c.code


def test_a_mart_declared_by_dbt_with_fewer_columns_is_written_as_it_is(gecontroleerd, tmp_path):
    """dbt declares the mart as an incremental model; a column dbt does not know would break its
    next append, so regie never alters the table and writes the columns it has."""
    _, params, _, _, counts = gecontroleerd
    wh = tmp_path / "wh.duckdb"
    shutil.copy(params["warehouse"], wh)
    contract = "gemeentecode, gecontroleerd_op, controle, ernst, gecontroleerd, afgekeurd, geslaagd, run_id"
    with connect(str(wh)) as con:
        con.execute(
            f"create or replace table marts.fct_registratiekwaliteit as "
            f"select {contract} from marts.fct_registratiekwaliteit where false"
        )
    tasks.check({**params, "warehouse": str(wh), "home": str(tmp_path / "home"), "run_id": "dbt"})
    with connect(str(wh), read_only=True) as con:
        cols = [
            r[0]
            for r in con.query(
                "select column_name from information_schema.columns where table_name = 'fct_registratiekwaliteit' "
                "order by ordinal_position"
            )
        ]
        assert ", ".join(cols) == contract
        back = tellingen(con, "dbt")
    # every gemeente row is there; the national-source rows need the bron column
    assert len(back) == counts["gemeentecode"].notna().sum()
    assert back["omschrijving"].notna().all()
    assert "GM0579 Oegstgeest: score" in scorecard_text(str(wh), "dbt")
