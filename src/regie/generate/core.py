"""``generate``: build every gemeente, hand out identifiers, write the landing zone."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

from . import begeleiding as B
from . import files as F
from . import money
from . import quality as Q
from .duo import duo_persons, person_json
from .fouten import apply_patches, plant_quality
from .gemeenten import BASE, LEIDEN, LV, VOORSCHOTEN, WASSENAAR, extra_gemeenten, size_class
from .ids import IdAllocator, elfproef, invalid_bsn
from .manifest import Manifest
from .model import SH, Person
from .peildata import HALVES, TVS_PEIL
from .peildata import count_by_half as _count_by_half
from .plans import leiden_plan, oegstgeest_plan, report_plan, synthetic_plan
from .population import Builder, build

DUO_DATES = [dt.date(2024, 8, 1), dt.date(2025, 2, 25)]
TVS_DATES = [dt.date(2024, 6, 30), dt.date(2024, 10, 31)]
GEMEENTE_DATES = [dt.date(2024, 6, 30), dt.date(2025, 2, 25)]
RIJK_DATES = [dt.date(2025, 2, 25)]
PROVINCIE_DATES = [dt.date(2024, 11, 1), dt.date(2025, 2, 25)]
BEGELEIDING_DATES = [dt.date(2024, 6, 30), dt.date(2025, 2, 25)]

CP1252_FILE = (LEIDEN, "dossiers")  # Leiden's case system exports Windows-1252
BOM_FILE = (LV, "leerroutes")  # Leidschendam-Voorburg's route export carries a UTF-8 BOM


def generate(out: Path, seed: int = 2025, gemeenten: int = 0) -> Manifest:
    """Write a complete, deterministic landing zone under ``out`` and describe it.

    ``out`` should be empty (or absent); nothing but source files is written there.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(seed=seed, extra_gemeenten=gemeenten)
    extras = extra_gemeenten(gemeenten)
    all_gemeenten = list(BASE) + extras
    naam = {g.code: g.naam for g in all_gemeenten}

    # 1. people per woongemeente (report plans first: they never depend on `gemeenten`)
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
    planted_quality = leiden.extra
    # one Venezuelan-born family migrant who lived on Curaçao: exercises 'ç' in the cp1252 export
    next(
        p
        for p in sorted(leiden.persons, key=lambda q: q.pid)
        if p.doelgroep == "gezinsmigrant" and p.in_dossiers
    ).herkomstland = "Curaçao"

    # 2. identifiers, klantnummers, household ids -- in a fixed order
    ids = IdAllocator()
    hh_n = 0
    for b in builders:
        for p in sorted(b.persons + b.others, key=lambda q: q.pid):
            if p.brp is not None:
                p.bsn = ids.bsn()
            if p.vnummer == "pending":
                p.vnummer = ids.vnummer()
        for hh in b.households:
            hh_n += 1
            hh.hid = f"HH{hh_n:07d}"
    by_uitvoerder: dict[str, list[Person]] = defaultdict(list)
    for b in builders:
        by_uitvoerder[b.g.uitvoerder].extend(p for p in b.persons if p.in_dossiers)
    for code, people in by_uitvoerder.items():
        people.sort(key=lambda p: (p.dossier, p.gemeente, p.pid))
        for n, p in enumerate(people, start=1):
            p.klantnummer = f"K{code[2:]}-{n:05d}"

    # 3. balances, money, ladder (computed once, shown per delivery)
    balances = {}
    for b in builders:
        g = b.g
        housed = _count_by_half(b.households)
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

    w = F.Writer(out, manifest)
    persons_all = [p for b in builders for p in b.persons + b.others]
    households = [hh for b in builders for hh in b.households]
    lines: dict[tuple[str, object], tuple[str, int]] = {}
    written_ids: set[str] = set()
    written_births: set[str] = set()

    # 4. DUO
    leiden_sample = next(p for p in sorted(leiden.persons, key=lambda q: q.pid) if p.in_dossiers and p.routes)
    for d in DUO_DATES:
        people = sorted(duo_persons(persons_all, d), key=lambda p: p.bsn)
        rel = f"duo/{d.isoformat()}/personen.jsonl"
        rejects = []
        if d == DUO_DATES[-1]:
            broken = F.json_line(person_json(leiden_sample, d))[:97]  # cut off mid-object: not JSON
            rejects = [(len(people) // 3, broken, "json_ongeldig")]
        w.jsonl(rel, [F.json_line(person_json(p, d)) for p in people], rejects=rejects)
        written_ids.update(p.bsn for p in people)
        written_ids.update(p.vnummer for p in people if p.vnummer)
        if d == DUO_DATES[-1]:
            tagged = [(p, None) for p in people]
            for tag, line in F.line_numbers(tagged, rejects, header=False).items():
                lines[("duo", tag)] = (rel, line)

    # 5. COA TVS
    for d in TVS_DATES:
        base = f"coa_tvs/{d.isoformat()}"
        rows = [r for g in all_gemeenten for r in balances[g.code].csv_rows(d)]
        if d == TVS_DATES[-1]:
            # planted: Leiden's published gerealiseerd of the last half year is one more than the TVS
            # shows housed (the half has no successor yet, so the balance still chains)
            i = max(i for i, r in enumerate(rows) if r[0] == LEIDEN)
            rows[i][5] = str(int(rows[i][5]) + 1)
            lines[("taakstelling", LEIDEN)] = (f"{base}/taakstelling.csv", i + 2)
            for i in Q.correcties(rows):
                lines[("taakstelling_correctie", (rows[i][0], rows[i][2]))] = (
                    f"{base}/taakstelling.csv",
                    i + 2,
                )
        w.csv(f"{base}/taakstelling.csv", F.HEADERS["taakstelling"], rows)
        tagged = F.koppeling_rows(households, d)
        w.csv(f"{base}/koppelingen.csv", F.HEADERS["koppelingen"], [r for _, r in tagged])
        for _, r in tagged:
            written_ids.add(r[0])
            if r[1]:
                written_ids.add(r[1])
        if d == TVS_DATES[-1]:
            for tag, line in F.line_numbers(tagged).items():
                lines[("koppelingen", tag)] = (f"{base}/koppelingen.csv", line)

    # 6. gemeente exports (per uitvoerder) and financien (per gemeente)
    uitvoerders = list(dict.fromkeys(g.uitvoerder for g in all_gemeenten))
    for d in GEMEENTE_DATES:
        last = d == GEMEENTE_DATES[-1]
        for code in uitvoerders:
            people = sorted(by_uitvoerder[code], key=lambda p: p.klantnummer)
            base = f"gemeente/{code}/{d.isoformat()}"
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
                manifest.facts["planted_invalid_bsn"] = bad[1]
                rejects = [(len(tagged) // 2 + 1, bad, "bsn_elfproef")]
            w.csv(
                f"{base}/dossiers.csv",
                F.HEADERS["dossiers"],
                [r for _, r in tagged],
                encoding=enc,
                rejects=rejects,
            )
            for _, r in tagged:
                if r[1]:
                    written_ids.add(r[1])
                written_births.add(r[6])
            for _, bad, _ in rejects:
                written_ids.add(bad[1])
                written_births.add(bad[6])
            if last:
                for tag, line in F.line_numbers(tagged, rejects).items():
                    lines[("dossiers", tag)] = (f"{base}/dossiers.csv", line)

            tagged = F.route_rows(people, d)
            rejects = []
            if last and code == LEIDEN:
                k = tagged[len(tagged) // 3][1]
                rejects = [(len(tagged) // 3, [k[0], "B2", k[2], "", k[4], ""], "waarde_onbekend")]
            enc = "utf-8-sig" if (code, "leerroutes") == BOM_FILE else "utf-8"
            w.csv(
                f"{base}/leerroutes.csv",
                F.HEADERS["leerroutes"],
                [r for _, r in tagged],
                encoding=enc,
                rejects=rejects,
            )
            if last and code == LEIDEN:
                for tag, line in F.line_numbers(tagged, rejects).items():
                    lines[("leerroutes", tag)] = (f"{base}/leerroutes.csv", line)

            rows = F.activity_rows(people, d)
            if last and code == LEIDEN:
                tagged = apply_patches("activiteiten", [(None, r) for r in rows], people)
                rows = [r for _, r in tagged]
                for tag, line in F.line_numbers(tagged).items():
                    lines[("activiteiten", tag)] = (f"{base}/activiteiten.csv", line)
            rejects = []
            if last and code == LV:
                rows = list(rows)
                k = rows[len(rows) // 2][0]
                rejects = [
                    (
                        len(rows) // 2,
                        [
                            k,
                            "VOORTGANGSGESPREK",
                            "31-02-2024",
                            "31-02-2024",
                            "1",
                            "Gemeente Leidschendam-Voorburg",
                            "afgerond",
                        ],
                        "datum_ongeldig",
                    )
                ]
            w.csv(f"{base}/activiteiten.csv", F.HEADERS["activiteiten"], rows, rejects=rejects)
            w.csv(f"{base}/uitkomsten.csv", F.HEADERS["uitkomsten"], F.uitkomst_rows(people, d))
            rows = F.handhaving_rows(people, d)
            if last and code == LEIDEN:
                tagged = apply_patches("handhaving", [(None, r) for r in rows], people)
                rows = [r for _, r in tagged]
                for tag, line in F.line_numbers(tagged).items():
                    lines[("handhaving", tag)] = (f"{base}/handhaving.csv", line)
            w.csv(f"{base}/handhaving.csv", F.HEADERS["handhaving"], rows)
        if last:
            for g in all_gemeenten:
                rejects = []
                if g.code == LEIDEN:
                    rejects = [
                        (3, [g.code, "2021", "BATE", "OVERIG", "REALISATIE", "8870.51"], "decimaal_punt")
                    ]
                w.csv(
                    f"gemeente/{g.code}/{d.isoformat()}/financien.csv",
                    F.HEADERS["financien"],
                    financien[g.code],
                    rejects=rejects,
                )

    # 7. Rijk and provincie
    for d in RIJK_DATES:
        w.csv(
            f"rijk/{d.isoformat()}/spuk_beschikkingen.csv",
            F.HEADERS["spuk_beschikkingen"],
            [r for g in all_gemeenten for r in spuk[g.code]],
        )
    for d in PROVINCIE_DATES:
        w.csv(
            f"provincie/{d.isoformat()}/interventieladder.csv",
            F.HEADERS["interventieladder"],
            [r for g in all_gemeenten for r in money.ladder_rows(g, ladder[g.code], d)],
            newline="\r\n",
        )

    # 7b. begeleiding: the provider's trajectories (tables 8.22 and 8.23), faults planted
    trajecten = B.trajecten(
        sorted(persons_all, key=lambda p: p.pid), [g.code for g in all_gemeenten], seed, BEGELEIDING_DATES[-1]
    )
    for d in BEGELEIDING_DATES:
        rel = f"begeleiding/{B.AANBIEDER}/{d.isoformat()}/trajecten.csv"
        tagged = B.rows(trajecten, d)
        w.csv(rel, B.HEADER, [r for _, r in tagged])
        for _, r in tagged:
            written_ids.update(x for x in (r[1], r[2]) if x)
        if d == BEGELEIDING_DATES[-1]:
            for t, line in F.line_numbers(tagged).items():
                lines[("trajecten", t)] = (rel, line)

    # 8. the manifest
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
    manifest.identifiers = sorted(written_ids)
    manifest.birth_dates = sorted(written_births - {""})
    # what every check must find: the planted cases, then what follows from the report's figures
    found: list[dict] = []

    def finding(check: str, rel_line: tuple[str, int], gemeente: str, reden: str) -> None:
        rel, line = rel_line
        if not any((f["check"], f["path"], f["line"]) == (check, rel, line) for f in found):
            found.append(
                {"check": check, "path": rel, "line": line, "gemeentecode": gemeente, "reden": reden}
            )

    for check, p, kind, tag in planted_quality:
        finding(check, lines[(kind, tag)], p.gemeente, Q.REDEN_PLANTED)
    finding("gerealiseerd_wijkt_af_van_tvs", lines[("taakstelling", LEIDEN)], LEIDEN, Q.REDEN_PLANTED)
    for check, p, reden in Q.report_findings(
        sorted((p for b in builders for p in b.persons), key=lambda p: p.pid), GEMEENTE_DATES[-1]
    ):
        finding(check, lines[("dossiers", p)], p.gemeente, reden)
    for t in trajecten:
        if t.planted:
            finding(B.CHECK[t.soort], lines[("trajecten", t)], t.gemeente, Q.REDEN_PLANTED)
    for check, p, gemeente, reden in Q.duo_findings(persons_all, DUO_DATES[-1]):
        finding(check, lines[("duo", p)], gemeente, reden)
    for (kind, tag), rel_line in lines.items():
        if kind == "taakstelling_correctie":
            finding(kind, rel_line, tag[0], Q.REDEN_CORRECTIE)
    manifest.planted_quality = found
    manifest.facts.update(_facts(builders, persons_all))
    return manifest


def _facts(builders: list[Builder], persons: list[Person]) -> dict:
    """Figures chosen by the generator (not the report), for tests further down the line."""
    facts: dict = {"star_value": money.R.STAR}
    onder: dict[str, dict] = {}
    for d in DUO_DATES:
        key = d.isoformat()
        onder[key] = {}
        for p in persons:
            if p.wet != "Wi2013" or not p.in_duo:
                continue
            if p.plicht_eind is not None and p.plicht_eind <= d:
                continue
            code = p.gemeente
            cell = onder[key].setdefault(
                code, {"Asielstatushouder": 0, "Gezinsmigrant en overige migrant": 0, "elip": 0}
            )
            cell["Asielstatushouder" if p.doelgroep == SH else "Gezinsmigrant en overige migrant"] += 1
            if p.doelgroep == SH and p.lening:
                maximaal, u24, u25 = p.lening
                used = u25 if d >= dt.date(2025, 1, 1) else u24
                horizon = d.replace(year=d.year + 1)
                if used >= 0.95 * maximaal or (used >= 0.75 * maximaal and p.termijn_eind <= horizon):
                    cell["elip"] += 1
    facts["ondertussengroep"] = onder
    facts["waiting_on_tvs_peildatum"] = {
        b.g.code: sum(
            1
            for hh in b.households
            for m in hh.members
            if not m.vertrokken
            and (m.huisvest is None or m.huisvest > TVS_PEIL)
            and m.koppeldatum is not None
            and m.koppeldatum <= TVS_PEIL
        )
        for b in builders
    }
    facts["route_without_municipal_pip"] = {
        b.g.code: sum(1 for p in b.persons if p.routes and p.in_dossiers and p.pip is None) for b in builders
    }
    facts["halves"] = [f"{y}-{'I' if h == 1 else 'II'}" for y, h in HALVES]
    return facts
