"""Checks before any work: ``regie run`` and ``regie serve`` refuse, in one line
and with exit code 2, what would otherwise fail minutes later deep in a task log.

Each check reads what the run would use and writes nothing: no home folder, no
log, no DuckDB file, no Airflow metadata. The same rules apply inside the
tasks (``Settings.resolve`` refuses a bad warehouse, the quality task a bad
contacts file); these checks only say it sooner.

In order:

1. the warehouse is a ``postgresql://`` (or ``postgresql+psycopg://``) URL or a
   path ending in ``.duckdb`` (:func:`regie.warehouse.normalise`);
2. the landing zone exists;
3. a pseudonymisation key is configured (:func:`regie.pseudonym.load_key`);
4. the contacts file, when one is given, reads against its declared layout
   (:data:`regie.quality.contacten.SCHEMA`);
5. a PostgreSQL warehouse's server answers and the database exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from . import pseudonym
from .config import Settings
from .warehouse import WarehouseTargetError, is_postgres


class Refusal(Exception):
    """A reason not to start, in one line for the operator."""


@dataclass(frozen=True)
class Checked:
    settings: Settings
    contacten: Any  # regie.quality.contacten.Contacten


def check(given: dict[str, Any], contacten: str | None = None) -> Checked:
    """Resolve the settings and check them; raises :class:`Refusal` with the first problem."""
    try:
        settings = Settings.resolve(given)
    except WarehouseTargetError as exc:
        raise Refusal(str(exc)) from None
    if not settings.landing.is_dir():
        raise Refusal(f"the landing zone {settings.landing} does not exist")
    try:
        pseudonym.load_key(allow_airflow=False)
    except pseudonym.NoKeyError as exc:
        raise Refusal(str(exc)) from None
    book = contacts(contacten)
    if is_postgres(settings.warehouse):
        postgres_database(settings.warehouse)
    return Checked(settings, book)


def contacts(given: str | None):
    """The contacts file (``--contacten`` or REGIE_CONTACTEN), read against its schema."""
    from .quality import contacten as contacten_mod

    try:
        return contacten_mod.laad(contacten_mod.pad(given))
    except contacten_mod.ContactenFout as exc:
        raise Refusal(str(exc)) from None


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def postgres_database(url: str, what: str = "warehouse") -> None:
    """The server answers and the database exists (the role may connect to it)."""
    import psycopg

    parts = urlsplit(url)
    where = f"{parts.hostname or '127.0.0.1'}:{parts.port or 5432}"
    dbname = unquote(parts.path.lstrip("/")) or "postgres"
    try:
        with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
            conn.execute("select 1")
    except psycopg.OperationalError as exc:
        text = _first_line(exc)
        if re.search(r'database ".*" does not exist', text):
            raise Refusal(
                f"the PostgreSQL {what} database {dbname} does not exist on {where}; "
                f"create it first (createdb -h {parts.hostname or '127.0.0.1'} -p {parts.port or 5432} {dbname})"
            ) from None
        if "Connection refused" in text or "timeout" in text.lower() or "could not translate" in text:
            reason = text.rsplit("failed:", 1)[-1].strip()
            raise Refusal(f"cannot reach the PostgreSQL {what} server at {where}: {reason}") from None
        reason = text.rsplit("failed:", 1)[-1].strip().removeprefix("FATAL:").strip()
        raise Refusal(f"the PostgreSQL {what} at {where} refused the connection: {reason}") from None
