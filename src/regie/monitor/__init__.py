"""``regie monitor``: a periodic report per gemeente for its council and management.

One self-contained HTML file (inline CSS and SVG charts, no external reference of
any kind) and a PDF of the same page, in Dutch, with the gemeente's own figures at a
peildatum (regie.monitor.gegevens says what it may read and how small counts are
hidden), the signals of marts.fct_signalen and, under each figure, the peildatum and
the deliveries it comes from. The CLI, the ``monitor`` DAG and the tests call
:func:`maak` / :func:`maak_alle`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .gegevens import MonitorFout, lees

__all__ = ["MonitorFout", "Rapport", "maak", "maak_alle", "pdf_van"]

_GEMEENTECODE = re.compile(r"^GM\d{4}$")


@dataclass(frozen=True)
class Rapport:
    gemeente: str
    naam: str
    peildatum: str
    html: Path
    pdf: Path

    def regel(self) -> str:
        return f"monitor {self.gemeente} {self.naam} ({self.peildatum}): {self.html} {self.pdf}"


def _weigeren(url: str):
    """WeasyPrint's fetcher: nothing is fetched (the report holds everything itself)."""
    raise ValueError(f"regie monitor fetches nothing: {url}")


def pdf_van(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_weigeren).write_pdf()


def maak(
    warehouse: str, gemeente: str, out: Path, peildatum: str | None = None, threshold: int | None = None
) -> Rapport:
    """Write ``<out>/<GMxxxx>_<peildatum>.html`` and ``.pdf`` for one gemeente."""
    from .rapport import render

    code = gemeente.strip().upper()
    if not _GEMEENTECODE.match(code):
        raise MonitorFout(f"{gemeente!r} is not a gemeentecode (GM and 4 digits)")
    g = lees(warehouse, code, peildatum, threshold)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"{code}_{g.peildatum.isoformat()}"
    html_path, pdf_path = out / f"{stem}.html", out / f"{stem}.pdf"
    html = render(g)
    pdf = pdf_van(render(g, voor_pdf=True))
    for path, data in ((html_path, html.encode("utf-8")), (pdf_path, pdf)):
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return Rapport(code, g.naam, g.peildatum.isoformat(), html_path, pdf_path)


def gemeenten(warehouse: str) -> list[str]:
    """The gemeenten in the reference list (marts.dim_gemeente), for a report each."""
    import pandas as pd

    from .gegevens import _publiek

    dim = _publiek(warehouse).get("dim_gemeente", pd.DataFrame())
    if dim.empty:
        return []
    if "in_referentielijst" in dim.columns:
        dim = dim[dim["in_referentielijst"].fillna(False).astype(bool)]
    return sorted(dim["gemeentecode"].tolist())


def maak_alle(warehouse: str, out: Path, peildatum: str | None = None) -> list[Rapport]:
    return [maak(warehouse, code, out, peildatum) for code in gemeenten(warehouse)]
