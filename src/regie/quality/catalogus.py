"""Finding the checks: the suites as code in the package ``regie.expectations``.

The repository's ``expectations/`` folder is installed as ``regie.expectations``
(pyproject.toml). Each of its modules has a function ``controles()`` that returns
its checks, built afresh on every call (a GX expectation belongs to one suite,
and every run builds its own suites).
"""

from __future__ import annotations

import importlib
import pkgutil

from ..resources import EXPECTATIONS
from .gegevens import TABELLEN
from .model import Controle

#: the modules' order; a module not named here comes after these, by name
VOLGORDE = {"volledigheid": 0, "geldigheid": 1, "consistentie": 2, "uniciteit": 3, "levering": 4}


def modules_met_controles() -> list[str]:
    """The modules of ``regie.expectations`` in check order (volledigheid, geldigheid, ...)."""
    package = importlib.import_module(EXPECTATIONS)
    names = [m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")]
    return sorted(names, key=lambda name: (VOLGORDE.get(name, 99), name))


def load_checks(codes: set[str] | None = None) -> list[Controle]:
    """Every check, in module order (volledigheid, geldigheid, ...); optionally only ``codes``."""
    out: list[Controle] = []
    seen: set[str] = set()
    for name in modules_met_controles():
        module = importlib.import_module(f"{EXPECTATIONS}.{name}")
        if not hasattr(module, "controles"):
            continue
        for controle in module.controles():
            if controle.code in seen:
                raise ValueError(f"controle {controle.code} is dubbel gedefinieerd ({name}.py)")
            seen.add(controle.code)
            for v in controle.verwachtingen:
                if v.tabel not in TABELLEN:
                    raise ValueError(
                        f"{controle.code}: onbekende tabel {v.tabel!r} (zie regie.quality.gegevens)"
                    )
            if codes is None or controle.code in codes:
                out.append(controle)
    return out
