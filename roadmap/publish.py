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

from .errors import FileExists, RoadmapError
from .escaping import relative_href
from .store import check_output, load, write_bytes_atomic

MARKER = ".roadmap-site"
MARKER_TEXT = "This folder was made by `roadmap publish`; publishing again replaces its files.\n"

Progress = Callable[[str], None]


class PublishFailed(RoadmapError):
    """A worker process died while making the site (not a mistake in the plan)."""


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
    languages: list[str] | None = None,
    progress: Progress | None = None,
    jobs: int | None = None,
) -> list[Path]:
    """Write the site; return the files written, in the order of the site's list.

    Every language the plan has translations for (or those asked for) is published side
    by side: the first at the top of the folder, the others in a folder each (`ru/`),
    every page linking to itself in the other languages.

    The files are made by as many processes as there are CPUs (`jobs`: at most how many;
    see `_workers` for when it is one); every file's bytes are the same either way.
    """
    doc = load(plan_path)
    chosen = _languages(doc.plan, plan_path, languages)
    from .identity import read_logo

    logo = read_logo(doc.plan, plan_path)
    plan_name = plan_path.name if plan_path.suffix in (".yaml", ".yml") else f"{doc.plan.meta.id}.yaml"
    logos = [Output(logo.name, lambda: logo.data, "logo")] if logo is not None else []
    shared = [Output(plan_name, lambda: doc.text.encode("utf-8"), "plan file"), Output("roadmap.schema.json", _schema, "JSON Schema")]
    say = progress or (lambda _line: None)
    sites = [_Language(doc, plan_path, language, chosen, plan_name, logo, as_of, say) for language in chosen]
    # The first language's pages at the top with the shared files, then a folder per language;
    # `sites` keeps the translated plans alive while publishing (drawings are cached by plan).
    outputs = [*logos, *sites[0].outputs(), *shared, *(o for site in sites[1:] for o in site.outputs())]
    check_folder(folder, [o.name for o in outputs], plan_path)
    prepare_folder(folder, force=force)
    for language in chosen[1:]:
        (folder / language).mkdir(exist_ok=True)
    groups = [[i for i, o in enumerate(outputs) if _group(o, chosen) == g] for g in sorted({_group(o, chosen) for o in outputs})]
    _warm_up()
    workers = _workers(len(groups), jobs)
    if workers == 1:
        _make(outputs, groups, folder, say)
    else:
        _in_workers(outputs, groups, folder, say, workers)
    return [folder / o.name for o in outputs]


def _make(outputs: list[Output], groups: list[list[int]], folder: Path, say: Progress) -> None:
    """Make and write the groups' files, in order."""
    from .render import flowchart

    with flowchart.reused():  # drawn once per format (and process), for the documents that embed it and for itself
        for group in groups:
            for i in group:
                output = outputs[i]
                say(f"[{i + 1}/{len(outputs)}] {output.name}: {output.label}")
                write_bytes_atomic(folder / output.name, output.make())


def _in_workers(outputs: list[Output], groups: list[list[int]], folder: Path, say: Progress, workers: int) -> None:
    """The groups made by forked processes, shared out by weight; each sends its progress
    lines up a pipe, and this process hands them to `say` as they come (it may write to a
    terminal, or to a test's buffer). An error in a worker is raised here as it was raised
    there; a worker that dies is reported as such."""
    import os
    import pickle
    import selectors
    import sys

    shares: list[list[int]] = [[] for _ in range(workers)]
    load = [0.0] * workers
    for k in sorted(range(len(groups)), key=lambda k: -_weight(outputs, groups[k])):
        w = load.index(min(load))
        shares[w].append(k)
        load[w] += _weight(outputs, groups[k])
    children: dict[int, int] = {}  # read end -> pid
    for share in shares:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: never returns into the caller's code
            code = 0
            try:
                os.close(read)
                for r in children:
                    os.close(r)
                _work(outputs, [groups[k] for k in share], folder, write)
            except BaseException:  # noqa: BLE001 - everything goes back to the parent
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(write)
        children[read] = pid
    error: BaseException | None = None
    selector = selectors.DefaultSelector()
    pending = {read: b"" for read in children}
    for read in children:
        selector.register(read, selectors.EVENT_READ)
    while pending:
        for key, _ in selector.select():
            read = key.fd
            chunk = os.read(read, 65536)
            if chunk:
                pending[read] += chunk
                *lines, pending[read] = pending[read].split(b"\n")
                for line in lines:
                    if line.startswith(b"\0"):
                        error = error or pickle.loads(bytes.fromhex(line[1:].decode("ascii")))
                    else:
                        say(line.decode("utf-8"))
                continue
            selector.unregister(read)
            os.close(read)
            del pending[read]
    selector.close()
    died = [pid for pid in children.values() if os.waitpid(pid, 0)[1] != 0]
    if error is not None:
        raise error
    if died:
        raise PublishFailed(f"a process making the site stopped unexpectedly; {folder} may be incomplete: publish again")


