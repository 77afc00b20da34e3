"""Reading the plan's recorded history back as Changes (the change log, upgrade conflicts).

The store records each Change as {date, command, task, field, old, new, note, by}, with
the field written by `yamltext.format_path` relative to its task. These functions undo
that: one entry becomes the Change it was.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .changes import Change
from .yamltext import Path

_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[([^\]]*)\]")


def parse_path(text: str) -> Path:
    """The inverse of `format_path`: 'tasks[DAT-2].box.order' -> ('tasks', 'DAT-2', 'box', 'order')."""
    head = re.match(r"[^.\[]+", text)
    if head is None:
        return ()
    out: list[str | int] = [head.group(0)]
    for match in _STEP.finditer(text, head.end()):
        name, bracket = match.groups()
        if name is not None:
            out.append(name)
        else:
            out.append(int(bracket) if bracket.isdigit() else bracket)
    return tuple(out)


def task_path(task: str | None, field: str) -> Path:
    """The path of a field recorded as (task, field): ('tasks', task, ...), or the field's own path."""
    if task is None:
        return parse_path(field)
    if field == "task":
        return ("tasks", task)
    return ("tasks", task, *parse_path(field))


def from_history(entry: dict[str, Any]) -> Change:
    """A recorded history entry as the Change it was."""
    date = entry.get("date")
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return Change(
        task_path(entry.get("task"), str(entry["field"])),
        entry.get("old"),
        entry.get("new"),
        note=entry.get("note"),
        date=date,
        by=entry.get("by"),
        command=entry.get("command"),
    )
