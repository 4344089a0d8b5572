"""Reading a delivered file into an all-text DuckDB table, one row per record.

Every row keeps its physical line number (``_regel``; the CSV header is line
1). The fast path is DuckDB's own CSV reader; a file it cannot read exactly
(a row with the wrong number of fields, a quoted field spanning lines, blank
lines) is read again with Python's csv module, which knows where each record
starts. Problems with the file as a whole raise :class:`FileRejected`.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from .errors import FileRejected
from .masking import plain_name

_CHUNK = 8 * 1024 * 1024
#: The limits of what regie reads (docs/sources.md): a field up to 64 MiB, a physical line
#: up to 64 MiB plus 64 KiB, a header line up to 64 KiB, at most 500 columns. Beyond them
#: the file is quarantined with a reason; nothing crashes and nothing is read half.
_MAX_FIELD = 64 * 1024 * 1024
MAX_LINE_BYTES = _MAX_FIELD + 64 * 1024
MAX_HEADER_CHARS = 64 * 1024
MAX_COLUMNS = 500
REPLACEMENT = "\ufffd"  # stands in for a byte that is not UTF-8 in a UTF-8 file
BOM = "\ufeff"
_STRAY = re.compile("[\udc80-\udcff]")  # a byte the UTF-8 decoder could not place (surrogateescape)
_UTF8_ONLY = re.compile("[\u0080-\udc7f\udd00-\U0010ffff]")
_OTHER_SEPARATORS = {",": "komma (,)", "\t": "tab", "|": "verticale streep (|)"}
_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass
class Decoded:
    """A file checked for encoding; ``text_path`` is UTF-8 for DuckDB to read."""

    text_path: Path
    encoding: str  # utf-8 | utf-8-sig | cp1252
    newlines: int
    ends_with_newline: bool
    size: int
    #: bytes of a UTF-8 file that are not UTF-8, replaced by U+FFFD in ``text_path``;
    #: their rows are rejected
    stray_bytes: int = 0
    #: a byte-order mark somewhere after the start: only then can a row hold one
    inner_bom: bool = True


def _bytes(n: int) -> str:
    return f"{n:,}".replace(",", ".")


class Scanner:
    """What :func:`decode` needs to know about a file's bytes, learnt chunk by chunk.

    Fed the chunks of the one pass that hashes and archives a file
    (:func:`regie.ingest.load.snapshot`), so the bytes are not read again to
    check them. It never raises while fed: the first problem found is kept in
    ``problem`` (the file is archived whole all the same) and raised by
    :meth:`result`; after a problem the remaining chunks are not looked at.
    """

    def __init__(self) -> None:
        self.size = 0
        self.newlines = 0
        self.last = b""
        self._head = b""  # the first three bytes: a leading byte-order mark?
        self.stray = 0
        self.multibyte = False  # a character only UTF-8 explains
        self.boms = 0  # byte-order marks (EF BB BF) anywhere, the leading one included
        self._tail = b""  # the last two bytes seen (a BOM split over chunks)
        self.problem: FileRejected | None = None
        self._run = 0  # bytes since the last newline
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")

    @property
    def has_bom(self) -> bool:
        return self._head == codecs.BOM_UTF8

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.problem is not None or not chunk:
            return
        if len(self._head) < 3:
            self._head += chunk[: 3 - len(self._head)]
        if b"\x00" in chunk:
            self.problem = FileRejected(
                "het bestand bevat binaire gegevens (NUL-tekens): is het een "
                "Excel- of ander binair bestand in plaats van tekst?"
            )
            return
        first_nl = chunk.find(b"\n")
        if first_nl < 0:
            self._run += len(chunk)
        else:
            self._run += first_nl
        if self._run > MAX_LINE_BYTES:
            self.problem = FileRejected(
                f"regel {self.newlines + 1} is langer dan {_bytes(MAX_LINE_BYTES)} bytes (is het regeleinde "
                "weggevallen?); regie leest regels tot 64 MiB"
            )
            return
        if first_nl >= 0:
            self._run = len(chunk) - chunk.rfind(b"\n") - 1
        self.newlines += chunk.count(b"\n")
        self.last = chunk[-1:]
        joined = self._tail + chunk  # a BOM may start in an earlier chunk (never fits in the tail)
        self._tail = joined[-2:]
        if chunk.isascii() and not self._utf8.getstate()[0]:
            return  # plain ASCII with nothing pending: valid UTF-8, no BOM, nothing only UTF-8 explains
        self.boms += joined.count(codecs.BOM_UTF8)
        text = self._utf8.decode(chunk)
        if _STRAY.search(text):
            self.stray += len(_STRAY.findall(text))
        self.multibyte = self.multibyte or bool(_UTF8_ONLY.search(text))

    def result(self) -> None:
        """Raise the problem found, if any; finish the decoder."""
        if self.size == 0:
            raise FileRejected("leeg bestand: 0 bytes, geen kopregel en geen gegevens")
        if self.problem is not None:
            raise self.problem
        self.stray += len(_STRAY.findall(self._utf8.decode(b"", final=True)))
        self._utf8.reset()


def scan(path: Path) -> Scanner:
    """A :class:`Scanner` fed from a file (when the bytes were not scanned while archiving)."""
    scanner = Scanner()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            scanner.feed(chunk)
    return scanner


def decode(path: Path, workdir: Path, scanned: Scanner | None = None) -> Decoded:
    """Decide the encoding honestly, per file; write a UTF-8 copy to ``workdir`` where needed.

    * valid UTF-8 (with or without BOM): read as it is;
    * UTF-8 (a BOM, or characters that only UTF-8 explains) with bytes that are not
      UTF-8: those bytes become U+FFFD in a copy and their rows are rejected; the file
      is never re-read as Windows-1252 as a whole (that turns every ``ë`` into ``Ã«``);
    * no UTF-8 character at all but bytes above 127: Windows-1252, transcoded.

    ``scanned``: the same bytes already scanned while they were archived; without it
    the file is read once more to scan it.
    """
    s = scanned if scanned is not None else scan(path)
    s.result()
    size, newlines, last, has_bom, stray, multibyte = (
        s.size,
        s.newlines,
        s.last,
        s.has_bom,
        s.stray,
        s.multibyte,
    )
    ends = last == b"\n"
    inner_bom = s.boms > (1 if has_bom else 0)
    if not stray:
        return Decoded(path, "utf-8-sig" if has_bom else "utf-8", newlines, ends, size, 0, inner_bom)
    if has_bom or multibyte:
        # UTF-8 with stray bytes: keep UTF-8, mark the bytes, reject their rows
        out = workdir / (path.name + ".utf8")
        dec = codecs.getincrementaldecoder("utf-8")(errors="replace")
        with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(_CHUNK):
                dst.write(dec.decode(chunk))
            dst.write(dec.decode(b"", final=True))
        return Decoded(out, "utf-8-sig" if has_bom else "utf-8", newlines, ends, size, stray, inner_bom)
    # No UTF-8 at all: the contract's other encoding is Windows-1252.
    out = workdir / (path.name + ".utf8")
    cp = codecs.getincrementaldecoder("cp1252")()
    offset = 0
    with path.open("rb") as fh, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := fh.read(_CHUNK):
            try:
                dst.write(cp.decode(chunk))
            except UnicodeDecodeError as exc:
                raise FileRejected(
                    "onleesbare tekens: het bestand is geen UTF-8 en geen Windows-1252 "
                    f"(byte {offset + exc.start + 1} kan in geen van beide)"
                ) from None
            offset += len(chunk)
    return Decoded(out, "cp1252", newlines, ends, size, 0, inner_bom)


@dataclass
class ReadResult:
    """The records of a file as text, plus what was found on the way."""

    table: str  # DuckDB table: _regel + c0..cN, one text column per header position
    columns: list[str]  # normalised header names (CSV) or ["_json"] (JSONL)
    rows: int
    structural_rejects: list[tuple[int, str]] = field(default_factory=list)


def read_header(decoded: Decoded) -> list[str]:
    with decoded.text_path.open("r", encoding="utf-8-sig", newline="") as fh:
        line = fh.readline(MAX_HEADER_CHARS + 1)
    if len(line) > MAX_HEADER_CHARS and not line.endswith("\n"):
        raise FileRejected(
            f"de kopregel is langer dan {_bytes(MAX_HEADER_CHARS)} tekens; regie verwacht een kopregel met "
            "kolomnamen (ontbreekt het regeleinde, of is het geen CSV-bestand?)"
        )
    stripped = line.strip("\r\n")
    if not stripped.strip():
        raise FileRejected("geen kopregel: de eerste regel van het bestand is leeg")
    if REPLACEMENT in stripped:
        raise FileRejected(
            "de kopregel bevat tekens die geen UTF-8 zijn; lever het bestand geheel in UTF-8 aan"
        )
    csv.field_size_limit(_MAX_FIELD)
    try:
        names = next(csv.reader([stripped], delimiter=";", quotechar='"'))
    except csv.Error:
        raise FileRejected("de kopregel is geen geldige CSV (een aanhalingsteken zonder einde?)") from None
    if len(names) > MAX_COLUMNS:
        raise FileRejected(
            f"de kopregel heeft {_bytes(len(names))} kolommen; regie leest hooguit {MAX_COLUMNS} kolommen"
        )
    names = [n.strip().lower() for n in names]
    if len(names) == 1:
        for sep, label in _OTHER_SEPARATORS.items():
            if sep in stripped:
                raise FileRejected(
                    f"verkeerd scheidingsteken: de kopregel is gescheiden met {label}; "
                    "regie verwacht een puntkomma (;)"
                )
    # A column without a name (Excel writes a trailing ';') is an extra column
    # like any other: kept in _extra when it holds values, never a reason to fail.
    names = [n or f"kolom_{i + 1}" for i, n in enumerate(names)]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise FileRejected(f"de kopregel noemt een kolom twee keer: {shown_names(dupes)}")
    return names


def shown_names(names: list[str]) -> str:
    """Header names for a message, without repeating any that look like data.

    A file delivered without its header row has values where the names should
    be (a BSN, a birth date); those are counted, never quoted.
    """
    shown = [n for n in names if shown_safely(n)]
    hidden = len(names) - len(shown)
    if hidden:
        what = (
            "naam die op gegevens lijkt en niet wordt"
            if hidden == 1
            else "namen die op gegevens lijken en niet worden"
        )
        shown.append(f"{hidden} {what} herhaald (ontbreekt de kopregel?)")
    return ", ".join(shown)


def read_csv(con: duckdb.DuckDBPyConnection, decoded: Decoded, names: list[str]) -> ReadResult:
    """All records as text into table ``src``; a truncated last row rejects the file."""
    positional = {f"c{i}": "VARCHAR" for i in range(len(names))}
    try:
        con.execute("drop table if exists src_read")
        con.execute(
            "create temp table src_read as select * from read_csv(?, delim=';', quote='\"', "
            "escape='\"', header=false, skip=1, auto_detect=false, columns=?, "
            "strict_mode=true, null_padding=false, max_line_size=?, "
            "buffer_size=?, parallel=false)",
            [str(decoded.text_path), positional, _MAX_FIELD + 1024, 2 * _MAX_FIELD + 4096],
        )
        n = con.execute("select count(*) from src_read").fetchone()[0]
        physical = decoded.newlines + (0 if decoded.ends_with_newline else 1)
        if n + 1 == physical:
            select = ", ".join(f"c{i}" for i in range(len(names)))
            con.execute("drop table if exists src")
            con.execute(
                f"create temp table src as select rowid + 2 as _regel, {select} from src_read order by rowid"
            )
            con.execute("drop table src_read")
            return ReadResult("src", names, n)
    except duckdb.Error:
        # DuckDB's message quotes the offending line, which may hold a BSN:
        # it is never logged. The exact reader below says what is wrong.
        pass
    con.execute("drop table if exists src_read")
    return _read_csv_exact(con, decoded, names)


def _read_csv_exact(con: duckdb.DuckDBPyConnection, decoded: Decoded, names: list[str]) -> ReadResult:
    csv.field_size_limit(_MAX_FIELD)
    width = len(names)
    regels: list[int] = []
    columns: list[list[str | None]] = [[] for _ in names]
    rejects: list[tuple[int, str]] = []
    with decoded.text_path.open("r", encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter=";", quotechar='"', strict=True)
        try:
            next(reader)  # header
        except csv.Error as exc:
            raise FileRejected(f"de kopregel is onleesbaar: {exc}") from None
        start = reader.line_num + 1
        pending: tuple[int, list[str]] | None = None
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise FileRejected(
                        f"regel {start} heeft een veld van meer dan 64 MiB; regie leest velden tot 64 MiB"
                    ) from None
                if "unexpected end of data" in str(exc) or "EOF" in str(exc):
                    raise FileRejected(
                        f"het bestand is afgebroken: regel {start} eindigt midden in een "
                        "veld tussen aanhalingstekens"
                    ) from None
                rejects.append((start, "regel is geen geldige CSV (" + _csv_problem(exc) + ")"))
                start = reader.line_num + 1
                continue
            if pending is not None:
                _take(pending, width, regels, columns, rejects)
            if record:  # blank lines are not records
                pending = (start, record)
            else:
                pending = None
            start = reader.line_num + 1
    if pending is not None:
        line, record = pending
        if len(record) < width and not decoded.ends_with_newline:
            raise FileRejected(
                f"het bestand is afgebroken: de laatste regel ({line}) heeft {len(record)} "
                f"van de {width} velden en eindigt zonder regeleinde"
            )
        _take(pending, width, regels, columns, rejects)
    data = {"_regel": pa.array(regels, pa.int64())}
    # positional names: a header may name a column anything, even "_regel"
    for i, values in enumerate(columns):
        data[f"c{i}"] = pa.array(values, pa.string())
    table = pa.table(data)
    con.register("_src_arrow", table)
    con.execute("drop table if exists src")
    con.execute("create temp table src as select * from _src_arrow")
    con.unregister("_src_arrow")
    return ReadResult("src", names, len(regels) + len(rejects), rejects)


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint in Dutch; never its text, which may quote the line."""
    text = str(exc)
    if "expected after" in text:
        return "tekst direct na een afsluitend aanhalingsteken"
    if "new-line character seen in unquoted field" in text:
        return "regeleinde midden in een veld zonder aanhalingstekens"
    return "onleesbaar veld"


