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
    "timeline": ("roadmap.render.timeline", ("svg", "png", "pdf", "mermaid"), "svg"),
    "action-plan": ("roadmap.render.tables", ("md", "html", "csv", "xlsx", "docx", "pdf"), "md"),
    "green-paper": ("roadmap.render.documents", ("md", "html", "docx", "pdf"), "html"),
    "report": ("roadmap.render.workplan_report", ("md", "html", "xlsx", "docx", "pdf"), "md"),
}
BINARY = {"png", "pdf", "xlsx", "docx"}
PAPERS = ("a3", "a4")  # typeset.PAPERS, kept here so choosing a format imports no typesetting
SUFFIX = {"mmd": "mermaid", "gv": "dot", "markdown": "md", "htm": "html"}
EXTENSION = {"mermaid": "mmd"}


def extension(fmt: str) -> str:
    """The file extension a format is saved with (mermaid -> mmd)."""
    return EXTENSION.get(fmt, fmt)


def pick_format(kind: str, fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output file's name implies, else the default.

    A file name that implies no format of this kind, or another one than --format says,
    is refused: `-o plan.txt` must not silently hold Markdown, nor `-o plan.csv` Excel.
    """
    _, formats, default = KINDS[kind]
    implied = None
    if output is not None and output.suffix:
        guess = output.suffix.lower().lstrip(".")
        implied = SUFFIX.get(guess, guess)
    choices = "|".join(formats)
    if fmt is not None:
        fmt = SUFFIX.get(fmt.lower(), fmt.lower())
        if fmt not in formats:
            raise BadValue(f'{kind} cannot be written as "{fmt}"; choose --format {choices}')
        if implied is not None and implied != fmt and implied in _ALL_FORMATS:
            raise BadValue(
                f"--format {fmt} does not match the file name {output.name}; "  # type: ignore[union-attr]
                f"name the file .{extension(fmt)}, or leave out --format"
            )
        return fmt
    if implied is None:
        return default
    if implied not in formats:
        raise BadValue(
            f"cannot tell which format to write from the name {output.name}; "  # type: ignore[union-attr]
            f"name it .{' / .'.join(extension(f) for f in formats)}, or give --format {choices}"
        )
    return implied


_ALL_FORMATS = {f for _, formats, _ in KINDS.values() for f in formats}


def choose(kind: str, fmt: str | None, output: Path | None, plan_path: Path) -> str:
    """The format to write, after making sure the output may be written at all (never over
    the plan, whatever its name says about the format)."""
    from ..store import check_output

    if output is not None:
        check_output(output, [plan_path])
    return pick_format(kind, fmt, output)


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
    model: Path | None = None,
    paper: str | None = None,
    lang: str | None = None,
    say: Callable[[str], None] | None = None,
) -> bytes:
    """Draw one document of the road map; write it to `output` (atomically) when given.

    `lang`: the language to write it in (the plan's translations; default its own).
    `say` hears what the user should know about the drawing (a plan too large to draw).
    """
    from ..store import check_output, load, write_output
    from ..translate import localised

    fmt = pick_format(kind, fmt, output)
    if paper is not None:
        paper = paper.lower()
        if paper not in PAPERS:
            raise BadValue(f'unknown paper "{paper}"; choose --paper {"|".join(PAPERS)}')
        if fmt != "pdf" and (kind, fmt) != ("green-paper", "docx"):
            raise BadValue(f"--paper sets the pages of a PDF; {fmt} has no pages: leave out --paper or write .pdf")
    if output is not None and not output.parent.is_dir():
        raise BadValue(f"cannot write {output}: the folder {output.parent} does not exist")
    if output is not None:
        check_output(output, [plan_path])  # before the work, not only before the write
    doc = load(plan_path)
    plan = localised(doc.plan, plan_path, lang)
    module = importlib.import_module(KINDS[kind][0])
    options: dict[str, object] = {}
    if paper is not None:
        options["paper"] = paper
    if kind == "flowchart":
        options["details"] = details
    if kind in ("flowchart", "green-paper"):
        from ..identity import read_logo

        options["say"] = say
        options["logo"] = read_logo(doc.plan, plan_path)
    if kind in ("timeline", "green-paper", "report"):
        options["as_of"] = as_of or doc.plan.meta.as_of or dt.date.today()
    if kind == "green-paper":
        if model is not None and doc.plan.meta.based_on is not None:
            from ..lineage import base_model

            options["model"] = base_model(doc, model, option="--model").plan  # must be the version the plan records
        else:
            options["model"] = model_of(doc.plan)
        if options["model"] is not None:
            options["model"] = localised(options["model"], plan_path, lang, of=doc.plan)  # its words compared in the same language
    data: bytes = module.render(plan, fmt, **options)
    if output is not None:
        write_output(output, data, [plan_path])
    return data


def model_of(plan: Roadmap) -> Roadmap | None:
    """The model version a plan is based on now (for "Changes from the model"), or None.

    Found by the hash in `meta.based_on` among the packaged versions (lineage), so after an
    `upgrade` the annex compares with the version the plan was upgraded to, not with
    whichever model ships under the same id. None for a model itself, or when that version
    is not available here (`render green-paper --model FILE` gives it).
    """
    from .. import lineage
    from ..store import load

    based_on = plan.meta.based_on
    if based_on is None:
        return None
    path = lineage.find_by_hash(based_on.hash)
    return load(path).plan if path is not None else None
