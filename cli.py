"""The `roadmap` command: parse arguments, call one roadmap.* function, print.

Exit codes: 0 ok, 1 a user or data error (the message says what to fix), 2 bad usage,
3 for `diff` when the plans differ and for `import-sheet` when it left conflicts.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from roadmap.errors import RoadmapError

app = typer.Typer(
    name="roadmap",
    help="Adapt, track, publish and compare creative-economy road maps.\n\n"
    "Without a PLAN, commands read the embedded Central Asia model (the Green Paper, 2021).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)



def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"roadmap {version('roadmap')}")
        except PackageNotFoundError:
            typer.echo("roadmap (not installed: running from a source folder)")
        raise typer.Exit()


@app.callback()
def _main(
    show_version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
) -> None:
    """Adapt, track, publish and compare creative-economy road maps.

    Without a PLAN, commands read the embedded Central Asia model (the Green Paper, 2021).
    """


# ---------------------------------------------------------------------------------------
# Shared options, defined once

PlanArg = Annotated[
    Optional[Path],
    typer.Argument(help="The plan file (YAML). Default: the embedded Central Asia model.", show_default=False),
]
PlanRequired = Annotated[Path, typer.Argument(help="The plan file (YAML).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show the changes; write nothing.")]
OutOpt = Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file instead of stdout.")]
LangOpt = Annotated[
    Optional[str],
    typer.Option(
        "--lang",
        help="Language of the output, e.g. en, ru (default: the plan's meta.language). "
        "The plan's words come from its translation files; `roadmap translate status` lists them.",
        show_default=False,
    ),
]


def _out(text: str, *, err: bool = False) -> None:
    """Every line of text for the terminal goes out here, plan text cleaned of escape sequences."""
    from roadmap.escaping import for_terminal

    (sys.stderr if err else sys.stdout).write(for_terminal(text))


def _echo(text: str, *, err: bool = False) -> None:
    _out(text + "\n", err=err)


_CONSOLE: Any = None


def _say(text: str, style: str) -> None:
    """One line on stderr, cleaned of escape sequences: coloured by one rich Console on a
    terminal, plain text otherwise.

    A Console per line cost two thirds of `validate` on a plan with 15,000 warnings; and
    with stderr piped or in a file, rich would print the same plain line anyway.
    """
    global _CONSOLE
    from roadmap.escaping import for_terminal

    text = for_terminal(text)
    stream = sys.stderr
    if not stream.isatty() and not os.environ.get("FORCE_COLOR"):
        stream.write(text + "\n")
        return
    if _CONSOLE is None:
        from rich.console import Console

        _CONSOLE = Console(stderr=True, highlight=False, soft_wrap=True)
    _CONSOLE.print(text, style=style, markup=False)


def _err(text: str) -> None:
    _say(text, "red")


def command(*args: Any, on: typer.Typer | None = None, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command; the one place where library errors become messages and exit codes."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*a: Any, **k: Any) -> Any:
            try:
                return fn(*a, **k)
            except RoadmapError as exc:
                _err(str(exc))
                raise typer.Exit(exc.exit_code) from None

        return (on or app).command(*args, **kwargs)(wrapper)

    return decorate


def _plan(path: Optional[Path]) -> Path:
    from roadmap.resources import model_path

    return path if path is not None else model_path()


def _emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


# ---------------------------------------------------------------------------------------
# Commands


@command()
def validate(
    plans: Annotated[
        Optional[list[Path]], typer.Argument(help="Plan files. Default: the embedded model.", show_default=False)
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as errors (exit 1).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Check plans against the schema and the road-map rules; list every problem.

    Each problem is one line FILE:LINE:COL: field.path: message. Exit 1 when a plan has
    errors (or warnings, with --strict).

    Example: roadmap validate kg.yaml
    """
    from roadmap.validate import passed, validate as run

    reports = run(plans or [_plan(None)])
    if as_json:
        _emit_json({"ok": passed(reports, strict=strict), "files": [r.as_dict() for r in reports]})
    else:
        for report in reports:
            for finding in report.findings:
                (_err if finding.severity == "error" else _warn)(str(finding))
            verdict = "valid" if not report.errors else "invalid"
            _echo(f"{report.file}: {verdict} ({len(report.errors)} errors, {len(report.warnings)} warnings)", err=True)
    if not passed(reports, strict=strict):
        raise typer.Exit(1)


def _warn(text: str) -> None:
    _say(text, "yellow")


@command()
def schema(output: OutOpt = None) -> None:
    """Print the JSON Schema of plan files (for editors: `-o roadmap.schema.json`).

    Example: roadmap schema -o roadmap.schema.json
    """
    from roadmap.model import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)  # JSON: control characters are escaped
    else:
        from roadmap.store import write_output

        write_output(output, text)
        _echo(f"wrote {output}", err=True)


# ---------------------------------------------------------------------------------------
# Adapting a plan: the Green Paper's steps 1 to 4 (chapter 2.3)

TasksArg = Annotated[Optional[list[str]], typer.Argument(help="Task ids, e.g. DAT-1 DAT-2.", show_default=False)]
DirectionOpt = Annotated[Optional[str], typer.Option("--direction", help="A direction id or name (all its tasks).")]
StageOpt = Annotated[Optional[str], typer.Option("--stage", help="A stage id, number or name (all its tasks).")]


def _report(edit: Any, dry_run: bool, *, to: str = "stdout") -> list[str]:
    """Print what an editing command did (or would do), one sentence per change; return the sentences."""
    from roadmap.sentences import told

    for note in getattr(edit, "notes", []):
        typer.echo(f"note: {note}", err=True)
    for warning in getattr(edit, "warnings", []):
        _warn(f"warning: {warning}")
    lines = told(edit, edit.plan) if getattr(edit, "plan", None) is not None else [c.describe() for c in edit]
    for line in lines:
        _echo(("(dry run) " if dry_run else "") + line, err=to == "stderr")
    if not edit:
        typer.echo("nothing to change", err=True)
    elif dry_run:
        typer.echo(f"dry run: {len(edit)} change(s), nothing written", err=True)
    return lines


# The plan's identity: shared by init and meta
TitleOpt = Annotated[Optional[str], typer.Option("--title", help="The plan's title.")]
SubtitleOpt = Annotated[Optional[str], typer.Option("--subtitle", help="A line above the title (empty to remove).")]
VersionOpt = Annotated[Optional[str], typer.Option("--version", help='The plan\'s version, e.g. "2" or "2025.1".')]
ContactOpt = Annotated[Optional[str], typer.Option("--contact", help="E-mail address for proposals (empty to remove).")]
WebsiteOpt = Annotated[Optional[str], typer.Option("--website", help="Web address, https://... (empty to remove).")]
LogoOpt = Annotated[
    Optional[Path],
    typer.Option("--logo", help="PNG, JPEG or SVG file, at most 1 MB; the plan stores its path relative to the plan file."),
]
AuthorOpt = Annotated[
    Optional[list[str]],
    typer.Option("--author", help='A working-group member "Name|Organisation|Role" (repeat); adds, or updates that name.'),
]
HorizonOpt = Annotated[Optional[int], typer.Option("--horizon", help="Number of plan years (refused if tasks would fall outside).")]


