"""Blocking: a failing ``blokkerend`` check keeps the previous publication.

The unit is a source and a gemeente: when DUO's delivery holds an impossible
PIP for a Leiden inburgeraar, the rows *for Leiden* of every mart built from
DUO keep what they were at the previous publication; other gemeenten, and
Leiden's rows of marts that do not read DUO, are published as usual. A source
is the folder a delivery came in (``gemeente``, ``duo``, ``coa_tvs``, ...).

The hook in the transform flow, in three calls around the dbt build::

    verdict = publicatie.poort(params)                  # before dbt: blocking checks on raw
    kept = publicatie.bewaar_vorige(params, verdict, marts_per_bron(manifest))
    ...  dbt build (marts, publiek) ...
    publicatie.herstel(params, kept)                    # after dbt: put the kept rows back

``poort`` reads ``raw`` and the ledger itself (:mod:`regie.quality.gegevens`),
so it does not depend on what dbt is about to build. Every decision is
written to ``audit.kwaliteit_blokkades``; the scorecard and the mails say so.
A gemeente that has never been published keeps nothing: its rows are withheld
(``zonder_vorige="inhouden"``) unless the caller chooses to publish them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..config import Settings
from ..warehouse import Warehouse, connect
from . import schema
from .gegevens import has_relation
from .model import BLOKKEREND
from .resultaten import Resultaat

log = logging.getLogger("regie.quality")

BEWAAR_SCHEMA = "kwaliteit_bewaard"
GEMEENTE_KOLOMMEN = ("gemeentecode", "woongemeente")
_NAAM = re.compile(r"^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Blokkade:
    bron: str
    gemeentecode: str
    controles: tuple[str, ...]
    afgekeurd: int

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["controles"] = list(self.controles)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Blokkade:
        return cls(d["bron"], d["gemeentecode"], tuple(d["controles"]), int(d["afgekeurd"]))


def blokkades(res: Resultaat) -> list[Blokkade]:
    """(bron, gemeente) pairs with a failing blocking check, from a run's findings."""
    codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for b in res.bevindingen:
        if b.ernst != BLOKKEREND or not b.gemeentecode:
            continue
        key = (b.bron, b.gemeentecode)
        codes[key].add(b.controle)
        counts[key] += 1
    return [
        Blokkade(bron, gm, tuple(sorted(codes[(bron, gm)])), counts[(bron, gm)]) for bron, gm in sorted(codes)
    ]


def registreer(
    wh: Warehouse,
    run_id: str,
    items: list[Blokkade],
    besluit: str | list[str],
    tabellen: dict[tuple[str, str], list[str]],
) -> None:
    schema.ensure(wh)
    now = dt.datetime.now().replace(microsecond=0)
    n = len(items)
    if not n:
        return
    wh._insert_arrow(
        schema.BLOKKADES.qualified,
        pa.table(
            {
                "run_id": pa.array([run_id] * n, pa.string()),
                "vastgesteld_op": pa.array([now] * n, pa.timestamp("us")),
                "bron": pa.array([b.bron for b in items], pa.string()),
                "gemeentecode": pa.array([b.gemeentecode for b in items], pa.string()),
                "controles": pa.array([", ".join(b.controles) for b in items], pa.string()),
                "afgekeurd": pa.array([b.afgekeurd for b in items], pa.int64()),
                "besluit": pa.array(
                    [besluit if isinstance(besluit, str) else besluit[i] for i, b in enumerate(items)],
                    pa.string(),
                ),
                "tabellen": pa.array(
                    [", ".join(tabellen.get((b.bron, b.gemeentecode), [])) or None for b in items],
                    pa.string(),
                ),
            }
        ),
    )


