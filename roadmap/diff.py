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
from .errors import BadValue
from .model import Roadmap
from .yamltext import Path

# Mappings compared field by field; anything else is one value.
_RECURSE = {("meta",), ("vision",), ("vision", "success_rule"), ("box",)}
# Lists of records matched by id, in diff and in upgrade.
ID_LISTS = {
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
    return diff_data(normalise(a), normalise(b), fields=fields)


def diff_data(a: dict[str, Any], b: dict[str, Any], *, fields: set[str] | None = None) -> list[Change]:
    """`diff_plans` on normalised data (for `upgrade`, which renames ids before comparing)."""
    changes = _diff_mapping(a, b, ())
    if fields:
        changes = [c for c in changes if field_name(c) in fields]
    return changes


def field_name(change: Change) -> str:
    """The name `--fields` filters on: a task's field, else the top-level key ('meta')."""
    if change.task is not None:
        return "task" if len(change.path) == 2 else str(change.path[2])
    return str(change.path[0])


# ---------------------------------------------------------------------------------------
# Groups: what a person counts as one difference

# Task fields that make one difference together: a task moved (start and end year), a
# status set with its date and reason.
TASK_GROUPS: dict[str, str] = {
    "year_start": "years",
    "year_end": "years",
    "start": "years",
    "end": "years",
    "status": "status",
    "status_date": "status",
    "status_note": "status",
    "expected_results": "results",
    "success_indicators": "indicators",
    "persons_involved": "persons",
    "international_examples": "examples",
    "depends_on": "dependencies",
    "budget": "lines",
}
# Document areas (top-level keys) a diff reports besides tasks.
AREAS = ("meta", "vision", "audiences", "stages", "directions", "sections", "renamed", "conflicts", "budget")
# Every name `--fields` accepts, with the fields it stands for.
FIELD_NAMES: dict[str, set[str]] = {
    "years": {"year_start", "year_end", "start", "end"},
    "status": {"status", "status_date", "status_note"},
    "owner": {"owner"},
    "title": {"title"},
    "box": {"box"},
    "results": {"expected_results"},
    "indicators": {"success_indicators"},
    "persons": {"persons_involved"},
    "examples": {"international_examples"},
    "dependencies": {"depends_on"},
    "direction": {"direction"},
    "stage": {"stage"},
    "comments": {"comments"},
    "origin": {"origin"},
    "ref": {"ref"},
    "target": {"target"},
    "lead": {"lead"},
    "parties": {"parties"},
    "lines": {"budget"},
    **{area: {area} for area in AREAS},
}


def group_of(change: Change) -> str:
    """The difference a Change belongs to, by name: 'years', 'status', 'owner', 'meta'..."""
    name = field_name(change)
    return TASK_GROUPS.get(name, name) if change.task is not None else name


def group_key(change: Change) -> tuple[str | int, ...]:
    """Changes with the same key count as one difference (DAT-2's start and end year)."""
    if change.task is not None:
        return ("tasks", change.task, group_of(change))
    path = change.path
    if len(path) >= 3 and tuple(path[:2]) == ("vision", "goals"):
        return tuple(path[:3])  # a goal's reached, date and evidence
    if len(path) >= 2 and (path[0],) in ID_LISTS:
        return (*path[:2], *path[2:3])  # an item's field
    return tuple(path[:2])


def parse_fields(text: str | None) -> set[str] | None:
    """`--fields status,owner,years` as the field names `diff_plans` filters on."""
    if text is None or not text.strip():
        return None
    out: set[str] = set()
    known = {name for names in FIELD_NAMES.values() for name in names}
    for word in (w.strip().lower().replace("-", "_") for w in text.split(",")):
        if not word:
            continue
        if word in FIELD_NAMES:
            out |= FIELD_NAMES[word]
        elif word in known:
            out.add(word)
        else:
            raise BadValue(
                f'unknown field "{word}" in --fields; use any of: {", ".join(FIELD_NAMES)}'
            )
    return out


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
    if tuple(path) in ID_LISTS and isinstance(old, list) and isinstance(new, list):
        return _diff_by_id(old, new, path)
    if shape in _RECURSE and isinstance(old, dict) and isinstance(new, dict):
        return _diff_mapping(old, new, path)
    if _is_record(path) and isinstance(old, dict) and isinstance(new, dict):
        return _diff_mapping(old, new, path)
    return [Change(path, old, new)]


def _is_record(path: Path) -> bool:
    """An item of an id-matched list: compare its fields one by one."""
    return len(path) >= 2 and tuple(path[:-1]) in ID_LISTS


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
