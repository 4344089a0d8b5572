"""Loading one delivered file: read it once, archive, check the ledger, parse, write, or quarantine.

The order is the promise: the file is read once, through a handle that never
follows a symbolic link, into the archive (content-addressed by the sha256
computed while reading); everything after that works from the archived copy,
so the ledger, the archive and ``raw`` always describe the same bytes, even
when the landing file is replaced meanwhile. Its outcome (loaded with N rows
and M rejects, duplicate, or quarantined with a reason) is written to the
ledger in the same transaction as its rows; a file that cannot be read is
put in quarantine with a ``.reden.txt`` beside it, and the run goes on with
the next file. Whatever a file does, it gets a ledger row: a link, a named
pipe, a file that vanished, a parser that fell over.

Names are never trusted: the ledger, the index, the log and the quarantine
show a landing path masked (:mod:`.masking`), and the quarantine stores a
file under a safe name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import logging
import os
import stat
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from ..private import private_dir
from ..pseudonym import Pseudonymiser
from ..warehouse import LedgerRow, Warehouse
from .errors import FileRejected
from .landing import Delivery, classify, mask_path
from .masking import safe_filename, safe_relpath
from .parse import Meta, Parser
from .reader import Scanner

log = logging.getLogger("regie.ingest")

#: Files at least this large are parsed without holding the warehouse open.
RELEASE_ABOVE_BYTES = 8 * 1024 * 1024
_CHUNK = 1024 * 1024


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


@dataclass(frozen=True)
class Snapshot:
    """The bytes of one landing file as regie read them, kept in the archive."""

    sha256: str
    size: int
    mtime_ns: int
    device: int
    inode: int
    stored: Path  # the archived copy: everything after reading works from this
    #: what the one pass learnt about the bytes for decoding (encoding, lines, limits)
    scanned: Scanner | None = field(default=None, compare=False, repr=False)


class NotAFile(Exception):
    """The landing entry is a link or a special file; regie does not read it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


LINK_REASON = (
    "dit is een koppeling (symbolische link) naar een ander bestand of een andere map; regie volgt "
    "geen koppelingen en heeft het doel niet gelezen. Zet het bestand zelf in de aanleverzone"
)
SPECIAL_REASON = (
    "dit is geen gewoon bestand (maar bijvoorbeeld een named pipe of socket); regie heeft het niet "
    "gelezen. Zet een gewoon bestand in de aanleverzone"
)
VANISHED_REASON = (
    "het bestand verdween uit de aanleverzone voordat regie het kon lezen (weggehaald of hernoemd "
    "tijdens de run); er is niets gelezen. Lever het opnieuw aan als het nog nodig is"
)


