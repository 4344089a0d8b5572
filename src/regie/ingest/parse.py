"""One delivered file in, typed raw rows and rejected rows out.

Reading (``reader``) gives every record as text with its line number;
checking (``validate``) turns the source description into one SQL statement
over all records. Identifiers are pseudonymised inside that statement, so
no raw BSN or V-nummer ever leaves it.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from ..pseudonym import Pseudonymiser
from ..sources.spec import Column, Source
from . import reader
from .errors import FileRejected
from .masking import plain_name
from .validate import column_sql, date_sql, lit, looks_like_bsn

STRAY_BYTES_REASON = (
    "regel bevat tekens die geen UTF-8 zijn (de rest van het bestand is UTF-8); "
    "lever deze regel opnieuw aan in UTF-8"
)
BOM_REASON = "regel bevat een onzichtbaar BOM-teken (U+FEFF) midden in de gegevens"


@dataclass
class Meta:
    """Where a file came from; stamped on every raw row."""

    path: str
    versie: int
    leverdatum: dt.date
    uitvoerder: str | None = None


@dataclass
class Parsed:
    tables: dict[str, pa.Table]  # qualified raw table -> rows
    rejects: pa.Table  # regelnummer, reden
    rows_in: int
    encoding: str
    extra_columns: list[str] = field(default_factory=list)
    missing_columns: list[str] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return next(iter(self.tables.values())).num_rows if self.tables else 0

    @property
    def rows_rejected(self) -> int:
        return self.rejects.num_rows

    @property
    def notes(self) -> list[str]:
        """What the ledger's ``reden`` says about a loaded file (column names already masked)."""
        out = []
        if self.extra_columns:
            out.append("extra kolommen bewaard in _extra: " + ", ".join(self.extra_columns))
        if self.missing_columns:
            out.append(
                "ontbrekende (niet verplichte) kolommen, geladen als leeg: " + ", ".join(self.missing_columns)
            )
        return out


def _used(sql: str, params: dict | None) -> dict:
    """Only the named parameters the statement refers to (DuckDB insists)."""
    return {k: v for k, v in (params or {}).items() if f"${k}" in sql}


def _run(con, sql: str, params: dict | None = None) -> None:
    con.execute(sql, _used(sql, params))


def _arrow(con, sql: str, params: dict | None = None) -> pa.Table:
    return con.sql(sql, params=_used(sql, params)).to_arrow_table()


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _text(name: str) -> str:
    return f"nullif(trim({ident(name)}), '')"


class Parser:
    """Parses files one after another with one in-memory DuckDB connection.

    A task opens one and parses every file of its delivery with it: the
    connection, its settings and its temporary folder are made once, and each
    file's tables are dropped when the file is done. Use it as a context manager.
    """

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="regie-")
        self.workdir = Path(self._tmp.name)
        self.con = duckdb.connect()
        self.con.execute("set preserve_insertion_order = true")
        self.con.execute(f"set temp_directory = {lit(str(self.workdir / 'duckdb'))}")

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()
        self._tmp.cleanup()

    def parse(
        self,
        path: Path,
        source: Source,
        meta: Meta,
        pseudo: Pseudonymiser,
        scanned: reader.Scanner | None = None,
    ) -> Parsed:
        """Parse, check and pseudonymise one file. Raises FileRejected for quarantine.

        ``scanned``: the file's bytes as scanned while they were archived (no second read).
        """
        try:
            decoded = reader.decode(path, self.workdir, scanned)
            if source.format == "csv":
                return _parse_csv(self.con, decoded, source, meta, pseudo)
            return _parse_jsonl(self.con, decoded, source, meta, pseudo)
        finally:
            self._clear()

    def _clear(self) -> None:
        """Drop what one file left behind: its temporary tables and its UTF-8 copy."""
        for (name,) in self.con.execute("select table_name from duckdb_tables() where temporary").fetchall():
            self.con.execute(f"drop table if exists temp.{ident(name)}")
        for leftover in self.workdir.glob("*.utf8"):
            leftover.unlink()


