"""A plan as a workbook people edit (`roadmap export`), and the cells `import-sheet` reads back.

One row per task. Every cell is a function of the task (`cells`), so the import can
compare what the sheet says with what the plan says, and with what the plan said when
the sheet was exported (rebuilt from the history), cell by cell. Multi-valued fields
are one line per item, numbered where the import must know which item a line is
("2: 58" is the actual value of the task's second indicator).

The second sheet holds the legend, the drop-down lists and the plan's identity at
export: file, model version, content hash (of the plan's data without its history),
date exported and the number of history entries then, from which the import finds
what changed in the plan since.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .escaping import csv_cell
from .i18n import Catalogue, catalogue
from .model import Indicator, Roadmap, Status, Task


@dataclass(frozen=True)
class Column:
    key: str
    width: int
    editable: bool  # False: shown for reference, grey, and refused when changed
    new_only: bool = False  # read for new rows (no id), fixed for existing ones


COLUMNS = (
    Column("id", 12, False),
    Column("ref", 7, False),
    Column("direction", 22, False, new_only=True),
    Column("stage", 18, False, new_only=True),
    Column("timeframe", 13, False, new_only=True),
    Column("title", 40, True),
    Column("status", 14, True),
    Column("status_date", 12, True),
    Column("status_note", 22, True),
    Column("owner", 18, True),
    Column("organisation", 18, True),
    Column("contact", 18, True),
    Column("lead", 16, True),
    Column("parties", 20, True),
    Column("expected_results", 36, True),
    Column("indicators", 30, False),
    Column("baseline", 11, False),
    Column("target", 11, False),
    Column("actual", 11, True),
    Column("budget", 26, True),
    Column("comments", 36, False),
    Column("new_comment", 30, True),
)
KEYS = tuple(c.key for c in COLUMNS)
BY_KEY = {c.key: c for c in COLUMNS}
STATUSES = (Status.planned, Status.in_progress, Status.done, Status.not_needed)
IDENTITY_KEYS = ("file", "plan", "model", "content_hash", "exported", "history")


def content_hash(data: dict[str, Any]) -> str:
    """The plan's content without its history: what an import compares with the export."""
    body = {k: v for k, v in data.items() if k != "history"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def column_title(t: Catalogue, key: str) -> str:
    return t(f"sheet.column.{key}")


def status_word(t: Catalogue, status: Status | str) -> str:
    return t(f"status.{Status(status).value}")


def direction_word(plan: Roadmap, direction_id: str) -> str:
    d = plan.find_direction(direction_id)
    if d is None:
        return direction_id
    return f"{d.ref} {d.name}" if d.ref else d.name


def stage_word(plan: Roadmap, stage_id: str | None) -> str:
    if not stage_id:
        return ""
    s = next((x for x in plan.stages if x.id == stage_id), None)
    return f"{s.number}. {s.name}" if s else stage_id


def _numbered(values: list[str]) -> str:
    """One line per item that has a value, numbered by the item's place in its list."""
    return "\n".join(f"{i}: {v}" for i, v in enumerate(values, 1) if v != "")


def _value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def latest_actual(item: Any) -> Any:
    if isinstance(item, Indicator):
        return item.values[-1].actual if item.values else item.actual
    if isinstance(item, dict):
        values = item.get("values") or []
        return values[-1].get("actual") if values else item.get("actual")
    return None


def budget_line(amount: Any, category: str, source: str | None) -> str:
    text = f"{Decimal(str(amount)):f} | {category}"
    return f"{text} | {source}" if source else text


def cells(plan: Roadmap, task: Task, t: Catalogue) -> dict[str, Any]:
    """The row of one task, keyed by column: text, or a date for status_date."""
    from .render.rows import years_text

    indicators = task.success_indicators
    owner = task.owner
    return {
        "id": task.id,
        "ref": task.ref or "",
        "direction": direction_word(plan, task.direction),
        "stage": stage_word(plan, task.stage),
        "timeframe": years_text(plan, task),
        "title": task.title,
        "status": status_word(t, task.status),
        "status_date": task.status_date,
        "status_note": task.status_note or "",
        "owner": owner.name if owner else "",
        "organisation": (owner.organisation or "") if owner else "",
        "contact": (owner.contact or "") if owner else "",
        "lead": task.lead or "",
        "parties": "\n".join(f"{p.name}: {p.role}" if p.role else p.name for p in task.parties),
        "expected_results": "\n".join(task.expected_results),
        "indicators": _numbered([i.text if isinstance(i, Indicator) else i for i in indicators]),
        "baseline": _numbered([_value(i.baseline) if isinstance(i, Indicator) else "" for i in indicators]),
        "target": _numbered([_value(i.target) if isinstance(i, Indicator) else "" for i in indicators]),
        "actual": _numbered([_value(latest_actual(i)) for i in indicators]),
        "budget": _numbered([budget_line(b.amount, b.category, b.source) for b in task.budget]),
        "comments": "\n".join(
            " ".join(x for x in (c.date.isoformat() if c.date else "", f"({c.by})" if c.by else "") if x)
            + (": " if c.date or c.by else "")
            + c.text
            for c in task.comments
        ),
        "new_comment": "",
    }


@dataclass(frozen=True)
class Identity:
    file: str
    plan: str
    model: str
    content_hash: str
    exported: dt.date
    history: int

    def rows(self) -> list[tuple[str, Any]]:
        return [
            ("file", self.file),
            ("plan", self.plan),
            ("model", self.model),
            ("content_hash", self.content_hash),
            ("exported", self.exported.isoformat()),
            ("history", str(self.history)),
        ]


def identity(path: Path, data: dict[str, Any], plan: Roadmap, today: dt.date) -> Identity:
    based = plan.meta.based_on
    model = f"{based.id} {based.version}" if based else f"schema {plan.schema_version}"
    return Identity(
        file=path.name,
        plan=f"{plan.meta.id} {plan.meta.version}",
        model=model,
        content_hash=content_hash(data),
        exported=today,
        history=len(data.get("history") or []),
    )


# ---------------------------------------------------------------------------------------
# CSV


def to_csv(plan: Roadmap, t: Catalogue) -> bytes:
    """One table with a byte-order mark: Excel on Windows reads a CSV without one in the
    ANSI code page, and Cyrillic becomes mojibake. The identity cannot travel in one
    table, so an import of a CSV compares it with the plan as it is now."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column_title(t, k) for k in KEYS])
    for task in plan.tasks:
        row = cells(plan, task, t)
        writer.writerow([csv_cell(_csv_text(row[k])) for k in KEYS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------
# Excel


def to_xlsx(plan: Roadmap, t: Catalogue, ident: Identity) -> bytes:
    import zipfile

    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.writer.excel import ExcelWriter

    from .render.office import OFFICE_FONT, fixed_zip
    from .render.tables import _row_height, _xlsx_print, xlsx_cell

    book = Workbook()
    sheet = book.active
    sheet.title = t("sheet.tasks")[:31]
    header_font = Font(name=OFFICE_FONT, bold=True)
    locked_fill = PatternFill("solid", fgColor="E7E6E6")
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    for c, column in enumerate(COLUMNS, 1):
        cell = xlsx_cell(sheet, 1, c, column_title(t, column.key))
        cell.font = header_font
        cell.fill = header_fill if column.editable else locked_fill
        cell.alignment = wrap
        note = "sheet.hint.editable" if column.editable else ("sheet.hint.new_only" if column.new_only else "sheet.hint.locked")
        cell.comment = Comment(t(note), "roadmap")
        sheet.column_dimensions[get_column_letter(c)].width = column.width
    plain = Font(name=OFFICE_FONT)
    last = len(plan.tasks) + 1
    widths = [c.width for c in COLUMNS]
    sheet.row_dimensions[1].height = _row_height([column_title(t, c.key) for c in COLUMNS], widths)
    for r, task in enumerate(plan.tasks, 2):
        row = cells(plan, task, t)
        # spreadsheets do not grow rows for wrapped text they did not lay out themselves
        sheet.row_dimensions[r].height = _row_height([row[c.key] for c in COLUMNS], widths)
        for c, column in enumerate(COLUMNS, 1):
            value = row[column.key]
            cell = xlsx_cell(sheet, r, c, value if value != "" else None)
            cell.font = plain
            cell.alignment = wrap
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif value is not None and value != "":
                cell.data_type = "s"  # text stays text: "1.10" is a ref, not a number
            if not column.editable:
                cell.fill = locked_fill
    sheet.freeze_panes = "C2"
    _xlsx_print(sheet, plan.meta.title, t("doc.page"), landscape=True, one_page=False)
    sheet.print_title_rows = "1:1"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last}"

    about = book.create_sheet(t("sheet.about")[:31])
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 70
    r = 1
    xlsx_cell(about, r, 1, plan.meta.title).font = header_font
    r += 2
    xlsx_cell(about, r, 1, t("sheet.identity")).font = header_font
    r += 1
    for key, value in ident.rows():
        xlsx_cell(about, r, 1, key)
        xlsx_cell(about, r, 2, value).data_type = "s"
        r += 1
    r += 1
    xlsx_cell(about, r, 1, t("sheet.legend")).font = header_font
    r += 1
    for line in ("sheet.help.edit", "sheet.help.grey", "sheet.help.new", "sheet.help.numbered", "sheet.help.comment"):
        xlsx_cell(about, r, 2, t(line)).alignment = wrap
        about.row_dimensions[r].height = _row_height([t(line)], [70])
        r += 1
    r += 1
    lists: dict[str, str] = {}
    for key, values in (
        ("status", [status_word(t, s) for s in STATUSES]),
        ("direction", [direction_word(plan, d.id) for d in plan.directions]),
        ("stage", [stage_word(plan, s.id) for s in plan.stages]),
    ):
        if not values:
            continue
        xlsx_cell(about, r, 1, column_title(t, key)).font = header_font
        first = r
        for value in values:
            xlsx_cell(about, r, 2, value).data_type = "s"
            r += 1
        lists[key] = f"'{about.title}'!$B${first}:$B${r - 1}"
        r += 1
    rows = max(last, 2) + 500  # room for new rows
    for key, ref in lists.items():
        letter = get_column_letter(KEYS.index(key) + 1)
        check = DataValidation(type="list", formula1=ref, allow_blank=True, showErrorMessage=True)
        check.add(f"{letter}2:{letter}{rows}")
        sheet.add_data_validation(check)
    dates = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    letter = get_column_letter(KEYS.index("status_date") + 1)
    dates.add(f"{letter}2:{letter}{rows}")
    sheet.add_data_validation(dates)

    _xlsx_print(about, plan.meta.title, t("doc.page"), landscape=False, one_page=False)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    when = dt.datetime(ident.exported.year, ident.exported.month, ident.exported.day)
    return fixed_zip(buffer.getvalue(), when)


def export(
    path: Path, fmt: str, output: Path, *, lang: str | None = None, today: dt.date | None = None
) -> None:
    """Write the plan as an editable workbook (xlsx) or one table (csv)."""
    from . import store
    from .errors import BadValue

    if fmt not in ("xlsx", "csv"):
        raise BadValue(f'--format "{fmt}": export writes xlsx or csv')
    store.check_output(output, [path])
    doc = store.load(path)
    t = catalogue(lang or doc.plan.meta.language)
    if fmt == "csv":
        data = to_csv(doc.plan, t)
    else:
        data = to_xlsx(doc.plan, t, identity(path, doc.data, doc.plan, today or dt.date.today()))
    store.write_output(output, data, [path])
