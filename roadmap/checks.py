"""What the schema alone cannot say: ids, references, cycles, horizons, reasons.

Errors make a plan invalid; warnings describe a plan that is valid but needs attention
(a remaining task without an owner, one past its end year). Tracking warnings apply to
plans only: a model is adapted by others, not tracked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable

from .model import MAX_TEXT, Roadmap, Status, Task
from .yamltext import Path


@dataclass(frozen=True)
class Issue:
    path: Path
    message: str
    severity: str = "error"


def check(plan: Roadmap, *, today: dt.date | None = None, warnings: bool = True) -> list[Issue]:
    """Every issue of the plan; `warnings=False` gives only the errors (the same ones, in
    the same order) and skips the checks that can only warn."""
    issues: list[Issue] = []
    for kind, run in _CHECKS:
        if kind != "warnings" or warnings:
            issues += run(plan)
    if warnings and plan.meta.kind == "plan":
        issues += _tracking(plan, today or plan.meta.as_of or dt.date.today())
    return issues


# What each check reads, so an edit of a few tasks re-checks only what it could break:
# "tasks": each task on its own (and the rest of the plan but history), "free": each
# history entry and conflict on its own, "across": the tasks' CROSS_TASK_FIELDS and the
# rest of the plan but history, "rest": neither tasks nor history, "warnings": warnings
# only.
# A new check must be given its kind here (tests/test_store.py compares edit_errors with
# check on random edits).
CROSS_TASK_FIELDS = ("id", "direction", "stage", "depends_on", "box", "ref", "budget")  # refs are unique, stated totals add up lines


def edit_errors(old: Roadmap, new: Roadmap, changed: list[int], appended_from: int) -> list[Issue] | None:
    """The errors `check` finds in `new`, without checking every task again.

    `new` is `old`, which has no errors, with the tasks at `changed` replaced (same number
    of tasks) and history entries appended from index `appended_from`, every other part
    the very same. None when a changed task differs in a field that checks across tasks
    read: then only `check` can tell.
    """
    for i in changed:
        before, after = old.tasks[i], new.tasks[i]
        if any(getattr(before, name) != getattr(after, name) for name in CROSS_TASK_FIELDS):
            return None
    issues: list[Issue] = []
    for kind, run in _CHECKS:
        if kind == "tasks":
            issues += run(new, changed)
        elif kind == "free" and appended_from < len(new.history):
            issues += run(new, appended_from)
    return issues


def _identity(plan: Roadmap) -> list[Issue]:
    """A hand-edited contact or logo that `roadmap meta` would have refused (warnings: the
    plan still works, but proposals would go nowhere or the logo would not show)."""
    from .identity import EMAIL, LOGO_TYPES

    issues = []
    contact = plan.meta.contact
    if contact and contact.email and not EMAIL.match(contact.email):
        issues.append(Issue(("meta", "contact", "email"), f'"{contact.email}" is not an e-mail address', severity="warning"))
    if contact and contact.website and not contact.website.startswith(("http://", "https://")):
        issues.append(
            Issue(("meta", "contact", "website"), f'"{contact.website}" is not a web address (https://...)', severity="warning")
        )
    logo = plan.meta.logo
    if logo and not any(logo.lower().endswith(suffix) for suffix in LOGO_TYPES):
        issues.append(Issue(("meta", "logo"), f"{logo} is not a PNG, JPEG or SVG file", severity="warning"))
    return issues


def _duplicates(ids: Iterable[str]) -> list[tuple[int, str]]:
    seen: set[str] = set()
    out = []
    for i, value in enumerate(ids):
        if value in seen:
            out.append((i, value))
        seen.add(value)
    return out


def _unique(plan: Roadmap) -> list[Issue]:
    issues = []
    for name, items in (
        ("tasks", plan.tasks),
        ("stages", plan.stages),
        ("directions", plan.directions),
        ("audiences", plan.audiences),
        ("sections", plan.sections),
    ):
        for i, value in _duplicates(item.id for item in items):
            issues.append(Issue((name, i, "id"), f'duplicate id "{value}": each id must be used once'))
    for i, value in _duplicates(g.id for g in plan.vision.goals):
        issues.append(Issue(("vision", "goals", i, "id"), f'duplicate goal id "{value}"'))
    for i, value in _duplicates(str(s.number) for s in plan.stages):
        issues.append(Issue(("stages", i, "number"), f"duplicate stage number {value}"))
    return issues


def _references(plan: Roadmap) -> list[Issue]:
    stages = {s.id for s in plan.stages}
    directions = {d.id for d in plan.directions}
    tasks = {t.id for t in plan.tasks}
    direction_list, stage_list = ", ".join(sorted(directions)), ", ".join(sorted(stages))  # once, not per task
    issues = []
    for i, t in enumerate(plan.tasks):
        if t.direction not in directions:
            issues.append(
                Issue(("tasks", i, "direction"), f'unknown direction "{t.direction}"; the directions are: {direction_list}')
            )
        if t.stage is None:
            if stages:
                issues.append(Issue(("tasks", i, "stage"), f"no stage; the stages are: {stage_list}"))
        elif t.stage not in stages:
            issues.append(Issue(("tasks", i, "stage"), f'unknown stage "{t.stage}"; the stages are: {stage_list}'))
        for j, dep in enumerate(t.depends_on):
            if dep not in tasks:
                issues.append(Issue(("tasks", i, "depends_on", j), f'depends on unknown task "{dep}"'))
            elif dep == t.id:
                issues.append(Issue(("tasks", i, "depends_on", j), "a task cannot depend on itself"))
    for old, new in plan.renamed.items():
        if new not in tasks:
            issues.append(Issue(("renamed", old), f'renamed to "{new}", which is not a task of this plan'))
    return issues


def _cycles(plan: Roadmap) -> list[Issue]:
    """Each dependency cycle once, found by an iterative depth-first walk.

    Iterative, not recursive: a chain of thousands of tasks must not exhaust the stack.
    """
    # Only tasks with dependencies can be on a cycle: the others are left out of the walk
    # (a task not in `graph` is a dead end, as an empty list of dependencies would be).
    listed = {t.id: t.depends_on for t in plan.tasks}
    graph = {k: deps for k, v in listed.items() if v and (deps := [d for d in v if d != k])}
    index: dict[str, int] = {}  # task id -> its position, made for the first cycle found
    state: dict[str, int] = {}  # 1: on the current trail, 2: done
    issues: list[Issue] = []
    reported: set[frozenset[str]] = set()
    for root in graph:
        if root in state:
            continue
        trail = [root]
        on_trail = {root: 0}  # task id -> its position in trail
        state[root] = 1
        todo = [iter(graph[root])]
        while todo:
            node = trail[-1]
            nxt = next(todo[-1], None)
            if nxt is None:
                state[node] = 2
                del on_trail[node]
                trail.pop()
                todo.pop()
                continue
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = trail[on_trail[nxt] :] + [nxt]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    index = index or {t.id: i for i, t in enumerate(plan.tasks)}
                    issues.append(
                        Issue(("tasks", index[nxt], "depends_on"), "dependency cycle: " + " -> ".join(cycle))
                    )
            elif nxt not in state:
                state[nxt] = 1
                on_trail[nxt] = len(trail)
                trail.append(nxt)
                todo.append(iter(graph[nxt]))
    return issues


def _horizon(plan: Roadmap, only: list[int] | None = None) -> list[Issue]:
    horizon = plan.meta.horizon
    first, last = plan.calendar_year(1), plan.calendar_year(horizon)
    issues = []
    for i, t in _tasks(plan, only):
        for name in ("year_start", "year_end"):
            value = getattr(t, name)
            if value is not None and value > horizon:
                issues.append(
                    Issue(
                        ("tasks", i, name),
                        f"year {value} is outside the plan's horizon of {horizon} years "
                        f"({first}-{last}); use 1 to {horizon} or extend meta.horizon",
                    )
                )
    return issues


def _reasons(plan: Roadmap, only: list[int] | None = None) -> list[Issue]:
    issues = []
    for i, t in _tasks(plan, only):
        if t.status is Status.not_needed:
            if not (t.status_note and t.status_note.strip()):
                issues.append(
                    Issue(("tasks", i, "status"), 'status "not_needed" needs a reason in status_note')
                )
            if t.owner is not None:
                issues.append(
                    Issue(("tasks", i, "owner"), "a task that is not needed has no owner; remove the owner")
                )
    return issues


def _boxes(plan: Roadmap) -> list[Issue]:
    issues = []
    columns = {s.id: s.flowchart_columns for s in plan.stages}
    rows: dict[str, dict[int, str]] = {}
    for i, t in enumerate(plan.tasks):
        if t.box is None:
            continue
        row = rows.setdefault(t.direction, {})
        if t.box.order in row:
            issues.append(
                Issue(
                    ("tasks", i, "box", "order"),
                    f"box order {t.box.order} is already used by {row[t.box.order]} in the same row",
                )
            )
        row[t.box.order] = t.id
        if t.stage in columns and t.box.column > columns[t.stage]:
            issues.append(
                Issue(
                    ("tasks", i, "box", "column"),
                    f"column {t.box.column} does not exist: stage {t.stage} spans {columns[t.stage]} column(s)",
                )
            )
    return issues


def _goals(plan: Roadmap) -> list[Issue]:
    rule = plan.vision.success_rule
    if rule and plan.vision.goals and rule.min_goals > len(plan.vision.goals):
        return [
            Issue(
                ("vision", "success_rule", "min_goals"),
                f"asks for {rule.min_goals} goals but the vision has {len(plan.vision.goals)}",
            )
        ]
    return []


def _conflicts(plan: Roadmap) -> list[Issue]:
    """Upgrade and merge conflicts left in the file: valid, but someone has to decide (a warning)."""
    issues = []
    merged = _merge_labels() if plan.conflicts else set()
    for i, c in enumerate(plan.conflicts):
        if c.model in merged:  # left by `merge-file` (git's merge driver)
            what = c.message or f"{c.task + ' ' if c.task else ''}{c.field}: the two branches disagree"
            text = (
                f"unresolved merge conflict: {what}. This branch's value is kept; to keep it, delete this entry; "
                "to take the other branch's, set the field to it, then delete the entry"
            )
        else:
            what = c.message or f"{c.task + ' ' if c.task else ''}{c.field}: the model and your plan disagree"
            text = (
                f"unresolved upgrade conflict: {what}. Your value is kept; to keep it, delete this entry; "
                "to take the model's, run `roadmap upgrade PLAN --to MODEL --prefer theirs`"
            )
        issues.append(Issue(("conflicts", i), text, severity="warning"))
    for i, dup in _duplicates(c.id for c in plan.conflicts):
        issues.append(Issue(("conflicts", i, "id"), f'duplicate conflict id "{dup}"'))
    return issues


def _merge_labels() -> set[str]:
    """How `merge-file` names the other side in a conflict entry (`model:`), in every language."""
    from .i18n import catalogue, languages

    return {catalogue(lang)("merge.label") for lang in languages()}


def _long_free_values(plan: Roadmap, history_from: int = 0) -> list[Issue]:
    """The MAX_TEXT cap for the values the schema leaves free (history, conflicts).

    `history_from`: only the history entries from there on, and no conflicts (an edit
    that appended them)."""
    issues = []
    owners = [("history", i, e, ("old", "new")) for i, e in enumerate(plan.history[history_from:], history_from)]
    if not history_from:
        owners += [("conflicts", i, c, ("base", "ours", "theirs")) for i, c in enumerate(plan.conflicts)]
    for name, i, entry, fields in owners:
        for field in fields:
            size = _longest_text(getattr(entry, field))
            if size > MAX_TEXT:
                issues.append(
                    Issue((name, i, field), f"a text of {size:,} characters; a value may hold at most {MAX_TEXT:,}: shorten it")
                )
    return issues


def _longest_text(value: object) -> int:
    longest, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            longest = max(longest, len(item))
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return longest


def _tasks(plan: Roadmap, only: list[int] | None) -> Iterable[tuple[int, Task]]:
    return enumerate(plan.tasks) if only is None else ((i, plan.tasks[i]) for i in sorted(only))


_CHECKS: list[tuple[str, Callable[..., list[Issue]]]] = [
    ("across", _unique),
    ("across", _references),
    ("across", _cycles),
    ("tasks", _horizon),
    ("tasks", _reasons),
    ("across", _boxes),
    ("rest", _goals),
    ("rest", _conflicts),
    ("warnings", _identity),
    ("free", _long_free_values),
    ("tasks", lambda plan, only=None: _periods(plan, only)),
    ("across", lambda plan: _refs(plan)),
    ("across", lambda plan: _budget(plan)),
]


def _budget(plan: Roadmap) -> list[Issue]:
    """Lines' currency, decimals, categories, sources and the stated totals (budget.py)."""
    from .budget import checks

    return checks(plan)


