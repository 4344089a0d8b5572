"""Blocking inside the data flow: a failing blocking check holds a delivery back for the gemeente
of the failing records, staging keeps the delivery before it, and nothing is put back afterwards.

The scenario of quality_support (every kind of failing record, one delivery on 25 February 2025)
gets an earlier, clean delivery on 31 January 2025 from every uitvoerder and from DUO. One
transform run (regie.transform.build: the gate, dbt, publiek and historie, the publication) is
shared by the tests of this module.
"""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from regie import transform
from regie.config import Settings
from regie.quality import blocking, scorecard_text, tasks
from regie.warehouse import connect

from conftest import TEST_KEY
from quality_support import (
    ADRES,
    PEILDATUM,
    D,
    Postbus,
    free_port,
    identify,
    ingest,
    personen,
    scenario_met_eerdere_levering,
    write_landing,
)

EERDER = D(2025, 1, 31)
NU = D(2025, 2, 25)

#: (levering, gemeente held back) -> the failing checks
VERWACHT = {
    # a trajectory start after the delivery date: the provider's delivery, held back for Oegstgeest
    ("begeleiding/VWN/2025-02-25", "GM0579"): "datum_in_toekomst",
    ("duo/2025-02-25", "GM0579"): "duo_combinatie_ongeldig",
    ("gemeente/GM0546/2025-02-25", "GM0546"): "meerdere_open_dossiers, pip_voor_brp",
    ("gemeente/GM1916/2025-02-25", "GM0626"): "datum_in_toekomst",
    (
        "gemeente/GM1916/2025-02-25",
        "GM1916",
    ): "datum_in_toekomst, meerdere_open_leerroutes, uren_buiten_bereik",
}


@pytest.fixture(scope="module")
def gebouwd(tmp_path_factory):
    """The scenario with its earlier delivery, ingested and built once."""
    root = tmp_path_factory.mktemp("blokkade")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
        scenario_met_eerdere_levering(root / "landing", EERDER)
        ingest(root / "landing", root / "home", root / "wh.duckdb")
        shutil.copy(root / "wh.duckdb", root / "ingested.duckdb")
        settings = Settings.resolve(
            {"home": str(root / "home"), "warehouse": str(root / "wh.duckdb"), "run_id": "r1"}
        )
        result = transform.build(settings, docs=False)
    assert result.ok, result.summary() + result.output[-3000:]
    return root, settings, result


def _params(root, tmp_path, name="wh.duckdb"):
    shutil.copy(root / name, tmp_path / "wh.duckdb")
    return {"warehouse": str(tmp_path / "wh.duckdb"), "home": str(tmp_path / "home"), "peildatum": PEILDATUM}


def test_the_gate_holds_back_each_failing_delivery_for_the_gemeente_of_its_records(gebouwd):
    _, settings, result = gebouwd
    assert result.peildatum == PEILDATUM  # the latest delivery date: nothing was given
    got = {(b["levering"], b["gemeentecode"]): ", ".join(b["controles"]) for b in result.blokkades}
    assert got == VERWACHT
    with connect(settings.warehouse, read_only=True) as wh:
        rows = wh.query(
            "select levering, gemeentecode, cast(in_kracht_leverdatum as varchar), besluit "
            "from audit.kwaliteit_blokkades where peildatum = ? order by levering, gemeentecode",
            (NU,),
        )
    assert [(lev, g) for lev, g, _, _ in rows] == sorted(VERWACHT)
    besluit = {(lev, g): (in_kracht, b) for lev, g, in_kracht, b in rows}
    # the earlier, clean delivery stays in force
    assert besluit[("gemeente/GM1916/2025-02-25", "GM0626")] == (
        "2025-01-31",
        "levering van 25-02-2025 tegengehouden; de levering van 31-01-2025 blijft gelden",
    )
    assert besluit[("duo/2025-02-25", "GM0579")][0] == "2025-01-31"
    # Wassenaar is executed by Leidschendam-Voorburg, whose delivery is held back for LV and
    # Voorschoten only; Oegstgeest's records in Leiden's delivery are fine
    assert not any(g == "GM0629" for _, g in VERWACHT)


