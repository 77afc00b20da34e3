"""The Changes between two plans, in road-map terms.

Both plans are compared as normalised data (every field with its default), so a key
written out in one file and left to its default in the other is no difference. Lists of
things with ids (tasks, stages, directions, goals, audiences, sections) are matched by
id; other values are compared whole, except small records (meta, box, the success rule)
whose fields are compared one by one.
"""

from __future__ import annotations

from typing import Any

from .changes import Change
from .model import Roadmap
from .yamltext import Path

# Mappings compared field by field; anything else is one value.
_RECURSE = {("meta",), ("vision",), ("vision", "success_rule"), ("box",)}
_BY_ID = {
    ("tasks",),
    ("stages",),
    ("directions",),
    ("audiences",),
    ("sections",),
    ("vision", "goals"),
}
_IGNORED = {"history", "schema_version"}


def normalise(plan: Roadmap) -> dict[str, Any]:
    """Plain data with every default filled in: the form plans are compared in."""
    return plan.model_dump(mode="json")


def diff_plans(a: Roadmap, b: Roadmap, *, fields: set[str] | None = None) -> list[Change]:
    """Changes that turn plan `a` into plan `b` (tasks matched by id)."""
    changes = _diff_mapping(normalise(a), normalise(b), ())
    if fields:
        changes = [c for c in changes if _field_name(c) in fields]
    return changes


def _field_name(change: Change) -> str:
    if change.task is not None:
        return "task" if len(change.path) == 2 else str(change.path[2])
    return str(change.path[0])


def _diff_mapping(a: dict[str, Any], b: dict[str, Any], path: Path) -> list[Change]:
    out: list[Change] = []
    for key in [*a.keys(), *(k for k in b.keys() if k not in a)]:
        if not path and key in _IGNORED:
            continue
        out += _diff_value(a.get(key), b.get(key), (*path, key))
    return out


def _shape(path: Path) -> tuple[str, ...]:
    """The path with ids removed: ('tasks', 'DAT-2', 'box') -> ('box',) for task fields."""
    if len(path) >= 2 and path[0] == "tasks":
        return tuple(str(p) for p in path[2:])
    return tuple(str(p) for p in path)


def _diff_value(old: Any, new: Any, path: Path) -> list[Change]:
    if old == new:
        return []
    shape = _shape(path)
    if tuple(path) in _BY_ID and isinstance(old, list) and isinstance(new, list):
        return _diff_by_id(old, new, path)
    if shape in _RECURSE and isinstance(old, dict) and isinstance(new, dict):
        return _diff_mapping(old, new, path)
    if _is_record(path) and isinstance(old, dict) and isinstance(new, dict):
        return _diff_mapping(old, new, path)
    return [Change(path, old, new)]


def _is_record(path: Path) -> bool:
    """An item of an id-matched list: compare its fields one by one."""
    return len(path) >= 2 and tuple(path[:-1]) in _BY_ID


def _diff_by_id(old: list[Any], new: list[Any], path: Path) -> list[Change]:
    before = {item["id"]: item for item in old if isinstance(item, dict) and "id" in item}
    after = {item["id"]: item for item in new if isinstance(item, dict) and "id" in item}
    out: list[Change] = []
    for ident, item in after.items():
        if ident not in before:
            out.append(Change((*path, ident), None, item))
        else:
            out += _diff_value(before[ident], item, (*path, ident))
    for ident, item in before.items():
        if ident not in after:
            out.append(Change((*path, ident), item, None))
    return out
