"""The jinja2 environment for every document template: autoescaping on, strict undefined.

Autoescape is on for every template (HTML, SVG, and Markdown too, where the plan's text
is escaped by the template's own filter), so plan text can never become markup: a task
titled <script>alert(1)</script> shows as text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .. import resources


@lru_cache(maxsize=1)
def environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.templates_dir())),
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "svg", "xml", "html.j2", "svg.j2", "xml.j2"),
            default_for_string=True,
            default=False,
        ),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["md"] = md_escape
    env.filters["mdcell"] = md_cell
    return env


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|"} | {"<": "&lt;", ">": "&gt;"})


def md_escape(text: object) -> str:
    """Plan text inside Markdown: shown as written, never turned into markup or HTML."""
    return " ".join(str(text).split()).translate(_MD_SPECIAL)


def md_cell(value: object) -> str:
    """A Markdown table cell: lists joined with "; ", no line breaks, pipes escaped."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return md_escape(value)


def _num(value: float) -> str:
    """Coordinates with two decimals and no trailing zeros: stable, compact SVG."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