def _tracking(plan: Roadmap, today: dt.date) -> list[Issue]:
    issues = []
    ends = {t.id: t.year_end for t in plan.tasks}
    for i, t in enumerate(plan.tasks):
        if t.status in (Status.done, Status.not_needed):
            continue
        if t.owner is None and t.lead is None and not t.parties:  # a work plan's lead agency answers for it
            issues.append(
                Issue(("tasks", i), "no owner: assign one with `roadmap assign`", severity="warning")
            )
        span = plan.timeframe(t)
        if span is None:
            issues.append(Issue(("tasks", i), "no timeframe: give it one with `roadmap shift` or edit start/end", severity="warning"))
        elif t.start is not None and span[1].last_day < today:
            issues.append(Issue(("tasks", i, "end"), f"overdue: due by the end of {span[1]} and not done", severity="warning"))
        elif t.start is None and plan.calendar_year(t.year_end) < today.year:  # type: ignore[arg-type]
            end_year = plan.calendar_year(t.year_end)  # type: ignore[arg-type]
            issues.append(
                Issue(
                    ("tasks", i, "year_end"),
                    f"overdue: due by the end of {end_year} and not done",
                    severity="warning",
                )
            )
        for dep in t.depends_on:
            if t.year_start is not None and ends.get(dep) is not None and dep != t.id and t.year_start < ends[dep]:
                issues.append(
                    Issue(
                        ("tasks", i, "year_start"),
                        f"starts in {plan.calendar_year(t.year_start)}, before {dep} "
                        f"(which it depends on) ends in {plan.calendar_year(ends[dep])}",
                        severity="warning",
                    )
                )
    return issues


