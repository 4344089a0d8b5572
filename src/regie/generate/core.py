"""``generate``: build every gemeente, hand out identifiers, write the landing zone.

``generate`` runs named steps in a fixed order: build the people, hand out
identifiers, compute the money, write each source's deliveries, then describe
what was written (the manifest and what every check must find). The steps
share an ``_Output``: the writer, and what was written where.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import begeleiding as B
from . import files as F
from . import money
from . import quality as Q
from .duo import duo_personen, persoon_json
from .feiten import facts
from .fouten import apply_patches, plant_quality
from .gemeenten import BASE, LEIDEN, LV, VOORSCHOTEN, WASSENAAR, Gemeente, extra_gemeenten, size_class
from .ids import IdAllocator, elfproef, invalid_bsn
from .manifest import Manifest
from .model import Persoon
from .peildata import (
    BEGELEIDING_DATES,
    DUO_DATES,
    GEMEENTE_DATES,
    PROVINCIE_DATES,
    RIJK_DATES,
    TVS_DATES,
    count_by_half,
)
from .plans import leiden_plan, oegstgeest_plan, report_plan, synthetic_plan
from .population import Builder, build

CP1252_FILE = (LEIDEN, "dossiers")  # Leiden's case system exports Windows-1252
BOM_FILE = (LV, "leerroutes")  # Leidschendam-Voorburg's route export carries a UTF-8 BOM

#: where a record was written: (file kind, tag) -> (path, physical line)
Lines = dict[tuple[str, object], tuple[str, int]]


@dataclass
class _Output:
    """The landing zone being written, and what the manifest must say about it."""

    writer: F.Writer
    manifest: Manifest
    lines: Lines = field(default_factory=dict)
    written_ids: set[str] = field(default_factory=set)
    written_births: set[str] = field(default_factory=set)


@dataclass
class _Geld:
    """Balances, money and the interventieladder: computed once, shown per delivery."""

    balances: dict[str, money.Balance]
    financien: dict[str, list[list[str]]]
    spuk: dict[str, list[list[str]]]
    ladder: dict[str, list]


def generate(out: Path, seed: int = 2025, gemeenten: int = 0) -> Manifest:
    """Write a complete, deterministic landing zone under ``out`` and describe it.

    ``out`` should be empty (or absent); nothing but source files is written there.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(seed=seed, extra_gemeenten=gemeenten)
    extras = extra_gemeenten(gemeenten)
    all_gemeenten = list(BASE) + extras

    builders = _build_gemeenten(seed, all_gemeenten, extras)
    leiden = next(b for b in builders if b.g.code == LEIDEN)
    by_uitvoerder = _assign_identifiers(builders)
    geld = _compute_geld(seed, builders, all_gemeenten, extras)

    o = _Output(F.Writer(out, manifest), manifest)
    persons_all = [p for b in builders for p in b.personen + b.overigen]
    households = [hh for b in builders for hh in b.huishoudens]
    _write_duo(o, persons_all, leiden)
    _write_coa_tvs(o, all_gemeenten, geld, households)
    _write_gemeenten(o, all_gemeenten, by_uitvoerder, geld)
    _write_rijk_provincie(o, all_gemeenten, geld)
    trajecten = _write_begeleiding(o, persons_all, all_gemeenten, seed)

    _describe(manifest, all_gemeenten, o, persons_all)
    manifest.planted_quality = Q.expected_findings(o.lines, builders, leiden.extra, trajecten, persons_all)
    manifest.facts.update(facts(builders, persons_all))
    return manifest


# ----------------------------------------------------------------------------- people
def _build_gemeenten(seed: int, all_gemeenten: list[Gemeente], extras: list[Gemeente]) -> list[Builder]:
    """People per woongemeente (report plans first: they never depend on the extra gemeenten);
    Leiden gets the planted quality faults."""
    naam = {g.code: g.naam for g in all_gemeenten}
    plans = [
        report_plan(LV),
        report_plan(VOORSCHOTEN),
        report_plan(WASSENAAR),
        oegstgeest_plan(seed),
        leiden_plan(seed),
    ]
    for i, g in enumerate(extras):
        plans.append(synthetic_plan(g, size_class(i) * 1.6, seed=f"{seed}:{g.code}:plan", heavy=True))
    builders: list[Builder] = [
        build(
            plan,
            seed,
            naam[plan.gemeente.uitvoerder],
            after=(lambda b: plant_quality(b, seed)) if plan.gemeente.code == LEIDEN else None,
        )
        for plan in plans
    ]
    leiden = next(b for b in builders if b.g.code == LEIDEN)
    # one Venezuelan-born family migrant who lived on Curaçao: exercises 'ç' in the cp1252 export
    next(
        p
        for p in sorted(leiden.personen, key=lambda q: q.pid)
        if p.doelgroep == "gezinsmigrant" and p.in_dossiers
    ).herkomstland = "Curaçao"
    return builders


