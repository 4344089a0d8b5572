"""Legal limits and terms, read from the one place that defines them.

The dbt seed ``dbt_project/seeds/ref_normen.csv`` holds every limit a rule in
regie uses (the PIP within 70 days, the 800 participation hours of the
Z-route, the fine maxima, ...). The SQL models read it through the ``norm()``
macro; Python code (quality checks, the sample-data generator) reads it here,
so a changed limit changes everything at once.
"""

from __future__ import annotations

import csv
import functools
from decimal import Decimal

from .transform.project import project_dir

SEED = "ref_normen.csv"


@functools.cache
def alle() -> dict[str, Decimal]:
    """Every norm by name, as the seed gives it."""
    path = project_dir() / "seeds" / SEED
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["norm"]: Decimal(row["waarde"]) for row in csv.DictReader(fh)}


def norm(name: str) -> Decimal:
    """One norm; an unknown name is a programming error (KeyError names it)."""
    try:
        return alle()[name]
    except KeyError:
        raise KeyError(f"norm {name!r} staat niet in {SEED}") from None


def geheel(name: str) -> int:
    """A norm that is a whole number (days, hours, euros, months, a count)."""
    value = norm(name)
    if value != value.to_integral_value():
        raise ValueError(f"norm {name!r} is geen geheel getal: {value}")
    return int(value)
