"""`roadmap undo`: take back the last recorded command, through the store like any edit.

The history says what each command changed (old and new values) and, by its `step`,
which entries one command made. Undo applies those Changes backwards, as one more
recorded command ("undo"), so it is itself in the history and can be undone (that is a
redo). It refuses when the plan no longer holds what the command wrote (edited by hand
since), rather than overwrite that edit.
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


def last_command(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries the last recorded command made (entries without a step: the last run
    of the same date and command)."""
    if not history:
        return []
    last = history[-1]
    if isinstance(last.get("step"), int):
        same = lambda e: e.get("step") == last["step"]  # noqa: E731
    else:
        same = lambda e: e.get("step") is None and (e.get("date"), e.get("command")) == (last.get("date"), last.get("command"))  # noqa: E731
    out = []
    for entry in reversed(history):
        if not same(entry):
            break
        out.append(entry)
    return list(reversed(out))


def undo(path: Path, *, dry_run: bool = False, today: dt.date | None = None) -> Edit:
    def compute(doc: Document) -> Edit:
        entries = last_command(doc.data.get("history") or [])
        if not entries:
            raise EditRefused(f"{doc.label} has no recorded changes to undo")
        first = entries[0]
        if first.get("command") == "init":
            raise EditRefused(
                f"the last recorded command of {doc.label} created it (init); to start again, delete the file "
                "and run init"
            )
        backwards = [_reversed(doc, from_history(e)) for e in reversed(entries)]
        what = f"{first.get('command')} of {first.get('date')}"
        return Edit([Change(c.path, c.old, c.new, note=f"undoes the {what}") for c in backwards], notes=[f"undoing the {what} ({len(entries)} change(s))"])

    return store.edit(path, compute, command="undo", dry_run=dry_run, today=today)


def _reversed(doc: Document, change: Change) -> Change:
    current = get_path(doc.data, change.path)
    if current != change.new:
        raise EditRefused(
            f"{format_path(change.path)} has been changed since it was recorded (it is now {current!r}, "
            f"the command left {change.new!r}); undo would overwrite that. Edit it back by hand instead"
        )
    return Change(change.path, change.new, change.old)
