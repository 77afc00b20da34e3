"""The Green Paper's adaptation steps (chapter 2.3) as functions that return Changes.

Step 1 `tick` and `add`, step 2 `shift`, step 3 `assign`, step 4 `revise`; `init` starts a
country plan from the model and `goal` records a vision goal. Each function checks its
input against the plan, computes Changes, and hands them to the store, which is the only
code that writes.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Any, Callable, Iterable

from . import store
from .changes import Change
from .errors import BadValue, EditRefused, FileExists, UnknownId
from .model import Roadmap, Status, Task
from .store import Document

STATUS_WORDS = {
    "done": Status.done,
    "in-progress": Status.in_progress,
    "in_progress": Status.in_progress,
    "planned": Status.planned,
    "not-started": Status.planned,
    "not-needed": Status.not_needed,
    "not_needed": Status.not_needed,
}


# ---------------------------------------------------------------------------------------
# Reading the user's words


def parse_status(word: str) -> Status:
    try:
        return STATUS_WORDS[word.strip().lower()]
    except KeyError:
        raise BadValue(f'unknown status "{word}"; use one of: done, in-progress, planned, not-needed') from None


def parse_date(text: str | None, *, what: str = "date") -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise BadValue(f'"{text}" is not a {what}; write it as YYYY-MM-DD, e.g. 2026-03-31') from None


def find_task(plan: Roadmap, task_id: str) -> Task:
    for task in plan.tasks:
        if task.id == task_id:
            return task
    for task in plan.tasks:  # forgive case: users type dat-2
        if task.id.lower() == task_id.lower():
            return task
    ids = [t.id for t in plan.tasks]
    close = difflib.get_close_matches(task_id.upper(), ids, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else "; `roadmap status PLAN` lists the tasks"
    raise UnknownId(f'no task "{task_id}" in this plan{hint}')


def find_direction(plan: Roadmap, word: str) -> str:
    for d in plan.directions:
        if word.lower() in (d.id.lower(), d.name.lower(), str(d.number)):
            return d.id
    valid = ", ".join(f"{d.id} ({d.name})" for d in plan.directions)
    raise UnknownId(f'unknown direction "{word}"; the directions are: {valid}')


def find_stage(plan: Roadmap, word: str) -> str:
    for s in plan.stages:
        if word.lower() in (s.id.lower(), s.name.lower(), str(s.number)):
            return s.id
    valid = ", ".join(f"{s.id} ({s.name})" for s in plan.stages)
    raise UnknownId(f'unknown stage "{word}"; the stages are: {valid}')


def select(
    plan: Roadmap,
    ids: Iterable[str] = (),
    *,
    direction: str | None = None,
    stage: str | None = None,
    every: bool = False,
) -> list[Task]:
    """Tasks named by id, or all of a direction and/or stage, in plan order."""
    ids = list(ids)
    chosen: dict[str, Task] = {}
    for task_id in ids:
        task = find_task(plan, task_id)
        chosen[task.id] = task
    if direction or stage or every:
        d = find_direction(plan, direction) if direction else None
        s = find_stage(plan, stage) if stage else None
        for task in plan.tasks:
            if (d is None or task.direction == d) and (s is None or task.stage == s):
                chosen.setdefault(task.id, task)
    if not chosen:
        raise BadValue("name the tasks: give task ids, or --direction / --stage")
    order = {t.id: i for i, t in enumerate(plan.tasks)}
    return sorted(chosen.values(), key=lambda t: order[t.id])


def _set(task: Task, field: str, old: Any, new: Any, note: str | None = None) -> list[Change]:
    return [] if old == new else [Change(("tasks", task.id, field), old, new, note)]


def _plain(value: Any) -> Any:
    """Model values as the plain data the YAML file holds."""
    if isinstance(value, Status):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _field(doc: Document, task: Task, field: str) -> Any:
    """The value as written in the file (absent keys are None)."""
    from .yamltext import get_path

    return get_path(doc.data, ("tasks", task.id, field))


# ---------------------------------------------------------------------------------------
# init


def init(
    output: Path,
    *,
    country: str,
    name: str | None = None,
    start_year: int | None = None,
    model: Path | None = None,
    force: bool = False,
    today: dt.date | None = None,
) -> list[Change]:
    """Create a country plan from the model: the model's whole text, re-labelled."""
    from .countries import country_name
    from .lineage import content_hash
    from .resources import model_path

    code = country.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise BadValue(f'"{country}" is not a country code; use the ISO 3166-1 alpha-2 code, e.g. KG')
    name = _optional_text(name, "--name") or country_name(code)
    if not name:
        raise BadValue(f'unknown country code "{code}"; give the name with --name')
    source = model or model_path()
    doc = store.load(source)
    meta = doc.plan.meta
    if start_year is not None and not 1900 <= start_year <= 2200:
        raise BadValue(f"--start-year {start_year} is not a plausible calendar year")
    if output.exists() and not force:
        raise FileExists(f"{output} already exists; use --force to overwrite it")
    changes = [
        Change(("meta", "id"), meta.id, f"{code.lower()}-roadmap"),
        Change(("meta", "kind"), doc.data["meta"].get("kind"), "plan"),
        Change(("meta", "title"), meta.title, f"{meta.title}: {name}"),
        Change(("meta", "scope"), meta.scope, "country"),
        Change(("meta", "country"), None, {"code": code, "name": name}),
        Change(("meta", "version"), meta.version, "1"),
        Change(
            ("meta", "based_on"),
            None,
            {"id": meta.id, "version": meta.version, "hash": content_hash(doc.text)},
        ),
    ]
    if start_year is not None and start_year != meta.start_year:
        changes.append(Change(("meta", "start_year"), meta.start_year, start_year))
    if doc.data["meta"].get("published") is not None:
        changes.append(Change(("meta", "published"), doc.data["meta"]["published"], None))
    with store.locked(output):
        if output.exists() and not force:
            raise FileExists(f"{output} already exists; use --force to overwrite it")
        store.commit(doc, changes, command="init", today=today, target=output)
    return changes


