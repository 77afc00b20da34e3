"""`roadmap undo`: take back the last recorded command, through the store like any edit.

The history says what each command changed (old and new values) and, by its `step`,
which entries one command made. Undo applies those Changes backwards as one more
recorded command ("undo", each entry naming the step it `undoes`), so nothing is erased
from the history; a second undo takes back the command before, and so on. It refuses
when the plan no longer holds what the command wrote (edited by hand since), rather
than overwrite that edit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from . import store
from .changes import Change, Edit
from .errors import EditRefused
from .history import from_history
from .store import Document
from .yamltext import format_path, get_path


def last_command(history: list[dict[str, Any]]) -> tuple[int, list[dict[str, Any]]]:
    """The step and the entries of the last recorded command not yet undone (undo's own
    entries are never a target: to redo, run the command again)."""
    numbers = store.steps(history)
    undone = {e.get("undoes") for e in history if e.get("command") == "undo"}
    for step in sorted(set(numbers), reverse=True):
        entries = [e for e, n in zip(history, numbers) if n == step]
        if entries[0].get("command") != "undo" and step not in undone:
            return step, entries
    return 0, []


def undo(path: Path, *, dry_run: bool = False, today: dt.date | None = None) -> Edit:
    def compute(doc: Document) -> Edit:
        step, entries = last_command(doc.data.get("history") or [])
        if not entries:
            raise EditRefused(f"{doc.label} has no recorded changes to undo")
        first = entries[0]
        if first.get("command") == "init":
            raise EditRefused(
                f"the last recorded command of {doc.label} created it (init); there is nothing before it to go "
                "back to (to start again, delete the file and run init)"
            )
        what = f"{first.get('command')} of {first.get('date')}"
        backwards = [
            Change(c.path, c.new, c.old, note=f"undoes the {what}", extra={"undoes": step})
            for c in (_checked(doc, from_history(e)) for e in reversed(entries))
        ]
        return Edit(backwards, notes=[f"undoing the {what} ({len(entries)} change(s))"])

    return store.edit(path, compute, command="undo", dry_run=dry_run, today=today)


def _checked(doc: Document, change: Change) -> Change:
    current = get_path(doc.data, change.path)
    if current != change.new:
        raise EditRefused(
            f"{format_path(change.path)} has been changed since it was recorded (it is now {current!r}, "
            f"the command left {change.new!r}); undo would overwrite that. Edit it back by hand instead"
        )
    return change
