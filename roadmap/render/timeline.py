"""The tasks as a Gantt chart by calendar year, grouped by direction, with a date line.

Ministries plan by calendar year, so the chart's columns are years (plan years turned
into calendar years), each bar is one task coloured by its status, and a red line marks
the date the statuses describe (today or --as-of), which shows at a glance what is late.
"""

from __future__ import annotations

import datetime as dt
import re

from ..i18n import Catalogue, catalogue
from ..model import Roadmap, Status, Task
from . import palette
from .rows import calendar_years, directions, row_order, years_text
from .scene import Line, Rect, Scene, Text, to_svg

FORMATS = ("svg", "png", "pdf", "mermaid")

MARGIN = 20.0
LABEL_W = 330.0
YEAR_W = 84.0
ROW_H = 18.0
GROUP_H = 20.0
SIZE = 8.5
CHAR = 0.56


def _years(plan: Roadmap) -> tuple[int, int]:
    first, last = plan.calendar_year(1), plan.calendar_year(plan.meta.horizon)
    for task in plan.tasks:
        a, b = calendar_years(plan, task)
        first, last = min(first, a), max(last, b)
    return first, last


def _fit(text: str, width: float, size: float) -> str:
    chars = int(width / (size * 0.62))  # Cyrillic glyphs are wider than Latin ones
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "\u2026"


def scene(plan: Roadmap, as_of: dt.date, t: Catalogue) -> Scene:
    """Lay the chart out; y grows downwards, units are points."""
    first, last = _years(plan)
    tracked = plan.meta.kind == "plan"
    x0 = MARGIN + LABEL_W
    width = x0 + (last - first + 1) * YEAR_W + MARGIN
    items: list[Rect | Line | Text] = []
    y = MARGIN + 14
    items.append(Text(MARGIN, y, plan.meta.title, 13, bold=True))
    y += 16
    items.append(Text(MARGIN, y, t("timeline.subtitle", date=t.date(as_of)), 9, fill=palette.MUTED))
    y += 14
    header_top = y
    items.append(Rect(MARGIN, y, width - 2 * MARGIN, ROW_H + 4, palette.HEADER_FILL))
    items.append(Text(MARGIN + 6, y + 15, t("timeline.tasks"), 9, bold=True, fill=palette.HEADER_TEXT))
    for k, year in enumerate(range(first, last + 1)):
        items.append(Text(x0 + k * YEAR_W + YEAR_W / 2, y + 15, str(year), 9, anchor="middle", bold=True, fill=palette.HEADER_TEXT))
    y += ROW_H + 4
    body_top = y
    bars: list[Rect | Line | Text] = []
    for direction in directions(plan):
        tasks = sorted((x for x in plan.tasks if x.direction == direction.id), key=row_order)
        if not tasks:
            continue
        items.append(Rect(MARGIN, y, width - 2 * MARGIN, GROUP_H, palette.ROW_FILL))
        items.append(Text(MARGIN + 6, y + 14, f"{direction.number}. {direction.name}", 9, bold=True))
        y += GROUP_H
        for n, task in enumerate(tasks):
            if n % 2:
                items.append(Rect(MARGIN, y, width - 2 * MARGIN, ROW_H, "#f6f8fa"))
            label = _fit(f"{task.id}  {task.title}", LABEL_W - 24, SIZE)
            items.append(Text(MARGIN + 14, y + 12.5, label, SIZE))
            bars += _bar(plan, task, x0, y, first, tracked)
            y += ROW_H
    bottom = y
    for k in range(last - first + 2):
        x = x0 + k * YEAR_W
        items.append(Line(x, body_top, x, bottom, "#c9d3de", 0.8))
    if first <= as_of.year <= last:
        days = 366 if as_of.year % 4 == 0 and (as_of.year % 100 or as_of.year % 400 == 0) else 365
        x = x0 + (as_of.year - first + (as_of.timetuple().tm_yday - 0.5) / days) * YEAR_W
        items.append(Line(x, header_top + ROW_H + 4, x, bottom + 4, palette.TODAY_LINE, 1.6, dashed=True))
        items.append(Text(x, bottom + 15, t("timeline.as_of", date=t.date(as_of)), 8, anchor="middle", bold=True, fill=palette.TODAY_LINE))
    items += bars  # over the date line, so their ids stay readable
    y = bottom + 24
    if tracked:
        y = _legend(items, t, y)
    return Scene(width, y + MARGIN, items, title=f"{plan.meta.title}: {t('timeline.heading')}")


