"""The injection corpus in every HTML output, loaded in headless Chromium: nothing runs.

A plan with the 69 payloads of injection_corpus.py in every text field (and in its file
name) is rendered as the action plan (HTML), the Green Paper (HTML), the regional
comparison (HTML) and the published site (every page and both SVG images). A probe page
loads each in a frame and reports (1) whether any payload ran: each one sets
`top.__pwned`; (2) what a click could run: any `on*` attribute, any link, source or
style with a javascript:/vbscript: URL or data:text/html, any element our pages never
make (script, iframe, object, embed, base, form controls, media, meta refresh).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Iterator

import pytest

from injection_corpus import FILE_NAME, FLAG, hostile_plan
from roadmap import adapt, store

pytestmark = pytest.mark.slow

PLANTED = f"<img src=x onerror={FLAG}>"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
TODAY = dt.date(2026, 11, 23)

PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>probe</title></head><body>
<iframe id="f" style="width:1200px;height:900px"></iframe>
<pre id="out">pending</pre>
<script>
const pages = %(pages)s;
const report = {};
const BAD = new Set(["SCRIPT","IFRAME","FRAME","OBJECT","EMBED","APPLET","BASE","FORM","INPUT","BUTTON","TEXTAREA",
  "SELECT","VIDEO","AUDIO","SOURCE","MARQUEE","DETAILS","MATH","NOSCRIPT","KEYGEN","ISINDEX","ANIMATE","SET","FOREIGNOBJECT"]);
const URLISH = new Set(["href","src","action","formaction","data","xlink:href","srcdoc","background","poster","style","content"]);
function inspect(d) {
  const bad = [];
  for (const el of d.querySelectorAll("*")) {
    const tag = el.tagName.toUpperCase();
    if (BAD.has(tag)) bad.push("element " + tag);
    if (tag === "META" && el.getAttribute("http-equiv")) bad.push("meta http-equiv");
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (name.startsWith("on")) bad.push(tag + " " + name);
      if (URLISH.has(name) && /(javascript|vbscript):|data:text\\/html|expression\\(/.test(value)) bad.push(tag + " " + name + "=" + value.slice(0, 80));
    }
  }
  return bad;
}
const frame = document.getElementById("f");
let i = 0;
function next() {
  if (i >= pages.length) {
    document.getElementById("out").textContent = JSON.stringify(report);
    return;
  }
  const page = pages[i++];
  frame.onload = () => setTimeout(() => {
    const d = frame.contentDocument;
    report[page] = d ? {bad: inspect(d), shown: d.documentElement.outerHTML.includes("__pwned=1"), pwned: window.__pwned === 1} : {bad: ["no document"], shown: false};
    next();
  }, 300);
  frame.src = page;
}
next();
</script></body></html>"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium); browser checks skipped")
    from roadmap import compare
    from roadmap.publish import publish
    from roadmap.render import commands, documents, tables

    root = tmp_path_factory.mktemp("injection")
    plan_path = hostile_plan(root, name=FILE_NAME)
    plan = store.load(plan_path).plan
    other = root / "kz.yaml"
    adapt.init(other, country="KZ", start_year=2024, today=TODAY)
    out = root / "pages"
    out.mkdir()
    (out / "action-plan.html").write_bytes(tables.render(plan, "html"))
    (out / "green-paper.html").write_bytes(
        documents.render(plan, "html", as_of=TODAY, model=commands.model_of(plan))
    )
    (out / "compare.html").write_text(compare.render(compare.load([plan_path, other]), "html"), encoding="utf-8")
    publish(plan_path, root / "site", as_of=TODAY)
    pages = [f"pages/{p.name}" for p in sorted(out.iterdir())]
    pages += [f"site/{p.name}" for p in sorted((root / "site").iterdir()) if p.suffix in (".html", ".svg")]
    # A page that does run a payload, loaded last: proof that the probe sees one.
    (root / "control").mkdir()
    (root / "control" / "planted.html").write_text(f"<!DOCTYPE html><p>{PLANTED}</p>", encoding="utf-8")
    pages.append("control/planted.html")
    (root / "probe.html").write_text(PROBE % {"pages": json.dumps(pages)}, encoding="utf-8")
    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", pages
    finally:
        server.shutdown()
        server.server_close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_no_payload_runs_or_waits_for_a_click_in_any_html_output(served: tuple[str, list[str]], tmp_path: Path) -> None:
    base, pages = served
    assert {"pages/action-plan.html", "pages/green-paper.html", "pages/compare.html", "site/index.html", "site/flowchart.svg"} <= set(pages)
    result = subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=60000", "--dump-dom", f"{base}/probe.html",
        ],
        capture_output=True, text=True, timeout=240, check=False,
    )
    found = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.S)
    assert found and found.group(1) != "pending", result.stderr[-2000:]
    state = json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    assert list(state) == pages
    control = state.pop("control/planted.html")
    assert control["pwned"] and control["bad"] == ["IMG onerror"], "the probe must see a payload that runs"
    assert {page: r["bad"] for page, r in state.items() if r["bad"]} == {}
    assert [page for page, r in state.items() if r["pwned"]] == []
    # The payloads are on every page, as text (a page without them would prove nothing).
    assert [page for page, r in state.items() if not r["shown"]] == []
