"""Issue 14: plans in git. A real repository, the drivers set up by `roadmap git setup`;
a Central Asia country plan and a programme work plan merged by task and field."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from roadmap import adapt, store

from conftest import TODAY

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
ROADMAP = Path(sys.executable).parent / "roadmap"


@pytest.fixture
def git_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary HOME and global git config: the user's real config is never read or written."""
    if not ROADMAP.exists():
        pytest.skip("the roadmap script is not installed beside this Python (pip install .)")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    return home


def new_repo(root: Path) -> Path:
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.org")
    return root


def set_up(root: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """`roadmap git setup` in the repository: missing before, complete after, idempotent."""
    monkeypatch.chdir(root)
    before = cli("git", "setup", "--check")
    assert before.exit_code == 1
    assert before.stdout.count("missing: ") == 6 and "run: roadmap git setup" in before.stderr
    first = cli("git", "setup")
    assert first.exit_code == 0, first.output
    assert first.stdout.count("set: ") == 6 and "already" not in first.stdout
    written = [(root / ".gitattributes").read_bytes(), (root / ".git" / "config").read_bytes()]
    again = cli("git", "setup")
    assert again.exit_code == 0
    assert again.stdout.count("already set: ") == 6 and "\nset: " not in "\n" + again.stdout
    assert [(root / ".gitattributes").read_bytes(), (root / ".git" / "config").read_bytes()] == written
    checked = cli("git", "setup", "--check")
    assert checked.exit_code == 0 and checked.stdout == "roadmap's git drivers are set up\n"
    assert (root / ".gitattributes").read_text().splitlines() == [
        "*.yaml merge=roadmap diff=roadmap",
        "*.yml merge=roadmap diff=roadmap",
    ]
    assert git(root, "config", "--local", "--get", "merge.roadmap.driver").stdout.rstrip().endswith(
        "merge-file %O %A %B -o %A --name %P"
    )


@pytest.fixture
def repo(tmp_path: Path, git_home: Path, monkeypatch: pytest.MonkeyPatch, cli) -> Path:
    root = new_repo(tmp_path / "plans")
    set_up(root, cli, monkeypatch)
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


def branches(root: Path, name: str, ours, theirs, plan: str = "kg.yaml") -> subprocess.CompletedProcess[str]:
    """Edit the plan on a side branch (theirs) and on main (ours), then merge."""
    path = root / plan
    git(root, "checkout", "-q", "-b", name)
    theirs(path)
    git(root, "commit", "-q", "-am", f"{name}: theirs")
    git(root, "checkout", "-q", "main")
    ours(path)
    git(root, "commit", "-q", "-am", f"{name}: ours")
    return git(root, "merge", "--no-edit", name, check=False)


def roadmap(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ROADMAP), *map(str, args)], capture_output=True, text=True)


# ---------------------------------------------------------------------------------------
# A Central Asia country plan


@needs_git
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
    validated = roadmap("validate", plan)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "unresolved merge conflict" in validated.stdout + validated.stderr
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


@needs_git
def test_git_diff_shows_the_road_map_diff(repo: Path) -> None:
    plan = repo / "kg.yaml"
    adapt.tick(plan, ["DEF-1"], on="2024-06-30", today=TODAY)
    shown = git(repo, "diff", "kg.yaml").stdout
    assert "DEF-1" in shown and "status" in shown.lower()
    assert "@@" not in shown  # not a line diff
    git(repo, "commit", "-q", "-am", "tick")
    logged = git(repo, "log", "-p", "-1", "kg.yaml").stdout
    assert '+DEF-1 status: "done"' in logged and '-DEF-1 status: "planned"' in logged
    assert "history" not in logged  # the road-map terms, not the YAML lines


# ---------------------------------------------------------------------------------------
# A programme work plan (outputs, activities timed in quarters, budgets, indicators)


