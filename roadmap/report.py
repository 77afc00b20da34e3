"""`roadmap diff`: the Changes between two plans, told as a person counts them.

The Changes come from `diff.diff_plans` (the one mechanism); this module groups them
(tasks only in A, only in B, changed fields of tasks in both, other differences), counts
them the way a reader does (a task moved is one "years" difference, not a start and an
end year) and formats them as text, Markdown or JSON. JSON is plain data.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import diff as diffing
from .changes import Change
from .i18n import Catalogue, catalogue
from .lineage import IDENTITY_FIELDS
from .model import Roadmap, Task
from .yamltext import format_path



@dataclass
class Side:
    """One plan of a diff. Its tasks' years are told in calendar years counted from
    `start_year`: the plan's own first year, or, for a model compared with a plan derived
    from it, the plan's (a model's years are relative; `init` re-anchors them)."""

    label: str
    plan: Roadmap
    start_year: int = 0
    tasks: dict[str, Task] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.start_year = self.start_year or self.plan.meta.start_year
        self.tasks = {t.id: t for t in self.plan.tasks}

    def calendar(self, plan_year: int) -> int:
        return self.start_year + plan_year - 1

    def as_data(self) -> dict[str, Any]:
        meta = self.plan.meta
        return {
            "file": self.label,
            "id": meta.id,
            "version": meta.version,
            "country": meta.country.code if meta.country else None,
        }


@dataclass
class DiffReport:
    a: Side
    b: Side
    changes: list[Change]
    notes: list[str] = field(default_factory=list)  # said on stderr, not part of the diff

    # -- grouping ----------------------------------------------------------------------

    @property
    def same(self) -> bool:
        return not self.changes

    @property
    def only_in_a(self) -> list[Change]:
        return [c for c in self.changes if c.field == "task" and c.task and c.new is None]

    @property
    def only_in_b(self) -> list[Change]:
        return [c for c in self.changes if c.field == "task" and c.task and c.old is None]

    @property
    def task_changes(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = {}
        for c in self.changes:
            if c.task is not None and c.field != "task":
                out.setdefault(c.task, []).append(c)
        return out

    @property
    def other_changes(self) -> list[Change]:
        return [c for c in self.changes if c.task is None]

    def counts(self) -> Counter[str]:
        """Differences per group, each group key counted once."""
        seen: dict[tuple[Any, ...], str] = {}
        for c in self.changes:
            if c.field == "task" and c.task:
                continue
            seen.setdefault(diffing.group_key(c), diffing.group_of(c))
        return Counter(seen.values())

    def summary(self, t: Catalogue | None = None) -> str:
        t = t or catalogue(self.b.plan.meta.language)
        if self.same:
            return t("diff.same")
        counts = self.counts()
        text = t(
            "diff.summary",
            added=len(self.only_in_b),
            removed=len(self.only_in_a),
            changed=sum(counts.values()),
        )
        if counts:
            order = list(diffing.FIELD_NAMES)
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else 99))
            text += ": " + ", ".join(
                t("diff.group_count", count=t.number(n), group=t("group." + g) if g in order else g) for g, n in ranked
            )
        return text

    # -- plain data --------------------------------------------------------------------

    def as_data(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            "same": self.same,
            "a": self.a.as_data(),
            "b": self.b.as_data(),
            "summary": {
                "text": self.summary(),
                "added": len(self.only_in_b),
                "removed": len(self.only_in_a),
                "changed": sum(counts.values()),
                "by_field": dict(sorted(counts.items())),
            },
            "only_in_a": [c.old for c in self.only_in_a],
            "only_in_b": [c.new for c in self.only_in_b],
            "tasks": [
                {
                    "task": task,
                    "fields": [
                        {"group": diffing.group_of(c), "field": c.field, "a": c.old, "b": c.new} for c in changes
                    ],
                }
                for task, changes in self.task_changes.items()
            ],
            "other": [
                {"area": str(c.path[0]), "path": format_path(c.path), "a": c.old, "b": c.new}
                for c in self.other_changes
            ],
        }


# ---------------------------------------------------------------------------------------
# Building


def build(
    a: Path,
    b: Path | None = None,
    *,
    model: bool = False,
    fields: str | None = None,
) -> DiffReport:
    """Load two plans (or a plan and its model) and find their differences."""
    from . import lineage, store

    if model:
        plan = store.load(a)
        t = catalogue(plan.plan.meta.language)
        base = lineage.base_model(plan, b, check_hash=False)
        notes = []
        based_on = plan.plan.meta.based_on
        if b is not None and based_on is not None and lineage.content_hash(base.text) != based_on.hash:
            notes.append(
                t(
                    "diff.derived_from",
                    plan=plan.label,
                    model=based_on.id,
                    version=based_on.version,
                    file_model=base.plan.meta.id,
                    file_version=base.plan.meta.version,
                )
            )
        label = t("diff.model_label", id=base.plan.meta.id, version=base.plan.meta.version)
        model_side = Side(label, base.plan, start_year=plan.plan.meta.start_year)
        report = _report(model_side, Side(plan.label, plan.plan), fields)
        report.changes = [c for c in report.changes if not (c.path[0] == "meta" and c.path[1] in IDENTITY_FIELDS)]
        report.notes += notes
        return report
    if b is None:
        from .errors import BadValue

        raise BadValue("give two plans to compare (roadmap diff A B), or one plan with --model")
    first, second = store.load(a), store.load(b)
    return _report(Side(first.label, first.plan), Side(second.label, second.plan), fields)


def _report(a: Side, b: Side, fields: str | None) -> DiffReport:
    wanted = diffing.parse_fields(fields)
    # Tasks only in one plan are always reported: they are not a field of anything.
    changes = diffing.diff_data(
        _in_calendar_years(a), _in_calendar_years(b), fields=(wanted | {"task"}) if wanted else None
    )
    return DiffReport(a, b, changes)


def _in_calendar_years(side: Side) -> dict[str, Any]:
    """The plan as compared: task years as calendar years, so two plans that start in
    different years differ only where a task really moved in time."""
    data = diffing.normalise(side.plan)
    for task in data["tasks"]:
        if task.get("year_start") is not None:
            task["year_start"] = side.calendar(task["year_start"])
            task["year_end"] = side.calendar(task["year_end"])
    return data


# ---------------------------------------------------------------------------------------
# Showing values


def _indicator_text(value: dict[str, Any], t: Catalogue) -> str:
    """An indicator with its baseline, target and every dated value: what a diff must show."""
    parts = [t(f"indicator.{key}", value=value[key]) for key in ("baseline", "target") if value.get(key) is not None]
    parts += [
        t("indicator.actual_on", value=v.get("actual"), date=v.get("date"))
        for v in value.get("values") or []
        if isinstance(v, dict)
    ]
    return f"{value['text']}: {', '.join(parts)}" if parts else str(value["text"])


def _text(value: Any, t: Catalogue) -> str:
    if value is None:
        return t("diff.none")
    if isinstance(value, dict):
        if "text" in value and ("values" in value or "baseline" in value or "target" in value):
            return _indicator_text(value, t)
        for key in ("text", "title", "name"):
            if key in value and value[key] is not None:
                return str(value[key])
        return ", ".join(f"{k}: {_text(v, t)}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return "; ".join(_text(v, t) for v in value) if value else "[]"
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def _span(first: int, last: int) -> str:
    """Calendar years as people write them: 2026, or 2025–2027."""
    return str(first) if first == last else f"{first}\u2013{last}"


def _years(side: Side, task: Task) -> str:
    return _span(side.calendar(task.year_start), side.calendar(task.year_end))


def _owner(value: Any, t: Catalogue) -> str:
    if not value:
        return t("diff.none")
    org = value.get("organisation")
    return f"{value['name']} ({org})" if org else str(value["name"])


def group_value(side: Side, task_id: str, group: str, t: Catalogue) -> str | list[str]:
    """A task's value for one group as a reader sees it (lists stay lists)."""
    task = side.tasks[task_id]
    if group == "years":
        return _years(side, task)
    if group == "status":
        text = t(f"status.{task.status.value}")
        if task.status_date:
            text += f" ({task.status_date.isoformat()})"
        if task.status_note:
            text += f": {task.status_note}"
        return text
    if group == "owner":
        return _owner(task.owner.model_dump() if task.owner else None, t)
    data = task.model_dump(mode="json")
    name = next(iter(diffing.FIELD_NAMES.get(group, {group})))
    value = data.get(name)
    if isinstance(value, list):
        return [_text(v, t) for v in value]
    return _text(value, t)