def test_staging_keeps_the_delivery_in_force_per_gemeente(gebouwd):
    _, settings, _ = gebouwd
    with connect(settings.warehouse, read_only=True) as wh:
        dossiers = dict(
            wh.query(
                "select woongemeente, string_agg(distinct cast(leverdatum as varchar), ',') "
                "from staging.stg_gemeente__dossiers group by woongemeente"
            )
        )
        duo = dict(
            wh.query(
                "select gemeentecode, string_agg(distinct cast(leverdatum as varchar), ',') "
                "from staging.stg_duo__personen group by gemeentecode"
            )
        )
        # a klant's routes follow its dossier: LV's klanten from LV's January delivery
        routes = dict(
            wh.query(
                "select uitvoerder, string_agg(distinct cast(leverdatum as varchar), ',' order by "
                "cast(leverdatum as varchar)) from staging.stg_gemeente__leerroutes group by uitvoerder"
            )
        )
    assert dossiers == {
        "GM1916": "2025-01-31",  # held back
        "GM0626": "2025-01-31",  # held back
        "GM0629": "2025-02-25",  # same uitvoerder, not held back
        "GM0546": "2025-01-31",  # held back
        "GM0579": "2025-02-25",  # Leiden executes for Oegstgeest: its records were fine
    }
    assert duo == {g: "2025-01-31" if g == "GM0579" else "2025-02-25" for g in dossiers}
    assert routes == {"GM1916": "2025-01-31,2025-02-25", "GM0546": "2025-01-31,2025-02-25"}
    # the provider's delivery: held back for the gemeente that commissioned the failing
    # trajectory (Oegstgeest), per provider and delivery date; the other gemeenten keep it
    with connect(settings.warehouse, read_only=True) as wh:
        trajecten = dict(
            wh.query(
                "select gemeentecode, string_agg(distinct aanbieder || ' ' || cast(leverdatum as varchar), ',') "
                "from staging.stg_begeleiding__trajecten group by gemeentecode"
            )
        )
        (blokkade,) = wh.query(
            "select bron, uitvoerder, cast(in_kracht_leverdatum as varchar) from audit.kwaliteit_blokkades "
            "where bron = 'begeleiding'"
        )
    assert trajecten == {g: "VWN 2025-01-31" if g == "GM0579" else "VWN 2025-02-25" for g in dossiers}
    assert blokkade == ("begeleiding", "VWN", "2025-01-31")


def test_a_blocked_gemeente_has_the_same_rows_in_marts_publiek_and_historie(gebouwd):
    from regie.publish import doel, meta

    _, settings, _ = gebouwd
    import duckdb

    con = duckdb.connect(str(doel(settings.warehouse)), read_only=True)
    try:
        for table, spec in meta.specs().items():
            if not spec.historie:
                continue
            g = spec.gemeente_kolom
            keys = [
                c
                for (c,) in con.execute(
                    "select column_name from information_schema.columns where table_schema = 'marts' "
                    "and table_name = ? and column_name <> 'peildatum' order by ordinal_position",
                    (table,),
                ).fetchall()
                if c not in spec.tellingen and c not in spec.afgeleid
            ]
            cols = ", ".join(keys)
            for gemeente in ("GM1916", "GM0626", "GM0579"):
                marts = con.execute(
                    f"select {cols} from marts.{table} where {g} = ? order by all", (gemeente,)
                ).fetchall()
                # a mart without a public copy (fct_signalen, fct_leveringen) is compared with historie only
                publiek = (
                    con.execute(
                        f"select {cols} from publiek.{table} where {g} = ? order by all", (gemeente,)
                    ).fetchall()
                    if spec.publiek
                    else marts
                )
                historie = con.execute(
                    f"select {cols} from historie.{table} where {g} = ? and peildatum = ? order by all",
                    (gemeente, NU),
                ).fetchall()
                assert marts == publiek == historie, (table, gemeente)
        # and the figures are those of the delivery in force: LV's two clean klanten of January
        assert con.execute(
            "select sum(aantal) from marts.fct_inburgeraars_instroom where woongemeente = 'GM1916'"
        ).fetchone() == (2,)
    finally:
        con.close()


def test_the_verdict_is_a_function_of_the_data(gebouwd, tmp_path):
    """Judged again (another run, as a rerun or a second run at the same time would): the same verdict."""
    root, _, _ = gebouwd
    params = _params(root, tmp_path)
    cols = "peildatum, bron, uitvoerder, leverdatum, levering, gemeentecode, controles, afgekeurd, in_kracht_leverdatum, besluit"
    blocking.judge({**params, "run_id": "a"})
    with connect(params["warehouse"], read_only=True) as wh:
        first = wh.query(f"select {cols} from audit.kwaliteit_blokkades order by all")
        judged = wh.query("select peildatum, path, versie from audit.kwaliteit_beoordelingen order by all")
    blocking.judge({**params, "run_id": "b"})
    with connect(params["warehouse"], read_only=True) as wh:
        assert wh.query(f"select {cols} from audit.kwaliteit_blokkades order by all") == first
        assert (
            wh.query("select peildatum, path, versie from audit.kwaliteit_beoordelingen order by all")
            == judged
        )
        # the verdict for a peildatum replaces the previous one; it does not pile up
        assert wh.query("select count(distinct run_id) from audit.kwaliteit_blokkades") == [(1,)]
    with connect(str(root / "wh.duckdb"), read_only=True) as wh:
        assert wh.query(f"select {cols} from audit.kwaliteit_blokkades order by all") == first


