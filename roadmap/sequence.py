"""What follows what: the flowchart's arrows and `shift --cascade` read the same order.

In the Green Paper's flowchart (Appendix 1) the boxes of a direction's row are steps,
joined by arrows left to right (by `box.order`). So a task follows the task before it in
its row, and also every task it names in `depends_on` (`add --after` writes one, always
in the same row). The arrows say "comes after", not "cannot start before the other
ends": the Green Paper's own rows run back in time in places (CUL-4 in year 4, CUL-5 in
year 3), which is why `validate` checks years against `depends_on` only, and the model
keeps the years as the source gives them.

Everything here is one pass over the tasks, and walks are iterative (no recursion per
link), so a plan of any length of chain is fine.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from .model import Roadmap, Task


def row_order(task: Task) -> tuple[int, int, str]:
    """Left to right in a direction's row: the box order, then the years, then the id."""
    return (task.box.order if task.box else 10_000, task.year_start or 0, task.id)


def rows(plan: Roadmap) -> dict[str, list[Task]]:
    """Each direction's tasks, left to right (one pass over the tasks)."""
    out: dict[str, list[Task]] = {}
    for task in plan.tasks:
        out.setdefault(task.direction, []).append(task)
    for tasks in out.values():
        tasks.sort(key=row_order)
    return out


@dataclass(frozen=True)
class Link:
    before: str  # task id
    after: str  # task id of the task that follows it
    in_row: bool  # True: the next box in the row; False: a depends_on entry


def links(plan: Roadmap) -> list[Link]:
    """Every "comes after" pair: the flowchart's arrows first, then `depends_on`."""
    out = [
        Link(a.id, b.id, True)
        for row in rows(plan).values()
        for a, b in zip(row, row[1:])
    ]
    ids = {t.id for t in plan.tasks}
    drawn = {(link.before, link.after) for link in out}
    out += [
        Link(dep, t.id, False)
        for t in plan.tasks
        for dep in t.depends_on
        if dep in ids and dep != t.id and (dep, t.id) not in drawn
    ]
    return out


def in_order(before: Task, after: Task) -> bool:
    """A step in order: it starts no earlier than the year the step before it ends."""
    if after.year_start is None or before.year_end is None:  # timed in periods, or not at all
        return False
    return after.year_start >= before.year_end


def push(plan: Roadmap, moved: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int, Link]]:
    """What `shift --cascade` moves along with the tasks in `moved` (id -> new years).

    A task that follows a moved one, and was in order with it, moves later just as far as
    it must so as not to start before that one ends, and so on down the line. What was
    out of order already (the Green Paper's own rows, in places) is left as it is, and
    nothing moves earlier: bringing a task forward leaves room after it.
    """
    tasks = {t.id: t for t in plan.tasks}
    after: dict[str, list[Link]] = {}
    for link in links(plan):
        after.setdefault(link.before, []).append(link)
    years = dict(moved)
    pushed: dict[str, tuple[int, int, Link]] = {}
    queue = deque(moved)
    while queue:
        first = queue.popleft()
        end = years[first][1]
        for link in after.get(first, []):
            then = tasks[link.after]
            if not in_order(tasks[first], then):
                continue
            start, finish = years.get(then.id, (then.year_start, then.year_end))
            if start < end:
                years[then.id] = (end, finish + end - start)
                pushed[then.id] = (end, finish + end - start, link)
                queue.append(then.id)
    return pushed
