"""`roadmap publish`: the revised road map as a static website that works offline.

Step 5 of the Green Paper's procedure: publish and involve as many parties as possible.
The site holds the three documents in every format, the timeline, the plan file and its
schema, the change log and a page on how to send proposals; it needs no server, no CDN
and no network, so it can be opened from a USB stick or put on any web host.

The same plan and date give the same bytes (nothing depends on the clock unless no date
is given), so a site kept in git only changes when the plan does. A folder is written
only if it is empty or was made by publish (a marker file says so), unless `force`; even
then no file of the site lands on the plan or on any other plan (`check_folder`).
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .errors import FileExists
from .escaping import relative_href
from .store import check_output, load, write_bytes_atomic

MARKER = ".roadmap-site"
MARKER_TEXT = "This folder was made by `roadmap publish`; publishing again replaces its files.\n"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Output:
    """One file of the site: its name and how to make its bytes."""

    name: str
    make: Callable[[], bytes]
    label: str  # what the progress line says


def prepare_folder(folder: Path, *, force: bool) -> None:
    """Create the folder, or accept it if empty, made by publish, or forced."""
    if folder.exists() and not folder.is_dir():
        raise FileExists(f"{folder} is a file, not a folder; choose a folder for the site")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file() and not force:
        raise FileExists(
            f"{folder} is not empty and was not made by roadmap publish; choose an empty or new folder, "
            "or use --force to write into it anyway"
        )
    folder.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(folder / MARKER, MARKER_TEXT.encode("utf-8"))


def check_folder(folder: Path, names: list[str], plan_path: Path) -> None:
    """Before writing anything: no file of the site may land on the plan or on another plan.

    Publish removes nothing; it replaces only the files it names (the list above). Even
    with --force, none of them may be the plan being published (publishing into the plan's
    own folder would overwrite it with its copy) or a file that looks like a plan, unless
    the folder was made by publish (its marker), where the plan copy is publish's own.
    """
    own = (folder / MARKER).is_file()
    for name in [*names, MARKER]:
        check_output(folder / name, [plan_path], own=own)


def publish(
    plan_path: Path,
    folder: Path,
    *,
    force: bool = False,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write the site; return the files written, in the order written."""
    from .i18n import catalogue
    from .render import commands, documents, flowchart, tables, timeline

    doc = load(plan_path)
    plan = doc.plan
    when = as_of or plan.meta.as_of or dt.date.today()
    t = catalogue(plan.meta.language)
    model = commands.model_of(plan)
    say = progress or (lambda _line: None)
    plan_name = plan_path.name if plan_path.suffix in (".yaml", ".yml") else f"{plan.meta.id}.yaml"
    images = ["svg", "png", "pdf"]  # PNG and PDF are set by typst: no system program needed
    from .identity import read_logo

    logo = read_logo(plan, plan_path)
    logo_src = logo.name if logo is not None else None
    nav = _nav(t)

    def page(name: str) -> list[dict[str, Any]]:
        return [{**link, "current": link["href"] == name} for link in nav]

    outputs: list[Output] = [
        *([Output(logo.name, lambda: logo.data, "logo")] if logo is not None else []),
        Output("green-paper.html", lambda: documents.to_html(plan, model=model, as_of=when, t=t, nav=page("green-paper.html"), logo=logo, logo_src=logo_src).encode(), "Green Paper (HTML)"),
        Output("green-paper.md", lambda: documents.render(plan, "md", as_of=when, model=model, logo=logo, logo_src=logo_src), "Green Paper (Markdown)"),
        Output("green-paper.docx", lambda: documents.render(plan, "docx", as_of=when, model=model, logo=logo, say=say), "Green Paper (Word)"),
        Output("green-paper.pdf", lambda: documents.render(plan, "pdf", as_of=when, model=model, logo=logo), "Green Paper (PDF)"),
        Output("action-plan.html", lambda: tables.to_html(plan, t, nav=page("action-plan.html")).encode(), "action plan (HTML)"),
        *[Output(f"action-plan.{fmt}", _bound(tables.render, plan, fmt), f"action plan ({fmt})") for fmt in ("md", "csv", "xlsx", "docx", "pdf")],
        *[Output(f"flowchart.{commands.extension(fmt)}", _bound(flowchart.render, plan, fmt, logo=logo), f"flowchart ({fmt})") for fmt in [*images, "dot", "mermaid"]],
        *[
            Output(f"timeline.{commands.extension(fmt)}", _bound(timeline.render, plan, fmt, as_of=when), f"timeline ({fmt})")
            for fmt in ["svg", "png", "pdf", "mermaid"]
        ],
        Output(plan_name, lambda: doc.text.encode("utf-8"), "plan file"),
        Output("roadmap.schema.json", _schema, "JSON Schema"),
        Output("proposal-template.txt", lambda: _proposal_template(plan, t).encode("utf-8"), "proposal template"),
    ]
    names = {o.name for o in outputs}
    site = {
        "plan": plan,
        "t": t.all(),
        "as_of": when.isoformat(),
        "tracked": plan.meta.kind == "plan",
        "plan_name": plan_name,
        "plan_href": relative_href(plan_name),
        "images": images,
        "has": names,
        "progress": documents.vision_progress(plan),
        "identity": documents.identity(plan, t),
        "logo_src": logo_src,
    }
    outputs += [
        Output("index.html", lambda: _page("site/index.html.j2", site, page("index.html"), t("site.home")), "index page"),
        Output("timeline.html", lambda: _page("site/timeline.html.j2", {**site, "svg": _inline_svg(timeline.render(plan, "svg", as_of=when))}, page("timeline.html"), t("site.timeline")), "timeline page"),
        Output("changes.html", lambda: _page("site/changes.html.j2", {**site, "entries": _changelog_entries(doc)}, page("changes.html"), t("site.changelog")), "change log"),
        Output("proposals.html", lambda: _page("site/proposals.html.j2", {**site, **_proposals(plan, t)}, page("proposals.html"), t("site.proposals")), "proposals page"),
    ]
    check_folder(folder, [o.name for o in outputs], plan_path)
    prepare_folder(folder, force=force)
    written: list[Path] = []
    with flowchart.reused():  # drawn once per format, for the documents that embed it and for itself
        for n, output in enumerate(outputs, start=1):
            say(f"[{n}/{len(outputs)}] {output.name}: {output.label}")
            target = folder / output.name
            write_bytes_atomic(target, output.make())
            written.append(target)
    return written


