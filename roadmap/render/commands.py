"""What `roadmap render ...` does: load the plan, pick the format, draw, write.

The CLI calls `render_file` and nothing else; each renderer module is imported only when
its kind is asked for, so `roadmap --help` does not pay for jinja2, openpyxl or docx.
"""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import Callable

from ..errors import BadValue
from ..model import Roadmap

# kind -> (module, formats, default format)
KINDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "flowchart": ("roadmap.render.flowchart", ("svg", "png", "pdf", "dot", "mermaid"), "svg"),
    "timeline": ("roadmap.render.timeline", ("svg", "png", "mermaid"), "svg"),
    "action-plan": ("roadmap.render.tables", ("md", "html", "csv", "xlsx", "docx"), "md"),
    "green-paper": ("roadmap.render.documents", ("md", "html", "docx"), "html"),
}
BINARY = {"png", "pdf", "xlsx", "docx"}
SUFFIX = {"mmd": "mermaid", "gv": "dot", "markdown": "md", "htm": "html"}
EXTENSION = {"mermaid": "mmd"}


def extension(fmt: str) -> str:
    """The file extension a format is saved with (mermaid -> mmd)."""
    return EXTENSION.get(fmt, fmt)


def pick_format(kind: str, fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output file's name implies, else the default."""
    _, formats, default = KINDS[kind]
    if fmt is None and output is not None and output.suffix:
        guess = output.suffix.lower().lstrip(".")
        fmt = SUFFIX.get(guess, guess)
        if fmt not in formats:
            fmt = None
    fmt = (fmt or default).lower()
    if fmt not in formats:
        raise BadValue(f'{kind} cannot be written as "{fmt}"; choose --format {"|".join(formats)}')
    return fmt


def is_binary(fmt: str) -> bool:
    return fmt in BINARY


def render_file(
    kind: str,
    plan_path: Path,
    *,
    fmt: str | None = None,
    output: Path | None = None,
    details: bool = False,
    as_of: dt.date | None = None,
    say: Callable[[str], None] | None = None,
) -> bytes:
    """Draw one document of the road map; write it to `output` (atomically) when given.

    `say` hears what the user should know about the drawing (a plan too large to draw).
    """
    from ..store import load, write_bytes_atomic

    fmt = pick_format(kind, fmt, output)
    if output is not None and not output.parent.is_dir():
        raise BadValue(f"cannot write {output}: the folder {output.parent} does not exist")
    doc = load(plan_path)
    module = importlib.import_module(KINDS[kind][0])
    options: dict[str, object] = {}
    if kind == "flowchart":
        options["details"] = details
        options["say"] = say
    if kind in ("timeline", "green-paper"):
        options["as_of"] = as_of or doc.plan.meta.as_of or dt.date.today()
    if kind == "green-paper":
        options["model"] = model_of(doc.plan)
    data: bytes = module.render(doc.plan, fmt, **options)
    if output is not None:
        write_bytes_atomic(output, data)
    return data


def model_of(plan: Roadmap) -> Roadmap | None:
    """The model a plan was adapted from (for "Changes from the model"), or None.

    The embedded model when the plan names it in `meta.based_on`; None for a model itself
    or a plan derived from a model this installation does not ship.
    """
    from ..resources import model_path
    from ..store import load

    based_on = plan.meta.based_on
    if based_on is None:
        return None
    model = load(model_path()).plan
    return model if model.meta.id == based_on.id else None
