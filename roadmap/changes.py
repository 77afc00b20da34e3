"""The Change: the one currency of the toolkit.

An adaptation command computes Changes; the store splices them into the plan's text and
records them in its history; `diff` finds the Changes between two plans; `upgrade`
replays a model's Changes onto a country plan; the change log and the "Changes from the
model" annex render Changes as sentences.

A path addresses a value in the plan as plain data. A string step into a list picks the
item whose `id` is that string, so `("tasks", "DAT-2", "status")` survives reordering.
A Change whose `old` is None adds (a key, or an item to a list); one whose `new` is None
removes it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from .yamltext import Path, format_path, resolve_index


@dataclass(frozen=True)
class Change:
    path: Path
    old: Any
    new: Any
    note: str | None = None
    date: dt.date | None = None
    by: str | None = None
    command: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def task(self) -> str | None:
        if len(self.path) >= 2 and self.path[0] == "tasks" and isinstance(self.path[1], str):
            return self.path[1]
        return None

    @property
    def field(self) -> str:
        """The changed field, relative to its task when it has one ('task' for a whole task)."""
        if self.task is not None:
            rest = self.path[2:]
            return format_path(rest) if rest else "task"
        return format_path(self.path)

    def stamped(self, *, command: str, date: dt.date, by: str | None = None) -> Change:
        return replace(self, command=command, date=self.date or date, by=self.by or by)

    def history_entry(self, step: int | None = None) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "date": (self.date or dt.date.today()).isoformat(),
            "command": self.command or "edit",
        }
        if step is not None:
            entry["step"] = step
        if self.task is not None:
            entry["task"] = self.task
        entry["field"] = self.field
        entry["old"] = self.old
        entry["new"] = self.new
        if self.note:
            entry["note"] = self.note
        if self.by:
            entry["by"] = self.by
        if self.extra.get("undoes"):
            entry["undoes"] = self.extra["undoes"]
        return entry

    def describe(self) -> str:
        """One line for the terminal: what this Change did."""
        where = self.task or format_path(self.path)
        if self.old is None and self.new is not None and self.task and self.field == "task":
            return f"{where}: added ({_short(self.new)})"
        if self.new is None and self.old is not None and self.task and self.field == "task":
            return f"{where}: removed"
        name = self.field if self.task else ""
        prefix = f"{where} {name}".strip()
        return f"{prefix}: {_short(self.old)} -> {_short(self.new)}"


class Edit(list):  # list[Change]
    """The Changes an editing command made, with the plan they were computed on.

    A list, so callers that only count or inspect Changes need nothing else; `plan` lets
    the command line word them as sentences (calendar years, direction names), and
    `notes` says what the command did besides (why a task moved along), `warnings` what
    the user may want to fix (a step now starting before the one it follows ends),
    `conflicts` what it left as it was because two sides changed it (import-sheet).
    """

    def __init__(
        self,
        changes: Any = (),
        plan: Any = None,
        notes: list[str] | None = None,
        warnings: list[str] | None = None,
    ):
        super().__init__(changes)
        self.plan = plan
        self.notes: list[str] = list(notes or [])
        self.warnings: list[str] = list(warnings or [])
        self.conflicts: list[str] = []


def _short(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, dict):
        if "title" in value:
            return str(value["title"])
        if "name" in value:
            return str(value["name"])
        return ", ".join(f"{k}={_short(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(_short(v) for v in value) if value else "(empty)"
    return str(value)


# ---------------------------------------------------------------------------------------
# Applying Changes to plain data (the store checks the text against this)


class PathError(KeyError):
    pass


def apply_to_data(data: dict[str, Any], change: Change) -> dict[str, Any]:
    """Data with one Change applied; copies only the containers on the Change's path.

    Plans hold thousands of tasks: a deep copy per edit would cost more than the edit.
    """
    return _with(data, change.path, change, 0)


def _with(container: Any, path: Path, change: Change, depth: int) -> Any:
    key = path[depth]
    last = depth == len(path) - 1
    if isinstance(container, list):
        out = list(container)
        index = resolve_index(out, key)
        if last:
            if change.new is None:
                if index is None:
                    raise PathError(format_path(path))
                del out[index]
            elif index is None:
                out.append(copy.deepcopy(change.new))
            else:
                out[index] = copy.deepcopy(change.new)
            return out
        if index is None:
            raise PathError(format_path(path[: depth + 1]))
        out[index] = _with(out[index], path, change, depth + 1)
        return out
    out = dict(container)
    if last:
        if change.new is None:
            out.pop(key, None)
        else:
            out[key] = copy.deepcopy(change.new)
        return out
    if key not in out or out[key] is None:
        # Adding inside a missing mapping or list: create it.
        nxt = path[depth + 1]
        out[key] = [] if isinstance(nxt, str) and _adds_item(change) else {}
    out[key] = _with(out[key], path, change, depth + 1)
    return out


def _adds_item(change: Change) -> bool:
    return change.old is None and isinstance(change.new, dict)


def applied(data: dict[str, Any], changes: list[Change]) -> dict[str, Any]:
    for change in changes:
        data = apply_to_data(data, change)
    return data
