"""Changes as plain sentences: the change log and the "Changes from the model" annex.

`describe` merges the Changes that belong together (a task's start and end year make
one "moved" sentence; a status with its date and reason makes one) and words them from
the message catalogue, with calendar years and direction names taken from the plan.
"""

from __future__ import annotations

from typing import Any, Iterable

from .changes import Change
from .i18n import Catalogue, catalogue
from .model import Roadmap


def told(changes: Iterable[Change], plan: Roadmap, lang: str | None = None) -> list[str]:
    """What an editing command says it did: one sentence per change, as the change log says it.

    Boxes renumbered around an added or removed task are layout: the sentence about the
    task says it (the change log leaves them out the same way).
    """
    return describe(
        [c for c in changes if not (c.task and c.field == "box.order" and c.old is not None and c.new is not None)],
        plan,
        lang,
    )


def describe(changes: Iterable[Change], plan: Roadmap, lang: str | None = None) -> list[str]:
    t = catalogue(lang or plan.meta.language)
    changes = list(changes)
    # Changes that may merge into one sentence share a task or a goal: look only among those
    # (a scan of every later change for each made the annex of 10,000 tasks take minutes).
    goals = [_goal_of(c) if c.task is None else None for c in changes]
    by_task: dict[str, list[int]] = {}
    by_goal: dict[Any, list[int]] = {}
    for i, change in enumerate(changes):
        if change.task is not None:
            by_task.setdefault(change.task, []).append(i)
        elif goals[i] is not None:
            by_goal.setdefault(goals[i], []).append(i)
    used: set[int] = set()
    out: list[str] = []
    for i, change in enumerate(changes):
        if i in used:
            continue
        used.add(i)
        if change.task is None:
            goal = goals[i]
            if goal is not None:  # a goal's reached, date and evidence make one sentence
                group = {change.path[3]: change}
                for j in by_goal[goal]:
                    other = changes[j]
                    if j > i and j not in used and other.path[3] not in group:
                        group[other.path[3]] = other
                        used.add(j)
                out.append(_goal_sentence(goal, group, plan, t))
                continue
            out.append(_document_sentence(change, plan, t))
            continue
        family = _family(change.field)
        group = {change.field: change}
        same_task = [j for j in by_task[change.task] if j > i]
        for j in same_task:
            other = changes[j]
            if j not in used and other.field in family and other.field not in group:
                group[other.field] = other
                used.add(j)
        kept = None
        if "status_note" in family and group.get("status_note") is not None and group["status_note"].old:
            earlier = group["status_note"].old  # tick --note moved the earlier note into the comments
            for j in same_task:
                other = changes[j]
                if j not in used and _comment_text(other) == earlier:
                    used.add(j)
                    kept = t("change.note_kept", task=change.task, text=earlier)
                    break
        out.append(_task_sentence(change.task, group, plan, t, first=change.field) or _generic(change, t))
        if kept:
            out.append(kept)
    return out


_FAMILIES = [
    {"year_start", "year_end"},
    {"start", "end"},
    {"status", "status_date", "status_note"},
]


def _family(field: str) -> set[str]:
    return next((family for family in _FAMILIES if field in family), {field})


def _years(plan: Roadmap, start: Any, end: Any) -> str:
    if start is None:
        return "?"
    first = plan.calendar_year(int(start))
    last = plan.calendar_year(int(end if end is not None else start))
    return str(first) if first == last else f"{first}\u2013{last}"


