"""The work-plan report (`roadmap report`) in md, html, xlsx, docx and pdf, and the text
of `budget show`.

One layout for every format: the report is first built as headings and tables of
cells (`layout`), then each writer sets those cells its way, so the five formats can
never disagree on a figure. Every word comes from the message catalogue.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..i18n import Catalogue, catalogue
from ..implementation import State, state
from ..model import Roadmap, Status
from . import palette


@dataclass
class Cell:
    text: str = ""
    fill: str | None = None  # background colour, #rrggbb
    number: Decimal | None = None  # an amount, for spreadsheets
    bold: bool = False


@dataclass
class Table:
    header: list[str]
    rows: list[list[Cell]]
    widths: list[float]  # relative


@dataclass
class Block:
    kind: str  # "h1", "h2", "h3", "p", "table"
    text: str = ""
    table: Table | None = None
    fills: list[tuple[str, str]] = field(default_factory=list)  # a legend: (fill, label)


def amount(value: Decimal, currency: str | None, t: Catalogue) -> str:
    """An amount with the currency's decimals and the language's separators, no symbol
    (the column heading names the currency)."""
    from babel.numbers import format_currency

    if currency is None:
        return f"{value:f}"
    return format_currency(value, currency, format="#,##0.00", locale=t.locale, currency_digits=True)


def _period_labels(s: State, t: Catalogue) -> list[str]:
    """Column headings: Q1..Q4, the language's month names, or years (with the year when
    the plan spans several)."""
    years = {p.year for p in s.periods}
    if s.periods and s.periods[0].unit == "month":
        from babel.dates import get_month_names

        names = get_month_names("abbreviated", locale=t.locale)
        return [f"{names[p.part]} {p.year}" if len(years) > 1 else names[p.part] for p in s.periods]
    if s.periods and s.periods[0].unit == "quarter":
        return [t("report.quarter", number=p.part) + (f" {p.year}" if len(years) > 1 else "") for p in s.periods]
    return [p.label for p in s.periods]


def layout(s: State, t: Catalogue) -> list[Block]:
    plan, currency = s.plan, s.currency
    blocks = [
        Block("h1", plan.meta.title),
        Block("p", t("report.title", date=t.date(s.as_of))),
    ]
    if currency:
        blocks.append(Block("p", t("report.currency", currency=currency)))
    blocks.append(Block("legend", t("report.legend"), fills=[(palette.FILL[st], t(f"status.{st.value}")) for st in Status]))
    labels = _period_labels(s, t)
    head = [t("report.ref"), t("report.activity"), t("report.target"), *labels, t("report.lead"), t("report.party"),
            t("report.budget", currency=currency or ""), t("report.status"), t("report.comment")]
    widths = [5, 22, 12, *[4] * len(labels), 8, 12, 9, 8, 18]
    if not s.outputs:
        blocks.append(Block("p", t("report.no_outputs")))
    for output in s.outputs:
        blocks.append(Block("h2", t("report.output", label=output.label, name=output.name)))
        if output.outcome:
            blocks.append(Block("p", t("report.outcome", outcome=output.outcome)))
        rows = []
        for a in output.activities:
            status = t(f"status.{a.status.value}") + (f" ({t('report.overdue')})" if a.overdue else "")
            comment = ""
            if a.comment is not None:
                key = "report.comment_line_by" if a.comment.by else "report.comment_line"
                comment = t(key, date=a.comment.date.isoformat() if a.comment.date else "", by=a.comment.by, text=a.comment.text)
            ticks = [Cell(t("report.tick") if on else "", fill=palette.ROW_FILL if on else None) for on in a.ticks]
            rows.append([
                Cell(a.label), Cell(a.task.title), Cell(a.task.target or ""), *ticks, Cell(a.task.lead or ""),
                Cell(a.parties), Cell(amount(a.budget, currency, t), number=a.budget), Cell(status, fill=palette.FILL[a.status]),
                Cell(comment if a.timeframe else (comment + (" " if comment else "") + f"({t('report.no_timeframe')})").strip()),
            ])
        total_row = [Cell(), Cell(t("report.output_total", label=output.label), bold=True)] + [Cell() for _ in head[2:]]
        total_row[len(head) - 3] = Cell(amount(output.budget, currency, t), number=output.budget, bold=True)
        rows.append(total_row)
        blocks.append(Block("table", table=Table(head, rows, widths)))
    blocks.append(Block("h2", t("report.budget_heading")))
    for totals, heading, column in ((s.by_category, "report.by_category", "report.category"), (s.by_source, "report.by_source", "report.source")):
        if not totals.groups:
            continue
        blocks.append(Block("h3", t(heading)))
        rows = [[Cell(g.key or t("report.unspecified")), Cell(amount(g.total, currency, t), number=g.total)] for g in totals.groups]
        rows.append([Cell(t("report.total"), bold=True), Cell(amount(totals.total, currency, t), number=totals.total, bold=True)])
        blocks.append(Block("table", table=Table([t(column), t("report.amount", currency=currency or "")], rows, [30, 15])))
    blocks.append(Block("h2", t("report.indicators_heading")))
    if not s.indicators:
        blocks.append(Block("p", t("report.no_indicators")))
    else:
        rows = []
        for r in s.indicators:
            text = f"{r.number}. {r.text}" + (f" ({r.unit})" if r.unit else "")
            actual = (r.actual or "") + (f" ({r.note})" if r.note else "")
            rows.append([
                Cell(r.holder), Cell(text), Cell(r.baseline or ""), Cell(r.target or ""), Cell(actual),
                Cell(r.measured.isoformat() if r.measured else ""),
                Cell(t("report.percent_value", percent=r.percent) if r.percent is not None else ""),
            ])
        head = [t("report.holder"), t("report.indicator"), t("report.baseline"), t("report.target_value"),
                t("report.actual", date=s.as_of.isoformat()), t("report.measured"), t("report.percent")]
        blocks.append(Block("table", table=Table(head, rows, [6, 30, 8, 8, 16, 9, 8])))
    return blocks


# ---------------------------------------------------------------------------------------
# writers


def to_markdown(blocks: list[Block]) -> str:
    from .templating import md_cell, md_escape

    out: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            out.append("#" * int(b.kind[1]) + " " + md_escape(b.text) + "\n")
        elif b.kind == "p":
            out.append(md_escape(b.text) + "\n")
        elif b.kind == "legend":
            out.append(md_escape(b.text) + " " + ", ".join(f"{md_escape(label)}" for _, label in b.fills) + "\n")
        elif b.table is not None:
            tab = b.table
            out.append("| " + " | ".join(md_cell(h) for h in tab.header) + " |")
            numeric = {j for row in tab.rows for j, c in enumerate(row) if c.number is not None}
            out.append("|" + "|".join("---:" if j in numeric else "---" for j in range(len(tab.header))) + "|")
            for row in tab.rows:
                out.append("| " + " | ".join(_md(c, md_cell) for c in row) + " |")
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _md(c: Cell, md_cell: Any) -> str:
    text = md_cell(c.text)
    return f"**{text}**" if c.bold and c.text else text


def to_html(blocks: list[Block], plan: Roadmap, t: Catalogue) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>", f'<html lang="{e(t.lang)}">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">', '<link rel="icon" href="data:,">',
        f"<title>{e(plan.meta.title)}</title>",
        "<style>" + _CSS + "</style>", "</head>", "<body>",
    ]
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            parts.append(f"<{b.kind}>{e(b.text)}</{b.kind}>")
        elif b.kind == "p":
            parts.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "legend":
            parts.append(f'<p class="legend">{e(b.text)} ' + " ".join(f'<span style="background:{fill}">{e(label)}</span>' for fill, label in b.fills) + "</p>")
        elif b.table is not None:
            tab = b.table
            parts.append("<table>")
            parts.append("<thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in tab.header) + "</tr></thead><tbody>")
            for row in tab.rows:
                cells = []
                for c in row:
                    style = f' style="background:{c.fill}"' if c.fill else ""
                    cls = ' class="num"' if c.number is not None else ""
                    text = f"<strong>{e(c.text)}</strong>" if c.bold else e(c.text)
                    cells.append(f"<td{cls}{style}>{text}</td>")
                parts.append("<tr>" + "".join(cells) + "</tr>")
            parts.append("</tbody></table>")
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


_CSS = (
    f"body{{font-family:{palette.FONT_STACK};color:{palette.TEXT};margin:1.5em;}}"
    "h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.2em;margin-top:1.4em}h3{font-size:1em}"
    "table{border-collapse:collapse;width:100%;font-size:.85em;margin:.5em 0 1em}"
    "th,td{border:1px solid #bfbfbf;padding:.25em .4em;vertical-align:top;text-align:left}"
    f"th{{background:{palette.HEADER_FILL};color:{palette.HEADER_TEXT}}}td.num{{text-align:right;white-space:nowrap}}"
    ".legend span{padding:.1em .5em;margin-right:.3em;border:1px solid #bfbfbf}"
    "@page{size:A4 landscape}"
)


def to_xlsx(blocks: list[Block], plan: Roadmap, t: Catalogue) -> bytes:
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from .office import OFFICE_FONT, document_date, fixed_zip

    book = Workbook()
    sheet = book.active
    sheet.title = t("report.title", date="")[:31].strip() or "Report"
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    tables = [b.table for b in blocks if b.table]
    widest = max(tables, key=lambda tab: len(tab.widths), default=None)
    widths = [w * 1.1 for w in widest.widths] if widest else [10.0]  # the activity tables set the columns
    row = 1
    for b in blocks:
        if b.kind in ("h1", "h2", "h3", "p", "legend"):
            cell = sheet.cell(row=row, column=1, value=b.text if b.kind != "legend" else b.text + " " + ", ".join(l for _, l in b.fills))
            cell.font = Font(name=OFFICE_FONT, bold=b.kind.startswith("h"), size={"h1": 14, "h2": 12}.get(b.kind, 10))
            row += 1 if b.kind != "h1" else 1
            continue
        tab = b.table
        assert tab is not None
        for j, h in enumerate(tab.header, start=1):
            cell = sheet.cell(row=row, column=j, value=h)
            cell.font = Font(name=OFFICE_FONT, bold=True, color=palette.hex_rgb(palette.HEADER_TEXT), size=9)
            cell.fill = PatternFill("solid", fgColor=palette.hex_rgb(palette.HEADER_FILL))
            cell.alignment, cell.border = wrap, border
        sheet.row_dimensions[row].height = 28
        row += 1
        for r in tab.rows:
            lines = max(
                (-(-len(c.text) // max(int(widths[j] * 1.15) if j < len(widths) else 10, 1)) for j, c in enumerate(r) if c.text),
                default=1,
            )
            sheet.row_dimensions[row].height = 12.5 * max(lines, 1) + 2
            for j, c in enumerate(r, start=1):
                cell = sheet.cell(row=row, column=j, value=c.number if c.number is not None else (c.text or None))
                if c.number is not None:
                    cell.number_format = "#,##0.00"
                cell.font = Font(name=OFFICE_FONT, bold=c.bold, size=9)
                cell.alignment, cell.border = wrap, border
                if c.fill:
                    cell.fill = PatternFill("solid", fgColor=palette.hex_rgb(c.fill))
            row += 1
        row += 1
    for j, w in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = max(4.0, w)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToHeight = 0
    when = document_date(plan)
    book.properties.creator = "roadmap"
    book.properties.created = book.properties.modified = when
    buffer = io.BytesIO()
    book.save(buffer)
    return fixed_zip(buffer.getvalue(), when)


def to_docx(blocks: list[Block], plan: Roadmap, t: Catalogue) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from .office import docx_bytes, docx_new, docx_repeat_header, docx_shade

    document = docx_new(plan, plan.meta.title, landscape=True)
    room = 29.7 - 2 * 1.8
    for b in blocks:
        if b.kind == "h1":
            document.add_heading(b.text, level=0)
        elif b.kind in ("h2", "h3"):
            document.add_heading(b.text, level=int(b.kind[1]) - 1)
        elif b.kind == "p":
            document.add_paragraph(b.text)
        elif b.kind == "legend":
            p = document.add_paragraph(b.text + " ")
            for fill, label in b.fills:
                run = p.add_run(f" {label} ")
                _shade_run(run, fill)
                p.add_run(" ")
        elif b.table is not None:
            tab = b.table
            table = document.add_table(rows=1, cols=len(tab.header))
            table.style = "Table Grid"
            table.autofit = False
            for j, h in enumerate(tab.header):
                cell = table.rows[0].cells[j]
                cell.text = h
                docx_shade(cell, palette.HEADER_FILL)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
                    run.font.size = Pt(8)
                    run.font.color.rgb = _rgb(palette.HEADER_TEXT)
            docx_repeat_header(table.rows[0])
            for r in tab.rows:
                cells = table.add_row().cells
                for j, c in enumerate(r):
                    cells[j].text = c.text
                    if c.number is not None:
                        cells[j].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                    for run in cells[j].paragraphs[0].runs:
                        run.font.size = Pt(8)
                        run.bold = c.bold
                    if c.fill:
                        docx_shade(cells[j], c.fill)
            scale = room / sum(tab.widths) if len(tab.widths) > 2 else 0.25
            for j, w in enumerate(tab.widths):
                table.columns[j].width = Cm(w * scale)  # the grid: what Word and LibreOffice lay out by
                for row in table.rows:
                    row.cells[j].width = Cm(w * scale)
            document.add_paragraph()
    return docx_bytes(document, plan)


def _rgb(colour: str) -> Any:
    from docx.shared import RGBColor

    return RGBColor.from_string(palette.hex_rgb(colour))


def _shade_run(run: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), palette.hex_rgb(fill))
    run._r.get_or_add_rPr().append(shading)


def to_pdf(blocks: list[Block], plan: Roadmap, t: Catalogue) -> bytes:
    from . import typeset
    from .office import document_date

    s = typeset.string
    when = document_date(plan)
    out = [
        f"#set document(title: {s(plan.meta.title)}, author: \"roadmap\", date: datetime(year: {when.year}, month: {when.month}, day: {when.day}))",
        f"#set text(font: {s(typeset.FONT)}, size: 8.5pt, lang: {s(t.lang)})",
        "#set page(paper: \"a4\", flipped: true, margin: (x: 12mm, y: 14mm), numbering: \"1\")",
        "#set table(stroke: 0.5pt + rgb(\"#bfbfbf\"), inset: 3pt)",
        "#show table.cell.where(y: 0): set text(fill: white, weight: \"bold\")",
    ]
    for b in blocks:
        if b.kind == "h1":
            out.append(f"#text(size: 16pt, weight: \"bold\", fill: rgb({s(palette.HEADER_FILL)}))[{typeset.escape(b.text)}]\n")
        elif b.kind in ("h2", "h3"):
            size = "12pt" if b.kind == "h2" else "10pt"
            out.append(f"#block(above: 1.2em, below: 0.6em, sticky: true, text(size: {size}, weight: \"bold\")[{typeset.escape(b.text)}])")
        elif b.kind == "p":
            out.append(f"#block(sticky: true)[{typeset.escape(b.text)}]\n")
        elif b.kind == "legend":
            boxes = " ".join(f"#box(fill: rgb({s(fill)}), inset: 2pt)[{typeset.escape(label)}]" for fill, label in b.fills)
            out.append(f"{typeset.escape(b.text)} {boxes}\n")
        elif b.table is not None:
            tab = b.table
            cols = ", ".join(f"{w}fr" for w in tab.widths) if len(tab.widths) > 2 else ", ".join(f"{w * 2.5}mm" for w in tab.widths)
            cells = [f"table.cell(fill: rgb({s(palette.HEADER_FILL)}))[{typeset.escape(h)}]" for h in tab.header]
            for r in tab.rows:
                for c in r:
                    body = typeset.escape(c.text)
                    if c.bold and c.text:
                        body = f"*{body}*"
                    align = ", align: right" if c.number is not None else ""
                    fill = f"fill: rgb({s(c.fill)}){align}" if c.fill else align.lstrip(", ")
                    cells.append(f"table.cell({fill})[{body}]")
            out.append(f"#table(columns: ({cols}), table.header({', '.join(cells[:len(tab.header)])}), {', '.join(cells[len(tab.header):])})\n")
    return typeset.compile_document("\n".join(out) + "\n", "pdf", when=when)


def render(plan: Roadmap, fmt: str, *, as_of: dt.date, lang: str | None = None, paper: str | None = None) -> bytes:
    """The report in one format, as the bytes of the file."""
    t = catalogue(lang or plan.meta.language)
    blocks = layout(state(plan, as_of), t)
    if fmt == "md":
        return to_markdown(blocks).encode("utf-8")
    if fmt == "html":
        return to_html(blocks, plan, t).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(blocks, plan, t)
    if fmt == "docx":
        return to_docx(blocks, plan, t)
    return to_pdf(blocks, plan, t)


def budget_text(plan: Roadmap, totals: Any, lang: str | None = None) -> str:
    """`budget show` for the terminal: one line per group, then the total, currency named."""
    t = catalogue(lang or plan.meta.language)
    currency = totals.currency
    names = {d.id: f"{d.ref} {d.name}" if d.ref else d.name for d in plan.directions}
    names |= {x.id: f"{x.ref} {x.title}" if x.ref else x.title for x in plan.tasks}
    names |= {x.id: x.name for x in plan.stages}
    rows = [(names.get(g.key, g.key) if g.key else t("report.unspecified"), amount(g.total, currency, t)) for g in totals.groups]
    width = max((len(a) for _, a in rows), default=0)
    width = max(width, len(amount(totals.total, currency, t)))
    lines = [t("budget_view.heading", title=plan.meta.title, currency=currency or "", by=t(f"budget_view.by.{totals.by}"))]
    lines += [f"  {a.rjust(width)}  {k}" for k, a in rows]
    lines.append(t("budget_view.total", amount=f"{amount(totals.total, currency, t)} {currency or ''}".strip()))
    return "\n".join(lines) + "\n"
