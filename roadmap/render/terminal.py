"""The `status` view for a terminal: readable in 80 columns and without colour."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..i18n import Catalogue

SYMBOL = {"green": "\u2713", "yellow": "\u25d0", "red": "\u25cb", "grey": "\u2013"}
STYLE = {"green": "bold green", "yellow": "bold yellow", "red": "bold red", "grey": "dim"}


# Beyond these, a cell counts its tasks and a list says how many more there are (`--all` lists them).
CELL_LIMIT = 12
LIST_LIMIT = 30
STATUSES = (("green", "done"), ("yellow", "in_progress"), ("red", "planned"), ("grey", "not_needed"))


def _mark(task: dict[str, Any]) -> Text:
    colour = task["colour"]
    return Text(f"{SYMBOL[colour]}{task['id']}", style=STYLE[colour])


def _cell(tasks: list[dict[str, Any]], show_all: bool) -> Text:
    if show_all or len(tasks) <= CELL_LIMIT:
        return Text(" ").join(_mark(t) for t in tasks)
    counts = {colour: 0 for colour, _ in STATUSES}
    for task in tasks:
        counts[task["colour"]] += 1
    return Text(" ").join(
        Text(f"{SYMBOL[colour]}{counts[colour]}", style=STYLE[colour]) for colour, _ in STATUSES if counts[colour]
    )


def _percent(row: dict[str, Any]) -> str:
    return "-" if row["percent"] is None else f"{row['done']}/{row['total']} {row['percent']}%"


def _longest_word(names: list[str]) -> int:
    return max((len(word) for name in names for word in name.split()), default=0)


def status_view(summary: dict[str, Any], t: Catalogue, *, show_all: bool = False) -> RenderableType:
    """The matrix, progress and the task lists. Long cells are counted and long lists cut
    (with how many more) unless `show_all`, so a 10,000-task plan stays a page."""
    first, last = summary.get("periods") or summary["years"]
    overall = summary["overall"]
    head = Text()
    head.append(f"{summary['title']}\n", style="bold")
    if summary.get("owner_filter"):
        head.append(t("terminal.owner_filter", owner=summary["owner_filter"]) + "\n", style="bold")
    key = "terminal.heading_periods" if summary.get("periods") else "terminal.heading"  # a work plan's quarters are no years
    head.append(t(key, as_of=t.date(summary["as_of"]), first=first, last=last))
    head.append(t("terminal.done_share", share=_percent(overall)), style="bold")
    head.append(
        t(
            "terminal.counts",
            done=t.number(overall["done"]),
            in_progress=t.number(overall["in_progress"]),
            planned=t.number(overall["planned"]),
            not_needed=t.number(overall["not_needed"]),
        )
        + "\n"
    )
    head.append(t("terminal.legend"))
    for colour, status in STATUSES:
        head.append(f"{SYMBOL[colour]} {t('status.' + status)}  ", style=STYLE[colour])

    names = {d["id"]: d for d in summary["directions"]}
    table = Table(show_lines=False, pad_edge=False, padding=(0, 1), expand=False)
    # Direction names wrap between words, never inside one ("Infrastructure" stays whole): a
    # column of fixed width is one rich does not squeeze when the stages need room.
    words = _longest_word([d["name"] for d in names.values()] + [t("terminal.all_stages")])
    longest = max((len(d["name"]) for d in names.values()), default=0)
    table.add_column(t("terminal.direction"), width=max(words, min(longest, 16)))
    stage_rows = summary["stages"]
    for stage in stage_rows:
        table.add_column(t("terminal.stage_short", number=stage["number"]))
    table.add_column(t("terminal.done_column"), justify="right", no_wrap=True)
    for direction_id, cells in summary["matrix"].items():
        row: list[RenderableType] = [names[direction_id]["name"]]
        for stage in stage_rows:
            row.append(_cell(cells[stage["id"]], show_all))
        row.append(_percent(names[direction_id]))
        table.add_row(*row)
    table.add_section()
    table.add_row(t("terminal.all_stages"), *[_percent(s) for s in stage_rows], _percent(overall))

    stages = Text()
    for stage in stage_rows:
        message = f" ({stage['key_message']})" if stage.get("key_message") else ""
        stages.append(f"{t('terminal.stage_short', number=stage['number'])} {stage['name']}{message}\n", style="dim")

    parts: list[RenderableType] = [head, table, stages]
    lists = [("overdue", t("terminal.overdue")), ("due_this_year", t("terminal.due", year=summary["as_of"][:4]))]
    if not summary.get("owner_filter"):  # everything shown under a filter has an owner
        lists.insert(1, ("unowned", t("terminal.unowned")))
    if "no_timeframe" in summary:
        lists.append(("no_timeframe", t("terminal.no_timeframe")))
    for number, (key, title) in enumerate(lists):
        items = summary[key]
        parts.append(Text(("\n" if number else "") + f"{title}: {t.number(len(items))}", style="bold"))
        shown = items if show_all else items[:LIST_LIMIT]
        for task in shown:
            years = task.get("periods") or task["years"]
            if years is None:
                span = t("change.no_timeframe")
            else:
                span = str(years[0]) if years[0] == years[1] else (f"{years[0]}\u2013{years[1]}" if task.get("periods") else f"{years[0]}-{years[1]}")
            owner = f" \u00b7 {task['owner']['name']}" if task.get("owner") else ""
            line = Text(f"  {SYMBOL[task['colour']]} {task['id']} ({span}{owner}) {task['title']}")
            line.no_wrap, line.overflow = True, "ellipsis"
            parts.append(line)
        if len(items) > len(shown):
            parts.append(Text("  " + t.plural("terminal.more", len(items) - len(shown)), style="dim"))
    return Group(*parts)
