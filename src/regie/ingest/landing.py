"""The landing zone: which files are there, what they are, and which are new."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..sources.catalog import FAMILIES, source_for
from ..sources.spec import Source

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GM = re.compile(r"^GM\d{4}$")


@dataclass(frozen=True)
class Delivery:
    """A landing file and what its path says about it."""

    path: str  # relative to the landing root, posix
    bron: str
    source: Source | None
    leverdatum: dt.date | None
    uitvoerder: str | None
    problem: str | None  # why the path itself is not acceptable


def classify(relpath: str) -> Delivery:
    """Read bron, delivery date and gemeente from a landing path."""
    parts = relpath.split("/")
    bron = parts[0]
    uitvoerder = None
    if bron == "gemeente":
        if len(parts) != 4:
            return Delivery(relpath, bron, None, None, None, _layout_problem(relpath))
        uitvoerder = parts[1]
        if not _GM.match(uitvoerder):
            return Delivery(
                relpath,
                bron,
                None,
                None,
                None,
                f"map '{uitvoerder}' is geen gemeentecode (GM en 4 cijfers), zoals gemeente/GM1916/2024-10-31/dossiers.csv",
            )
        folder, name = parts[2], parts[3]
    else:
        if len(parts) != 3:
            return Delivery(relpath, bron, None, None, None, _layout_problem(relpath))
        folder, name = parts[1], parts[2]
    source = source_for(bron, name)
    if source is None:
        return Delivery(
            relpath,
            bron,
            None,
            None,
            uitvoerder,
            f"onbekend bestand: regie kent geen '{name}' voor bron {bron}",
        )
    if not _DATE.match(folder):
        return Delivery(
            relpath, bron, source, None, uitvoerder, f"map '{folder}' is geen leverdatum (jjjj-mm-dd)"
        )
    try:
        leverdatum = dt.date.fromisoformat(folder)
    except ValueError:
        return Delivery(relpath, bron, source, None, uitvoerder, f"map '{folder}' is geen bestaande datum")
    return Delivery(relpath, bron, source, leverdatum, uitvoerder, None)


def _layout_problem(relpath: str) -> str:
    return (
        f"bestand staat niet op een plek die regie kent: {relpath} "
        "(verwacht <bron>/<jjjj-mm-dd>/<bestand> of gemeente/<GMxxxx>/<jjjj-mm-dd>/<bestand>)"
    )


def list_files(landing: Path, family: str) -> list[str]:
    """Every file under the family's folders, sorted by delivery date, then path."""
    out: list[str] = []
    for bron in FAMILIES[family]:
        root = landing / bron
        if not root.is_dir():
            continue
        for p in root.rglob("*"):
            rel = p.relative_to(landing)
            # hidden files and folders (".upload/", ".x.partial") are transfers in progress
            if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                out.append(rel.as_posix())
    return sorted(out, key=_order)


def _order(relpath: str) -> tuple:
    d = classify(relpath)
    return (d.leverdatum or dt.date.min, relpath)
