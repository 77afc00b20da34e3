"""The revised Green Paper for a plan, as HTML, Markdown and Word.

The chapters are the plan's own sections, in the plan's order. Four of them are where the
Green Paper talks about data the plan holds, so the data follows them: the vision
(goals, the success rule, and how far this country is), the audiences, the directions
(questions, narrative, what the country plans and what it has done) and the stages.
Then Appendix 1 (the flowchart), Appendix 2 (the action plan) and the annex "Changes
from the model", every adaptation as a sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..i18n import Catalogue, catalogue
from ..model import Roadmap, Section, Status, Task
from ..progress import tally
from . import palette
from .rows import action_plan, directions, owner_text, row_order, stages, years_text

FORMATS = ("md", "html", "docx", "pdf")

# Changes worth a sentence in the annex; init's relabelling (meta.id, title...) is not one.
_ANNEX_ROOTS = {"tasks", "vision", "stages", "directions", "audiences", "sections"}
_ANNEX_META = {("meta", "start_year"), ("meta", "horizon")}


@dataclass
class TaskLine:
    task: Task
    years: str
    owner: str
    date: str  # status date, for what is done, as the language writes it


@dataclass
class DirectionPart:
    number: int
    name: str
    anchor: str
    questions: list[str]
    narrative: str  # Markdown
    planned: list[TaskLine] = field(default_factory=list)
    done: list[TaskLine] = field(default_factory=list)
    not_needed: list[TaskLine] = field(default_factory=list)


@dataclass
class Chapter:
    section: Section
    level: int  # 2 for "1", 3 for "1.1"
    anchor: str
    heading: str
    before: str = ""  # the body before the data the chapter shows (all of it, mostly)
    after: str = ""  # the body after that data: 2.2's closing paragraph follows its audience list


# The appendices' titles, when the plan's sections give them (the Green Paper's full titles);
# else the catalogue's words.
APPENDICES = {"appendix-1": "doc.appendix1", "appendix-2": "doc.appendix2"}
# Chapters whose first paragraph introduces the list the data gives, and the rest follows it.
_LIST_INSIDE = {"audiences"}


def _level(section: Section) -> int:
    return 2 + (section.number.count(".") if section.number else 0)


def chapters(plan: Roadmap) -> list[Chapter]:
    out = []
    for section in plan.sections:
        if section.id in APPENDICES:
            continue
        heading = f"{section.number}. {section.title}" if section.number else section.title
        before, after = section.body, ""
        if section.id in _LIST_INSIDE and "\n\n" in section.body.strip():
            before, after = section.body.strip().split("\n\n", 1)
        out.append(Chapter(section, _level(section), f"s-{section.id}", heading, before, after))
    return out


def appendix_titles(plan: Roadmap, t: Catalogue) -> dict[str, str]:
    """{"appendix1": title, "appendix2": title}: the plan's own section titles, else the catalogue's."""
    titles = {s.id: s.title for s in plan.sections if s.id in APPENDICES}
    return {key.split(".")[1]: titles.get(sid) or t(key) for sid, key in APPENDICES.items()}


def direction_parts(plan: Roadmap, t: Catalogue) -> list[DirectionPart]:
    parts = []
    for direction in directions(plan):
        part = DirectionPart(
            direction.number,
            direction.name,
            f"d-{direction.id}",
            list(direction.guiding_questions),
            direction.narrative or "",
        )
        for task in sorted((x for x in plan.tasks if x.direction == direction.id), key=row_order):
            line = TaskLine(task, years_text(plan, task), owner_text(task), t.date(task.status_date))
            if task.status is Status.done:
                part.done.append(line)
            elif task.status is Status.not_needed:
                part.not_needed.append(line)
            else:
                part.planned.append(line)
        parts.append(part)
    return parts


def annex(plan: Roadmap, model: Roadmap | None, t: Catalogue) -> list[str]:
    """Every adaptation of the model as a sentence, in the plan's order."""
    from ..diff import diff_plans
    from ..sentences import describe

    if model is None:
        return []
    changes = [
        c
        for c in diff_plans(model, plan)
        if ((c.path and c.path[0] in _ANNEX_ROOTS) or tuple(c.path[:2]) in _ANNEX_META)
        and c.field != "box.order"  # boxes renumbered around an added task: the addition says it
    ]
    return describe(changes, plan, lang=t.lang)


