"""The checks on the generator's sample data fire on exactly the records the manifest lists.

``Manifest.planted_quality`` lists every record a check must find: the quality
problems the generator plants on Leiden's own inburgeraars (``reden`` "planted")
and the records that follow from the audit report's own figures (PIPs that were
never set, Oegstgeest's PIPs without a route, Leidschendam-Voorburg's PIPs known
only to DUO, the five published taakstelling corrections), each with its
``reden``. Any change in either the data or a check shows here.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from regie.quality import blocking, tasks
from regie.quality.gegevens import TABELLEN, Gegevens
from regie.quality.resultaten import bevindingen
from regie.warehouse import connect

from conftest import TEST_KEY
from quality_support import ingest

pytestmark = pytest.mark.slow

CORRECTIES = {
    ("GM0626", "periode 2021-I"),
    ("GM0629", "periode 2021-I"),
    ("GM1916", "periode 2021-II"),
    ("GM1916", "periode 2022-I"),
    ("GM1916", "periode 2023-I"),
}


@pytest.fixture(scope="module")
def gegenereerd(generated, tmp_path_factory):
    landing_src, manifest = generated
    root = tmp_path_factory.mktemp("gegenereerd")
    shutil.copytree(landing_src, root / "landing")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
        ingest(root / "landing", root / "home", root / "wh.duckdb")
    params = {
        "warehouse": str(root / "wh.duckdb"),
        "home": str(root / "home"),
        "peildatum": "2025-02-25",
        "run_id": "gen",
    }
    tasks.check(params)
    with connect(params["warehouse"], read_only=True) as wh:
        found = bevindingen(wh, "gen")
    return manifest, params, found


def _key(check, gemeente, path, line) -> tuple:
    return (check, gemeente, path, None if pd.isna(line) else int(line))


def test_findings_are_exactly_the_manifest(gegenereerd):
    manifest, _, found = gegenereerd
    assert manifest.planted_quality
    want = [_key(c["check"], c["gemeentecode"], c["path"], c["line"]) for c in manifest.planted_quality]
    assert len(want) == len(set(want))
    got = [
        _key(*row)
        for row in zip(
            found["controle"], found["gemeentecode"], found["bestand"], found["regelnummer"], strict=True
        )
        if row[0] != "afgewezen_rijen"  # compared with the planted rejects below
    ]
    assert len(got) == len(set(got))
    assert sorted(set(got) - set(want)) == [], "found, not in the manifest"
    assert sorted(set(want) - set(got)) == [], "in the manifest, not found"
    # every check but the delivery-level ones has something to find
    checks = {c["check"] for c in manifest.planted_quality}
    assert checks == set(found["controle"]) - {"afgewezen_rijen"}
    assert {"datum_in_toekomst", "pip_voor_brp", "uren_buiten_bereik", "boete_boven_maximum"} <= checks
    assert {"meerdere_open_dossiers", "gerealiseerd_wijkt_af_van_tvs"} <= checks
    corrections = found[found["controle"] == "taakstelling_correctie"]
    assert set(zip(corrections["gemeentecode"], corrections["kenmerk"], strict=True)) == CORRECTIES


def test_rejected_rows_are_the_planted_rejects(gegenereerd):
    manifest, _, found = gegenereerd
    rejected = found[found["controle"] == "afgewezen_rijen"]
    got = sorted(zip(rejected["bestand"], rejected["regelnummer"].astype(int), strict=True))
    # the generator plants its rejects in the last deliveries, the ones in force at the peildatum
    want = sorted((path, r.line) for path, info in manifest.files.items() for r in info.planted_rejects)
    assert got == want
    by_source = {(g if isinstance(g, str) else None) for g in rejected["gemeentecode"]}
    assert by_source == {"GM0546", "GM1916", None}  # the uitvoerders; DUO's line has no gemeente


def test_the_checks_in_force_and_the_gates_candidates_give_the_same_tables(gegenereerd, tmp_path):
    """The quality DAG reads kwaliteit.* (the deliveries in force); the gate read
    kwaliteit_kandidaat.* with what it held back. With the recorded verdict both must show
    the same rows: the two choices are one staging rule."""
    from regie.config import Settings
    from regie.quality.gegevens import bouw, zet_kandidaat_blokkades

    _, params, _ = gegenereerd
    shutil.copy(params["warehouse"], tmp_path / "wh.duckdb")
    settings = Settings.resolve(
        {
            "warehouse": str(tmp_path / "wh.duckdb"),
            "home": str(tmp_path / "home"),
            "peildatum": params["peildatum"],
        }
    )
    # the blocking checks judge first (they hold back Leiden's DUO and municipal deliveries)
    verdict = blocking.judge(settings.as_params())
    assert {b["gemeentecode"] for b in verdict["blokkades"]} == {"GM0546"}
    bouw(settings, "in_kracht")
    with connect(settings.warehouse) as wh:
        zet_kandidaat_blokkades(wh, params["peildatum"], blocking.tegenhoudingen(wh, params["peildatum"]))
        in_kracht = Gegevens(wh, params["peildatum"], "staging")
        kandidaat = Gegevens(wh, params["peildatum"], "raw")
        for name in TABELLEN:
            a, b = in_kracht.tabel(name), kandidaat.tabel(name)
            assert len(a) == len(b), name
            pd.testing.assert_frame_equal(a, b, check_dtype=False, obj=name)
        assert all(v.startswith("kwaliteit.") for v in in_kracht.gelezen_uit.values())
        assert all(v.startswith("kwaliteit_kandidaat.") for v in kandidaat.gelezen_uit.values())
        zet_kandidaat_blokkades(wh, params["peildatum"], set())
