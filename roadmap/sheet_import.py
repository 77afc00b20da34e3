"""`import-sheet`: an edited export read back as Changes, handed to the store.

The sheet is one more source of Changes, not a second writer. Each cell is compared
three ways: with the plan at export (rebuilt by taking back the history recorded since;
the identity sheet says how much there was and the content hash proves the rebuild),
with the plan now, and with the sheet. A cell only the sheet changed is taken; one only
the plan changed is kept; one both changed is a conflict, reported and not written.
A CSV carries no identity: it is compared with the plan as it is now.

Whatever cannot be understood is refused with its sheet, row and column, and nothing is
written (or, with skip_bad_rows, that row is left out and listed).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import store
from .changes import Change, Edit, PathError, apply_to_data
from .errors import BadValue
from .i18n import Catalogue, catalogue, languages
from .model import Roadmap, Status
from .sheet import BY_KEY, KEYS, STATUSES, budget_line, cells, column_title, content_hash, direction_word, stage_word, status_word
from .store import Document

_LINE = re.compile(r"^\s*(\d+)\s*[:.)]\s?(.*)$")


@dataclass
class Sheet:
    """The rows of an edited export, as text (and dates), keyed by column."""

    file: str
    name: str
    columns: dict[str, int]  # key -> 1-based column number
    rows: list[tuple[int, dict[str, Any]]]  # (row number, cells)
    identity: dict[str, str] | None


@dataclass
class Refusal:
    row: int | None
    column: str | None
    message: str


@dataclass
class Found:
    changes: list[Change] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Reading the file


def _titles() -> dict[str, str]:
    """Every spelling of a column header: its title in each language, and its key."""
    out: dict[str, str] = {}
    for lang in languages():
        t = catalogue(lang)
        for key in KEYS:
            out[_fold(column_title(t, key))] = key
    for key in KEYS:
        out[_fold(key)] = key
    return out


def _fold(text: Any) -> str:
    return " ".join(str(text or "").split()).casefold()


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _cell(value: Any) -> Any:
    """A cell as text (dates stay dates): what LibreOffice, Excel and a CSV all give back."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n").strip()