def _identity(**options: Any) -> Any:
    from roadmap.identity import Identity

    return Identity(**options)


@command()
def init(
    country: Annotated[str, typer.Option("--country", help="ISO 3166-1 alpha-2 code, e.g. KG.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The plan file to create.")],
    name: Annotated[Optional[str], typer.Option("--name", help="Country name (default: from the code).")] = None,
    start_year: Annotated[Optional[int], typer.Option("--start-year", help='Calendar year of "first year" (default: this year).')] = None,
    model: Annotated[Optional[Path], typer.Option("--model", help="Model file (default: the embedded one).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    title: TitleOpt = None, subtitle: SubtitleOpt = None, version: VersionOpt = None, contact: ContactOpt = None,
    website: WebsiteOpt = None, logo: LogoOpt = None, author: AuthorOpt = None, horizon: HorizonOpt = None,
) -> None:
    """Create a country plan from the model, recording the model version it came from.

    The plan gets its own title ("Road map for the development of the creative economy:
    COUNTRY" unless --title), version 1, working group (--author) and contact; the model's
    title and working group are credited as what it was adapted from.

    Example: roadmap init --country KG --start-year 2024 -o kg.yaml
    """
    from roadmap.adapt import ensure_schema, init as run
    from roadmap.regions import init_note

    wish = _identity(title=title, subtitle=subtitle, version=version, contact=contact, website=website, logo=logo, authors=author, horizon=horizon)
    made = run(output, country=country, name=name, start_year=start_year, model=model, force=force, identity=wish)
    for note in [*made.notes, init_note(output)]:
        if note:
            _warn(note)
    typer.echo(f"created {output}; next: roadmap status {output}", err=True)
    schema_file = ensure_schema(output.resolve().parent)
    if schema_file is not None:
        typer.echo(f"wrote {schema_file.name} beside it, so editors can check the plan as you type", err=True)


@command()
def meta(
    plan: PlanRequired,
    title: TitleOpt = None, subtitle: SubtitleOpt = None, version: VersionOpt = None, contact: ContactOpt = None,
    website: WebsiteOpt = None, logo: LogoOpt = None, author: AuthorOpt = None,
    clear_authors: Annotated[bool, typer.Option("--clear-authors", help="Empty the working group first (then --author fills it).")] = False,
    remove_author: Annotated[Optional[list[str]], typer.Option("--remove-author", help="Take this name out of the working group.")] = None,
    horizon: HorizonOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Set the plan's identity: title, version, working group, contact, logo, years.

    Every document shows them: the Green Paper's title page, the site, the action plan.
    --author adds a member (or updates the member of that name); --clear-authors with
    --author replaces the whole group.

    Example: roadmap meta kg.yaml --version 2 --contact roadmap@example.kg --author "A. Usenova|Ministry of Economy|Chair"
    """
    from roadmap.identity import meta as run

    wish = _identity(
        title=title, subtitle=subtitle, version=version, contact=contact, website=website, logo=logo, authors=author,
        clear_authors=clear_authors, remove_authors=remove_author, horizon=horizon,
    )
    _report(run(plan, wish, dry_run=dry_run), dry_run)


@command()
def tick(
    plan: PlanRequired,
    tasks: TasksArg = None,
    status: Annotated[
        str,
        typer.Option("--status", help="done, in-progress, planned or not-needed; also completed, ongoing, not started, green, yellow, red."),
    ] = "done",
    on: Annotated[Optional[str], typer.Option("--on", help="Date, YYYY-MM-DD (default: today).")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="A note (also appended to the task's comments); required for not-needed (the reason).")] = None,
    direction: DirectionOpt = None,
    stage: StageOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Step 1: mark tasks done, in progress, planned, or not needed.

    Example: roadmap tick kg.yaml DEF-1 DEF-2 --on 2024-06-30
    """
    from roadmap.adapt import tick as run

    _report(run(plan, tasks or [], status=status, on=on, note=note, direction=direction, stage=stage, dry_run=dry_run), dry_run)


@command()
def add(
    plan: PlanRequired,
    direction: Annotated[str, typer.Option("--direction", help="Direction (output) id, ref or name.")],
    title: Annotated[str, typer.Option("--title", help="What the task is.")],
    stage: Annotated[Optional[str], typer.Option("--stage", help="Stage id, number or name (a plan without stages takes none).")] = None,
    box: Annotated[Optional[str], typer.Option("--box", help="Flowchart box text (default: the title).")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="Plan year (1 = first year).")] = None,
    years: Annotated[Optional[str], typer.Option("--years", help="Plan years N-M, e.g. 2-4.")] = None,
    after: Annotated[Optional[str], typer.Option("--after", help="Task in the same direction it follows (and depends on).")] = None,
    owner: Annotated[Optional[str], typer.Option("--owner", help="Responsible person.")] = None,
    ref: Annotated[Optional[str], typer.Option("--ref", help='The number people use, e.g. 1.1.1 (accepted wherever a task id is).')] = None,
    period_from: Annotated[Optional[str], typer.Option("--from", help="First period, at the plan's granularity: 2009-Q2, 2024-03, 2025.")] = None,
    period_to: Annotated[Optional[str], typer.Option("--to", help="Last period (default: --from).")] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help="Lead agency, e.g. UNESCO.")] = None,
    party: Annotated[Optional[list[str]], typer.Option("--party", help='Responsible party or partner "NAME[:ROLE]" (repeat).')] = None,
    target: Annotated[Optional[str], typer.Option("--target", help="The annual target.")] = None,
    dry_run: DryRunOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the new id and what changed as JSON.")] = False,
) -> None:
    """Step 1: add a task the model is missing; prints its new id (e.g. KG-FIN-1) and nothing else on stdout.

    Years are plan years (1 = the first year) or calendar years (2025-2026). The new box
    goes into its direction's row by stage and time, or right after --after.

    In a work plan (`roadmap new`), an activity is timed with --from/--to in the plan's
    periods and carries --ref, --lead, --party and --target.

    Example: roadmap add kg.yaml --direction FIN --stage 2 --title "Crowdfunding guide" --years 2025-2026

    Example: roadmap add wp.yaml --direction 1.1 --ref 1.1.1 --title "Train 40 artisans" --from 2009-Q2 --to 2009-Q4 --lead UNESCO --party "Ministry of Culture"
    """
    from roadmap.adapt import add as run
    from roadmap.sentences import told

    edit = run(
        plan, direction=direction, stage=stage, title=title, box=box, year=year, years=years,
        after=after, owner=owner, ref=ref, period_from=period_from, period_to=period_to, lead=lead,
        parties=party, target=target, dry_run=dry_run,
    )
    new_id = edit[-1].task
    if as_json:
        _emit_json({"id": new_id, "dry_run": dry_run, "changes": told(edit, edit.plan)})
    else:
        _report(edit, dry_run, to="stderr")
        _echo(new_id)


