"""Who receives the quality mail of which gemeente, and whose records they may read.

The contacts file (YAML; ``--contacten FILE`` or ``REGIE_CONTACTEN``)::

    afzender: "regie <regie@example.nl>"     # optional; else the SMTP connection's from_email
    gemeenten:
      GM1916:
        naam: Leidschendam-Voorburg          # optional
        aan: [kwaliteit@leidschendam-voorburg.example.nl]
      GM0626: [informatie@voorschoten.example.nl]   # short form: just the addresses

What a recipient may read (its *reikwijdte*) does not come from this file but
from the reference list of gemeenten (the dbt seed ``ref_gemeenten``, through
``marts.dim_gemeente`` once dbt built it): a gemeente reads its own findings;
an uitvoerder also reads the inburgering findings of the gemeenten it executes
for. Housing findings are always the gemeente's own. A municipal record counts
for the gemeente whose uitvoerder delivered it, whatever its ``woongemeente``
says (:meth:`regie.quality.gegevens.Gegevens.toerekenen`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..warehouse import Warehouse
from .gegevens import referentie_uitvoerders

ENV = "REGIE_CONTACTEN"
_GM = re.compile(r"^(GM)?(\d{4})$", re.IGNORECASE)
_ADRES = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class ContactenFout(ValueError):
    """The contacts file cannot be used."""


@dataclass(frozen=True)
class Contact:
    gemeentecode: str
    adressen: tuple[str, ...]
    naam: str | None = None


@dataclass(frozen=True)
class Contacten:
    gemeenten: dict[str, Contact]
    afzender: str | None = None
    bestand: Path | None = None

    def adressen(self, code: str) -> tuple[str, ...]:
        c = self.gemeenten.get(code)
        return c.adressen if c else ()


def pad(given: str | None = None) -> Path | None:
    value = given or os.environ.get(ENV)
    return Path(value).expanduser().resolve() if value else None


def _code(text: object) -> str:
    m = _GM.match(str(text).strip())
    if not m:
        raise ContactenFout(f"'{text}' is geen gemeentecode (GM en 4 cijfers)")
    return "GM" + m.group(2)


def laad(path: Path | None) -> Contacten:
    """Read and check the contacts file; no file means nobody to mail."""
    if path is None:
        return Contacten({})
    if not path.is_file():
        raise ContactenFout(f"contactenbestand {path} bestaat niet")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ContactenFout(f"contactenbestand {path} is geen geldige YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("gemeenten", {}), dict):
        raise ContactenFout(
            f"contactenbestand {path}: verwacht 'gemeenten:' met per gemeentecode de adressen"
        )
    out: dict[str, Contact] = {}
    for key, value in (data.get("gemeenten") or {}).items():
        code = _code(key)
        naam = None
        if isinstance(value, dict):
            naam = value.get("naam")
            value = value.get("aan", [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ContactenFout(f"{code}: adressen als lijst, zoals aan: [iemand@gemeente.nl]")
        adressen = tuple(str(a).strip() for a in value if str(a).strip())
        for a in adressen:
            if not _ADRES.match(a):
                raise ContactenFout(f"{code}: '{a}' is geen e-mailadres")
        if code in out:
            raise ContactenFout(f"{code} staat twee keer in {path}")
        out[code] = Contact(code, adressen, naam)
    afzender = data.get("afzender")
    return Contacten(out, str(afzender) if afzender else None, path)


def uitvoering(wh: Warehouse, peildatum: str | None = None) -> dict[str, set[str]]:
    """uitvoerder -> the other gemeenten whose inburgering it executes, from the reference
    list (never from what a delivery claims; see :func:`regie.quality.gegevens.referentie_uitvoerders`)."""
    out: dict[str, set[str]] = {}
    for g, u in referentie_uitvoerders(wh).items():
        if u != g:
            out.setdefault(u, set()).add(g)
    return out


def mag_lezen(
    ontvanger: str, gemeentecode: str | None, domein: str, uitvoering_: dict[str, set[str]]
) -> bool:
    """May ``ontvanger`` read a finding about ``gemeentecode`` in ``domein``?"""
    if gemeentecode is None:
        return False
    if gemeentecode == ontvanger:
        return True
    return domein == "inburgering" and gemeentecode in uitvoering_.get(ontvanger, set())