def ensure_schema(folder: Path) -> Path | None:
    """Put roadmap.schema.json beside a new plan, so the plan's `$schema` line works in editors.

    Returns the file when it was written (missing or out of date), None when it was current.
    """
    from .resources import schema_path
    from .store import write_bytes_atomic

    target = folder / "roadmap.schema.json"
    current = schema_path().read_bytes()
    if target.is_file() and target.read_bytes() == current:
        return None
    write_bytes_atomic(target, current)
    return target


# ---------------------------------------------------------------------------------------
# Editing commands


Compute = Callable[[Document], list[Change]]


def _edit(path: Path, command: str, compute: Compute, *, dry_run: bool, today: dt.date | None) -> list[Change]:
    return store.edit(path, compute, command=command, dry_run=dry_run, today=today)


def tick(
    path: Path,
    ids: list[str],
    *,
    status: str = "done",
    on: str | None = None,
    note: str | None = None,
    direction: str | None = None,
    stage: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> list[Change]:
    """Step 1: mark tasks done, in progress, planned again, or not needed (with a reason)."""
    state = parse_status(status)
    when = parse_date(on) or today or dt.date.today()
    note = _optional_text(note, "--note")
    if state is Status.not_needed and not (note and note.strip()):
        raise BadValue('--status not-needed needs --note "the reason it is not needed"')

    def compute(doc: Document) -> list[Change]:
        changes: list[Change] = []
        for task in select(doc.plan, ids, direction=direction, stage=stage):
            if state is Status.not_needed and task.owner is not None:
                raise EditRefused(
                    f"{task.id} has an owner ({task.owner.name}); a task that is not needed has none: "
                    f"clear it first with `roadmap assign PLAN {task.id} --clear`"
                )
            changes += _set(task, "status", _field(doc, task, "status"), state.value, note)
            if state is Status.planned:
                changes += _set(task, "status_date", _field(doc, task, "status_date"), None)
            else:
                changes += _set(task, "status_date", _field(doc, task, "status_date"), when.isoformat())
            changes += _set(task, "status_note", _field(doc, task, "status_note"), note)
        return changes

    return _edit(path, "tick", compute, dry_run=dry_run, today=today)


def _parse_years(plan: Roadmap, year: int | None, years: str | None) -> tuple[int, int]:
    if year is not None and years is not None:
        raise BadValue("give either --year or --years, not both")
    if years is not None:
        try:
            first, _, last = years.partition("-")
            start, end = int(first), int(last or first)
        except ValueError:
            raise BadValue(f'--years "{years}" should look like 2-4 (plan years)') from None
    else:
        start = end = year if year is not None else 1
    for value in (start, end):
        if not 1 <= value <= plan.meta.horizon:
            raise BadValue(
                f"year {value} is outside the plan's horizon: use 1 to {plan.meta.horizon} "
                f"({plan.calendar_year(1)}-{plan.calendar_year(plan.meta.horizon)})"
            )
    if end < start:
        raise BadValue(f"--years {years}: the last year is before the first")
    return start, end


def new_task_id(plan: Roadmap, direction: str) -> str:
    """Country-prefixed ids (KG-FIN-1): the model's ids never carry a country prefix."""
    prefix = plan.meta.country.code if plan.meta.country else plan.meta.id.upper().split("-")[0]
    taken = {t.id for t in plan.tasks}
    n = 1
    while f"{prefix}-{direction}-{n}" in taken:
        n += 1
    return f"{prefix}-{direction}-{n}"


def add(
    path: Path,
    *,
    direction: str,
    stage: str,
    title: str,
    box: str | None = None,
    year: int | None = None,
    years: str | None = None,
    after: str | None = None,
    owner: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> list[Change]:
    """Step 1: add a task the model is missing; it gets a country-prefixed id."""
    title = _text(title, "--title")
    box = None if box is None else _text(box, "--box")
    owner = _optional_text(owner, "--owner")

    def compute(doc: Document) -> list[Change]:
        plan = doc.plan
        d = find_direction(plan, direction)
        s = find_stage(plan, stage)
        start, end = _parse_years(plan, year, years)
        task_id = new_task_id(plan, d)
        stage_number = plan.stage(s).number
        row = sorted((t for t in plan.tasks if t.direction == d and t.box), key=lambda t: t.box.order)
        if after:
            anchor = find_task(plan, after)
            before = [t for t in row if t.box.order <= (anchor.box.order if anchor.box else 0)]
        else:
            before = [t for t in row if plan.stage(t.stage).number <= stage_number]
        order = (before[-1].box.order + 1) if before else 1
        changes = [
            Change(("tasks", t.id, "box", "order"), t.box.order, t.box.order + 1)
            for t in reversed(row)
            if t.box.order >= order
        ]
        task: dict[str, Any] = {
            "id": task_id,
            "direction": d,
            "stage": s,
            "title": title.strip(),
            "box": {"text": (box or title).strip(), "order": order},
            "year_start": start,
            "year_end": end,
        }
        if after:
            task["depends_on"] = [find_task(plan, after).id]
        task["status"] = "planned"
        if owner:
            task["owner"] = {"name": owner}
        task["origin"] = "added"
        changes.append(Change(("tasks", task_id), None, task))
        return changes

    return _edit(path, "add", compute, dry_run=dry_run, today=today)


def remove(path: Path, task_id: str, *, dry_run: bool = False, today: dt.date | None = None) -> list[Change]:
    """Remove a task the country added; model tasks are marked not needed instead."""

    def compute(doc: Document) -> list[Change]:
        task = find_task(doc.plan, task_id)
        if task.origin.value == "model":
            raise EditRefused(
                f"{task.id} comes from the model; keep the link to it and mark it instead: "
                f'roadmap tick PLAN {task.id} --status not-needed --note "why"'
            )
        changes = []
        for other in doc.plan.tasks:
            if task.id in other.depends_on:
                kept = [d for d in other.depends_on if d != task.id]
                changes.append(Change(("tasks", other.id, "depends_on"), other.depends_on, kept or None))
        changes.append(Change(("tasks", task.id), store_plain(doc, task.id), None))
        return changes

    return _edit(path, "remove", compute, dry_run=dry_run, today=today)


def store_plain(doc: Document, task_id: str) -> Any:
    from .yamltext import get_path

    return get_path(doc.data, ("tasks", task_id))


def shift(
    path: Path,
    ids: list[str],
    *,
    by: int | None = None,
    direction: str | None = None,
    stage: str | None = None,
    every: bool = False,
    start_year: int | None = None,
    cascade: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
    warnings: list[str] | None = None,
) -> list[Change]:
    """Step 2: move tasks by N years, or re-anchor the whole plan on a new first year."""
    if start_year is not None:
        if by is not None or ids or direction or stage or every:
            raise BadValue("--start-year re-anchors the whole plan; give it alone")

        def anchor(doc: Document) -> list[Change]:
            if not 1900 <= start_year <= 2200:
                raise BadValue(f"--start-year {start_year} is not a plausible calendar year")
            return [Change(("meta", "start_year"), doc.plan.meta.start_year, start_year)] if (
                doc.plan.meta.start_year != start_year
            ) else []

        return _edit(path, "shift", anchor, dry_run=dry_run, today=today)
    if by is None:
        raise BadValue("say how far to move: --by N (years, negative to bring forward)")

    def compute(doc: Document) -> list[Change]:
        plan = doc.plan
        moving = {t.id: t for t in select(plan, ids, direction=direction, stage=stage, every=every)}
        if cascade:
            grew = True
            while grew:
                grew = False
                for t in plan.tasks:
                    if t.id not in moving and any(d in moving for d in t.depends_on):
                        moving[t.id] = t
                        grew = True
        horizon = plan.meta.horizon
        changes: list[Change] = []
        for t in plan.tasks:
            if t.id not in moving:
                continue
            start, end = t.year_start + by, t.year_end + by
            if start < 1 or end > horizon:
                raise BadValue(
                    f"{t.id} would move to {plan.calendar_year(start)}-{plan.calendar_year(end)}, "
                    f"outside the plan's horizon {plan.calendar_year(1)}-{plan.calendar_year(horizon)}"
                )
            changes += _set(t, "year_start", t.year_start, start)
            changes += _set(t, "year_end", t.year_end, end)
        if warnings is not None:
            new_start = {t.id: t.year_start + (by if t.id in moving else 0) for t in plan.tasks}
            new_end = {t.id: t.year_end + (by if t.id in moving else 0) for t in plan.tasks}
            for t in plan.tasks:
                for dep in t.depends_on:
                    if dep in new_end and (t.id in moving or dep in moving) and new_start[t.id] < new_end[dep]:
                        warnings.append(
                            f"{t.id} would start in {plan.calendar_year(new_start[t.id])}, before {dep} "
                            f"(which it depends on) ends in {plan.calendar_year(new_end[dep])}; "
                            "use --cascade to move dependents along"
                        )
        return changes

    return _edit(path, "shift", compute, dry_run=dry_run, today=today)


def assign(
    path: Path,
    ids: list[str],
    *,
    owner: str | None = None,
    org: str | None = None,
    contact: str | None = None,
    clear: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> list[Change]:
    """Step 3: give tasks a responsible person (or take it away with --clear)."""
    owner, org, contact = (_optional_text(v, f) for v, f in ((owner, "--owner"), (org, "--org"), (contact, "--contact")))
    if clear and (owner or org or contact):
        raise BadValue("--clear removes the owner; do not combine it with --owner")
    if not clear and not (owner and owner.strip()):
        raise BadValue("name the responsible person: --owner NAME (or --clear)")
    value: dict[str, str] | None = None
    if not clear:
        value = {"name": owner.strip()}  # type: ignore[union-attr]
        if org:
            value["organisation"] = org
        if contact:
            value["contact"] = contact

    def compute(doc: Document) -> list[Change]:
        changes: list[Change] = []
        for task in select(doc.plan, ids):
            if value is not None and task.status is Status.not_needed:
                raise EditRefused(
                    f"{task.id} is marked not needed; a task that is not needed has no owner "
                    f"(re-plan it first: roadmap tick PLAN {task.id} --status planned)"
                )
            changes += _set(task, "owner", _field(doc, task, "owner"), value)
        return changes

    return _edit(path, "assign", compute, dry_run=dry_run, today=today)


def revise(
    path: Path,
    task_id: str,
    *,
    title: str | None = None,
    box: str | None = None,
    results: list[str] | None = None,
    add_results: list[str] | None = None,
    indicators: list[str] | None = None,
    add_indicators: list[str] | None = None,
    actors: list[str] | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> list[Change]:
    """Step 4: adjust what a task is expected to deliver."""
    if not any(v for v in (title, box, results, add_results, indicators, add_indicators, actors)):
        raise BadValue("say what to revise: --title, --box, --result, --add-result, --indicator, ...")

    def compute(doc: Document) -> list[Change]:
        task = find_task(doc.plan, task_id)
        data = store_plain(doc, task.id)
        changes: list[Change] = []
        if title is not None:
            changes += _set(task, "title", data.get("title"), _text(title, "--title"))
        if box is not None:
            old_box = data.get("box")
            if old_box is None:
                raise EditRefused(f"{task.id} has no flowchart box to rename")
            new_box = _text(box, "--box")
            changes += [Change(("tasks", task.id, "box", "text"), old_box["text"], new_box)] if (
                old_box["text"] != new_box
            ) else []
        for field, replace, extra, flag in (
            ("expected_results", results, add_results, "--result"),
            ("success_indicators", indicators, add_indicators, "--indicator"),
            ("persons_involved", actors, None, "--actors"),
        ):
            old = data.get(field) or []
            new = [_text(v, flag) for v in replace] if replace else list(old)
            added = [_text(v, flag.replace("--", "--add-")) for v in (extra or [])]
            new += [v for v in added if v not in new]
            if new != old:
                changes.append(Change(("tasks", task.id, field), data.get(field), new))
        return changes

    return _edit(path, "revise", compute, dry_run=dry_run, today=today)


def _text(value: str, flag: str) -> str:
    """A required text option, cleaned (see `clean_text`)."""
    value = clean_text(value, flag)
    if not value:
        raise BadValue(f"{flag} cannot be empty")
    return value


def clean_text(value: str, flag: str) -> str:
    """Text typed or pasted into an option, as the plan may hold it.

    Windows line ends become "\n" and the ends are trimmed; any other character the
    plan file may not hold (a vertical tab from Word, an escape sequence...) is refused
    with the option's name, never written.
    """
    from .yamltext import FORBIDDEN, character_name

    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    match = FORBIDDEN.search(value)
    if match is not None:
        raise BadValue(
            f"{flag} holds {character_name(match.group())} at character {match.start() + 1}; "
            "remove it (retype the text rather than pasting it) and try again"
        )
    return value


def _optional_text(value: str | None, flag: str) -> str | None:
    return None if value is None else clean_text(value, flag)


def goal(
    path: Path,
    goal_id: str,
    *,
    reached: bool,
    on: str | None = None,
    evidence: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> list[Change]:
    """Record whether the country has reached one of the vision's goals."""
    when = parse_date(on) or today or dt.date.today()
    evidence = _optional_text(evidence, "--evidence")

    def compute(doc: Document) -> list[Change]:
        goals = doc.plan.vision.goals
        match = next((g for g in goals if g.id.lower() == goal_id.lower()), None)
        if match is None:
            valid = ", ".join(g.id for g in goals) or "(the plan has no goals)"
            raise UnknownId(f'no vision goal "{goal_id}"; the goals are: {valid}')
        base = ("vision", "goals", match.id)
        from .yamltext import get_path

        current = get_path(doc.data, base)
        changes = []
        for key, new in (
            ("reached", reached),
            ("reached_on", when.isoformat() if reached else None),
            ("evidence", evidence if evidence is not None else current.get("evidence")),
        ):
            if current.get(key) != new:
                changes.append(Change((*base, key), current.get(key), new))
        return changes

    return _edit(path, "goal", compute, dry_run=dry_run, today=today)
