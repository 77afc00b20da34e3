"""Budgets: totals of the planned budget lines, exact to the cent, and their checks.

Read-only, like `status`: `budget show` and the work-plan report call `totals`; `validate`
calls `checks`, which recomputes every total the plan states and names the line of one
that does not add up. Amounts are Decimals end to end (see money.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator

from .model import BudgetLine, Roadmap, Task
from .money import is_currency, plain, too_precise, total

BY = ("category", "direction", "source", "lead", "stage", "task")


@dataclass(frozen=True)
class Group:
    key: str | None
    total: Decimal


@dataclass(frozen=True)
class Totals:
    currency: str | None
    by: str
    total: Decimal
    groups: list[Group]

    def as_json(self) -> dict[str, Any]:
        """Exactly {"currency", "by", "total", "groups": [{"key", "total"}]}, amounts as decimal strings."""
        currency = self.currency or "XXX"
        return {
            "currency": self.currency,
            "by": self.by,
            "total": plain(self.total, currency),
            "groups": [{"key": g.key, "total": plain(g.total, currency)} for g in self.groups],
        }


def lines(plan: Roadmap) -> Iterator[tuple[Task, BudgetLine]]:
    for task in plan.tasks:
        for line in task.budget:
            yield task, line


def key_of(by: str, task: Task, line: BudgetLine) -> str | None:
    return {
        "category": line.category,
        "direction": task.direction,
        "source": line.source,
        "lead": task.lead,
        "stage": task.stage,
        "task": task.id,
    }[by]


def totals(plan: Roadmap, by: str = "category") -> Totals:
    """The budget's total and its totals per group, groups in the plan's order."""
    from .errors import BadValue

    if by not in BY:
        raise BadValue(f'cannot total by "{by}"; use one of: {", ".join(BY)}')
    sums: dict[str | None, Decimal] = {}
    if by == "category" and plan.budget:
        sums = {c: Decimal(0) for c in plan.budget.categories}
    elif by == "direction":
        sums = {d.id: Decimal(0) for d in plan.directions}
    elif by == "source" and plan.budget:
        sums = {s: Decimal(0) for s in plan.budget.sources}
    for task, line in lines(plan):
        key = key_of(by, task, line)
        sums[key] = sums.get(key, Decimal(0)) + line.amount
    if by in ("category", "source", "direction"):  # listed groups with no lines: shown only if stated
        sums = {k: v for k, v in sums.items() if v or _stated(plan, by, k) is not None}
    groups = [Group(k, v) for k, v in sums.items()]
    return Totals(plan.meta.currency, by, total(line.amount for _, line in lines(plan)), groups)


def task_total(task: Task) -> Decimal:
    return total(line.amount for line in task.budget)


def _stated(plan: Roadmap, by: str, key: Any) -> Decimal | None:
    stated = plan.budget.stated if plan.budget else None
    if stated is None:
        return None
    table = {"category": stated.categories, "direction": stated.directions, "source": stated.sources}.get(by, {})
    return table.get(key)


def checks(plan: Roadmap) -> list[Any]:
    """Currency, decimals, categories and sources of the lines; stated totals recomputed."""
    from .checks import Issue

    issues: list[Issue] = []
    currency = plan.meta.currency
    has_lines = any(True for _ in lines(plan))
    if currency is not None and not is_currency(currency):
        issues.append(Issue(("meta", "currency"), f'"{currency}" is not an ISO 4217 currency code (USD, EUR, KGS...)'))
        return issues
    if currency is None:
        if has_lines or (plan.budget and plan.budget.stated):
            issues.append(Issue(("meta",), "the plan has budget amounts but no currency: set meta.currency (e.g. USD)"))
        return issues
    categories = set(plan.budget.categories) if plan.budget else set()
    sources = set(plan.budget.sources) if plan.budget else set()
    index = {t.id: i for i, t in enumerate(plan.tasks)}
    for task, j, line in ((t, j, line) for t in plan.tasks for j, line in enumerate(t.budget)):
        base = ("tasks", index[task.id], "budget", j)
        why = too_precise(line.amount, currency)
        if why:
            issues.append(Issue((*base, "amount"), why))
        if categories and line.category not in categories:
            issues.append(Issue((*base, "category"), f'unknown category "{line.category}"; the plan lists: {", ".join(plan.budget.categories)}'))  # type: ignore[union-attr]
        if sources and line.source is not None and line.source not in sources:
            issues.append(Issue((*base, "source"), f'unknown source "{line.source}"; the plan lists: {", ".join(plan.budget.sources)}'))  # type: ignore[union-attr]
    stated = plan.budget.stated if plan.budget else None
    if stated is None:
        return issues
    if stated.overall is not None:
        computed = total(line.amount for _, line in lines(plan))
        if computed != stated.overall:
            issues.append(Issue(("budget", "stated", "overall"), _mismatch("the overall total", stated.overall, computed, currency)))
    for by, table, name in (("category", stated.categories, "categories"), ("direction", stated.directions, "directions"), ("source", stated.sources, "sources")):
        if not table:
            continue
        sums: dict[Any, Decimal] = {}
        for task, line in lines(plan):
            key = key_of(by, task, line)
            sums[key] = sums.get(key, Decimal(0)) + line.amount
        for key, amount in table.items():
            if by == "direction" and plan.find_direction(key) is None:
                issues.append(Issue(("budget", "stated", name, key), f'unknown direction "{key}"'))
                continue
            computed = sums.get(key, Decimal(0))
            if computed != amount:
                issues.append(Issue(("budget", "stated", name, key), _mismatch(f"the total of {key}", amount, computed, currency)))
    return issues


def _mismatch(what: str, stated: Decimal, computed: Decimal, currency: str) -> str:
    return (
        f"{what} is stated as {plain(stated, currency)} {currency} but the budget lines add up to "
        f"{plain(computed, currency)} {currency} (a difference of {plain(stated - computed, currency)})"
    )
