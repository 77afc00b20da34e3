"""The revised Green Paper as a Word document.

Word users edit the text further, so it is built from real Word parts: headings with
Word's heading styles (the navigation pane and a table of contents work), lists as list
paragraphs, the flowchart as a picture in a landscape section, the action plan as a table
in a landscape section with its header row repeated on every page.
"""

from __future__ import annotations

import io
import math
from typing import Any, Callable

from ..i18n import Catalogue, Messages
from .office import (
    docx_bytes,
    docx_colophon,
    docx_landscape,
    docx_new,
    docx_page_numbers,
    docx_portrait,
    docx_restart_numbering,
    docx_title_page,
    docx_toc,
)


PAPER_CM = {"a3": (42.0, 29.7), "a4": (29.7, 21.0)}  # landscape width, height
MAX_FLOWCHART_PAGES = 40  # beyond this Appendix 1 points to the flowchart's own PDF instead


def to_docx(data: dict[str, Any], t: Catalogue, *, paper: str | None = None, say: Callable[[str], None] | None = None) -> bytes:
    """`paper` sizes the flowchart's pages (A3 unless a4); `say` hears what the reader should know."""
    plan = data["plan"]
    words = data["t"]
    document = docx_new(plan, plan.meta.title, landscape=False)
    identity = data["identity"]
    _logo(document, data.get("logo"))
    docx_page_numbers(document, words["doc.page"])
    if plan.meta.subtitle:
        document.add_paragraph(plan.meta.subtitle, style="Subtitle")
    document.add_paragraph(plan.meta.title, style="Title")
    meta = [words["doc.version"].format(version=plan.meta.version)]
    if plan.meta.published:
        meta.append(words["doc.published"].format(date=t.date(plan.meta.published)))
    if data["tracked"]:
        meta.append(words["doc.as_of"].format(date=data["as_of"]))
    document.add_paragraph(" \u00b7 ".join(meta))
    if plan.meta.authors:
        document.add_heading(words["doc.working_group"], level=1)
        for person in plan.meta.authors:
            extra = [x for x in (person.role, person.organisation, person.country) if x]
            document.add_paragraph(", ".join([person.name, *extra]), style="List Bullet")
    if plan.meta.acknowledgements:
        document.add_heading(words["doc.acknowledgements"], level=2)
        for line in plan.meta.acknowledgements:
            document.add_paragraph(line)
    if identity["email"]:
        document.add_paragraph(words["doc.contact"].format(email=identity["email"]))
    if identity["website"]:
        document.add_paragraph(words["doc.website"].format(url=identity["website"]))
    if identity["credit"]:
        credit = document.add_paragraph()
        credit.add_run(" ".join(x for x in (identity["credit"], identity["credit_group"]) if x)).italic = True
    docx_colophon(document, identity["colophon"])  # every page says which plan and version it is

    docx_title_page(document)
    docx_toc(document, words["doc.contents"], words["doc.toc_update"])

    covered = {ch.section.id for ch in data["chapters"]}
    for chapter in data["chapters"]:
        document.add_heading(chapter.heading, level=min(chapter.level - 1, 4))
        markdown_into(document, chapter.before, base_level=chapter.level - 1)
        section_id = chapter.section.id
        if section_id == "vision":
            _vision(document, data, words)
        elif section_id == "audiences":
            for audience in plan.audiences:
                _bullet(document, audience.name, audience.description or "")
        elif section_id == "directions":
            _directions(document, data, words, level=chapter.level)
        elif section_id == "stages":
            _stages(document, data, words, level=chapter.level)
        if chapter.after:
            markdown_into(document, chapter.after, base_level=chapter.level - 1)
    if "directions" not in covered:
        document.add_heading(words["column.direction"], level=1)
        _directions(document, data, words, level=2)
    if "stages" not in covered:
        document.add_heading(words["column.stage"], level=1)
        _stages(document, data, words, level=2)

    # Appendix 1: landscape A3 pages (A4 with paper="a4"), as in the PDF: the flowchart on one
    # page if its box text prints at 7 pt or more there, else over pages at 7 pt.
    from docx.shared import Cm

    section = docx_landscape(document)
    section.page_width, section.page_height = (Cm(x) for x in PAPER_CM[paper or "a3"])
    # Narrow margins and a heading without space above: the model's flowchart fits one A3
    # page at 7 pt box text; the footer's two lines sit under the picture.
    section.left_margin = section.right_margin = Cm(1.0)
    section.top_margin, section.bottom_margin, section.footer_distance = Cm(0.6), Cm(1.3), Cm(0.3)
    heading = document.add_heading(data["appendix"]["appendix1"], level=1)
    heading.paragraph_format.space_before = 0
    _flowchart(document, data, words, paper or "a3", say, t.lang)

    # Appendix 2: landscape A4, for the table's nine columns.
    section = docx_landscape(document)
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    document.add_heading(data["appendix"]["appendix2"], level=1)
    from .tables import docx_table

    docx_table(document, plan, t, data["groups"])

    docx_portrait(document)
    document.add_heading(words["doc.changes"], level=1)
    model = data["model"]
    if model is None:
        document.add_paragraph(words["doc.changes_unknown"] if plan.meta.based_on else words["doc.changes_none"])
    elif data["changes"]:
        document.add_paragraph(words["doc.changes_intro"].format(model=model.meta.title, version=model.meta.version))
        for sentence in data["changes"]:
            document.add_paragraph(sentence, style="List Bullet")
    else:
        document.add_paragraph(words["doc.changes_none"])
    return docx_bytes(document, plan)


