"""The ``monitor`` DAG's work: every gemeente's report, after each publication."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import Settings


def uitvoer(settings: Settings, peildatum: str) -> Path:
    """Where the reports of a peildatum go: ``<home>/monitor/<peildatum>/``."""
    return settings.home / "monitor" / peildatum


def rapporten(params: dict[str, Any]) -> list[str]:
    """One report per gemeente in the reference list, at the latest publication (or params' peildatum)."""
    from . import gemeenten, maak
    from .gegevens import lees

    settings = Settings.resolve(params)
    codes = gemeenten(settings.warehouse)
    if not codes:
        return []
    peil = lees(settings.warehouse, codes[0], params.get("peildatum") or None).peildatum.isoformat()
    out = uitvoer(settings, peil)
    return [str(maak(settings.warehouse, code, out, peil).html) for code in codes]