def read(path: Path) -> Sheet:
    if not path.is_file():
        raise BadValue(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    return _read_xlsx(path)


def _header(file: str, name: str, values: list[Any]) -> dict[str, int]:
    known = _titles()
    columns: dict[str, int] = {}
    for c, value in enumerate(values, 1):
        if _cell(value) == "":
            continue
        key = known.get(_fold(_cell(value)))
        if key is None:
            raise BadValue(
                f'{file}: sheet "{name}", row 1, column {_letter(c)}: unknown column "{value}"; '
                "the columns are those `roadmap export` writes"
            )
        if key in columns:
            raise BadValue(f'{file}: sheet "{name}", row 1, column {_letter(c)}: column "{value}" appears twice')
        columns[key] = c
    if "id" not in columns:
        raise BadValue(f'{file}: sheet "{name}", row 1: no id column; import a sheet made by `roadmap export`')
    return columns


def _read_csv(path: Path) -> Sheet:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadValue(f"{path}: not UTF-8 text; save the CSV as UTF-8 and try again") from None
    table = list(csv.reader(io.StringIO(text)))
    if not table:
        raise BadValue(f"{path}: the file is empty")
    name = path.name
    columns = _header(str(path), name, table[0])
    rows = []
    for r, values in enumerate(table[1:], 2):
        row = {}
        for key, c in columns.items():
            value = values[c - 1] if c - 1 < len(values) else ""
            if value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r"):
                value = value[1:]  # the quote `roadmap export` put in front of a formula-like cell
            row[key] = _cell(value)
        rows.append((r, row))
    return Sheet(str(path), name, columns, rows, None)


def _read_xlsx(path: Path) -> Sheet:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise BadValue(f"{path}: not an Excel workbook ({exc}); give the .xlsx `roadmap export` wrote, or a .csv") from None
    try:
        sheets = book.worksheets
        first = sheets[0]
        table = [list(row) for row in first.iter_rows(values_only=True)]
        identity = _identity(sheets[1]) if len(sheets) > 1 else None
    finally:
        book.close()
    if not table:
        raise BadValue(f'{path}: sheet "{first.title}" is empty')
    columns = _header(str(path), first.title, table[0])
    rows = []
    for r, values in enumerate(table[1:], 2):
        rows.append((r, {key: _cell(values[c - 1] if c - 1 < len(values) else None) for key, c in columns.items()}))
    return Sheet(str(path), first.title, columns, rows, identity)


def _identity(sheet: Any) -> dict[str, str] | None:
    found: dict[str, str] = {}
    for row in sheet.iter_rows(min_col=1, max_col=2, values_only=True):
        if len(row) >= 2 and row[0] in ("file", "plan", "model", "content_hash", "exported", "history"):
            found[str(row[0])] = str(_cell(row[1]))
    return found if "content_hash" in found and "history" in found else None


# ---------------------------------------------------------------------------------------
# The plan when the sheet was exported


def base_plan(doc: Document, identity: dict[str, str] | None) -> tuple[Roadmap | None, list[dict[str, Any]]]:
    """The plan as exported, and the history entries recorded since; None when it cannot
    be rebuilt (edited by hand since, or another file): every difference is then a conflict."""
    from .history import from_history

    history = doc.data.get("history") or []
    if identity is None:
        return doc.plan, []
    try:
        count = int(identity["history"])
    except ValueError:
        return None, []
    if identity["content_hash"] == content_hash(doc.data) and count == len(history):
        return doc.plan, []
    if count > len(history):
        return None, []
    since = history[count:]
    data = doc.data
    try:
        for entry in reversed(since):
            c = from_history(entry)
            data = apply_to_data(data, Change(c.path, c.new, c.old))
    except (PathError, KeyError, IndexError, TypeError, ValueError):
        return None, since
    if content_hash(data) != identity["content_hash"]:
        return None, since
    try:
        return Roadmap.model_validate(data), since
    except Exception:  # noqa: BLE001 - a rebuild that does not validate is no base
        return None, since


# ---------------------------------------------------------------------------------------
# Sheet cells -> Changes


class _Bad(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _clean(value: Any, key: str) -> str:
    from .yamltext import FORBIDDEN, character_name

    text = _text(value)
    match = FORBIDDEN.search(text)
    if match is not None:
        raise _Bad(key, f"holds {character_name(match.group())}; retype the text")
    return text


def _status(value: Any, t: Catalogue) -> Status:
    from .adapt import parse_status

    word = _fold(value)
    for lang in languages():
        c = catalogue(lang)
        for s in STATUSES:
            if _fold(status_word(c, s)) == word:
                return s
    try:
        return parse_status(str(value))
    except BadValue:
        names = ", ".join(status_word(t, s) for s in STATUSES)
        raise _Bad("status", f'unknown status "{value}"; choose one of: {names}') from None


def _date(value: Any, key: str, today: dt.date) -> str | None:
    if value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise _Bad(key, f'"{value}" is not a date; write it as YYYY-MM-DD, e.g. 2026-03-31') from None
    if value > today:
        raise _Bad(key, f"{value.isoformat()} is in the future (today is {today.isoformat()}); record a status when it happens")
    return value.isoformat()


def _lines(value: Any, key: str, *, single: bool = False) -> dict[int, str]:
    """Numbered lines ("2: 58"); a bare value when the task has a single item."""
    out: dict[int, str] = {}
    text = _text(value).strip()
    if single and text and "\n" not in text and _LINE.match(text) is None:
        return {1: text}
    for line in text.split("\n"):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise _Bad(key, f'"{line.strip()}": start each line with the number of its item, e.g. "1: 58"')
        out[int(match.group(1))] = match.group(2).strip()
    return out


def _direction(plan: Roadmap, value: Any) -> str:
    from .adapt import find_direction
    from .errors import UnknownId

    for d in plan.directions:
        if _fold(direction_word(plan, d.id)) == _fold(value):
            return d.id
    try:
        return find_direction(plan, str(value))
    except UnknownId:
        names = "; ".join(direction_word(plan, d.id) for d in plan.directions)
        raise _Bad("direction", f'direction "{value}" does not exist; the directions are: {names}') from None


def _stage(plan: Roadmap, value: Any) -> str:
    from .adapt import find_stage
    from .errors import UnknownId

    for s in plan.stages:
        if _fold(stage_word(plan, s.id)) == _fold(value):
            return s.id
    number = re.match(r"^\s*(\d+)[.)]\s", str(value))  # "2. Building trust": the number the list gives it
    if number is not None and any(str(s.number) == number.group(1) for s in plan.stages):
        return next(s.id for s in plan.stages if str(s.number) == number.group(1))
    try:
        return find_stage(plan, str(value))
    except UnknownId:
        names = "; ".join(stage_word(plan, s.id) for s in plan.stages)
        raise _Bad("stage", f'stage "{value}" does not exist; the stages are: {names}') from None


def _comparable(value: Any) -> str:
    """A cell as compared: dates as ISO text, text as `_cell` reads it back."""
    value = _cell(value)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def compute(doc: Document, sheet: Sheet, *, today: dt.date, lang: str | None = None) -> Found:
    plan = doc.plan
    t = catalogue(lang or plan.meta.language)
    found = Found()
    base, _since = base_plan(doc, sheet.identity)
    known = {task.id: task for task in plan.tasks}
    data_of = {item["id"]: item for item in doc.data["tasks"]}
    base_tasks = {task.id: i for i, task in enumerate(base.tasks)} if base is not None else {k: i for i, k in enumerate(known)}
    seen: dict[str, int] = {}
    taken = set(known)
    new_boxes: dict[str, int] = {}
    added: dict[str, Any] | None = None
    for r, row in sheet.rows:
        task_id = _text(row.get("id", "")).strip()
        if not task_id:
            if any(_comparable(v) for k, v in row.items()):
                if added is None:  # the plan's own tasks by title, found once
                    added = {}
                    for x in plan.tasks:
                        if x.origin.value == "added":
                            added.setdefault(_fold(x.title), x)
                same = added.get(_fold(row.get("title")))
                if same is not None:  # the same sheet imported again
                    found.notes.append(f"row {r}: the plan already has {same.id} \u201c{same.title}\u201d; not added again")
                    continue
                try:
                    found.changes += _new_task(plan, row, t, today, taken, new_boxes)
                except _Bad as bad:
                    found.refused.append(Refusal(r, bad.column, bad.message))
            continue
        if task_id in seen:
            found.refused.append(Refusal(r, "id", f"{task_id} is already in row {seen[task_id]}; each task has one row"))
            continue
        seen[task_id] = r
        task = known.get(task_id)
        if task is None:
            found.refused.append(Refusal(r, "id", f'no task "{task_id}" in the plan; leave the id empty to add a new task'))
            continue
        ours = cells(plan, task, t)
        was = None
        if base is plan:
            was = ours  # the plan has not changed since the export
        elif base is not None:
            if task_id in base_tasks:
                was = cells(base, base.tasks[base_tasks[task_id]], t)
            else:
                was = ours  # added to the plan after the export: the sheet cannot have it
        elif sheet.identity is None:
            was = ours
        try:
            changes, conflicts = _task_changes(doc, task, data_of[task_id], row, ours, was, t, today)
        except _Bad as bad:
            found.refused.append(Refusal(r, bad.column, bad.message))
            continue
        found.changes += changes
        found.conflicts += conflicts
    for task_id, index in base_tasks.items():
        if task_id not in seen and task_id in known:
            found.refused.append(
                Refusal(None, "id", f"task {task_id} has no row (row {index + 2} when exported); "
                        "put its row back, or remove the task with `roadmap remove`")
            )
    return found


def _task_changes(
    doc: Document, task: Any, task_data: dict[str, Any], row: dict[str, Any], ours: dict[str, Any],
    was: dict[str, Any] | None, t: Catalogue, today: dt.date,
) -> tuple[list[Change], list[str]]:
    """Which cells the sheet changed (taken), which both changed (conflicts); `task_data`:
    the task as plain data."""
    wanted: dict[str, Any] = {}
    conflicts: list[str] = []
    for key, theirs in row.items():
        if key == "new_comment":
            if theirs != "":
                wanted[key] = theirs
            continue
        said = _comparable(theirs)
        mine = _comparable(ours[key])
        if said == mine:
            continue  # the sheet says what the plan says
        then = mine if was is ours else _comparable(was[key]) if was is not None else None
        if said == then:
            continue  # the sheet did not change it
        if then is not None and mine != then:
            conflicts.append(
                f'{task.id} {column_title(t, key)}: changed in the plan (to "{mine}") and in the sheet '
                f'(to "{said}") since the export; the plan\'s value is kept'
            )
            continue
        if then is None:  # no base to tell who changed it
            conflicts.append(
                f'{task.id} {column_title(t, key)}: the plan says "{mine}", the sheet "{said}", and the plan '
                "changed outside roadmap since the export; the plan's value is kept"
            )
            continue
        column = BY_KEY[key]
        if not column.editable:
            raise _Bad(key, f'"{said}": this column is not for editing here (it was "{mine}")')
        wanted[key] = theirs
    if not wanted:
        return [], conflicts
    data = task_data
    changes: list[Change] = []

    def put(field: str, new: Any) -> None:
        old = data.get(field)
        if old != new:
            changes.append(Change(("tasks", task.id, field), old, new))

    if "title" in wanted:
        title = _clean(wanted["title"], "title")
        if not title:
            raise _Bad("title", "a task needs a title")
        put("title", title)
    status = None
    if "status" in wanted:
        if wanted["status"] == "":
            raise _Bad("status", "the status is empty; choose one from the list")
        status = _status(wanted["status"], t)
        put("status", status.value)
    if "status_date" in wanted:
        put("status_date", _date(wanted["status_date"], "status_date", today))
    elif status is not None:
        put("status_date", None if status is Status.planned else today.isoformat())
    if "status_note" in wanted:
        put("status_note", _clean(wanted["status_note"], "status_note") or None)
    if status is Status.not_needed and not (data.get("status_note") or wanted.get("status_note")):
        raise _Bad("status", 'a task that is not needed needs a reason: write it in the status note column')
    if status is Status.not_needed and (_clean(wanted["owner"], "owner") if "owner" in wanted else ours["owner"]):
        raise _Bad("status", "a task that is not needed has no owner: empty its responsible person, organisation and contact in this row")
    if {"owner", "organisation", "contact"} & set(wanted):
        values = {k: _clean(wanted[k], k) if k in wanted else _comparable(ours[k]) for k in ("owner", "organisation", "contact")}
        if not values["owner"] and (values["organisation"] or values["contact"]):
            raise _Bad("owner", "name the responsible person (or empty the organisation and contact too)")
        owner = None
        if values["owner"]:
            owner = {"name": values["owner"]}
            if values["organisation"]:
                owner["organisation"] = values["organisation"]
            if values["contact"]:
                owner["contact"] = values["contact"]
        put("owner", owner)
    if "lead" in wanted:
        put("lead", _clean(wanted["lead"], "lead") or None)
    if "parties" in wanted:
        put("parties", _parties(wanted["parties"]) or None)
    if "expected_results" in wanted:
        results = [line.strip() for line in _clean(wanted["expected_results"], "expected_results").split("\n") if line.strip()]
        put("expected_results", results or None if data.get("expected_results") is None else results)
    if "actual" in wanted:
        changes += _actuals(task, data, wanted["actual"], ours["actual"], today)
    if "budget" in wanted:
        changes += _budget(doc, task, data, wanted["budget"])
    if "new_comment" in wanted and any(
        isinstance(c, dict) and _fold(c.get("text")) == _fold(wanted["new_comment"]) for c in data.get("comments") or []
    ):
        del wanted["new_comment"]  # already made (the same sheet imported again)
    if "new_comment" in wanted:
        text = _clean(wanted["new_comment"], "new_comment")
        item = {"date": today.isoformat(), "text": text}
        comments = data.get("comments")
        changes.append(
            Change(("tasks", task.id, "comments", len(comments)), None, item) if comments
            else Change(("tasks", task.id, "comments"), comments, [item])
        )
    return changes, conflicts


def _parties(value: Any) -> list[dict[str, str]]:
    """One party a line, "Name: role" or "Name", as the export writes them."""
    parties = []
    for line in _clean(value, "parties").split("\n"):
        name, _, role = line.partition(":")
        if not name.strip():
            if role.strip():
                raise _Bad("parties", f'"{line.strip()}": write the name of the party before the colon')
            continue
        party = {"name": name.strip()}
        if role.strip():
            party["role"] = role.strip()
        parties.append(party)
    return parties


def _actuals(task: Any, data: dict[str, Any], theirs: Any, ours: str, today: dt.date) -> list[Change]:
    items = data.get("success_indicators") or []
    new, old = _lines(theirs, "actual", single=len(items) == 1), _lines(ours, "actual")
    changes = []
    for number, value in sorted(new.items()):
        if value == old.get(number, ""):
            continue
        if not 1 <= number <= len(items):
            raise _Bad("actual", f"line {number}: the task has {len(items)} indicator(s)")
        if value == "":
            raise _Bad("actual", f"line {number}: a recorded value cannot be taken back here")
        item = items[number - 1]
        measured = {"date": today.isoformat(), "actual": _clean(value, "actual")}
        where = ("tasks", task.id, "success_indicators", number - 1)
        if isinstance(item, str):
            changes.append(Change(where, item, {"text": item, "values": [measured]}))
        elif item.get("values"):
            changes.append(Change((*where, "values", len(item["values"])), None, measured))
        else:
            changes.append(Change((*where, "values"), item.get("values"), [measured]))
    return changes


def _budget(doc: Document, task: Any, data: dict[str, Any], theirs: Any) -> list[Change]:
    from .workplan import parse_money

    lines = data.get("budget") or []
    new = _lines(theirs, "budget")
    if sorted(new) != list(range(1, len(lines) + 1)):
        raise _Bad("budget", f"keep one numbered line per budget line ({len(lines)}); add lines with `roadmap budget add`")
    changes = []
    for number, text in sorted(new.items()):
        line = lines[number - 1]
        amount, _, rest = text.partition("|")
        expected = budget_line(line["amount"], line["category"], line.get("source")).partition("|")[2]
        if _fold(rest) != _fold(expected):
            raise _Bad("budget", f"line {number}: only the amount can be changed here (keep \"|{expected}\")")
        try:
            value = parse_money(doc.plan, amount.strip(), "")
        except BadValue:
            raise _Bad("budget", f'line {number}: "{amount.strip()}" is not an amount; write digits with a decimal point, e.g. 65541.70') from None
        if value != _amount(line["amount"]):
            changes.append(Change(("tasks", task.id, "budget", number - 1, "amount"), line["amount"], f"{value:f}"))
    return changes


def _amount(value: Any) -> Any:
    from .money import parse_amount

    return parse_amount(value)


def _new_task(
    plan: Roadmap, row: dict[str, Any], t: Catalogue, today: dt.date, taken: set[str], boxes: dict[str, int]
) -> list[Change]:
    if not row.get("direction"):
        raise _Bad("direction", "a new task (a row without an id) needs a direction")
    d = _direction(plan, row["direction"])
    title = _clean(row.get("title", ""), "title")
    if not title:
        raise _Bad("title", "a new task needs a title")
    s = None
    if plan.stages:
        if not row.get("stage"):
            raise _Bad("stage", "a new task needs a stage")
        s = _stage(plan, row["stage"])
    task: dict[str, Any] = {}
    prefix = plan.meta.country.code if plan.meta.country else plan.meta.id.upper().split("-")[0]
    n = 1
    while f"{prefix}-{d}-{n}" in taken:
        n += 1
    task_id = f"{prefix}-{d}-{n}"  # as `add` names them (adapt.new_task_id), unique among this sheet's rows too
    taken.add(task_id)
    task["id"] = task_id
    task["direction"] = d
    if s is not None:
        task["stage"] = s
    task["title"] = title
    if any(x.box for x in plan.tasks):
        order = boxes.get(d) or max((x.box.order for x in plan.tasks if x.direction == d and x.box), default=0)
        boxes[d] = order + 1
        task["box"] = {"text": title, "order": order + 1}
    span = _timeframe(plan, row.get("timeframe", ""))
    if span is not None:
        task.update(span)
    elif not plan.meta.start:
        task["year_start"] = task["year_end"] = 1
    if row.get("lead"):
        task["lead"] = _clean(row["lead"], "lead")
    if row.get("parties") and _parties(row["parties"]):
        task["parties"] = _parties(row["parties"])
    status = _status(row["status"], t) if row.get("status") else Status.planned
    task["status"] = status.value
    if status is not Status.planned:
        task["status_date"] = _date(row.get("status_date", ""), "status_date", today) or today.isoformat()
    if row.get("status_note"):
        task["status_note"] = _clean(row["status_note"], "status_note")
    if row.get("owner"):
        owner = {"name": _clean(row["owner"], "owner")}
        for key, name in (("organisation", "organisation"), ("contact", "contact")):
            if row.get(key):
                owner[name] = _clean(row[key], key)
        task["owner"] = owner
    if row.get("expected_results"):
        task["expected_results"] = [x.strip() for x in _clean(row["expected_results"], "expected_results").split("\n") if x.strip()]
    if row.get("new_comment"):
        task["comments"] = [{"date": today.isoformat(), "text": _clean(row["new_comment"], "new_comment")}]
    task["origin"] = "added"
    return [Change(("tasks", task_id), None, task)]


def _timeframe(plan: Roadmap, value: Any) -> dict[str, Any] | None:
    from .adapt import _parse_years
    from .workplan import plan_period

    text = _text(value).strip()
    if not text:
        return None
    parts = [p.strip() for p in re.split(r"\s*[\u2013\u2014]\s*|\s+-\s+|(?<=\d{4})-(?=\d{4}$)", text) if p.strip()]
    if len(parts) > 1 and re.fullmatch(r"\d{4}-(Q[1-4]|\d{2})", parts[0]) and re.fullmatch(r"Q[1-4]|\d{2}", parts[-1]):
        parts[-1] = f"{parts[0][:4]}-{parts[-1]}"  # "2009-Q2–Q4", as the export writes a span within a year
    try:
        if plan.meta.start:
            first = plan_period(plan, parts[0], "timeframe", "sheet")
            last = plan_period(plan, parts[-1], "timeframe", "sheet")
            if last < first:
                raise BadValue("the end is before the start")
            return {"start": str(first), "end": str(last)}
        years = _parse_years(plan, None, f"{parts[0]}-{parts[-1]}")
        return {"year_start": years[0], "year_end": years[1]} if years else None
    except BadValue as exc:
        raise _Bad("timeframe", f'"{text}": {exc}') from None


# ---------------------------------------------------------------------------------------
# The command


def where(sheet: Sheet, refusal: Refusal, t: Catalogue) -> str:
    parts = [f'{sheet.file}: sheet "{sheet.name}"']
    if refusal.row is not None:
        parts.append(f"row {refusal.row}")
    if refusal.column is not None:
        c = sheet.columns.get(refusal.column)
        title = column_title(t, refusal.column)
        parts.append(f"column {_letter(c)} ({title})" if c else f"column {title}")
    return ", ".join(parts) + f": {refusal.message}"


def import_sheet(
    path: Path, file: Path, *, dry_run: bool = False, skip_bad_rows: bool = False, today: dt.date | None = None
) -> Edit:
    """Read an edited export back into the plan: all or nothing, unless skip_bad_rows."""
    today = today or dt.date.today()
    sheet = read(file)
    skipped: list[str] = []
    conflicts: list[str] = []
    notes: list[str] = []

    def run(doc: Document) -> list[Change]:
        t = catalogue(doc.plan.meta.language)
        exported = (sheet.identity or {}).get("plan", "").split(" ")[0]
        if exported and exported != doc.plan.meta.id:
            raise BadValue(
                f'{sheet.file}: the sheet was exported from the plan "{exported}", not from {doc.label} '
                f'("{doc.plan.meta.id}"); import it into the plan it came from. Nothing written'
            )
        found = compute(doc, sheet, today=today)
        refusals = [where(sheet, r, t) for r in found.refused]
        if refusals and not skip_bad_rows:
            raise BadValue(
                "\n".join(refusals) + f"\nnothing written ({len(refusals)} problem(s)); fix the sheet and import again"
                " (or --skip-bad-rows to write the rest)"
            )
        if any(r.row is None for r in found.refused):  # a deleted row cannot be skipped
            raise BadValue("\n".join(refusals) + "\nnothing written")
        skipped.extend(refusals)
        conflicts.extend(found.conflicts)
        notes.extend(found.notes)
        return found.changes

    edit = store.edit(path, run, command="import-sheet", dry_run=dry_run, today=today)
    edit.notes += notes
    edit.warnings += [f"skipped: {s}" for s in skipped]
    edit.conflicts = conflicts  # cells not imported: the command line lists them last
    return edit