def _assign_identifiers(builders: list[Builder]) -> dict[str, list[Persoon]]:
    """BSNs, V-nummers, household ids and klantnummers, in a fixed order; returns each
    uitvoerder's dossier persons."""
    ids = IdAllocator()
    hh_n = 0
    for b in builders:
        for p in sorted(b.personen + b.overigen, key=lambda q: q.pid):
            if p.brp is not None:
                p.bsn = ids.bsn()
            if p.vnummer == "pending":
                p.vnummer = ids.vnummer()
        for hh in b.huishoudens:
            hh_n += 1
            hh.hid = f"HH{hh_n:07d}"
    by_uitvoerder: dict[str, list[Persoon]] = defaultdict(list)
    for b in builders:
        by_uitvoerder[b.g.uitvoerder].extend(p for p in b.personen if p.in_dossiers)
    for code, people in by_uitvoerder.items():
        people.sort(key=lambda p: (p.dossier, p.gemeente, p.pid))
        for n, p in enumerate(people, start=1):
            p.klantnummer = f"K{code[2:]}-{n:05d}"
    return by_uitvoerder


def _compute_geld(
    seed: int, builders: list[Builder], all_gemeenten: list[Gemeente], extras: list[Gemeente]
) -> _Geld:
    balances = {}
    for b in builders:
        g = b.g
        housed = count_by_half(b.huishoudens)
        if g.code in money.R.TAAKSTELLING:
            bal = money.report_balance(g)
            published = [ger for _, _, _, ger in bal.rows]
            if housed != published:
                raise AssertionError(f"{g.code}: housed {housed} != published {published}")
        else:
            bal = money.synthetic_balance(g, housed, random.Random(f"{seed}:{g.code}:balance"))
        balances[g.code] = bal
    scale = {g.code: size_class(i) for i, g in enumerate(extras)}
    financien = {
        g.code: money.financien_rows(g, random.Random(f"{seed}:{g.code}:fin"), scale.get(g.code, 1.3))
        for g in all_gemeenten
    }
    spuk = {
        g.code: money.spuk_rows(g, random.Random(f"{seed}:{g.code}:spuk"), scale.get(g.code, 1.3))
        for g in all_gemeenten
    }
    ladder = {g.code: money.ladder_steps(g, random.Random(f"{seed}:{g.code}:ladder")) for g in all_gemeenten}
    return _Geld(balances, financien, spuk, ladder)


