"""The work behind the ``quality`` DAG's tasks (and the transform's check gate).

Each function takes the DAG run's parameters as a plain dict, like
:mod:`regie.tasks`, so the DAG, ``regie run`` and the tests run the same code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

import pyarrow as pa

from ..config import Settings
from ..warehouse import connect, describe
from . import contacten as contacten_mod
from . import pagina, schema
from .catalogus import load_checks
from .gegevens import Gegevens, zorg_voor_tabellen
from .meldingen import compose
from .resultaten import Resultaat, save, tally
from .scorecard import scorecard_text
from .validation import validate
from .verzenden import GeenVerbinding, send, server

log = logging.getLogger("regie.quality")


def pagina_dir(settings: Settings):
    """Where regie's page of findings goes: ``<home>/quality/bevindingen.html``."""
    return settings.home / "quality"


def _run_id(settings: Settings, given: str | None = None) -> str:
    return settings.run_id or given or f"kwaliteit-{dt.datetime.now():%Y%m%dT%H%M%S}"


def check_tables(
    settings: Settings,
    run_id: str,
    *,
    alleen_ernst: str | None = None,
    bron: str = "auto",
) -> Resultaat:
    """Load the tables, run the checks (all, or those of one severity), count per gemeente."""
    controles = [c for c in load_checks() if alleen_ernst is None or c.ernst == alleen_ernst]
    started = dt.datetime.now().replace(microsecond=0)
    zorg_voor_tabellen(settings, bron)  # the kwaliteit models (dbt, before the warehouse is opened)
    with connect(settings.warehouse) as wh:
        g = Gegevens(wh, settings.peildatum, bron)
        uitkomsten = validate(controles, g, run_id)
        res = tally(uitkomsten, controles, g.peildatum, run_id, started)
        log.info(
            "%d checks on %s (peildatum %s; read from %s)",
            len(controles),
            describe(settings.warehouse),
            g.peildatum,
            ", ".join(sorted(set(g.gelezen_uit.values()))),
        )
    return res


def check(params: dict[str, Any], run_id: str | None = None) -> dict[str, Any]:
    """Run every check, store the counts and findings, and write the page of findings."""
    settings = Settings.resolve(params)
    run_id = _run_id(settings, run_id)
    res = check_tables(settings, run_id)
    with connect(settings.warehouse) as wh:
        save(wh, res)
        pagina_pad = pagina.write(wh, run_id, pagina_dir(settings))
    gemeenten = sorted({t.gemeentecode for t in res.tellingen if t.gemeentecode})
    blokkerend = sum(1 for b in res.bevindingen if b.ernst == "blokkerend")
    for gm in gemeenten:
        fails = [t for t in res.tellingen if t.gemeentecode == gm and t.afgekeurd]
        log.info(
            "%s: %d failed in %d checks",
            gm,
            sum(t.afgekeurd for t in fails),
            len(fails),
        )
    if res.fouten:
        log.error("could not run: %s", ", ".join(f"{k} ({v})" for k, v in res.fouten.items()))
    return {
        "run_id": run_id,
        "controles": len(res.controles),
        "gemeenten": len(gemeenten),
        "bevindingen": len(res.bevindingen),
        "blokkerend": blokkerend,
        "fouten": res.fouten,
        "pagina": str(pagina_pad),
    }


def notify(params: dict[str, Any], run_id: str) -> dict[str, Any]:
    """Mail every gemeente for which something changed since the last mail it received; record
    each mail in ``audit.meldingen`` as soon as it is sent.

    Recording each mail at once (not all at the end) is what makes a run killed while mailing
    safe to run again: the mails already sent are the gemeenten' last mails, so the rerun
    sends only the rest. A mail server that is down is recorded, not raised: the checks'
    results are safe in the warehouse and the next run mails again.
    """
    settings = Settings.resolve(params)
    path = contacten_mod.pad(params.get("contacten"))
    book = contacten_mod.laad(path)  # a broken contacts file is a configuration error: raise
    if path is None:
        log.info("no contacts file (--contacten or %s): no mail is sent", contacten_mod.ENV)
    with connect(settings.warehouse) as wh:
        schema.ensure(wh)
        uitvoering = contacten_mod.uitvoering(wh, settings.peildatum or dt.date.today().isoformat())
        meldingen, stil = compose(wh, run_id, book, uitvoering, rapporten=settings.home / "monitor")
    smtp = None
    smtp_fout = None
    if any(m.aan for m in meldingen):
        try:
            smtp = server()
        except GeenVerbinding as exc:
            smtp_fout = str(exc)
            log.error("%s: the mails are recorded as undelivered", exc)
    totals = {"verzonden": 0, "niet_afgeleverd": 0, "geen_adres": 0, "geen_melding": len(stil)}
    for m in meldingen:
        if not m.aan:
            status, pogingen, fout = "geen_adres", 0, f"geen adres voor {m.ontvanger} in het contactenbestand"
        elif smtp is None:
            status, pogingen, fout = "niet_afgeleverd", 0, smtp_fout
        else:
            result = send(
                bericht(m, book.afzender or smtp.afzender or "regie <regie@localhost>", run_id), smtp
            )
            status, pogingen, fout = result.status, result.pogingen, result.fout
            if status == "niet_afgeleverd" and result.onbereikbaar:
                # the server is down: one attempt each for the rest, not the full series of retries
                smtp = dataclasses.replace(smtp, pogingen=1)
        totals[status] += 1
        log.info("mail to %s (%d findings): %s", m.ontvanger, m.bevindingen, status)
        _record(settings.warehouse, run_id, m, status, pogingen, fout)
    return totals


