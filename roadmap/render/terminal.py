"""The `status` view for a terminal: readable in 80 columns and without colour."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..i18n import Catalogue

SYMBOL = {"green": "\u2713", "yellow": "\u25d0", "red": "\u25cb", "grey": "\u2013"}
STYLE = {"green": "bold green", "yellow": "bold yellow", "red": "bold red", "grey": "dim"}


def _mark(task: dict[str, Any]) -> Text:
    colour = task["colour"]
    return Text(f"{SYMBOL[colour]}{task['id']}", style=STYLE[colour])


def _percent(row: dict[str, Any]) -> str:
    return "-" if row["percent"] is None else f"{row['done']}/{row['total']} {row['percent']}%"


def status_view(summary: dict[str, Any], t: Catalogue) -> RenderableType:
    first, last = summary["years"]
    overall = summary["overall"]
    head = Text()
    head.append(f"{summary['title']}\n", style="bold")
    head.append(t("terminal.heading", as_of=summary["as_of"], first=first, last=last))
    head.append(t("terminal.done_share", share=_percent(overall)), style="bold")
    head.append(
        t(
            "terminal.counts",
            done=overall["green"],
            in_progress=overall["yellow"],
            planned=overall["red"],
            not_needed=overall["grey"],
        )
        + "\n"
    )
    head.append(t("terminal.legend"))
    for colour, status in (("green", "done"), ("yellow", "in_progress"), ("red", "planned"), ("grey", "not_needed")):
        head.append(f"{SYMBOL[colour]} {t('status.' + status)}  ", style=STYLE[colour])

    table = Table(show_lines=False, pad_edge=False, padding=(0, 1), expand=False)
    table.add_column(t("terminal.direction"), overflow="fold", max_width=16)
    stage_rows = summary["stages"]
    for stage in stage_rows:
        table.add_column(f"S{stage['number']}", overflow="fold")
    table.add_column(t("terminal.done_column"), justify="right", no_wrap=True)
    names = {d["id"]: d for d in summary["directions"]}
    for direction_id, cells in summary["matrix"].items():
        row: list[RenderableType] = [names[direction_id]["name"]]
        for stage in stage_rows:
            marks = Text(" ").join(_mark(t) for t in cells[stage["id"]])
            row.append(marks)
        row.append(_percent(names[direction_id]))
        table.add_row(*row)
    table.add_section()
    table.add_row(t("terminal.all_stages"), *[_percent(s) for s in stage_rows], _percent(overall))

    stages = Text()
    for stage in stage_rows:
        message = f" ({stage['key_message']})" if stage.get("key_message") else ""
        stages.append(f"S{stage['number']} {stage['name']}{message}\n", style="dim")

    parts: list[RenderableType] = [head, table, stages]
    for key, title in (
        ("overdue", t("terminal.overdue")),
        ("unowned", t("terminal.unowned")),
        ("due_this_year", t("terminal.due", year=summary["as_of"][:4])),
    ):
        items = summary[key]
        parts.append(Text(f"{title}: {len(items)}", style="bold"))
        for task in items:
            years = task["years"]
            span = str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"
            owner = f" \u00b7 {task['owner']}" if task.get("owner") else ""
            line = Text(f"  {SYMBOL[task['colour']]} {task['id']} ({span}{owner}) {task['title']}")
            line.no_wrap, line.overflow = True, "ellipsis"
            parts.append(line)
    return Group(*parts)