def _periods(plan: Roadmap, only: list[int] | None = None) -> list[Issue]:
    """Task periods at the plan's granularity and inside it."""
    from .periods import Period

    issues: list[Issue] = []
    tasks = list(_tasks(plan, only))
    if not any(t.start for _, t in tasks):
        return issues
    if not plan.meta.start:
        return [
            Issue(("tasks", i, "start"), "this plan is timed in plan years (year_start, year_end); it has no meta.start and meta.end")
            for i, t in tasks
            if t.start
        ]
    first, last = Period.parse(plan.meta.start), Period.parse(plan.meta.end)
    for i, t in tasks:
        if not t.start:
            continue
        for name in ("start", "end"):
            value = Period.parse(getattr(t, name))
            if value.unit != first.unit:
                issues.append(
                    Issue(("tasks", i, name), f"{value} is a {value.unit}; this plan is timed in {first.unit}s ({first} to {last})")
                )
            elif not first <= value <= last:
                issues.append(Issue(("tasks", i, name), f"{value} is outside the plan ({first} to {last})"))
    return issues


def _refs(plan: Roadmap) -> list[Issue]:
    issues = []
    for name, items in (("tasks", plan.tasks), ("directions", plan.directions)):
        for i, value in _duplicates(item.ref for item in items if item.ref):
            index = [j for j, item in enumerate(items) if item.ref == value][1]
            issues.append(Issue((name, index, "ref"), f'duplicate ref "{value}": each number must be used once'))
    return issues
