"""The state of implementation as of a date: what `roadmap report` shows, as plain data.

Read-only, like `status`. Per output (direction), each activity with its ref, annual
target, timeframe as ticked period columns, lead, responsible parties, planned budget,
status colour and latest comment as of the date; the budget's totals; the indicators
with baseline, target, the latest actual value measured on or before the date, and the
percent of the way from baseline to target. Amounts stay Decimals; the renderers format.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .budget import Totals, task_total, totals
from .model import Comment, Indicator, Roadmap, Status, Task
from .periods import Period, range_text
from .progress import COLOUR


@dataclass
class Activity:
    task: Task
    label: str  # the ref, else the id
    ticks: list[bool]
    timeframe: str | None
    parties: str
    budget: Decimal
    status: Status
    colour: str
    overdue: bool
    comment: Comment | None


@dataclass
class IndicatorRow:
    holder: str  # the ref or id of the activity or output it belongs to
    number: int
    text: str
    unit: str | None
    baseline: str | None
    target: str | None
    target_date: dt.date | None
    actual: str | None
    measured: dt.date | None
    note: str | None
    percent: int | None


@dataclass
class Output:
    id: str
    label: str
    name: str
    outcome: str | None
    activities: list[Activity] = field(default_factory=list)
    budget: Decimal = Decimal(0)


@dataclass
class State:
    plan: Roadmap
    as_of: dt.date
    periods: list[Period]
    outputs: list[Output]
    by_category: Totals
    by_source: Totals
    indicators: list[IndicatorRow]

    @property
    def currency(self) -> str | None:
        return self.plan.meta.currency


def state(plan: Roadmap, as_of: dt.date) -> State:
    periods = plan.periods()
    outputs = {d.id: Output(d.id, d.ref or d.id, d.name, d.outcome) for d in plan.directions}
    for task in plan.tasks:
        output = outputs.get(task.direction)
        if output is None:
            continue
        span = plan.timeframe(task)
        ticks = [bool(span and span[0].first_day <= p.first_day and p.last_day <= span[1].last_day) for p in periods]
        budget = task_total(task)
        status = status_on(plan, task, as_of)
        output.activities.append(
            Activity(
                task=task,
                label=task.ref or task.id,
                ticks=ticks,
                timeframe=range_text(*span) if span else None,
                parties="; ".join(f"{p.name} ({p.role})" if p.role else p.name for p in task.parties),
                budget=budget,
                status=status,
                colour=COLOUR[status],
                overdue=bool(span) and status in (Status.planned, Status.in_progress) and span[1].last_day < as_of,  # type: ignore[index]
                comment=latest_comment(task, as_of),
            )
        )
        output.budget += budget
    rows: list[IndicatorRow] = []
    for d in plan.directions:
        rows += [indicator_row(d.ref or d.id, i, ind, as_of) for i, ind in enumerate(d.indicators, start=1)]
    for task in plan.tasks:
        rows += [
            indicator_row(task.ref or task.id, i, ind, as_of)
            for i, ind in enumerate(task.success_indicators, start=1)
            if isinstance(ind, Indicator)
        ]
    return State(plan, as_of, periods, list(outputs.values()), totals(plan, "category"), totals(plan, "source"), rows)


def status_on(plan: Roadmap, task: Task, as_of: dt.date) -> Status:
    """The task's status as it stood on the date, from the statuses its history records
    (each with the date `tick --on` gave it); the current one when nothing later is recorded."""
    if task.status_date is None or task.status_date <= as_of:
        return task.status
    steps: dict[Any, dict[str, Any]] = {}
    for n, entry in enumerate(plan.history):
        if entry.task == task.id and entry.field in ("status", "status_date"):
            steps.setdefault(entry.step if entry.step is not None else ("n", entry.date, entry.command), {})[entry.field] = entry
    events = []
    for fields in steps.values():
        if "status" not in fields:
            continue
        date = fields["status_date"].new if "status_date" in fields else None
        try:
            when = dt.date.fromisoformat(str(date)) if date else fields["status"].date
        except ValueError:
            when = fields["status"].date
        try:
            events.append((when, Status(fields["status"].new)))
        except ValueError:
            continue
    before = [state for when, state in sorted(events, key=lambda e: e[0]) if when <= as_of]
    return before[-1] if before else Status.planned


def latest_comment(task: Task, as_of: dt.date) -> Comment | None:
    """The last comment written on or before the date (undated comments count as early);
    the status note (`tick --note`) counts as a comment of the status date."""
    notes = list(task.comments)
    if task.status_note and task.status_date and task.status_note not in {c.text for c in notes}:
        notes.append(Comment(date=task.status_date, text=task.status_note))
    dated = [(c.date or dt.date.min, i, c) for i, c in enumerate(notes) if c.date is None or c.date <= as_of]
    return max(dated, key=lambda x: (x[0], x[1]))[2] if dated else None


def indicator_row(holder: str, number: int, ind: Indicator, as_of: dt.date) -> IndicatorRow:
    measured = [(v.date, i, v) for i, v in enumerate(ind.values) if v.date <= as_of]
    if measured:
        latest = max(measured, key=lambda x: (x[0], x[1]))[2]
        actual, when, note = _shown(latest.actual), latest.date, latest.note
    else:
        actual, when, note = (_shown(ind.actual) if not ind.values else None), None, None
    return IndicatorRow(
        holder, number, ind.text, ind.unit, _shown(ind.baseline), _shown(ind.target), ind.target_date,
        actual, when, note, percent_of_way(ind.baseline, ind.target, actual),
    )


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_NUMBER = re.compile(r"^\s*(-?[\d ,]*\.?\d+)\s*%?\s*$")


def number(value: Any) -> Decimal | None:
    """58, "58", "12.5%", "1,200" as a Decimal; None for text that is not one number."""
    if value is None or isinstance(value, bool):
        return None
    match = _NUMBER.match(str(value))
    if not match:
        return None
    try:
        return Decimal(match.group(1).replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None


def percent_of_way(baseline: Any, target: Any, actual: Any) -> int | None:
    """How far the actual value has come from the baseline towards the target, in percent
    (a missing baseline counts as 0); None when a value is not a number or target = baseline."""
    b, t, a = number(baseline if baseline is not None else 0), number(target), number(actual)
    if b is None or t is None or a is None or t == b:
        return None
    return int(((a - b) / (t - b) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