def vision_progress(plan: Roadmap) -> dict[str, Any]:
    goals = plan.vision.goals
    reached = sum(1 for g in goals if g.reached)
    counts = tally(plan.tasks)
    return {
        "reached": reached,
        "total_goals": len(goals),
        "needed": plan.vision.success_rule.min_goals if plan.vision.success_rule else None,
        "done": counts.done,
        "in_progress": counts.in_progress,
        "planned": counts.planned,
        "not_needed": counts.not_needed,
        "total": counts.counted,
        "percent": counts.percent if counts.percent is not None else 0,
    }


def markdown_html(text: str) -> str:
    """Plan Markdown as HTML with raw HTML off: a <script> in a plan stays text."""
    from markdown_it import MarkdownIt

    return MarkdownIt("js-default").render(text or "")


_RAW_TAG = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>)")


def markdown_safe(text: str) -> str:
    """Plan Markdown copied into a Markdown file: raw HTML tags neutralised, autolinks kept."""
    return _RAW_TAG.sub("&lt;", text or "").strip()


def identity(plan: Roadmap, t: Catalogue) -> dict[str, Any]:
    """The title page's words besides the title: the credit to the model, the contact, the colophon."""
    meta = plan.meta
    credit = None
    credit_group = None
    source = meta.adapted_from
    if source is not None:
        if source.year and source.version:
            edition = t("doc.edition", year=source.year, version=source.version)
        else:
            edition = str(source.year or source.version or "")
        credit = t("doc.adapted_from", title=source.title, edition=edition) if edition else t(
            "doc.adapted_from_plain", title=source.title
        )
        names = [p.name + (f" ({p.country})" if p.country else "") for p in source.authors]
        if names:
            credit_group = t("doc.adapted_group", names=", ".join(names))
    contact = meta.contact
    return {
        "credit": credit,
        "credit_group": credit_group,
        "email": contact.email if contact else None,
        "website": contact.website if contact else None,
        "colophon": t("doc.colophon", title=meta.title, version=meta.version),
    }


def context(plan: Roadmap, *, model: Roadmap | None, as_of: dt.date, t: Catalogue, logo: Any = None) -> dict[str, Any]:
    tracked = plan.meta.kind == "plan"
    country = plan.meta.country.name if plan.meta.country else (plan.meta.region or plan.meta.title)
    return {
        "plan": plan,
        "t": t.all(),
        "tracked": tracked,
        "country": country,
        "as_of": t.date(as_of),
        "chapters": chapters(plan),
        "appendix": appendix_titles(plan, t),
        "directions": direction_parts(plan, t),
        "stages": stages(plan),
        "groups": action_plan(plan, t),
        "progress": vision_progress(plan),
        "changes": annex(plan, model, t),
        "model": model,
        "fill": {s.value: palette.FILL[s] for s in Status},
        "identity": identity(plan, t),
        "logo": logo,
    }


# ---------------------------------------------------------------------------------------
# HTML and Markdown


def _flowchart_svg(plan: Roadmap, lang: str, logo: Any = None) -> str:
    """The flowchart as inline SVG (no XML prolog); Graphviz (system or WebAssembly) draws it."""
    from .flowchart import render as flowchart

    svg = flowchart(plan, "svg", lang=lang, logo=logo).decode("utf-8")
    svg = svg[svg.index("<svg") :]
    return re.sub(r"<!--.*?-->\n?", "", svg, flags=re.S)


def to_html(
    plan: Roadmap,
    *,
    model: Roadmap | None,
    as_of: dt.date,
    t: Catalogue,
    nav: list[dict[str, Any]] | None = None,
    logo: Any = None,
    logo_src: str | None = None,
) -> str:
    """`logo_src`: where the page finds the logo (the site's copy); else it is embedded."""
    from markupsafe import Markup

    from .tables import columns
    from .templating import environment

    data = context(plan, model=model, as_of=as_of, t=t, logo=logo)
    return environment().get_template("green_paper.html.j2").render(
        **data,
        logo_src=logo_src or (logo.data_uri() if logo is not None else None),
        page_title=plan.meta.subtitle or plan.meta.title,
        columns=columns(plan),
        markdown=lambda text: Markup(markdown_html(text)),
        flowchart_svg=Markup(_flowchart_svg(plan, t.lang, logo)),  # Graphviz escapes the plan's text in it
        nav=nav,
    )


