"""Programme work plans: a blank plan, its outputs and stages, budget lines, indicators,
dated values and comments, as Changes through the store (like adapt.py's steps).

A work plan is the same plan format as the Green Paper's: outputs are directions, its
activities are tasks timed in periods (quarters, months or years) with a lead agency,
responsible parties, an annual target and budget lines in the plan's one currency.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import store
from .adapt import _edit, _optional_text, _text, find_task, parse_date
from .changes import Change, Edit
from .errors import BadValue, FileExists, UnknownId
from .model import Direction, Roadmap, Task
from .money import MoneyError, is_currency, parse_amount, too_precise
from .periods import Period, PeriodError
from .store import Document
from .yamltext import get_path


def parse_period(text: str, flag: str) -> Period:
    try:
        return Period.parse(text)
    except PeriodError as exc:
        raise BadValue(f"{flag}: {exc}") from None


def plan_period(plan: Roadmap, text: str, flag: str, label: str | Document) -> Period:
    """A period of the plan's granularity, inside the plan (`label`: the plan, for messages)."""
    if isinstance(label, Document):
        label = _line(label, ("meta", "end"))
    value = parse_period(text, flag)
    if not plan.meta.start:
        raise BadValue(f"{label}: {flag} {value}: this plan is timed in plan years; use --year or --years")
    first, last = plan.periods()[0], plan.periods()[-1]
    if value.unit != first.unit:
        raise BadValue(f"{label}: meta.start: {flag} {value} is a {value.unit}; this plan is timed in {first.unit}s, e.g. {first}")
    if not first <= value <= last:
        raise BadValue(f"{label}: meta.end: {flag} {value} is outside the plan ({first} to {last})")
    return value


def parse_money(plan: Roadmap, text: str, label: str, flag: str = "--amount") -> Decimal:
    try:
        amount = parse_amount(text)
    except MoneyError as exc:
        raise BadValue(f"{label}: {flag}: {exc}") from None
    currency = plan.meta.currency
    if currency is None:
        raise BadValue(f"{label}: meta.currency: the plan has no currency; set it (e.g. USD) before adding amounts")
    why = too_precise(amount, currency)
    if why:
        raise BadValue(f"{label}: {flag}: {why}")
    return amount


def _line(doc: Document, path: tuple[Any, ...]) -> str:
    """FILE:LINE of a place in the plan, for messages about bad input."""
    from .yamltext import Locator

    where = Locator(doc.text, doc.data).line_of(path)
    return f"{doc.label}:{where[0]}" if where else doc.label


# ---------------------------------------------------------------------------------------
# new


def new(
    output: Path,
    *,
    title: str,
    start: str,
    end: str,
    country: str | None = None,
    currency: str | None = "USD",
    categories: list[str] | None = None,
    sources: list[str] | None = None,
    force: bool = False,
    today: dt.date | None = None,
) -> Edit:
    """A blank plan timed from --start to --end (years, quarters or months), no tasks."""
    from .countries import country_name

    title = _text(title, "--title")
    first, last = parse_period(start, "--start"), parse_period(end, "--end")
    if first.unit != last.unit:
        raise BadValue(f"--start {first} and --end {last} must both be {first.unit}s")
    if last < first:
        raise BadValue(f"--end {last} is before --start {first}")
    if last.year - first.year >= 50:
        raise BadValue(f"--start {first} to --end {last} is more than 50 years")
    meta: dict[str, Any] = {"id": _slug(output.stem), "kind": "plan", "title": title}
    if country:
        code = country.strip().upper()
        name = country_name(code) if len(code) == 2 and code.isalpha() else None
        if not name:
            raise BadValue(f'"{country}" is not a country code; use the ISO 3166-1 alpha-2 code, e.g. KG')
        meta["scope"] = "country"
        meta["country"] = {"code": code, "name": name}
    else:
        meta["scope"] = "region"
    meta["version"] = "1"
    meta["start"] = str(first)
    meta["end"] = str(last)
    if currency:
        code = currency.strip().upper()
        if not is_currency(code):
            raise BadValue(f'--currency "{currency}" is not an ISO 4217 currency code (USD, EUR, KGS...)')
        meta["currency"] = code
    changes = [Change(("meta",), None, meta)]
    budget: dict[str, Any] = {}
    if categories:
        budget["categories"] = [_text(c, "--category") for c in categories]
    if sources:
        budget["sources"] = [_text(s, "--source") for s in sources]
    if budget:
        changes.append(Change(("budget",), None, budget))
    told = list(changes)
    # the rows and the activities come before the history in the file
    changes += [Change(("directions",), None, []), Change(("tasks",), None, [])]
    text = "# yaml-language-server: $schema=roadmap.schema.json\n" + f"# {title}\n" + 'schema_version: "1"\n'
    doc = Document(output, str(output), text, {"schema_version": "1"}, None, [])  # type: ignore[arg-type]
    with store.locked(output):
        if output.exists() and not force:
            raise FileExists(f"{output} already exists; use --force to overwrite it")
        store.commit(doc, changes, command="new", today=today, target=output)
    return Edit(told, store.load(output).plan)