def _task_sentence(task: str, group: dict[str, Change], plan: Roadmap, t: Catalogue, *, first: str) -> str | None:
    family = _family(first)
    if first == "task":
        c = group["task"]
        if c.old is None:
            item = c.new
            direction = _direction_name(plan, item.get("direction"))
            if item.get("start"):
                years = _periods(item.get("start"), item.get("end"))
            elif item.get("year_start") is None:
                years = t("change.no_timeframe")
            else:
                years = _years(plan, item.get("year_start"), item.get("year_end"))
            label = f"{item['ref']} ({task})" if item.get("ref") else task
            return t("change.task_added", direction=direction, task=label, title=item.get("title"), years=years)
        return t("change.task_removed", task=task, title=(c.old or {}).get("title", ""))
    if family == {"year_start", "year_end"}:
        s, e = group.get("year_start"), group.get("year_end")
        task_obj = _task(plan, task)
        if task_obj is None:
            return None
        new_start = s.new if s else task_obj.year_start
        new_end = e.new if e else task_obj.year_end
        old_start = s.old if s else new_start
        old_end = e.old if e else new_end
        return t("change.moved", task=task, old=_years(plan, old_start, old_end), new=_years(plan, new_start, new_end))
    if family == {"start", "end"}:
        s, e = group.get("start"), group.get("end")
        task_obj = _task(plan, task)
        if task_obj is None:
            return None
        new_start, new_end = (s.new if s else task_obj.start), (e.new if e else task_obj.end)
        old_start, old_end = (s.old if s else new_start), (e.old if e else new_end)
        return t("change.moved", task=task, old=_periods(old_start, old_end), new=_periods(new_start, new_end))
    root = group[first].path[2] if len(group[first].path) > 2 else None
    if root in ("budget", "comments") or (root == "success_indicators" and _indicator_change(group[first])):
        found = _task(plan, task)
        return _item_sentence(found.ref if found is not None and found.ref else task, group[first], plan, t)
    if family == {"status", "status_date", "status_note"}:
        status = group.get("status")
        state = status.new if status else (_task(plan, task).status.value if _task(plan, task) else None)
        name = t(f"status.{state}") if state else ""
        date = group.get("status_date")
        sentence = (
            t("change.status_on", task=task, status=name, date=_date(t, date.new))
            if date and date.new
            else t("change.status", task=task, status=name)
        )
        note = group.get("status_note")
        if note and note.new:
            sentence = t("change.status_reason", sentence=sentence, reason=note.new)
        return sentence
    c = group[first]
    if first == "owner":
        if c.old is None:
            return t("change.owner_set", task=task, owner=_owner(c.new))
        if c.new is None:
            return t("change.owner_cleared", task=task, old=_owner(c.old))
        if _owner(c.old) == _owner(c.new) and isinstance(c.new, dict):  # the same person: their contact changed
            contact = c.new.get("contact")
            if contact:
                return t("change.owner_contact", task=task, owner=_owner(c.new), contact=contact)
            return t("change.owner_contact_removed", task=task, owner=_owner(c.new), old=(c.old or {}).get("contact"))
        return t("change.owner_changed", task=task, old=_owner(c.old), new=_owner(c.new))
    if first == "title":
        return t("change.title", task=task, old=c.old, new=c.new)
    if first == "box.text":
        return t("change.box", task=task, old=c.old, new=c.new)
    if first == "box.order" and c.old is not None and c.new is not None:
        return t("change.box_order", task=task, old=c.old, new=c.new)
    if first in ("expected_results", "success_indicators", "persons_involved", "international_examples", "parties"):
        return t("change.list_revised", what=t(f"field.{first}"), task=task, changes=_list_change(c, t))
    return None


def _indicator_change(change: Change) -> bool:
    """An indicator added (`indicator add`) or a value recorded, not a revised list of texts."""
    if len(change.path) > 3:
        return True
    return change.old is None and all(isinstance(item, dict) for item in _items(change))


def _comment_text(change: Change) -> str | None:
    """The text of the one comment a Change adds, else None."""
    if len(change.path) < 3 or change.path[2] != "comments" or change.old is not None:
        return None
    items = _items(change)
    return items[0].get("text") if len(items) == 1 and isinstance(items[0], dict) else None


def _periods(start: Any, end: Any) -> str:
    from .periods import Period, range_text

    if not start:
        return "?"
    return range_text(Period.parse(start), Period.parse(end or start))


