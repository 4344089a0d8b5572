"""The signals and the monitor reports, on the sample data of the reference run.

A report is looked at as a reader would: its HTML rendered by headless Chromium in a
network namespace without any network (and Chromium's own network log must show no
request from the page), its figures compared cell by cell with the published marts
and publiek, its PDF turned into page images (pdftoppm) and text (pdftotext).
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from browser_support import chromium

from conftest import REFERENCE_PEILDATUM, run_regie

# every test reads the session's end-to-end run through Airflow (conftest.reference_run)
pytestmark = pytest.mark.slow

GEMEENTEN = {
    "GM1916": "Leidschendam-Voorburg",
    "GM0626": "Voorschoten",
    "GM0629": "Wassenaar",
    "GM0579": "Oegstgeest",
    "GM0546": "Leiden",
}

#: The signals the sample data gives at the reference peildatum, worked out by hand from the
#: marts (see the comments): (gemeente, signaal, ernst, waarde, sinds).
SIGNALEN = [
    # Leiden: COA's opening balance 100 (2024-I) -> 140 (2024-II), rising every half year since 2022-I
    ("GM0546", "achterstand_gestegen", "let_op", 40, "2022-01-01"),
    # the provincie's decision of 6 May 2024: from none to trede 1
    ("GM0546", "interventieladder_hoger", "urgent", 1, "2024-05-06"),
    # the planted MB trajectory beyond 548 days (one per gemeente; Voorschoten also the open one)
    ("GM0546", "mb_langer_dan_termijn", "let_op", 1, REFERENCE_PEILDATUM),
    # sum of zonder_pip_termijn_verstreken over all BRP years; first publication: since the peildatum
    ("GM0546", "pip_termijn_verstreken", "urgent", 28, REFERENCE_PEILDATUM),
    # 2024-II: 48 by the pace (72 x 4 / 6), 46 housed; behind every half year since 2021-II
    ("GM0546", "realisatie_achter_op_tempo", "let_op", 2, "2021-07-01"),
    ("GM0579", "achterstand_gestegen", "let_op", 5, "2023-07-01"),
    ("GM0579", "interventieladder_hoger", "urgent", 1, "2024-09-02"),
    ("GM0579", "mb_langer_dan_termijn", "let_op", 1, REFERENCE_PEILDATUM),
    ("GM0579", "pip_termijn_verstreken", "urgent", 2, REFERENCE_PEILDATUM),
    ("GM0579", "termijn_eindigt_zonder_resultaat", "urgent", 10, REFERENCE_PEILDATUM),
    # Voorschoten: 32 -> 34; trede 3 -> 4 on 13 January 2025 (the report's date)
    ("GM0626", "achterstand_gestegen", "let_op", 2, "2023-07-01"),
    ("GM0626", "interventieladder_hoger", "urgent", 1, "2025-01-13"),
    # one MB trajectory ended late, one open since 2022, and one ontzorgen trajectory beyond 183 days
    ("GM0626", "mb_langer_dan_termijn", "let_op", 3, REFERENCE_PEILDATUM),
    ("GM0626", "pip_termijn_verstreken", "urgent", 20, REFERENCE_PEILDATUM),
    ("GM0626", "termijn_eindigt_zonder_resultaat", "urgent", 5, REFERENCE_PEILDATUM),
    # Wassenaar: -3 -> 13; trede 1 -> 2a on 15 January 2025; 6 housed of 18 by the pace
    ("GM0629", "achterstand_gestegen", "let_op", 16, "2023-07-01"),
    ("GM0629", "interventieladder_hoger", "urgent", 1, "2025-01-15"),
    ("GM0629", "mb_langer_dan_termijn", "let_op", 2, REFERENCE_PEILDATUM),
    ("GM0629", "pip_termijn_verstreken", "urgent", 7, REFERENCE_PEILDATUM),
    ("GM0629", "realisatie_achter_op_tempo", "let_op", 12, "2023-01-01"),
    ("GM0629", "termijn_eindigt_zonder_resultaat", "urgent", 14, REFERENCE_PEILDATUM),
    ("GM1916", "achterstand_gestegen", "let_op", 44, "2023-07-01"),
    ("GM1916", "interventieladder_hoger", "urgent", 1, "2025-01-15"),
    ("GM1916", "mb_langer_dan_termijn", "let_op", 2, REFERENCE_PEILDATUM),
    ("GM1916", "pip_termijn_verstreken", "urgent", 64, REFERENCE_PEILDATUM),
    ("GM1916", "realisatie_achter_op_tempo", "let_op", 20, "2023-01-01"),
    ("GM1916", "termijn_eindigt_zonder_resultaat", "urgent", 56, REFERENCE_PEILDATUM),
]


def _published(reference_run) -> Path:
    return reference_run["warehouse"].with_name("regie_publicatie.duckdb")


def _q(reference_run, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(_published(reference_run)), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# --- the signals ---------------------------------------------------------------------------


def test_signalen_on_the_sample_data(reference_run):
    rows = _q(
        reference_run,
        "select gemeentecode, signaal, ernst, waarde, cast(sinds as varchar), cast(peildatum as varchar) "
        "from marts.fct_signalen order by 1, 2",
    )
    assert [(g, s, e, float(w), d) for g, s, e, w, d, _ in rows] == [
        (g, s, e, float(w), d) for g, s, e, w, d in SIGNALEN
    ]
    assert {p for *_, p in rows} == {REFERENCE_PEILDATUM}


def test_signalen_agree_with_the_marts_they_measure(reference_run):
    """Each waarde is what its mart says, and the texts are the seed's with the numbers filled in."""
    sig = {
        (g, s): (float(w), float(d), t)
        for g, s, w, d, t in _q(
            reference_run,
            "select gemeentecode, signaal, waarde, drempel, toelichting from marts.fct_signalen",
        )
    }
    pip = dict(
        _q(
            reference_run,
            "select woongemeente, sum(zonder_pip_termijn_verstreken) from marts.fct_pip_tijdigheid group by 1",
        )
    )
    for g, n in pip.items():
        if n > 0:
            assert sig[(g, "pip_termijn_verstreken")][0] == n
            assert sig[(g, "pip_termijn_verstreken")][2] == (
                f"{n} inburgeraars hebben meer dan tien weken na inschrijving in de BRP nog geen PIP."
            )
    halfjaren = _q(
        reference_run,
        "select gemeentecode, jaar, halfjaar, stand_begin, gerealiseerd, volgens_tempo, taakstelling, maanden_verstreken "
        "from marts.fct_taakstelling_halfjaar order by 1, 2, 3",
    )
    per = {}
    for row in halfjaren:
        per.setdefault(row[0], []).append(row)
    for g, rijen in per.items():
        nu, vorig = rijen[-1], rijen[-2]
        stijging = nu[3] - vorig[3]
        assert ((g, "achterstand_gestegen") in sig) == (stijging > 0)
        if stijging > 0:
            assert sig[(g, "achterstand_gestegen")][0] == stijging
        # the pace: a sixth of the taakstelling per whole month elapsed
        assert nu[5] == math.floor(nu[6] * nu[7] / 6)
        tekort = nu[5] - nu[4]
        assert ((g, "realisatie_achter_op_tempo") in sig) == (tekort > 0)
    # maatschappelijke begeleiding beyond its term, and termijnen ending without resultaat
    for signaal, sql in (
        ("mb_langer_dan_termijn",
         "select gemeentecode, sum(langer_dan_termijn) from marts.fct_maatschappelijke_begeleiding group by 1"),
        ("termijn_eindigt_zonder_resultaat",
         "select woongemeente, sum(eindigt_binnen_6_maanden_zonder_resultaat) from marts.fct_inburgeringstermijn "
         "group by 1"),
    ):  # fmt: skip
        gemeten = {g: n for g, n in _q(reference_run, sql) if n > 0}
        assert gemeten, signaal  # the sample data makes both fire somewhere
        assert {g: w for (g, s), (w, _, _) in sig.items() if s == signaal} == gemeten
    assert not any(s == "spuk_terugbetaling" for _, s in sig)  # no gemeente pays back in the sample
    assert _q(reference_run, "select max(terug_te_betalen) from marts.fct_spuk")[0][0] == 0


