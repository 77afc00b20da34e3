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
        return {
            "green": self.done,
            "yellow": self.in_progress,
            "red": self.planned,
            "grey": self.not_needed,
            "done": self.done,
            "total": self.counted,
            "percent": self.percent,
        }


def tally(tasks: list[Task]) -> Tally:
    counts = {s: 0 for s in Status}
    for task in tasks:
        counts[task.status] += 1
    return Tally(
        counts[Status.done], counts[Status.in_progress], counts[Status.planned], counts[Status.not_needed]
    )


def is_remaining(task: Task) -> bool:
    return task.status in (Status.planned, Status.in_progress)


def overdue(plan: Roadmap, as_of: dt.date) -> list[Task]:
    return [t for t in plan.tasks if is_remaining(t) and plan.calendar_year(t.year_end) < as_of.year]


def unowned(plan: Roadmap) -> list[Task]:
    return [t for t in plan.tasks if is_remaining(t) and t.owner is None]


def due(plan: Roadmap, year: int) -> list[Task]:
    return [
        t
        for t in plan.tasks
        if is_remaining(t) and plan.calendar_year(t.year_start) <= year <= plan.calendar_year(t.year_end)
    ]


def summary(plan: Roadmap, as_of: dt.date) -> dict[str, Any]:
    """Everything `status` shows, as plain data (also `status --json`)."""

    def brief(task: Task) -> dict[str, Any]:
        return {
            "id": task.id,
            "title": task.title,
            "direction": task.direction,
            "stage": task.stage,
            "status": task.status.value,
            "colour": COLOUR[task.status],
            "years": [plan.calendar_year(task.year_start), plan.calendar_year(task.year_end)],
            "owner": task.owner.name if task.owner else None,
        }

    tracked = plan.meta.kind == "plan"
    matrix = {
        d.id: {s.id: [brief(t) for t in plan.tasks if t.direction == d.id and t.stage == s.id] for s in plan.stages}
        for d in plan.directions
    }
    return {
        "plan": plan.meta.id,
        "title": plan.meta.title,
        "as_of": as_of.isoformat(),
        "years": [plan.calendar_year(1), plan.calendar_year(plan.meta.horizon)],
        "overall": tally(plan.tasks).as_dict(),
        "directions": [
            {"id": d.id, "name": d.name, **tally([t for t in plan.tasks if t.direction == d.id]).as_dict()}
            for d in plan.directions
        ],
        "stages": [
            {
                "id": s.id,
                "number": s.number,
                "name": s.name,
                "key_message": s.key_message,
                **tally([t for t in plan.tasks if t.stage == s.id]).as_dict(),
            }
            for s in plan.stages
        ],
        "matrix": matrix,
        # A model is adapted, not tracked: nothing in it is overdue or waiting for an owner.
        "overdue": [brief(t) for t in overdue(plan, as_of)] if tracked else [],
        "unowned": [brief(t) for t in unowned(plan)] if tracked else [],
        "due_this_year": [brief(t) for t in due(plan, as_of.year)],
    }