def _bullet(document: Any, strong: str, rest: str) -> None:
    paragraph = document.add_paragraph(style="List Bullet")
    paragraph.add_run(strong).bold = True
    if rest:
        paragraph.add_run(f": {rest}")


def _vision(document: Any, data: dict[str, Any], words: Messages) -> None:
    plan = data["plan"]
    if plan.vision.goals:
        document.add_heading(words["doc.goals"], level=3)
        for n, goal in enumerate(plan.vision.goals):
            text = goal.text
            if data["tracked"]:
                if goal.reached:
                    state = words["doc.goal_reached_on"].format(date=words.date(goal.reached_on)) if goal.reached_on else words["doc.goal_reached"]
                elif goal.reached is False:
                    state = words["doc.goal_not_reached"]
                else:
                    state = words["doc.goal_unknown"]
                text = f"{text} ({state})"
            paragraph = document.add_paragraph(text, style="List Number")
            if n == 0:
                docx_restart_numbering(document, paragraph)
    rule = plan.vision.success_rule
    if rule and rule.text:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{words['doc.success_rule']}: ").bold = True
        paragraph.add_run(rule.text)
    if data["tracked"]:
        progress = data["progress"]
        document.add_heading(words["doc.progress"].format(country=data["country"]), level=3)
        document.add_paragraph(words["doc.goals_reached"].format(reached=progress["reached"], total=progress["total_goals"]))
        document.add_paragraph(words.plural("doc.progress_plan", progress["total"], **words.numbers(progress)))


def _directions(document: Any, data: dict[str, Any], words: dict[str, str], *, level: int) -> None:
    country = data["country"]
    for part in data["directions"]:
        document.add_heading(f"{part.number}. {part.name}", level=min(level, 4))
        if part.questions:
            document.add_heading(words["doc.guiding_questions"], level=min(level + 1, 5))
            for question in part.questions:
                document.add_paragraph(question, style="List Bullet")
        markdown_into(document, part.narrative, base_level=level)
        if data["tracked"]:
            document.add_heading(words["doc.plans"].format(country=country), level=min(level + 1, 5))
            for line in part.planned:
                extra = f" ({words['flowchart.new']})" if line.task.origin.value == "added" else ""
                _bullet(document, line.task.id + extra, f"{line.task.title} ({line.years}) \u2014 {line.owner or words['doc.owner_missing']}")
            if not part.planned:
                document.add_paragraph(words["doc.plans_none"])
            document.add_heading(words["doc.done_already"].format(country=country), level=min(level + 1, 5))
            for line in part.done:
                when = f" ({line.date})" if line.date else ""
                _bullet(document, line.task.id, f"{line.task.title}{when}")
            if not part.done:
                document.add_paragraph(words["doc.done_none"])
            if part.not_needed:
                document.add_heading(words["doc.not_needed"], level=min(level + 1, 5))
                for line in part.not_needed:
                    note = f" \u2014 {line.task.status_note}" if line.task.status_note else ""
                    _bullet(document, line.task.id, f"{line.task.title}{note}")
        else:
            document.add_heading(words["doc.plans_model"], level=min(level + 1, 5))
            for line in part.planned + part.done + part.not_needed:
                _bullet(document, line.task.id, f"{line.task.title} ({line.years})")


def _stages(document: Any, data: dict[str, Any], words: dict[str, str], *, level: int) -> None:
    for stage in data["stages"]:
        document.add_heading(f"{words['flowchart.stage'].format(number=stage.number)}. {stage.name}", level=min(level, 4))
        if stage.key_message:
            paragraph = document.add_paragraph()
            run = paragraph.add_run(words["doc.key_message"].format(message=stage.key_message))
            run.bold = run.italic = True
        markdown_into(document, stage.narrative or "", base_level=level)


def heading_room(title: str, width_pt: float) -> float:
    """Points kept above the picture on every page: Appendix 1's heading (14 pt bold, about
    0.6 em a letter; two lines on A4 in English), or the "continued" line under it."""
    lines = max(1, math.ceil(len(title) * 14 * 0.6 / width_pt))
    return 8.0 + 18.0 * lines


