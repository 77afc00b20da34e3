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


def calendar_years(plan: Roadmap, task: Task) -> tuple[int, int]:
    return plan.calendar_year(task.year_start), plan.calendar_year(task.year_end)


def years_text(plan: Roadmap, task: Task) -> str:
    first, last = calendar_years(plan, task)
    return str(first) if first == last else f"{first}\u2013{last}"


def owner_text(task: Task) -> str:
    if task.owner is None:
        return ""
    org = task.owner.organisation
    return f"{task.owner.name} ({org})" if org else task.owner.name


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
    stage: Stage
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
        simple = {"id": self.task.id, "task": self.task.title, "years": self.years, "owner": self.owner, "status": self.status_name}
        if key in simple:
            return simple[key]
        return list(getattr(self, key))

    def csv(self) -> list[str]:
        return [
            self.task.id,
            str(self.stage.number),
            self.direction.name,
            self.task.title,
            box_text(self.task) if self.task.box else "",
            str(self.year_start),
            str(self.year_end),
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
    stage: Stage
    directions: list[DirectionGroup] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.directions for row in group.rows]


def row(plan: Roadmap, task: Task, t: Catalogue) -> Row:
    first, last = calendar_years(plan, task)
    return Row(
        task=task,
        stage=plan.stage(task.stage),
        direction=plan.direction(task.direction),
        years=years_text(plan, task),
        year_start=first,
        year_end=last,
        owner=owner_text(task),
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
