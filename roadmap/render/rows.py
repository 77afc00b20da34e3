"""The action plan as plain rows, grouped by stage then direction.

Every table format (CSV, XLSX, Markdown, HTML, Word) and the Green Paper read the same
rows, so a cell reads the same wherever a user meets it: calendar years, several values
joined with "; ", the owner with their organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..i18n import Catalogue
from ..model import Direction, Indicator, Roadmap, Stage, Status, Task
from ..sequence import row_order  # noqa: F401  (the row order every renderer draws)

JOIN = "; "

CSV_HEADER = [
    "id",
    "stage",
    "direction",
    "task",
    "flowchart_box",
    "year_start",
    "year_end",
    "persons_involved",
    "owner",
    "expected_results",
    "success_indicators",
    "international_examples",
    "status",
]


def stages(plan: Roadmap) -> list[Stage]:
    return sorted(plan.stages, key=lambda s: (s.number, s.id))


def directions(plan: Roadmap) -> list[Direction]:
    return sorted(plan.directions, key=lambda d: (d.number, d.id))


def calendar_years(plan: Roadmap, task: Task) -> tuple[int, int] | tuple[None, None]:
    """The calendar years a task runs in; (None, None) when it has no timeframe."""
    if task.year_start is not None:
        return plan.calendar_year(task.year_start), plan.calendar_year(task.year_end)  # type: ignore[arg-type]
    span = plan.timeframe(task)
    if span is None:
        return None, None
    return span[0].first_day.year, span[1].last_day.year


def years_text(plan: Roadmap, task: Task) -> str:
    """The timeframe as a cell shows it: 2024\u20132026, 2009-Q2\u2013Q4; empty without one."""
    if task.start is not None:
        from ..periods import range_text

        return range_text(*plan.timeframe(task))  # type: ignore[misc]
    first, last = calendar_years(plan, task)
    if first is None:
        return ""
    return str(first) if first == last else f"{first}\u2013{last}"


def owner_text(task: Task) -> str:
    if task.owner is None:
        return ""
    org = task.owner.organisation
    return f"{task.owner.name} ({org})" if org else task.owner.name


def _responsible(task: Task) -> str:
    """The owner; in a work plan also the lead agency and the responsible parties."""
    if task.lead is None and not task.parties:
        return owner_text(task)
    parties = [f"{p.name} ({p.role})" if p.role else p.name for p in task.parties]
    names = [task.lead, *parties] if task.lead else parties
    own = owner_text(task)
    return JOIN.join(names + ([own] if own and own not in parties and own != task.lead and task.owner and task.owner.name not in [p.name for p in task.parties] else []))


def box_text(task: Task) -> str:
    return task.box.text if task.box else task.title


def indicator_text(item: str | Indicator, t: Catalogue) -> str:
    if isinstance(item, str):
        return item
    parts = []
    for key in ("baseline", "target", "actual"):
        value = getattr(item, key)
        if value is not None:
            parts.append(t(f"indicator.{key}", value=_number(value)))
    if item.values:  # the latest value measured (a work plan's indicators)
        latest = max(item.values, key=lambda v: v.date)
        parts.append(t("indicator.actual", value=t("indicator.actual_on", value=_number(latest.actual), date=t.date(latest.date))))
    unit = f" ({item.unit})" if item.unit else ""
    return f"{item.text}{unit}: {', '.join(parts)}" if parts else f"{item.text}{unit}"


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Row:
    """One task as the action plan shows it; list fields stay lists until a format joins them."""

    task: Task
    stage: Stage | None
    direction: Direction
    years: str
    year_start: int
    year_end: int
    owner: str
    persons_involved: list[str]
    expected_results: list[str]
    success_indicators: list[str]
    international_examples: list[str]
    status: Status
    status_name: str
    added: bool

    def value(self, key: str) -> str | list[str]:
        """The cell of a human-readable column (tables.COLUMNS)."""
        simple = {"id": self.task.ref or self.task.id, "task": self.task.title, "years": self.years, "owner": self.owner, "status": self.status_name}
        if key in simple:
            return simple[key]
        return list(getattr(self, key))

    def csv(self) -> list[str]:
        return [
            self.task.id,
            str(self.stage.number) if self.stage else "",
            self.direction.name,
            self.task.title,
            box_text(self.task) if self.task.box else "",
            "" if self.year_start is None else str(self.year_start),
            "" if self.year_end is None else str(self.year_end),
            JOIN.join(self.persons_involved),
            self.owner,
            JOIN.join(self.expected_results),
            JOIN.join(self.success_indicators),
            JOIN.join(self.international_examples),
            self.status.value,
        ]


@dataclass
class DirectionGroup:
    direction: Direction
    rows: list[Row] = field(default_factory=list)


@dataclass
class StageGroup:
    stage: Stage | None  # None: a plan without stages (a work plan), one group
    directions: list[DirectionGroup] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.directions for row in group.rows]


def row(plan: Roadmap, task: Task, t: Catalogue) -> Row:
    first, last = calendar_years(plan, task)
    return Row(
        task=task,
        stage=plan.stage(task.stage) if task.stage else None,
        direction=plan.direction(task.direction),
        years=years_text(plan, task),
        year_start=first,
        year_end=last,
        owner=_responsible(task),
        persons_involved=list(task.persons_involved),
        expected_results=list(task.expected_results),
        success_indicators=[indicator_text(i, t) for i in task.success_indicators],
        international_examples=list(task.international_examples),
        status=task.status,
        status_name=t(f"status.{task.status.value}"),
        added=task.origin.value == "added",
    )


def action_plan(plan: Roadmap, t: Catalogue) -> list[StageGroup]:
    """Stages in order, each with its directions, each with its tasks left to right.

    Within a stage the directions follow the plan's task list (the order in which their first
    task of that stage appears), as the Green Paper's action plan orders them (in stage 2 it
    puts Advocacy before Data).
    """
    out: list[StageGroup] = []
    if not plan.stages:  # a work plan: its outputs in order, no stage headings
        group = StageGroup(None)
        for direction in directions(plan):
            tasks = sorted((x for x in plan.tasks if x.direction == direction.id), key=row_order)
            if tasks:
                group.directions.append(DirectionGroup(direction, [row(plan, x, t) for x in tasks]))
        return [group] if group.directions else []
    for stage in stages(plan):
        group = StageGroup(stage)
        first: dict[str, int] = {}
        for index, task in enumerate(plan.tasks):
            if task.stage == stage.id:
                first.setdefault(task.direction, index)
        for direction in sorted(directions(plan), key=lambda d: first.get(d.id, len(plan.tasks))):
            tasks = sorted(
                (x for x in plan.tasks if x.stage == stage.id and x.direction == direction.id), key=row_order
            )
            if tasks:
                group.directions.append(DirectionGroup(direction, [row(plan, x, t) for x in tasks]))
        if group.directions:
            out.append(group)
    return out


def all_rows(plan: Roadmap, t: Catalogue) -> list[Row]:
    return [r for group in action_plan(plan, t) for r in group.rows]
