"""Sending the mails over SMTP, with the Airflow connection ``smtp_default``.

The connection is read the Airflow way (``AIRFLOW_CONN_SMTP_DEFAULT``, a
secrets backend or the metadata database), so ``smtp://127.0.0.1:2525`` in
the environment is enough. What regie reads from it: host, port, login and
password, and these extras (the names of Airflow's SMTP provider):

- ``from_email``: the sender when the contacts file names none;
- ``disable_ssl`` / ``disable_tls``: regie uses implicit TLS only on port 465
  or when ``disable_ssl`` is explicitly false, and STARTTLS whenever the
  server offers it and ``disable_tls`` is not true (the provider's own
  default, SSL on every port, would refuse a plain ``smtp://host:2525``);
- ``timeout`` (seconds, default 30), ``retry_limit`` (attempts, default 3)
  and ``retry_delay`` (seconds before the first retry, doubling, default 5).

A server that is down never fails the pipeline: a mail is tried
``retry_limit`` times and then recorded as ``niet_afgeleverd`` in
``audit.meldingen``; once the server proved unreachable, the remaining mails
of the run get one attempt each. A later run mails again (there is still
something to say).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage

log = logging.getLogger("regie.quality")

CONN_ID = "smtp_default"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    login: str | None
    password: str | None
    afzender: str | None
    ssl: bool
    tls: bool  # use STARTTLS when offered
    timeout: float
    pogingen: int
    wachttijd: float


@dataclass(frozen=True)
class Aflevering:
    status: str  # verzonden | niet_afgeleverd
    pogingen: int
    fout: str | None = None
    onbereikbaar: bool = False  # no connection at all (refused, unreachable, timeout)


class GeenVerbinding(RuntimeError):
    """The Airflow connection is not configured."""


def _flag(extra: dict, name: str) -> bool | None:
    if name not in extra:
        return None
    v = extra[name]
    return v if isinstance(v, bool) else str(v).strip().lower() in ("1", "true", "yes", "ja", "on")


def server(conn_id: str = CONN_ID) -> Server:
    from airflow.sdk import BaseHook

    try:
        conn = BaseHook.get_connection(conn_id)
    except Exception as exc:  # AirflowNotFoundException and friends
        raise GeenVerbinding(f"Airflow-verbinding {conn_id} ontbreekt ({type(exc).__name__})") from None
    extra = conn.extra_dejson or {}
    port = int(conn.port or 25)
    disable_ssl = _flag(extra, "disable_ssl")
    use_ssl = port == 465 or disable_ssl is False
    return Server(
        host=conn.host or "localhost",
        port=port,
        login=conn.login or None,
        password=conn.password or None,
        afzender=extra.get("from_email"),
        ssl=use_ssl,
        tls=not bool(_flag(extra, "disable_tls")),
        timeout=float(extra.get("timeout", 30)),
        pogingen=max(1, int(extra.get("retry_limit", 3))),
        wachttijd=float(extra.get("retry_delay", 5)),
    )


def _stuur(s: Server, msg: EmailMessage) -> None:
    context = ssl.create_default_context()
    if s.ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
    else:
        client = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
    with client:
        client.ehlo()
        if not s.ssl and s.tls and client.has_extn("starttls"):
            client.starttls(context=context)
            client.ehlo()
        if s.login and s.password:
            client.login(s.login, s.password)
        refused = client.send_message(msg)
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)


def _fout(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 300 else text[:297] + "..."


def verstuur(msg: EmailMessage, s: Server) -> Aflevering:
    """Try to deliver one mail; never raises."""
    delay = s.wachttijd
    last = None
    for attempt in range(1, s.pogingen + 1):
        try:
            _stuur(s, msg)
            return Aflevering("verzonden", attempt)
        except (OSError, smtplib.SMTPException) as exc:  # refused, reset, timeout, 4xx/5xx
            last = exc
            log.warning(
                "mail aan %s: poging %d van %d mislukt: %s", msg["To"], attempt, s.pogingen, _fout(exc)
            )
            if attempt < s.pogingen and delay > 0:
                time.sleep(delay)
                delay *= 2
    unreachable = isinstance(last, OSError | smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected)
    return Aflevering("niet_afgeleverd", s.pogingen, _fout(last) if last else None, unreachable)
