"""Checking and converting records set-wise, in SQL, from a source description.

For every column the description yields a SQL expression for the typed value
and SQL expressions that give a reason when the rule is broken. One statement
then checks every row of a file at once; no row is looked at in Python.

Reasons quote the offending value so a person can find and fix it, except
for identifying columns (BSN, V-nummer, birth date), whose values are never
repeated anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..pseudonym import Pseudonymiser
from ..sources.spec import IDENTIFYING_KINDS, Column
from ..warehouse.schema import age_column
from .masking import BASE64_PATTERN, DIGITS_PATTERN, HEX_PATTERN

_MAX_QUOTED = 40  # characters of a bad value quoted in a reason


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quoted(ref: str) -> str:
    """SQL text: the value in quotes, shortened when long, masked as :mod:`.masking` says.

    A run of 8 or more digits is masked: in a shifted row it could be a BSN
    or V-nummer, and a reason must never repeat an identifier. A key-like run
    (hexadecimal, or a long base64-like run mixing letters and digits) is never
    quoted; control characters become ``?``.
    """

    # Each step's result is bound once by a lambda (list_transform([x], lambda y: ...)[1])
    # instead of being written out again: the statement stays small and plans fast.
    def let(value: str, name: str, body: str) -> str:
        return f"list_transform([{value}], lambda {name}: {body})[1]"

    cleaned = f"regexp_replace(regexp_replace(_q_v, '[[:cntrl:]]', '?', 'g'), {lit(HEX_PATTERN)}, '<verborgen>', 'g')"
    hidden = (
        f"case when regexp_matches(_q_t, {lit(BASE64_PATTERN)}) and regexp_matches(_q_t, '[0-9]') "
        "and regexp_matches(_q_t, '[A-Za-z]') then '<verborgen>' else _q_t end"
    )
    masked = f"regexp_replace({hidden}, {lit(DIGITS_PATTERN)}, '<getal>', 'g')"
    shown = (
        f"'''' || case when length(_q_m) > {_MAX_QUOTED} "
        f"then left(_q_m, {_MAX_QUOTED}) || '…' else _q_m end || ''''"
    )
    return let(ref, "_q_v", let(cleaned, "_q_t", let(masked, "_q_m", shown)))


@dataclass
class ColumnSQL:
    outputs: list[tuple[str, str]]  # (expression, target column)
    reasons: list[str]  # expressions yielding a reason or NULL


def _date_sql(ref: str, fmt: str) -> str:
    if fmt == "json":
        patterns = ["%Y-%m-%d"]
    else:
        patterns = ["%d-%m-%Y", "%Y-%m-%d"]
    shape = r"^\d{4}-\d{2}-\d{2}$" if fmt == "json" else r"^(\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{2}-\d{2})$"
    tries = ", ".join(f"try_strptime({ref}, {lit(p)})" for p in patterns)
    return f"case when regexp_full_match({ref}, {lit(shape)}) then cast(coalesce({tries}) as date) end"


def date_sql(ref: str, fmt: str) -> str:
    """SQL: the date a text holds (NULL when it holds none), in the file format's notation."""
    return _date_sql(ref, fmt)


def _date_ok(parsed: str) -> str:
    """SQL: is the parsed date (see :func:`date_sql`) a plausible date?"""
    return f"({parsed}) is not null and year({parsed}) between 1900 and 2100"


