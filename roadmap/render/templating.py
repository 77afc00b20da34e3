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
        bytecode_cache=_bytecode_cache("html"),
    )
    env.filters["num"] = _num
    env.filters["md"] = md_escape
    env.filters["mdcell"] = md_cell
    return env


def _bytecode_cache(kind: str) -> Any:
    """Compiled templates kept between runs (as Python keeps __pycache__): compiling the
    26 templates takes about 0.3 s, a tenth of `publish`. Keyed by each template's
    source checksum, so an edited template is compiled again; one folder per environment
    (their settings compile the same text differently) and per jinja2 version. No cache
    (compile every run) when the folder cannot be made, or ROADMAP_NO_CACHE is set."""
    import os
    from pathlib import Path

    import jinja2

    if os.environ.get("ROADMAP_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "roadmap" / f"templates-{kind}-jinja2-{jinja2.__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not os.access(folder, os.W_OK):
            return None
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


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


class Typst(str):
    """typst markup or code made by roadmap itself: the typst environment prints it as is."""


def _typst_finalize(value: object) -> object:
    """Every value a typst template prints is plan text, escaped, unless it is `Typst`."""
    if isinstance(value, Typst) or isinstance(value, (int, float)) or value is None:
        return "" if value is None else value
    from .typeset import escape

    return escape(value)


@lru_cache(maxsize=1)
def typst_environment() -> Any:
    """Templates of typst documents (templates/typst/): plan text is escaped by default."""
    import jinja2

    from .typeset import string

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(resources.templates_dir())),
        autoescape=False,
        finalize=_typst_finalize,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache("typst"),
    )
    env.filters["str"] = lambda value: Typst(string(value))
    env.filters["pt"] = lambda value: Typst(f"{float(value):.2f}pt")
    env.filters["fill"] = _fill
    env.filters["typst"] = Typst  # a macro's output: typst the template itself wrote
    return env


def _fill(message: str, **code: str) -> Typst:
    """A message with typst code where its {placeholders} are ("Page {page} of {pages}")."""
    import re

    from .typeset import escape

    parts = re.split(r"\{(\w+)\}", message)
    out = [escape(part) if k % 2 == 0 else code[part] for k, part in enumerate(parts)]
    return Typst("".join(out))
