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
        if a is not None:
            first, last = min(first, a), max(last, b)  # type: ignore[type-var]
    return first, last


class _Grid:
    """The chart's columns: calendar years, or a work plan's periods (quarters, months)."""

    def __init__(self, plan: Roadmap, t: Catalogue) -> None:
        self.plan = plan
        if plan.meta.start:
            self.periods = plan.periods()
            self.labels = [
                f"{p.year} " + (t("report.quarter", number=p.part) if p.unit == "quarter" else p.label) if p.unit != "year" else str(p)
                for p in self.periods
            ]
        else:
            self.periods = []
            self.first, last = _years(plan)
            self.labels = [str(year) for year in range(self.first, last + 1)]

    def span(self, task: Task) -> tuple[int, int] | None:
        """First and last column of a task's bar (None: no timeframe)."""
        if not self.periods:
            a, b = calendar_years(self.plan, task)
            return None if a is None else (a - self.first, b - self.first)  # type: ignore[operator]
        timeframe = self.plan.timeframe(task)
        if timeframe is None:
            return None
        columns = [j for j, p in enumerate(self.periods) if timeframe[0].first_day <= p.first_day and p.last_day <= timeframe[1].last_day]
        return (columns[0], columns[-1]) if columns else None

    def at(self, when: dt.date) -> float | None:
        """Where a date falls, in columns from the left (None: outside the chart)."""
        if not self.periods:
            if not self.first <= when.year < self.first + len(self.labels):
                return None
            days = 366 if when.year % 4 == 0 and (when.year % 100 or when.year % 400 == 0) else 365
            return when.year - self.first + (when.timetuple().tm_yday - 0.5) / days
        for j, p in enumerate(self.periods):
            if p.contains(when):
                days = (p.last_day - p.first_day).days + 1
                return j + ((when - p.first_day).days + 0.5) / days
        return None


def _fit(text: str, width: float, size: float) -> str:
    chars = int(width / (size * 0.62))  # Cyrillic glyphs are wider than Latin ones
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: max(chars - 1, 1)].rstrip() + "\u2026"


def scene(plan: Roadmap, as_of: dt.date, t: Catalogue) -> Scene:
    """Lay the chart out; y grows downwards, units are points."""
    grid = _Grid(plan, t)
    tracked = plan.meta.kind == "plan"
    x0 = MARGIN + LABEL_W
    width = x0 + len(grid.labels) * YEAR_W + MARGIN
    items: list[Rect | Line | Text] = []
    y = MARGIN + 14
    items.append(Text(MARGIN, y, plan.meta.title, 13, bold=True))
    y += 16
    subtitle = "timeline.subtitle" if not plan.meta.start else "timeline.subtitle_periods"
    items.append(Text(MARGIN, y, t(subtitle, date=t.date(as_of)), 9, fill=palette.MUTED))
    y += 14
    header_top = y
    items.append(Rect(MARGIN, y, width - 2 * MARGIN, ROW_H + 4, palette.HEADER_FILL))
    items.append(Text(MARGIN + 6, y + 15, t("timeline.tasks"), 9, bold=True, fill=palette.HEADER_TEXT))
    for k, label in enumerate(grid.labels):
        items.append(Text(x0 + k * YEAR_W + YEAR_W / 2, y + 15, label, 9, anchor="middle", bold=True, fill=palette.HEADER_TEXT))
    y += ROW_H + 4
    body_top = y
    bars: list[Rect | Line | Text] = []
    for direction in directions(plan):
        tasks = sorted((x for x in plan.tasks if x.direction == direction.id), key=row_order)
        if not tasks:
            continue
        items.append(Rect(MARGIN, y, width - 2 * MARGIN, GROUP_H, palette.ROW_FILL))
        items.append(Text(MARGIN + 6, y + 14, f"{direction.ref or direction.number}. {direction.name}", 9, bold=True))
        y += GROUP_H
        for n, task in enumerate(tasks):
            if n % 2:
                items.append(Rect(MARGIN, y, width - 2 * MARGIN, ROW_H, "#f6f8fa"))
            label = _fit(f"{task.ref or task.id}  {task.title}", LABEL_W - 24, SIZE)
            items.append(Text(MARGIN + 14, y + 12.5, label, SIZE))
            bars += _bar(plan, task, x0, y, grid.span(task), tracked)
            y += ROW_H
    bottom = y
    for k in range(len(grid.labels) + 1):
        x = x0 + k * YEAR_W
        items.append(Line(x, body_top, x, bottom, "#c9d3de", 0.8))
    where = grid.at(as_of)
    if where is not None:
        x = x0 + where * YEAR_W
        items.append(Line(x, header_top + ROW_H + 4, x, bottom + 4, palette.TODAY_LINE, 1.6, dashed=True))
        items.append(Text(x, bottom + 15, t("timeline.as_of", date=t.date(as_of)), 8, anchor="middle", bold=True, fill=palette.TODAY_LINE))
    items += bars  # over the date line, so their ids stay readable
    y = bottom + 24
    if tracked:
        y = _legend(items, t, y)
    return Scene(width, y + MARGIN, items, title=f"{plan.meta.title}: {t('timeline.heading')}")


def _bar(plan: Roadmap, task: Task, x0: float, y: float, span: tuple[int, int] | None, tracked: bool) -> list[Rect | Line | Text]:
    if span is None:  # no timeframe: no bar
        return []
    a, b = span
    x = x0 + a * YEAR_W + 3
    w = (b - a + 1) * YEAR_W - 6
    fill = palette.FILL[task.status] if tracked else palette.ROW_FILL
    stroke = palette.LINE[task.status] if tracked else palette.MODEL_LINE
    dashed = tracked and task.status in palette.DASHED
    return [
        Rect(x, y + 3, w, ROW_H - 6, fill, stroke, dashed=dashed, title=f"{task.id}: {task.title} ({years_text(plan, task)})"),
        Text(x + w / 2, y + 12, task.ref or task.id, 7.5, anchor="middle", fill=palette.TEXT),
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
        "  axisFormat %Y" if not plan.meta.start else "  axisFormat %Y-%m",
        "  todayMarker off",
    ]
    tracked = plan.meta.kind == "plan"

    def line(task: Task) -> str:
        span = plan.timeframe(task)
        if task.start is not None and span is not None:
            start, end = span[0].first_day.isoformat(), span[1].last_day.isoformat()
        else:
            a, b = calendar_years(plan, task)
            start, end = f"{a}-01-01", f"{b}-12-31"
        name = _fit(f"{task.id} {task.title}", 64 * SIZE * 0.62, SIZE)
        if tracked:
            name += f" ({t(f'status.{task.status.value}')})"
        ident = re.sub(r"[^A-Za-z0-9_]", "_", task.id)
        if tracked and task.status is Status.not_needed:
            return f"    {_mermaid_name(name)} :milestone, {ident}, {start}, 0d"
        return f"    {_mermaid_name(name)} :{tag[task.status] if tracked else ''}{ident}, {start}, {end}"

    left_out: list[Task] = []
    for direction in directions(plan):
        tasks = sorted((x for x in plan.tasks if x.direction == direction.id and x.timed), key=row_order)
        if tracked:
            left_out += [x for x in tasks if x.status is Status.not_needed]
            tasks = [x for x in tasks if x.status is not Status.not_needed]
        if not tasks:
            continue
        out.append(f"  section {_mermaid_name(f'{direction.ref or direction.number}. {direction.name}')}")
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
