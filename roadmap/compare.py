"""`roadmap compare`: the region at a glance, one row per task, one column per plan.

Rows are the tasks of the model (matched by id, as `diff` matches them) followed, in each
direction, by the tasks every country added. A plan keeps a model task, drops it (marks
it not needed, or no longer has it) or added it. The formats are views of one plain-data
table (`Comparison.as_data`), so they cannot disagree.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BadValue
from .escaping import csv_cell, for_terminal
from .i18n import Catalogue, catalogue
from .model import Roadmap, Status, Task
from .progress import COLOUR

KEPT, DROPPED, ADDED = "kept", "dropped", "added"


@dataclass
class Column:
    label: str  # the country code, or the plan id when it has no country (with the file name when not unique)
    file: str
    plan: Roadmap

    @property
    def as_of(self) -> dt.date | None:
        """The date the plan's statuses describe: meta.as_of, else its last recorded change."""
        if self.plan.meta.as_of is not None:
            return self.plan.meta.as_of
        return max((h.date for h in self.plan.history), default=None)

    @property
    def name(self) -> str | None:
        return self.plan.meta.country.name if self.plan.meta.country else None

    @property
    def country(self) -> str:
        """Whose plan this is: plans of one country share the rows of that country's added tasks."""
        return _country(self.plan)


def _country(plan: Roadmap) -> str:
    return plan.meta.country.code if plan.meta.country else plan.meta.id


@dataclass
class Cell:
    status: str
    colour: str
    owner: str | None
    years: tuple[int, int]  # calendar years
    verdict: str  # kept, dropped or added

    def as_data(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "colour": self.colour,
            "owner": self.owner,
            "years": list(self.years),
            "verdict": self.verdict,
        }


@dataclass
class Row:
    task: str
    title: str
    direction: str
    added_by: str | None  # the country (code, or plan id) that added it; None for model tasks
    cells: dict[str, Cell | None] = field(default_factory=dict)

    def count(self, verdict: str) -> int:
        return sum(1 for label, c in self.cells.items() if self.verdict(label) == verdict)

    def verdict(self, label: str) -> str | None:
        """kept, dropped, added, or None (another country's added task)."""
        cell = self.cells.get(label)
        if cell is not None:
            return cell.verdict
        return DROPPED if self.added_by is None else None