def parse_file(path: Path, source: Source, meta: Meta, pseudo: Pseudonymiser) -> Parsed:
    """Parse, check and pseudonymise one file with a parser of its own (see :class:`Parser`)."""
    with Parser() as parser:
        return parser.parse(path, source, meta, pseudo)


def _first_of_equal(con, table: str, columns: list[str]) -> str:
    """SQL for ``table`` with ``_eerste``: the first line (``_regel``) holding the same values.

    A line equal to an earlier one is a duplicate. Equal lines have equal hashes, so the
    exact comparison (a window over every column) is needed only for the lines whose hash
    occurs more than once; usually there are none and no line is compared at all.
    """
    cols = ", ".join(columns)
    repeated = con.execute(
        f"select count(*) from (select hash({cols}) as h from {table} group by h having count(*) > 1)"
    ).fetchone()[0]
    if not repeated:
        return f"(select *, _regel as _eerste from {table})"
    return (
        f"(select t.*, coalesce(d._eerste, t._regel) as _eerste from {table} t left join ("
        f"select _regel, min(_regel) over (partition by {cols}) as _eerste from {table} "
        f"where hash({cols}) in (select hash({cols}) as h from {table} group by h having count(*) > 1)"
        ") d using (_regel))"
    )


def _meta_select(source: Source) -> str:
    cols = "$bestand as _bestand, cast($versie as integer) as _versie, cast($leverdatum as date) as _leverdatum, _regel as _regelnummer"
    if source.per_gemeente:
        cols += ", $uitvoerder as _uitvoerder"
    if source.per_aanbieder:
        cols += ", $uitvoerder as _aanbieder"
    return cols


def _meta_params(source: Source, meta: Meta) -> dict:
    params = {"bestand": meta.path, "versie": meta.versie, "leverdatum": meta.leverdatum}
    if source.per_gemeente or source.per_aanbieder:
        params["uitvoerder"] = meta.uitvoerder
    return params


def _reason_expr(reasons: list[str], extra: str | None = None) -> str:
    parts = list(reasons)
    if extra:
        parts.append(extra)
    if not parts:
        return "cast(null as varchar)"
    return f"nullif(concat_ws('; ', {', '.join(parts)}), '')"


def _dates(columns: tuple[Column, ...], refs: dict[str, str], fmt: str) -> tuple[dict[str, str], str]:
    """The dates the columns need, parsed once per row: ({ref: column}, select list to add)."""
    wanted = []
    for col in columns:
        if col.kind in ("date", "geboortedatum"):
            wanted.append(refs[col.name])
        if col.kind == "geboortedatum" and col.age_on:
            wanted.append(refs[col.age_on])
    names = {ref: f"_datum{i}" for i, ref in enumerate(dict.fromkeys(wanted))}
    return names, "".join(f", {date_sql(ref, fmt)} as {name}" for ref, name in names.items())


def _with_dates(table: str, added: str) -> str:
    """``table`` (a name or a parenthesised query) with the parsed dates of :func:`_dates`."""
    return f"(select *{added} from {table})" if added else table


def _outputs(columns: tuple[Column, ...], refs: dict[str, str], fmt: str, dates: dict[str, str]):
    outputs: list[str] = []
    reasons: list[str] = []
    for col in columns:
        sql = column_sql(col, refs[col.name], fmt, refs, dates)
        outputs.extend(f"{expr} as {ident(target)}" for expr, target in sql.outputs)
        reasons.extend(sql.reasons)
    return outputs, reasons