def to_markdown(plan: Roadmap, *, model: Roadmap | None, as_of: dt.date, t: Catalogue, logo: Any = None, logo_src: str | None = None) -> str:
    """`logo_src`: the logo's address as the Markdown file sees it (default: the plan's meta.logo)."""
    from .flowchart import mermaid
    from .tables import columns
    from .templating import environment

    data = context(plan, model=model, as_of=as_of, t=t, logo=logo)
    text = environment().get_template("green_paper.md.j2").render(
        **data,
        logo_src=logo_src or (plan.meta.logo if logo is not None else None),
        columns=columns(plan),
        markdown=markdown_safe,
        flowchart_mermaid=mermaid(plan, lang=t.lang),
    )
    return re.sub(r"\n{3,}", "\n\n", text)


def meta_line(plan: Roadmap, t: Catalogue, as_of: str | None) -> str:
    """"Version 1 · Published 1 May 2021 · Statuses as of 31 December 2025" under a title."""
    parts = [t("doc.version", version=plan.meta.version)]
    if plan.meta.published:
        parts.append(t("doc.published", date=t.date(plan.meta.published)))
    if as_of and plan.meta.kind == "plan":
        parts.append(t("doc.as_of", date=as_of))
    return " \u00b7 ".join(parts)


def to_pdf(plan: Roadmap, *, model: Roadmap | None, as_of: dt.date, t: Catalogue, paper: str | None = None, logo: Any = None) -> bytes:
    """The Green Paper as print-ready PDF: title page, contents, page numbers, the flowchart
    on its own landscape A3 (or `paper`) page, the action plan as a landscape table."""
    from . import typeset
    from .flowchart import render as flowchart
    from .office import document_date
    from .tables import columns, typst_widths
    from .templating import Typst, typst_environment

    data = context(plan, model=model, as_of=as_of, t=t, logo=logo)
    svg = flowchart(plan, "svg", lang=t.lang, logo=logo).decode("utf-8")
    placement = typeset.placement_of(svg, paper or "a3")
    appendix1 = Typst(f"#place(hide(heading(level: 1)[{typeset.escape(data['appendix']['appendix1'])}]))")
    keys = columns(plan)
    when = document_date(plan)
    source = typst_environment().get_template("typst/green_paper.typ.j2").render(
        **data,
        covered=[ch.section.id for ch in data["chapters"]],
        columns=keys,
        widths=typst_widths(keys),
        markdown=lambda text, level: Typst(typeset.markdown(text, base_level=level)),
        meta_line=meta_line(plan, t, data["as_of"]),
        placement=placement,
        appendix1=appendix1,
        continued=t("doc.continued", title=data["appendix"]["appendix1"], part="{part}", parts="{parts}"),
        margin=typeset.MARGIN_PT,
        table_paper="a4",  # the table reads best at 8 pt on A4; --paper sizes the flowchart page
        date=when,
        lang=t.lang,
        font=typeset.FONT,
    )
    images = {"flowchart": svg, **({"logo": typeset.logo_svg(logo, raster=True)} if logo is not None else {})}
    return typeset.compile_document(source, "pdf", when=when, images=images)


def render(
    plan: Roadmap,
    fmt: str,
    *,
    as_of: dt.date,
    model: Roadmap | None = None,
    lang: str | None = None,
    logo: Any = None,
    logo_src: str | None = None,
    paper: str | None = None,
    say: Callable[[str], None] | None = None,
) -> bytes:
    """The revised Green Paper in one of FORMATS, as the bytes of the file.

    `logo` is the plan's logo as read by `identity.read_logo` (the renderer does not know
    where the plan file is). `paper` sizes the flowchart's pages of the PDF and Word
    document; `say` hears what the reader should know (a flowchart left out of Word).
    """
    t = catalogue(lang or plan.meta.language)
    if fmt == "pdf":
        return to_pdf(plan, model=model, as_of=as_of, t=t, paper=paper, logo=logo)
    if fmt == "html":
        return to_html(plan, model=model, as_of=as_of, t=t, logo=logo, logo_src=logo_src).encode("utf-8")
    if fmt == "md":
        return to_markdown(plan, model=model, as_of=as_of, t=t, logo=logo, logo_src=logo_src).encode("utf-8")
    from .green_paper_docx import to_docx

    return to_docx(context(plan, model=model, as_of=as_of, t=t, logo=logo), t, paper=paper, say=say)