def snapshot(path: Path, places: Places) -> Snapshot:
    """Read the file once: hash it, copy it into the archive and scan it for decoding, in one pass.

    Opened without following a link (``O_NOFOLLOW``) and without blocking (a
    named pipe would wait for a writer forever); only a regular file is read.
    The copy is written owner-only under a temporary name and renamed to its
    sha256; the same bytes are stored once.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAFile(LINK_REASON) from None
        raise
    with os.fdopen(fd, "rb") as src:
        before = os.fstat(src.fileno())
        if not stat.S_ISREG(before.st_mode):
            raise NotAFile(SPECIAL_REASON)
        folder = private_dir(places.archive / "sha256")
        tmp = folder / f".incoming-{os.getpid()}-{before.st_ino}"
        h = hashlib.sha256()
        scanner = Scanner()
        try:
            with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as dst:
                while chunk := src.read(_CHUNK):
                    h.update(chunk)
                    dst.write(chunk)
                    scanner.feed(chunk)
            after = os.fstat(src.fileno())
            sha = h.hexdigest()
            target = private_dir(folder / sha[:2]) / sha
            if target.exists():
                tmp.unlink()
            else:
                os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    return Snapshot(sha, scanner.size, after.st_mtime_ns, after.st_dev, after.st_ino, target, scanner)


def write_index(places: Places, sha: str | None, shown: str) -> None:
    """``archive/index.tsv``: one line per delivery handled (sha256, masked path, time), so the
    archive can be replayed without the warehouse. The path is masked: no newline or tab in a
    name can forge a line."""
    private_dir(places.archive)
    index = places.archive / "index.tsv"
    fd = os.open(index, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as fh:
        fh.write(f"{sha or '-'}\t{shown}\t{dt.datetime.now().isoformat(timespec='seconds')}\n")


def quarantine(
    relpath: str, reason: str, places: Places, snap: Snapshot | None = None, landing: Path | None = None
) -> Path:
    """Put what regie judged in quarantine, with the reason beside it.

    The quarantined bytes are the archived copy regie read (``snap``), stored
    under a safe name; the landing file is removed only while it is still the
    file that was read (a file replaced meanwhile stays for the next run). A
    link or special file is removed from the landing zone, its target untouched.
    """
    shown = mask_path(relpath)
    folder = private_dir(places.quarantine)
    parts = safe_relpath(relpath).split("/")
    for part in parts[:-1]:
        folder = private_dir(folder / part)
    target = folder / parts[-1]
    if target.exists() or target.with_name(target.name + ".reden.txt").exists():
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        target = folder / safe_filename(parts[-1], f".{stamp}")
    if snap is not None:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as dst, snap.stored.open("rb") as src:
            while chunk := src.read(_CHUNK):
                dst.write(chunk)
    note = target.with_name(target.name + ".reden.txt")
    fd = os.open(note, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(
            f"Bestand: {shown}\nIn quarantaine op: {dt.datetime.now():%Y-%m-%d %H:%M:%S}\n"
            f"Reden: {reason}\n\nHerstel het bestand en lever het opnieuw aan op dezelfde plek;\n"
            "regie laadt het bij de volgende run.\n"
        )
    if landing is not None:
        _remove_from_landing(landing / relpath, snap)
    return target


def _remove_from_landing(path: Path, snap: Snapshot | None) -> None:
    try:
        st = path.lstat()
    except FileNotFoundError:
        return
    if snap is not None and (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns) != (
        snap.device,
        snap.inode,
        snap.size,
        snap.mtime_ns,
    ):
        log.warning("a file changed after it was read; left in the landing zone for the next run")
        return
    if stat.S_ISDIR(st.st_mode) and not stat.S_ISLNK(st.st_mode):
        return  # never remove a folder
    path.unlink()


def load_file(
    relpath: str,
    places: Places,
    warehouse: Warehouse,
    pseudo: Pseudonymiser,
    run_id: str | None = None,
    parser: Parser | None = None,
) -> LedgerRow:
    """Process one landing entry; always returns its ledger row, never raises on input.

    ``parser``: the task's parser (one DuckDB connection for every file of the task);
    without it the file gets a parser of its own.
    """
    path = places.landing / relpath
    shown = mask_path(relpath)
    delivery = classify(relpath)
    now = dt.datetime.now()
    snap: Snapshot | None = None

    def row(status: str, reason: str | None, versie: int | None, **counts) -> LedgerRow:
        return LedgerRow(
            path=shown,
            bron=delivery.bron,
            entiteit=delivery.source.entiteit if delivery.source else None,
            uitvoerder=delivery.uitvoerder,
            leverdatum=delivery.leverdatum,
            sha256=snap.sha256 if snap else None,
            versie=versie,
            status=status,
            reden=reason,
            rijen_in=counts.get("rijen_in", 0),
            rijen_geladen=counts.get("rijen_geladen", 0),
            rijen_afgewezen=counts.get("rijen_afgewezen", 0),
            geladen_op=now,
            bytes=snap.size if snap else 0,
            mtime_ns=snap.mtime_ns if snap else 0,
            encoding=counts.get("encoding"),
            extra_kolommen=counts.get("extra"),
            ontbrekende_kolommen=counts.get("missing"),
            archief=snap.stored.relative_to(places.home).as_posix() if snap else None,
            run_id=run_id,
        )

    def to_quarantine(reason: str) -> LedgerRow:
        entry = row("quarantaine", reason, None)
        moved = quarantine(relpath, reason, places, snap, places.landing)
        warehouse.record(entry)
        log.warning("quarantaine: %s: %s (in %s)", shown, reason, moved.relative_to(places.home))
        return entry

    try:
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            raise NotAFile(LINK_REASON)
        if not stat.S_ISREG(st.st_mode):
            raise NotAFile(SPECIAL_REASON)
        snap = snapshot(path, places)
    except NotAFile as exc:
        return to_quarantine(exc.reason)
    except FileNotFoundError:
        entry = row("quarantaine", VANISHED_REASON, None)
        warehouse.record(entry)
        log.warning("verdwenen: %s: %s", shown, VANISHED_REASON)
        return entry
    write_index(places, snap.sha256, shown)

    if delivery.problem:
        return to_quarantine(delivery.problem)
    assert delivery.source and delivery.leverdatum

    current = warehouse.current_version(relpath)
    if current and current[0] == snap.sha256:
        entry = row(
            "duplicaat", f"zelfde inhoud als versie {current[1]} van dit bestand; niets geladen", current[1]
        )
        warehouse.record(entry)
        log.info("duplicaat: %s (gelijk aan versie %s)", shown, current[1])
        return entry
    if current is None:
        earlier = _previous_delivery(warehouse, delivery)
        if earlier and earlier[2] == snap.sha256:
            entry = row(
                "duplicaat",
                f"zelfde inhoud als de levering van {earlier[3]:%d-%m-%Y} ({earlier[0]}, versie "
                f"{earlier[1]}); niets geladen",
                None,
            )
            warehouse.record(entry)
            log.info("duplicaat: %s (gelijk aan %s versie %s)", shown, earlier[0], earlier[1])
            return entry
    versie = current[1] + 1 if current else 1

    meta = Meta(relpath, versie, delivery.leverdatum, delivery.uitvoerder)
    # Parsing a large file takes a while: let go of the warehouse meanwhile.
    hold = contextlib.nullcontext() if snap.size < RELEASE_ABOVE_BYTES else warehouse.released()
    try:
        own = contextlib.nullcontext(parser) if parser else Parser()  # closed here when it is ours
        with hold, own as p:
            parsed = p.parse(snap.stored, delivery.source, meta, pseudo, scanned=snap.scanned)
    except FileRejected as exc:
        return to_quarantine(str(exc))
    except Exception as exc:  # a parser failure is this file's problem, never the run's
        log.error(
            "could not parse %s: %s at %s (message withheld: it may quote the file)",
            shown,
            type(exc).__name__,
            " <- ".join(
                f"{Path(f.filename).name}:{f.lineno}"
                for f in reversed(traceback.extract_tb(exc.__traceback__))
            ),
        )
        return to_quarantine(
            "regie kon dit bestand niet verwerken door een onverwachte fout "
            f"({type(exc).__name__}); de beheerder vindt de plek in het log. Het bestand is bewaard"
        )
    if warehouse.current_version(relpath) != current:  # another writer got there first
        raise RuntimeError(f"{shown} was loaded by another process meanwhile; the next run picks it up")

    notes = []
    if current:
        notes.append(f"nieuwe versie {versie}: vervangt versie {current[1]} (andere inhoud)")
    notes.extend(parsed.notes)
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
        shown,
        versie,
        entry.rijen_geladen,
        entry.rijen_afgewezen,
    )
    return entry


def _previous_delivery(warehouse: Warehouse, delivery: Delivery):
    """(path, versie, sha256, leverdatum) of the delivery in force just before this one's date,
    of the same source and deliverer: the one a byte-identical file would repeat."""
    rows = warehouse.query(
        """
        select path, versie, sha256, leverdatum from audit.bestanden
        where status = 'geladen' and bron = ? and entiteit = ? and coalesce(uitvoerder, '') = ?
          and leverdatum < ?
        order by leverdatum desc, versie desc
        limit 1
        """,
        (delivery.bron, delivery.source.entiteit, delivery.uitvoerder or "", delivery.leverdatum),
    )
    return rows[0] if rows else None


def new_files(candidates: list[str], places: Places, warehouse: Warehouse) -> list[str]:
    """Candidates not seen before, or touched since (size or modification time changed).

    An untouched file is not read again; a file written again with the same
    bytes is processed and recorded as a duplicate.
    """
    seen = warehouse.seen_files()
    out = []
    for rel in candidates:
        try:
            st = (places.landing / rel).lstat()
        except FileNotFoundError:  # gone before it was discovered: nothing to account for
            continue
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
