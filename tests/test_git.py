"""Issue 14: plans in git. A real repository, the drivers set up by `roadmap git setup`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from roadmap import adapt, store

from conftest import TODAY

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
ROADMAP = Path(sys.executable).parent / "roadmap"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> Path:
    if not ROADMAP.exists():
        pytest.skip("the roadmap script is not installed beside this Python (pip install .)")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "plans"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.org")
    monkeypatch.chdir(root)
    assert cli("git", "setup", "--check").exit_code == 1
    first = cli("git", "setup")
    assert first.exit_code == 0, first.output
    again = cli("git", "setup")
    assert "set: " not in again.stdout.replace("already set: ", "")
    assert cli("git", "setup", "--check").exit_code == 0
    assert (root / ".gitattributes").read_text().count("merge=roadmap") == 2
    plan = root / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "plan")
    return root


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=os.environ.copy())
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {proc.stdout}{proc.stderr}")
    return proc


def branches(root: Path, name: str, ours, theirs) -> subprocess.CompletedProcess[str]:
    """Edit the plan on a side branch (theirs) and on main (ours), then merge."""
    plan = root / "kg.yaml"
    git(root, "checkout", "-q", "-b", name)
    theirs(plan)
    git(root, "commit", "-q", "-am", f"{name}: theirs")
    git(root, "checkout", "-q", "main")
    ours(plan)
    git(root, "commit", "-q", "-am", f"{name}: ours")
    return git(root, "merge", "--no-edit", name, check=False)


def test_merges_by_task_and_field(repo: Path) -> None:
    plan = repo / "kg.yaml"
    # 1. different tasks: both edits arrive, cleanly
    done = branches(
        repo,
        "ticks",
        ours=lambda p: adapt.tick(p, ["DEF-1"], on="2024-06-30", today=TODAY),
        theirs=lambda p: adapt.assign(p, ["FIN-1"], owner="A. Usenova", today=TODAY),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    merged = store.load(plan).plan
    tasks = {t.id: t for t in merged.tasks}
    assert tasks["DEF-1"].status == "done"
    assert tasks["FIN-1"].owner is not None
    assert not merged.conflicts
    commands = [h.command for h in merged.history]
    assert "tick" in commands and "assign" in commands
    assert len(merged.history) == len({(h.date, h.command, h.task, h.field, str(h.new)) for h in merged.history})

    # 2. the same field changed differently: the merge stops, the conflict is in the plan
    stopped = branches(
        repo,
        "owners",
        ours=lambda p: adapt.assign(p, ["DAT-1"], owner="B. Ours", today=TODAY),
        theirs=lambda p: adapt.assign(p, ["DAT-1"], owner="C. Theirs", today=TODAY),
    )
    assert stopped.returncode != 0
    assert "<<<<<<<" not in plan.read_text()
    report = store.load(plan, warnings=True)
    assert [c.task for c in report.plan.conflicts] == ["DAT-1"]
    assert "C. Theirs" in str(report.plan.conflicts[0].theirs)
    validated = subprocess.run([str(ROADMAP), "validate", str(plan)], capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "conflict" in (validated.stdout + validated.stderr).lower()
    git(repo, "commit", "-q", "-am", "merge owners, conflict recorded")

    # 3. both add tasks: both kept, with distinct ids
    added = branches(
        repo,
        "added",
        ours=lambda p: adapt.add(p, direction="FIN", stage="S2", title="Crowdfunding guide", years="2-3", today=TODAY),
        theirs=lambda p: adapt.add(p, direction="FIN", stage="S2", title="Microgrants fund", years="3", today=TODAY),
    )
    assert added.returncode == 0, added.stdout + added.stderr
    titles = {t.title: t.id for t in store.load(plan).plan.tasks if t.origin == "added"}
    assert {"Crowdfunding guide", "Microgrants fund"} <= set(titles)
    assert titles["Crowdfunding guide"] != titles["Microgrants fund"]


def test_git_diff_shows_the_road_map_diff(repo: Path) -> None:
    plan = repo / "kg.yaml"
    adapt.tick(plan, ["DEF-1"], on="2024-06-30", today=TODAY)
    shown = git(repo, "diff", "kg.yaml").stdout
    assert "DEF-1" in shown and "status" in shown.lower()
    assert "@@" not in shown  # not a line diff
    git(repo, "commit", "-q", "-am", "tick")
    logged = git(repo, "log", "-p", "-1", "kg.yaml").stdout
    assert "DEF-1 status" in logged


def test_non_plans_merge_line_by_line(tmp_path: Path) -> None:
    from roadmap.gitmerge import merge_file

    base, ours, theirs = (tmp_path / n for n in ("b.yaml", "o.yaml", "t.yaml"))
    base.write_text("a: 1\nx: 0\ny: 0\nb: 2\n")
    ours.write_text("a: 10\nx: 0\ny: 0\nb: 2\n")
    theirs.write_text("a: 1\nx: 0\ny: 0\nb: 20\n")
    assert merge_file(base, ours, theirs).clean
    assert ours.read_text() == "a: 10\nx: 0\ny: 0\nb: 20\n"