def bericht(m, afzender: str, run_id: str):
    """A composed mail as the SMTP provider gets it: text and HTML, the CSV, Reply-To, and a
    Message-ID that is the same when the same run mails the same content again."""
    import re

    from .verzenden import Bericht

    domein = afzender.rsplit("@", 1)[-1].strip("> ") or "regie.local"
    headers = [
        (
            "Message-ID",
            f"<regie.{m.ontvanger}.{re.sub(r'[^A-Za-z0-9.-]', '-', run_id)}.{m.vingerafdruk[:16]}@{domein}>",
        ),
        ("Auto-Submitted", "auto-generated"),
    ]
    if m.antwoord_aan:
        headers.append(("Reply-To", m.antwoord_aan))
    bijlagen = [(m.bijlage_naam, m.bijlage)]
    if m.rapport is not None:
        bijlagen.append((m.rapport.name, m.rapport.read_bytes()))
    return Bericht(m.aan, m.onderwerp, m.tekst, m.html, afzender, tuple(bijlagen), tuple(headers))


def _record(warehouse: str, run_id: str, m, status: str, pogingen: int, fout: str | None) -> None:
    """One row of audit.meldingen, committed at once."""
    import json

    now = dt.datetime.now()  # to the microsecond: the last mail of a gemeente is the latest row
    with connect(warehouse) as wh:
        wh.insert_arrow(
            schema.MELDINGEN.qualified,
            pa.table(
                {
                    "run_id": pa.array([run_id], pa.string()),
                    "gemeentecode": pa.array([m.ontvanger], pa.string()),
                    "aan": pa.array([", ".join(m.aan) or None], pa.string()),
                    "onderwerp": pa.array([m.onderwerp], pa.string()),
                    "status": pa.array([status], pa.string()),
                    "pogingen": pa.array([pogingen], pa.int32()),
                    "fout": pa.array([fout], pa.string()),
                    "bevindingen": pa.array([m.bevindingen], pa.int64()),
                    "gemeenten": pa.array([", ".join(m.gemeenten)], pa.string()),
                    "verwerkt_op": pa.array([now], pa.timestamp("us")),
                    "vingerafdruk": pa.array([m.vingerafdruk], pa.string()),
                    "signalen": pa.array(
                        [json.dumps([s.titel or s.toelichting for s in m.signalen], ensure_ascii=False)],
                        pa.string(),
                    ),
                    "peildatum": pa.array([m.peildatum], pa.date32()),
                    "rapport": pa.array(
                        [m.rapport.name if m.rapport and status == "verzonden" else None], pa.string()
                    ),
                }
            ),
        )


def scorecard(params: dict[str, Any], run_id: str) -> str:
    """The scorecard into the task log (``regie run`` prints it once, at the end)."""
    settings = Settings.resolve(params)
    text = scorecard_text(settings.warehouse, run_id)
    task_log = logging.getLogger("airflow.task")  # the task's log file, not regie's terminal progress
    for line in text.splitlines():
        task_log.info("%s", line)
    return text


def run(params: dict[str, Any], run_id: str | None = None) -> dict[str, Any]:
    """All three steps, as the DAG runs them, in one call (for scripts and tests)."""
    uitslag = check(params, run_id)
    uitslag["meldingen"] = notify(params, uitslag["run_id"])
    return uitslag
