"""Reading a published site: its pages and the local links in them."""

from __future__ import annotations

import re
import urllib.parse
from html import unescape
from pathlib import Path


def local_links(page: Path) -> list[str]:
    """Every href and src in a page that points into the site (no mailto:, no http)."""
    html = page.read_text(encoding="utf-8")
    out = []
    for target in re.findall(r'(?:href|src)="([^"]+)"', html):
        target = unescape(target)
        if target.startswith(("mailto:", "http://", "https://", "data:", "#")):
            continue
        out.append(urllib.parse.unquote(target.split("#")[0]))
    return out


def broken_links(site: Path) -> list[str]:
    """Links that lead nowhere, from every page (the language folders' too)."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        for target in local_links(page):
            if target and not (page.parent / target).resolve().is_file():
                broken.append(f"{page.relative_to(site)} -> {target}")
    return broken