def _work(outputs: list[Output], groups: list[list[int]], folder: Path, pipe: int) -> None:
    """In a worker: its groups' files; progress lines up the pipe, then any error, pickled."""
    import os
    import pickle
    import traceback

    def send(line: str) -> None:
        data = (line.replace("\n", " ") + "\n").encode("utf-8")
        while data:
            data = data[os.write(pipe, data) :]

    try:
        _make(outputs, groups, folder, send)
    except BaseException as exc:
        try:
            sent = pickle.dumps(exc)
            pickle.loads(sent)
        except Exception:  # noqa: BLE001 - an error that cannot travel travels as text
            sent = pickle.dumps(RuntimeError("".join(traceback.format_exception(exc))))
        send("\0" + sent.hex())
        raise
    finally:
        os.close(pipe)


def _weight(outputs: list[Output], group: list[int]) -> float:
    """Roughly how long a group takes: the Green Paper's documents are the heaviest."""
    return sum(3.0 if outputs[i].name.rpartition("/")[2].startswith("green-paper.") else 1.0 for i in group)


def _group(output: Output, chosen: list[str]) -> tuple[int, int]:
    """(language, part): the Green Paper (which embeds the drawings) apart from the rest, so
    the heaviest documents of each language go to different workers."""
    first, _, rest = output.name.partition("/")
    language = chosen.index(first) if rest and first in chosen else 0
    return language, 0 if output.name.rpartition("/")[2].startswith("green-paper.") else 1


def _workers(groups: int, jobs: int | None) -> int:
    """Processes to publish with: one per CPU this process may use (at most `jobs`), forked,
    so only on Linux and only while this process runs a single thread. Native threads count
    too: typst and the WebAssembly Graphviz keep thread pools once used, and a forked child
    that needs a pool whose threads stayed behind waits forever. The command runs neither
    before publishing; a program that rendered before calling publish gets one process."""
    import os
    import sys

    if not sys.platform.startswith("linux") or _threads() != 1:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, groups, 4, jobs or 4))


def _threads() -> int:
    """Threads of this process, native ones included (Linux's /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0  # unknown: not safe to fork


def _warm_up() -> None:
    """Import the writers once, before any worker is forked, so none imports them again."""
    import docx  # noqa: F401
    import markdown_it  # noqa: F401
    import openpyxl  # noqa: F401

    from .render import documents, flowchart, green_paper_docx, tables, timeline, typeset  # noqa: F401


def _languages(plan: Any, plan_path: Path, asked: list[str] | None) -> list[str]:
    """The languages to publish, the plan's own first (or the first asked for)."""
    from .errors import BadValue
    from .translation_files import check_language, languages

    if not asked:
        return languages(plan, plan_path).all
    available = languages(plan, plan_path, borrowed=True).all
    chosen: list[str] = []
    for language in asked:
        check_language(language)
        if language not in available:
            raise BadValue(
                f"{plan_path.name} has no {language} translation ({plan_path.stem}.{language}.yaml); "
                f"it can be published in {', '.join(available)}; start one with: "
                f"roadmap translate export {plan_path.name} --lang {language} -o {language}.po"
            )
        if language not in chosen:
            chosen.append(language)
    return chosen


