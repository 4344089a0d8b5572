"""Files as snapshots of the people at a delivery date, and the writer.

Every ``*_rows`` function shows what a source knew on date ``d``: records
that start later are left out, end dates after ``d`` are blank (and an
activity still running is 'gestart').
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

from ..sources.catalog import header
from .activiteiten import HOURS
from .manifest import FileInfo, Manifest, PlantedReject
from .model import SH, Huishouden, Persoon
from .util import days, iso_date, nl_amount, nl_date, nl_hours


def jn(flag: bool) -> str:
    return "J" if flag else "N"


def upto(x: dt.date | None, d: dt.date) -> str:
    """A date as dd-mm-jjjj when it is known on d, else empty."""
    return nl_date(x) if x is not None and x <= d else ""


# ----------------------------------------------------------------------------- gemeente exports
def dossier_rows(persons: list[Persoon], d: dt.date) -> list[tuple[Persoon, list[str]]]:
    out = []
    for p in persons:
        if not p.in_dossiers or p.dossier > d:
            continue
        startklas = p.startklas and any(a.soort == "STARTKLAS" and a.start <= d for a in p.activiteiten)
        gone = p.uitstroom is not None and p.uitstroom <= d
        out.append(
            (
                p,
                [
                    p.klantnummer,
                    p.bsn if p.brp and p.brp <= d else "",
                    p.gemeente,
                    p.doelgroep,
                    p.wet,
                    p.geslacht,
                    nl_date(p.geboortedatum),
                    p.herkomstland,
                    nl_date(p.dossier),
                    upto(p.brp, d),
                    upto(p.intake, d),
                    upto(p.lbt, d),
                    upto(p.pip, d),
                    jn(startklas),
                    nl_date(p.uitstroom) if gone else "",
                    (p.reden or "") if gone else "",
                ],
            )
        )
    return out


def route_rows(persons: list[Persoon], d: dt.date) -> list[tuple[tuple[Persoon, int], list[str]]]:
    out = []
    for p in persons:
        if not p.in_dossiers or p.dossier > d:
            continue
        for i, r in enumerate(p.routes):
            if r.start > d:
                continue
            ended = r.end is not None and r.end <= d
            out.append(
                (
                    (p, i),
                    [
                        p.klantnummer,
                        r.leerroute,
                        nl_date(r.start),
                        nl_date(r.end) if ended else "",
                        r.aanbieder or "",
                        (r.reden_wijziging or "") if ended else "",
                    ],
                )
            )
    return out


_SOORT_ORDER = {"STARTKLAS": 0, "PVT": 1, "MAP": 2, "TAALLES": 3, "PARTICIPATIE": 4, "VOORTGANGSGESPREK": 5}
_WEEK_CACHE: dict[dt.date, tuple[str, str]] = {}
_WEEKS = [dt.timedelta(days=7 * i) for i in range(400)]
_HOURS_TEXT = [nl_hours(h) for h in HOURS]


def _week(monday: dt.date) -> tuple[str, str]:
    w = _WEEK_CACHE.get(monday)
    if w is None:
        w = (nl_date(monday), nl_date(monday + days(4)))
        _WEEK_CACHE[monday] = w
    return w


def activiteit_rows(persons: list[Persoon], d: dt.date) -> Iterable[list[str]]:
    last_monday = d - days(4)
    for p in persons:
        if not p.in_dossiers or p.dossier > d:
            continue
        rows: list[tuple[dt.date, int, list[str]]] = []
        k = p.klantnummer
        for a in p.activiteiten:
            if a.start > d:
                continue
            ended = a.end is not None and a.end <= d
            rows.append(
                (
                    a.start,
                    _SOORT_ORDER[a.soort],
                    [
                        k,
                        a.soort,
                        nl_date(a.start),
                        nl_date(a.end) if ended else "",
                        "" if a.uren is None else nl_hours(a.uren),
                        a.aanbieder or "",
                        a.status if ended else "gestart",
                    ],
                )
            )
        lessons = []
        for first, codes, aanbieder in p.taalles:
            if first > last_monday:
                break
            n = min(len(codes), (last_monday - first).days // 7 + 1)
            name = aanbieder or ""
            for i in range(n):
                c = codes[i]
                if c:
                    monday = first + _WEEKS[i]
                    s, e = _week(monday)
                    lessons.append((monday, 3, [k, "TAALLES", s, e, _HOURS_TEXT[c], name, "afgerond"]))
        if rows:
            rows.extend(lessons)
            rows.sort(key=lambda t: (t[0], t[1]))
        else:
            rows = lessons
        for _, _, row in rows:
            yield row


def uitkomst_rows(persons: list[Persoon], d: dt.date) -> list[list[str]]:
    out = []
    for p in persons:
        if not p.in_dossiers or p.dossier > d:
            continue
        for u in p.uitkomsten:
            if u.start > d:
                continue
            out.append(
                [
                    p.klantnummer,
                    u.soort,
                    nl_date(u.start),
                    upto(u.end, d),
                    "" if u.uren_per_week is None else nl_hours(u.uren_per_week),
                ]
            )
    return out


def handhaving_rows(persons: list[Persoon], d: dt.date) -> list[list[str]]:
    out = []
    for p in persons:
        if not p.in_dossiers or p.dossier > d:
            continue
        for m in sorted(p.handhaving, key=lambda m: (m.datum, m.maatregel)):
            if m.datum > d:
                continue
            out.append(
                [
                    p.klantnummer,
                    nl_date(m.datum),
                    m.maatregel,
                    "" if m.bedrag is None else nl_amount(m.bedrag),
                    m.grond,
                    jn(m.verrekend),
                ]
            )
    return out


# ----------------------------------------------------------------------------- COA TVS
def koppeling_rows(households: list[Huishouden], d: dt.date) -> list[tuple[Persoon, list[str]]]:
    out = []
    for hh in households:
        for m in hh.leden:
            common_tail = [str(m.geboortejaar) if m.geboortejaar else "", m.geslacht, m.herkomstland]
            bsn = m.bsn if (m.brp is not None and m.brp <= d) else ""
            moved_on = False
            for k in m.extra_koppelingen:
                if k.koppeldatum > d:
                    continue
                done = k.change_date is not None and k.change_date <= d
                moved_on = moved_on or done
                status = k.status_final if done else "gekoppeld"
                out.append(
                    (
                        None,
                        [
                            m.vnummer,
                            bsn,
                            hh.hid,
                            str(hh.size),
                            k.gemeente,
                            nl_date(k.koppeldatum),
                            status,
                            "",
                            "",
                            jn(m.nareiziger),
                            hh.opvang,
                        ]
                        + common_tail,
                    )
                )
            if m.extra_koppelingen and not moved_on:
                continue
            if m.koppeldatum is None or m.koppeldatum > d:
                continue
            housed = m.huisvest is not None and m.huisvest <= d
            if m.vertrokken:
                status = "vertrokken"
            elif housed:
                status = "gehuisvest"
            else:
                status = "gekoppeld"
            out.append(
                (
                    m,
                    [
                        m.vnummer,
                        bsn,
                        hh.hid,
                        str(hh.size),
                        hh.gemeente,
                        nl_date(m.koppeldatum),
                        status,
                        nl_date(m.huisvest) if housed else "",
                        (hh.woningtype or "") if housed else "",
                        jn(m.nareiziger),
                        hh.opvang,
                    ]
                    + common_tail,
                )
            )
    return out


# ----------------------------------------------------------------------------- writer
class Writer:
    """Writes the files of the landing zone and records them in the manifest; a CSV file's header
    is its source's columns in ``regie.sources.catalog`` (by the file name)."""

    def __init__(self, root: Path, manifest: Manifest) -> None:
        self.root = root
        self.manifest = manifest

    def _meta(self, rel: str) -> dict:
        parts = rel.split("/")
        source = parts[0]
        gemeente = parts[1] if source == "gemeente" else None
        delivery = parts[2] if source in ("gemeente", "begeleiding") else parts[1]
        entity = parts[-1].rsplit(".", 1)[0]
        return {"source": source, "entity": entity, "delivery": delivery, "gemeentecode": gemeente}

    def csv(
        self,
        rel: str,
        rows: Iterable[list[str]],
        *,
        encoding: str = "utf-8",
        newline: str = "\n",
        rejects: list[tuple[int, list[str], str]] = (),
    ) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        planted = []
        pending = sorted(rejects, key=lambda t: t[0])
        n = 0
        with open(path, "w", encoding=encoding, newline="") as f:
            w = csv.writer(f, delimiter=";", lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
            w.writerow(header(self._meta(rel)["entity"]))
            if not pending:
                rows = rows if isinstance(rows, list) else list(rows)
                w.writerows(rows)
                n = len(rows)
            writerow = w.writerow
            for row in rows if pending else ():
                while pending and pending[0][0] <= n:
                    _, bad, kind = pending.pop(0)
                    writerow(bad)
                    n += 1
                    planted.append(PlantedReject(n + 1, kind))
                writerow(row)
                n += 1
            for _, bad, kind in pending:
                writerow(bad)
                n += 1
                planted.append(PlantedReject(n + 1, kind))
        self.manifest.files[rel] = FileInfo(
            rows=n, encoding=encoding, planted_rejects=planted, newline=newline, **self._meta(rel)
        )

    def jsonl(self, rel: str, lines: list[str], *, rejects: list[tuple[int, str, str]] = ()) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        planted = []
        out: list[str] = []
        pending = sorted(rejects, key=lambda t: t[0])
        for line in lines:
            while pending and pending[0][0] <= len(out):
                _, bad, kind = pending.pop(0)
                out.append(bad)
                planted.append(PlantedReject(len(out), kind))
            out.append(line)
        for _, bad, kind in pending:
            out.append(bad)
            planted.append(PlantedReject(len(out), kind))
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(out) + "\n")
        self.manifest.files[rel] = FileInfo(
            rows=len(out), encoding="utf-8", planted_rejects=planted, **self._meta(rel)
        )


def json_line(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def line_numbers(
    tagged: list[tuple[object, object]], rejects: list[tuple[int, object, str]] = (), *, header: bool = True
) -> dict[object, int]:
    """Physical line of each tagged row, given the planted rows inserted among them."""
    positions = sorted(pos for pos, _, _ in rejects)
    out: dict[object, int] = {}
    shift = 0
    j = 0
    for i, (tag, _) in enumerate(tagged):
        while j < len(positions) and positions[j] <= i + shift:
            shift += 1
            j += 1
        if tag is not None:
            out.setdefault(tag, i + shift + (2 if header else 1))
    return out


def iso(d: dt.date | None) -> str:
    return iso_date(d)


__all__ = [
    "Writer",
    "dossier_rows",
    "route_rows",
    "activiteit_rows",
    "uitkomst_rows",
    "handhaving_rows",
    "koppeling_rows",
    "json_line",
    "line_numbers",
    "SH",
]
