"""Registration quality: checks per gemeente, a scorecard, a page of findings, and a mail to each gemeente.

    regie.quality.tasks.check(params)        run every check (GX), store counts and findings
    regie.quality.tasks.notify(params, run_id)      mail each gemeente about its own records
    regie.quality.scorecard_text(warehouse, run_id)
    regie.quality.blocking.beoordeel(params)         the blocking checks: which deliveries a build may use

The checks themselves are code in ``expectations/``; see docs/quality.md.
Importing this package is cheap: the heavy parts load on first use.
"""

from __future__ import annotations

__all__ = ["scorecard_text"]


def __getattr__(name: str):
    if name == "scorecard_text":
        from .scorecard import scorecard_text

        return scorecard_text
    raise AttributeError(name)