# ----------------------------------------------------------------------------- deliveries
def _write_duo(o: _Output, persons_all: list[Persoon], leiden: Builder) -> None:
    leiden_sample = next(
        p for p in sorted(leiden.personen, key=lambda q: q.pid) if p.in_dossiers and p.routes
    )
    for d in DUO_DATES:
        people = sorted(duo_personen(persons_all, d), key=lambda p: p.bsn)
        rel = f"duo/{d.isoformat()}/personen.jsonl"
        rejects = []
        if d == DUO_DATES[-1]:
            broken = F.json_line(persoon_json(leiden_sample, d))[:97]  # cut off mid-object: not JSON
            rejects = [(len(people) // 3, broken, "json_ongeldig")]
        o.writer.jsonl(rel, [F.json_line(persoon_json(p, d)) for p in people], rejects=rejects)
        o.written_ids.update(p.bsn for p in people)
        o.written_ids.update(p.vnummer for p in people if p.vnummer)
        if d == DUO_DATES[-1]:
            tagged = [(p, None) for p in people]
            for tag, line in F.line_numbers(tagged, rejects, header=False).items():
                o.lines[("duo", tag)] = (rel, line)


def _write_coa_tvs(o: _Output, all_gemeenten: list[Gemeente], geld: _Geld, households: list) -> None:
    for d in TVS_DATES:
        base = f"coa_tvs/{d.isoformat()}"
        rows = [r for g in all_gemeenten for r in geld.balances[g.code].csv_rows(d)]
        if d == TVS_DATES[-1]:
            # planted: Leiden's published gerealiseerd of the last half year is one more than the TVS
            # shows housed (the half has no successor yet, so the balance still chains)
            i = max(i for i, r in enumerate(rows) if r[0] == LEIDEN)
            rows[i][5] = str(int(rows[i][5]) + 1)
            o.lines[("taakstelling", LEIDEN)] = (f"{base}/taakstelling.csv", i + 2)
            for i in Q.correcties(rows):
                o.lines[("taakstelling_correctie", (rows[i][0], rows[i][2]))] = (
                    f"{base}/taakstelling.csv",
                    i + 2,
                )
        o.writer.csv(f"{base}/taakstelling.csv", rows)
        tagged = F.koppeling_rows(households, d)
        o.writer.csv(f"{base}/koppelingen.csv", [r for _, r in tagged])
        for _, r in tagged:
            o.written_ids.add(r[0])
            if r[1]:
                o.written_ids.add(r[1])
        if d == TVS_DATES[-1]:
            for tag, line in F.line_numbers(tagged).items():
                o.lines[("koppelingen", tag)] = (f"{base}/koppelingen.csv", line)


def _write_gemeenten(
    o: _Output, all_gemeenten: list[Gemeente], by_uitvoerder: dict[str, list[Persoon]], geld: _Geld
) -> None:
    """The exports of each uitvoerder's case system, and each gemeente's financien (last delivery)."""
    uitvoerders = list(dict.fromkeys(g.uitvoerder for g in all_gemeenten))
    for d in GEMEENTE_DATES:
        last = d == GEMEENTE_DATES[-1]
        for code in uitvoerders:
            people = sorted(by_uitvoerder[code], key=lambda p: p.klantnummer)
            base = f"gemeente/{code}/{d.isoformat()}"
            _write_dossiers(o, base, code, people, d, last)
            _write_leerroutes(o, base, code, people, d, last)
            _write_activiteiten(o, base, code, people, d, last)
            o.writer.csv(f"{base}/uitkomsten.csv", F.uitkomst_rows(people, d))
            rows = F.handhaving_rows(people, d)
            if last and code == LEIDEN:
                tagged = apply_patches("handhaving", [(None, r) for r in rows], people)
                rows = [r for _, r in tagged]
                for tag, line in F.line_numbers(tagged).items():
                    o.lines[("handhaving", tag)] = (f"{base}/handhaving.csv", line)
            o.writer.csv(f"{base}/handhaving.csv", rows)
        if last:
            for g in all_gemeenten:
                rejects = []
                if g.code == LEIDEN:
                    rejects = [
                        (3, [g.code, "2021", "BATE", "OVERIG", "REALISATIE", "8870.51"], "decimaal_punt")
                    ]
                o.writer.csv(
                    f"gemeente/{g.code}/{d.isoformat()}/financien.csv",
                    geld.financien[g.code],
                    rejects=rejects,
                )


def _write_dossiers(o: _Output, base: str, code: str, people: list[Persoon], d: dt.date, last: bool) -> None:
    enc = "cp1252" if (code, "dossiers") == CP1252_FILE else "utf-8"
    tagged = F.dossier_rows(people, d)
    if last and code == LEIDEN:
        tagged = apply_patches("dossiers", tagged, people)
    rejects = []
    if last and code == LEIDEN:
        victim = tagged[len(tagged) // 2][1]
        bad = list(victim)
        bad[0] = "K0546-99001"
        bad[1] = invalid_bsn(victim[1])
        assert not elfproef(bad[1])
        o.manifest.facts["planted_invalid_bsn"] = bad[1]
        rejects = [(len(tagged) // 2 + 1, bad, "bsn_elfproef")]
    o.writer.csv(f"{base}/dossiers.csv", [r for _, r in tagged], encoding=enc, rejects=rejects)
    for _, r in tagged:
        if r[1]:
            o.written_ids.add(r[1])
        o.written_births.add(r[6])
    for _, bad, _ in rejects:
        o.written_ids.add(bad[1])
        o.written_births.add(bad[6])
    if last:
        for tag, line in F.line_numbers(tagged, rejects).items():
            o.lines[("dossiers", tag)] = (f"{base}/dossiers.csv", line)


def _write_leerroutes(
    o: _Output, base: str, code: str, people: list[Persoon], d: dt.date, last: bool
) -> None:
    tagged = F.route_rows(people, d)
    rejects = []
    if last and code == LEIDEN:
        k = tagged[len(tagged) // 3][1]
        rejects = [(len(tagged) // 3, [k[0], "B2", k[2], "", k[4], ""], "waarde_onbekend")]
    enc = "utf-8-sig" if (code, "leerroutes") == BOM_FILE else "utf-8"
    o.writer.csv(f"{base}/leerroutes.csv", [r for _, r in tagged], encoding=enc, rejects=rejects)
    if last and code == LEIDEN:
        for tag, line in F.line_numbers(tagged, rejects).items():
            o.lines[("leerroutes", tag)] = (f"{base}/leerroutes.csv", line)


def _write_activiteiten(
    o: _Output, base: str, code: str, people: list[Persoon], d: dt.date, last: bool
) -> None:
    rows = F.activiteit_rows(people, d)
    if last and code == LEIDEN:
        tagged = apply_patches("activiteiten", [(None, r) for r in rows], people)
        rows = [r for _, r in tagged]
        for tag, line in F.line_numbers(tagged).items():
            o.lines[("activiteiten", tag)] = (f"{base}/activiteiten.csv", line)
    rejects = []
    if last and code == LV:
        rows = list(rows)
        k = rows[len(rows) // 2][0]
        impossible = "31-02-2024"
        bad = [
            k,
            "VOORTGANGSGESPREK",
            impossible,
            impossible,
            "1",
            "Gemeente Leidschendam-Voorburg",
            "afgerond",
        ]
        rejects = [(len(rows) // 2, bad, "datum_ongeldig")]
    o.writer.csv(f"{base}/activiteiten.csv", rows, rejects=rejects)


def _write_rijk_provincie(o: _Output, all_gemeenten: list[Gemeente], geld: _Geld) -> None:
    for d in RIJK_DATES:
        o.writer.csv(
            f"rijk/{d.isoformat()}/spuk_beschikkingen.csv",
            [r for g in all_gemeenten for r in geld.spuk[g.code]],
        )
    for d in PROVINCIE_DATES:
        o.writer.csv(
            f"provincie/{d.isoformat()}/interventieladder.csv",
            [r for g in all_gemeenten for r in money.ladder_rows(g, geld.ladder[g.code], d)],
            newline="\r\n",
        )


def _write_begeleiding(
    o: _Output, persons_all: list[Persoon], all_gemeenten: list[Gemeente], seed: int
) -> list[B.Traject]:
    """The provider's trajectories (tables 8.22 and 8.23), faults planted."""
    trajecten = B.trajecten(
        sorted(persons_all, key=lambda p: p.pid), [g.code for g in all_gemeenten], seed, BEGELEIDING_DATES[-1]
    )
    for d in BEGELEIDING_DATES:
        rel = f"begeleiding/{B.AANBIEDER}/{d.isoformat()}/trajecten.csv"
        tagged = B.rows(trajecten, d)
        o.writer.csv(rel, [r for _, r in tagged])
        for _, r in tagged:
            o.written_ids.update(x for x in (r[1], r[2]) if x)
        if d == BEGELEIDING_DATES[-1]:
            for t, line in F.line_numbers(tagged).items():
                o.lines[("trajecten", t)] = (rel, line)
    return trajecten


# ----------------------------------------------------------------------------- the manifest
def _describe(
    manifest: Manifest, all_gemeenten: list[Gemeente], o: _Output, persons_all: list[Persoon]
) -> None:
    manifest.files = dict(sorted(manifest.files.items()))
    manifest.deliveries = {
        "duo": [d.isoformat() for d in DUO_DATES],
        "coa_tvs": [d.isoformat() for d in TVS_DATES],
        "gemeente": [d.isoformat() for d in GEMEENTE_DATES],
        "rijk": [d.isoformat() for d in RIJK_DATES],
        "provincie": [d.isoformat() for d in PROVINCIE_DATES],
        "begeleiding": [d.isoformat() for d in BEGELEIDING_DATES],
    }
    manifest.gemeenten = [
        {
            "gemeentecode": g.code,
            "duo_code": g.duo_code,
            "gemeentenaam": g.naam,
            "provincie": g.provincie,
            "uitvoerder_gemeentecode": g.uitvoerder,
        }
        for g in all_gemeenten
    ]
    manifest.persons = len(persons_all)
    manifest.identifiers = sorted(o.written_ids)
    manifest.birth_dates = sorted(o.written_births - {""})