def _items(change: Change) -> list[Any]:
    """The items a Change adds to a list: one (at an index), or a whole new list."""
    if change.old is not None:
        return []
    if len(change.path) > 3 and isinstance(change.path[3], int) and len(change.path) == 4:
        return [change.new]
    if isinstance(change.new, list):
        return list(change.new)
    return [change.new]


def _money(plan: Roadmap, amount: Any, t: Catalogue) -> str:
    from .money import parse_amount

    currency = plan.meta.currency
    return t.money(parse_amount(amount), currency) if currency else str(amount)


def _item_sentence(holder: str, c: Change, plan: Roadmap, t: Catalogue) -> str | None:
    """A budget line, a comment, an indicator or an indicator's value added (tasks and directions)."""
    root = c.path[2]
    if root == "budget" and len(c.path) == 5 and c.path[4] == "amount" and c.old is not None and c.new is not None:
        found = _task(plan, c.task) if c.task else None
        index = c.path[3]
        line = found.budget[index] if found is not None and isinstance(index, int) and 0 <= index < len(found.budget) else None
        return t(
            "change.budget_amount", task=holder, number=index + 1 if isinstance(index, int) else "?",
            category=line.category if line is not None else "?", old=_money(plan, c.old, t), new=_money(plan, c.new, t),
        )
    if root == "budget" and len(c.path) <= 4:
        out = []
        for line in _items(c):
            amount = _money(plan, line.get("amount"), t)
            key = "change.budget_line_source" if line.get("source") else "change.budget_line"
            out.append(t(key, task=holder, amount=amount, category=line.get("category"), source=line.get("source")))
        return "; ".join(out) or None
    if root == "comments" and len(c.path) <= 4:
        out = []
        for item in _items(c):
            key = "change.comment_by" if item.get("by") else "change.comment"
            out.append(t(key, task=holder, date=_date(t, item.get("date")), by=item.get("by"), text=item.get("text")))
        return "; ".join(out) or None
    if root in ("success_indicators", "indicators"):
        if len(c.path) <= 4 and c.old is None:
            base = c.path[3] if len(c.path) == 4 and isinstance(c.path[3], int) else 0
            return "; ".join(
                t("change.indicator_added", holder=holder, number=base + i + 1, text=_text(item))
                for i, item in enumerate(_items(c))
            )
        number = c.path[3] + 1 if len(c.path) > 3 and isinstance(c.path[3], int) else "?"
        values = c.new.get("values") if len(c.path) == 4 and isinstance(c.new, dict) else (
            [c.new] if len(c.path) == 6 else (c.new if isinstance(c.new, list) else None)
        )
        if values:
            return "; ".join(
                t("change.indicator_value", holder=holder, number=number, actual=v.get("actual"), date=_date(t, v.get("date")))
                for v in values
                if isinstance(v, dict)
            )
    return None


def _list_change(c: Change, t: Catalogue) -> str:
    """What a revised list gained and lost, each item quoted (items are sentences with their own stops)."""
    old = [_item_text(v) for v in c.old or []]
    new = [_item_text(v) for v in c.new or []]
    parts = []
    added = [x for x in new if x not in old]
    removed = [x for x in old if x not in new]
    if added:
        parts.append(t("change.list_added", items=_quoted(added)))
    if removed:
        parts.append(t("change.list_removed", items=_quoted(removed)))
    return "; ".join(parts) or t("change.list_reordered")


def _item_text(value: Any) -> str:
    """An item of a revised list: a responsible party with its role, else its text."""
    if isinstance(value, dict) and set(value) <= {"name", "role"} and "name" in value:
        return f"{value['name']} ({value['role']})" if value.get("role") else str(value["name"])
    return _text(value)


def _quoted(items: list[str]) -> str:
    return ", ".join(f"\u201c{x}\u201d" for x in items)


def _goal_of(change: Change) -> str | None:
    path = change.path
    if len(path) == 4 and path[:2] == ("vision", "goals") and path[3] in ("reached", "reached_on", "evidence"):
        return str(path[2])
    return None


