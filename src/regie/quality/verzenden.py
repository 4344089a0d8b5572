"""Sending the mails through Airflow's SMTP provider, with the connection ``smtp_default``.

The connection is read the Airflow way (``AIRFLOW_CONN_SMTP_DEFAULT``, a
secrets backend or the metadata database), so ``smtp://127.0.0.1:2525`` in
the environment is enough. The provider's :class:`SmtpHook` connects, logs in
and sends (``send_email_smtp``); regie changes four things in a subclass,
:class:`RegieSmtpHook`:

- **the message**: the provider builds an HTML-only message; regie's has the
  plain text and the HTML as alternatives (``multipart/alternative``) and its
  attachments (the CSV as ``text/csv``; any file, such as a monitor report's
  PDF, by the type its name says), built from the provider's own message (its
  headers, date, recipients);
- **TLS**: implicit TLS only on port 465 or when ``disable_ssl`` is explicitly
  false, and STARTTLS whenever the server offers it and ``disable_tls`` is not
  true (the provider's default, SSL on every port and STARTTLS always, would
  refuse a plain ``smtp://host:2525``);
- **retries**: the provider retries at once; regie tries a mail
  ``retry_limit`` times (attempts, default 3) with a pause of ``retry_delay``
  seconds (default 5) that doubles, over a new connection each time;
- ``from_email`` is the sender when the contacts file names none, as in the
  provider; ``timeout`` (seconds, default 30) too.

A server that is down never fails the pipeline: after the attempts the mail is
recorded as ``niet_afgeleverd`` in ``audit.meldingen``; once the server proved
unreachable, the remaining mails of the run get one attempt each. A later run
mails again (the last mail the gemeente *received* is still the old one).
"""

from __future__ import annotations

import logging
import mimetypes
import smtplib
import time
from dataclasses import dataclass
from email import encoders
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Any

log = logging.getLogger("regie.quality")

CONN_ID = "smtp_default"


@dataclass(frozen=True)
class Server:
    conn_id: str
    afzender: str | None
    pogingen: int
    wachttijd: float


@dataclass(frozen=True)
class Bericht:
    """One mail as regie hands it to the provider."""

    aan: tuple[str, ...]
    onderwerp: str
    tekst: str
    html: str
    afzender: str
    bijlagen: tuple[tuple[str, bytes], ...] = ()  # (file name, bytes); the type follows the name
    headers: tuple[tuple[str, str], ...] = ()  # Reply-To, Message-ID, ...


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


def _hook_class():
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    class RegieSmtpHook(SmtpHook):
        """Airflow's SmtpHook with regie's message, TLS rule and retries (see the module)."""

        def __init__(self, bericht: Bericht, smtp_conn_id: str = CONN_ID) -> None:
            super().__init__(smtp_conn_id=smtp_conn_id)
            self.bericht = bericht

        @property
        def use_ssl(self) -> bool:
            disable_ssl = _flag(self.conn.extra_dejson, "disable_ssl")
            return int(self.conn.port or 25) == 465 or disable_ssl is False

        @property
        def smtp_starttls(self) -> bool:
            """STARTTLS when the server offers it (asked after the connection is made)."""
            if _flag(self.conn.extra_dejson, "disable_tls") or self.use_ssl:
                return False
            client = self._smtp_client
            if client is None:
                return False
            client.ehlo_or_helo_if_needed()
            return client.has_extn("starttls")

        @property
        def smtp_retry_limit(self) -> int:
            return 0  # regie's own loop retries, with a pause (send)

        def _build_mime_message(self, *args: Any, **kwargs: Any):
            msg, recipients = super()._build_mime_message(*args, **kwargs)
            (html,) = msg.get_payload()
            alternative = MIMEMultipart("alternative")
            alternative.attach(MIMEText(self.bericht.tekst, "plain", "utf-8"))
            alternative.attach(html)
            msg.set_payload([alternative])
            for naam, data in self.bericht.bijlagen:
                soort = mimetypes.guess_type(naam)[0] or "application/octet-stream"
                hoofd, sub = soort.split("/", 1)
                part = MIMEBase(hoofd, sub, **({"charset": "utf-8"} if hoofd == "text" else {}))
                part.set_payload(data)
                encoders.encode_base64(part)
                part.add_header("Content-Disposition", "attachment", filename=naam)
                msg.attach(part)
            return msg, recipients

    return RegieSmtpHook


def server(conn_id: str = CONN_ID) -> Server:
    from airflow.sdk import BaseHook

    try:
        conn = BaseHook.get_connection(conn_id)
    except Exception as exc:  # AirflowNotFoundException and friends
        raise GeenVerbinding(f"Airflow-verbinding {conn_id} ontbreekt ({type(exc).__name__})") from None
    extra = conn.extra_dejson or {}
    return Server(
        conn_id=conn_id,
        afzender=extra.get("from_email"),
        pogingen=max(1, int(extra.get("retry_limit", 3))),
        wachttijd=float(extra.get("retry_delay", 5)),
    )


def _fout(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= 300 else text[:297] + "..."


def _stuur(b: Bericht, conn_id: str) -> None:
    hook = _hook_class()(b, conn_id)
    with hook:
        hook.send_email_smtp(
            to=list(b.aan),
            subject=b.onderwerp,
            html_content=b.html,
            from_email=b.afzender,
            custom_headers=dict(b.headers),
        )


def send(b: Bericht, s: Server) -> Aflevering:
    """Try to deliver one mail; never raises."""
    from airflow.providers.common.compat.sdk import AirflowException

    delay = s.wachttijd
    last: BaseException | None = None
    for attempt in range(1, s.pogingen + 1):
        try:
            _stuur(b, s.conn_id)
            return Aflevering("verzonden", attempt)
        except (OSError, smtplib.SMTPException, AirflowException) as exc:  # refused, reset, timeout, 4xx/5xx
            last = exc
            log.warning(
                "mail aan %s: poging %d van %d mislukt: %s", ", ".join(b.aan), attempt, s.pogingen, _fout(exc)
            )
            if attempt < s.pogingen and delay > 0:
                time.sleep(delay)
                delay *= 2
    unreachable = isinstance(last, OSError | smtplib.SMTPConnectError | smtplib.SMTPServerDisconnected)
    return Aflevering("niet_afgeleverd", s.pogingen, _fout(last) if last else None, unreachable)