class _Language:
    """The pages and documents of the site in one language."""

    def __init__(
        self, doc: Any, plan_path: Path, language: str, chosen: list[str], plan_name: str, logo: Any, as_of: dt.date | None,
        say: Progress,
    ):
        from .i18n import catalogue
        from .render import commands
        from .translate import localised

        self.language = language
        self.prefix = "" if language == chosen[0] else f"{language}/"
        up = "../" if self.prefix else ""
        self.plan = localised(doc.plan, plan_path, language)
        model = commands.model_of(doc.plan)
        self.model = localised(model, plan_path, language, of=doc.plan) if model is not None else None
        self.doc = doc
        self.when = as_of or doc.plan.meta.as_of or dt.date.today()
        self.t = catalogue(language)
        self.chosen = chosen
        self.plan_name = plan_name
        self.up = up
        self.logo = logo
        self.say = say
        self.logo_src = f"{up}{logo.name}" if logo is not None else None

    def page(self, name: str) -> list[dict[str, Any]]:
        """The navigation of one page: the site's pages, then the page in each other language."""
        links = [{**link, "current": link["href"] == name} for link in _nav(self.t)]
        for other in self.chosen if len(self.chosen) > 1 else []:
            there = "" if other == self.chosen[0] else f"{other}/"
            href = name if other == self.language else f"{self.up}{there}{name}"
            links.append({"href": href, "label": _endonym(other), "hreflang": other, "current": other == self.language})
        return links

    def outputs(self) -> list[Output]:
        from .render import commands, documents, flowchart, tables, timeline

        plan, t, when, model, logo, logo_src, page = self.plan, self.t, self.when, self.model, self.logo, self.logo_src, self.page
        p = self.prefix
        images = ["svg", "png", "pdf"]  # PNG and PDF are set by typst: no system program needed
        outputs: list[Output] = [
            Output(f"{p}green-paper.html", lambda: documents.to_html(plan, model=model, as_of=when, t=t, nav=page("green-paper.html"), logo=logo, logo_src=logo_src).encode(), "Green Paper (HTML)"),
            Output(f"{p}green-paper.md", lambda: documents.render(plan, "md", as_of=when, model=model, logo=logo, logo_src=logo_src), "Green Paper (Markdown)"),
            Output(f"{p}green-paper.docx", lambda: documents.render(plan, "docx", as_of=when, model=model, logo=logo, say=self.say), "Green Paper (Word)"),
            Output(f"{p}green-paper.pdf", lambda: documents.render(plan, "pdf", as_of=when, model=model, logo=logo), "Green Paper (PDF)"),
            Output(f"{p}action-plan.html", lambda: tables.to_html(plan, t, nav=page("action-plan.html")).encode(), "action plan (HTML)"),
            *[Output(f"{p}action-plan.{fmt}", _bound(tables.render, plan, fmt), f"action plan ({fmt})") for fmt in ("md", "csv", "xlsx", "docx", "pdf")],
            *[Output(f"{p}flowchart.{commands.extension(fmt)}", _bound(flowchart.render, plan, fmt, logo=logo), f"flowchart ({fmt})") for fmt in [*images, "dot", "mermaid"]],
            *[
                Output(f"{p}timeline.{commands.extension(fmt)}", _bound(timeline.render, plan, fmt, as_of=when), f"timeline ({fmt})")
                for fmt in ["svg", "png", "pdf", "mermaid"]
            ],
            Output(f"{p}proposal-template.txt", lambda: _proposal_template(plan, t).encode("utf-8"), "proposal template"),
        ]
        names = {o.name[len(p):] for o in outputs} | {self.plan_name, "roadmap.schema.json"}
        site = {
            "plan": plan,
            "t": t.all(),
            "as_of": when.isoformat(),
            "tracked": plan.meta.kind == "plan",
            "plan_name": self.plan_name,
            "plan_href": relative_href(self.plan_name).replace("./", self.up, 1) if self.up else relative_href(self.plan_name),
            "schema_href": self.up + "roadmap.schema.json",
            "images": images,
            "has": names,
            "progress": documents.vision_progress(plan),
            "identity": documents.identity(plan, t),
            "logo_src": logo_src,
        }
        doc = self.doc
        outputs += [
            Output(f"{p}index.html", lambda: _page("site/index.html.j2", site, page("index.html"), t("site.home")), "index page"),
            Output(f"{p}timeline.html", lambda: _page("site/timeline.html.j2", {**site, "svg": _inline_svg(timeline.render(plan, "svg", as_of=when))}, page("timeline.html"), t("site.timeline")), "timeline page"),
            Output(f"{p}changes.html", lambda: _page("site/changes.html.j2", {**site, "entries": _changelog_entries(doc)}, page("changes.html"), t("site.changelog")), "change log"),
            Output(f"{p}proposals.html", lambda: _page("site/proposals.html.j2", {**site, **_proposals(plan, t)}, page("proposals.html"), t("site.proposals")), "proposals page"),
        ]
        return outputs


def _endonym(language: str) -> str:
    """A language's own name for itself (Русский, English, Кыргызча), for the switch."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language.replace("-", "_")).get_display_name(language.replace("-", "_")) or language
    except (UnknownLocaleError, ValueError):
        return language
    return name[:1].upper() + name[1:]


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
