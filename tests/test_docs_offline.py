"""Documentation that opens anywhere: the dbt docs and the page of findings are one file each and
make no request outside themselves, checked in the text and in headless Chromium without a network.

Reads the session's reference run (one `regie run` of the sample data); nothing is built here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import browser_support as browser

pytestmark = pytest.mark.slow

#: A script or stylesheet fetched from elsewhere: http(s) or protocol-relative.
EXTERN = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
)


def chromium(page: Path, work: Path, *args: str) -> tuple[str, list[str]]:
    """The DOM headless Chromium renders from ``page`` without any network, and the URLs the page
    asked for (browser_support)."""
    result, requests = browser.chromium(page, work, *args)
    return result.stdout, requests


def test_dbt_docs_are_one_file_that_renders_without_network(reference_run, tmp_path):
    docs = reference_run["home"] / "dbt" / "docs"
    assert [p.name for p in docs.iterdir()] == ["index.html"]  # no manifest.json / catalog.json beside it
    html = (docs / "index.html").read_text(encoding="utf-8")
    assert not EXTERN.search(html)
    # dbt's tracker is loaded only when the embedded manifest allows it
    assert re.search(r'"send_anonymous_usage_stats":\s*false', html)
    dom, requests = chromium(docs / "index.html", tmp_path, "--dump-dom", "--virtual-time-budget=10000")
    assert "fct_taakstelling_halfjaar" in dom  # the project's models, rendered from the file alone
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []


def test_the_page_of_findings_renders_without_network(reference_run, tmp_path):
    page = reference_run["home"] / "quality" / "bevindingen.html"
    html = page.read_text(encoding="utf-8")
    assert not EXTERN.search(html) and "http" not in html
    dom, requests = chromium(page, tmp_path / "pagina", "--dump-dom")
    assert "Registratiekwaliteit, peildatum 25-02-2025" in dom
    assert requests == []  # nothing asked for by the page (the file itself is the navigation)
    # the net log does show what a page asks for: a page with one stylesheet from a CDN
    control = tmp_path / "controle.html"
    control.write_text('<link rel="stylesheet" href="https://cdn.example.invalid/bootstrap.css"><p>x</p>')
    _, requests = chromium(control, tmp_path / "controle", "--dump-dom")
    assert requests == ["https://cdn.example.invalid/bootstrap.css"]
