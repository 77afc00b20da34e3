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
    return env


def _num(value: float) -> str:
    """Coordinates with two decimals and no trailing zeros: stable, compact SVG."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