def built_work_plan(cli, plan: Path) -> None:
    """A small annual work plan, made with the commands a programme officer uses."""

    def run(*args: object) -> None:
        result = cli(*args)
        assert result.exit_code == 0, f"{args}\n{result.output}"

    run("new", plan, "--title", "Joint programme 2009", "--start", "2009-Q1", "--end", "2009-Q4", "--currency", "USD",
        "--category", "Contracts", "--category", "Training", "--category", "Travel", "--source", "MDG-F", "--source", "UNESCO")
    run("direction", "add", plan, "--id", "OUT11", "--ref", "1.1", "--name", "Creative enterprises strengthened")
    run("direction", "add", plan, "--id", "OUT12", "--ref", "1.2", "--name", "Cultural tourism developed")
    run("add", plan, "--direction", "OUT11", "--ref", "1.1.1", "--title", "Map enterprises", "--from", "2009-Q1",
        "--to", "2009-Q2", "--lead", "UNESCO", "--party", "Ministry of Culture:responsible party", "--target", "Map of 300")
    run("add", plan, "--direction", "OUT11", "--ref", "1.1.2", "--title", "Train artisans", "--from", "2009-Q2",
        "--to", "2009-Q4", "--lead", "UNESCO", "--party", "Crafts Council")
    run("add", plan, "--direction", "OUT12", "--ref", "1.2.1", "--title", "Design routes", "--from", "2009-Q1",
        "--to", "2009-Q3", "--lead", "UNDP", "--party", "Tourism Agency")
    run("budget", "add", plan, "1.1.1", "--amount", "18500", "--category", "Contracts", "--source", "MDG-F")
    run("indicator", "add", plan, "1.1", "--text", "Enterprises financed", "--unit", "enterprises", "--baseline", "0", "--target", "60")
    run("indicator", "record", plan, "1.1", "1", "--actual", "21", "--on", "2009-06-30")
    run("comment", plan, "1.1.2", "first cohort", "--by", "J. Doe", "--on", "2009-05-05")


def commands(cli, *steps: tuple[object, ...]):
    """Edit a plan with roadmap commands: each step is a command line with "P" for the plan."""

    def edit(path: Path) -> None:
        for step in steps:
            result = cli(*[path if a == "P" else a for a in step])
            assert result.exit_code == 0, f"{step}\n{result.output}"

    return edit


@pytest.fixture
def work_repo(tmp_path: Path, git_home: Path, monkeypatch: pytest.MonkeyPatch, cli) -> Path:
    root = new_repo(tmp_path / "programme")
    set_up(root, cli, monkeypatch)
    built_work_plan(cli, root / "wp.yaml")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "work plan")
    return root