def test_signalen_rules_are_configuration(reference_run):
    """Every signal comes from a seed row; the seed's texts carry no code names."""
    import csv

    from conftest import ROOT

    with open(ROOT / "dbt_project" / "seeds" / "ref_signaalregels.csv", encoding="utf-8") as fh:
        regels = {r["signaal"]: r for r in csv.DictReader(fh)}
    for _g, s, e, t, titel in _q(
        reference_run, "select gemeentecode, signaal, ernst, toelichting, titel from marts.fct_signalen"
    ):
        assert e == regels[s]["ernst"] and titel == regels[s]["titel"]
        assert "{" not in t and "_" not in t, t


def test_sinds_carries_over_from_the_previous_publication(reference_run, tmp_path):
    """A signal without dates of its own (PIPs overdue) that fired at the previous published
    peildatum keeps that sinds: rebuilt a week later on a copy, it says 25 February, not 4 March."""
    from regie import transform
    from regie.config import Settings
    from regie.warehouse import connect

    work = tmp_path / "wh" / "regie.duckdb"
    work.parent.mkdir()
    shutil.copy2(reference_run["warehouse"], work)
    settings = Settings.resolve(
        {"warehouse": str(work), "home": str(tmp_path / "home"), "peildatum": "2025-03-04"}
    )
    result = transform.dbt_build(settings, select="fct_signalen", docs=False)
    assert result.ok, result.summary()
    with connect(str(work), read_only=True) as wh:
        rows = wh.query(
            "select gemeentecode, cast(sinds as varchar), cast(peildatum as varchar) from marts.fct_signalen "
            "where signaal = 'pip_termijn_verstreken' order by 1"
        )
    assert rows == [
        (g, REFERENCE_PEILDATUM, "2025-03-04") for g in ("GM0546", "GM0579", "GM0626", "GM0629", "GM1916")
    ]