@command()
def shift(
    plan: PlanRequired,
    tasks: TasksArg = None,
    by: Annotated[Optional[int], typer.Option("--by", help="Years to move (negative: earlier); in a work plan, its periods (quarters, months).")] = None,
    direction: DirectionOpt = None,
    stage: StageOpt = None,
    every: Annotated[bool, typer.Option("--all", help="Move every task.")] = False,
    start_year: Annotated[Optional[int], typer.Option("--start-year", help="Re-anchor the plan's first year.")] = None,
    horizon: HorizonOpt = None,
    cascade: Annotated[bool, typer.Option("--cascade", help="Move along what follows: the next boxes in each task's flowchart row (its arrows) and tasks that depend on it.")] = False,
    dry_run: DryRunOpt = False,
) -> None:
    """Step 2: move tasks by N years, re-anchor the whole plan with --start-year, or lengthen it with --horizon.

    Example: roadmap shift kg.yaml DAT-2 --by 1 --cascade

    Example: roadmap shift kg.yaml --horizon 7
    """
    from roadmap.adapt import shift as run

    edit = run(
        plan, tasks or [], by=by, direction=direction, stage=stage, every=every, start_year=start_year, horizon=horizon,
        cascade=cascade, dry_run=dry_run,
    )
    _report(edit, dry_run)


