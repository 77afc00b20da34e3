"""What Word and Excel files need to be byte-identical and readable everywhere.

A .docx or .xlsx is a zip: every entry carries the time it was written and the core
properties carry "created" and "modified". Both are pinned here (to a date the plan
itself gives) so that publishing the same plan twice gives the same bytes. Office
documents name Arial: it is on every Windows and Mac machine, LibreOffice maps it to
Liberation Sans, and all three carry Cyrillic.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from ..model import Roadmap

OFFICE_FONT = "Arial"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def document_date(plan: Roadmap) -> dt.datetime:
    """The date a document claims to be made: the plan's status date, publication or first year."""
    day = plan.meta.as_of or plan.meta.published or dt.date(plan.meta.start_year, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def fixed_zip(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip with fixed entry times, and its core.xml dates pinned to `when`."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    text = re.sub(rf"(<{tag}\b[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", text)
                content = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return out.getvalue()


# ---------------------------------------------------------------------------------------
# Word helpers (python-docx is imported by the caller; these only touch its XML)


def docx_shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = cell._tc.get_or_add_tcPr()
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), colour.lstrip("#").upper())
    props.append(shade)


def docx_repeat_header(row: Any) -> None:
    """Mark a table row as a header row that Word repeats on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def docx_keep_row_together(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    cant = OxmlElement("w:cantSplit")
    cant.set(qn("w:val"), "true")
    props.append(cant)


def docx_font(style: Any, name: str = OFFICE_FONT) -> None:
    """Name the font for every script (Latin, Cyrillic, complex, East Asian)."""
    from docx.oxml.ns import qn

    style.font.name = name
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), name)


def _plain_text_in_one_go() -> None:
    """python-docx writes a run's text character by character (to turn tabs and line
    breaks into their own elements): a third of a Word Green Paper's time. Text without
    them becomes one <w:t> either way, so it is added in one go; the file is the same."""
    from docx.oxml.text.run import _RunContentAppender

    if getattr(_RunContentAppender, "_roadmap_fast", False):
        return
    per_character = _RunContentAppender.add_text

    def add_text(self: Any, text: str) -> None:
        if self._bfr or "\t" in text or "\n" in text or "\r" in text:
            per_character(self, text)
        elif text:
            self._r.add_t(text)

    _RunContentAppender.add_text = add_text  # type: ignore[method-assign]
    _RunContentAppender._roadmap_fast = True  # type: ignore[attr-defined]
    _RunContentAppender._roadmap_per_character = per_character  # type: ignore[attr-defined]


def _body_end_found_at_once() -> None:
    """python-docx adds each paragraph or table before the body's closing <w:sectPr>, which
    it finds by scanning every child of the body: a Green Paper of 10,000 tasks (20,000
    paragraphs) spent minutes there. The schema puts the one sectPr last, so the last child
    is looked at first; anything else is searched as before. The file is the same."""
    from docx.oxml.document import CT_Body
    from docx.oxml.ns import qn

    if getattr(CT_Body, "_roadmap_fast", False):
        return
    search = CT_Body.first_child_found_in
    closing = qn("w:sectPr")

    def first_child_found_in(self: Any, *tagnames: str) -> Any:
        if tagnames == ("w:sectPr",):
            try:
                last = self[-1]
            except IndexError:
                return None
            if last.tag == closing:
                return last
        return search(self, *tagnames)

    CT_Body.first_child_found_in = first_child_found_in  # type: ignore[method-assign]
    CT_Body._roadmap_fast = True  # type: ignore[attr-defined]


def docx_new(plan: Roadmap, title: str, *, landscape: bool) -> Any:
    """A Word document with fonts named, A4 page, and pinned core properties."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    _plain_text_in_one_go()
    _body_end_found_at_once()
    document = docx.Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Table Grid"):
        try:
            docx_font(document.styles[name])
        except KeyError:
            pass
    document.styles["Normal"].font.size = Pt(10)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    when = document_date(plan)
    props = document.core_properties
    props.title = title
    props.author = "roadmap"
    props.last_modified_by = "roadmap"
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    props.language = plan.meta.language
    props.comments = ""
    _cache_style_ids(document)
    return document


def _cache_style_ids(document: Any) -> None:
    """Look each style name up once per document.

    python-docx resolves a style name (and whether it is the default) by scanning every
    style in the XML on each paragraph, heading and table: a third of a Green Paper's
    run. The names map to the same ids throughout one document, so remember them.
    """
    part = document.part
    lookup = part.get_style_id
    found: dict[tuple[str, Any], Any] = {}

    def get_style_id(style_or_name: Any, style_type: Any) -> Any:
        if not isinstance(style_or_name, str):
            return lookup(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in found:
            found[key] = lookup(style_or_name, style_type)
        return found[key]

    part.get_style_id = get_style_id


def docx_bytes(document: Any, plan: Roadmap) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return fixed_zip(buffer.getvalue(), document_date(plan))


def docx_restart_numbering(document: Any, paragraph: Any) -> None:
    """Start a "List Number" list at 1 again (Word otherwise continues the last list)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    numbering = document.part.numbering_part.numbering_definitions._numbering
    style = document.styles["List Number"]
    style_num = style.element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    override = num.add_lvlOverride(ilvl=0)
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    props = paragraph._p.get_or_add_pPr()
    num_pr = props.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num.numId


def docx_field(paragraph: Any, instruction: str, placeholder: str = "1") -> None:
    """A Word field (PAGE, NUMPAGES, TOC ...) in a paragraph, showing `placeholder` until updated."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        run = OxmlElement("w:r")
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fld.set(qn("w:dirty"), "true")  # Word recomputes it when the file opens
        run.append(fld)
        return run

    paragraph._p.append(char("begin"))
    run = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run.append(text)
    paragraph._p.append(run)
    paragraph._p.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph._p.append(char("end"))


def docx_page_numbers(document: Any, message: str) -> None:
    """ "Page N of M" centred in the footer of every section (later sections link to the first)."""
    import re

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fields = {"page": "PAGE", "pages": "NUMPAGES"}
    for k, part in enumerate(re.split(r"\{(\w+)\}", message)):
        if k % 2:
            docx_field(paragraph, fields[part])
        elif part:
            paragraph.add_run(part)
    for run in paragraph.runs:
        run.font.size = Pt(8.5)


def docx_colophon(document: Any, text: str) -> None:
    """Which plan and which version, on every page: a line of the footer above the page
    numbers (later sections link to the first section's footer)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    footer = document.sections[0].footer
    first = footer.paragraphs[0]
    line = first.insert_paragraph_before(text) if first.text or first.runs else first
    if line is first:
        first.add_run(text)
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in line.runs:
        run.font.size = Pt(8.5)


def docx_title_page(document: Any) -> None:
    """End the title page here: it shows no header or footer (no page number); the contents
    start on the next page. (It still counts: the contents are page 2 of N, as Word's
    NUMPAGES counts every page.)"""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_footer.is_linked_to_previous = False  # an empty footer of its own
    section.first_page_header.is_linked_to_previous = False
    document.add_page_break()


def docx_toc(document: Any, title: str, hint: str) -> None:
    """A table of contents field (headings 1-3); Word fills it in (it asks to when the file opens)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document.add_heading(title, level=1)
    docx_field(document.add_paragraph(), 'TOC \\o "1-3" \\h \\z \\u', hint)
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def docx_landscape(document: Any) -> Any:
    """A new section on a new page, landscape; returns it."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False  # only the title page goes without a number
    if section.orientation != WD_ORIENT.LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    return section


def docx_portrait(document: Any) -> Any:
    from docx.enum.section import WD_ORIENT, WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    if section.orientation != WD_ORIENT.PORTRAIT:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = section.page_height, section.page_width
    return section