def _groups(changes: list[Change]) -> dict[str, list[Change]]:
    out: dict[str, list[Change]] = {}
    for c in changes:
        out.setdefault(diffing.group_of(c), []).append(c)
    return out


def _list_lines(old: list[str], new: list[str]) -> list[str]:
    """Both lists at once: kept items plain, A's only with '-', B's only with '+'."""
    import difflib

    lines = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            lines += [f"  {x}" for x in old[i1:i2]]
        else:
            lines += [f"- {x}" for x in old[i1:i2]]
            lines += [f"+ {x}" for x in new[j1:j2]]
    return lines


# ---------------------------------------------------------------------------------------
# Formats


def format_text(report: DiffReport, lang: str | None = None) -> str:
    t = catalogue(lang or report.b.plan.meta.language)
    out = [report.summary(t), f"A: {report.a.label}", f"B: {report.b.label}"]
    for title, items, side in (
        (t("diff.only_in", plan=report.a.label), report.only_in_a, report.a),
        (t("diff.only_in", plan=report.b.label), report.only_in_b, report.b),
    ):
        if items:
            out += ["", f"{title} ({len(items)}):"]
            out += [f"  {_task_line(c.old if c.new is None else c.new)}" for c in items]
    tasks = report.task_changes
    if tasks:
        out += ["", f"{t('diff.changed_tasks')} ({len(tasks)}):"]
        for task, changes in tasks.items():
            out.append(f"  {task}  {report.b.tasks[task].title}")
            for group, members in _groups(changes).items():
                out += [f"    {line}" for line in _task_group_lines(report, task, group, members, t)]
    other = report.other_changes
    if other:
        out += ["", f"{t('diff.document')} ({len(other)}):"]
        for c in other:
            out += [f"  {line}" for line in _other_lines(c, t)]
    return "\n".join(out) + "\n"