@command()
def assign(
    plan: PlanRequired,
    tasks: TasksArg = None,
    owner: Annotated[Optional[str], typer.Option("--owner", help="Responsible person.")] = None,
    org: Annotated[Optional[str], typer.Option("--org", help="Their organisation.")] = None,
    contact: Annotated[Optional[str], typer.Option("--contact", help="E-mail or phone.")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove the owner.")] = False,
    direction: DirectionOpt = None,
    stage: StageOpt = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Step 3: assign a responsible person to tasks (by id, or all of a direction and/or stage).

    Example: roadmap assign kg.yaml FIN-1 FIN-2 --owner "A. Usenova" --org "Ministry of Economy"
    """
    from roadmap.adapt import assign as run

    edit = run(
        plan, tasks or [], owner=owner, org=org, contact=contact, clear=clear, direction=direction, stage=stage,
        dry_run=dry_run,
    )
    _report(edit, dry_run)


@command()
def revise(
    plan: PlanRequired,
    task: Annotated[str, typer.Argument(help="Task id.")],
    title: Annotated[Optional[str], typer.Option("--title", help="New task title.")] = None,
    box: Annotated[Optional[str], typer.Option("--box", help="New flowchart box text.")] = None,
    result: Annotated[Optional[list[str]], typer.Option("--result", help="Replace the expected results (repeat).")] = None,
    add_result: Annotated[Optional[list[str]], typer.Option("--add-result", help="Add an expected result.")] = None,
    indicator: Annotated[Optional[list[str]], typer.Option("--indicator", help="Replace the success indicators (repeat).")] = None,
    add_indicator: Annotated[Optional[list[str]], typer.Option("--add-indicator", help="Add a success indicator.")] = None,
    actors: Annotated[Optional[list[str]], typer.Option("--actors", help="Replace the persons involved (repeat).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Step 4: adjust what a task is expected to deliver.

    Example: roadmap revise kg.yaml DAT-2 --add-result "OKED codes for crafts adopted"
    """
    from roadmap.adapt import revise as run

    changes = run(
        plan, task, title=title, box=box, results=result, add_results=add_result, indicators=indicator,
        add_indicators=add_indicator, actors=actors, dry_run=dry_run,
    )
    _report(changes, dry_run)


@command()
def remove(plan: PlanRequired, task: Annotated[str, typer.Argument(help="Id of a task the country added.")], dry_run: DryRunOpt = False) -> None:
    """Remove a task the country added (model tasks are marked not needed instead).

    Example: roadmap remove kg.yaml KG-FIN-1
    """
    from roadmap.adapt import remove as run

    _report(run(plan, task, dry_run=dry_run), dry_run)


@command()
def undo(plan: PlanRequired, dry_run: DryRunOpt = False) -> None:
    """Take back the last recorded command (recorded itself, so undo twice to redo).

    Example: roadmap undo kg.yaml --dry-run
    """
    from roadmap.undo import undo as run

    _report(run(plan, dry_run=dry_run), dry_run)


@command()
def history(
    plan: PlanRequired,
    task: Annotated[Optional[str], typer.Option("--task", help="Only this task's changes.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the changes recorded in the plan, oldest first.

    Example: roadmap history kg.yaml --task DAT-2
    """
    from roadmap.changelog import lines
    from roadmap.history import entries_of

    plan_data, entries = entries_of(plan, task)
    if as_json:
        _emit_json(entries)
        return
    for line in lines(entries, plan_data):
        _echo(line)
    if not entries:
        typer.echo("no recorded changes", err=True)


@command()
def status(
    plan: PlanArg = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date the view describes (default: today).")] = None,
    owner: Annotated[
        Optional[str], typer.Option("--owner", help="Only tasks whose owner or organisation contains TEXT (any case).")
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="List every task (by default long lists are cut and big cells counted).")
    ] = False,
    as_json: JsonOpt = False,
    lang: LangOpt = None,
) -> None:
    """Where are we? Directions x stages in status colours, progress, overdue, unowned, due now.

    Example: roadmap status kg.yaml --as-of 2025-12-31 --owner "Ministry of Economy"
    """
    import datetime as dt

    from roadmap.adapt import parse_date
    from roadmap.progress import summary
    from roadmap.store import load

    when = parse_date(as_of, what="date for --as-of") or dt.date.today()
    doc = load(_plan(plan), today=when)
    shown = doc.plan
    if lang is not None:  # translations are read only when asked for (status is the start-up-bound command)
        from roadmap.translate import localised

        shown = localised(doc.plan, _plan(plan), lang)
    data = summary(shown, when, owner=owner)
    if as_json:
        _emit_json(data)
        return
    from rich.console import Console

    from roadmap.escaping import for_terminal_data
    from roadmap.i18n import catalogue
    from roadmap.render.terminal import status_view

    Console(highlight=False).print(status_view(for_terminal_data(data), catalogue(lang or doc.plan.meta.language), show_all=show_all))


@command()
def goal(
    plan: PlanRequired,
    goal_id: Annotated[str, typer.Argument(help="Vision goal id, e.g. G4.")],
    reached: Annotated[Optional[bool], typer.Option("--reached/--not-reached", help="Whether it is reached.", show_default=False)] = None,
    on: Annotated[Optional[str], typer.Option("--on", help="Date, YYYY-MM-DD (default: today).")] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", help="What shows it (a link, a report).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record whether the country has reached one of the vision's goals.

    Example: roadmap goal kg.yaml G4 --reached --evidence "Association registered 2024-05-02"
    """
    from roadmap.adapt import goal as run
    from roadmap.errors import BadValue

    if reached is None:
        raise BadValue("say --reached or --not-reached")
    _report(run(plan, goal_id, reached=reached, on=on, evidence=evidence, dry_run=dry_run), dry_run)


# ---------------------------------------------------------------------------------------
# Publishing: render and publish (issue 4)

render_app = typer.Typer(
    help="Draw the road map's documents: flowchart, timeline, action plan, revised Green Paper.\n\n"
    "Without -o the result goes to stdout; the format follows -o's file extension unless --format says.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(render_app, name="render")

FormatOpt = Annotated[Optional[str], typer.Option("--format", "-f", help="Output format (default: from -o's extension).", show_default=False)]
PaperOpt = Annotated[
    Optional[str],
    typer.Option("--paper", help="Paper of the landscape pages in a PDF (and of the Word Green Paper's flowchart): a3 or a4 (default: a3 for the flowchart, a4 for the action plan)."),
]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="Date the statuses describe, YYYY-MM-DD (default: the plan's as_of, else today).")]


def render_command(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a `roadmap render NAME` command."""
    return command(name, on=render_app)


def _render(kind: str, plan: Optional[Path], fmt: Optional[str], output: Optional[Path], **options: Any) -> None:
    from roadmap.adapt import parse_date
    from roadmap.errors import BadValue
    from roadmap.render.commands import choose, is_binary, render_file

    if "as_of" in options:
        options["as_of"] = parse_date(options["as_of"], what="date for --as-of")
    chosen = choose(kind, fmt, output, _plan(plan))
    if output is None and is_binary(chosen) and sys.stdout.isatty():
        raise BadValue(f"{chosen.upper()} is a binary format: give -o FILE")
    data = render_file(kind, _plan(plan), fmt=chosen, output=output, say=_warn, **options)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        typer.echo(f"wrote {output}", err=True)


@render_command("flowchart")
def render_flowchart(
    plan: PlanArg = None,
    fmt: FormatOpt = None,
    output: OutOpt = None,
    details: Annotated[bool, typer.Option("--details", help="Put each task's owner and years in its box.")] = False,
    paper: PaperOpt = None,
    lang: LangOpt = None,
) -> None:
    """Appendix 1: the block diagram (directions x stages), boxes coloured by status.

    Formats: svg, png, pdf (a landscape A3 page, or A4 pages with --paper a4), dot,
    mermaid (renders on GitHub). Nothing to install: PNG and PDF are set by typst.

    Example: roadmap render flowchart kg.yaml --details -o flowchart.png
    """
    _render("flowchart", plan, fmt, output, details=details, paper=paper, lang=lang)


@render_command("timeline")
def render_timeline(
    plan: PlanArg = None, fmt: FormatOpt = None, output: OutOpt = None, as_of: AsOfOpt = None, paper: PaperOpt = None, lang: LangOpt = None
) -> None:
    """A Gantt chart of the tasks by calendar year, grouped by direction, with a line at the date.

    Formats: svg, png, pdf, mermaid.

    Example: roadmap render timeline kg.yaml --as-of 2025-12-31 -o timeline.svg
    """
    _render("timeline", plan, fmt, output, as_of=as_of, paper=paper, lang=lang)


@render_command("action-plan")
def render_action_plan(
    plan: PlanArg = None, fmt: FormatOpt = None, output: OutOpt = None, paper: PaperOpt = None, lang: LangOpt = None
) -> None:
    """Appendix 2: the action plan as adapted, grouped by stage then direction.

    Formats: md, html, csv, xlsx (Excel), docx (Word), pdf (landscape pages, header
    row repeated).

    Example: roadmap render action-plan kg.yaml -o action-plan.xlsx
    """
    _render("action-plan", plan, fmt, output, paper=paper, lang=lang)


@render_command("green-paper")
def render_green_paper(
    plan: PlanArg = None,
    fmt: FormatOpt = None,
    output: OutOpt = None,
    as_of: AsOfOpt = None,
    model: Annotated[
        Optional[Path],
        typer.Option("--model", help="The model file the plan is based on, when it is not a packaged version."),
    ] = None,
    paper: PaperOpt = None,
    lang: LangOpt = None,
) -> None:
    """The revised Green Paper: chapters, directions with this country's tasks, appendices, changes.

    Formats: html, md, docx (Word), pdf (print-ready: title page, contents, page numbers,
    the flowchart on landscape A3 pages, or A4 with --paper a4, in pdf and docx). The annex "Changes from the model" compares with the
    model version the plan records in meta.based_on (after `upgrade`, the new one).

    Example: roadmap render green-paper kg.yaml -o green-paper.docx
    """
    _render("green-paper", plan, fmt, output, as_of=as_of, model=model, paper=paper, lang=lang)



@command()
def publish(
    plan: PlanArg = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The folder to write the site into.")] = Path("site"),
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty folder that publish did not make.")] = False,
    as_of: AsOfOpt = None,
    lang: Annotated[
        Optional[list[str]],
        typer.Option(
            "--lang",
            help="Publish only these languages (repeatable). Default: the plan's language and every language it has translations for.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Step 5: write the revised road map as a static website that works offline.

    Index page, Green Paper, flowchart, action plan and timeline in every format, the plan
    file, its JSON Schema, the change log and a page on sending proposals. The same plan
    and --as-of give byte-identical files.

    Example: roadmap publish kg.yaml -o site --as-of 2025-12-31
    """
    from roadmap.adapt import parse_date
    from roadmap.publish import publish as run

    written = run(
        _plan(plan), output, force=force, as_of=parse_date(as_of, what="date for --as-of"), languages=lang,
        progress=lambda line: typer.echo(line, err=True),
    )
    typer.echo(f"published {len(written)} files to {output}; open {output / 'index.html'}", err=True)


# ---------------------------------------------------------------------------------------
# Translations of the plan's content: the translators' PO files (issue 11)

translate_app = typer.Typer(
    help="Translate a plan's own words (tasks, boxes, directions, chapters) with translators' tools.\n\n"
    "Translations live beside the plan, one file per language (kg.yaml -> kg.ru.yaml); "
    "translators work on gettext PO files (Poedit, Weblate, Crowdin).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(translate_app, name="translate")
LangRequired = Annotated[str, typer.Option("--lang", help="The language to translate into, e.g. ru, ky, kk, tg, tk, uz.")]


@command("export", on=translate_app)
def translate_export(
    plan: PlanArg = None,
    lang: LangRequired = ...,  # type: ignore[assignment]
    output: OutOpt = None,
    everything: Annotated[bool, typer.Option("--all", help="Also what is translated already (for a full review).")] = False,
) -> None:
    """Write what needs translating (or updating) as a PO file for translators.

    Each entry: the source text, its key (id and field) as context, what it is, and its
    line in the plan. Stale translations come with the fuzzy flag and the old text.

    Example: roadmap translate export kg.yaml --lang ky -o ky.po
    """
    from roadmap.store import load
    from roadmap.translate import export_po

    path = _plan(plan)
    doc = load(path)
    data = export_po(doc.plan, path, lang, everything=everything)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from roadmap.store import write_output

        write_output(output, data, [path])
        _echo(f"wrote {output}", err=True)


@command("import", on=translate_app)
def translate_import(
    plan: PlanRequired,
    po_file: Annotated[Path, typer.Argument(help="The translated PO file.")],
    lang: Annotated[Optional[str], typer.Option("--lang", help="Its language (default: the PO file's Language header).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Read a translated PO file into the plan's translation file (PLAN.LANG.yaml).

    Fuzzy entries are left for the translator; entries naming no field of the plan are
    listed and skipped. Nothing else of the file changes.

    Example: roadmap translate import kg.yaml ky.po
    """
    from roadmap.store import load
    from roadmap.translate import import_po

    doc = load(plan)
    result = import_po(doc.plan, plan, po_file, lang, dry_run=dry_run)
    for line in result.lines():
        _echo(("(dry run) " if dry_run else "") + line, err=True)


@command("status", on=translate_app)
def translate_status(plan: PlanArg = None, lang: LangOpt = None, as_json: JsonOpt = False) -> None:
    """Per language: how much of the plan is translated, stale (source changed) and missing.

    Example: roadmap translate status kg.yaml
    """
    from roadmap.store import load
    from roadmap.translate import status as run

    path = _plan(plan)
    doc = load(path)
    rows = run(doc.plan, path, lang)
    if as_json:
        _emit_json({"source": doc.plan.meta.language, "languages": [r.as_dict() for r in rows]})
        return
    if not rows:
        _echo(f"{path.name} has no translations yet; start one with: roadmap translate export {path.name} --lang ru -o ru.po")
        return
    _echo(f"{path.name} is written in {doc.plan.meta.language}; {rows[0].total} texts to translate")
    for row in rows:
        _echo(
            f"{row.language}: {row.translated} translated ({row.percent}%), {row.stale} stale, {row.missing} missing"
            + (f"  [{', '.join(row.files)}]" if row.files else "")
        )


# ---------------------------------------------------------------------------------------
# Comparing plans and carrying model revisions: diff, compare, vision, upgrade, changelog (issue 5)

class DiffFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


def _write_or_print(text: str, output: Optional[Path], inputs: list[Optional[Path]], *, raw: bool = False) -> None:
    """Print a report (`raw`: it carries its own colours), or write it where no plan is."""
    if output is None and raw:
        sys.stdout.write(text)
        return
    if output is None:
        _out(text)
        return
    from roadmap.store import write_output

    write_output(output, text, inputs)
    _echo(f"wrote {output}", err=True)


@command(name="diff")
def diff_cmd(
    a: Annotated[Path, typer.Argument(help="A plan file (with --model: the country plan).", show_default=False)],
    b: Annotated[
        Optional[Path],
        typer.Argument(help="The plan to compare with (with --model: the model file, optional).", show_default=False),
    ] = None,
    model: Annotated[
        bool, typer.Option("--model", help="Compare A with the model it was derived from (meta.based_on), or with B.")
    ] = False,
    fmt: Annotated[DiffFormat, typer.Option("--format", help="text, md or json.")] = DiffFormat.text,
    fields: Annotated[
        Optional[str],
        typer.Option(
            "--fields",
            help="Compare only these fields of tasks in both plans, comma-separated: status, owner, years, title, box, "
            "results, indicators, persons, examples, dependencies, meta, vision, stages, directions... "
            "Tasks only in one plan are always listed.",
        ),
    ] = None,
    output: OutOpt = None,
) -> None:
    """What differs between two plans, in road-map terms (tasks matched by id).

    First a summary line ("3 added, 1 removed, 12 changed: 7 status, 3 owner, 2 years"),
    then tasks only in A, tasks only in B, changed fields of tasks in both with both
    values, and differences in meta, vision, stages and directions. With --model, A is
    compared with the model it was derived from (found by the hash in meta.based_on),
    leaving out the meta fields that only name the document.

    Exit codes: 0 the plans are the same, 3 they differ, 1 error (unreadable or invalid
    plan, unknown model), 2 bad usage.

    Example: roadmap diff kg.yaml kz.yaml --fields status,owner

    Example: roadmap diff kg.yaml --model
    """
    from roadmap.report import build, render

    report = build(a, b, model=model, fields=fields)
    for note in report.notes:
        _warn(note)
    _write_or_print(render(report, fmt.value), output, [a, b], raw=fmt is DiffFormat.json)
    if not report.same:
        raise typer.Exit(3)



class CompareFormat(str, Enum):
    text = "text"
    md = "md"
    html = "html"
    csv = "csv"
    json = "json"


@command(name="compare")
def compare_cmd(
    plans: Annotated[list[Path], typer.Argument(help="Plan files, one per country.", show_default=False)],
    fmt: Annotated[CompareFormat, typer.Option("--format", help="text, md, html, csv or json.")] = CompareFormat.text,
    output: OutOpt = None,
) -> None:
    """The region at a glance: one row per task, one column per plan.

    Rows are the model's tasks, then each country's added tasks; each cell gives the
    task's status (coloured), its years and its responsible person. Per task: how many
    plans keep it and how many dropped it (not needed, or no longer in the plan); per
    plan: totals. html is a self-contained page; csv has one row per task (the totals
    are in the other formats).

    Example: roadmap compare kg.yaml kz.yaml tj.yaml tm.yaml uz.yaml --format html -o region.html
    """
    from roadmap.compare import load, render

    comparison = load(plans)
    colour = output is None and fmt is CompareFormat.text and sys.stdout.isatty()
    _write_or_print(render(comparison, fmt.value, colour=colour), output, list(plans), raw=colour or fmt is CompareFormat.json)


@command(name="vision")
def vision_cmd(
    plans: Annotated[list[Path], typer.Argument(help="Country plans, one per country.", show_default=False)],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Count goals reached by this date (default: today).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Is the region on track? Goals reached per country and the verdict under the success rule.

    The rule ("any 4 of the 6 goals in at least 3 of the 5 countries by the end of 2026")
    is read from the first plan's vision, or from the model it was derived from. A goal
    counts when the plan records it as reached on or before --as-of (and the rule's
    deadline). The rule's number of countries is the denominator even when fewer plans
    are given. Record goals with `roadmap goal PLAN G4 --reached --on DATE`.

    Example: roadmap vision kg.yaml kz.yaml tj.yaml tm.yaml uz.yaml --as-of 2026-12-31
    """
    import datetime as dt

    from roadmap.adapt import parse_date
    from roadmap.vision import format_json, format_text, load

    when = parse_date(as_of, what="date for --as-of") or dt.date.today()
    report = load(plans, as_of=when)
    if as_json:
        sys.stdout.write(format_json(report))
    else:
        _out(format_text(report))


class Prefer(str, Enum):
    ours = "ours"
    theirs = "theirs"


@command(name="upgrade")
def upgrade_cmd(
    plan: PlanRequired,
    to: Annotated[
        Optional[Path],
        typer.Option(
            "--to",
            help="The revised model to take in: a file CCAN published. Default: the model shipped with this "
            "version of roadmap (newer releases ship revised models: pip install -U roadmap).",
            show_default=False,
        ),
    ] = None,
    base: Annotated[
        Optional[Path],
        typer.Option(
            "--base",
            help="The model version the plan was derived from (default: found by the hash in meta.based_on "
            "among the packaged models). Must have that hash.",
            show_default=False,
        ),
    ] = None,
    prefer: Annotated[
        Optional[Prefer],
        typer.Option(
            "--prefer",
            help="Settle conflicts: ours keeps the country's value, theirs takes the model's. "
            "Without it, conflicts are left in the plan under conflicts: (validate warns).",
            show_default=False,
        ),
    ] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Take in a revised model without losing a single local decision (a three-way merge).

    The model's changes to fields the country did not touch arrive; the country's
    decisions (status, owner, goals, added tasks, its own edits) stay. Where both changed
    the same field differently it is a conflict: settled with --prefer, or kept in the
    plan as a marked entry under conflicts: (the plan keeps your value and stays valid;
    validate warns until you decide). Renamed tasks (the model's renamed: map) carry your
    decisions; tasks the model removed leave unless you changed them. meta.based_on is
    updated and every change is recorded in the history. Rerun with --prefer to settle
    conflicts left by an earlier upgrade.

    Example: roadmap upgrade kg.yaml --dry-run

    Example: roadmap upgrade kg.yaml --to central-asia-model-2022.1.yaml --prefer ours
    """
    from roadmap.upgrade import format_text, upgrade

    result = upgrade(plan, to=_plan(to), base=base, prefer=prefer.value if prefer else None, dry_run=dry_run)
    _out(format_text(result, dry_run=dry_run))


class ChangelogFormat(str, Enum):
    text = "text"
    md = "md"


@command(name="changelog")
def changelog_cmd(
    plan: PlanRequired,
    since: Annotated[Optional[str], typer.Option("--since", help="Only changes on or after this date (YYYY-MM-DD).")] = None,
    fmt: Annotated[ChangelogFormat, typer.Option("--format", help="text or md.")] = ChangelogFormat.text,
    output: OutOpt = None,
) -> None:
    """The plan's recorded history in plain sentences, grouped by date (newest date first).

    Within a date, changes are listed in the order they were made.

    Example: roadmap changelog kg.yaml --since 2025-01-01 --format md -o CHANGES.md
    """
    from roadmap.adapt import parse_date
    from roadmap.changelog import changelog, format_md, format_text

    start = parse_date(since, what="date for --since")
    roadmap_plan, log = changelog(plan, since=start)
    render = format_md if fmt is ChangelogFormat.md else format_text
    _write_or_print(render(roadmap_plan, log, start), output, [plan])


# ---------------------------------------------------------------------------------------
# Programme work plans: a blank plan, outputs, budgets, indicators, comments, the report (issue 8)


@command()
def new(
    plan: Annotated[Path, typer.Argument(help="The plan file to create.")],
    title: Annotated[str, typer.Option("--title", help="The plan's title.")],
    start: Annotated[str, typer.Option("--start", help="First period: 2009-Q1 (quarters), 2024-03 (months) or 2024 (years).")],
    end: Annotated[str, typer.Option("--end", help="Last period, of the same unit.")],
    country: Annotated[Optional[str], typer.Option("--country", help="ISO 3166-1 alpha-2 code, e.g. KG.")] = None,
    currency: Annotated[str, typer.Option("--currency", help="ISO 4217 code of the plan's one currency.")] = "USD",
    category: Annotated[Optional[list[str]], typer.Option("--category", help="A budget category the plan allows (repeat); none: any.")] = None,
    source: Annotated[Optional[list[str]], typer.Option("--source", help="A source of funds the plan allows (repeat); none: any.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Create a blank plan (no tasks), timed in years, quarters or months: a programme work plan.

    Then build it with `direction add` (outputs), `add` (activities), `budget add`,
    `indicator add`.

    Example: roadmap new wp.yaml --title "Joint programme work plan 2009" --currency USD --start 2009-Q1 --end 2009-Q4
    """
    from roadmap.adapt import ensure_schema
    from roadmap.workplan import new as run

    _report(run(plan, title=title, start=start, end=end, country=country, currency=currency, categories=category, sources=source, force=force), False, to="stderr")
    ensure_schema(plan.resolve().parent)
    typer.echo(f"created {plan}; next: roadmap direction add {plan} --id OUT1 --name NAME", err=True)


direction_app = typer.Typer(help="A plan's rows: the Green Paper's directions, a work plan's outputs.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(direction_app, name="direction")
stage_app = typer.Typer(help="A plan's columns: the Green Paper's stages (a quarterly work plan needs none).", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(stage_app, name="stage")
IdOpt = Annotated[str, typer.Option("--id", help="A short id, e.g. OUT1.")]
NameOpt = Annotated[str, typer.Option("--name", help="Its name.")]


@command("add", on=direction_app)
def direction_add(
    plan: PlanRequired, id: IdOpt, name: NameOpt,
    ref: Annotated[Optional[str], typer.Option("--ref", help="The number people use, e.g. 1.1.")] = None,
    outcome: Annotated[Optional[str], typer.Option("--outcome", help="The outcome the output serves.")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Add a direction (a work plan's output) as the last row.

    Example: roadmap direction add wp.yaml --id OUT11 --ref 1.1 --name "Cultural industries strengthened" --outcome "Outcome 1"
    """
    from roadmap.workplan import direction_add as run

    _report(run(plan, id=id, name=name, ref=ref, outcome=outcome, dry_run=dry_run), dry_run)


@command("add", on=stage_app)
def stage_add(plan: PlanRequired, id: IdOpt, name: NameOpt, dry_run: DryRunOpt = False) -> None:
    """Add a stage as the last column.

    Example: roadmap stage add wp.yaml --id S1 --name Implementation
    """
    from roadmap.workplan import stage_add as run

    _report(run(plan, id=id, name=name, dry_run=dry_run), dry_run)


budget_app = typer.Typer(help="Planned budget lines, exact to the cent, in the plan's one currency.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(budget_app, name="budget")
TaskArg = Annotated[str, typer.Argument(help="Task id or ref, e.g. 1.1.1.")]
AmountOpt = Annotated[str, typer.Option("--amount", help="An exact amount, e.g. 65541.70.")]


@command("add", on=budget_app)
def budget_add(
    plan: PlanRequired, task: TaskArg, amount: AmountOpt,
    category: Annotated[str, typer.Option("--category", help='Budget category, e.g. "Nat personnel".')],
    source: Annotated[Optional[str], typer.Option("--source", help="Source of funds, e.g. MDG-F.")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What the line pays for.")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Add a budget line to an activity.

    Example: roadmap budget add wp.yaml 1.1.1 --amount 434.00 --category "Nat personnel" --source MDG-F
    """
    from roadmap.workplan import budget_add as run

    _report(run(plan, task, amount=amount, category=category, source=source, note=note, dry_run=dry_run), dry_run)


@command("total", on=budget_app)
def budget_total(
    plan: PlanRequired, amount: AmountOpt,
    category: Annotated[Optional[str], typer.Option("--category", help="The total of this category.")] = None,
    direction: Annotated[Optional[str], typer.Option("--direction", help="The total of this output (id or ref).")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="The total of this source of funds.")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """State a total as the plan's own table gives it (overall, or of one category, output or source).

    `validate` recomputes every stated total; one that does not add up is refused here.

    Example: roadmap budget total wp.yaml --amount 1001851.70
    """
    from roadmap.workplan import budget_total as run

    _report(run(plan, amount=amount, category=category, direction=direction, source=source, dry_run=dry_run), dry_run)


@command("show", on=budget_app)
def budget_show(
    plan: PlanArg = None,
    by: Annotated[str, typer.Option("--by", help="category, direction, source, lead, stage or task.")] = "category",
    as_json: JsonOpt = False,
) -> None:
    """The budget's totals by category (or output, source, lead agency, stage, activity), and overall.

    --json prints {"currency": "USD", "by": "category", "total": "1001851.70", "groups": [{"key": ..., "total": ...}]},
    amounts as decimal strings.

    Example: roadmap budget show wp.yaml --by source --json
    """
    from roadmap.budget import totals
    from roadmap.store import load

    doc = load(_plan(plan))
    result = totals(doc.plan, by)
    if as_json:
        _emit_json(result.as_json())
        return
    from roadmap.render.workplan_report import budget_text

    _out(budget_text(doc.plan, result))


indicator_app = typer.Typer(help="Indicators of activities and outputs: baseline, target, and values measured on dates.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(indicator_app, name="indicator")
HolderArg = Annotated[str, typer.Argument(help="A task (id or ref) or a direction / output (id, ref or name).")]


@command("add", on=indicator_app)
def indicator_add(
    plan: PlanRequired, holder: HolderArg,
    text: Annotated[str, typer.Option("--text", help="What is measured.")],
    unit: Annotated[Optional[str], typer.Option("--unit", help="Its unit, e.g. enterprises.")] = None,
    baseline: Annotated[Optional[str], typer.Option("--baseline", help="The value at the start.")] = None,
    target: Annotated[Optional[str], typer.Option("--target", help="The value aimed for.")] = None,
    target_date: Annotated[Optional[str], typer.Option("--target-date", help="When the target is due, YYYY-MM-DD.")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Add an indicator to an activity or an output (numbered 1, 2, ... in its list).

    Example: roadmap indicator add wp.yaml 1.1 --text "Enterprises financed" --unit enterprises --baseline 0 --target 60
    """
    from roadmap.workplan import indicator_add as run

    _report(run(plan, holder, text=text, unit=unit, baseline=baseline, target=target, target_date=target_date, dry_run=dry_run), dry_run)


@command("record", on=indicator_app)
def indicator_record(
    plan: PlanRequired, holder: HolderArg,
    number: Annotated[int, typer.Argument(help="The indicator's number in that list (1 = the first).")],
    actual: Annotated[str, typer.Option("--actual", help="The value measured.")],
    on: Annotated[Optional[str], typer.Option("--on", help="The date it was measured, YYYY-MM-DD (default: today).")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help='What it is made of, e.g. "55 micro, 3 small".')] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Record an indicator's actual value on a date; earlier values are kept.

    Example: roadmap indicator record wp.yaml 1.1 1 --actual 58 --on 2009-12-31 --note "55 micro, 3 small"
    """
    from roadmap.workplan import indicator_record as run

    _report(run(plan, holder, number, actual=actual, on=on, note=note, dry_run=dry_run), dry_run)


@command()
def comment(
    plan: PlanRequired, task: TaskArg,
    text: Annotated[str, typer.Argument(help="The comment.")],
    by: Annotated[Optional[str], typer.Option("--by", help="Who writes it.")] = None,
    on: Annotated[Optional[str], typer.Option("--on", help="Its date, YYYY-MM-DD (default: today).")] = None,
    dry_run: DryRunOpt = False,
) -> None:
    """Append a dated comment to an activity; earlier comments stay.

    Example: roadmap comment wp.yaml 1.1.1 "Training postponed to Q3 by the ministry" --by "J. Doe"
    """
    from roadmap.workplan import comment as run

    _report(run(plan, task, text, by=by, on=on, dry_run=dry_run), dry_run)


class SheetFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


@command()
def export(
    plan: PlanRequired,
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    fmt: Annotated[Optional[SheetFormat], typer.Option("--format", "-f", help="xlsx or csv (default: from -o's extension).", show_default=False)] = None,
    lang: LangOpt = None,
) -> None:
    """Write the plan as a workbook people edit and `import-sheet` reads back.

    One row per task; white columns are for editing, grey ones are not. The second sheet
    holds the legend and the plan's identity at export (for conflict detection). CSV is
    one table, with a byte-order mark so that Excel on Windows reads Cyrillic right.

    Example: roadmap export kg.yaml --format xlsx -o kg-tasks.xlsx
    """
    from roadmap.sheet import export as run

    chosen = fmt.value if fmt else output.suffix.lower().lstrip(".")
    run(plan, chosen, output, lang=lang)
    typer.echo(f"wrote {output}", err=True)


@command(name="import-sheet")
def import_sheet(
    plan: PlanRequired,
    file: Annotated[Path, typer.Argument(help="The edited .xlsx (or .csv) that `roadmap export` wrote.")],
    dry_run: DryRunOpt = False,
    skip_bad_rows: Annotated[bool, typer.Option("--skip-bad-rows", help="Write the rows that can be read; list the rows left out.")] = False,
) -> None:
    """Read an edited export back into the plan, one change per line, all or nothing.

    Rows match by id; a row without an id is a new task. A cell the plan also changed
    since the export is reported as a conflict and not written; the sheet's other changes
    are. Anything that cannot be read is refused with its sheet, row and column, and
    nothing is written.

    Exit codes: 0 imported (or nothing to import), 3 imported except the conflicts listed
    last, 1 nothing written (a refused row, an unreadable file or plan).

    Example: roadmap import-sheet kg.yaml kg-tasks.xlsx --dry-run
    """
    from roadmap.sheet_import import import_sheet as run

    edit = run(plan, file, dry_run=dry_run, skip_bad_rows=skip_bad_rows)
    _report(edit, dry_run)
    conflicts = edit.conflicts
    if conflicts:
        for conflict in conflicts:
            _warn(f"conflict: {conflict}")
        taken = "would be written" if dry_run else "were written"
        _warn(
            f"{len(conflicts)} conflict(s) not imported: those cells keep the plan's value; the sheet's other "
            f"changes {taken}. Decide each one and edit the plan, or export a fresh sheet."
        )
        raise typer.Exit(3)


class ReportFormat(str, Enum):
    md = "md"
    html = "html"
    xlsx = "xlsx"
    docx = "docx"
    pdf = "pdf"


@command(name="report")
def report_cmd(
    plan: PlanArg = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="The date the report describes (default: the plan's as_of, else today).")] = None,
    fmt: Annotated[Optional[ReportFormat], typer.Option("--format", "-f", help="md, html, xlsx, docx or pdf (default: from -o's extension, else md).", show_default=False)] = None,
    output: OutOpt = None,
    lang: LangOpt = None,
) -> None:
    """The state of implementation as of a date, in the layout of programme work plans.

    Per output, each activity with its ref, annual target, timeframe (period columns
    ticked), lead agency, responsible party, planned budget, status colour and latest
    comment; then budget totals by category and overall; then indicators with
    baseline, target, latest actual as of the date and percent of the way to target.

    Example: roadmap report wp.yaml --as-of 2009-12-31 --format html -o report.html
    """
    _render("report", plan, fmt.value if fmt else None, output, as_of=as_of, lang=lang)


# ---------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------
# Plans in git: merge driver, diff driver, set-up (issue 14)


@command(name="merge-file")
def merge_file_cmd(
    base: Annotated[Path, typer.Argument(help="The common ancestor (git's %O).", show_default=False)],
    ours: Annotated[Path, typer.Argument(help="This branch's version (git's %A).", show_default=False)],
    theirs: Annotated[Path, typer.Argument(help="The other branch's version (git's %B).", show_default=False)],
    output: Annotated[
        Optional[Path], typer.Option("-o", "--output", help="Write the merged plan here (default: OURS).", show_default=False)
    ] = None,
    name: Annotated[
        Optional[str], typer.Option("--name", help="The plan's path in the repository (git's %P), for the report; git's own files are temporary.", show_default=False)
    ] = None,
) -> None:
    """Merge two edited versions of one plan by task id and field (git's merge driver).

    Both sides' changes are kept; a field changed differently on both sides is a conflict
    recorded in the plan's conflicts: list (the plan keeps this branch's value and stays
    valid; validate warns). Tasks both sides added keep distinct ids; histories are merged
    by date. Files that are not plans are merged line by line by git merge-file.

    Exit codes: 0 merged cleanly, 1 conflicts left (git stops the merge) or an error.

    Set up with: roadmap git setup (merge.roadmap.driver = roadmap merge-file %O %A %B -o %A --name %P)

    Example: roadmap merge-file base.yaml kg.yaml theirs.yaml -o kg.yaml
    """
    from roadmap.gitmerge import format_text, merge_file

    result = merge_file(base, ours, theirs, output)
    text = format_text(result, name=name)
    if text:
        _out(text, err=True)
    if not result.clean:
        raise typer.Exit(1)


git_app = typer.Typer(help="Plans in git: merge and diff drivers, set up in one command.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(git_app, name="git")


@command(name="setup", on=git_app)
def git_setup(
    global_: Annotated[bool, typer.Option("--global", help="Set up for every repository of this user (git config --global).")] = False,
    check: Annotated[bool, typer.Option("--check", help="Say what is missing; write nothing. Exit 1 when something is.")] = False,
    lang: Annotated[Optional[str], typer.Option("--lang", help="Language of the report, e.g. en, ru (default: en).", show_default=False)] = None,
) -> None:
    """Write the .gitattributes lines for plan files and the merge/diff driver entries in git's config.

    Idempotent: run it again and nothing changes. Non-plan YAML files under the same
    pattern are merged and diffed by git as before. In a repository, --check counts
    what git already has from a --global set-up as present.

    Example: roadmap git setup

    Example: roadmap git setup --check
    """
    from roadmap.gitsetup import format_check, format_setup, plan, setup

    cwd = Path.cwd()
    if check:
        attributes, items = plan(cwd, global_=global_, effective=True)
        report, hint = format_check(attributes, items, global_=global_, lang=lang)
        _out(report)
        if hint:
            _out(hint, err=True)
            raise typer.Exit(1)
        return
    attributes, items = setup(cwd, global_=global_)
    _out(format_setup(attributes, items, lang=lang))


@command(name="diff", on=git_app, hidden=False)
def git_diff(
    args: Annotated[list[str], typer.Argument(help="git's external diff arguments: path old-file old-hex old-mode new-file new-hex new-mode.", show_default=False)],
) -> None:
    """git's external diff for plans: prints the road-map diff (set by roadmap git setup).

    Example: roadmap git diff kg.yaml old.yaml 0000000 100644 kg.yaml 0000000 100644
    """
    from roadmap.gitsetup import external_diff

    if len(args) not in (7, 9):
        raise typer.BadParameter("git passes 7 arguments: path old-file old-hex old-mode new-file new-hex new-mode")
    sys.stdout.write(external_diff(args[0], Path(args[1]), Path(args[4])))


@command(name="textconv", on=git_app)
def git_textconv(plan: PlanRequired) -> None:
    """git's textconv for plans: one line per field, tasks by id (what git log -p compares).

    Example: roadmap git textconv kg.yaml
    """
    from roadmap.gitsetup import textconv

    sys.stdout.write(textconv(plan))


def _just(argv: list[str]) -> typer.Typer:
    """The app with only the command (or command group) argv names, else the whole app.

    Typer builds the parameters of every registered command before it runs one: with 40
    commands that was a third of `roadmap validate` on the model. Help, version, an
    unknown word or no word at all still get the whole app, so listings and "did you
    mean" suggestions are unchanged.
    """
    if not argv or argv[0].startswith("-"):
        return app
    word = argv[0]
    commands = [c for c in app.registered_commands if (c.name or typer.main.get_command_name(c.callback.__name__)) == word]
    groups = [g for g in app.registered_groups if g.name == word]
    if not commands and not groups:
        return app
    just = copy.copy(app)
    just.registered_commands = commands
    just.registered_groups = groups
    return just


def main() -> None:
    _just(sys.argv[1:])()


if __name__ == "__main__":
    main()
