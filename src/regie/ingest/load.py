"""Loading one delivered file: archive, check the ledger, parse, write, or quarantine.

The order is the promise: the file is archived (content-addressed) before it
is parsed; its outcome (loaded with N rows and M rejects, duplicate, or
quarantined with a reason) is written to the ledger in the same transaction
as its rows; a file that cannot be read is moved to quarantine with a
``.reden.txt`` beside it, and the run goes on with the next file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..pseudonym import Pseudonymiser
from ..warehouse import LedgerRow, Warehouse
from .errors import FileRejected
from .landing import classify
from .parse import Meta, parse_file

log = logging.getLogger("regie.ingest")

#: Files at least this large are parsed without holding the warehouse open.
RELEASE_ABOVE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Places:
    """Where files live: the landing zone and regie's home (archive, quarantine)."""

    landing: Path
    home: Path

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            h.update(chunk)
    return h.hexdigest()


def archive(path: Path, relpath: str, sha: str, places: Places) -> Path:
    """Store the bytes under their sha256; the same bytes are stored once.

    ``archive/index.tsv`` records every delivery (sha256, path, time), so the
    archive can be replayed without the warehouse.
    """
    target = places.archive / "sha256" / sha[:2] / sha
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        shutil.copyfile(path, tmp)
        os.replace(tmp, target)
    with (places.archive / "index.tsv").open("a", encoding="utf-8") as index:
        index.write(f"{sha}\t{relpath}\t{dt.datetime.now().isoformat(timespec='seconds')}\n")
    return target


def quarantine(path: Path, relpath: str, reason: str, places: Places) -> Path:
    """Move a file out of the landing zone, with the reason beside it."""
    target = places.quarantine / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():  # an earlier bad delivery at the same path: keep both
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        target = target.with_name(f"{target.name}.{stamp}")
    shutil.move(str(path), target)
    target.with_name(target.name + ".reden.txt").write_text(
        f"Bestand: {relpath}\nIn quarantaine op: {dt.datetime.now():%Y-%m-%d %H:%M:%S}\n"
        f"Reden: {reason}\n\nHerstel het bestand en lever het opnieuw aan op dezelfde plek;\n"
        "regie laadt het bij de volgende run.\n",
        encoding="utf-8",
    )
    return target


def load_file(
    relpath: str,
    places: Places,
    warehouse: Warehouse,
    pseudo: Pseudonymiser,
    run_id: str | None = None,
) -> LedgerRow:
    """Process one landing file; always returns its ledger row, never raises on input."""
    path = places.landing / relpath
    stat = path.stat()
    sha = sha256_of(path)
    stored = archive(path, relpath, sha, places)
    delivery = classify(relpath)
    now = dt.datetime.now()

    def row(status: str, reason: str | None, versie: int | None, **counts) -> LedgerRow:
        return LedgerRow(
            path=relpath,
            bron=delivery.bron,
            entiteit=delivery.source.entiteit if delivery.source else None,
            uitvoerder=delivery.uitvoerder,
            leverdatum=delivery.leverdatum,
            sha256=sha,
            versie=versie,
            status=status,
            reden=reason,
            rijen_in=counts.get("rijen_in", 0),
            rijen_geladen=counts.get("rijen_geladen", 0),
            rijen_afgewezen=counts.get("rijen_afgewezen", 0),
            geladen_op=now,
            bytes=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            encoding=counts.get("encoding"),
            extra_kolommen=counts.get("extra"),
            ontbrekende_kolommen=counts.get("missing"),
            archief=stored.relative_to(places.home).as_posix(),
            run_id=run_id,
        )

    def to_quarantine(reason: str) -> LedgerRow:
        entry = row("quarantaine", reason, None)
        warehouse.record(entry)
        moved = quarantine(path, relpath, reason, places)
        log.warning("quarantaine: %s: %s (verplaatst naar %s)", relpath, reason, moved)
        return entry

    if delivery.problem:
        return to_quarantine(delivery.problem)
    assert delivery.source and delivery.leverdatum

    current = warehouse.current_version(relpath)
    if current and current[0] == sha:
        entry = row(
            "duplicaat", f"zelfde inhoud als versie {current[1]} van dit bestand; niets geladen", current[1]
        )
        warehouse.record(entry)
        log.info("duplicaat: %s (gelijk aan versie %s)", relpath, current[1])
        return entry
    versie = current[1] + 1 if current else 1

    meta = Meta(relpath, versie, delivery.leverdatum, delivery.uitvoerder)
    # Parsing a large file takes a while: let go of the warehouse meanwhile.
    hold = contextlib.nullcontext() if stat.st_size < RELEASE_ABOVE_BYTES else warehouse.released()
    try:
        with hold:
            parsed = parse_file(path, delivery.source, meta, pseudo)
    except FileRejected as exc:
        return to_quarantine(str(exc))
    if warehouse.current_version(relpath) != current:  # another writer got there first
        raise RuntimeError(f"{relpath} was loaded by another process meanwhile; the next run picks it up")

    notes = []
    if current:
        notes.append(f"nieuwe versie {versie}: vervangt versie {current[1]} (andere inhoud)")
    if parsed.extra_columns:
        notes.append("extra kolommen bewaard in _extra: " + ", ".join(parsed.extra_columns))
    if parsed.missing_columns:
        notes.append(
            "ontbrekende (niet verplichte) kolommen, geladen als leeg: " + ", ".join(parsed.missing_columns)
        )
    entry = row(
        "geladen",
        "; ".join(notes) or None,
        versie,
        rijen_in=parsed.rows_in,
        rijen_geladen=parsed.rows_loaded,
        rijen_afgewezen=parsed.rows_rejected,
        encoding=parsed.encoding,
        extra=",".join(parsed.extra_columns) or None,
        missing=",".join(parsed.missing_columns) or None,
    )
    warehouse.record(entry, parsed.tables, parsed.rejects)
    log.info(
        "geladen: %s versie %s: %s rijen, %s afgewezen",
        relpath,
        versie,
        entry.rijen_geladen,
        entry.rijen_afgewezen,
    )
    return entry


def new_files(candidates: list[str], places: Places, warehouse: Warehouse) -> list[str]:
    """Candidates not seen before, or touched since (size or modification time changed).

    An untouched file is not read again; a file written again with the same
    bytes is processed and recorded as a duplicate.
    """
    seen = warehouse.seen_files()
    out = []
    for rel in candidates:
        st = (places.landing / rel).stat()
        prev = seen.get(rel)
        if (
            prev
            and prev.status != "quarantaine"
            and prev.bytes == st.st_size
            and prev.mtime_ns == st.st_mtime_ns
        ):
            continue
        out.append(rel)
    return out
