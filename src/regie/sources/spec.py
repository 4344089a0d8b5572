"""How a source is described: once, as data, read by one generic parser.

A :class:`Source` names where its files live in the landing zone, which raw
table they land in and which columns they carry. Each :class:`Column` has a
*kind* that decides how its text is checked and converted. Adding a source is
adding a description here, not writing a parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal[
    "text",  # free text, kept as delivered (trimmed)
    "int",  # whole number, optional minus sign, optional thousands dots
    "decimal",  # Dutch notation: comma decimals, optional thousands dots
    "date",  # dd-mm-jjjj or jjjj-mm-dd (CSV); ISO only in JSON
    "bool",  # J/N in CSV; true/false in JSON
    "code",  # one of a fixed list of values (matched case-insensitively)
    "gemeentecode",  # GM + 4 digits; a bare 4-digit code is normalised
    "periode",  # half year: 2024-I or 2024-II
    "bsn",  # 9 digits passing the elfproef; becomes a keyed pseudonym
    "vnummer",  # COA V-nummer (digits); becomes a keyed pseudonym
    "geboortedatum",  # a birth date; becomes an age and a birth year
]

#: Column kinds that identify a person directly. Their values never leave the
#: parser: they are replaced by pseudonyms and never quoted in a reason.
IDENTIFYING_KINDS = frozenset({"bsn", "vnummer", "geboortedatum"})


@dataclass(frozen=True)
class Column:
    """One delivered field and the rule it must satisfy."""

    name: str
    kind: Kind = "text"
    required: bool = False
    values: tuple[str, ...] = ()  # for kind "code"
    path: str | None = None  # JSON path for JSON sources ("$.pip.leerroute")
    #: For kind "geboortedatum": the date column the age is taken on.
    age_on: str | None = None
    #: Name of the column in raw (defaults to ``name``). Pseudonymised columns
    #: get a new name so nobody mistakes a pseudonym for the identifier.
    raw_name: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind == "code" and not self.values:
            raise ValueError(f"code column {self.name} needs a list of values")
        if self.kind == "geboortedatum" and not self.age_on:
            raise ValueError(f"birth date column {self.name} needs age_on")

    @property
    def target(self) -> str:
        if self.raw_name:
            return self.raw_name
        if self.kind == "bsn":
            return "persoon_id"
        if self.kind == "vnummer":
            return "vnummer_id"
        return self.name


@dataclass(frozen=True)
class Child:
    """A repeating group inside a JSON record (DUO's examens, ...).

    Its elements land in their own raw table, linked to the parent line.
    """

    name: str
    path: str
    columns: tuple[Column, ...]

    @property
    def table(self) -> str:
        return self.name


@dataclass(frozen=True)
class Source:
    """A file the landing zone receives, and the raw table it fills."""

    bron: str  # duo | coa_tvs | gemeente | rijk | provincie | begeleiding
    entiteit: str  # file stem: personen, koppelingen, ...
    format: Literal["csv", "jsonl"]
    columns: tuple[Column, ...]
    children: tuple[Child, ...] = ()
    #: gemeente files sit one folder deeper, under the delivering gemeente
    per_gemeente: bool = False
    #: begeleiding files sit one folder deeper, under the provider (aanbieder) that delivers them
    per_aanbieder: bool = False
    #: groups of columns of which at least one must hold a value (a person known by BSN or V-nummer)
    one_of: tuple[tuple[str, ...], ...] = ()
    description: str = ""
    family: str = ""  # which ingestion DAG picks it up
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return f"{self.bron}__{self.entiteit}"

    @property
    def filename(self) -> str:
        return f"{self.entiteit}.{self.format}"

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


_GM = re.compile(r"^GM\d{4}$")


def is_gemeentecode(text: str) -> bool:
    return bool(_GM.match(text))
