"""The same checks, the blocking verdict and mails on a PostgreSQL warehouse."""

from __future__ import annotations

import pytest
from aiosmtpd.controller import Controller

from regie.quality import poort, scorecard_text, tasks
from regie.quality.resultaten import bevindingen
from regie.warehouse import connect

from quality_support import ADRES, PEILDATUM, Postbus, free_port, ingest, scenario

pytestmark = pytest.mark.postgres


def test_checks_blocking_and_mail_on_postgres(tmp_path, pg_url, key_env, monkeypatch):
    sc = scenario(tmp_path / "landing")
    ingest(tmp_path / "landing", tmp_path / "home", pg_url)
    params = {"warehouse": pg_url, "home": str(tmp_path / "home"), "peildatum": PEILDATUM, "run_id": "pg"}

    verdict = poort.beoordeel(params)
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

    tasks.controleer(params)
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
        assert tasks.meld({**params, "contacten": str(book)}, "pg")["verzonden"] == 5
    finally:
        controller.stop()
    assert {r["gemeentecode"] for r in box.voor(ADRES["GM0626"])[0].rijen()} == {"GM0626"}
