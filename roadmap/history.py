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


def entries_of(path: Any, task: str | None = None) -> tuple[Any, list[dict[str, Any]]]:
    """The plan's recorded history, or one task's; an id the plan never had is an error.

    A removed task has no entry in `tasks:` any more but keeps its history, so ids are
    looked up in both before saying "no such task".
    """
    import difflib

    from . import store
    from .errors import UnknownId

    doc = store.load(path)
    history = doc.data.get("history") or []
    if task is None:
        return doc.plan, list(history)
    known = {t.id for t in doc.plan.tasks} | {str(e["task"]) for e in history if e.get("task")}
    match = next((k for k in known if k.lower() == task.strip().lower()), None)
    if match is None:
        close = difflib.get_close_matches(task.strip().upper(), sorted(known), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(close)}?" if close else "; `roadmap status PLAN` lists the tasks"
        raise UnknownId(f'no task "{task}" in {doc.label}{hint}')
    return doc.plan, [e for e in history if e.get("task") == match]

