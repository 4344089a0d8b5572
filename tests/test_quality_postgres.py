"""The same checks, the blocking verdict and mails on a PostgreSQL warehouse."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller

from regie.quality import blocking, scorecard_text, tasks
from regie.quality.resultaten import bevindingen
from regie.warehouse import connect

from quality_support import ADRES, PEILDATUM, Postbus, free_port, ingest, scenario

pytestmark = pytest.mark.postgres


def test_checks_blocking_and_mail_on_postgres(tmp_path, pg_url, key_env, monkeypatch):
    sc = scenario(tmp_path / "landing")
    ingest(tmp_path / "landing", tmp_path / "home", pg_url)
    params = {"warehouse": pg_url, "home": str(tmp_path / "home"), "peildatum": PEILDATUM, "run_id": "pg"}

    verdict = blocking.judge(params)
    assert {(b["levering"], b["gemeentecode"]) for b in verdict["blokkades"]} == {
        ("begeleiding/VWN/2025-02-25", "GM0579"),
        ("duo/2025-02-25", "GM0579"),
        ("gemeente/GM0546/2025-02-25", "GM0546"),
        ("gemeente/GM1916/2025-02-25", "GM0626"),
        ("gemeente/GM1916/2025-02-25", "GM1916"),
    }
    with connect(pg_url) as wh:
        assert wh.query(
            "select count(*) from audit.kwaliteit_blokkades where peildatum = ?", (PEILDATUM,)
        ) == [(5,)]

    tasks.check(params)
    with connect(pg_url) as wh:
        found = bevindingen(wh, "pg")
    for check, want in sc.moet_vuren.items():
        sel = found[found["controle"] == check]
        got = {
            (g if isinstance(g, str) else None, k)
            for g, k in zip(sel["gemeentecode"], sel["sleutel"], strict=True)
        }
        assert got == want, check
    assert "GM1916 Leidschendam-Voorburg" in scorecard_text(pg_url, "pg")

    box, port = Postbus(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", f"smtp://127.0.0.1:{port}")
        book = tmp_path / "c.yml"
        book.write_text("gemeenten:\n" + "".join(f"  {c}: [{a}]\n" for c, a in ADRES.items()))
        assert tasks.notify({**params, "contacten": str(book)}, "pg")["verzonden"] == 5
        assert {r["gemeentecode"] for r in box.voor(ADRES["GM0626"])[0].rijen()} == {"GM0626"}
        # nothing new: no mail; a signal for Voorschoten in the work area's fct_signalen: one mail
        assert tasks.notify({**params, "contacten": str(book)}, "pg")["verzonden"] == 0
        with connect(pg_url) as wh:
            wh.execute("create schema if not exists marts__werk")
            wh.execute(
                "create table marts__werk.fct_signalen as select 'GM0626'::varchar as gemeentecode, "
                "date '2025-02-25' as peildatum, 'pip_termijn_verstreken'::varchar as signaal, "
                "'urgent'::varchar as ernst, 3::numeric as waarde, 0::numeric as drempel, "
                "date '2025-01-01' as sinds, '3 inburgeraars zonder PIP.'::varchar as toelichting, "
                "'Inburgeraars zonder PIP na de wettelijke termijn'::varchar as titel"
            )
        assert tasks.notify({**params, "contacten": str(book)}, "pg")["verzonden"] == 1
    finally:
        controller.stop()
    assert [m.aan for m in box.berichten[5:]] == [[ADRES["GM0626"]]]
    text = " ".join(box.berichten[5].tekst.split())  # the mail wraps its lines
    assert "Urgent: Inburgeraars zonder PIP na de wettelijke termijn (sinds 01-01-2025)" in text
