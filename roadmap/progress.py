"""Where are we? Colour codes, progress, overdue and unowned tasks, what is due now.

The colours are the ones programme work plans use: green done, yellow in progress, red
not started, grey not needed. Tasks that are not needed leave the denominator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .model import Roadmap, Status, Task

COLOUR = {
    Status.done: "green",
    Status.in_progress: "yellow",
    Status.planned: "red",
    Status.not_needed: "grey",
}


@dataclass(frozen=True)
class Tally:
    done: int = 0
    in_progress: int = 0
    planned: int = 0
    not_needed: int = 0

    @property
    def counted(self) -> int:
        return self.done + self.in_progress + self.planned

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.counted) if self.counted else None

    def as_dict(self) -> dict[str, Any]:
        # Counts by status; the colour keys stay beside them for scripts written against them.
        return {
            "done": self.done,
            "in_progress": self.in_progress,
            "planned": self.planned,
            "not_needed": self.not_needed,
            "total": self.counted,
            "percent": self.percent,
            "green": self.done,
            "yellow": self.in_progress,
            "red": self.planned,
            "grey": self.not_needed,
        }


def tally(tasks: list[Task]) -> Tally:
    counts = {s: 0 for s in Status}
    for task in tasks:
        counts[task.status] += 1
    return Tally(
        counts[Status.done], counts[Status.in_progress], counts[Status.planned], counts[Status.not_needed]
    )


def owned_by(tasks: list[Task], text: str) -> list[Task]:
    """"My tasks": those whose owner's name or organisation contains `text` (any case)."""
    needle = text.casefold().strip()
    return [
        t
        for t in tasks
        if t.owner is not None
        and (needle in t.owner.name.casefold() or needle in (t.owner.organisation or "").casefold())
    ]


def owners(tasks: list[Task]) -> list[str]:
    """Every owner name and organisation in the plan, sorted, for a message when a filter matches none."""
    names = {t.owner.name for t in tasks if t.owner} | {t.owner.organisation for t in tasks if t.owner and t.owner.organisation}
    return sorted(names, key=str.casefold)


def is_remaining(task: Task) -> bool:
    return task.status in (Status.planned, Status.in_progress)


def overdue(plan: Roadmap, as_of: dt.date, tasks: list[Task] | None = None) -> list[Task]:
    """Remaining tasks whose last period ended before the date (a quarter's end, a year's end)."""
    out = []
    for t in _of(plan, tasks):
        if not is_remaining(t):
            continue
        if t.start is None:
            if t.year_end is not None and plan.calendar_year(t.year_end) < as_of.year:
                out.append(t)
            continue
        span = plan.timeframe(t)
        if span is not None and span[1].last_day < as_of:
            out.append(t)
    return out


def untimed(plan: Roadmap, tasks: list[Task] | None = None) -> list[Task]:
    """Remaining tasks with no timeframe ("no timeframe" in status and validate)."""
    return [t for t in _of(plan, tasks) if is_remaining(t) and not t.timed]


def unowned(plan: Roadmap, tasks: list[Task] | None = None) -> list[Task]:
    return [t for t in _of(plan, tasks) if is_remaining(t) and t.owner is None and t.lead is None and not t.parties]


def due(plan: Roadmap, year: int, tasks: list[Task] | None = None) -> list[Task]:
    out = []
    for t in _of(plan, tasks):
        span = plan.timeframe(t) if is_remaining(t) else None
        if span is not None and span[0].first_day.year <= year <= span[1].last_day.year:
            out.append(t)
    return out


def _of(plan: Roadmap, tasks: list[Task] | None) -> list[Task]:
    return plan.tasks if tasks is None else tasks


def summary(plan: Roadmap, as_of: dt.date, *, owner: str | None = None) -> dict[str, Any]:
    """Everything `status` shows, as plain data (also `status --json`).

    With `owner`, only the tasks whose owner's name or organisation contains it count.
    The tasks are grouped by direction and stage in one pass, so a plan of 10,000 tasks
    costs one walk, not one per cell.
    """
    tasks = plan.tasks if owner is None else owned_by(plan.tasks, owner)
    if owner is not None and not tasks:
        from .errors import BadValue
        from .i18n import catalogue

        t = catalogue(plan.meta.language)
        known = owners(plan.tasks)
        if known:
            raise BadValue(t("terminal.owner_none", owner=owner, owners=", ".join(known)))
        raise BadValue(t("terminal.owner_nobody", owner=owner))

    def brief(task: Task) -> dict[str, Any]:
        return {
            "id": task.id,
            "title": task.title,
            "direction": task.direction,
            "stage": task.stage,
            "status": task.status.value,
            "colour": COLOUR[task.status],
            **_when(plan, task),
            "owner": task.owner.model_dump(include={"name", "organisation", "contact"}) if task.owner else None,
        }

    tracked = plan.meta.kind == "plan"
    by_cell: dict[tuple[str, str], list[Task]] = {}
    by_direction: dict[str, list[Task]] = {}
    by_stage: dict[str, list[Task]] = {}
    for t in tasks:
        by_cell.setdefault((t.direction, t.stage), []).append(t)
        by_direction.setdefault(t.direction, []).append(t)
        by_stage.setdefault(t.stage, []).append(t)
    matrix = {
        d.id: {s.id: [brief(t) for t in by_cell.get((d.id, s.id), [])] for s in plan.stages} for d in plan.directions
    }
    return {
        "plan": plan.meta.id,
        "title": plan.meta.title,
        "as_of": as_of.isoformat(),
        "years": [plan.calendar_year(1), plan.calendar_year(plan.meta.horizon)],
        **({"periods": [plan.meta.start, plan.meta.end]} if plan.meta.start else {}),
        "owner_filter": owner,
        "overall": tally(tasks).as_dict(),
        "directions": [
            {"id": d.id, "name": d.name, **tally(by_direction.get(d.id, [])).as_dict()} for d in plan.directions
        ],
        "stages": [
            {
                "id": s.id,
                "number": s.number,
                "name": s.name,
                "key_message": s.key_message,
                **tally(by_stage.get(s.id, [])).as_dict(),
            }
            for s in plan.stages
        ],
        "matrix": matrix,
        # A model is adapted, not tracked: nothing in it is overdue or waiting for an owner.
        "overdue": [brief(t) for t in overdue(plan, as_of, tasks)] if tracked else [],
        "unowned": [brief(t) for t in unowned(plan, tasks)] if tracked else [],
        "due_this_year": [brief(t) for t in due(plan, as_of.year, tasks)],
        **({"no_timeframe": [brief(t) for t in untimed(plan, tasks)]} if any(not t.timed for t in tasks) else {}),
    }


def _when(plan: Roadmap, task: Task) -> dict[str, Any]:
    """A task's years (as before), and its periods when it is timed in periods."""
    span = plan.timeframe(task)
    if span is None:
        return {"years": None}
    out: dict[str, Any] = {"years": [span[0].first_day.year, span[1].last_day.year]}
    if task.start is not None:
        out["periods"] = [task.start, task.end]
    return out