def _goal_sentence(goal: str, group: dict[str, Change], plan: Roadmap, t: Catalogue) -> str:
    reached = group.get("reached")
    if reached is None:  # only the date or the evidence changed
        return "; ".join(_generic(c, t) for c in group.values())
    if not reached.new:
        return t("change.goal_not_reached", goal=goal)
    date = group.get("reached_on")
    if date is not None:
        when = _date(t, date.new)
    else:
        current = next((g for g in plan.vision.goals if g.id == goal), None)
        when = _date(t, current.reached_on if current else None)
    sentence = t("change.goal_reached", goal=goal, date=when)
    evidence = group.get("evidence")
    if evidence is not None and evidence.new:
        sentence = t("change.status_reason", sentence=sentence, reason=evidence.new)
    return sentence


def _document_sentence(change: Change, plan: Roadmap, t: Catalogue) -> str:
    path = change.path
    sentence = _workplan_sentence(change, plan, t)
    if sentence is not None:
        return sentence
    if path == ("meta", "start_year"):
        return t("change.start_year", old=change.old, new=change.new)
    if path == ("meta", "horizon"):
        first = plan.meta.start_year
        return t("change.horizon", first=first, old=first + int(change.old) - 1, new=first + int(change.new) - 1)
    if path == ("meta", "authors"):
        return _group_sentence(change, t)
    if path[0] == "meta" and ".".join(str(p) for p in path[1:]) in _META_WORDS:
        what = t(f"meta_field.{_META_WORDS['.'.join(str(p) for p in path[1:])]}")
        old, new = _meta_text(change.old), _meta_text(change.new)
        if change.old is None:
            return t("change.meta_set", what=what, new=new)
        if change.new is None:
            return t("change.meta_removed", what=what, old=old)
        return t("change.meta_changed", what=what, old=old, new=new)
    if len(path) == 4 and path[:2] == ("vision", "goals") and path[3] == "reached":
        if change.new:
            goal = next((g for g in plan.vision.goals if g.id == path[2]), None)
            return t("change.goal_reached", goal=path[2], date=_date(t, goal.reached_on if goal else None))
        return t("change.goal_not_reached", goal=path[2])
    return _generic(change, t)


_META_WORDS = {
    "title": "title",
    "subtitle": "subtitle",
    "version": "version",
    "contact.email": "email",
    "contact.website": "website",
    "contact": "contact",
    "logo": "logo",
}


def _meta_text(value: Any) -> str:
    """A contact as its addresses ("roadmap@culture.kg, https://culture.kg"), other values as text."""
    if isinstance(value, dict):
        return ", ".join(str(value[k]) for k in ("email", "website") if value.get(k)) or _text(value)
    return _text(value)


def _group_sentence(change: Change, t: Catalogue) -> str:
    """The working group's change, by person: who joined, who left, whose details changed."""
    old = {p.get("name"): p for p in change.old or [] if isinstance(p, dict)}
    new = {p.get("name"): p for p in change.new or [] if isinstance(p, dict)}
    parts = []
    joined = [_person(p) for n, p in new.items() if n not in old]
    left = [_person(p) for n, p in old.items() if n not in new]
    changed = [_person(p) for n, p in new.items() if n in old and old[n] != p]
    if joined:
        parts.append(t("change.group_joined", people="; ".join(joined)))
    if changed:
        parts.append(t("change.group_changed", people="; ".join(changed)))
    if left:
        parts.append(t("change.group_left", people="; ".join(left)))
    return t("change.group", changes=", ".join(parts) or t("change.list_reordered"))


def _person(value: dict[str, Any]) -> str:
    extra = [str(value[k]) for k in ("organisation", "role") if value.get(k)]
    return f"{value.get('name')} ({', '.join(extra)})" if extra else str(value.get("name"))


