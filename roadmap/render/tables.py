"""Appendix 2, the action plan, as CSV, Excel, Markdown, HTML and Word.

One set of rows (`rows.action_plan`), grouped by stage then direction, in five formats:
CSV for analysts (the header is an interface: scripts read it), Excel for ministry staff
who filter and sort (frozen header, filters, wrapped text, status colours), Markdown for
GitHub, HTML for the web and print, Word with a real table whose header repeats on every
page.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from ..escaping import csv_cell, formula_like
from ..i18n import Catalogue, catalogue
from ..model import Roadmap, Status
from . import palette
from .office import OFFICE_FONT, docx_bytes, docx_colophon, docx_page_numbers, docx_keep_row_together, docx_new, docx_repeat_header, docx_shade, document_date, fixed_zip
from .rows import CSV_HEADER, Row, StageGroup, action_plan, all_rows

FORMATS = ("md", "html", "csv", "xlsx", "docx", "pdf")

# The columns people read (stage and direction are the group headings).
COLUMNS = (
    "id",
    "task",
    "years",
    "persons_involved",
    "owner",
    "expected_results",
    "success_indicators",
    "international_examples",
    "status",
)


def columns(plan: Roadmap) -> tuple[str, ...]:
    """A model is not tracked: it has no owners and no statuses to show."""
    if plan.meta.kind == "plan":
        return COLUMNS
    return tuple(c for c in COLUMNS if c not in ("owner", "status"))


def to_csv(plan: Roadmap, t: Catalogue) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for row in all_rows(plan, t):
        writer.writerow([csv_cell(value) for value in row.csv()])
    return buffer.getvalue()


def context(plan: Roadmap, t: Catalogue) -> dict[str, Any]:
    """What the Markdown and HTML templates of the action plan read."""
    return {
        "plan": plan,
        "t": t.all(),
        "groups": action_plan(plan, t),
        "columns": columns(plan),
        "fill": {s.value: palette.FILL[s] for s in Status},
        "line": {s.value: palette.LINE[s] for s in Status},
        "tracked": plan.meta.kind == "plan",
    }


def to_markdown(plan: Roadmap, t: Catalogue) -> str:
    from .templating import environment

    return environment().get_template("action_plan.md.j2").render(**context(plan, t))


def to_html(plan: Roadmap, t: Catalogue, nav: list[dict[str, Any]] | None = None) -> str:
    from .templating import environment

    return environment().get_template("action_plan.html.j2").render(**context(plan, t), page_title=t("doc.appendix2"), nav=nav)


# ---------------------------------------------------------------------------------------
# Excel

XLSX_COLUMNS = (
    ("id", 9),
    ("stage", 6),
    ("direction", 13),
    ("task", 30),
    ("box", 22),
    ("year_start", 6),
    ("year_end", 6),
    ("persons_involved", 18),
    ("owner", 16),
    ("expected_results", 30),
    ("success_indicators", 30),
    ("international_examples", 20),
    ("status", 11),
)
# 217 width units print on A4 landscape at about two thirds of their size: 11 pt text
# prints at about 7 pt (the widths were 293 units and 10 pt, which printed at 5 pt).
XLSX_FONT_SIZE = 11
XLSX_CHARS_PER_UNIT = 1.1  # characters of 11 pt Arial per unit of column width


def _xlsx_page_text(text: str) -> str:
    """Text inside an Excel header or footer: & starts a code there, so it is doubled."""
    return text.replace("&", "&&")


def _xlsx_print(sheet: Any, title: str, page: str, *, landscape: bool, one_page: bool) -> None:
    """Print settings: A4, fit to the page width, title in the header, page numbers in the footer."""
    import re

    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.page_margins.header = sheet.page_margins.footer = 0.25
    sheet.print_options.horizontalCentered = True
    sheet.oddHeader.center.text = _xlsx_page_text(title)
    sheet.oddHeader.center.size = 9
    codes = {"page": "&P", "pages": "&N"}
    sheet.oddFooter.center.text = "".join(
        codes[part] if k % 2 else _xlsx_page_text(part) for k, part in enumerate(re.split(r"\{(\w+)\}", page))
    )
    sheet.oddFooter.center.size = 9


def to_xlsx(plan: Roadmap, t: Catalogue) -> bytes:
    from copy import copy

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = t("xlsx.sheet")[:31]
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor=palette.hex_rgb(palette.HEADER_FILL))
    for j, (key, width) in enumerate(XLSX_COLUMNS, start=1):
        cell = xlsx_cell(sheet, 1, j, t(f"column.{key}"))
        cell.font = Font(name=OFFICE_FONT, size=XLSX_FONT_SIZE, bold=True, color=palette.hex_rgb(palette.HEADER_TEXT))
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = border
        sheet.column_dimensions[get_column_letter(j)].width = width
    body = Font(name=OFFICE_FONT, size=XLSX_FONT_SIZE)
    # Each kind of cell gets its style once; later cells of that kind share it. Setting
    # font, alignment and border on every cell makes openpyxl hash the style objects each
    # time (most of the run at 10,000 tasks). The first cell of each kind is styled as
    # before, so the workbook's style tables, and the file, come out the same.
    body_style: Any = None
    status_styles: dict[Any, Any] = {}
    n = 1
    for row in all_rows(plan, t):
        n += 1
        values = _xlsx_values(row)
        for j, value in enumerate(values, start=1):
            cell = sheet.cell(row=n, column=j, value=value)
            if body_style is None:
                cell.font = body
                cell.alignment = wrap
                cell.border = border
                body_style = copy(cell._style)
            else:
                cell._style = copy(body_style)
            keep_text(cell)
        sheet.row_dimensions[n].height = _row_height(values, [w for _, w in XLSX_COLUMNS])
        if plan.meta.kind == "plan":
            status_cell = sheet.cell(row=n, column=len(values))
            if row.status not in status_styles:
                status_cell.fill = PatternFill("solid", fgColor=palette.hex_rgb(palette.FILL[row.status]))
                status_styles[row.status] = copy(status_cell._style)
            else:
                status_cell._style = copy(status_styles[row.status])
    last = get_column_letter(len(XLSX_COLUMNS))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(n, 2)}"
    sheet.row_dimensions[1].height = 30
    sheet.print_title_rows = "1:1"
    title = f"{plan.meta.title}: {t('doc.appendix2')}"
    _xlsx_print(sheet, title, t("doc.page"), landscape=True, one_page=False)
    legend = _xlsx_legend(book, plan, t)
    _xlsx_print(legend, title, t("doc.page"), landscape=False, one_page=True)
    # the colophon (which plan, which version) on every printed page; the left part, so
    # page numbers can take the others. "&" starts a code in Excel's header and footer.
    sheet.oddFooter.left.text = _xlsx_page_text(t("doc.colophon", title=plan.meta.title, version=plan.meta.version))
    when = document_date(plan)
    book.properties.creator = "roadmap"
    book.properties.lastModifiedBy = "roadmap"
    book.properties.title = f"{plan.meta.title}: {t('doc.appendix2')}"
    book.properties.created = when
    book.properties.modified = when
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # save_workbook() would stamp "modified" with now
    return fixed_zip(buffer.getvalue(), when)


def xlsx_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """The one way text goes into a sheet: text that looks like a formula stays text.

    openpyxl makes any string starting with "=" a live formula (`=HYPERLINK(...)` runs
    when clicked); such cells are stored as strings, with Excel's quote prefix so that
    editing the cell in Excel keeps it text too. The value itself is unchanged, so
    reading the workbook back gives the plan's text.
    """
    return keep_text(sheet.cell(row=row, column=column, value=value))


def keep_text(cell: Any) -> Any:
    """Mark a cell whose text looks like a formula as text (after any style is given to it:
    the quote prefix is part of the cell's style)."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _row_height(values: list[Any], widths: list[int]) -> float:
    """Points tall enough for the longest wrapped cell.

    Excel and LibreOffice do not grow rows for wrapped text in a file they did not lay out
    themselves, so a printed action plan would cut its cells off; estimate it here
    (XLSX_CHARS_PER_UNIT characters per unit of column width).
    """
    lines = 1
    for value, width in zip(values, widths):
        text = "" if value is None else str(value)
        per_line = max(width * XLSX_CHARS_PER_UNIT - 1, 1.0)
        lines = max(lines, sum(_wrapped_lines(part, per_line) for part in text.split("\n")))
    return round(14.5 * lines + 3, 1)


def _wrapped_lines(text: str, per_line: float) -> int:
    """Lines a paragraph takes when wrapped at word boundaries, as a spreadsheet wraps it.

    Cyrillic letters are set about 15% wider than Latin ones in the office fonts, and a
    long word moves whole to the next line: counting characters alone cut Russian cells off.
    """
    lines, used = 1, 0.0
    for word in text.split():
        size = sum(1.15 if "\u0400" <= ch <= "\u04ff" else 1.0 for ch in word)
        if used and used + 1 + size > per_line:
            lines, used = lines + 1, 0.0
        while size > per_line:  # a word longer than the column breaks where it must
            lines, size = lines + 1, size - per_line
        used += (1 if used else 0) + size
    return lines


def _xlsx_values(row: Row) -> list[Any]:
    lines = "\n".join
    return [
        row.task.ref or row.task.id,
        row.stage.number if row.stage else None,
        row.direction.name,
        row.task.title,
        row.task.box.text if row.task.box else "",
        row.year_start,
        row.year_end,
        lines(row.persons_involved),
        row.owner,
        lines(row.expected_results),
        lines(row.success_indicators),
        lines(row.international_examples),
        row.status_name,
    ]


def _xlsx_legend(book: Any, plan: Roadmap, t: Catalogue) -> Any:
    """A second sheet naming the stages and directions, and what each colour means."""
    from openpyxl.styles import Font, PatternFill

    sheet = book.create_sheet(t("xlsx.legend")[:31])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 60
    bold = Font(name=OFFICE_FONT, bold=True)
    plain = Font(name=OFFICE_FONT)
    r = 1
    xlsx_cell(sheet, r, 1, plan.meta.title).font = bold
    r += 2
    if plan.meta.kind == "plan":
        xlsx_cell(sheet, r, 1, t("column.status")).font = bold
        r += 1
        for status in (Status.done, Status.in_progress, Status.planned, Status.not_needed):
            cell = xlsx_cell(sheet, r, 1, t(f"status.{status.value}"))
            cell.font = plain
            cell.fill = PatternFill("solid", fgColor=palette.hex_rgb(palette.FILL[status]))
            r += 1
        r += 1
    xlsx_cell(sheet, r, 1, t("column.stage")).font = bold
    r += 1
    from .rows import directions, stages

    for stage in stages(plan):
        xlsx_cell(sheet, r, 1, stage.number).font = plain
        message = f" ({stage.key_message})" if stage.key_message else ""
        xlsx_cell(sheet, r, 2, f"{stage.name}{message}").font = plain
        r += 1
    r += 1
    xlsx_cell(sheet, r, 1, t("column.direction")).font = bold
    r += 1
    for direction in directions(plan):
        xlsx_cell(sheet, r, 1, direction.number).font = plain
        xlsx_cell(sheet, r, 2, direction.name).font = plain
        r += 1
    return sheet


# ---------------------------------------------------------------------------------------
# Word


def docx_table(document: Any, plan: Roadmap, t: Catalogue, groups: list[StageGroup]) -> None:
    """The action plan as one Word table; its header row repeats on every printed page.

    python-docx makes the table and its header; the body rows are written as WordprocessingML
    text and parsed in one go: python-docx's row, merge and run calls searched the growing
    table for every cell (0.25 s for the model's 30 tasks, twice per publish language). The
    XML is the same python-docx wrote (tests/test_render_tables.py holds it).
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm, Pt, RGBColor

    keys = columns(plan)
    widths = [WIDTHS[k] * (sum(WIDTHS.values()) / sum(WIDTHS[k] for k in keys)) for k in keys]  # fills A4 landscape
    table = document.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)  # the table grid: what Word and LibreOffice lay out by
    header = table.rows[0]
    docx_repeat_header(header)
    for cell, key, width in zip(header.cells, keys, widths):
        cell.width = Cm(width)
        _docx_text(cell, t(f"column.{key}"), bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF), size=Pt(8.5))
        docx_shade(cell, palette.HEADER_FILL)
    twips = [Cm(width).twips for width in widths]
    tracked = plan.meta.kind == "plan"
    rows: list[str] = []
    for group in groups:
        if group.stage is not None:
            rows.append(_band_xml(_stage_title(group.stage, t), palette.HEADER_FILL, twips, white=True))
        for direction_group in group.directions:
            direction = direction_group.direction
            rows.append(_band_xml(f"{direction.ref or direction.number}. {direction.name}", palette.ROW_FILL, twips))
            for row in direction_group.rows:
                cells = []
                for key, width in zip(keys, twips):
                    fill = palette.FILL[row.status] if tracked and key == "status" else None
                    cells.append(_cell_xml(_docx_value(row, key, t), width, fill=fill, size=17))
                rows.append('<w:tr><w:trPr><w:cantSplit w:val="true"/></w:trPr>' + "".join(cells) + "</w:tr>")
    if rows:
        body = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
        for text in body.iter(qn("w:t")):
            if text.text is None:
                text.text = ""  # an empty line: <w:t></w:t>, as python-docx writes it
        table._tbl.extend(list(body))


def _cell_xml(text: str, width: int, *, fill: str | None = None, span: int = 1, size: int, bold: bool = False, white: bool = False) -> str:
    """One table cell as python-docx writes it: width, span, shading; one paragraph whose
    lines are runs joined by breaks (sizes in half-points)."""
    from xml.sax.saxutils import escape

    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill.lstrip("#").upper()}"/>' if fill else ""
    props = ("<w:b/>" if bold else "") + ('<w:color w:val="FFFFFF"/>' if white else "") + f'<w:sz w:val="{size}"/>'
    runs = []
    for k, line in enumerate(text.split("\n")):
        space = ' xml:space="preserve"' if len(line.strip()) < len(line) else ""
        runs.append(f"<w:r><w:rPr>{props}</w:rPr>{'<w:br/>' if k else ''}<w:t{space}>{escape(line)}</w:t></w:r>")
    return (
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{span_xml}{shade}</w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:after="0"/></w:pPr>{"".join(runs)}</w:p></w:tc>'
    )


def _band_xml(text: str, fill: str, twips: list[int], *, white: bool = False) -> str:
    """A row of one cell across the table: a stage or a direction heading."""
    return "<w:tr>" + _cell_xml(text, sum(twips), fill=fill, span=len(twips), size=18, bold=True, white=white) + "</w:tr>"


WIDTHS = {
    "id": 1.6,
    "task": 5.0,
    "years": 1.6,
    "persons_involved": 3.2,
    "owner": 3.0,
    "expected_results": 4.0,
    "success_indicators": 4.0,
    "international_examples": 3.0,
    "status": 1.8,
}


def _docx_value(row: Row, key: str, t: Catalogue) -> str:
    value = row.value(key)
    if key == "id" and row.added:
        value = f"{value} ({t('flowchart.new')})"
    return value if isinstance(value, str) else "\n".join(value)


def _stage_title(stage: Any, t: Catalogue) -> str:
    message = f" \u2014 {stage.key_message}" if stage.key_message else ""
    return f"{t('flowchart.stage', number=stage.number)}. {stage.name}{message}"


def _docx_text(cell: Any, text: str, *, bold: bool = False, colour: Any = None, size: Any = None) -> None:
    """Replace a cell's text; each line of `text` becomes a line break in one paragraph."""
    paragraph = cell.paragraphs[0]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.paragraph_format.space_after = 0
    for k, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if k:
            run.add_break()
        run.add_text(line)
        run.bold = bold or None
        if colour is not None:
            run.font.color.rgb = colour
        if size is not None:
            run.font.size = size


def to_docx(plan: Roadmap, t: Catalogue) -> bytes:
    title = f"{plan.meta.title}: {t('doc.appendix2')}"
    document = docx_new(plan, title, landscape=True)
    docx_page_numbers(document, t("doc.page"))
    document.add_heading(plan.meta.title, level=1)
    document.add_heading(t("doc.appendix2"), level=2)
    docx_table(document, plan, t, action_plan(plan, t))
    docx_colophon(document, t("doc.colophon", title=plan.meta.title, version=plan.meta.version))
    return docx_bytes(document, plan)


def typst_widths(keys: tuple[str, ...]) -> list[float]:
    """Relative column widths of the printed table (the Word table's, in cm)."""
    return [WIDTHS[k] for k in keys]


def to_pdf(plan: Roadmap, t: Catalogue, *, paper: str | None = None) -> bytes:
    """The action plan as landscape pages whose header row repeats, rows never split."""
    from . import typeset
    from .documents import meta_line
    from .office import document_date
    from .templating import typst_environment

    keys = columns(plan)
    when = document_date(plan)
    as_of = t.date(plan.meta.as_of) if plan.meta.as_of else None
    source = typst_environment().get_template("typst/action_plan.typ.j2").render(
        **context(plan, t),
        title=f"{plan.meta.title}: {t('doc.appendix2')}",
        widths=typst_widths(keys),
        meta_line=meta_line(plan, t, as_of),
        table_paper=paper or "a4",
        date=when,
        lang=t.lang,
        font=typeset.FONT,
    )
    return typeset.compile_document(source, "pdf", when=when)


def render(plan: Roadmap, fmt: str, *, lang: str | None = None, paper: str | None = None) -> bytes:
    """The action plan in one of FORMATS, as the bytes of the file."""
    t = catalogue(lang or plan.meta.language)
    if fmt == "pdf":
        return to_pdf(plan, t, paper=paper)
    if fmt == "csv":
        return to_csv(plan, t).encode("utf-8")
    if fmt == "md":
        return to_markdown(plan, t).encode("utf-8")
    if fmt == "html":
        return to_html(plan, t).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(plan, t)
    return to_docx(plan, t)
