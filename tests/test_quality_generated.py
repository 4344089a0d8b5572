"""The checks on the generator's sample data: every planted record is found, and
what else fires is known and explained.

The generator plants quality problems on Leiden's own inburgeraars
(``Manifest.planted_quality``). Some checks also fire on records that follow
from the audit report's own figures (PIPs that were never set, Oegstgeest's
PIPs without a route, the five published taakstelling corrections,
Leidschendam-Voorburg's PIPs known only to DUO); ``BEKEND`` lists those per
check and gemeente, so any change in either the data or a check shows here.
"""

from __future__ import annotations

import collections
import shutil

import pandas as pd
import pytest

from regie.quality import tasks
from regie.quality.gegevens import TABELLEN, Gegevens
from regie.quality.resultaten import bevindingen
from regie.warehouse import connect

from conftest import TEST_KEY
from quality_support import ingest

pytestmark = pytest.mark.slow

#: Findings on generated data that are not in planted_quality: (check, gemeente) -> count.
BEKEND = {
    # Wi2021 inburgeraars without any PIP, following the report's PIP counts (LV 283, Voorschoten 84,
    # Wassenaar 83, Oegstgeest 110 of 112)
    ("brp_zonder_pip", "GM1916"): 12,
    ("brp_zonder_pip", "GM0626"): 8,
    ("brp_zonder_pip", "GM0629"): 3,
    ("brp_zonder_pip", "GM0579"): 2,
    # Oegstgeest: more PIPs (110) than people on a route in the report's route tables
    ("pip_zonder_leerroute", "GM0579"): 4,
    # nareizigers who are adults when housed (19 by birth year) but in no dossier: the generator
    # makes them children of the household (their birth year is counted from the household's own
    # housing date, years earlier), so nobody opened a dossier
    ("gehuisvest_zonder_dossier", "GM0546"): 1,
    ("gehuisvest_zonder_dossier", "GM0579"): 1,
    # Leidschendam-Voorburg's PIP registration (report 5.2.1): DUO knows PIPs the dossiers lack
    ("pip_alleen_bij_duo", "GM1916"): 60,
    ("pip_alleen_bij_duo", "GM0626"): 13,
    ("pip_alleen_bij_duo", "GM0629"): 4,
    # the five corrections in the published balances (report tables 3.2-3.5)
    ("taakstelling_correctie", "GM1916"): 3,
    ("taakstelling_correctie", "GM0626"): 1,
    ("taakstelling_correctie", "GM0629"): 1,
}
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
    tasks.controleer(params)
    with connect(params["warehouse"], read_only=True) as wh:
        found = bevindingen(wh, "gen")
    return manifest, params, found


def test_every_planted_record_is_found(gegenereerd):
    manifest, _, found = gegenereerd
    assert manifest.planted_quality
    keys = set(zip(found["controle"], found["bestand"], found["regelnummer"].astype("Int64"), strict=True))
    for case in manifest.planted_quality:
        assert (case["check"], case["path"], case["line"]) in keys, case
        row = found[(found["controle"] == case["check"]) & (found["regelnummer"] == case["line"])].iloc[0]
        assert row["gemeentecode"] == case["gemeentecode"]


def test_nothing_else_fires_but_what_the_report_explains(gegenereerd):
    manifest, _, found = gegenereerd
    planted = {(c["check"], c["path"], c["line"]) for c in manifest.planted_quality}
    rest = collections.Counter()
    for check, gm, path, line in zip(
        found["controle"], found["gemeentecode"], found["bestand"], found["regelnummer"], strict=True
    ):
        if check == "afgewezen_rijen":
            continue  # compared with the planted rejects below
        if (check, path, None if pd.isna(line) else int(line)) not in planted:
            rest[(check, gm)] += 1
    assert dict(rest) == BEKEND
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


def test_staging_views_and_the_raw_fallback_give_the_same_tables(gegenereerd, tmp_path):
    """The checks read the dbt staging views when they exist; the raw fallback must match them."""
    from regie.config import Settings
    from regie.transform import run_dbt

    _, params, _ = gegenereerd
    shutil.copy(params["warehouse"], tmp_path / "wh.duckdb")
    settings = Settings.resolve(
        {
            "warehouse": str(tmp_path / "wh.duckdb"),
            "home": str(tmp_path / "home"),
            "peildatum": params["peildatum"],
        }
    )
    result = run_dbt(settings, ["run", "--select", "staging"])
    assert result.ok, result.output[-3000:]
    with connect(settings.warehouse, read_only=True) as wh:
        staging = Gegevens(wh, params["peildatum"], "staging")
        raw = Gegevens(wh, params["peildatum"], "raw")
        for name in TABELLEN:
            a, b = staging.tabel(name), raw.tabel(name)
            assert len(a) == len(b), name
            order = ["bestand", "regelnummer", "kenmerk"]
            pd.testing.assert_frame_equal(
                a.sort_values(order).drop(columns="rij").reset_index(drop=True),
                b.sort_values(order).drop(columns="rij").reset_index(drop=True),
                check_dtype=False,
                obj=name,
            )
        assert all(v.startswith("staging.") for v in staging.gelezen_uit.values())
        assert all(v.startswith("raw.") for v in raw.gelezen_uit.values())