def poort(params: dict[str, Any], run_id: str | None = None) -> dict[str, Any]:
    """Run the blocking checks on raw before the marts are rebuilt; returns the verdict (JSON-able)."""
    from .tasks import _run_id, controleer_gegevens

    settings = Settings.resolve(params)
    run_id = _run_id(settings, run_id)
    res = controleer_gegevens(settings, run_id, alleen_ernst=BLOKKEREND, bron="raw")
    items = blokkades(res)
    with connect(settings.warehouse) as wh:
        registreer(wh, run_id, items, "vastgesteld", {})
    for b in items:
        log.warning(
            "blokkerend: bron %s, %s: %s (%d afgekeurd); marts uit deze bron houden de vorige publicatie",
            b.bron,
            b.gemeentecode,
            ", ".join(b.controles),
            b.afgekeurd,
        )
    return {"run_id": run_id, "blokkades": [b.as_dict() for b in items]}


def marts_per_bron(manifest: dict | str | Path) -> dict[str, list[str]]:
    """From dbt's manifest.json: per source folder the marts and publiek tables built from it."""
    if not isinstance(manifest, dict):
        manifest = json.loads(Path(manifest).read_text(encoding="utf-8"))
    nodes = {**manifest.get("nodes", {}), **manifest.get("sources", {})}
    parents = manifest.get("parent_map") or {
        k: v.get("depends_on", {}).get("nodes", []) for k, v in nodes.items()
    }

    def bronnen(uid: str, seen: set[str]) -> set[str]:
        if uid in seen:
            return set()
        seen.add(uid)
        node = nodes.get(uid, {})
        if node.get("resource_type") == "source":
            name = node.get("name") or uid.rsplit(".", 1)[-1]
            if node.get("source_name") == "raw" and "__" in name:
                return {name.split("__", 1)[0]}
            return set()
        out: set[str] = set()
        for p in parents.get(uid, []):
            out |= bronnen(p, seen)
        return out

    out: dict[str, set[str]] = defaultdict(set)
    for uid, node in nodes.items():
        config = node.get("config") or {}
        schema_ = node.get("schema") or config.get("schema")
        if node.get("resource_type") != "model" or schema_ not in ("marts", "publiek"):
            continue
        name = node.get("alias") or config.get("alias") or node["name"]
        table = f"{schema_}.{name}"
        # figures only: the quality mart is written by the checks, a dimension is reference data
        if table == schema.REGISTRATIEKWALITEIT.qualified or name.removeprefix("publiek_").startswith("dim_"):
            continue
        for bron in bronnen(uid, set()):
            out[bron].add(table)
    return {b: sorted(t) for b, t in sorted(out.items())}


def _gemeente_kolom(wh: Warehouse, table: str) -> str | None:
    s, t = table.split(".", 1)
    cols = {
        r[0]
        for r in wh.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            (s, t),
        )
    }
    return next((c for c in GEMEENTE_KOLOMMEN if c in cols), None)


def _kolommen(wh: Warehouse, table: str) -> list[str]:
    s, t = table.split(".", 1)
    return [
        r[0]
        for r in wh.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position",
            (s, t),
        )
    ]


def _bewaar_naam(table: str) -> str:
    return f"{BEWAAR_SCHEMA}.{table.replace('.', '__')}"