@pytest.mark.slow  # a dbt build of its own
def test_a_delivery_arriving_after_the_gate_waits_for_the_next_run(gebouwd, tmp_path, monkeypatch):
    """Staging only uses what the checks judged: a delivery loaded between the gate and dbt is not used."""
    root, _, _ = gebouwd
    params = {**_params(root, tmp_path, "ingested.duckdb"), "peildatum": "2025-02-26"}
    blocking.judge(params)  # the gate judges what is there on 26 February ...
    monkeypatch.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
    late = tmp_path / "late"
    write_landing(
        late, identify([p for p in personen() if p.gemeente == "GM0629"]), levering=D(2025, 2, 26), tvs=False
    )
    ingest(late, tmp_path / "home2", tmp_path / "wh.duckdb", run_id="laat")  # ... then this arrives
    result = transform.dbt_build(Settings.resolve(params), docs=False)
    assert result.ok, result.summary()
    with connect(params["warehouse"], read_only=True) as wh:
        gekozen = dict(
            wh.query(
                "select cast(leverdatum as varchar), count(*) from staging.stg_audit__bestanden "
                "where gekozen group by 1"
            )
        )
    assert "2025-02-26" not in gekozen and gekozen["2025-02-25"] > 0


def test_scorecard_and_mail_say_which_delivery_is_held_back(gebouwd, tmp_path, monkeypatch):
    from aiosmtpd.controller import Controller

    root, _, _ = gebouwd
    params = {**_params(root, tmp_path), "run_id": "r1"}
    tasks.check(params)
    text = scorecard_text(params["warehouse"], "r1")
    lv = text.split("GM1916 Leidschendam-Voorburg")[1].split("\n  GM")[0]
    assert (
        "! bron gemeente: levering van 25-02-2025 tegengehouden; de levering van 31-01-2025 blijft gelden"
        in lv
    )
    oeg = text.split("GM0579 Oegstgeest")[1].split("\n  GM")[0]
    assert "! bron duo: levering van 25-02-2025 tegengehouden" in oeg
    assert "! bron" not in text.split("GM0629 Wassenaar")[1].split("\n  GM")[0]

    box, port = Postbus(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", f"smtp://127.0.0.1:{port}")
        book = tmp_path / "c.yml"
        book.write_text("gemeenten:\n" + "".join(f"  {c}: [{a}]\n" for c, a in ADRES.items()))
        tasks.notify({**params, "contacten": str(book)}, "r1")
    finally:
        controller.stop()
    (lv_mail,) = box.voor(ADRES["GM1916"])
    assert "NIET BIJGEWERKT" in lv_mail.tekst
    assert (
        "Voorschoten (GM0626), de dossiers uit het klantvolgsysteem: levering van 25-02-2025 tegengehouden; "
        "de levering van 31-01-2025 blijft gelden (blokkerende controle: Datum na de leverdatum)."
    ) in " ".join(lv_mail.tekst.split())  # the mail wraps its lines
    (w,) = box.voor(ADRES["GM0629"])
    assert "NIET BIJGEWERKT" not in w.tekst


def test_a_person_duo_delivers_twice_is_taken_from_the_last_line_and_reported(gebouwd, tmp_path):
    root, settings, _ = gebouwd
    with connect(settings.warehouse, read_only=True) as wh:
        rows = wh.query(
            "select p.pip_leerroute, p.aantal_in_levering from staging.stg_duo__personen p "
            "join staging.stg_gemeente__dossiers d on d.persoon_id = p.persoon_id "
            "where d.klantnummer = 'F-duo_persoon_dubbel'"
        )
    assert rows == [("B1", 2)]  # the earlier line said Z-route; the last line counts
    params = {**_params(root, tmp_path), "run_id": "d"}
    tasks.check(params)
    with connect(params["warehouse"], read_only=True) as wh:
        found = wh.query(
            "select gemeentecode, klantnummer, ernst from audit.kwaliteit_bevindingen "
            "where run_id = 'd' and controle = 'duo_persoon_dubbel'"
        )
    assert found == [("GM0629", "F-duo_persoon_dubbel", "waarschuwing")]


@pytest.mark.slow  # a dbt build of its own
def test_no_verdict_for_a_peildatum_means_no_delivery_is_in_force(gebouwd, tmp_path):
    """dbt on its own, for a peildatum the checks never judged, builds nothing from unjudged data."""
    root, _, _ = gebouwd
    params = _params(root, tmp_path, "ingested.duckdb")
    settings = Settings.resolve(params)
    result = transform.dbt_build(dataclasses.replace(settings, peildatum="2025-02-10"), docs=False)
    assert result.ok, result.summary()
    with connect(params["warehouse"], read_only=True) as wh:
        assert wh.query("select count(*) from staging.stg_audit__bestanden where gekozen") == [(0,)]
        assert wh.query("select count(*) from marts.fct_inburgeraars_instroom") == [(0,)]


def test_peildatum_defaults_to_the_latest_delivery_and_refuses_one_before_the_first(gebouwd, tmp_path):
    from regie import peildatum

    root, _, _ = gebouwd
    params = _params(root, tmp_path, "ingested.duckdb")
    with connect(params["warehouse"], read_only=True) as wh:
        assert peildatum.voor_warehouse(wh, None) == peildatum.Peildatum("2025-02-25", "laatste levering")
        first, _ = peildatum.leverdata(wh)
        with pytest.raises(peildatum.PeildatumFout) as exc:
            peildatum.voor_warehouse(wh, "2020-01-01")
    assert str(exc.value).startswith(
        f"peildatum 2020-01-01 is before the first delivery ({first.isoformat()})"
    )
    settings = Settings.resolve({**params, "peildatum": "2020-01-01"})
    with pytest.raises(peildatum.PeildatumFout):
        transform.build(settings, docs=False)
    with connect(params["warehouse"], read_only=True) as wh:  # nothing changed
        assert wh.query(
            "select count(*) from information_schema.tables where table_schema in ('staging', 'marts') "
            "or table_name in ('werkstand', 'kwaliteit_blokkades')"
        ) == [(0,)]


def test_export_for_a_gemeente_without_postgresql(gebouwd, tmp_path):
    import duckdb

    from regie.publish import meta

    from conftest import run_regie

    _, settings, _ = gebouwd
    out = run_regie(
        "export", "--warehouse", settings.warehouse, "--gemeente", "GM1916", "--out", str(tmp_path / "lv.duckdb"),
        "--parquet", str(tmp_path / "pq"),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    specs = meta.specs()
    con = duckdb.connect(str(tmp_path / "lv.duckdb"), read_only=True)
    try:
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        assert len(tables) >= 25 and {s for s, _ in tables} == {"marts", "historie"}
        for schema, table in tables:
            spec = specs[table]
            got = {
                r[0]
                for r in con.execute(
                    f"select distinct {spec.gemeente_kolom} from {schema}.{table}"
                ).fetchall()
            }
            # LV executes inburgering for Voorschoten and Wassenaar; their housing and money stay theirs
            allowed = (
                {"GM1916", "GM0626", "GM0629"} if spec.domein in ("inburgering", "referentie") else {"GM1916"}
            )
            assert got <= allowed, (schema, table, got)
        assert (
            con.execute(
                "select count(*) from marts.fct_inburgeraars_instroom where woongemeente = 'GM0629'"
            ).fetchone()[0]
            > 0
        )
        assert con.execute(
            "select count(*) from marts.fct_huisvesting_doorlooptijd where gemeentecode <> 'GM1916'"
        ).fetchone() == (0,)
    finally:
        con.close()
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == sorted(
        f"{s}.{t}.parquet" for s, t in tables
    )

    unknown = run_regie(
        "export", "--warehouse", settings.warehouse, "--gemeente", "GM0001", "--out", str(tmp_path / "x")
    )
    assert unknown.returncode == 2 and "gemeente GM0001 is not in marts.dim_gemeente" in unknown.stderr
    nothing = run_regie(
        "export",
        "--warehouse",
        str(tmp_path / "leeg.duckdb"),
        "--gemeente",
        "GM1916",
        "--out",
        str(tmp_path / "y"),
    )
    assert nothing.returncode == 2 and "nothing has been published yet" in nothing.stderr


def test_a_difference_attack_on_every_published_table_recovers_nothing(gebouwd):
    import duckdb

    from regie.publish import doel, meta
    from regie.publish.onderdrukking import aanval

    _, settings, _ = gebouwd
    con = duckdb.connect(str(doel(settings.warehouse)), read_only=True)
    try:
        found = []
        for table, spec in meta.specs().items():
            if spec.publiek:
                found += aanval(
                    con.execute(f"select * from publiek.{table}").df(),
                    con.execute(f"select * from marts.{table}").df(),
                    spec,
                    5,
                )
    finally:
        con.close()
    assert found == []
