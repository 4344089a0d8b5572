"""Who receives the quality mail of which gemeente, who runs regie, and whose records each may read.

The contacts file (YAML; ``--contacten FILE`` or ``REGIE_CONTACTEN``)::

    afzender: "regie <regie@example.nl>"     # optional; else the SMTP connection's from_email
    beheer:                                  # optional: the operators; failure mails go here
      naam: Team data
      aan: [regie-beheer@example.nl]
    gemeenten:
    antwoord_aan: "Team regie <regie-vragen@example.nl>"   # optional: Reply-To of every gemeente mail
    hersteltermijn_dagen: 14                 # optional: the deadline, in days after the check
    gemeenten:
      GM1916:
        naam: Leidschendam-Voorburg          # optional
        aan: [kwaliteit@leidschendam-voorburg.example.nl]
        antwoord_aan: kwaliteit@holland-rijnland.example.nl   # optional, overrides the default
        hersteltermijn_dagen: 10                             # optional, overrides the default
      GM0626: [informatie@voorschoten.example.nl]   # short form: just the addresses

The layout is declared once, in :data:`SCHEMA`: every key the file may hold,
what it holds and what it means. :func:`laad` reads the file against it and
refuses anything else with the line it is on (an unknown key, a flat
``GM1916: [address]`` mapping without ``gemeenten:``, an address that is not
one); ``docs/quality.md`` describes the same fields, and a test keeps the two
in step. To add a field, add a :class:`Veld` to :data:`CONTACT` or
:data:`SCHEMA` and a field to the dataclass it fills.

``antwoord_aan`` and ``hersteltermijn_dagen`` may stand at the top level (for
every gemeente) and in a gemeente's contact (for that gemeente); the gemeente's
own value wins. :meth:`Contacten.antwoord_aan` and :meth:`Contacten.termijn`
give the value that applies.

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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..warehouse import Warehouse
from .gegevens import referentie_uitvoerders

ENV = "REGIE_CONTACTEN"
_GM = re.compile(r"^(GM)?(\d{4})$", re.IGNORECASE)
_ADRES = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


class ContactenFout(ValueError):
    """The contacts file cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class Contact:
    gemeentecode: str  # the gemeentecode, or "beheer" for the operators
    adressen: tuple[str, ...]
    naam: str | None = None
    antwoord_aan: str | None = None  # Reply-To: who answers questions about the mail
    hersteltermijn_dagen: int | None = None  # the deadline: days after the check


@dataclass(frozen=True)
class Contacten:
    gemeenten: dict[str, Contact]
    afzender: str | None = None
    bestand: Path | None = None
    beheer: Contact | None = None
    standaard_antwoord_aan: str | None = None
    standaard_hersteltermijn_dagen: int | None = None

    def adressen(self, code: str) -> tuple[str, ...]:
        c = self.gemeenten.get(code)
        return c.adressen if c else ()

    def antwoord_aan(self, code: str) -> str | None:
        """The Reply-To of the mail to ``code``: its own contact, else the file's default."""
        c = self.gemeenten.get(code)
        return (c.antwoord_aan if c else None) or self.standaard_antwoord_aan

    def termijn(self, code: str) -> int | None:
        """Days after the check within which ``code`` is asked to fix its records (None: no deadline)."""
        c = self.gemeenten.get(code)
        own = c.hersteltermijn_dagen if c else None
        return own if own is not None else self.standaard_hersteltermijn_dagen


# --- the declared layout -----------------------------------------------------------------


