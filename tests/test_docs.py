"""The README's examples run, and every command is documented there and in --help."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import typer

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _examples() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README, flags=re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ roadmap ")]


def _commands(app: typer.Typer) -> list[str]:
    from typer.main import get_command

    group = get_command(app)
    names = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        names += [f"{name} {s}" for s in sub] if sub else [name]
    return names


def test_readme_examples_run_in_order(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    examples = _examples()
    assert len(examples) >= 10
    for line in examples:
        args = shlex.split(line)[1:]
        result = cli(*args)
        assert result.exit_code == 0, f"{line}\n{result.output}"


def test_every_command_is_in_the_readme_and_has_help(cli):
    for name in _commands(cli.app):
        assert f"roadmap {name}" in README, f"README does not mention `roadmap {name}`"
        result = cli(*name.split(), "--help")
        assert result.exit_code == 0
        assert "Example: roadmap" in result.stdout, f"`roadmap {name} --help` has no example"


def test_top_level_help_lists_commands(cli):
    result = cli("--help")
    assert result.exit_code == 0
    for name in ("validate", "init", "tick", "status"):
        assert name in result.stdout


def test_unknown_option_is_usage_error(cli):
    result = cli("status", "--colour")
    assert result.exit_code == 2
