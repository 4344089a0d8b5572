"""Who may read which rows: the access rule, PostgreSQL roles and row-level security.

The rule (one definition, :func:`leesregel`, used by the PostgreSQL policies and
by ``regie export``): a gemeente reads the rows with its own code in the mart's
``gemeente_kolom``; an uitvoerder also reads the ``inburgering`` rows (and the
``referentie`` row naming it) of the gemeenten whose inburgering it executes
(``marts.dim_gemeente.uitvoerder_gemeentecode``), never their housing, money
or quality rows.

PostgreSQL: ``regie toegang`` records a login role in ``toegang.rollen``
(a gemeente, or ``publiek``). Every publication enables row-level security on
every table of ``marts`` and ``historie`` with one policy::

    using (toegang.mag_lezen(current_user, <gemeente_kolom>, '<domein>'))

``toegang.mag_lezen`` is a ``security definer`` function owned by the pipeline's
role; it reads ``toegang.rollen``, which no reader role can read or change. A
reader role owns nothing and is neither superuser nor ``bypassrls``, so the policy
applies to everything it runs; a table without a declaration gets no policy and
therefore shows no rows at all. Reader roles get ``usage`` on the published
schemas they may read and nothing on ``raw``, ``audit``, ``staging``,
``intermediate`` or the work schemas.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from ..warehouse import PUBLISHED_SCHEMAS, WORK_SUFFIX
from .meta import MartSpec

log = logging.getLogger("regie.publish")

SCHEMA = "toegang"
GEMEENTE = "gemeente"
PUBLIEK = "publiek"
#: What each kind of role may read.
SCHEMAS_VOOR = {GEMEENTE: ("marts", "historie"), PUBLIEK: ("publiek",)}
#: Never readable by a reader role.
NIET_VOOR_LEZERS = ("raw", "audit", "staging", "intermediate", SCHEMA)

_ROL = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_GEMEENTECODE = re.compile(r"^GM\d{4}$")


class ToegangFout(ValueError):
    """A role or gemeente regie will not set up."""


def leesregel(kolom: str, domein: str, lezer: str, dim: str = "marts.dim_gemeente") -> str:
    """SQL that is true when gemeente ``lezer`` may read a row of gemeente ``kolom`` in ``domein``.

    The three arguments are SQL expressions (qualify a column: the rule's subquery reads
    ``dim`` as ``u``, whose columns would otherwise capture it). The one definition of the
    access rule.
    """
    return (
        f"({kolom} = {lezer} or ({domein} in ('inburgering', 'referentie') and exists ("
        f"select 1 from {dim} as u where u.gemeentecode = {kolom} and u.uitvoerder_gemeentecode = {lezer})))"
    )


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ensure(con) -> None:
    """The toegang schema, the role table and the policy function (idempotent). ``con``: psycopg, autocommit."""
    con.execute(f"create schema if not exists {SCHEMA}")
    con.execute(f"revoke all on schema {SCHEMA} from public")
    con.execute(
        f"create table if not exists {SCHEMA}.rollen ("
        " rol name primary key,"
        " soort varchar not null check (soort in ('gemeente', 'publiek')),"
        " gemeentecode varchar,"
        " bijgewerkt_op timestamp not null)"
    )
    con.execute(f"revoke all on {SCHEMA}.rollen from public")
    rule = leesregel("$2", "$3", "r.gemeentecode")
    with con.transaction():
        # marts.dim_gemeente may not be published yet: the body is checked when it runs
        con.execute("set local check_function_bodies = off")
        con.execute(
            f"create or replace function {SCHEMA}.mag_lezen(rol name, gemeente varchar, domein varchar) "
            "returns boolean language sql stable security definer "
            "set search_path = pg_catalog, pg_temp as $$ "
            f"select exists (select 1 from {SCHEMA}.rollen as r where r.rol = $1 and r.soort = 'gemeente' "
            f"and $2 is not null and {rule}) $$"
        )
        con.execute(f"revoke all on function {SCHEMA}.mag_lezen(name, varchar, varchar) from public")


@dataclass(frozen=True)
class Rol:
    rol: str
    soort: str
    gemeentecode: str | None


def rollen(con) -> list[Rol]:
    exists = con.execute("select to_regclass('toegang.rollen') is not null").fetchone()[0]
    if not exists:
        return []
    rows = con.execute(f"select rol, soort, gemeentecode from {SCHEMA}.rollen order by rol").fetchall()
    return [Rol(str(r), s, g) for r, s, g in rows]


def beveilig(con, schema: str, specs: dict[str, MartSpec], tabellen: list[str]) -> None:
    """Row-level security on the tables of a (new) marts or historie schema: one policy per table."""
    for table in tabellen:
        q = f"{_ident(schema)}.{_ident(table)}"
        con.execute(f"alter table {q} enable row level security")
        spec = specs.get(table)
        if spec is None:
            log.warning("%s.%s declares no meta.regie: no reader role sees its rows", schema, table)
            continue
        con.execute(
            f"create policy regie_toegang on {q} for select to public using "
            f"({SCHEMA}.mag_lezen(current_user, {_ident(spec.gemeente_kolom)}::varchar, {_lit(spec.domein)}))"
        )


def geef_rechten(con, rol: Rol, schemas: dict[str, str]) -> None:
    """Grant a reader role what its kind may read; ``schemas``: published name -> actual schema now."""
    r = _ident(rol.rol)
    for published in SCHEMAS_VOOR[rol.soort]:
        actual = schemas.get(published)
        if actual is None:
            continue
        con.execute(f"grant usage on schema {_ident(actual)} to {r}")
        con.execute(f"grant select on all tables in schema {_ident(actual)} to {r}")
    if rol.soort == GEMEENTE:
        con.execute(f"grant usage on schema {SCHEMA} to {r}")
        con.execute(f"grant execute on function {SCHEMA}.mag_lezen(name, varchar, varchar) to {r}")


def _bestaande_schemas(con) -> set[str]:
    return {r[0] for r in con.execute("select nspname from pg_namespace").fetchall()}


def ontneem(con, rol: str) -> None:
    """Take away whatever a role may have been given on regie's schemas (before granting anew)."""
    r = _ident(rol)
    existing = _bestaande_schemas(con)
    schemas = [*PUBLISHED_SCHEMAS, *NIET_VOOR_LEZERS] + [s + WORK_SUFFIX for s in PUBLISHED_SCHEMAS]
    for schema in schemas:
        if schema in existing:
            con.execute(f"revoke all on all tables in schema {_ident(schema)} from {r}")
            con.execute(f"revoke all on schema {_ident(schema)} from {r}")
    for schema in ("raw", "audit"):  # default grants an older setup (docker-compose) gave BI
        if schema in existing:
            con.execute(f"alter default privileges in schema {_ident(schema)} revoke all on tables from {r}")
    if (
        "toegang" in existing
        and con.execute("select to_regproc('toegang.mag_lezen') is not null").fetchone()[0]
    ):
        con.execute(f"revoke all on function {SCHEMA}.mag_lezen(name, varchar, varchar) from {r}")


