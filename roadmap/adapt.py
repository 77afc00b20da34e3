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
from .changes import Change, Edit
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
    # the words and colours of programme work plans
    "completed": Status.done,
    "green": Status.done,
    "ongoing": Status.in_progress,
    "yellow": Status.in_progress,
    "not started": Status.planned,
    "not_started": Status.planned,
    "red": Status.planned,
}


# ---------------------------------------------------------------------------------------
# Reading the user's words


def parse_status(word: str) -> Status:
    try:
        return STATUS_WORDS[word.strip().lower()]
    except KeyError:
        raise BadValue(
            f'unknown status "{word}"; use one of: done, in-progress, planned, not-needed '
            "(or completed, ongoing, not started; green, yellow, red)"
        ) from None


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
    for task in plan.tasks:  # the number a work plan gives it: 1.1.1
        if task.ref is not None and task.ref == task_id.strip():
            return task
    ids = [t.id for t in plan.tasks]
    close = difflib.get_close_matches(task_id.upper(), ids, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else "; `roadmap status PLAN` lists the tasks"
    raise UnknownId(f'no task "{task_id}" in this plan{hint}')


def find_direction(plan: Roadmap, word: str) -> str:
    for d in plan.directions:
        if d.ref is not None and d.ref == word.strip():
            return d.id
    found = _by_name(word, {d.id: {d.id.lower(), _words(d.name), str(d.number)} for d in plan.directions})
    if found is not None:
        return found
    valid = ", ".join(f"{d.id} ({d.name})" for d in plan.directions)
    raise UnknownId(f'unknown direction "{word}"; the directions are: {valid}')


def _words(text: str) -> str:
    """A name as people type it: case, punctuation and extra spaces do not matter."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def _by_name(word: str, names: dict[str, set[str]]) -> str | None:
    """The one item whose names include the word, or the one whose name starts with it."""
    wanted = _words(word)
    exact = [key for key, said in names.items() if wanted in said or word.strip().lower() in said]
    if len(exact) == 1:
        return exact[0]
    starts = [key for key, said in names.items() if wanted and any(n.startswith(wanted + " ") for n in said)]
    return starts[0] if len(starts) == 1 else None


def find_stage(plan: Roadmap, word: str) -> str:
    """A stage by id, number, name (or its first words), "stage 2", or its key message
    (the documents print "Cooperation" and "Self-awareness" as the stages' short names)."""
    names = {
        s.id: {s.id.lower(), _words(s.name), str(s.number), f"stage {s.number}", f"s{s.number}"}
        | ({_words(s.key_message)} if s.key_message else set())
        for s in plan.stages
    }
    found = _by_name(word, names)
    if found is not None:
        return found
    valid = ", ".join(
        f"{s.id} ({s.name}{', ' + s.key_message if s.key_message else ''})" for s in plan.stages
    )
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
    identity: Any = None,
) -> Edit:
    """Create a country plan from the model: the model's whole text, made the country's.

    The plan gets its own title (by default the catalogue's "Road map for the development
    of the creative economy: COUNTRY"), version 1, its own working group (empty unless
    given) and contact (none unless given); the model's title, edition and working group
    move to meta.adapted_from, its credit. Without a start year the plan starts this year,
    and the returned Edit's notes say so.
    """
    from .countries import country_name
    from .i18n import catalogue
    from .identity import Identity, check_email, check_logo, check_text, check_url, check_version, credit, header, horizon_changes, parse_author
    from .lineage import content_hash
    from .resources import model_path

    wish = identity or Identity()
    code = country.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise BadValue(f'"{country}" is not a country code; use the ISO 3166-1 alpha-2 code, e.g. KG')
    name_given = bool(_optional_text(name, "--name"))
    name = _optional_text(name, "--name") or country_name(code)
    if not name:
        raise BadValue(f'unknown country code "{code}"; give the name with --name')
    source = model or model_path()
    doc = store.load(source)
    meta = doc.plan.meta
    t = catalogue(meta.language)
    current = today or dt.date.today()
    notes: list[str] = []
    if start_year is not None and not 1900 <= start_year <= 2200:
        raise BadValue(f"--start-year {start_year} is not a plausible calendar year")
    if output.exists() and not force:
        raise FileExists(f"{output} already exists; use --force to overwrite it")
    label = str(output)
    title = check_text(wish.title, "title", label) if wish.title is not None else t("init.title", country=name)
    version = check_version(wish.version, label) if wish.version is not None else "1"
    contact: dict[str, str] = {}
    if wish.contact:
        contact["email"] = check_email(wish.contact, label)
    if wish.website:
        contact["website"] = check_url(wish.website, label)
    authors = [parse_author(a, label) for a in wish.authors or []]
    logo = check_logo(wish.logo, output, label) if wish.logo is not None else None
    horizon = wish.horizon if wish.horizon is not None else meta.horizon
    first = start_year if start_year is not None else current.year
    raw = doc.data["meta"]
    changes = [
        Change(("meta", "id"), meta.id, f"{code.lower()}-roadmap"),
        Change(("meta", "kind"), raw.get("kind"), "plan"),
        Change(("meta", "title"), meta.title, title),
        Change(("meta", "scope"), meta.scope, "country"),
        Change(("meta", "country"), None, {"code": code, "name": name}),
        Change(("meta", "version"), meta.version, version),
        Change(
            ("meta", "based_on"),
            None,
            {"id": meta.id, "version": meta.version, "hash": content_hash(doc.text)},
        ),
        Change(("meta", "adapted_from"), raw.get("adapted_from"), credit(doc.plan)),
    ]
    if wish.subtitle is not None and wish.subtitle.strip() != (meta.subtitle or ""):
        changes.append(Change(("meta", "subtitle"), raw.get("subtitle"), wish.subtitle.strip() or None))
    if first != meta.start_year:
        changes.append(Change(("meta", "start_year"), meta.start_year, first))
    changes += horizon_changes(doc.plan, horizon, label)
    for key, new in (("authors", authors or None), ("acknowledgements", None), ("contact", contact or None), ("logo", logo)):
        if raw.get(key) != new:
            changes.append(Change(("meta", key), raw.get(key), new))
    if raw.get("published") is not None:
        changes.append(Change(("meta", "published"), raw["published"], None))
    if start_year is None:
        notes.append(t("init.default_start", horizon=horizon, first=first, last=first + horizon - 1))
    doc.text = header(
        doc.text,
        t(
            "init.header", title=title, country=name, model=meta.title, version=meta.version,
            horizon=horizon, first=first, last=first + horizon - 1,
        ).strip().split("\n"),
    )
    with store.locked(output):
        if output.exists() and not force:
            raise FileExists(f"{output} already exists; use --force to overwrite it")
        store.commit(doc, changes, command="init", today=today, target=output)
    _translate_identity(output, code, default_title=wish.title is None, default_name=not name_given)
    return Edit(changes, doc.plan, notes=notes)


def _translate_identity(output: Path, code: str, *, default_title: bool, default_name: bool) -> None:
    """The words init made up (the default title, the country's name) in every language
    the model is translated into, so a new plan publishes whole in those languages."""
    from .countries import country_name
    from .i18n import catalogue, languages
    from .translation import Entry, fingerprint, translation_path
    from .translation_files import shipped_languages, write

    plan = store.load(output).plan
    for language in shipped_languages(plan):
        if language not in languages():
            continue
        local = country_name(code, language)
        entries = {}
        if default_name and local:
            entries["meta.country.name"] = Entry(local, fingerprint(plan.meta.country.name))
        if default_title and local:
            entries["meta.title"] = Entry(catalogue(language)("init.title", country=local), fingerprint(plan.meta.title))
        target = translation_path(output, language)
        if entries and not target.exists():
            write(target, plan, output.name, language, entries)


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
    current = today or dt.date.today()
    when = parse_date(on) or current
    if when > current:
        raise BadValue(
            f"--on {when.isoformat()} is in the future (today is {current.isoformat()}); "
            "record a status when it happens. To plan a task for later, use `roadmap shift`"
        )
    note = _optional_text(note, "--note")
    if state is Status.not_needed and not (note and note.strip()):
        raise BadValue('--status not-needed needs --note "the reason it is not needed"')

    def compute(doc: Document) -> Edit:
        changes: list[Change] = []
        notes: list[str] = []
        first_year = doc.plan.calendar_year(1)
        if state is not Status.planned and when.year < first_year:
            notes.append(
                f"{when.isoformat()} is before the plan's first year ({first_year}): "
                "recorded as done before the plan started"
            )
        for task in select(doc.plan, ids, direction=direction, stage=stage):
            if state is Status.not_needed and task.owner is not None:
                raise EditRefused(
                    f"{task.id} has an owner ({task.owner.name}); a task that is not needed has none: "
                    f"clear it first with `roadmap assign PLAN {task.id} --clear`"
                )
            old_status = _field(doc, task, "status") or Status.planned.value
            old_note = _field(doc, task, "status_note")
            new_note = note
            if note is None and old_note:
                if old_status == state.value:
                    new_note = old_note  # same status again (a new date): its reason stays
                else:
                    notes.append(
                        f'{task.id}: the note "{old_note}" went with its old status ({old_status.replace("_", " ")}) '
                        "and is dropped; the history keeps it. Give --note to write a new one"
                    )
            changes += _set(task, "status", _field(doc, task, "status"), state.value, note)
            if state is Status.planned:
                changes += _set(task, "status_date", _field(doc, task, "status_date"), None)
            else:
                changes += _set(task, "status_date", _field(doc, task, "status_date"), when.isoformat())
            changes += _set(task, "status_note", old_note, new_note)
            comments = _field(doc, task, "comments")
            kept = {c.get("text") for c in comments or [] if isinstance(c, dict)}
            if note and old_note and note != old_note and old_note not in kept:
                # the earlier note is not overwritten: it moves into the task's comments
                entry = {"date": _field(doc, task, "status_date") or when.isoformat(), "text": old_note}
                changes.append(
                    Change(("tasks", task.id, "comments", len(comments)), None, entry)
                    if comments
                    else Change(("tasks", task.id, "comments"), comments, [entry])
                )
        return Edit(changes, notes=notes)

    return _edit(path, "tick", compute, dry_run=dry_run, today=today)


def _parse_years(plan: Roadmap, year: int | None, years: str | None) -> tuple[int, int] | None:
    """Plan years from --year/--years, which take plan years (2-3) or calendar years (2025-2026).

    The two cannot be confused: plans run at most 50 years, calendar years start at 1900.
    None when neither option is given.
    """
    if year is not None and years is not None:
        raise BadValue("give either --year or --years, not both")
    if years is None and year is None:
        return None
    if years is not None:
        try:
            first, _, last = years.strip().partition("-")
            start, end = int(first), int(last or first)
        except ValueError:
            raise BadValue(
                f'--years "{years}" should look like 2-4 (plan years) or 2025-2027 (calendar years)'
            ) from None
    else:
        start = end = year  # type: ignore[assignment]
    first, last = _plan_year(plan, start), _plan_year(plan, end)
    if last < first:
        raise BadValue(f"--years {years}: the last year is before the first")
    return first, last


def _plan_year(plan: Roadmap, value: int) -> int:
    horizon = plan.meta.horizon
    first, last = plan.calendar_year(1), plan.calendar_year(horizon)
    span = f"plan years 1 to {horizon}, or calendar years {first} to {last}"
    if value >= 1900:
        if not first <= value <= last:
            raise BadValue(f"{value} is outside the plan ({first}-{last}); use {span}")
        return value - first + 1
    if not 1 <= value <= horizon:
        raise BadValue(f"year {value} is outside the plan's horizon; use {span}")
    return value


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
    stage: str | None = None,
    title: str,
    box: str | None = None,
    year: int | None = None,
    years: str | None = None,
    after: str | None = None,
    owner: str | None = None,
    ref: str | None = None,
    period_from: str | None = None,
    period_to: str | None = None,
    lead: str | None = None,
    parties: list[str] | None = None,
    target: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> list[Change]:
    """Step 1: add a task the model is missing (or a work plan's activity); it gets a
    country-prefixed id. A work plan's activity is timed with --from/--to in the plan's
    periods, or not at all."""
    from .workplan import _check_ref, parse_party, plan_period

    title = _text(title, "--title")
    box = None if box is None else _text(box, "--box")
    owner = _optional_text(owner, "--owner")
    ref = _check_ref(ref)
    lead = _optional_text(lead, "--lead") or None
    target = _optional_text(target, "--target") or None
    party_items = [parse_party(p) for p in parties or []]
    if (period_from or period_to) and (year is not None or years is not None):
        raise BadValue("give --from/--to (periods) or --year/--years (plan years), not both")

    def compute(doc: Document) -> Edit:
        plan = doc.plan
        d = find_direction(plan, direction)
        if stage is None and plan.stages:
            raise BadValue(f"{doc.label}: stages: give --stage; the stages are: " + ", ".join(f"{x.id} ({x.name})" for x in plan.stages))
        s = find_stage(plan, stage) if stage is not None else None
        if ref and any(t.ref == ref for t in plan.tasks):
            raise BadValue(f"{doc.label}: tasks: ref {ref} is already used")
        anchor = _anchor(plan, after, d) if after else None
        periods = None
        if period_from or period_to:
            first = plan_period(plan, period_from or period_to, "--from" if period_from else "--to", doc)  # type: ignore[arg-type]
            last = plan_period(plan, period_to or period_from, "--to" if period_to else "--from", doc)  # type: ignore[arg-type]
            if last < first:
                raise BadValue(f"--to {last} is before --from {first}")
            periods = (str(first), str(last))
        given = None if plan.meta.start and years is None and year is None else _parse_years(plan, year, years)
        if given is None and periods is None and not plan.meta.start:  # after a task: in the year it ends; else the first year
            given = (anchor.year_end, anchor.year_end) if anchor and anchor.year_end else (1, 1)
        start, end = given if given is not None else (None, None)
        warnings = []
        if anchor is not None and end is not None and anchor.year_start is not None and end < anchor.year_start:
            raise BadValue(
                f"a task after {anchor.id} cannot be due before {anchor.id} starts "
                f"({plan.calendar_year(anchor.year_start)}); give later --years, "
                "or leave out --after to place it in the row by its stage and years"
            )
        if anchor is not None and start is not None and anchor.year_end is not None and start < anchor.year_end:
            warnings.append(
                f"the new task starts in {plan.calendar_year(start)}, before {anchor.id} (which it follows) "
                f"ends in {plan.calendar_year(anchor.year_end)}; `roadmap validate` will say so until one moves"
            )
        task_id = new_task_id(plan, d)
        order = _box_position(plan, d, plan.stage(s).number if s else 1, start or 0, anchor)
        row = sorted((t for t in plan.tasks if t.direction == d and t.box), key=lambda t: t.box.order)
        changes = [
            Change(("tasks", t.id, "box", "order"), t.box.order, t.box.order + 1)
            for t in reversed(row)
            if t.box.order >= order
        ]
        task: dict[str, Any] = {"id": task_id}
        if ref:
            task["ref"] = ref
        task["direction"] = d
        if s is not None:
            task["stage"] = s
        task["title"] = title.strip()
        if target:
            task["target"] = target
        task["box"] = {"text": (box or title).strip(), "order": order}
        if periods is not None:
            task["start"], task["end"] = periods
        elif start is not None:
            task["year_start"], task["year_end"] = start, end
        if lead:
            task["lead"] = lead
        if party_items:
            task["parties"] = party_items
        if anchor is not None:
            task["depends_on"] = [anchor.id]
        task["status"] = "planned"
        if owner:
            task["owner"] = {"name": owner}
        task["origin"] = "added"
        changes.append(Change(("tasks", task_id), None, task))
        return Edit(changes, warnings=warnings)

    return _edit(path, "add", compute, dry_run=dry_run, today=today)


def _anchor(plan: Roadmap, after: str, direction: str) -> Task:
    """The task `add --after` names: a box in the same row (the flowchart draws the step there)."""
    anchor = find_task(plan, after)
    if anchor.direction != direction or anchor.box is None:
        raise BadValue(
            f"--after {anchor.id}: a new task follows a box in its own direction's row, "
            f"and {anchor.id} is in {plan.direction(anchor.direction).name}"
            + ("" if anchor.box else " without a flowchart box")
        )
    return anchor


def _box_position(plan: Roadmap, direction: str, stage_number: int, start: int, anchor: Task | None) -> int:
    """Where a new box goes in its row: right after --after, else after every box of an
    earlier stage or of its stage starting no later, so it is never drawn as a step after
    a task it is due before."""
    if anchor is not None:
        return anchor.box.order + 1  # type: ignore[union-attr]
    orders = [
        t.box.order
        for t in plan.tasks
        if t.direction == direction and t.box and (plan.stage(t.stage).number if t.stage else 1, t.year_start or 0) <= (stage_number, start)
    ]
    return max(orders, default=0) + 1


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
        if task.box is not None:  # close the gap it leaves in its row, as `add` opened it
            changes += [
                Change(("tasks", t.id, "box", "order"), t.box.order, t.box.order - 1)
                for t in sorted(doc.plan.tasks, key=lambda t: t.box.order if t.box else 0)
                if t.direction == task.direction and t.box and t.box.order > task.box.order
            ]
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
    horizon: int | None = None,
    cascade: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Edit:
    """Step 2: move tasks by N years, or re-anchor the whole plan on a new first year,
    or make it longer or shorter (--horizon; shorter only while every task still fits)."""
    if start_year is not None or horizon is not None:
        if by is not None or ids or direction or stage or every:
            raise BadValue("--start-year and --horizon change the whole plan; give them without tasks or --by")

        def anchor(doc: Document) -> list[Change]:
            from .identity import horizon_changes

            changes: list[Change] = []
            if start_year is not None:
                if not 1900 <= start_year <= 2200:
                    raise BadValue(f"--start-year {start_year} is not a plausible calendar year")
                if doc.plan.meta.start_year != start_year:
                    changes.append(Change(("meta", "start_year"), doc.plan.meta.start_year, start_year))
            if horizon is not None:
                changes += horizon_changes(doc.plan, horizon, doc.label)
            return changes

        return _edit(path, "shift", anchor, dry_run=dry_run, today=today)
    if by is None:
        raise BadValue("say how far to move: --by N (years, negative to bring forward)")

    def compute(doc: Document) -> Edit:
        from .sequence import links, push

        plan = doc.plan
        chosen = select(plan, ids, direction=direction, stage=stage, every=every)
        period_changes = _shift_periods(plan, [t for t in chosen if t.start is not None], by)
        chosen = [t for t in chosen if t.year_start is not None]
        years = {t.id: (t.year_start + by, t.year_end + by) for t in chosen}
        notes: list[str] = []
        if cascade:
            for task_id, (start, end, link) in push(plan, years).items():
                years[task_id] = (start, end)
                row = plan.direction(plan.task(task_id).direction).name
                how = f"follows {link.before} in the {row} row" if link.in_row else f"depends on {link.before}"
                notes.append(
                    f"{task_id} moves along to {_span(plan, start, end)}: it {how} and would otherwise start "
                    f"before {link.before} ends (--cascade)"
                )
        horizon = plan.meta.horizon
        changes: list[Change] = []
        for t in plan.tasks:
            if t.id not in years:
                continue
            start, end = years[t.id]
            if start < 1 or end > horizon:
                raise BadValue(
                    f"{t.id} would move to {plan.calendar_year(start)}-{plan.calendar_year(end)}, "
                    f"outside the plan's horizon {plan.calendar_year(1)}-{plan.calendar_year(horizon)}"
                    + ("" if t.id in {c.id for c in chosen} else " (it would move along with --cascade)")
                )
            changes += _set(t, "year_start", t.year_start, start)
            changes += _set(t, "year_end", t.year_end, end)
        return Edit(period_changes + changes, notes=notes, warnings=_broken_links(plan, links(plan), years))

    return _edit(path, "shift", compute, dry_run=dry_run, today=today)


def _shift_periods(plan: Roadmap, tasks: list[Task], by: int) -> list[Change]:
    """Tasks timed in periods move by periods of the plan's unit (a quarter by quarters)."""
    from .periods import Period

    if not tasks:
        return []
    periods = plan.periods()
    first, last = periods[0], periods[-1]
    changes: list[Change] = []
    for t in tasks:
        start, end = Period.parse(t.start).shift(by), Period.parse(t.end).shift(by)
        if start < first or last < end:
            raise BadValue(f"{t.id} would move to {start}\u2013{end}, outside the plan ({first} to {last})")
        changes += _set(t, "start", t.start, str(start))
        changes += _set(t, "end", t.end, str(end))
    return changes


def _span(plan: Roadmap, start: int, end: int) -> str:
    first, last = plan.calendar_year(start), plan.calendar_year(end)
    return str(first) if first == last else f"{first}-{last}"


def _broken_links(plan: Roadmap, pairs: list[Any], years: dict[str, tuple[int, int]]) -> list[str]:
    """Steps that were in order before the move and no longer are (the order the Green
    Paper itself gives, even where it runs back in time, is left alone)."""
    from .sequence import in_order

    tasks = {t.id: t for t in plan.tasks}
    out = []
    for link in pairs:
        if link.before not in years and link.after not in years:
            continue
        first, then = tasks[link.before], tasks[link.after]
        new_end = years.get(first.id, (first.year_start, first.year_end))[1]
        new_start = years.get(then.id, (then.year_start, then.year_end))[0]
        if in_order(first, then) and new_start < new_end:
            how = "follows it in its row" if link.in_row else "depends on it"
            out.append(
                f"{then.id} would start in {plan.calendar_year(new_start)}, before {first.id} ends in "
                f"{plan.calendar_year(new_end)} ({then.id} {how}); use --cascade to move what follows along"
            )
    return out


def assign(
    path: Path,
    ids: list[str],
    *,
    owner: str | None = None,
    org: str | None = None,
    contact: str | None = None,
    clear: bool = False,
    direction: str | None = None,
    stage: str | None = None,
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
        chosen = select(doc.plan, ids, direction=direction, stage=stage)
        if value is not None and (direction or stage):  # a whole row or column: skip what needs no owner
            chosen = [t for t in chosen if t.id.lower() in {i.lower() for i in ids} or t.status is not Status.not_needed]
        for task in chosen:
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
