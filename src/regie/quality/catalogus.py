"""Finding the checks: the suites as code in ``expectations/``.

Each ``expectations/*.py`` file has a function ``controles()`` that returns
its checks, built afresh on every call (a GX expectation belongs to one suite,
and every run builds its own suites). The folder is the project's
``expectations/`` unless ``REGIE_EXPECTATIONS`` names another.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from .gegevens import TABELLEN
from .model import Controle


def map_met_controles() -> Path:
    given = os.environ.get("REGIE_EXPECTATIONS")
    if given:
        return Path(given).resolve()
    return Path(__file__).resolve().parents[3] / "expectations"


def laad_controles(folder: Path | None = None, codes: set[str] | None = None) -> list[Controle]:
    """Every check, in file order (volledigheid, geldigheid, ...); optionally only ``codes``."""
    folder = folder or map_met_controles()
    if not folder.is_dir():
        raise FileNotFoundError(f"map met controles niet gevonden: {folder} (zet REGIE_EXPECTATIONS)")
    volgorde = {"volledigheid": 0, "geldigheid": 1, "consistentie": 2, "uniciteit": 3, "levering": 4}
    files = sorted(
        (p for p in folder.glob("*.py") if not p.name.startswith("_")),
        key=lambda p: (volgorde.get(p.stem, 99), p.stem),
    )
    out: list[Controle] = []
    seen: set[str] = set()
    for path in files:
        spec = importlib.util.spec_from_file_location(f"regie_expectations_{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not hasattr(module, "controles"):
            continue
        for controle in module.controles():
            if controle.code in seen:
                raise ValueError(f"controle {controle.code} is dubbel gedefinieerd ({path.name})")
            seen.add(controle.code)
            for v in controle.verwachtingen:
                if v.tabel not in TABELLEN:
                    raise ValueError(
                        f"{controle.code}: onbekende tabel {v.tabel!r} (zie regie.quality.gegevens)"
                    )
            if codes is None or controle.code in codes:
                out.append(controle)
    return out