def registreer(url: str, gebruiker: str, gemeente: str | None, publiek: bool) -> str:
    """``regie toegang``: create or update a reader role; returns what was done, for the terminal."""
    import psycopg

    if not _ROL.match(gebruiker):
        raise ToegangFout(f"role name {gebruiker!r}: lower-case letters, digits and _ only (at most 63)")
    if publiek == (gemeente is not None):
        raise ToegangFout("give either --gemeente GMxxxx or --publiek")
    if gemeente is not None:
        gemeente = gemeente.strip().upper()
        if not _GEMEENTECODE.match(gemeente):
            raise ToegangFout(f"gemeente {gemeente!r} is not a gemeentecode (GM and 4 digits)")
    soort = PUBLIEK if publiek else GEMEENTE
    with psycopg.connect(url, autocommit=True) as con:
        row = con.execute(
            "select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = %s", (gebruiker,)
        ).fetchone()
        if row is None:
            con.execute(
                f"create role {_ident(gebruiker)} login nosuperuser nocreatedb nocreaterole noinherit nobypassrls"
            )
            made = "created"
        else:
            if row[0] or row[1]:
                raise ToegangFout(
                    f"role {gebruiker} is a superuser or may bypass row-level security: it would see every "
                    "row; choose another name"
                )
            if con.execute(
                "select count(*) from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = %s",
                (gebruiker,),
            ).fetchone()[0]:
                raise ToegangFout(f"role {gebruiker} owns tables; row-level security would not apply to them")
            made = "updated"
        ensure(con)
        if gemeente is not None:
            known = con.execute("select to_regclass('marts.dim_gemeente') is not null").fetchone()[0]
            if (
                known
                and not con.execute(
                    "select count(*) from marts.dim_gemeente where gemeentecode = %s", (gemeente,)
                ).fetchone()[0]
            ):
                raise ToegangFout(f"gemeente {gemeente} is not in marts.dim_gemeente")
        with con.transaction():
            ontneem(con, gebruiker)
            con.execute(
                f"insert into {SCHEMA}.rollen (rol, soort, gemeentecode, bijgewerkt_op) values (%s, %s, %s, %s) "
                "on conflict (rol) do update set soort = excluded.soort, gemeentecode = excluded.gemeentecode, "
                "bijgewerkt_op = excluded.bijgewerkt_op",
                (gebruiker, soort, gemeente, dt.datetime.now().replace(microsecond=0)),
            )
            existing = _bestaande_schemas(con)
            geef_rechten(
                con, Rol(gebruiker, soort, gemeente), {s: s for s in PUBLISHED_SCHEMAS if s in existing}
            )
    what = (
        f"gemeente {gemeente} (its own rows of marts and historie)"
        if gemeente
        else "publiek (schema publiek only)"
    )
    return f"role {gebruiker} {made}: reads {what}"
