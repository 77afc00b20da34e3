"""The `roadmap` command: parse arguments, call one roadmap.* function, print.

Exit codes: 0 ok, 1 a user or data error (the message says what to fix), 2 bad usage,
3 for `diff` when the plans differ.
"""

from __future__ import annotations

import functools
import json
import sys
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


def _err(text: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(text, style="red", markup=False)


def command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a command; the one place where library errors become messages and exit codes."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*a: Any, **k: Any) -> Any:
            try:
                return fn(*a, **k)
            except RoadmapError as exc:
                _err(str(exc))
                raise typer.Exit(exc.exit_code) from None

        return app.command(*args, **kwargs)(wrapper)

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
            typer.echo(
                f"{report.file}: {verdict} ({len(report.errors)} errors, {len(report.warnings)} warnings)",
                err=True,
            )
    if not passed(reports, strict=strict):
        raise typer.Exit(1)


def _warn(text: str) -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(text, style="yellow", markup=False)


@command()
def schema(output: OutOpt = None) -> None:
    """Print the JSON Schema of plan files (for editors: `-o roadmap.schema.json`).

    Example: roadmap schema -o roadmap.schema.json
    """
    from roadmap.model import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        from roadmap.store import write_atomic

        write_atomic(output, text)
        typer.echo(f"wrote {output}", err=True)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
