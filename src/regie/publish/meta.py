"""What each mart declares about itself: ``config.meta.regie`` in its dbt yml.

Everything published is derived from these declarations, so adding a mart to
``publiek``, ``historie``, the access rules and the extracts is a few lines in
its yml (docs/publicatie.md lists them)::

    models:
      - name: fct_pip_tijdigheid
        config:
          meta:
            regie:
              domein: inburgering          # inburgering | huisvesting | geld | referentie | kwaliteit | signalen
              gemeente_kolom: woongemeente # whose row it is
              tellingen: [inschrijvingen, pip_vastgesteld, pip_binnen_10_weken, pip_te_laat]
              afgeleid: {mediaan_dagen_tot_pip: [pip_vastgesteld]}
              relaties:
                - pip_vastgesteld = pip_binnen_10_weken + pip_te_laat
                - inschrijvingen = pip_vastgesteld + ...        # "...": a part not published
              # optional
              sleutel: [woongemeente, jaar, doelgroep]          # the grain, for the two below
              verschuivingen: ["asiel_cohort_1[jaar] = asiel_cohort_0[jaar - 1]"]
              totalen: [{dimensie: leeftijdsklasse, totaal: totaal}]
              publiek: true                                     # default true
              historie: true                                    # default: true unless referentie
              historie_kolommen: {peildatum: peildatum_tvs}     # rename a column in historie

The declarations are read from dbt's parsed manifest (the committed
``dbt_project/cosmos_manifest.json``, which ``tests/test_dbt_cosmos.py`` keeps
in step with the yml files).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

#: Who may read a row (regie.publish.toegang): the gemeente of the row always; the
#: uitvoerder executing its inburgering also for ``inburgering`` (and the ``referentie``
#: row naming that gemeente); ``huisvesting``, ``geld``, ``kwaliteit`` and ``signalen`` (its
#: warnings, which mix housing, money and inburgering) only the gemeente itself.
DOMEINEN = ("inburgering", "huisvesting", "geld", "referentie", "kwaliteit", "signalen")

_NAAM = re.compile(r"^[a-z_][a-z0-9_]*$")
_RELATIE = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*=\s*(.+?)\s*$")
_VERSCHUIVING = re.compile(
    r"^\s*([a-z_][a-z0-9_]*)\[([a-z_][a-z0-9_]*)\]\s*=\s*([a-z_][a-z0-9_]*)\[([a-z_][a-z0-9_]*)\s*-\s*(\d+)\]\s*$"
)


class MetaFout(ValueError):
    """A mart's ``meta.regie`` block is incomplete or wrong."""


@dataclass(frozen=True)
class Relatie:
    """``totaal = delen[0] + delen[1] + ...`` on every row; ``rest``: plus a part nobody publishes."""

    totaal: str
    delen: tuple[str, ...]
    rest: bool = False

    def __str__(self) -> str:
        return f"{self.totaal} = {' + '.join(self.delen)}" + (" + ..." if self.rest else "")


@dataclass(frozen=True)
class Verschuiving:
    """``kolom`` of a row equals ``bron`` of the row whose ``dimensie`` is ``stap`` lower (other keys equal)."""

    kolom: str
    bron: str
    dimensie: str
    stap: int


@dataclass(frozen=True)
class Totaal:
    """The row whose ``dimensie`` is ``waarde`` holds the sum of the rows with the other values."""

    dimensie: str
    waarde: str


@dataclass(frozen=True)
class MartSpec:
    naam: str
    domein: str
    gemeente_kolom: str
    tellingen: tuple[str, ...] = ()
    afgeleid: dict[str, tuple[str, ...]] = field(default_factory=dict)
    relaties: tuple[Relatie, ...] = ()
    verschuivingen: tuple[Verschuiving, ...] = ()
    totalen: tuple[Totaal, ...] = ()
    sleutel: tuple[str, ...] = ()
    publiek: bool = True
    historie: bool = True
    historie_kolommen: dict[str, str] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash(self.naam)