def column_sql(
    col: Column,
    ref: str,
    fmt: str,
    values_of: dict[str, str],
    dates: dict[str, str] | None = None,
) -> ColumnSQL:
    """Expressions for one column. ``ref`` is its trimmed text, NULL when empty.

    ``values_of`` maps other column names to their refs (for ages). ``dates`` maps a ref
    to a column already holding its parsed date (:func:`date_sql`), so a date that the
    value, its check and an age all need is parsed once per row.
    """

    def date_of(r: str) -> str:
        return (dates or {}).get(r) or _date_sql(r, fmt)

    name = col.name
    reasons: list[str] = []
    if col.required:
        reasons.append(f"case when {ref} is null then {lit(name + ' ontbreekt (verplicht veld)')} end")

    def bad(condition: str, message_sql: str) -> None:
        reasons.append(
            f"case when {ref} is not null and not coalesce({condition}, false) then {message_sql} end"
        )

    kind = col.kind
    if kind == "text":
        reasons.append(looks_like_bsn(ref, name))
        return ColumnSQL([(ref, col.target)], reasons)
    if kind == "int":
        shape = r"^-?(\d{1,3}(\.\d{3})+|\d+)$"
        value = f"try_cast(replace({ref}, '.', '') as bigint)"
        bad(
            f"regexp_full_match({ref}, {lit(shape)}) and {value} is not null",
            f"{lit(name + ' ')} || {quoted(ref)} || ' is geen geheel getal'",
        )
        return ColumnSQL(
            [(f"case when regexp_full_match({ref}, {lit(shape)}) then {value} end", col.target)], reasons
        )
    if kind == "decimal":
        if fmt == "json":
            # a JSON number, or a string in either notation (DUO sends scores as "54,25")
            value = (
                f"coalesce(try_cast({ref} as decimal(18,2)), "
                f"case when regexp_full_match({ref}, '^-?\\d+,\\d+$') "
                f"then try_cast(replace({ref}, ',', '.') as decimal(18,2)) end)"
            )
            bad(f"{value} is not null", f"{lit(name + ' ')} || {quoted(ref)} || ' is geen getal'")
            return ColumnSQL([(value, col.target)], reasons)
        shape = r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$"
        value = f"try_cast(replace(replace({ref}, '.', ''), ',', '.') as decimal(18,2))"
        bad(
            f"regexp_full_match({ref}, {lit(shape)})",
            f"{lit(name + ' ')} || {quoted(ref)} || "
            "' is geen bedrag in Nederlandse notatie (komma voor decimalen, hooguit 2, '"
            "|| 'punt alleen voor duizendtallen, zoals 8.870,51)'",
        )
        return ColumnSQL(
            [(f"case when regexp_full_match({ref}, {lit(shape)}) then {value} end", col.target)], reasons
        )
    if kind == "date":
        form = "jjjj-mm-dd" if fmt == "json" else "dd-mm-jjjj"
        bad(
            _date_ok(date_of(ref)),
            f"{lit(name + ' ')} || {quoted(ref)} || {lit(' is geen geldige datum (' + form + ')')}",
        )
        return ColumnSQL([(date_of(ref), col.target)], reasons)
    if kind == "bool":
        truthy, falsy = ("true", "false") if fmt == "json" else ("J", "N")
        bad(
            f"upper({ref}) in ({lit(truthy.upper())}, {lit(falsy.upper())})",
            f"{lit(name + ' ')} || {quoted(ref)} || {lit(f' is geen {truthy} of {falsy}')}",
        )
        return ColumnSQL([(f"upper({ref}) = {lit(truthy.upper())}", col.target)], reasons)
    if kind == "code":
        cases = " ".join(f"when {lit(v.lower())} then {lit(v)}" for v in col.values)
        value = f"case lower({ref}) {cases} end"
        bad(
            f"({value}) is not null",
            f"{lit(name + ' ')} || {quoted(ref)} || {lit(' is geen bekende waarde (' + ', '.join(col.values) + ')')}",
        )
        return ColumnSQL([(value, col.target)], reasons)
    if kind == "gemeentecode":
        shape = r"^([Gg][Mm])?\d{4}$"
        bad(
            f"regexp_full_match({ref}, {lit(shape)})",
            f"{lit(name + ' ')} || {quoted(ref)} || ' is geen gemeentecode (GM en 4 cijfers)'",
        )
        return ColumnSQL(
            [
                (
                    f"case when regexp_full_match({ref}, {lit(shape)}) then 'GM' || right({ref}, 4) end",
                    col.target,
                )
            ],
            reasons,
        )
    if kind == "periode":
        shape = r"^\d{4}-(I|II|i|ii)$"
        bad(
            f"regexp_full_match({ref}, {lit(shape)})",
            f"{lit(name + ' ')} || {quoted(ref)} || ' is geen halfjaar (zoals 2024-I of 2024-II)'",
        )
        return ColumnSQL(
            [(f"case when regexp_full_match({ref}, {lit(shape)}) then upper({ref}) end", col.target)], reasons
        )
    if kind == "bsn":
        ok = f"regexp_full_match({ref}, '^[0-9]{{9}}$') and ({_elfproef(ref)})"
        bad(ok, lit(f"{name} is geen geldig BSN (9 cijfers die de elfproef doorstaan)"))
        return ColumnSQL([(Pseudonymiser.sql("bsn", f"case when {ok} then {ref} end"), col.target)], reasons)
    if kind == "vnummer":
        ok = f"regexp_full_match({ref}, '^[0-9]{{1,12}}$')"
        bad(ok, lit(f"{name} is geen geldig V-nummer (alleen cijfers)"))
        digits = f"case when {ok} then cast(try_cast({ref} as bigint) as varchar) end"
        return ColumnSQL([(Pseudonymiser.sql("vnummer", digits), col.target)], reasons)
    if kind == "geboortedatum":
        born = date_of(ref)
        on = date_of(values_of[col.age_on]) if col.age_on else "current_date"
        bad(_date_ok(born), lit(f"{name} is geen geldige datum"))
        age = (
            f"year({on}) - year({born}) - case when month({on}) * 100 + day({on}) "
            f"< month({born}) * 100 + day({born}) then 1 else 0 end"
        )
        reasons.append(
            f"case when ({born}) is not null and ({on}) is not null and ({born}) > ({on}) "
            f"then {lit(name + ' ligt na ' + str(col.age_on))} end"
        )
        return ColumnSQL(
            [
                (f"cast(year({born}) as integer)", "geboortejaar"),
                (f"cast({age} as integer)", age_column(col)),
            ],
            reasons,
        )
    raise ValueError(f"unknown kind {kind}")


def looks_like_bsn(ref: str, name: str) -> str:
    """A reason when a text field holds a 9-digit number that passes the elfproef.

    Such a number is a BSN typed into the wrong field (a klantnummer, a remark):
    the row is rejected so it is never stored, and the reason never quotes it.
    """
    runs = f"regexp_extract_all({ref}, '[0-9]+')"
    hit = f"len(list_filter({runs}, lambda x: length(x) = 9 and {_elfproef('x')})) > 0"
    return (
        f"case when regexp_matches({ref}, '[0-9]{{9}}') and {hit} then "
        f"{lit(name + ' bevat een nummer dat op een BSN lijkt (9 cijfers, elfproef); regie slaat het niet op')} end"
    )


def _elfproef(ref: str) -> str:
    terms = " + ".join(f"{9 - i} * try_cast(substr({ref}, {i + 1}, 1) as integer)" for i in range(8))
    return f"coalesce(({terms} - try_cast(substr({ref}, 9, 1) as integer)) % 11 = 0, false)"


def is_identifying(col: Column) -> bool:
    return col.kind in IDENTIFYING_KINDS
