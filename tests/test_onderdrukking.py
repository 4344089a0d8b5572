"""Small-cell suppression with complementary cells (regie.publish.onderdrukking), on small tables
whose every cell is known, and the difference attack the published tables must withstand."""

from __future__ import annotations

import pandas as pd
import pytest

from regie.publish import meta
from regie.publish.onderdrukking import aanval, onderdruk

PIP = meta.parse(
    "fct_pip_tijdigheid",
    {
        "domein": "inburgering",
        "gemeente_kolom": "woongemeente",
        "tellingen": [
            "inschrijvingen",
            "pip_vastgesteld",
            "pip_binnen_10_weken",
            "pip_te_laat",
            "zonder_pip_termijn_verstreken",
        ],
        "afgeleid": {"mediaan_dagen_tot_pip": ["pip_vastgesteld"]},
        "relaties": [
            "pip_vastgesteld = pip_binnen_10_weken + pip_te_laat",
            "inschrijvingen = pip_vastgesteld + zonder_pip_termijn_verstreken + ...",
        ],
    },
)


def _pip(*rows):
    cols = ["woongemeente", "jaar", "doelgroep", *PIP.tellingen, "mediaan_dagen_tot_pip"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


def _shown(publiek: pd.DataFrame, row: int) -> dict:
    return {k: (None if pd.isna(v) else v) for k, v in publiek.iloc[row].to_dict().items()}


def test_the_reported_leak_is_closed():
    """inschrijvingen 7 and pip_vastgesteld 6 beside a hidden 1 gave the 1 away (the rest is 0)."""
    df = _pip(("GM0579", 2023, "statushouder", 7, 6, 5, 1, 1, 40.0))
    out = onderdruk(df, PIP, 5)
    row = _shown(out.publiek, 0)
    assert row["pip_te_laat"] is None and row["zonder_pip_termijn_verstreken"] is None  # the small counts
    assert row["onderdrukt"] is True
    # te_laat = vastgesteld - binnen and zonder = inschrijvingen - vastgesteld: one cell more each way
    assert row["pip_binnen_10_weken"] is None or row["pip_vastgesteld"] is None
    assert row["pip_vastgesteld"] is None or row["inschrijvingen"] is None
    assert row["mediaan_dagen_tot_pip"] is None or row["pip_vastgesteld"] is not None
    assert (out.primair, out.aanvullend) == (2, 1)  # least lost: pip_vastgesteld (6) serves both
    assert row["pip_vastgesteld"] is None and row["inschrijvingen"] == 7 and row["pip_binnen_10_weken"] == 5
    assert aanval(out.publiek, df, PIP, 5) == []


def test_the_attack_finds_what_primary_suppression_alone_leaves():
    """The test that guards every published table can fail: hiding only the small counts is caught."""
    df = _pip(("GM0579", 2023, "statushouder", 7, 6, 5, 1, 1, 40.0))
    naive = df.copy().astype(object)
    naive.loc[0, ["pip_te_laat", "zonder_pip_termijn_verstreken"]] = None
    found = aanval(naive, df, PIP, 5)
    assert found == [
        "fct_pip_tijdigheid: row 0 pip_te_laat = 1 can be computed",
        "fct_pip_tijdigheid: row 0 zonder_pip_termijn_verstreken = 1 can be computed",
    ]
    nothing = aanval(df, df, PIP, 5)
    assert "fct_pip_tijdigheid: row 0 pip_te_laat = 1 is published" in nothing


def test_a_small_unpublished_part_is_protected_too():
    """inschrijvingen - pip_vastgesteld - zonder = persons registered lately without PIP: 2 here."""
    df = _pip(("GM0626", 2025, "gezinsmigrant", 20, 10, 6, 4, 8, 33.0))
    out = onderdruk(df, PIP, 5)
    row = _shown(out.publiek, 0)
    hidden = {c for c in PIP.tellingen if row[c] is None}
    assert "pip_te_laat" in hidden
    assert {"inschrijvingen", "pip_vastgesteld", "zonder_pip_termijn_verstreken"} & hidden
    assert aanval(out.publiek, df, PIP, 5) == []


def test_zero_is_shown_and_a_zero_is_no_complement():
    df = _pip(
        ("GM0629", 2023, "statushouder", 9, 9, 9, 0, 0, 20.0),
        ("GM0629", 2024, "statushouder", 12, 12, 10, 2, 0, 50.0),
    )
    out = onderdruk(df, PIP, 5)
    first, second = _shown(out.publiek, 0), _shown(out.publiek, 1)
    assert first == {**first, "pip_te_laat": 0, "zonder_pip_termijn_verstreken": 0, "onderdrukt": False}
    assert second["pip_te_laat"] is None
    # binnen (10) or vastgesteld (12) is hidden with it, never the zero beside it
    assert second["zonder_pip_termijn_verstreken"] == 0
    assert aanval(out.publiek, df, PIP, 5) == []


def test_the_same_table_in_any_row_order_gives_the_same_publication():
    rows = [
        ("GM0579", 2022, "statushouder", 30, 28, 25, 3, 2, 44.0),
        ("GM0579", 2023, "gezinsmigrant", 11, 9, 6, 3, 2, 61.0),
        ("GM0626", 2022, "statushouder", 8, 8, 4, 4, 0, 70.5),
        ("GM0626", 2023, "statushouder", 40, 33, 30, 3, 7, 12.0),
    ]
    a = onderdruk(_pip(*rows), PIP, 5).publiek
    b = onderdruk(_pip(*reversed(rows)), PIP, 5).publiek
    pd.testing.assert_frame_equal(a, b)


def test_counts_that_recur_in_another_row_are_hidden_alike():
    """SPUK: this year's cohort_1 is last year's cohort_0 - hiding one and showing the other leaks it."""
    spec = meta.specs()["fct_spuk"]
    df = pd.DataFrame(
        [
            {"gemeentecode": "GM0629", "jaar": 2023, "asiel_cohort_0": 3, "asiel_cohort_1": 20, "asiel_cohort_2": 0,
             "gezinsmigranten": 6, "berekende_uitkering": 1000.0},
            {"gemeentecode": "GM0629", "jaar": 2024, "asiel_cohort_0": 12, "asiel_cohort_1": 3, "asiel_cohort_2": 20,
             "gezinsmigranten": 7, "berekende_uitkering": 2000.0},
        ]
    )  # fmt: skip
    out = onderdruk(df, spec, 5)
    y2023, y2024 = _shown(out.publiek, 0), _shown(out.publiek, 1)
    assert y2023["asiel_cohort_0"] is None and y2024["asiel_cohort_1"] is None
    # the amount is count x tariff: it would give a hidden count back
    assert y2023["berekende_uitkering"] is None and y2024["berekende_uitkering"] is None
    assert aanval(out.publiek, df, spec, 5) == []


def test_totals_across_rows():
    spec = meta.parse(
        "fct_x",
        {
            "domein": "inburgering",
            "gemeente_kolom": "woongemeente",
            "tellingen": ["aantal"],
            "sleutel": ["woongemeente", "klasse"],
            "totalen": [{"dimensie": "klasse", "totaal": "totaal"}],
        },
    )
    df = pd.DataFrame(
        {"woongemeente": ["GM0626"] * 4, "klasse": ["a", "b", "c", "totaal"], "aantal": [2, 9, 30, 41]}
    )
    out = onderdruk(df, spec, 5)
    shown = dict(zip(out.publiek["klasse"], out.publiek["aantal"], strict=True))
    assert pd.isna(shown["a"]) and pd.isna(shown["b"])  # b (9) is the smallest cell beside a (2)
    assert shown["c"] == 30 and shown["totaal"] == 41
    assert aanval(out.publiek, df, spec, 5) == []


def test_a_relation_that_is_declared_wrongly_is_refused():
    with pytest.raises(
        meta.MetaFout, match="fct_y: meta.regie: relatie 'a = b \\+ c': c is not in tellingen"
    ):
        meta.parse(
            "fct_y",
            {"domein": "geld", "gemeente_kolom": "g", "tellingen": ["a", "b"], "relaties": ["a = b + c"]},
        )
    with pytest.raises(meta.MetaFout, match="domein must be one of"):
        meta.parse("fct_y", {"domein": "wonen", "gemeente_kolom": "g"})


def test_every_mart_declares_where_it_belongs():
    import json

    manifest = json.loads(meta.manifest_path().read_text())
    assert meta.marts_zonder_meta(manifest) == []
    specs = meta.specs()
    assert {s.domein for s in specs.values()} <= set(meta.DOMEINEN)
    assert specs["dim_gemeente"].historie is False and specs["fct_registratiekwaliteit"].publiek is False
