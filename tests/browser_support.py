"""Headless Chromium for the tests that look at regie's pages (reports, docs, findings) the way
a reader's browser does: without any network, and with the page's own requests from the net log."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("chromium is not installed: run `make system-deps`")
    return path


_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    "--hide-scrollbars",
]  # fmt: skip


def chromium(html: Path, work: Path, *args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run headless Chromium on a file without network; the page's requests from its net log."""
    work.mkdir(parents=True, exist_ok=True)
    netlog = work / "net.json"
    cmd = [_chromium(), *_FLAGS, f"--user-data-dir={work / 'profiel'}", f"--log-net-log={netlog}",
           "--net-log-capture-mode=Everything", *args, html.resolve().as_uri()]  # fmt: skip
    # a network namespace of its own: no interface but a loopback that is down
    result = subprocess.run(["unshare", "--net", *cmd], capture_output=True, text=True, timeout=120)
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
            # the page's own requests: initiated by the file (an opaque origin, "null"); the
            # browser's own background requests say "not an origin"
            if params.get("initiator") in ("null",) or str(params.get("initiator", "")).startswith("file:"):
                requests.append(params["url"])
    return result, requests