def _task_line(task: dict[str, Any]) -> str:
    """A task only in one plan (its years already calendar years: see `_in_calendar_years`)."""
    years = _span(task["year_start"], task["year_end"])
    return f"{task['id']}  {task['title']}  [{task['direction']}, {task['stage']}, {years}]"


def _label(group: str, change: Change, t: Catalogue) -> str:
    if group in diffing.FIELD_NAMES and group != "box":
        return t(f"group.{group}")
    return change.field.replace(".", " ").replace("_", " ")


def _task_group_lines(report: DiffReport, task: str, group: str, members: list[Change], t: Catalogue) -> list[str]:
    if group in ("box", "origin", "direction", "stage") or group not in diffing.FIELD_NAMES:
        return [f"{_label(group, c, t)}: {_text(c.old, t)} \u2192 {_text(c.new, t)}" for c in members]
    old = group_value(report.a, task, group, t)
    new = group_value(report.b, task, group, t)
    if isinstance(old, list) and isinstance(new, list):
        return [f"{t('group.' + group)}:", *(f"  {line}" for line in _list_lines(old, new))]
    return [f"{t('group.' + group)}: {old} \u2192 {new}"]


def _other_lines(c: Change, t: Catalogue) -> list[str]:
    where = format_path(c.path)
    if isinstance(c.old, list) and isinstance(c.new, list):
        lines = _list_lines([_text(v, t) for v in c.old], [_text(v, t) for v in c.new])
        return [f"{where}:", *(f"  {line}" for line in lines)]
    return [f"{where}: {_short(c.old, t)} \u2192 {_short(c.new, t)}"]


def _short(value: Any, t: Catalogue, limit: int = 200) -> str:
    text = _text(value, t).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _md(value: Any) -> str:
    """A table cell: pipes and angle brackets escaped, list items one per line."""
    if isinstance(value, list):
        return "<br>".join(_md(v) for v in value) or " "
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def format_md(report: DiffReport, lang: str | None = None) -> str:
    t = catalogue(lang or report.b.plan.meta.language)
    a, b = report.a.label, report.b.label
    out = [f"**{_md(report.summary(t))}**", "", f"- A: `{a}`", f"- B: `{b}`"]
    for title, items, side in (
        (t("diff.only_in", plan=a), report.only_in_a, report.a),
        (t("diff.only_in", plan=b), report.only_in_b, report.b),
    ):
        if items:
            out += ["", f"## {_md(title)} ({len(items)})", "", f"| {t('diff.task')} | |", "|---|---|"]
            for c in items:
                task = c.old if c.new is None else c.new
                out.append(f"| {_md(task['id'])} | {_md(_task_line(task).split('  ', 1)[1])} |")
    tasks = report.task_changes
    if tasks:
        out += [
            "",
            f"## {t('diff.changed_tasks')} ({len(tasks)})",
            "",
            f"| {t('diff.task')} | {t('diff.field')} | A | B |",
            "|---|---|---|---|",
        ]
        for task, changes in tasks.items():
            for group, members in _groups(changes).items():
                if group in ("box", "origin", "direction", "stage") or group not in diffing.FIELD_NAMES:
                    for c in members:
                        cells = (task, _label(group, c, t), _text(c.old, t), _text(c.new, t))
                        out.append("| " + " | ".join(_md(x) for x in cells) + " |")
                else:
                    old = group_value(report.a, task, group, t)
                    new = group_value(report.b, task, group, t)
                    out.append(f"| {_md(task)} | {_md(t('group.' + group))} | {_md(old)} | {_md(new)} |")
    other = report.other_changes
    if other:
        out += ["", f"## {_md(t('diff.document'))} ({len(other)})", ""]
        out += [f"| {t('diff.path')} | A | B |", "|---|---|---|"]
        for c in other:
            out.append(f"| {_md(format_path(c.path))} | {_md(_short(c.old, t, 400))} | {_md(_short(c.new, t, 400))} |")
    return "\n".join(out) + "\n"


def format_json(report: DiffReport) -> str:
    return json.dumps(report.as_data(), ensure_ascii=False, indent=2) + "\n"


def render(report: DiffReport, fmt: str = "text") -> str:
    if fmt == "json":
        return format_json(report)
    if fmt == "md":
        return format_md(report)
    return format_text(report)
