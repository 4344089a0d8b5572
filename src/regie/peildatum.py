"""The peildatum of a run: which deliveries the figures reflect.

Marts reflect, per source, the latest delivery on or before the peildatum.
Without ``--peildatum`` a run takes the latest delivery date in the warehouse
(the newest loaded file's folder date, among the plausible ones: not in the
future, not before 2013), so the figures describe the data that is there,
never a day nobody delivered for. A peildatum before the first
delivery would leave every figure empty: it is refused before anything is
changed.

One rule, used by ``regie run`` (before ingesting), by the transform's first
task and by the quality checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .warehouse import Warehouse


class PeildatumFout(ValueError):
    """A peildatum that cannot give figures (before the first delivery, or not a date)."""


@dataclass(frozen=True)
class Peildatum:
    datum: str  # jjjj-mm-dd
    herkomst: str  # gegeven | laatste levering | vandaag (geen leveringen)

    def __str__(self) -> str:
        return self.datum

    def beschrijving(self) -> str:
        """For operators: the date and where it came from."""
        if self.herkomst == "gegeven":
            return f"peildatum {self.datum}"
        if self.herkomst == "laatste levering":
            return f"peildatum {self.datum} (the latest delivery date in the warehouse)"
        return f"peildatum {self.datum} (today: no deliveries loaded yet)"


def aannemelijk(d: dt.date | None, today: dt.date | None = None) -> bool:
    """A delivery date that can be true: from 2013 (Wet inburgering) up to today. A folder dated
    2099 or 1900 loads, and is reported (check leverdatum_onwaarschijnlijk), but decides no peildatum."""
    from .ingest.landing import EARLIEST_LEVERDATUM

    return d is not None and EARLIEST_LEVERDATUM <= d <= (today or dt.date.today())


def leverdata(wh: Warehouse) -> tuple[dt.date | None, dt.date | None]:
    """(first, latest) plausible delivery date of the files loaded into the warehouse."""
    from .ingest.landing import EARLIEST_LEVERDATUM

    try:
        rows = wh.query(
            "select min(leverdatum), max(leverdatum) from audit.bestanden where status = 'geladen' "
            "and leverdatum >= ? and leverdatum <= ?",
            (EARLIEST_LEVERDATUM, dt.date.today()),
        )
    except Exception:  # no ledger yet
        return None, None
    first, last = rows[0] if rows else (None, None)
    return _date(first), _date(last)


def _date(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def parse(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise PeildatumFout(f"peildatum {text!r} is not a date (jjjj-mm-dd)") from None


def bepaal(
    gegeven: str | None, eerste: dt.date | None, laatste: dt.date | None, today: dt.date | None = None
) -> Peildatum:
    """The peildatum for a run, from what was given and the delivery dates known.

    ``eerste``/``laatste``: the first and latest delivery date (loaded, or about
    to be loaded). Raises :class:`PeildatumFout` for a date before the first one.
    """
    if gegeven:
        datum = parse(gegeven)
        if eerste is not None and datum < eerste:
            raise PeildatumFout(
                f"peildatum {datum.isoformat()} is before the first delivery ({eerste.isoformat()}): "
                "every figure would be empty. Give a peildatum on or after that date, or none "
                "(the latest delivery date)."
            )
        return Peildatum(datum.isoformat(), "gegeven")
    if laatste is not None:
        return Peildatum(laatste.isoformat(), "laatste levering")
    return Peildatum((today or dt.date.today()).isoformat(), "vandaag")


def voor_warehouse(wh: Warehouse, gegeven: str | None, extra: Iterable[dt.date] = ()) -> Peildatum:
    """:func:`bepaal` with the delivery dates in the warehouse (plus ``extra``, e.g. the landing zone's)."""
    first, last = leverdata(wh)
    dates = [d for d in (first, last, *extra) if d is not None]
    return bepaal(gegeven, min(dates) if dates else None, max(dates) if dates else None)