def _slug(stem: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-")
    if not slug or not slug[0].isalpha():
        slug = "plan-" + slug
    return slug[:40].strip("-") or "plan"


# ---------------------------------------------------------------------------------------
# structure: outputs (directions) and stages


def _check_id(value: str, flag: str) -> str:
    from .model import Id  # noqa: F401  (the pattern below is the model's)

    value = value.strip()
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*", value) or len(value) > 40:
        raise BadValue(f'{flag} "{value}" is not an id: a letter, then letters, digits, _ or -, e.g. OUT1')
    return value


def _check_ref(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not re.fullmatch(r"[0-9A-Za-z]+([.][0-9A-Za-z]+)*", value):
        raise BadValue(f'--ref "{value}" is not a number like 1.1 or 2.2.6')
    return value


def direction_add(
    path: Path, *, id: str, name: str, ref: str | None = None, outcome: str | None = None,
    dry_run: bool = False, today: dt.date | None = None,
) -> Edit:
    """A new direction (a work plan's output) at the end of the rows."""
    key, name, ref = _check_id(id, "--id"), _text(name, "--name"), _check_ref(ref)
    outcome = _optional_text(outcome, "--outcome")

    def compute(doc: Document) -> list[Change]:
        plan = doc.plan
        if any(d.id.lower() == key.lower() for d in plan.directions):
            raise BadValue(f'{doc.label}: directions: there is already a direction "{key}"')
        if ref and any(d.ref == ref for d in plan.directions):
            raise BadValue(f"{doc.label}: directions: ref {ref} is already used")
        item: dict[str, Any] = {"id": key, "number": max((d.number for d in plan.directions), default=0) + 1}
        if ref:
            item["ref"] = ref
        item["name"] = name
        if outcome:
            item["outcome"] = outcome
        return [Change(("directions", key), None, item)]

    return _edit(path, "direction add", compute, dry_run=dry_run, today=today)


def stage_add(path: Path, *, id: str, name: str, dry_run: bool = False, today: dt.date | None = None) -> Edit:
    key, name = _check_id(id, "--id"), _text(name, "--name")

    def compute(doc: Document) -> list[Change]:
        plan = doc.plan
        if any(s.id.lower() == key.lower() for s in plan.stages):
            raise BadValue(f'{doc.label}: stages: there is already a stage "{key}"')
        item = {"id": key, "number": max((s.number for s in plan.stages), default=0) + 1, "name": name}
        return [Change(("stages", key), None, item)]

    return _edit(path, "stage add", compute, dry_run=dry_run, today=today)


def parse_party(text: str) -> dict[str, str]:
    """NAME[:ROLE], e.g. "Ministry of Culture:responsible party"."""
    name, _, role = text.partition(":")
    party = {"name": _text(name, "--party")}
    if role.strip():
        party["role"] = role.strip()
    return party


# ---------------------------------------------------------------------------------------
# budget lines and stated totals


def budget_add(
    path: Path, task_id: str, *, amount: str, category: str, source: str | None = None, note: str | None = None,
    dry_run: bool = False, today: dt.date | None = None,
) -> Edit:
    category = _text(category, "--category")
    source = _optional_text(source, "--source") or None
    note = _optional_text(note, "--note") or None

    def compute(doc: Document) -> list[Change]:
        plan = doc.plan
        task = find_task(plan, task_id)
        value = parse_money(plan, amount, _line(doc, ("meta", "currency")))
        listed = plan.budget.categories if plan.budget else []
        if listed and category not in listed:
            match = next((c for c in listed if c.casefold() == category.casefold()), None)
            if match is None:
                raise BadValue(f'{_line(doc, ("budget", "categories"))}: budget.categories: unknown category "{category}"; the plan lists: {", ".join(listed)}')
        chosen = next((c for c in listed if c.casefold() == category.casefold()), category)
        sources = plan.budget.sources if plan.budget else []
        if source and sources and source not in sources:
            raise BadValue(f'{_line(doc, ("budget", "sources"))}: budget.sources: unknown source "{source}"; the plan lists: {", ".join(sources)}')
        line: dict[str, Any] = {"amount": f"{value:f}", "category": chosen}
        if source:
            line["source"] = source
        if note:
            line["note"] = note
        return _append(doc, ("tasks", task.id, "budget"), line)

    return _edit(path, "budget add", compute, dry_run=dry_run, today=today)


def _append(doc: Document, path: tuple[Any, ...], item: Any) -> list[Change]:
    """Add an item at the end of a list, creating the list when there is none."""
    current = get_path(doc.data, path)
    if not current:
        return [Change(path, current, [item])]
    return [Change((*path, len(current)), None, item)]


def budget_total(
    path: Path, *, amount: str, category: str | None = None, direction: str | None = None, source: str | None = None,
    dry_run: bool = False, today: dt.date | None = None,
) -> Edit:
    """State a total the plan's table gives; the plan is refused when it does not add up."""
    if sum(x is not None for x in (category, direction, source)) > 1:
        raise BadValue("give at most one of --category, --direction, --source (none: the overall total)")

    def compute(doc: Document) -> list[Change]:
        plan = doc.plan
        value = f"{parse_money(plan, amount, _line(doc, ('meta', 'currency'))):f}"
        if category is not None:
            where: tuple[Any, ...] = ("budget", "stated", "categories", _text(category, "--category"))
        elif direction is not None:
            where = ("budget", "stated", "directions", find_direction_or_ref(plan, direction))
        elif source is not None:
            where = ("budget", "stated", "sources", _text(source, "--source"))
        else:
            where = ("budget", "stated", "overall")
        changes: list[Change] = []
        for depth in range(1, len(where)):  # create the mappings on the way
            if get_path(doc.data, where[:depth]) is None:
                return [Change(where[:depth], None, _nest(where[depth:], value))]
        old = get_path(doc.data, where)
        if old != value:
            changes.append(Change(where, old, value))
        return changes

    return _edit(path, "budget total", compute, dry_run=dry_run, today=today)


def _nest(keys: tuple[Any, ...], value: Any) -> Any:
    for key in reversed(keys):
        value = {key: value}
    return value


def find_direction_or_ref(plan: Roadmap, word: str) -> str:
    for d in plan.directions:
        if d.ref and d.ref == word.strip():
            return d.id
    from .adapt import find_direction

    return find_direction(plan, word)


# ---------------------------------------------------------------------------------------
# indicators


def _holder(plan: Roadmap, word: str) -> tuple[tuple[Any, ...], Task | Direction]:
    """A task (by id or ref) or a direction (by id, ref or name): whose indicators."""
    try:
        task = find_task(plan, word)
        return ("tasks", task.id, "success_indicators"), task
    except UnknownId:
        pass
    try:
        key = find_direction_or_ref(plan, word)
    except UnknownId:
        raise UnknownId(f'no task or direction "{word}" in this plan; `roadmap status PLAN` lists them') from None
    return ("directions", key, "indicators"), plan.direction(key)


def _value(text: str | None, flag: str) -> str | None:
    """An indicator value as typed: kept as text (58, 12.5%, "55 micro, 3 small")."""
    if text is None:
        return None
    return _text(text, flag)


def indicator_add(
    path: Path, holder: str, *, text: str, unit: str | None = None, baseline: str | None = None,
    target: str | None = None, target_date: str | None = None, dry_run: bool = False, today: dt.date | None = None,
) -> Edit:
    item: dict[str, Any] = {"text": _text(text, "--text")}
    for key, value, flag in (("unit", unit, "--unit"), ("baseline", baseline, "--baseline"), ("target", target, "--target")):
        if value is not None:
            item[key] = _value(value, flag)
    when = parse_date(target_date, what="date for --target-date")
    if when is not None:
        item["target_date"] = when.isoformat()

    def compute(doc: Document) -> list[Change]:
        where, _ = _holder(doc.plan, holder)
        return _append(doc, where, item)

    return _edit(path, "indicator add", compute, dry_run=dry_run, today=today)


def indicator_record(
    path: Path, holder: str, number: int, *, actual: str, on: str | None = None, note: str | None = None,
    dry_run: bool = False, today: dt.date | None = None,
) -> Edit:
    current = today or dt.date.today()
    when = parse_date(on, what="date for --on") or current
    if when > current:
        raise BadValue(f"--on {when.isoformat()} is in the future (today is {current.isoformat()}); record a value once it is measured")
    value: dict[str, Any] = {"date": when.isoformat(), "actual": _value(actual, "--actual")}
    note = _optional_text(note, "--note")
    if note:
        value["note"] = note

    def compute(doc: Document) -> list[Change]:
        where, owner = _holder(doc.plan, holder)
        items = get_path(doc.data, where) or []
        if not 1 <= number <= len(items):
            have = f"has {len(items)} indicator{'s' if len(items) != 1 else ''}" if items else "has no indicators"
            raise UnknownId(f"{_line(doc, where if items else where[:2])}: {where[-1]}: there is no indicator {number}: {owner.id} {have}")
        item = items[number - 1]
        if isinstance(item, str):  # a plain-text indicator gains its values
            return [Change((*where, number - 1), item, {"text": item, "values": [value]})]
        return _append(doc, (*where, number - 1, "values"), value)

    return _edit(path, "indicator record", compute, dry_run=dry_run, today=today)


# ---------------------------------------------------------------------------------------
# comments


def comment(
    path: Path, task_id: str, text: str, *, by: str | None = None, on: str | None = None,
    dry_run: bool = False, today: dt.date | None = None,
) -> Edit:
    when = parse_date(on, what="date for --on") or today or dt.date.today()
    item: dict[str, Any] = {"date": when.isoformat()}
    by = _optional_text(by, "--by")
    if by:
        item["by"] = by
    item["text"] = _text(text, "TEXT")

    def compute(doc: Document) -> list[Change]:
        task = find_task(doc.plan, task_id)
        return _append(doc, ("tasks", task.id, "comments"), item)

    return _edit(path, "comment", compute, dry_run=dry_run, today=today)