# --- the reports ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reports(reference_run, tmp_path_factory):
    """`regie monitor` for every gemeente of the sample, as a user runs it."""
    out = tmp_path_factory.mktemp("monitor")
    paths = {}
    for code in GEMEENTEN:
        result = run_regie(
            "monitor", "--gemeente", code, "--out", str(out),
            "--warehouse", str(reference_run["warehouse"]), "--home", str(reference_run["home"]),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        html = out / f"{code}_{REFERENCE_PEILDATUM}.html"
        pdf = out / f"{code}_{REFERENCE_PEILDATUM}.pdf"
        assert (
            result.stdout.strip() == f"monitor {code} {GEMEENTEN[code]} ({REFERENCE_PEILDATUM}): {html} {pdf}"
        )
        paths[code] = (html, pdf)
    return paths


class _Tabellen(HTMLParser):
    """The report's tables: per <table data-mart> its header keys and rows of (gemeente, {kolom: text})."""

    def __init__(self) -> None:
        super().__init__()
        self.tabellen: list[dict] = []
        self._tabel = None
        self._rij = None
        self._kolom = None
        self._getal = False
        self._tekst: list[str] = []
        self.signalen = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-mart" in a:
            self._tabel = {"mart": a["data-mart"], "rijen": []}
            self.tabellen.append(self._tabel)
        elif tag == "tr" and self._tabel is not None and "data-gemeente" in a:
            self._rij = (a["data-gemeente"], {})
            self._tabel["rijen"].append(self._rij)
        elif tag == "td" and self._rij is not None:
            self._kolom = a.get("data-kolom")
            self._getal = "getal" in (a.get("class") or "").split()
            self._tekst = []
        elif tag == "div" and "data-signaal" in a:
            self.signalen += 1

    def handle_endtag(self, tag):
        if tag == "td" and self._rij is not None and self._kolom:
            # (text, is a number): a number is compared with the mart, the rest identifies the row
            self._rij[1][self._kolom] = ("".join(self._tekst).strip(), self._getal)
            self._kolom = None
        elif tag == "tr":
            self._rij = None
        elif tag == "table":
            self._tabel = None

    def handle_data(self, data):
        if self._kolom:
            self._tekst.append(data)


def _getal(text: str):
    if text in ("I", "II"):
        return 1 if text == "I" else 2
    if re.fullmatch(r"-?[\d.]+(,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    return text


def _zelfde(shown, value) -> bool:
    if value is None or str(value) == "<NA>" or (isinstance(value, float) and math.isnan(value)):
        return shown == ""  # a null cell (e.g. bereikt_800_uur of gezinsmigranten) is shown empty
    if isinstance(shown, float):
        return abs(shown - float(value)) < 0.0051
    return str(shown) == str(value) or (isinstance(shown, int) and shown == value)


@pytest.fixture(scope="module")
def rendered(reports, tmp_path_factory):
    """Every report's HTML as Chromium renders it (the DOM after loading), and its requests."""
    work = tmp_path_factory.mktemp("chromium")
    out = {}
    for code, (html, _) in reports.items():
        result, requests = chromium(html, work / code, "--dump-dom")
        parser = _Tabellen()
        parser.feed(result.stdout)
        out[code] = {
            "dom": result.stdout,
            "requests": requests,
            "tabellen": parser.tabellen,
            "signalen": parser.signalen,
        }
    return out


def test_chromium_sees_external_requests():
    """The check below would notice a page that fetches anything (a CDN, an image)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "extern.html"
        page.write_text(
            '<html><body><h1>x</h1><img src="https://cdn.example.org/a.png">'
            '<link rel="stylesheet" href="http://cdn.example.org/b.css"></body></html>',
            encoding="utf-8",
        )
        _, requests = chromium(page, Path(tmp) / "work", "--dump-dom")
    assert sorted(requests) == ["http://cdn.example.org/b.css", "https://cdn.example.org/a.png"]


def test_reports_render_in_chromium_without_any_request(reports, rendered, tmp_path):
    for code, naam in GEMEENTEN.items():
        r = rendered[code]
        assert r["requests"] == [], (code, r["requests"])
        assert "<h1>Monitor inburgering en huisvesting statushouders</h1>" in r["dom"]
        assert f"<strong>{naam}</strong> ({code}) · peildatum 25 februari 2025" in r["dom"]
        assert r["dom"].count("<svg") >= 3  # the charts are inline
        html = reports[code][0].read_text(encoding="utf-8")
        assert not re.search(r"(src|href)\s*=\s*[\"'](?!#|data:)", html), "a reference to another file"
        assert "http://" not in html.replace("http://www.w3.org/", "") and "https://" not in html
        assert ">nan<" not in html and ">None<" not in html
    # and it shows something: a screenshot is not a blank page
    result, requests = chromium(reports["GM0626"][0], tmp_path / "shot", f"--screenshot={tmp_path / 'p.png'}",
                                "--window-size=1200,1600")  # fmt: skip
    assert requests == []
    from PIL import Image

    image = Image.open(tmp_path / "p.png").convert("L")
    colours = image.getcolors(maxcolors=1 << 16) or []
    assert len(colours) > 20 and image.size == (1200, 1600)


def test_signals_in_the_report_are_the_marts(rendered):
    for code in GEMEENTEN:
        verwacht = [s for s in SIGNALEN if s[0] == code]
        assert rendered[code]["signalen"] == len(verwacht)
    dom = rendered["GM0629"]["dom"]
    assert "De achterstand op de taakstelling is 16 hoger dan een half jaar eerder (van -3 naar 13)." in dom
    assert "Sinds 15 januari 2025 · waarde 1" in dom
    # Oegstgeest: 2 persons without a PIP is a small count: the report does not show it
    dom = rendered["GM0579"]["dom"]
    assert "Inburgeraars zonder PIP na de wettelijke termijn" in dom
    assert "Het aantal is kleiner dan 5 en wordt daarom niet getoond." in dom
    assert "2 inburgeraars hebben" not in dom


def test_report_figures_equal_the_marts_and_hide_what_publiek_hides(reference_run, rendered):
    con = duckdb.connect(str(_published(reference_run)), read_only=True)
    try:
        openbaar = {
            t for (t,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'publiek'"
            ).fetchall()
        }  # fmt: skip
        checked = 0
        for code in GEMEENTEN:
            for tabel in rendered[code]["tabellen"]:
                mart = tabel["mart"]
                if mart == "fct_registratiekwaliteit" or not tabel["rijen"]:
                    continue
                schema, name = mart.split(".") if "." in mart else ("marts", mart)
                frame = con.sql(f"select * from {schema}.{name}").df()
                publiek = con.sql(f"select * from publiek.{name}").df() if name in openbaar else None
                kolom = "woongemeente" if "woongemeente" in frame.columns else "gemeentecode"
                for gemeente, cellen in tabel["rijen"]:
                    rows = frame[frame[kolom] == gemeente]
                    pub = publiek[publiek[kolom] == gemeente] if publiek is not None else None
                    if name == "fct_leveringen":
                        continue
                    shown = {k: (_getal(t) if n else t) for k, (t, n) in cellen.items() if k in frame.columns}
                    sleutel = {
                        k: (1 if t == "I" else 2 if t == "II" else t)
                        for k, (t, n) in cellen.items()
                        if k in frame.columns
                        and not n
                        and k != kolom
                        and not str(frame[k].dtype).startswith("datetime")
                    }
                    shown = {k: v for k, v in shown.items() if k not in sleutel and cellen[k][1]}
                    match = rows
                    for k, v in sleutel.items():
                        match = match[[_zelfde(v, x) for x in match[k]]]
                    assert len(match) == 1, (code, mart, cellen)
                    row = match.iloc[0]
                    for k, v in shown.items():
                        if v == "*":
                            # hidden exactly where publiek hides it (same rows, same rule)
                            assert pub is not None, (mart, k)
                            pm = pub
                            for kk, vv in sleutel.items():
                                if kk in pm.columns:
                                    pm = pm[[_zelfde(vv, x) for x in pm[kk]]]
                            assert len(pm) == 1 and (pm.iloc[0][k] is None or pd_isna(pm.iloc[0][k])), (
                                code,
                                mart,
                                k,
                            )
                        else:
                            assert _zelfde(v, row[k]), (code, mart, k, v, row[k])
                            if pub is not None and k in pub.columns and schema == "marts":
                                pm = pub
                                for kk, vv in sleutel.items():
                                    if kk in pm.columns:
                                        pm = pm[[_zelfde(vv, x) for x in pm[kk]]]
                                assert not pd_isna(pm.iloc[0][k]) or pd_isna(row[k]), (
                                    code,
                                    mart,
                                    k,
                                    "shown but hidden in publiek",
                                )
                        checked += 1
    finally:
        con.close()
    assert checked > 500


def pd_isna(v) -> bool:
    import pandas as pd

    return v is None or bool(pd.isna(v))


def test_a_commissioning_gemeente_reads_only_its_own_rows(rendered):
    """Voorschoten (executed by Leidschendam-Voorburg): no row of another gemeente, except the public
    comparison; Leidschendam-Voorburg sees its opdrachtgevers' inburgering rows, never their housing,
    money or signals."""
    for code in ("GM0626", "GM0629", "GM0579"):
        for tabel in rendered[code]["tabellen"]:
            andere = {g for g, _ in tabel["rijen"] if g != code}
            if tabel["mart"].startswith("publiek."):
                assert andere  # the regional comparison names the other gemeenten, from publiek
                continue
            assert andere == set(), (code, tabel["mart"], andere)
    lv = rendered["GM1916"]["tabellen"]
    gezien = {(t["mart"], g) for t in lv for g, _ in t["rijen"] if not t["mart"].startswith("publiek.")}
    anderen = {(m, g) for m, g in gezien if g != "GM1916"}
    assert {g for _, g in anderen} == {"GM0626", "GM0629"}
    assert {m for m, _ in anderen} <= {"fct_pip_tijdigheid", "fct_leerroute_stand"}


def test_pdf_has_pages_with_the_figures(reports, tmp_path):
    for code, naam in GEMEENTEN.items():
        pdf = reports[code][1]
        pages = tmp_path / code
        pages.mkdir()
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(pages / "p")], check=True, timeout=120)
        images = sorted(pages.glob("p-*.png"))
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert len(images) == n and 4 <= n <= 20, (code, n)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        text = " ".join(text.split())
        assert "Monitor inburgering en huisvesting statushouders" in text
        assert f"{naam} ({code}) · peildatum 25 februari 2025" in text
        assert f"pagina 1 van {n}" in text and f"pagina {n} van {n}" in text
        for section in ("1. Signalen", "2. Taakstelling huisvesting statushouders", "Tijdigheid PIP",
                        "Kwaliteit van de registratie", "Leveringen"):  # fmt: skip
            assert section in text, (code, section)
        assert "Bronnen: COA (TVS), taakstelling: geleverd 31 oktober 2024" in text
        assert "coa_tvs taakstelling landelijk 31 oktober 2024" in text  # the deliveries it rests on
    # the signal texts and a figure from the marts reach the PDF
    text = subprocess.run(
        ["pdftotext", str(reports["GM0629"][1]), "-"], capture_output=True, text=True
    ).stdout
    assert "De provincie heeft de interventieladder verhoogd" in text
    assert "trede 2a sinds 2025-01-15, was trede 1" in " ".join(text.split())


def test_monitor_refuses_what_it_cannot_report(reference_run, tmp_path):
    base = ("--out", str(tmp_path), "--warehouse", str(reference_run["warehouse"]))
    unknown = run_regie("monitor", "--gemeente", "GM9999", *base)
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "regie monitor: gemeente GM9999 is not in marts.dim_gemeente"
    never = run_regie("monitor", "--gemeente", "GM0626", "--peildatum", "2024-01-01", *base)
    assert never.returncode == 2
    assert never.stderr.strip() == (
        "regie monitor: peildatum 2024-01-01 was never published (published: 2025-02-25); "
        "give one of these, or none for the latest"
    )
    nothing = run_regie("monitor", "--gemeente", "GM0626", "--out", str(tmp_path), "--warehouse",
                        str(tmp_path / "leeg" / "regie.duckdb"))  # fmt: skip
    assert nothing.returncode == 2 and "nothing has been published yet" in nothing.stderr
    assert list(tmp_path.glob("*.html")) == []


_RUN = r"""
import json, sys
from regie.config import Settings
from regie.runner import run_dags
settings = Settings.resolve(json.loads(sys.argv[1]))
report = run_dags(settings, ("monitor",))
print(json.dumps({"dags": [[d.dag_id, d.state, d.failed_tasks] for d in report.dags]}))
"""


@pytest.mark.slow
def test_monitor_dag_writes_every_gemeentes_report(reference_run, tmp_path):
    """The DAG as a scheduler runs it after a publication (here in-process, as `regie run` does)."""
    import sys

    from conftest import ROOT, regie_env

    # a copy: the reference run is read-only; the DAG's Airflow metadata goes under the copy's home
    wh = tmp_path / "wh"
    wh.mkdir()
    for f in reference_run["warehouse"].parent.iterdir():
        if f.suffix == ".duckdb":
            shutil.copy2(f, wh / f.name)
    given = {
        "home": str(tmp_path / "home"),
        "warehouse": str(wh / "regie.duckdb"),
        "peildatum": REFERENCE_PEILDATUM,
    }
    out = subprocess.run(
        [sys.executable, "-c", _RUN, json.dumps(given)], env=regie_env(), capture_output=True, text=True,
        timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1])["dags"] == [["monitor", "success", []]]
    folder = tmp_path / "home" / "monitor" / REFERENCE_PEILDATUM
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{code}_{REFERENCE_PEILDATUM}.{ext}" for code in GEMEENTEN for ext in ("html", "pdf")
    )