class _Fout(Exception):
    """A problem at one YAML node; :func:`laad` adds the file and the line."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.line = node.start_mark.line + 1


@dataclass(frozen=True)
class Soort:
    """What a value may be: a short description and a reader from a YAML node."""

    beschrijving: str
    lees: Callable[[yaml.Node], Any]


@dataclass(frozen=True)
class Veld:
    """One key of a mapping in the contacts file."""

    naam: str
    soort: Soort
    uitleg: str
    verplicht: bool = False


def _tekst(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise _Fout(node, "expected a text")
    return str(node.value).strip()


def _adres(node: yaml.Node) -> str:
    value = _tekst(node)
    if not _ADRES.match(value):
        raise _Fout(node, f"'{value}' is not an e-mail address")
    return value


def _adressen(node: yaml.Node) -> tuple[str, ...]:
    if isinstance(node, yaml.ScalarNode):
        return (_adres(node),)
    if isinstance(node, yaml.SequenceNode):
        return tuple(_adres(item) for item in node.value)
    raise _Fout(node, "expected one e-mail address or a list of them, such as [someone@gemeente.nl]")


def _contactadres(node: yaml.Node) -> str:
    """An address, bare or with a name: ``vragen@x.nl`` or ``Team regie <vragen@x.nl>``."""
    from email.utils import formataddr, parseaddr

    value = _tekst(node)
    naam, adres = parseaddr(value)
    if not _ADRES.match(adres) or ("<" in value and not value.rstrip().endswith(">")):
        raise _Fout(node, f"'{value}' is not an e-mail address (or 'Name <address>')")
    return formataddr((naam, adres)) if naam else adres


def _dagen(node: yaml.Node) -> int:
    value = _tekst(node)
    if not value.isdigit() or not 1 <= int(value) <= 365:
        raise _Fout(node, f"'{value}' is not a number of days from 1 to 365")
    return int(value)


TEKST = Soort("text", _tekst)
ADRESSEN = Soort("one e-mail address or a list of them", _adressen)
CONTACTADRES = Soort("an e-mail address, optionally as 'Name <address>'", _contactadres)
DAGEN = Soort("a whole number of days, 1 to 365", _dagen)


def _velden(node: yaml.Node, velden: tuple[Veld, ...], waar: str) -> dict[str, Any]:
    """Read a mapping that may hold exactly these keys."""
    if not isinstance(node, yaml.MappingNode):
        raise _Fout(node, f"{waar}: expected a mapping with the keys {', '.join(v.naam for v in velden)}")
    bekend = {v.naam: v for v in velden}
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        veld = bekend.get(key)
        if veld is None:
            raise _Fout(key_node, f"unknown key '{key}' in {waar} (allowed: {', '.join(bekend)})")
        if key in out:
            raise _Fout(key_node, f"'{key}' appears twice in {waar}")
        out[key] = veld.soort.lees(value_node)
    for veld in velden:
        if veld.verplicht and veld.naam not in out:
            raise _Fout(node, f"{waar}: '{veld.naam}' is missing ({veld.uitleg})")
    return out


#: The keys of one contact (a gemeente, or the operators under ``beheer``).
CONTACT: tuple[Veld, ...] = (
    Veld("naam", TEKST, "the name used in the mail's greeting and subject"),
    Veld("aan", ADRESSEN, "where the mail goes", verplicht=True),
    Veld("antwoord_aan", CONTACTADRES, "Reply-To of this gemeente's mail: who answers its questions"),
    Veld("hersteltermijn_dagen", DAGEN, "this gemeente's deadline: days after the check"),
)


def _contact(node: yaml.Node, code: str) -> Contact:
    """A contact in full (``naam``, ``aan``, ...) or short (just the addresses)."""
    if isinstance(node, yaml.MappingNode):
        values = _velden(node, CONTACT, code)
        return Contact(
            code,
            values["aan"],
            values.get("naam"),
            values.get("antwoord_aan"),
            values.get("hersteltermijn_dagen"),
        )
    return Contact(code, _adressen(node))


def _code(node: yaml.Node) -> str:
    m = _GM.match(str(getattr(node, "value", "")).strip())
    if not isinstance(node, yaml.ScalarNode) or not m:
        raise _Fout(node, f"'{getattr(node, 'value', '?')}' is not a gemeentecode (GM and 4 digits)")
    return "GM" + m.group(2)


def _gemeenten(node: yaml.Node) -> dict[str, Contact]:
    if not isinstance(node, yaml.MappingNode):
        raise _Fout(node, "'gemeenten' must map each gemeentecode to its addresses")
    out: dict[str, Contact] = {}
    for key_node, value_node in node.value:
        code = _code(key_node)
        if code in out:
            raise _Fout(key_node, f"{code} appears twice")
        out[code] = _contact(value_node, code)
    return out


#: The top level of the contacts file.
SCHEMA: tuple[Veld, ...] = (
    Veld("afzender", TEKST, "the sender of every mail; default: the SMTP connection's from_email"),
    Veld(
        "beheer",
        Soort("a contact (naam, aan) or just addresses", lambda n: _contact(n, "beheer")),
        "the operators: a failed task is mailed here",
    ),
    Veld(
        "antwoord_aan",
        CONTACTADRES,
        "Reply-To of every gemeente's mail, unless its contact names its own; default: the sender",
    ),
    Veld(
        "hersteltermijn_dagen",
        DAGEN,
        "the deadline in every gemeente's mail, in days after the check, unless its contact names its own",
    ),
    Veld(
        "gemeenten",
        Soort("per gemeentecode a contact (naam, aan, ...) or just addresses", _gemeenten),
        "who receives the quality mail of each gemeente; a gemeente not listed gets none",
    ),
)


def pad(given: str | None = None) -> Path | None:
    value = given or os.environ.get(ENV)
    return Path(value).expanduser().resolve() if value else None


def laad(path: Path | None) -> Contacten:
    """Read the contacts file against :data:`SCHEMA`; no file means nobody to mail."""
    if path is None:
        return Contacten({})
    if not path.is_file():
        raise ContactenFout(f"contacts file {path} does not exist")
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise ContactenFout(
            f"contacts file {path}{where}: not valid YAML ({getattr(exc, 'problem', exc)})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContactenFout(f"contacts file {path} cannot be read: {exc}") from None
    if root is None:
        return Contacten({}, bestand=path)
    try:
        values = _velden(root, SCHEMA, "the contacts file")
    except _Fout as exc:
        raise ContactenFout(f"contacts file {path}, line {exc.line}: {exc}") from None
    return Contacten(
        values.get("gemeenten", {}),
        values.get("afzender"),
        path,
        values.get("beheer"),
        values.get("antwoord_aan"),
        values.get("hersteltermijn_dagen"),
    )


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