@needs_git
def test_a_work_plan_merges_by_activity_and_field(work_repo: Path, cli) -> None:
    plan = work_repo / "wp.yaml"

    # 1. different activities, and the same lists added to on both sides: all of it arrives
    clean = branches(
        work_repo,
        "figures",
        ours=commands(
            cli,
            ("indicator", "record", "P", "1.1", "1", "--actual", "30", "--on", "2009-09-30"),
            ("comment", "P", "1.1.2", "second cohort", "--on", "2009-07-01"),
            ("tick", "P", "1.1.1", "--status", "completed", "--on", "2009-06-30"),
            ("indicator", "add", "P", "1.2.1", "--text", "Routes designed", "--target", "3"),
        ),
        theirs=commands(
            cli,
            ("budget", "add", "P", "1.1.2", "--amount", "1200.50", "--category", "Training", "--source", "UNESCO"),
            ("indicator", "record", "P", "1.1", "1", "--actual", "25", "--on", "2009-08-31", "--note", "late survey"),
            ("comment", "P", "1.1.2", "venue booked", "--on", "2009-06-01"),
        ),
        plan="wp.yaml",
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "<<<<<<<" not in plan.read_text(encoding="utf-8")
    merged = store.load(plan).plan
    tasks = {t.ref: t for t in merged.tasks}
    assert [(line.amount, line.category, line.source) for line in tasks["1.1.2"].budget] == [
        (pytest.approx(1200.50), "Training", "UNESCO")
    ]
    assert str(tasks["1.1.2"].budget[0].amount) == "1200.50"
    values = merged.direction("OUT11").indicators[0].values
    assert [(str(v.date), v.actual, v.note) for v in values] == [
        ("2009-06-30", "21", None),
        ("2009-08-31", "25", "late survey"),
        ("2009-09-30", "30", None),
    ]  # both sides' measurements, oldest first
    assert [c.text for c in tasks["1.1.2"].comments] == ["first cohort", "venue booked", "second cohort"]
    assert tasks["1.1.1"].status == "done" and str(tasks["1.1.1"].status_date) == "2009-06-30"
    assert [i.text for i in tasks["1.2.1"].success_indicators] == ["Routes designed"]
    assert tasks["1.1.1"].lead == "UNESCO" and [p.name for p in tasks["1.1.1"].parties] == ["Ministry of Culture"]
    assert not merged.conflicts
    shown = json.loads(cli("budget", "show", plan, "--json").stdout)
    assert shown["total"] == "19700.50"
    done = [h.command for h in merged.history]
    assert {"budget add", "indicator record", "comment", "tick", "indicator add"} <= set(done)
    assert done.count("indicator record") == 3  # 21 (the base), 25 (theirs), 30 (ours): once each
    assert roadmap("validate", plan).returncode == 0
    # git log -p on the plan reads in road-map terms (textconv): the budget line theirs added
    logged = git(work_repo, "log", "-p", "-1", "figures", "--", "wp.yaml").stdout
    assert '+WP-OUT11-2 budget[0]: {"amount": "1200.50", "category": "Training"' in logged
    assert "+directions.OUT11 indicators[0]: " in logged and "late survey" in logged
    assert "        category: Training" not in logged  # not the YAML lines

    # 2. the same activity's status set differently: the merge stops, the conflict is in the plan
    stopped = branches(
        work_repo,
        "status",
        ours=commands(cli, ("tick", "P", "1.2.1", "--status", "completed", "--on", "2009-09-30")),
        theirs=commands(
            cli,
            ("tick", "P", "1.2.1", "--status", "ongoing", "--on", "2009-09-30", "--note", "two routes left"),
            ("indicator", "record", "P", "1.2.1", "1", "--actual", "1", "--on", "2009-09-30"),
        ),
        plan="wp.yaml",
    )
    assert stopped.returncode != 0
    assert "CONFLICT" in stopped.stdout + stopped.stderr
    assert "conflict C1" in stopped.stdout + stopped.stderr  # the driver says what it left, and where
    assert "wp.yaml: conflict C1" in stopped.stdout + stopped.stderr  # the plan's name, not git's temporary file
    assert "<<<<<<<" not in plan.read_text(encoding="utf-8")
    merged = store.load(plan).plan
    task = next(t for t in merged.tasks if t.ref == "1.2.1")
    assert (task.status, task.status_note) == ("done", None)  # ours, whole: not ours' status with theirs' note
    assert [v.actual for v in task.success_indicators[0].values] == ["1"]  # theirs' other edit arrived
    [conflict] = merged.conflicts
    assert (conflict.task, conflict.field) == (task.id, "status")
    assert conflict.ours == {"status": "done", "status_date": "2009-09-30"}
    assert conflict.theirs == {"status": "in_progress", "status_date": "2009-09-30", "status_note": "two routes left"}
    validated = roadmap("validate", plan)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "warning: conflicts.C1: unresolved merge conflict" in validated.stderr
    assert "--prefer theirs" not in validated.stderr  # that is upgrade's way out, not a merge's
    git(work_repo, "commit", "-q", "-am", "merge status, conflict recorded")

    # 3. both add an activity to the same output, with the same ref: both kept, distinct ids and refs
    added = branches(
        work_repo,
        "activities",
        ours=commands(
            cli,
            ("add", "P", "--direction", "OUT12", "--ref", "1.2.2", "--title", "Visitor points", "--from", "2009-Q2",
             "--to", "2009-Q4", "--lead", "UNDP", "--party", "Local governments"),
            ("budget", "add", "P", "1.2.2", "--amount", "4890.99", "--category", "Contracts", "--source", "MDG-F"),
        ),
        theirs=commands(
            cli,
            ("add", "P", "--direction", "OUT12", "--ref", "1.2.2", "--title", "Train guides", "--from", "2009-Q3",
             "--to", "2009-Q4", "--lead", "ILO", "--party", "Tourism Agency"),
            ("budget", "add", "P", "1.2.2", "--amount", "8400", "--category", "Travel", "--source", "UNESCO"),
        ),
        plan="wp.yaml",
    )
    assert added.returncode == 0, added.stdout + added.stderr
    assert "the other branch's (WP-OUT12-3) is now 1.2.3" in added.stdout + added.stderr
    merged = store.load(plan).plan
    new = {t.title: t for t in merged.tasks if t.direction == "OUT12" and t.title != "Design routes"}
    assert {(t.id, t.ref, t.lead, t.start, t.end) for t in new.values()} == {
        ("WP-OUT12-2", "1.2.2", "UNDP", "2009-Q2", "2009-Q4"),
        ("WP-OUT12-3", "1.2.3", "ILO", "2009-Q3", "2009-Q4"),
    }
    assert [str(line.amount) for line in new["Train guides"].budget] == ["8400"]  # the line went with its activity
    assert [p.name for p in new["Train guides"].parties] == ["Tourism Agency"]
    theirs_add = [h for h in merged.history if h.command == "add" and isinstance(h.new, dict) and h.new.get("title") == "Train guides"]
    assert [(h.task, h.new["id"], h.new["ref"]) for h in theirs_add] == [("WP-OUT12-3", "WP-OUT12-3", "1.2.3")]
    assert [c.id for c in merged.conflicts] == ["C1"]  # the earlier one, still to decide
    assert roadmap("validate", plan).returncode == 0


@needs_git
def test_git_setup_global_in_a_temporary_home(tmp_path: Path, git_home: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    outside = tmp_path / "anywhere"
    outside.mkdir()
    monkeypatch.chdir(outside)  # --global needs no repository
    config, attributes = git_home / "gitconfig", git_home / ".config" / "git" / "attributes"

    before = cli("git", "setup", "--global", "--check")
    assert before.exit_code == 1
    assert before.stdout.count("missing: git config ") == 4
    assert f"missing: {attributes}: *.yaml merge=roadmap diff=roadmap" in before.stdout
    assert "run: roadmap git setup --global" in before.stderr
    assert not config.exists() and not attributes.exists()  # --check writes nothing

    first = cli("git", "setup", "--global")
    assert first.exit_code == 0, first.output
    assert first.stdout.count("set: git config ") == 4 and f"set: {attributes}: *.yml merge=roadmap diff=roadmap" in first.stdout
    assert '[merge "roadmap"]' in config.read_text() and '[diff "roadmap"]' in config.read_text()
    assert attributes.read_text().splitlines() == ["*.yaml merge=roadmap diff=roadmap", "*.yml merge=roadmap diff=roadmap"]
    assert git(outside, "config", "--global", "--get", "diff.roadmap.textconv").stdout.rstrip().endswith("git textconv")
    written = (config.read_bytes(), attributes.read_bytes())

    again = cli("git", "setup", "--global")
    assert again.exit_code == 0 and again.stdout.count("already set: ") == 6 and "\nset: " not in "\n" + again.stdout
    assert (config.read_bytes(), attributes.read_bytes()) == written  # idempotent
    checked = cli("git", "setup", "--global", "--check")
    assert checked.exit_code == 0 and checked.stdout == "roadmap's git drivers are set up\n"

    # A repository with no set-up of its own: --check counts the global entries, and git
    # merges plans there with the driver (a line merge would collide in the histories).
    root = new_repo(tmp_path / "plans")
    monkeypatch.chdir(root)
    assert cli("git", "setup", "--check").exit_code == 0
    assert not (root / ".gitattributes").exists() and "roadmap" not in (root / ".git" / "config").read_text()
    adapt.init(root / "kg.yaml", country="KG", start_year=2024, today=TODAY)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "plan")
    done = branches(
        root,
        "edits",
        ours=lambda p: adapt.tick(p, ["DEF-1"], on="2024-06-30", today=TODAY),
        theirs=lambda p: adapt.assign(p, ["FIN-1"], owner="A. Usenova", today=TODAY),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    tasks = {t.id: t for t in store.load(root / "kg.yaml").plan.tasks}
    assert tasks["DEF-1"].status == "done" and tasks["FIN-1"].owner is not None


@needs_git
def test_git_setup_speaks_russian(tmp_path: Path, git_home: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    root = new_repo(tmp_path / "plans")
    monkeypatch.chdir(root)
    check = cli("git", "setup", "--check", "--lang", "ru")
    assert check.exit_code == 1
    assert check.stdout.count("не хватает: ") == 6 and "выполните: roadmap git setup" in check.stderr
    first = cli("git", "setup", "--lang", "ru")
    assert first.stdout.count("записано: ") == 6
    assert cli("git", "setup", "--lang", "ru").stdout.count("уже записано: ") == 6
    assert cli("git", "setup", "--check", "--lang", "ru").stdout == "драйверы git для roadmap настроены\n"


@needs_git
def test_git_setup_outside_a_repository_says_so(tmp_path: Path, git_home: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("git", "setup")
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path} is not in a git repository; run git init first, or use --global\n"
    assert not (git_home / "gitconfig").exists()


# ---------------------------------------------------------------------------------------
# merge-file by hand: conflicts lists, stated totals, timing as one decision, bad input


def three(tmp_path: Path, base_text: str, ours_edit, theirs_edit) -> tuple[Path, Path, Path]:
    base, ours, theirs = (tmp_path / n for n in ("base.yaml", "ours.yaml", "theirs.yaml"))
    for p in (base, ours, theirs):
        p.write_text(base_text, encoding="utf-8")
    ours_edit(ours)
    theirs_edit(theirs)
    return base, ours, theirs


def replaced(old: str, new: str):
    def edit(path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def both(*edits):
    def edit(path: Path) -> None:
        for e in edits:
            e(path)

    return edit


def conflict_entry(ident: str, task: str, owner: str) -> str:
    return (
        f"  - id: {ident}\n    task: {task}\n    field: owner\n    base: null\n    ours: null\n"
        f"    theirs:\n      name: {owner}\n    model: the other branch\n"
        f"    message: the other branch set {task} owner to “{owner}”\n"
    )


def test_both_sides_conflicts_lists_are_merged(tmp_path: Path) -> None:
    from roadmap.gitmerge import merge_file

    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    text = plan.read_text(encoding="utf-8")
    x, y = conflict_entry("C1", "DAT-1", "X. Base"), conflict_entry("C2", "DAT-2", "Y. Base")
    base_text = text + "conflicts:\n" + x + y
    base, ours, theirs = three(
        tmp_path,
        base_text,
        # ours settled C1, and a later merge left C3 (about DAT-3)
        replaced(x + y, y + conflict_entry("C3", "DAT-3", "Z. Ours")),
        # theirs settled C2, and its own merge left a C3 about something else, and one ours has too
        replaced(x + y, x + conflict_entry("C3", "CUL-1", "W. Theirs") + conflict_entry("C4", "DAT-3", "Z. Ours")),
    )
    assert merge_file(base, ours, theirs).clean  # no new conflict in this merge
    merged = store.load(ours).plan
    assert [(c.id, c.task, c.theirs["name"]) for c in merged.conflicts] == [
        ("C3", "DAT-3", "Z. Ours"),  # ours', kept once though theirs has it too (as C4)
        ("C5", "CUL-1", "W. Theirs"),  # theirs' new one, given an id no side has used
    ]  # C1 (settled by ours) and C2 (settled by theirs) stay settled
    assert "X. Base" not in ours.read_text(encoding="utf-8") and "Y. Base" not in ours.read_text(encoding="utf-8")

    # a new conflict in the merge takes the next free id; both sides' earlier ones stay
    base, ours, theirs = three(
        tmp_path,
        base_text,
        both(replaced(x + y, x + y + conflict_entry("C3", "DAT-3", "Z. Ours")),
             lambda p: adapt.assign(p, ["FIN-1"], owner="B. Ours", today=TODAY)),
        lambda p: adapt.assign(p, ["FIN-1"], owner="C. Theirs", today=TODAY),
    )
    result = merge_file(base, ours, theirs)
    assert not result.clean
    merged = store.load(ours).plan
    assert [(c.id, c.task) for c in merged.conflicts] == [("C1", "DAT-1"), ("C2", "DAT-2"), ("C3", "DAT-3"), ("C4", "FIN-1")]

    # both sides settled everything: the list goes
    base, ours, theirs = three(tmp_path, base_text, replaced(x + y, y), replaced(x + y, x))
    assert merge_file(base, ours, theirs).clean
    assert "conflicts:" not in ours.read_text(encoding="utf-8") and not store.load(ours).plan.conflicts


def test_stated_totals_both_sides_changed_add_up(tmp_path: Path, cli) -> None:
    from roadmap.errors import BadValue
    from roadmap.gitmerge import merge_file

    plan = tmp_path / "wp.yaml"
    built_work_plan(cli, plan)
    assert cli("budget", "total", plan, "--amount", "18500").exit_code == 0
    assert cli("budget", "total", plan, "--amount", "18500", "--category", "Contracts").exit_code == 0
    text = plan.read_text(encoding="utf-8")
    line = '        source: MDG-F\n  - id: WP-OUT11-2\n'
    add_line = lambda amount, category: replaced(  # noqa: E731
        line, f'        source: MDG-F\n      - amount: "{amount}"\n        category: {category}\n  - id: WP-OUT11-2\n'
    )
    # each side adds a line and states the new total; the merged total is both together
    base, ours, theirs = three(
        tmp_path,
        text,
        both(add_line("100", "Travel"), replaced('    overall: "18500"', '    overall: "18600"')),
        both(add_line("20.50", "Contracts"), replaced('    overall: "18500"', '    overall: "18520.50"'),
             replaced('      Contracts: "18500"', '      Contracts: "18520.50"')),
    )
    assert merge_file(base, ours, theirs).clean
    merged = store.load(ours).plan
    assert str(merged.budget.stated.overall) == "18620.50"
    assert str(merged.budget.stated.categories["Contracts"]) == "18520.50"
    assert [str(b.amount) for b in merged.task("WP-OUT11-1").budget] == ["18500", "100", "20.50"]

    # when the lines do not add up to both changes, the merged plan would be invalid: refused, nothing written
    base, ours, theirs = three(
        tmp_path,
        text,
        both(replaced('      - amount: "18500"', '      - amount: "18000"'), replaced('    overall: "18500"', '    overall: "18000"'),
             replaced('      Contracts: "18500"', '      Contracts: "18000"')),
        both(replaced('      - amount: "18500"', '      - amount: "18400"'),
             replaced("      - name: Crafts Council\n", '      - name: Crafts Council\n    budget:\n      - amount: "20.50"\n        category: Travel\n'),
             replaced('    overall: "18500"', '    overall: "18420.50"'), replaced('      Contracts: "18500"', '      Contracts: "18400"')),
    )
    before = ours.read_bytes()
    with pytest.raises(BadValue) as refused:
        merge_file(base, ours, theirs)
    assert "the plan would not be valid, so nothing was written" in str(refused.value)
    assert "budget.stated.overall: the overall total is stated as 18000.00 USD but the budget lines add up to 18020.50 USD" in str(refused.value)
    assert ours.read_bytes() == before


def test_a_period_and_a_status_are_one_decision(tmp_path: Path, cli) -> None:
    from roadmap.gitmerge import merge_file

    plan = tmp_path / "wp.yaml"
    built_work_plan(cli, plan)
    text = plan.read_text(encoding="utf-8")
    period = "    start: 2009-Q1\n    end: 2009-Q3\n"
    # ours shortens the activity to one quarter, theirs moves it a quarter later: taking
    # ours' end and theirs' start would end it before it starts
    base, ours, theirs = three(
        tmp_path,
        text,
        replaced(period, "    start: 2009-Q1\n    end: 2009-Q1\n"),
        replaced(period, "    start: 2009-Q2\n    end: 2009-Q4\n"),
    )
    result = merge_file(base, ours, theirs)
    assert not result.clean
    merged = store.load(ours).plan
    task = next(t for t in merged.tasks if t.ref == "1.2.1")
    assert (task.start, task.end) == ("2009-Q1", "2009-Q1")
    [conflict] = merged.conflicts
    assert (conflict.task, conflict.field, conflict.theirs) == (task.id, "period", {"start": "2009-Q2", "end": "2009-Q4"})
    assert "2009-Q2–2009-Q4" in conflict.message
    # one side moved it, the other left it: the move arrives whole
    base, ours, theirs = three(tmp_path, text, lambda p: None, replaced(period, "    start: 2009-Q2\n    end: 2009-Q4\n"))
    assert merge_file(base, ours, theirs).clean
    task = next(t for t in store.load(ours).plan.tasks if t.ref == "1.2.1")
    assert (task.start, task.end) == ("2009-Q2", "2009-Q4")


def test_merge_file_bad_input_is_refused_and_nothing_written(tmp_path: Path, cli) -> None:
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    before = plan.read_bytes()
    missing = cli("merge-file", plan, plan, tmp_path / "nothere.yaml")
    assert missing.exit_code == 1
    assert missing.stderr.startswith(f"{tmp_path / 'nothere.yaml'}: not found; merge-file takes three files")
    assert "Traceback" not in missing.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(before.decode("utf-8").replace("tasks:\n", "tasks: [\n", 1), encoding="utf-8")
    invalid = cli("merge-file", plan, plan, broken)
    assert invalid.exit_code == 1 and invalid.stderr.startswith(f"{broken}:") and "not valid YAML" in invalid.stderr
    assert plan.read_bytes() == before


@needs_git
def test_non_plans_merge_line_by_line(tmp_path: Path) -> None:
    from roadmap.gitmerge import merge_file

    base, ours, theirs = (tmp_path / n for n in ("b.yaml", "o.yaml", "t.yaml"))
    base.write_text("a: 1\nx: 0\ny: 0\nb: 2\n")
    ours.write_text("a: 10\nx: 0\ny: 0\nb: 2\n")
    theirs.write_text("a: 1\nx: 0\ny: 0\nb: 20\n")
    assert merge_file(base, ours, theirs).clean
    assert ours.read_text() == "a: 10\nx: 0\ny: 0\nb: 20\n"