def _take(pending, width, regels, columns, rejects) -> None:
    line, record = pending
    if len(record) != width:
        rejects.append((line, f"regel heeft {len(record)} velden, de kopregel {width}"))
        return
    regels.append(line)
    for i, value in enumerate(record):
        columns[i].append(value)


def read_jsonl(con: duckdb.DuckDBPyConnection, decoded: Decoded) -> ReadResult:
    """One row per non-blank line, as text, into table ``src``."""
    regels: list[int] = []
    texts: list[str] = []
    with decoded.text_path.open("r", encoding="utf-8-sig", newline="") as fh:
        for number, line in enumerate(fh, 1):
            text = line.strip()
            if text:
                regels.append(number)
                texts.append(text)
    if texts and not decoded.ends_with_newline:
        try:
            json.loads(texts[-1])
        except ValueError:
            raise FileRejected(
                f"het bestand is afgebroken: de laatste regel ({regels[-1]}) is geen "
                "volledige JSON en eindigt zonder regeleinde"
            ) from None
    table = pa.table({"_regel": pa.array(regels, pa.int64()), "_json": pa.array(texts, pa.string())})
    con.register("_src_arrow", table)
    con.execute("drop table if exists src")
    con.execute("create temp table src as select * from _src_arrow")
    con.unregister("_src_arrow")
    return ReadResult("src", ["_json"], len(regels))


def safe_name(name: str) -> bool:
    return bool(_SAFE_NAME.match(name))


def shown_safely(name: str) -> bool:
    """May a header name be repeated in a reason? Only a plain name that masks to itself
    and is not longer than a value would be quoted (a key, a BSN, a pasted line: no)."""
    return safe_name(name) and plain_name(name)