def _generic(change: Change, t: Catalogue) -> str:
    where = change.task or str(change.path[0])
    field = change.field if change.task else ".".join(str(p) for p in change.path[1:]) or str(change.path[0])
    if change.old is None:
        return t("change.field_set", where=where, field=field, new=_text(change.new))
    if change.new is None:
        return t("change.field_removed", where=where, field=field, old=_text(change.old))
    return t("change.field", where=where, field=field, old=_text(change.old), new=_text(change.new))


def _date(t: Catalogue, value: Any) -> str:
    """A recorded date as the language writes it in a sentence (text that is no date stays as it is)."""
    try:
        return t.date(value)
    except (TypeError, ValueError):
        return str(value)


def _text(value: Any) -> str:
    if isinstance(value, dict):
        for key in ("text", "title", "name"):
            if key in value:
                return str(value[key])
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return "" if value is None else str(value)


def _owner(value: Any) -> str:
    if not isinstance(value, dict):
        return _text(value)
    org = value.get("organisation")
    return f"{value.get('name')} ({org})" if org else str(value.get("name"))


_TASKS: list[Any] = [None, None, {}]  # the last plan asked about, its task list, and its tasks by id


def _task(plan: Roadmap, task_id: str) -> Any:
    if _TASKS[0] is not plan or _TASKS[1] is not plan.tasks or len(_TASKS[2]) > len(plan.tasks):
        by_id: dict[str, Any] = {}  # a command words hundreds of Changes on one plan
        for x in plan.tasks:
            by_id.setdefault(x.id, x)
        _TASKS[:] = [plan, plan.tasks, by_id]
    return _TASKS[2].get(task_id)


def _direction_name(plan: Roadmap, direction_id: Any) -> str:
    d = next((x for x in plan.directions if x.id == direction_id), None)
    return d.name if d else str(direction_id)


def _workplan_sentence(change: Change, plan: Roadmap, t: Catalogue) -> str | None:
    """A new plan, output, stage, budget rule or stated total; an output's indicators."""
    path, new = change.path, change.new
    if path == ("meta",) and isinstance(new, dict) and change.old is None:
        return t(
            "change.plan_created", title=new.get("title"), first=new.get("start"), last=new.get("end"),
            currency=new.get("currency") or t("change.none"),
        )
    if path == ("budget",) and isinstance(new, dict) and change.old is None:
        parts = []
        if new.get("categories"):
            parts.append(t("change.budget_categories", items=_quoted(new["categories"])))
        if new.get("sources"):
            parts.append(t("change.budget_sources", items=_quoted(new["sources"])))
        return "; ".join(parts) or None
    if len(path) == 2 and path[0] in ("directions", "stages") and change.old is None and isinstance(new, dict):
        name = f"{new['ref']} {new['name']}" if new.get("ref") else new.get("name")
        return t(f"change.{path[0][:-1]}_added", id=new.get("id"), name=name)
    if path[:2] == ("budget", "stated") or (path == ("budget",) and change.old is not None):
        return _stated_sentence(change, plan, t)
    if len(path) >= 3 and path[0] == "directions" and path[2] == "indicators":
        d = next((x for x in plan.directions if x.id == path[1]), None)
        holder = (d.ref or d.id) if d else str(path[1])
        return _item_sentence(holder, Change(path, change.old, change.new), plan, t)
    return None


def _stated_sentence(change: Change, plan: Roadmap, t: Catalogue) -> str | None:
    """A stated total: ("budget", "stated", ...) with what is left of the path in the value."""
    path, value = list(change.path[2:]), change.new
    while len(path) < 2 and isinstance(value, dict) and len(value) == 1:
        key, value = next(iter(value.items()))
        path.append(key)
    if not path or isinstance(value, dict):
        return None
    if path[0] == "overall":
        what = t("change.total_overall")
    else:
        what = t(f"change.total_{path[0]}", name=path[1] if len(path) > 1 else "")
    if value is None:
        return t("change.total_removed", what=what)
    return t("change.total_stated", what=what, amount=_money(plan, value, t))