def parse(naam: str, regie: dict[str, Any]) -> MartSpec:
    """One mart's ``meta.regie`` block, checked."""

    def fout(msg: str) -> MetaFout:
        return MetaFout(f"{naam}: meta.regie: {msg}")

    if not isinstance(regie, dict):
        raise fout("expected a mapping")
    domein = regie.get("domein")
    if domein not in DOMEINEN:
        raise fout(f"domein must be one of {', '.join(DOMEINEN)}, not {domein!r}")
    kolom = regie.get("gemeente_kolom")
    if not isinstance(kolom, str) or not _NAAM.match(kolom):
        raise fout("gemeente_kolom (the column with the row's gemeentecode) is required")
    tellingen = tuple(regie.get("tellingen") or ())
    for t in tellingen:
        if not isinstance(t, str) or not _NAAM.match(t):
            raise fout(f"tellingen: {t!r} is not a column name")
    afgeleid = {}
    for col, basis in (regie.get("afgeleid") or {}).items():
        basis = tuple(basis or ())
        if not basis or any(b not in tellingen for b in basis):
            raise fout(f"afgeleid {col}: list the counts it is computed from (from tellingen)")
        afgeleid[str(col)] = basis
    relaties = []
    for text in regie.get("relaties") or ():
        m = _RELATIE.match(str(text))
        if not m:
            raise fout(f"relatie {text!r}: write 'totaal = deel + deel [+ ...]'")
        terms = [t.strip() for t in m.group(2).split("+")]
        rest = terms[-1] == "..."
        delen = tuple(terms[:-1] if rest else terms)
        for t in (m.group(1), *delen):
            if t not in tellingen:
                raise fout(f"relatie {text!r}: {t} is not in tellingen")
        if not delen:
            raise fout(f"relatie {text!r}: no parts")
        relaties.append(Relatie(m.group(1), delen, rest))
    sleutel = tuple(regie.get("sleutel") or ())
    verschuivingen = []
    for text in regie.get("verschuivingen") or ():
        m = _VERSCHUIVING.match(str(text))
        if not m or m.group(2) != m.group(4):
            raise fout(f"verschuiving {text!r}: write 'kolom[dim] = kolom[dim - 1]'")
        v = Verschuiving(m.group(1), m.group(3), m.group(2), int(m.group(5)))
        if v.kolom not in tellingen or v.bron not in tellingen or v.dimensie not in sleutel:
            raise fout(f"verschuiving {text!r}: counts from tellingen, the dimension from sleutel")
        verschuivingen.append(v)
    totalen = []
    for item in regie.get("totalen") or ():
        if not isinstance(item, dict) or "dimensie" not in item or "totaal" not in item:
            raise fout("totalen: [{dimensie: <column>, totaal: <value of the total row>}]")
        if item["dimensie"] not in sleutel:
            raise fout(f"totalen: {item['dimensie']} must be in sleutel")
        totalen.append(Totaal(str(item["dimensie"]), str(item["totaal"])))
    historie_kolommen = {str(k): str(v) for k, v in (regie.get("historie_kolommen") or {}).items()}
    return MartSpec(
        naam=naam,
        domein=domein,
        gemeente_kolom=kolom,
        tellingen=tellingen,
        afgeleid=afgeleid,
        relaties=tuple(relaties),
        verschuivingen=tuple(verschuivingen),
        totalen=tuple(totalen),
        sleutel=sleutel,
        publiek=bool(regie.get("publiek", True)),
        historie=bool(regie.get("historie", domein != "referentie")),
        historie_kolommen=historie_kolommen,
    )


def from_manifest(manifest: dict[str, Any]) -> dict[str, MartSpec]:
    """Every model in schema marts that declares ``meta.regie``, by table name."""
    out: dict[str, MartSpec] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        config = node.get("config") or {}
        if config.get("schema") != "marts":
            continue
        name = config.get("alias") or node.get("alias") or node["name"]
        regie = (config.get("meta") or {}).get("regie")
        if regie is None:
            regie = (node.get("meta") or {}).get("regie")
        if regie is not None:
            out[name] = parse(name, regie)
    return dict(sorted(out.items()))


def marts_zonder_meta(manifest: dict[str, Any]) -> list[str]:
    """Marts that declare nothing (the tests require every mart to)."""
    out = []
    for node in manifest.get("nodes", {}).values():
        config = node.get("config") or {}
        if node.get("resource_type") == "model" and config.get("schema") == "marts":
            if "regie" not in (config.get("meta") or {}):
                out.append(node["name"])
    return sorted(out)


def manifest_path() -> Path:
    from ..transform.project import COSMOS_MANIFEST, project_dir

    return project_dir() / COSMOS_MANIFEST


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> dict[str, MartSpec]:
    return from_manifest(json.loads(Path(path).read_text(encoding="utf-8")))


def specs() -> dict[str, MartSpec]:
    """The declarations of the marts, from the committed manifest."""
    path = manifest_path()
    return _load(str(path), path.stat().st_mtime)
