"""Charts as inline SVG, drawn with matplotlib (no JavaScript, no fonts or files fetched).

Text stays text in the SVG (``svg.fonttype = none``), so a browser, a PDF and a
screen reader read the numbers; the output is deterministic (fixed hash salt, no date).
Hidden (suppressed) values are drawn as no bar and marked with ``*``.
"""

from __future__ import annotations

import hashlib
import io
import math
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

KLEUREN = ["#1f5fa8", "#e08a1e", "#3a9a5b", "#b8403a", "#7b5aa6", "#6b6b6b"]
STIJL = {
    "svg.fonttype": "none",
    "svg.hashsalt": "regie-monitor",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "axes.prop_cycle": matplotlib.cycler(color=KLEUREN),
}


def _svg(fig) -> str:
    """The figure as an inline ``<svg>``; its ids get a prefix unique to the drawing."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prologue and doctype: inline in HTML
    # no comments, no RDF metadata block (and its namespace URLs): only the drawing
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns:(dc|cc|rdf)="[^"]*"', "", text)
    # several charts on one page: prefix every id (and reference to it) with a hash of the drawing
    prefix = "f" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", text)
    return re.sub(r'xlink:href="#([^"]+)"', lambda m: f'xlink:href="#{prefix}-{m.group(1)}"', text)


def _leeg(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def staven(
    labels: list[str],
    reeksen: dict[str, list[float | None]],
    titel: str,
    y_label: str = "",
    lijn: dict[str, list[float | None]] | None = None,
    breed: float = 7.0,
) -> str:
    """Grouped bars per label (None: hidden, drawn as '*'), optional lines on top."""
    with plt.rc_context(STIJL):
        fig, ax = plt.subplots(figsize=(breed, 2.8))
        n = max(1, len(reeksen))
        width = 0.8 / n
        xs = list(range(len(labels)))
        for k, (naam, waarden) in enumerate(reeksen.items()):
            pos = [x - 0.4 + width * (k + 0.5) for x in xs]
            hoogte = [0 if _leeg(v) else v for v in waarden]
            ax.bar(pos, hoogte, width=width, label=naam, color=KLEUREN[k % len(KLEUREN)])
            for p, v in zip(pos, waarden, strict=True):
                if _leeg(v):
                    ax.annotate("*", (p, 0), ha="center", va="bottom", fontsize=9)
        for k, (naam, waarden) in enumerate((lijn or {}).items()):
            pts = [(x, v) for x, v in zip(xs, waarden, strict=True) if not _leeg(v)]
            if pts:
                ax.plot(
                    [p[0] for p in pts],
                    [p[1] for p in pts],
                    marker="o",
                    color=KLEUREN[(len(reeksen) + k) % len(KLEUREN)],
                    label=naam,
                )
        ax.set_xticks(xs)
        schuin = len(labels) > 8 or max(map(len, labels), default=0) > 14 or sum(map(len, labels)) > 45
        ax.set_xticklabels(labels, rotation=30 if schuin else 0, ha="right" if schuin else "center")
        ax.set_title(titel, loc="left", fontsize=10)
        if y_label:
            ax.set_ylabel(y_label)
        ax.axhline(0, color="#888888", linewidth=0.8)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        return _svg(fig)


def lijnen(labels: list[str], reeksen: dict[str, list[float | None]], titel: str, y_label: str = "") -> str:
    with plt.rc_context(STIJL):
        fig, ax = plt.subplots(figsize=(7.0, 2.6))
        xs = list(range(len(labels)))
        for naam, waarden in reeksen.items():
            pts = [(x, v) for x, v in zip(xs, waarden, strict=True) if not _leeg(v)]
            ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=naam)
        ax.set_xticks(xs)
        ax.set_xticklabels(
            labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center"
        )
        ax.set_title(titel, loc="left", fontsize=10)
        if y_label:
            ax.set_ylabel(y_label)
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        return _svg(fig)