def _parse_csv(con, decoded, source: Source, meta: Meta, pseudo: Pseudonymiser) -> Parsed:
    names = reader.read_header(decoded)
    expected = [c.name for c in source.columns]
    missing_required = [c.name for c in source.columns if c.required and c.name not in names]
    if missing_required:
        raise FileRejected(
            "verplichte kolom ontbreekt in de kopregel: "
            + ", ".join(missing_required)
            + f" (gevonden: {reader.shown_names(names)})"
        )
    missing = [n for n in expected if n not in names]
    position = {n: f"c{i}" for i, n in enumerate(names)}  # src holds columns by position
    # an extra column keeps its name unless the name itself looks like data or a secret:
    # then it is known by its position, like a column without a name
    shown = {n: (n if plain_name(n) else f"kolom_{i + 1}") for i, n in enumerate(names)}
    extra_names = [n for n in names if n not in expected]
    extra = [shown[n] for n in extra_names]
    read = reader.read_csv(con, decoded, names)

    refs = {n: (_text(position[n]) if n in position else "cast(null as varchar)") for n in expected}
    dates, dates_select = _dates(source.columns, refs, "csv")
    outputs, reasons = _outputs(source.columns, refs, "csv", dates)
    extra_sql = (
        # kept only when the row has a value in one of them
        f"case when coalesce({', '.join(_text(position[n]) for n in extra_names)}) is not null then "
        "cast(json_object("
        + ", ".join(f"{lit(shown[n])}, {_text(position[n])}" for n in extra_names)
        + ") as varchar) end"
        if extra_names
        else "cast(null as varchar)"
    )
    reasons += [_one_of(group, refs) for group in source.one_of]
    reasons += [looks_like_bsn(_text(position[n]), shown[n]) for n in extra_names]
    reasons += _row_reasons(decoded, [position[n] for n in names])
    duplicate = "case when _eerste < _regel then 'dubbele regel: gelijk aan regel ' || _eerste end"
    _run(
        con,
        f"""
        create temp table checked as
        select _regel, {", ".join(outputs)}, {extra_sql} as _extra,
               {_reason_expr(reasons, duplicate)} as _reden
        from {_with_dates(_first_of_equal(con, "src", [position[n] for n in names]), dates_select)}
        """,
        pseudo.sql_params(),
    )
    targets = [t for c in source.columns for t in _targets(c)]
    loaded = _arrow(
        con,
        f"select {_meta_select(source)}, {', '.join(ident(t) for t in targets)}, _extra "
        "from checked where _reden is null order by _regel",
        _meta_params(source, meta),
    )
    rejects = _rejects(con, read.structural_rejects)
    return Parsed(
        tables={f"raw.{source.table}": loaded},
        rejects=rejects,
        rows_in=read.rows,
        encoding=decoded.encoding,
        extra_columns=extra,
        missing_columns=missing,
    )


def _one_of(group: tuple[str, ...], refs: dict[str, str]) -> str:
    """A reason when every column of the group is empty (at least one is required)."""
    names = " en ".join(group)
    return (
        f"case when coalesce({', '.join(refs[n] for n in group)}) is null "
        f"then {lit(names + ' zijn allebei leeg (minstens een van beide is verplicht)')} end"
    )


def _row_reasons(decoded: reader.Decoded, fields: list[str]) -> list[str]:
    """Reasons about a row as a whole: bytes that were not UTF-8, a byte-order mark inside."""
    line = f"concat_ws('', {', '.join(fields)})"
    out = []
    if decoded.inner_bom:  # the bytes hold a byte-order mark after the start
        out.append(f"case when strpos({line}, {lit(reader.BOM)}) > 0 then {lit(BOM_REASON)} end")
    if decoded.stray_bytes:
        out.append(
            f"case when strpos({line}, {lit(reader.REPLACEMENT)}) > 0 then {lit(STRAY_BYTES_REASON)} end"
        )
    return out


def _targets(col: Column) -> list[str]:
    from ..warehouse.schema import value_columns

    return [name for name, _ in value_columns((col,))]


def _rejects(con, structural: list[tuple[int, str]]) -> pa.Table:
    found = _arrow(con, "select _regel as regelnummer, _reden as reden from checked where _reden is not null")
    if structural:
        extra = pa.table(
            {
                "regelnummer": pa.array([r[0] for r in structural], pa.int64()),
                "reden": pa.array([r[1] for r in structural], pa.string()),
            }
        )
        found = pa.concat_tables([found.cast(extra.schema), extra])
    return found.sort_by("regelnummer")