def bewaar_vorige(
    params: dict[str, Any], verdict: dict[str, Any], tabellen_per_bron: dict[str, list[str]]
) -> dict[str, Any]:
    """Before the dbt build: copy aside the current rows of the blocked gemeenten of each affected table."""
    settings = Settings.resolve(params)
    items = [Blokkade.from_dict(d) for d in verdict.get("blokkades", [])]
    per_table: dict[str, set[str]] = defaultdict(set)
    for b in items:
        for table in tabellen_per_bron.get(b.bron, []):
            per_table[table].add(b.gemeentecode)
    kept: dict[str, Any] = {
        "run_id": verdict.get("run_id"),
        "blokkades": verdict.get("blokkades", []),
        "tabellen": {},
        "tabellen_per_bron": tabellen_per_bron,
    }
    if not per_table:
        return kept
    with connect(settings.warehouse) as wh:
        wh.execute(f"create schema if not exists {BEWAAR_SCHEMA}")
        for table, gemeenten in sorted(per_table.items()):
            if not _NAAM.match(table):
                raise ValueError(f"onverwachte tabelnaam {table!r}")
            target = _bewaar_naam(table)
            wh.execute(f"drop table if exists {target}")
            col = _gemeente_kolom(wh, table) if has_relation(wh, table) else None
            if has_relation(wh, table) and col is None:
                log.warning(
                    "%s heeft geen gemeentekolom; kan de vorige publicatie niet per gemeente bewaren", table
                )
                continue
            rows = 0
            if col is not None:
                marks = ", ".join("?" for _ in gemeenten)
                wh.execute(
                    f"create table {target} as select * from {table} where {col} in ({marks})",
                    sorted(gemeenten),
                )
                rows = wh.query(f"select count(*) from {target}")[0][0]
            kept["tabellen"][table] = {"gemeenten": sorted(gemeenten), "kolom": col, "rijen": rows}
    return kept


def herstel(
    params: dict[str, Any], kept: dict[str, Any], zonder_vorige: str = "inhouden"
) -> list[dict[str, Any]]:
    """After the dbt build: put back the kept rows; record per (bron, gemeente) what was decided."""
    if zonder_vorige not in ("inhouden", "publiceren"):
        raise ValueError("zonder_vorige is inhouden of publiceren")
    settings = Settings.resolve(params)
    items = [Blokkade.from_dict(d) for d in kept.get("blokkades", [])]
    restored: dict[tuple[str, str], int] = defaultdict(int)  # (table, gemeente) -> rows put back
    with connect(settings.warehouse) as wh:
        for table, info in sorted(kept.get("tabellen", {}).items()):
            if not has_relation(wh, table):
                continue
            col = _gemeente_kolom(wh, table)
            if col is None:
                continue
            source = _bewaar_naam(table)
            have_saved = has_relation(wh, source)
            wh._begin()
            try:
                for gm in info["gemeenten"]:
                    n_old = (
                        wh.query(f"select count(*) from {source} where {col} = ?", (gm,))[0][0]
                        if have_saved
                        else 0
                    )
                    if not n_old and zonder_vorige == "publiceren":
                        restored[(table, gm)] = 0
                        continue
                    wh.execute(f"delete from {table} where {col} = ?", (gm,))
                    if n_old:
                        common = [c for c in _kolommen(wh, source) if c in set(_kolommen(wh, table))]
                        cols = ", ".join(common)
                        wh.execute(
                            f"insert into {table} ({cols}) select {cols} from {source} where {col} = ?", (gm,)
                        )
                    restored[(table, gm)] = n_old
            except BaseException:
                wh._rollback()
                raise
            wh._commit()
            if have_saved:
                wh.execute(f"drop table if exists {source}")
        decisions = []
        besluiten = []
        tabellen: dict[tuple[str, str], list[str]] = {}
        for b in items:
            tables = [
                t
                for t in kept.get("tabellen_per_bron", {}).get(b.bron, [])
                if (t, b.gemeentecode) in restored
            ]
            tabellen[(b.bron, b.gemeentecode)] = tables
            if not tables:
                besluit = "geen marts uit deze bron; niets tegengehouden"
            elif any(restored[(t, b.gemeentecode)] for t in tables):
                besluit = "vorige publicatie behouden"
            elif zonder_vorige == "inhouden":
                besluit = "niet gepubliceerd: er is nog geen eerdere publicatie"
            else:
                besluit = "gepubliceerd: er is nog geen eerdere publicatie"
            besluiten.append(besluit)
            decisions.append({**b.as_dict(), "besluit": besluit, "tabellen": tables})
        if items:
            registreer(wh, kept.get("run_id") or "onbekend", items, besluiten, tabellen)
    return decisions
