"""The landing zone: which files are there, what they are, and which are new."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..sources.catalog import FAMILIES, source_for
from ..sources.spec import Source
from .masking import mask

#: No delivery about inburgering can be older than the Wet inburgering 2013 (in force
#: 1 January 2013): an earlier delivery date is a mistake, reported to the deliverer.
EARLIEST_LEVERDATUM = dt.date(2013, 1, 1)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GM = re.compile(r"^GM\d{4}$")
#: A provider of maatschappelijke begeleiding names its folder with a short code (VWN).
_AANBIEDER = re.compile(r"^[A-Z][A-Z0-9_-]{1,19}$")


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
    if bron == "begeleiding":
        if len(parts) != 4:
            return Delivery(relpath, bron, None, None, None, _layout_problem(relpath))
        uitvoerder = parts[1]
        if not _AANBIEDER.match(uitvoerder):
            return Delivery(
                relpath,
                bron,
                None,
                None,
                None,
                f"map '{mask(uitvoerder)}' is geen code van een aanbieder (hoofdletters en cijfers, "
                "2 tot 20 tekens), zoals begeleiding/VWN/2024-10-31/trajecten.csv",
            )
        folder, name = parts[2], parts[3]
    elif bron == "gemeente":
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
                f"map '{mask(uitvoerder)}' is geen gemeentecode (GM en 4 cijfers), zoals gemeente/GM1916/2024-10-31/dossiers.csv",
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
            f"onbekend bestand: regie kent geen '{mask(name)}' voor bron {bron}",
        )
    if not _DATE.match(folder):
        return Delivery(
            relpath, bron, source, None, uitvoerder, f"map '{mask(folder)}' is geen leverdatum (jjjj-mm-dd)"
        )
    try:
        leverdatum = dt.date.fromisoformat(folder)
    except ValueError:
        return Delivery(
            relpath, bron, source, None, uitvoerder, f"map '{mask(folder)}' is geen bestaande datum"
        )
    return Delivery(relpath, bron, source, leverdatum, uitvoerder, None)


def _layout_problem(relpath: str) -> str:
    return (
        f"bestand staat niet op een plek die regie kent: {mask_path(relpath)} "
        "(verwacht <bron>/<jjjj-mm-dd>/<bestand>, gemeente/<GMxxxx>/<jjjj-mm-dd>/<bestand> of "
        "begeleiding/<aanbieder>/<jjjj-mm-dd>/<bestand>)"
    )


def mask_path(relpath: str) -> str:
    """A landing path as the ledger, logs and index show it (see :mod:`.masking`)."""
    return "/".join(mask(part) for part in relpath.split("/"))


def list_files(landing: Path, family: str) -> list[str]:
    """Every entry under the family's folders that regie must account for, sorted by
    delivery date, then path.

    Regular files, and also what regie refuses to read but must not pass over in
    silence: symbolic links (to files or to folders, never followed) and special
    files (a named pipe, a socket). Hidden files and folders (".upload/",
    ".x.partial") are transfers in progress and left alone.
    """
    out: list[str] = []
    for bron in FAMILIES[family]:
        root = landing / bron
        if root.is_symlink():
            out.append(bron)
            continue
        if not root.is_dir():
            continue
        for folder, dirs, files in os.walk(root, followlinks=False):
            base = Path(folder)
            for name in list(dirs):
                if name.startswith("."):
                    dirs.remove(name)
                elif (base / name).is_symlink():  # listed, never entered
                    dirs.remove(name)
                    out.append((base / name).relative_to(landing).as_posix())
            out.extend(
                (base / name).relative_to(landing).as_posix() for name in files if not name.startswith(".")
            )
    return sorted(out, key=_order)


def _order(relpath: str) -> tuple:
    d = classify(relpath)
    return (d.leverdatum or dt.date.min, relpath)