def _parse_jsonl(con, decoded, source: Source, meta: Meta, pseudo: Pseudonymiser) -> Parsed:
    read = reader.read_jsonl(con, decoded)
    con.execute(
        f"""
        create temp table shapes as
        select _regel, _json, json_valid(_json) as valid, _eerste
        from {_first_of_equal(con, "src", ["_json"])}
        """
    )
    con.execute(
        "create temp table good as select _regel, _eerste, _json, cast(_json as json) as j from shapes where valid"
    )
    con.execute("create temp table objects as select * from good where json_type(j) = 'OBJECT'")

    def jref(path: str, obj: str = "j") -> str:
        return f"nullif(trim(json_extract_string({obj}, {lit(path)})), '')"

    refs = {c.name: jref(c.path or f"$.{c.name}") for c in source.columns}
    dates, dates_select = _dates(source.columns, refs, "json")
    outputs, reasons = _outputs(source.columns, refs, "json", dates)

    # Repeating groups: checked per element, a bad element rejects its line.
    child_reason_tables: list[str] = []
    for child in source.children:
        con.execute(
            f"""
            create temp table child_{child.name} as
            select _regel, generate_subscripts(elems, 1) as _volgnummer, unnest(elems) as e
            from (select _regel, json_extract(j, {lit(child.path + "[*]")}) as elems from objects)
            where elems is not null
            """
        )
        crefs = {c.name: jref(c.path or f"$.{c.name}", "e") for c in child.columns}
        cdates, cdates_select = _dates(child.columns, crefs, "json")
        couts, creasons = _outputs(child.columns, crefs, "json", cdates)
        _run(
            con,
            f"""
            create temp table child_{child.name}_checked as
            select _regel, _volgnummer, {", ".join(couts)},
                   {_reason_expr(creasons)} as _reden
            from {_with_dates(f"child_{child.name}", cdates_select)}
            """,
            pseudo.sql_params(),
        )
        child_reason_tables.append(
            f"select _regel, string_agg({lit(child.name)} || '[' || _volgnummer || ']: ' || _reden, '; ' "
            f"order by _volgnummer) as r from child_{child.name}_checked where _reden is not null group by _regel"
        )
    child_reasons = (
        "select _regel, string_agg(r, '; ') as r from ("
        + " union all ".join(child_reason_tables)
        + ") group by _regel"
        if child_reason_tables
        else "select cast(null as bigint) as _regel, cast(null as varchar) as r where false"
    )
    duplicate = "case when o._eerste < o._regel then 'dubbele regel: gelijk aan regel ' || o._eerste end"
    _run(
        con,
        f"""
        create temp table checked as
        select o._regel, {", ".join(outputs)}, cast(null as varchar) as _extra,
               {_reason_expr(reasons + _row_reasons(decoded, ["o._json"]) + ["cr.r"], duplicate)} as _reden
        from {_with_dates("objects", dates_select)} o left join ({child_reasons}) cr on cr._regel = o._regel
        """,
        pseudo.sql_params(),
    )
    targets = [t for c in source.columns for t in _targets(c)]
    tables = {
        f"raw.{source.table}": _arrow(
            con,
            f"select {_meta_select(source)}, {', '.join(ident(t) for t in targets)}, _extra "
            "from checked where _reden is null order by _regel",
            _meta_params(source, meta),
        )
    }
    for child in source.children:
        ctargets = [t for c in child.columns for t in _targets(c)]
        tables[f"raw.{source.bron}__{child.table}"] = _arrow(
            con,
            f"""
                select {_meta_select(source)}, p.persoon_id, cast(c._volgnummer as integer) as _volgnummer,
                       {", ".join("c." + ident(t) for t in ctargets)}
                from child_{child.name}_checked c join checked p using (_regel)
                where p._reden is null order by _regel, _volgnummer
                """,
            _meta_params(source, meta),
        )
    structural = [
        (r, "regel is geen geldige JSON")
        for (r,) in con.execute("select _regel from shapes where not valid").fetchall()
    ] + [
        (r, "regel is geen JSON-object")
        for (r,) in con.execute("select _regel from good where json_type(j) <> 'OBJECT'").fetchall()
    ]
    return Parsed(
        tables=tables,
        rejects=_rejects(con, structural),
        rows_in=read.rows,
        encoding=decoded.encoding,
    )