@dataclass
class Comparison:
    columns: list[Column]
    rows: list[Row]

    def totals(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for col in self.columns:
            verdicts = [r.verdict(col.label) for r in self.rows]
            tasks = col.plan.tasks
            counts = {s: sum(1 for t in tasks if t.status is s) for s in Status}
            remaining = [t for t in tasks if t.status in (Status.planned, Status.in_progress)]
            kept = verdicts.count(KEPT) + verdicts.count(ADDED)
            done = counts[Status.done]
            out[col.label] = {
                "kept": verdicts.count(KEPT),
                "dropped": verdicts.count(DROPPED),
                "added": verdicts.count(ADDED),
                "done": done,
                "in_progress": counts[Status.in_progress],
                "planned": counts[Status.planned],
                "not_needed": counts[Status.not_needed],
                "owned": sum(1 for t in remaining if t.owner is not None),
                "remaining": len(remaining),
                "percent_done": round(100 * done / kept) if kept else None,
            }
        return out

    def as_data(self) -> dict[str, Any]:
        return {
            "plans": [
                {
                    "label": c.label,
                    "file": c.file,
                    "id": c.plan.meta.id,
                    "country": c.plan.meta.country.code if c.plan.meta.country else None,
                    "name": c.name,
                    "as_of": c.as_of.isoformat() if c.as_of else None,
                    "based_on": c.plan.meta.based_on.model_dump() if c.plan.meta.based_on else None,
                }
                for c in self.columns
            ],
            "rows": [
                {
                    "task": r.task,
                    "title": r.title,
                    "direction": r.direction,
                    "added_by": r.added_by,
                    "plans": {label: (cell.as_data() if cell else None) for label, cell in r.cells.items()},
                    "kept": r.count(KEPT),
                    "dropped": r.count(DROPPED),
                }
                for r in self.rows
            ],
            "totals": self.totals(),
        }


# ---------------------------------------------------------------------------------------
# Building


def load(paths: list[Path]) -> Comparison:
    from . import store

    if not paths:
        raise BadValue("give the plans to compare: roadmap compare kg.yaml kz.yaml ...")
    docs = [store.load(p) for p in paths]
    return build([(d.label, d.plan) for d in docs])


def _labels(plans: list[tuple[str, Roadmap]]) -> list[str]:
    base = [_country(p) for _, p in plans]
    named = [
        label if base.count(label) == 1 else f"{label} ({Path(file).name})"
        for label, (file, _) in zip(base, plans)
    ]
    # The same file given twice (or two files of one name in different folders): number them.
    out: list[str] = []
    seen: dict[str, int] = {}
    for label in named:
        if named.count(label) > 1:
            seen[label] = seen.get(label, 0) + 1
            label = f"{label} #{seen[label]}"
        out.append(label)
    return out


def build(plans: list[tuple[str, Roadmap]]) -> Comparison:
    columns = [Column(label, file, plan) for label, (file, plan) in zip(_labels(plans), plans)]
    directions: list[str] = []
    titles: dict[str, Task] = {}
    model_ids: list[str] = []
    added: list[tuple[str, str]] = []  # (country, task id), once however many of its plans have it
    for col in columns:
        for d in col.plan.directions:
            if d.id not in directions:
                directions.append(d.id)
        for t in col.plan.tasks:
            titles.setdefault(t.id, t)
            if t.direction not in directions:
                directions.append(t.direction)
            if t.origin.value == "model":
                if t.id not in model_ids:
                    model_ids.append(t.id)
            elif (col.country, t.id) not in added:
                added.append((col.country, t.id))
    added_ids = {tid for _, tid in added}
    by_id = {col.label: {t.id: t for t in col.plan.tasks} for col in columns}  # one map per plan, not a search per row
    rows: list[Row] = []
    for direction in directions:
        for tid in model_ids:
            task = titles[tid]
            if task.direction == direction and tid not in added_ids:
                rows.append(Row(tid, task.title, direction, None))
        for country, tid in added:
            task = _added_task(columns, country, tid)
            if task.direction == direction:
                rows.append(Row(tid, task.title, direction, country))
    for row in rows:
        for col in columns:
            task = by_id[col.label].get(row.task)
            if row.added_by is not None and row.added_by != col.country:
                task = None  # the same id in another plan is that plan's own task
            row.cells[col.label] = _cell(col.plan, task, row) if task else None
    return Comparison(columns, rows)


def _added_task(columns: list[Column], country: str, tid: str) -> Task:
    """The task as the first of the country's plans that has it gives it (its title and direction)."""
    return next(t for c in columns if c.country == country for t in c.plan.tasks if t.id == tid)


def _cell(plan: Roadmap, task: Task, row: Row) -> Cell:
    if row.added_by is not None:
        verdict = ADDED
    else:
        verdict = DROPPED if task.status is Status.not_needed else KEPT
    return Cell(
        status=task.status.value,
        colour=COLOUR[task.status],
        owner=task.owner.name if task.owner else None,
        years=_when(plan, task),
        verdict=verdict,
    )


# ---------------------------------------------------------------------------------------
# Formats


def _when(plan: Roadmap, task: Task) -> tuple[Any, Any]:
    """Calendar years; a work plan's periods (2009-Q2, 2009-Q4); (None, None) untimed."""
    if task.start is not None:
        return task.start, task.end
    if task.year_start is None:
        return None, None
    return plan.calendar_year(task.year_start), plan.calendar_year(task.year_end)  # type: ignore[arg-type]


def _span(years: tuple[Any, Any] | list[Any]) -> str:
    if years[0] is None:
        return ""
    return str(years[0]) if years[0] == years[1] else f"{years[0]}\u2013{years[1]}"


def _cell_words(cell: Cell | None, t: Catalogue) -> str:
    if cell is None:
        return t("compare.absent")
    parts = [t(f"status.{cell.status}"), _span(cell.years)]
    if cell.owner:
        parts.append(cell.owner)
    return " \u00b7 ".join(parts)


def _row_verdict(row: Row, t: Catalogue) -> tuple[str, str]:
    if row.added_by is not None:
        return t("compare.added_by", plan=row.added_by), ""
    return str(row.count(KEPT)), str(row.count(DROPPED))


TOTAL_KEYS = (
    ("kept", "compare.kept"),
    ("dropped", "compare.dropped"),
    ("added", "compare.added"),
    ("done", "compare.total_done"),
    ("in_progress", "compare.total_in_progress"),
    ("planned", "compare.total_planned"),
    ("not_needed", "compare.total_not_needed"),
    ("owned", "compare.total_owned"),
    ("percent_done", "compare.percent_done"),
)


def _total(totals: dict[str, Any], key: str) -> str:
    value = totals[key]
    if key == "owned":
        return f"{value}/{totals['remaining']}"
    return "\u2013" if value is None else str(value)


def format_json(comparison: Comparison) -> str:
    return json.dumps(comparison.as_data(), ensure_ascii=False, indent=2) + "\n"


def format_csv(comparison: Comparison, lang: str | None = None) -> str:
    """One row per task; per plan its status, responsible person and calendar years."""
    t = _catalogue(comparison, lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = [t("compare.task"), t("compare.title_column"), t("compare.direction"), t("compare.added")]
    for col in comparison.columns:
        header += [f"{col.label} {t(key)}" for key in ("compare.status", "compare.owner", "compare.years")]
    header += [t("compare.kept"), t("compare.dropped")]
    writer.writerow([csv_cell(cell) for cell in header])  # country labels come from the plans
    for row in comparison.rows:
        line = [row.task, row.title, row.direction, row.added_by or ""]
        for col in comparison.columns:
            cell = row.cells[col.label]
            line += [cell.status, cell.owner or "", _span(cell.years)] if cell else ["", "", ""]
        line += [row.count(KEPT), row.count(DROPPED)] if row.added_by is None else ["", ""]
        writer.writerow([csv_cell(cell) for cell in line])
    return buffer.getvalue()


def _catalogue(comparison: Comparison, lang: str | None) -> Catalogue:
    """The words of `lang`, else of the first plan's language."""
    first = comparison.columns[0].plan.meta.language if comparison.columns else None
    return catalogue(lang or first)


def _md(text: Any) -> str:
    value = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("|", "\\|").replace("\n", " ")


def format_md(comparison: Comparison, lang: str | None = None) -> str:
    t = _catalogue(comparison, lang)
    labels = [c.label for c in comparison.columns]
    subtitle = t.plural("compare.subtitle_dates", len(comparison.columns), dates=_dates(comparison, t))
    out = [f"# {t('compare.title')}", "", _md(subtitle), ""]
    head = [t("compare.task"), t("compare.title_column"), *labels, t("compare.kept"), t("compare.dropped")]
    out += ["| " + " | ".join(_md(h) for h in head) + " |", "|" + "---|" * len(head)]
    for row in comparison.rows:
        kept, dropped = _row_verdict(row, t)
        cells = [_cell_words(row.cells[label], t) for label in labels]
        out.append("| " + " | ".join(_md(v) for v in (row.task, row.title, *cells, kept, dropped)) + " |")
    totals = comparison.totals()
    out += ["", f"## {t('compare.totals')}", ""]
    out += ["| | " + " | ".join(_md(label) for label in labels) + " |", "|" + "---|" * (len(labels) + 1)]
    for key, word in TOTAL_KEYS:
        out.append(f"| {_md(t(word))} | " + " | ".join(_total(totals[label], key) for label in labels) + " |")
    out += ["", f"*{_md(t('compare.kept_note'))}*"]
    return "\n".join(out) + "\n"


def _dates(comparison: Comparison, t: Catalogue) -> str:
    """'23 November 2026', or the span '31 December 2025 – 23 November 2026' when the plans differ."""
    dates = sorted({c.as_of for c in comparison.columns if c.as_of})
    if not dates:
        return t("compare.no_date")
    if len(dates) == 1:
        return t.date(dates[0])
    return t("compare.date_span", first=t.date(dates[0]), last=t.date(dates[-1]))


def _directions(comparison: Comparison) -> dict[str, str]:
    """Direction id -> "6. Finance", from the first plan that has the direction."""
    out: dict[str, str] = {}
    for col in comparison.columns:
        for d in col.plan.directions:
            out.setdefault(d.id, f"{d.number}. {d.name}")
    return out


def format_html(comparison: Comparison, lang: str | None = None) -> str:
    """A page of the site (its stylesheet, inline; no scripts, nothing from the web); text escaped."""
    from .render.palette import FILL
    from .render.templating import environment

    t = _catalogue(comparison, lang)
    totals = comparison.totals()
    names = _directions(comparison)
    groups: list[dict[str, Any]] = []
    for row in comparison.rows:
        if not groups or groups[-1]["id"] != row.direction:
            groups.append({"id": row.direction, "name": names.get(row.direction, row.direction), "rows": []})
        kept, dropped = _row_verdict(row, t)
        groups[-1]["rows"].append(
            {
                "task": row.task,
                "title": row.title,
                "added_by": row.added_by,
                "cells": [
                    None
                    if (cell := row.cells[c.label]) is None
                    else {
                        "colour": cell.colour,
                        "status": t(f"status.{cell.status}"),
                        "years": _span(cell.years),
                        "owner": cell.owner,
                    }
                    for c in comparison.columns
                ],
                "kept": kept,
                "dropped": dropped,
            }
        )
    return environment().get_template("compare.html.j2").render(
        t=t.all(),
        lang=t.lang,
        subtitle=t.plural("compare.subtitle_dates", len(comparison.columns), dates=_dates(comparison, t)),
        fill={COLOUR[status]: colour for status, colour in FILL.items()},
        colours={status.value: COLOUR[status] for status in Status},
        columns=[
            {
                "label": c.label,
                "name": c.name,
                "file": c.file,
                "as_of": t.date(c.as_of) if c.as_of else t("compare.no_date"),
                "based_on": f"{c.plan.meta.based_on.id} {c.plan.meta.based_on.version}" if c.plan.meta.based_on else "",
            }
            for c in comparison.columns
        ],
        groups=groups,
        totals=[
            {"name": t(word), "values": [_total(totals[c.label], key) for c in comparison.columns]}
            for key, word in TOTAL_KEYS
        ],
    )


def format_text(
    comparison: Comparison, lang: str | None = None, *, width: int | None = None, colour: bool | None = None
) -> str:
    """A terminal table: status as a coloured mark (legend above), years, responsible person.

    It is printed with its own colours, so the plan's text is cleaned here (`for_terminal`)
    rather than at the CLI's print boundary.
    """
    from rich.console import Console, Group
    from rich.table import Table
    from rich.text import Text

    from .render.terminal import STYLE, SYMBOL

    t = _catalogue(comparison, lang)
    legend = Text()
    for status in Status:
        legend.append(f"{SYMBOL[COLOUR[status]]} {t(f'status.{status.value}')}  ", style=STYLE[COLOUR[status]])
    table = Table(pad_edge=False, padding=(0, 1), show_lines=False)
    table.add_column(t("compare.task"), no_wrap=True)
    for col in comparison.columns:
        table.add_column(for_terminal(col.label), overflow="fold")
    table.add_column(t("compare.kept"), justify="right", no_wrap=True)  # "added by KG" on one line
    table.add_column(t("compare.dropped"), justify="right")
    for row in comparison.rows:
        cells: list[Any] = [for_terminal(row.task)]
        for col in comparison.columns:
            cell = row.cells[col.label]
            if cell is None:
                cells.append(Text(t("compare.absent"), style="dim"))
                continue
            mark = Text(f"{SYMBOL[cell.colour]} {_span(cell.years)}", style=STYLE[cell.colour])
            if cell.owner:
                mark.append(f"\n{for_terminal(cell.owner)}")
            cells.append(mark)
        kept, dropped = _row_verdict(row, t)
        cells += [kept, dropped]
        table.add_row(*cells)
    totals = comparison.totals()
    summary = Table(title=t("compare.totals"), title_justify="left", pad_edge=False, padding=(0, 1))
    summary.add_column("")
    for col in comparison.columns:
        summary.add_column(for_terminal(col.label), justify="right")
    for key, word in TOTAL_KEYS:
        summary.add_row(t(word), *[_total(totals[c.label], key) for c in comparison.columns])
    head = Text(t("compare.title"), style="bold")
    head.append("\n" + t.plural("compare.subtitle_dates", len(comparison.columns), dates=_dates(comparison, t)), style="")
    console = Console(
        file=io.StringIO(), width=width or 120, highlight=False, force_terminal=colour, no_color=colour is False
    )
    console.print(Group(head, legend, table, summary, Text(t("compare.kept_note"), style="dim")))
    return console.file.getvalue()  # type: ignore[attr-defined]


def render(comparison: Comparison, fmt: str = "text", *, colour: bool | None = None) -> str:
    if fmt == "json":
        return format_json(comparison)
    if fmt == "csv":
        return format_csv(comparison)
    if fmt == "md":
        return format_md(comparison)
    if fmt == "html":
        return format_html(comparison)
    return format_text(comparison, colour=colour)
