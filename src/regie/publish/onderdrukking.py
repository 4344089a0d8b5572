"""Small-cell suppression with complementary cells, for everything published.

The rule (docs/publicatie.md, "Onderdrukking"):

1. **Primary**: every count with 0 < n < drempel is hidden (null). Zero is
   shown: it reveals nobody.
2. **Complementary**: a hidden count must not be computable from what is
   shown. What an attacker can compute with is declared once per mart
   (``meta.regie``, see :mod:`regie.publish.meta`): the relations between its
   columns on every row (``pip_vastgesteld = pip_binnen_10_weken +
   pip_te_laat``; with ``...`` for a part nobody publishes, which is itself a
   count that must not come out small), totals across rows and counts that
   recur in another row (a SPUK cohort counted again the next year). Together
   with the published cells these are a system of linear equations in the
   hidden cells. A hidden cell is *recovered* when the system fixes its value:
   by linear algebra alone (the unit vector of the cell lies in the row space
   of the equations), or together with the fact that no count is negative
   (the smallest and the largest value a linear programme allows coincide).
   While some primary cell - or a small unpublished part - can be recovered,
   one more cell is hidden: among the shown counts in the equations around it
   that make it unrecoverable, the one that loses least per small count it
   protects (its value divided by the number of recoverable small counts it
   protects at once; then the smaller value, column order, row order). A zero
   is chosen only when nothing else helps: a hidden zero next to a hidden small
   count gives the small count away once counts are known to be non-negative.
3. **Derived values** (medians, amounts computed from counts: ``afgeleid``) are
   null when any count they come from is hidden.

Deterministic: the rows are put in a fixed order first, so the same mart gives
the same publication whatever order the database returned it in.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .meta import MartSpec

Cel = tuple[int, str]  # (row position, column); a virtual column is "...<n>"


@dataclass
class Stelsel:
    """The equations of one table: each a list of (cell, coefficient) summing to 0."""

    waarden: dict[Cel, float]
    vergelijkingen: list[list[tuple[Cel, float]]]
    virtueel: set[Cel] = field(default_factory=set)

    def per_cel(self) -> dict[Cel, list[int]]:
        out: dict[Cel, list[int]] = defaultdict(list)
        for i, eq in enumerate(self.vergelijkingen):
            for cel, _ in eq:
                out[cel].append(i)
        return out


@dataclass
class Uitkomst:
    publiek: pd.DataFrame  # the mart's columns (counts hidden as null) plus `onderdrukt`
    verborgen: set[Cel]  # hidden real cells, by canonical row position
    primair: int
    aanvullend: int
    rijen: pd.DataFrame  # the mart in canonical order (what the positions refer to)


def canoniek(df: pd.DataFrame, spec: MartSpec) -> pd.DataFrame:
    """The rows in a fixed order: by the key columns, then the rest (as text)."""
    counts = set(spec.tellingen) | set(spec.afgeleid)
    keys = [c for c in spec.sleutel if c in df.columns]
    keys += [c for c in df.columns if c not in counts and c not in keys]
    keys += [c for c in df.columns if c not in keys]
    text = pd.DataFrame({c: df[c].map(_tekst) for c in keys})
    order = text.sort_values(keys, kind="mergesort").index
    return df.loc[order].reset_index(drop=True)


def _tekst(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA or v is pd.NaT:
        return "\x00"
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return f"{int(v):+021d}"
    return str(v)


def _getal(v) -> float | None:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def stelsel(df: pd.DataFrame, spec: MartSpec) -> Stelsel:
    """The equations the declarations give on this (canonically ordered) table."""
    waarden: dict[Cel, float] = {}
    for col in spec.tellingen:
        if col not in df.columns:
            continue
        for i, v in enumerate(df[col].tolist()):
            g = _getal(v)
            if g is not None:
                waarden[(i, col)] = g
    eqs: list[list[tuple[Cel, float]]] = []
    virtueel: set[Cel] = set()
    for k, rel in enumerate(spec.relaties):
        for i in range(len(df)):
            terms = [(i, rel.totaal)] + [(i, d) for d in rel.delen]
            if any(t not in waarden for t in terms):
                continue  # an empty count: no equation an attacker could use
            eq = [(terms[0], 1.0)] + [(t, -1.0) for t in terms[1:]]
            if rel.rest:
                rest: Cel = (i, f"...{k}")
                waarden[rest] = waarden[terms[0]] - sum(waarden[t] for t in terms[1:])
                virtueel.add(rest)
                eq.append((rest, -1.0))
            eqs.append(eq)
    if spec.verschuivingen or spec.totalen:
        keys = [c for c in spec.sleutel if c in df.columns]
        rows = {tuple(_tekst(df.at[i, c]) for c in keys): i for i in range(len(df))}
        for v in spec.verschuivingen:
            d = keys.index(v.dimensie)
            for key, i in rows.items():
                value = _getal(df.at[i, v.dimensie])
                if value is None:
                    continue
                other = list(key)
                other[d] = _shift(df, i, v)
                j = rows.get(tuple(other))
                if j is not None and (i, v.kolom) in waarden and (j, v.bron) in waarden:
                    eqs.append([((i, v.kolom), 1.0), ((j, v.bron), -1.0)])
        for t in spec.totalen:
            d = keys.index(t.dimensie)
            groups: dict[tuple, list[int]] = defaultdict(list)
            for key, i in rows.items():
                groups[key[:d] + key[d + 1 :]].append(i)
            for members in groups.values():
                totals = [i for i in members if str(df.at[i, t.dimensie]) == t.waarde]
                parts = [i for i in members if i not in totals]
                if len(totals) != 1 or not parts:
                    continue
                for col in spec.tellingen:
                    cells = [(totals[0], col)] + [(i, col) for i in parts]
                    if all(c in waarden for c in cells):
                        eqs.append([(cells[0], 1.0)] + [(c, -1.0) for c in cells[1:]])
    return Stelsel(waarden, eqs, virtueel)


def _shift(df: pd.DataFrame, i: int, v) -> str:
    value = df.at[i, v.dimensie]
    return _tekst(int(value) - v.stap)


class _Oplosser:
    """Is a hidden cell fixed by the equations and non-negativity? (per connected component)"""

    def __init__(self, s: Stelsel, verborgen: set[Cel]) -> None:
        self.s = s
        # an unpublished part that is zero counts as known: an attacker can often tell (every
        # registration of an old year is past the 70 days, so "registered, no PIP yet" is 0)
        self.onbekend = set(verborgen) | {c for c in s.virtueel if s.waarden[c] != 0}
        self.per_cel = s.per_cel()

    def component(self, cel: Cel) -> tuple[list[Cel], list[int]]:
        seen, eqs, todo = {cel}, set(), [cel]
        while todo:
            c = todo.pop()
            for e in self.per_cel.get(c, ()):
                if e in eqs:
                    continue
                eqs.add(e)
                for other, _ in self.s.vergelijkingen[e]:
                    if other in self.onbekend and other not in seen:
                        seen.add(other)
                        todo.append(other)
        return sorted(seen), sorted(eqs)

    def vastgelegd(self, cel: Cel) -> bool:
        cells, eqs = self.component(cel)
        if not eqs:
            return False
        index = {c: k for k, c in enumerate(cells)}
        a = np.zeros((len(eqs), len(cells)))
        b = np.zeros(len(eqs))
        for r, e in enumerate(eqs):
            for c, coef in self.s.vergelijkingen[e]:
                if c in index:
                    a[r, index[c]] += coef
                else:
                    b[r] -= coef * self.s.waarden[c]
        unit = np.zeros((1, len(cells)))
        unit[0, index[cel]] = 1.0
        if np.linalg.matrix_rank(a) == np.linalg.matrix_rank(np.vstack([a, unit])):
            return True
        return self._grenzen_vast(a, b, index[cel])

    @staticmethod
    def _grenzen_vast(a: np.ndarray, b: np.ndarray, k: int) -> bool:
        from scipy.optimize import linprog

        c = np.zeros(a.shape[1])
        c[k] = 1.0
        low = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        high = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
        if low.status != 0 or high.status != 0:  # unbounded above: not fixed
            return False
        return abs((-high.fun) - low.fun) < 0.5


def onderdruk(df: pd.DataFrame, spec: MartSpec, drempel: int) -> Uitkomst:
    """Hide small counts and their complementary cells; null derived values of hidden counts."""
    if drempel < 1:
        raise ValueError(f"drempel must be at least 1, got {drempel}")
    rows = canoniek(df, spec)
    s = stelsel(rows, spec)
    klein = {c for c, v in s.waarden.items() if 0 < v < drempel}
    verborgen = {c for c in klein if c not in s.virtueel}
    primair = len(verborgen)
    beschermd = sorted(klein)
    opl = _Oplosser(s, verborgen)
    todo = list(beschermd)
    while todo:
        cel = todo.pop(0)
        if not opl.vastgelegd(cel):
            continue
        extra = _kies_aanvulling(s, opl, cel, klein)
        if extra is None:  # nothing left to hide around it (cannot happen with consistent data)
            raise RuntimeError(f"{spec.naam}: no complementary cell protects {cel}")
        verborgen.add(extra)
        opl.onbekend.add(extra)
        cells, _ = opl.component(cel)
        todo = [cel] + [c for c in cells if c in klein and c != cel] + [c for c in todo if c not in cells]
    publiek = rows.copy()
    for col in spec.tellingen:
        if col in publiek.columns:
            hidden = [i for i in range(len(publiek)) if (i, col) in verborgen]
            if hidden:
                publiek[col] = publiek[col].astype(object)
                publiek.loc[hidden, col] = None
    flag = np.zeros(len(publiek), dtype=bool)
    for i, _ in verborgen:
        flag[i] = True
    for col, basis in spec.afgeleid.items():
        if col not in publiek.columns:
            continue
        hidden = [i for i in range(len(publiek)) if any((i, b) in verborgen for b in basis)]
        if hidden:
            publiek[col] = publiek[col].astype(object)
            publiek.loc[hidden, col] = None
            flag[hidden] = True
    publiek["onderdrukt"] = flag
    return Uitkomst(publiek, verborgen, primair, len(verborgen) - primair, rows)


def _kies_aanvulling(s: Stelsel, opl: _Oplosser, cel: Cel, klein: set[Cel]) -> Cel | None:
    """The shown count to hide next to a recoverable cell (see the module docstring).

    Among the shown counts in the equations around it, the one that loses least per small
    count it protects: a hidden 6 that protects two small counts beats a hidden 5 that
    protects one. Zeros only when nothing else helps.
    """
    cells, eqs = opl.component(cel)
    kandidaten = sorted(
        {c for e in eqs for c, _ in s.vergelijkingen[e] if c not in opl.onbekend and c not in s.virtueel},
        key=lambda c: (s.waarden[c] == 0, s.waarden[c], c[1], c[0]),
    )
    # the recoverable small counts a candidate could also protect: those in equations with it
    near = {o for c in kandidaten for e in opl.per_cel.get(c, ()) for o, _ in s.vergelijkingen[e]}
    open_ = [o for o in sorted(near) if o in klein and o in opl.onbekend and opl.vastgelegd(o)]
    best: tuple | None = None
    for c in kandidaten:
        opl.onbekend.add(c)
        if not opl.vastgelegd(cel):
            protected = 1 + sum(1 for o in open_ if o != cel and not opl.vastgelegd(o))
            score = (s.waarden[c] == 0, s.waarden[c] / protected, s.waarden[c], c[1], c[0])
            if best is None or score < best[0]:
                best = (score, c)
        opl.onbekend.discard(c)
    if best is not None:
        return best[1]
    return kandidaten[0] if kandidaten else None


def aanval(publiek: pd.DataFrame, mart: pd.DataFrame, spec: MartSpec, drempel: int) -> list[str]:
    """The difference attack the rule must withstand, for tests and for ``regie``'s own check.

    With the published table, the declared relations and every linear relation that holds on
    every row of the mart between its counts (found from the data, so an undeclared one counts
    too, when the table has more than twice as many rows as counts), and the fact that no count
    is negative: which hidden cell, or unpublished small part, can be computed? Returns a line
    per recovered value (empty: nothing recovered).
    """
    rows = canoniek(mart, spec)
    pub = canoniek(publiek.drop(columns=["onderdrukt"], errors="ignore"), spec)
    if len(rows) != len(pub):
        return [f"{spec.naam}: {len(pub)} published rows, {len(rows)} in the mart"]
    s = stelsel(rows, spec)
    verborgen = {
        (i, c)
        for c in spec.tellingen
        if c in pub.columns
        for i in range(len(pub))
        if _getal(pub.at[i, c]) is None and (i, c) in s.waarden
    }
    # relations found in the data: the null space of the counts over all rows (only with rows
    # enough: on a handful of rows any vector fits, which would be no relation at all)
    cols = [c for c in spec.tellingen if c in rows.columns]
    full = [i for i in range(len(rows)) if all((i, c) in s.waarden for c in cols)]
    if cols and len(full) > 2 * len(cols) + 2:
        m = np.array([[s.waarden[(i, c)] for c in cols] for i in full])
        _, sing, vt = np.linalg.svd(m)
        rank = int((sing > 1e-9 * max(1.0, sing[0] if len(sing) else 1.0)).sum())
        for vec in vt[rank:]:
            for i in full:
                s.vergelijkingen.append(
                    [((i, c), float(vec[k])) for k, c in enumerate(cols) if abs(vec[k]) > 1e-12]
                )
    opl = _Oplosser(s, verborgen)
    out = []
    for cel in sorted(c for c, v in s.waarden.items() if 0 < v < drempel):
        if cel not in verborgen and cel not in s.virtueel:
            out.append(f"{spec.naam}: row {cel[0]} {cel[1]} = {s.waarden[cel]:g} is published")
        elif opl.vastgelegd(cel):
            out.append(f"{spec.naam}: row {cel[0]} {cel[1]} = {s.waarden[cel]:g} can be computed")
    return out