def _bound(fn: Callable[..., bytes], *args: Any, **kwargs: Any) -> Callable[[], bytes]:
    return lambda: fn(*args, **kwargs)


def _nav(t: Any) -> list[dict[str, Any]]:
    return [
        {"href": "index.html", "label": t("site.home")},
        {"href": "green-paper.html", "label": t("site.green_paper")},
        {"href": "action-plan.html", "label": t("site.action_plan")},
        {"href": "timeline.html", "label": t("site.timeline")},
        {"href": "changes.html", "label": t("site.changelog")},
        {"href": "proposals.html", "label": t("site.proposals")},
    ]


def _page(template: str, data: dict[str, Any], nav: list[dict[str, Any]], title: str) -> bytes:
    from .render.templating import environment

    return environment().get_template(template).render(**data, nav=nav, page_title=title).encode("utf-8")


def _inline_svg(svg: bytes) -> Any:
    from markupsafe import Markup

    text = svg.decode("utf-8")
    return Markup(text[text.index("<svg") :])  # our own SVG: the plan's text in it is escaped


def _schema() -> bytes:
    from .resources import schema_path

    return schema_path().read_bytes()


def _proposal_template(plan: Any, t: Any) -> str:
    subject = (plan.meta.contact.subject if plan.meta.contact else None) or t("site.default_subject")
    return t("proposal.template", subject=subject, title=plan.meta.title, version=plan.meta.version)


def _proposals(plan: Any, t: Any) -> dict[str, Any]:
    contact = plan.meta.contact
    subject = (contact.subject if contact else None) or t("site.default_subject")
    template = _proposal_template(plan, t)
    mailto = None
    if contact and contact.email:
        query = urllib.parse.urlencode({"subject": subject, "body": template}, quote_via=urllib.parse.quote)
        mailto = f"mailto:{urllib.parse.quote(contact.email, safe='@.+-_')}?{query}"
    return {
        "subject": subject,
        "email": contact.email if contact else None,
        "website": contact.website if contact else None,
        "mailto": mailto,
        "template": template,
    }


def _changelog_entries(doc: Any) -> list[dict[str, str]]:
    """The change log page's rows: the same days and sentences as `roadmap changelog`."""
    from .changelog import days

    return [
        {"date": day.date.isoformat(), "sentence": sentence}
        for day in days(doc.data.get("history") or [], doc.plan)
        for sentence in day.sentences
    ]
