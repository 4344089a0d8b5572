"""What a registration-quality check is, in the words of the people who receive it.

A :class:`Controle` is one thing a gemeente can get wrong in its registration
("a PIP without a leerroute"). It has a short Dutch name, a sentence that
says what the problem is and what to do about it, a severity and a subject
area (domein) that decides who may read its findings. It is carried out by one
or more :class:`Verwachting` objects: a Great Expectations expectation on one
of the tables that :mod:`regie.quality.gegevens` prepares, restricted by a row
condition to the records the check applies to.

Severities:
- ``blokkerend``: the data cannot be right (a date after the delivery, two open
  routes for one person). The delivery is held back for the gemeente concerned:
  its figures stay on the delivery before, until the source is corrected
  (regie.quality.blocking).
- ``waarschuwing``: the registration is incomplete or disagrees with another
  source. Reported, never blocking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BLOKKEREND = "blokkerend"
WAARSCHUWING = "waarschuwing"
ERNSTEN = (BLOKKEREND, WAARSCHUWING)

CATEGORIEEN = ("volledigheid", "geldigheid", "consistentie", "uniciteit", "levering")

#: Who may read a finding. Inburgering is executed by the uitvoerder for the
#: gemeenten it works for, so it reads their inburgering findings; housing is
#: always the gemeente's own duty; a delivery finding goes to whoever delivered.
DOMEINEN = ("inburgering", "huisvesting", "levering")


def waar(kolom: str):
    """Row condition "this boolean column is true" (GX conditions compare with ==)."""
    from great_expectations.expectations.row_conditions import Column

    return Column(kolom) == True  # noqa: E712 (builds a GX condition, it is not a test)


@dataclass(frozen=True)
class Verwachting:
    """One GX expectation on one prepared table, and how to word a failing row.

    ``bevinding`` is a :meth:`str.format` template over the table's columns
    (dates are shown as dd-mm-jjjj); it becomes the "what is wrong" column of
    the gemeente's attachment. It may only use columns the table offers, and
    the tables never hold an identifier, so neither can the text.
    """

    tabel: str
    gx: Any  # a great_expectations Expectation (kept untyped: GX is imported lazily)
    bevinding: str
    #: who may read its findings, when it differs from the check's (a housing date in a
    #: check that is otherwise about inburgering)
    domein: str | None = None


@dataclass(frozen=True)
class Controle:
    code: str  # stable identifier, snake_case; the `controle` column of the mart
    naam: str  # short name for scorecards and mail, in Dutch
    uitleg: str  # what registration problem this catches and what to do about it
    ernst: str  # blokkerend | waarschuwing
    categorie: str  # volledigheid | geldigheid | consistentie | uniciteit | levering
    domein: str  # inburgering | huisvesting | levering
    verwachtingen: tuple[Verwachting, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.ernst not in ERNSTEN:
            raise ValueError(f"{self.code}: ernst {self.ernst!r} is niet {' of '.join(ERNSTEN)}")
        if self.categorie not in CATEGORIEEN:
            raise ValueError(f"{self.code}: onbekende categorie {self.categorie!r}")
        if self.domein not in DOMEINEN:
            raise ValueError(f"{self.code}: onbekend domein {self.domein!r}")
        if not self.verwachtingen:
            raise ValueError(f"{self.code}: een controle heeft minstens een verwachting")
        for v in self.verwachtingen:
            if v.domein is not None and v.domein not in DOMEINEN:
                raise ValueError(f"{self.code}: onbekend domein {v.domein!r}")

    def domein_van(self, verwachting: Verwachting) -> str:
        return verwachting.domein or self.domein

    @property
    def tabellen(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.tabel for v in self.verwachtingen))


@dataclass(frozen=True)
class Bevinding:
    """One record that failed one check: what the gemeente gets in its CSV.

    Never carries a BSN, V-nummer, birth date or persoon_id: the record is
    named by the gemeente's own klantnummer, or by ``kenmerk`` where there is
    none (a COA household number, a half year, a file line).
    """

    controle: str
    ernst: str
    domein: str
    gemeentecode: str | None
    bron: str
    bestand: str | None
    regelnummer: int | None
    klantnummer: str | None
    kenmerk: str | None
    bevinding: str

    @property
    def sleutel(self) -> str:
        """What stays the same for the same problem across deliveries."""
        return self.klantnummer or self.kenmerk or f"{self.bestand}:{self.regelnummer}"


@dataclass(frozen=True)
class Telling:
    """Checked and failed records of one check for one gemeente (or one national source)."""

    gemeentecode: str | None
    controle: str
    ernst: str
    gecontroleerd: int
    afgekeurd: int
    bron: str | None = None  # only for rows not attributable to a gemeente

    @property
    def geslaagd(self) -> int:
        return self.gecontroleerd - self.afgekeurd
