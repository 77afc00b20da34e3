"""Helpers for the rendering tests: plans with Cyrillic and hostile text, SVG text by node."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

from roadmap.store import load

TODAY = dt.date(2026, 11, 23)
CYRILLIC = "Фестиваль креативной экономики в Бишкеке"
SCRIPT = "<script>alert(1)</script>"


def hostile_plan(path: Path) -> Path:
    """A Kyrgyz plan with a Cyrillic task and a task whose title is a script tag."""
    from roadmap import adapt

    adapt.init(path, country="KG", start_year=2024, today=TODAY)
    adapt.add(path, direction="CUL", stage="S2", title=CYRILLIC, owner="Айгуль Токтогулова", years="2-3", today=TODAY)
    adapt.add(path, direction="FIN", stage="S3", title=SCRIPT, years="3", today=TODAY)
    adapt.tick(path, ["DEF-1"], on="2024-06-30", today=TODAY)
    return path


def plan_of(path: Path):  # type: ignore[no-untyped-def]
    return load(path).plan


def svg_node_texts(svg: str) -> dict[str, str]:
    """Graphviz SVG: the text drawn over each task box, by node name (our text nodes are NAME:K)."""
    out: dict[str, list[str]] = {}
    for group in re.finditer(r'<g id="(?:a_)?node\d+" class="node">\s*<title>(.*?)</title>(.*?)</g>', svg, re.S):
        name = unescape(group.group(1))
        base = name.split(":")[0] if re.fullmatch(r".+:\d+", name) else None
        if base is None:
            continue
        words = [unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", group.group(2), re.S)]
        out.setdefault(base, []).extend(words)
    return {k: " ".join(v) for k, v in out.items()}


def node_shape(svg: str, node: str) -> tuple[str, str, bool] | None:
    """(fill, stroke, dashed) of a named node's box in Graphviz SVG."""
    for group in re.finditer(r'<g id="(?:a_)?node\d+" class="node">\s*<title>(.*?)</title>(.*?)</g>', svg, re.S):
        if unescape(group.group(1)) == node:
            shape = re.search(r'<polygon fill="([^"]+)" stroke="([^"]+)"([^>]*)>', group.group(2))
            if shape:
                return shape.group(1), shape.group(2), "stroke-dasharray" in shape.group(3)
    return None
