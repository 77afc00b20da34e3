"""The published site in a real headless browser (Debian's chromium).

Every page loads from a local server with no console message and no failed request, the
flowchart is drawn with a real size, every local link resolves, and screenshots are
kept for a person to look at (ROADMAP_SCREENSHOTS=DIR keeps them there). Skips where
chromium is not installed (CI installs it: apt-get install chromium).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Iterator

import pytest

from render_helpers import hostile_plan
from roadmap.publish import publish
from site_helpers import broken_links

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


class Recorder(http.server.SimpleHTTPRequestHandler):
    """Serves the folder and remembers every request's path and status."""

    requests: list[tuple[str, int]] = []

    def log_request(self, code: object = "-", size: object = "-") -> None:
        self.requests.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium); browser checks skipped")
    root = tmp_path_factory.mktemp("web")
    plan = hostile_plan(root / "kg.yaml")
    site = root / "site"
    publish(plan, site, as_of=dt.date(2025, 12, 31))
    (root / "probe.html").write_text(PROBE, encoding="utf-8")
    handler = functools.partial(Recorder, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", site
    finally:
        server.shutdown()
        server.server_close()


def chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", *extra, url],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>probe</title></head><body>
<iframe id="f" style="width:1200px;height:900px" src="site/index.html"></iframe>
<iframe id="g" style="width:1200px;height:900px" src="site/green-paper.html"></iframe>
<pre id="out">pending</pre>
<script>
let loaded = 0;
function size(el) { if (!el) return null; const r = el.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; }
function check() {
  if (++loaded < 2) return;
  const img = document.getElementById("f").contentDocument.querySelector(".flowchart img");
  const svg = document.getElementById("g").contentDocument.querySelector(".flowchart svg");
  const gtext = svg ? svg.textContent : "";
  document.getElementById("out").textContent = JSON.stringify({
    img_natural: img ? [img.naturalWidth, img.naturalHeight] : null, img_box: size(img),
    svg_box: size(svg), svg_has_boxes: gtext.includes("Crowdfunding") || gtext.includes("OKED"),
    cyrillic: gtext.includes("\\u0424\\u0435\\u0441\\u0442\\u0438\\u0432\\u0430\\u043b\\u044c")
  });
}
document.getElementById("f").onload = check;
document.getElementById("g").onload = check;
</script></body></html>"""


def test_every_page_loads_without_console_errors_or_failed_requests(served: tuple[str, Path], tmp_path: Path) -> None:
    base, site = served
    pages = sorted(p.name for p in site.glob("*.html"))
    assert {"index.html", "green-paper.html", "action-plan.html", "timeline.html", "changes.html", "proposals.html"} <= set(pages)
    Recorder.requests.clear()
    for name in pages:
        result = chromium(f"{base}/site/{name}", tmp_path / "profile", "--dump-dom")
        assert result.returncode == 0, result.stderr[-2000:]
        assert "<h1" in result.stdout, name
        assert console_messages(result.stderr) == [], name
    failed = [(path, code) for path, code in Recorder.requests if code >= 400]
    assert failed == []
    assert any(path.endswith("/flowchart.svg") for path, _ in Recorder.requests)  # the index loaded the image


def test_flowchart_is_visible_on_the_index_and_in_the_green_paper(served: tuple[str, Path], tmp_path: Path) -> None:
    base, _ = served
    result = chromium(f"{base}/probe.html", tmp_path / "profile", "--dump-dom")
    found = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stdout[-2000:]
    state = json.loads(found.group(1).replace("&quot;", '"'))
    assert state["img_natural"][0] > 500 and state["img_natural"][1] > 500
    assert state["img_box"][0] > 500 and state["img_box"][1] > 300
    assert state["svg_box"][0] > 500 and state["svg_box"][1] > 300
    assert state["svg_has_boxes"] and state["cyrillic"]


def test_every_local_link_resolves(served: tuple[str, Path]) -> None:
    _, site = served
    assert broken_links(site) == []


def test_screenshots(served: tuple[str, Path], tmp_path: Path) -> None:
    base, _ = served
    keep = Path(os.environ.get("ROADMAP_SCREENSHOTS", tmp_path))
    keep.mkdir(parents=True, exist_ok=True)
    for name in ("index", "green-paper", "action-plan", "timeline", "proposals"):
        shot = keep / f"{name}.png"
        result = chromium(f"{base}/site/{name}.html", tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,1600")
        assert result.returncode == 0, result.stderr[-2000:]
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000, name  # a drawn page, not a blank one
