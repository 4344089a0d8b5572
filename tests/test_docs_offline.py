"""Documentation that opens anywhere: the dbt docs and the page of findings are one file each and
make no request outside themselves, checked in the text and in headless Chromium without a network.

Reads the session's reference run (one `regie run` of the sample data); nothing is built here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

#: A script or stylesheet fetched from elsewhere: http(s) or protocol-relative.
EXTERN = re.compile(
    r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.IGNORECASE
)

_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
]  # fmt: skip


def chromium(page: Path, work: Path, *args: str) -> tuple[str, list[str]]:
    """The DOM headless Chromium renders from ``page`` in a network namespace of its own (no
    network at all), and the URLs the page asked for (from Chromium's net log)."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        pytest.fail("chromium is not installed (Debian package chromium)")
    work.mkdir(parents=True, exist_ok=True)
    netlog = work / "net.json"
    cmd = [binary, *_FLAGS, f"--user-data-dir={work / 'profiel'}", f"--log-net-log={netlog}",
           "--net-log-capture-mode=Everything", *args, page.resolve().as_uri()]  # fmt: skip
    result = subprocess.run(["unshare", "--net", *cmd], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    text = netlog.read_text(encoding="utf-8")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:  # written while the browser shut down: close the list
        log = json.loads(text.rstrip().rstrip(",") + "]}")
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    requests = []
    for event in log["events"]:
        params = event.get("params") or {}
        if types.get(event["type"]) == "URL_REQUEST_START_JOB" and params.get("url"):
            # the page's own requests come from the file (an opaque origin, "null"); the
            # browser's own background requests say "not an origin"
            initiator = str(params.get("initiator", ""))
            if initiator == "null" or initiator.startswith("file:"):
                requests.append(params["url"])
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