def _flowchart(
    document: Any, data: dict[str, Any], words: dict[str, str], paper: str, say: Callable[[str], None] | None, lang: str
) -> None:
    """The flowchart as pictures set by typst from the SVG (no system program needed): one per
    page, each at the size its page gives, never printing the 9 pt box text under 7 pt; pages
    break between rows and repeat the stage header (typeset.place, as in the PDF)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Emu

    from . import typeset
    from .flowchart import render as flowchart
    from .office import document_date

    plan = data["plan"]
    svg = flowchart(plan, "svg", lang=lang, logo=data.get("logo")).decode("utf-8")
    section = document.sections[-1]
    room_w = (section.page_width - section.left_margin - section.right_margin) / EMU_PER_PT
    room_h = (section.page_height - section.top_margin - section.bottom_margin) / EMU_PER_PT
    room_h -= heading_room(data["appendix"]["appendix1"], room_w)
    placement = typeset.placement_of(svg, paper, room=(room_w, room_h))
    parts = len(placement.tiles)
    if parts > MAX_FLOWCHART_PAGES:
        note = words["doc.flowchart_too_large"].format(pages=parts, limit=MAX_FLOWCHART_PAGES, paper=paper.upper())
        document.add_paragraph(note)
        if say is not None:
            say(note)
        return
    title = data["appendix"]["appendix1"]
    for k, (tile, png) in enumerate(zip(placement.tiles, typeset.tile_pngs(svg, placement, when=document_date(plan)))):
        if k:
            line = document.add_paragraph(words["doc.continued"].format(title=title, part=k + 1, parts=parts))
            line.paragraph_format.page_break_before = True
            line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        # printed at the placement's scale exactly (its pixels are the drawing's at PNG_PPI)
        pixels = int.from_bytes(png[16:20], "big")
        document.add_picture(io.BytesIO(png), width=Emu(math.ceil(pixels * 72 / typeset.PNG_PPI * placement.scale * EMU_PER_PT)))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


EMU_PER_PT = 12700


# ---------------------------------------------------------------------------------------
# Plan Markdown into Word paragraphs (raw HTML is off, as everywhere)


def markdown_into(document: Any, text: str, *, base_level: int = 1) -> None:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("js-default").parse(text or "")
    lists: list[str] = []
    fresh = False  # the next paragraph starts an ordered list
    style: str | None = None
    heading: int | None = None
    quote = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "bullet_list_open":
            lists.append("List Bullet")
        elif kind == "ordered_list_open":
            lists.append("List Number")
            fresh = len(lists) == 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind == "heading_open":
            heading = min(base_level + int(token.tag[1]), 6)
        elif kind == "heading_close":
            heading = None
        elif kind == "paragraph_open":
            style = _list_style(lists) if lists else ("Quote" if quote else None)
        elif kind == "inline":
            if heading is not None:
                paragraph = document.add_heading(level=heading)
            else:
                paragraph = document.add_paragraph(style=style) if style else document.add_paragraph()
                if fresh and style == "List Number":
                    docx_restart_numbering(document, paragraph)
                fresh = False
            _inline(paragraph, token.children or [])
        elif kind in ("fence", "code_block"):
            paragraph = document.add_paragraph()
            run = paragraph.add_run(token.content.rstrip("\n"))
            run.font.name = "Courier New"
        elif kind == "table_open":
            i = _table(document, tokens, i)
            continue
        i += 1


def _list_style(lists: list[str]) -> str:
    depth = len(lists)
    return lists[-1] if depth == 1 else f"{lists[-1]} {min(depth, 3)}"


def _inline(paragraph: Any, children: list[Any]) -> None:
    bold = italic = False
    href: str | None = None
    link_text = ""
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "link_open":
            href, link_text = str(child.attrs.get("href", "")), ""
        elif kind == "link_close":
            if href and href != link_text and not href.startswith("#"):
                paragraph.add_run(f" ({href})")
            href = None
        elif kind in ("softbreak",):
            paragraph.add_run(" ")
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind in ("text", "code_inline"):
            run = paragraph.add_run(child.content)
            run.bold = bold or None
            run.italic = italic or None
            if kind == "code_inline":
                run.font.name = "Courier New"
            if href is not None:
                link_text += child.content
        elif kind == "image":
            paragraph.add_run(child.content)


def _table(document: Any, tokens: list[Any], i: int) -> int:
    """A Markdown table as a Word table; returns the index after it."""
    rows: list[list[str]] = []
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            rows[-1].append(token.content)
        i += 1
    if rows:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    return i + 1


def _logo(document: Any, logo: Any) -> None:
    """The plan's logo above the title. Word takes PNG and JPEG; an SVG logo is set as PNG by
    typst first (no system program)."""
    from docx.shared import Cm

    if logo is None:
        return
    from .typeset import logo_raster

    document.add_picture(io.BytesIO(logo_raster(logo)[1]), height=Cm(2.5))