def _bar(plan: Roadmap, task: Task, x0: float, y: float, first: int, tracked: bool) -> list[Rect | Line | Text]:
    a, b = calendar_years(plan, task)
    x = x0 + (a - first) * YEAR_W + 3
    w = (b - a + 1) * YEAR_W - 6
    fill = palette.FILL[task.status] if tracked else palette.ROW_FILL
    stroke = palette.LINE[task.status] if tracked else palette.MODEL_LINE
    dashed = tracked and task.status in palette.DASHED
    return [
        Rect(x, y + 3, w, ROW_H - 6, fill, stroke, dashed=dashed, title=f"{task.id}: {task.title} ({years_text(plan, task)})"),
        Text(x + w / 2, y + 12, task.id, 7.5, anchor="middle", fill=palette.TEXT),
    ]


def _legend(items: list[Rect | Line | Text], t: Catalogue, y: float) -> float:
    x = MARGIN
    items.append(Text(x, y + 10, t("timeline.legend"), 9, bold=True))
    x += 60
    for status in (Status.done, Status.in_progress, Status.planned, Status.not_needed):
        items.append(Rect(x, y, 22, 12, palette.FILL[status], palette.LINE[status], dashed=status in palette.DASHED))
        name = t(f"status.{status.value}")
        items.append(Text(x + 28, y + 10, name, 8.5))
        x += 28 + len(name) * 8.5 * CHAR + 24
    return y + 16


# ---------------------------------------------------------------------------------------
# Mermaid gantt


def _mermaid_name(text: str) -> str:
    """A gantt task name: ':' and '#' and ';' end or break a gantt line, so they are replaced.

    "%%" starts a Mermaid comment or, as "%%{init: ...}%%", a directive that reconfigures the
    chart wherever it stands: the two signs are kept apart ("50%" stays as it is).
    """
    text = text.replace(":", ",").replace("#", "No.").replace(";", ",")
    return re.sub(r"\s+", " ", re.sub(r"%(?=%)", "% ", text)).strip()


def mermaid(plan: Roadmap, as_of: dt.date, t: Catalogue) -> str:
    """A gantt: done is grey (`done`), in progress highlighted (`active`), not started plain.
    Mermaid has no tag for "not needed", and `done` would claim work was finished, so those
    tasks leave their direction for a last section of their own, as diamonds (`milestone`)
    at their start: no bar, because no work is planned."""
    tag = {Status.done: "done, ", Status.in_progress: "active, ", Status.planned: ""}
    out = [
        "gantt",
        f"  title {_mermaid_name(plan.meta.title)}: {_mermaid_name(t('timeline.heading'))}",
        "  dateFormat YYYY-MM-DD",
        "  axisFormat %Y",
        "  todayMarker off",
    ]
    tracked = plan.meta.kind == "plan"

    def line(task: Task) -> str:
        a, b = calendar_years(plan, task)
        name = _fit(f"{task.id} {task.title}", 64 * SIZE * 0.62, SIZE)
        if tracked:
            name += f" ({t(f'status.{task.status.value}')})"
        ident = re.sub(r"[^A-Za-z0-9_]", "_", task.id)
        if tracked and task.status is Status.not_needed:
            return f"    {_mermaid_name(name)} :milestone, {ident}, {a}-01-01, 0d"
        return f"    {_mermaid_name(name)} :{tag[task.status] if tracked else ''}{ident}, {a}-01-01, {b}-12-31"

    left_out: list[Task] = []
    for direction in directions(plan):
        tasks = sorted((x for x in plan.tasks if x.direction == direction.id), key=row_order)
        if tracked:
            left_out += [x for x in tasks if x.status is Status.not_needed]
            tasks = [x for x in tasks if x.status is not Status.not_needed]
        if not tasks:
            continue
        out.append(f"  section {_mermaid_name(f'{direction.number}. {direction.name}')}")
        out += [line(task) for task in tasks]
    if left_out:
        out.append(f"  section {_mermaid_name(t('timeline.not_needed_section'))}")
        out += [line(task) for task in left_out]
    out.append(f"  section {_mermaid_name(t('timeline.as_of_section'))}")
    out.append(f"    {_mermaid_name(t('timeline.as_of', date=t.date(as_of)))} :milestone, as_of, {as_of.isoformat()}, 0d")
    return "\n".join(out) + "\n"


def render(plan: Roadmap, fmt: str, *, as_of: dt.date, lang: str | None = None, paper: str | None = None) -> bytes:
    """The timeline in one of FORMATS, as the bytes of the file."""
    t = catalogue(lang or plan.meta.language)
    if fmt == "mermaid":
        return mermaid(plan, as_of, t).encode("utf-8")
    drawing = scene(plan, as_of, t)
    if fmt == "svg":
        return to_svg(drawing).encode("utf-8")
    from .flowchart import print_drawing

    return print_drawing(to_svg(drawing), fmt, plan, paper=paper, lang=lang)
