"""What a new user tripped over (issue 13), each point as the user met it.

The numbers are the issue's. Points 1, 2, 5, 12, 17, 18 and the `status --owner` half of
21 are tested beside the code they concern (compare, upgrade, vision, status, timeline).
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from roadmap import adapt, store
from roadmap.report import build, format_text

from conftest import TODAY

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """A fresh Kyrgyz plan starting in 2024 (years 2024-2028)."""
    path = tmp_path / "kg.yaml"
    adapt.init(path, country="KG", start_year=2024, today=TODAY)
    return path


# 3. diff compares and shows calendar years


def test_3_diff_against_the_model_counts_years_from_the_plans_first_year(plan: Path, cli) -> None:
    adapt.shift(plan, ["TAX-2"], by=-1, today=TODAY)  # model year 5 -> plan year 4
    out = cli("diff", plan, "--model").stdout
    # the model's year 5 is 2028 for a plan that starts in 2024; the task moved one year earlier
    assert "  TAX-2  " in out and "    years: 2028 \u2192 2027" in out
    assert "year 5" not in out and "(2026)" not in out


def test_3_a_change_of_plan_year_alone_is_not_a_change_of_timeline(tmp_path: Path) -> None:
    early, late = tmp_path / "a.yaml", tmp_path / "b.yaml"
    adapt.init(early, country="KG", start_year=2024, today=TODAY)
    adapt.init(late, country="KG", start_year=2025, today=TODAY)
    adapt.shift(late, ["TAX-2"], by=-1, today=TODAY)  # year 5 of 2024 = year 4 of 2025 = 2028
    report = build(early, late)
    assert not any(c.task == "TAX-2" for c in report.changes)
    # every other task did move in time: 2024 -> 2025 and so on
    assert "    years: 2024 \u2192 2025" in format_text(report)


# 4. the flowchart's arrows and --cascade agree


def test_4_cascade_moves_what_follows_in_the_row_and_says_why(plan: Path, cli) -> None:
    before = plan.read_bytes()
    result = cli("shift", plan, "EDU-1", "--by", "2", "--cascade", "--dry-run")
    assert result.exit_code == 0 and plan.read_bytes() == before
    assert result.stdout.splitlines() == [
        "(dry run) Task EDU-1 moved from 2024 to 2026",
        "(dry run) Task EDU-2 moved from 2025 to 2026",
        "(dry run) Task EDU-3 moved from 2025 to 2026",
    ]
    assert (
        "note: EDU-2 moves along to 2026: it follows EDU-1 in the Education and skills row "
        "and would otherwise start before EDU-1 ends (--cascade)"
    ) in result.stderr
    # EDU-4 (2026) already starts when EDU-3 now ends: it stays
    assert "EDU-4" not in result.stdout


def test_4_without_cascade_shift_warns_about_the_step_it_overtakes(plan: Path, cli) -> None:
    result = cli("shift", plan, "EDU-1", "--by", "2")
    assert result.exit_code == 0
    assert "warning: EDU-2 would start in 2025, before EDU-1 ends in 2026 (EDU-2 follows it in its row)" in result.stderr
    assert store.load(plan).plan.task("EDU-2").year_start == 2


def test_4_the_green_papers_own_years_stay_and_validate_stays_quiet_about_order(plan: Path, cli) -> None:
    # CUL-4 (year 4) comes before CUL-5 (year 3) in the Culture row, as the source gives them
    model = store.load(plan).plan
    assert model.task("CUL-4").year_start == 4 and model.task("CUL-5").year_start == 3
    out = cli("validate", plan).stderr
    assert "before" not in out
    # pushing CUL-4 later does not drag CUL-5, which was out of order already
    moved = cli("shift", plan, "CUL-4", "--by", "1", "--cascade")
    assert moved.exit_code == 0 and "CUL-5" not in moved.stdout + moved.stderr


def test_4_flowchart_arrows_are_the_rows_cascade_follows(plan: Path) -> None:
    from roadmap.render.flowchart import mermaid
    from roadmap.sequence import links

    adapt.add(plan, direction="FIN", stage="S2", title="Crowdfunding guide", years="2025", today=TODAY)
    p = store.load(plan).plan
    arrows = {line.strip() for line in mermaid(p).splitlines() if "-->" in line and "stage_" not in line}
    expected = {f"{a.before.replace('-', '_')} --> {a.after.replace('-', '_')}" for a in links(p) if a.in_row}
    assert arrows == expected
    # added after FIN-1 (2024) and before FIN-2 (2027): the arrow never makes it a step after FIN-2
    assert "FIN_1 --> KG_FIN_1" in arrows and "KG_FIN_1 --> FIN_2" in arrows


def test_4_add_after_a_task_it_is_due_before_is_refused(plan: Path, cli) -> None:
    before = plan.read_bytes()
    result = cli("add", plan, "--direction", "FIN", "--stage", "2", "--title", "Early", "--years", "2024", "--after", "FIN-2")
    assert result.exit_code == 1 and plan.read_bytes() == before
    assert "a task after FIN-2 cannot be due before FIN-2 starts (2027)" in result.stderr
    other_row = cli("add", plan, "--direction", "FIN", "--stage", "2", "--title", "X", "--after", "DAT-1")
    assert other_row.exit_code == 1 and "follows a box in its own direction's row" in other_row.stderr


def test_4_a_chain_of_a_thousand_links_is_walked_without_recursion(plan: Path) -> None:
    from roadmap.model import Roadmap
    from roadmap.sequence import push

    p = store.load(plan).plan
    base = {k: v for k, v in p.task("DAT-1").model_dump().items() if k not in ("box", "depends_on")}
    chain = [
        {**base, "id": f"KG-DAT-{i}", "origin": "added", "depends_on": [f"KG-DAT-{i - 1}"] if i > 1 else []}
        for i in range(1, 1001)
    ]
    chained = Roadmap.model_validate({**p.model_dump(), "tasks": chain})
    pushed = push(chained, {"KG-DAT-1": (2, 2)})
    assert len(pushed) == 999 and pushed["KG-DAT-1000"][:2] == (2, 2)


# 6. history of an id the plan never had


def test_6_history_of_an_unknown_task_names_the_closest(plan: Path, cli) -> None:
    result = cli("history", plan, "--task", "FIN-9")
    assert result.exit_code == 1
    assert 'no task "FIN-9" in' in result.stderr and "did you mean FIN-" in result.stderr
    assert all(f"FIN-{n}" in result.stderr for n in (1, 2, 3))


def test_6_history_of_a_removed_task_is_still_there(plan: Path, cli) -> None:
    adapt.add(plan, direction="DAT", stage="S1", title="Temporary", today=TODAY)
    adapt.remove(plan, "KG-DAT-1", today=TODAY)
    result = cli("history", plan, "--task", "kg-dat-1")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].endswith("Data: new task KG-DAT-1 \u201cTemporary\u201d (2024)")
    assert lines[-1].endswith("Task KG-DAT-1 \u201cTemporary\u201d removed")


# 7. add: the new id alone on stdout


def test_7_add_prints_only_the_new_id_on_stdout(plan: Path, cli) -> None:
    result = cli("add", plan, "--direction", "FIN", "--stage", "1", "--title", "Crowdfunding guide")
    assert result.exit_code == 0
    assert result.stdout == "KG-FIN-1\n"
    assert "Finance: new task KG-FIN-1 \u201cCrowdfunding guide\u201d (2024)" in result.stderr
    assert "box.order" not in result.stderr and "nothing to change" not in result.stderr


def test_7_add_json_gives_the_id_and_what_changed(plan: Path, cli) -> None:
    result = cli("add", plan, "--direction", "FIN", "--stage", "2", "--title", "Guide", "--json")
    data = json.loads(result.stdout)
    assert data == {
        "id": "KG-FIN-1",
        "dry_run": False,
        "changes": ["Finance: new task KG-FIN-1 \u201cGuide\u201d (2024)"],
    }


# 8. calendar years where they are unambiguous


def test_8_add_takes_calendar_years(plan: Path, cli) -> None:
    result = cli("add", plan, "--direction", "FIN", "--stage", "2", "--title", "Guide", "--years", "2025-2026")
    assert result.exit_code == 0
    task = store.load(plan).plan.task("KG-FIN-1")
    assert (task.year_start, task.year_end) == (2, 3)


def test_8_years_outside_the_plan_say_both_kinds(plan: Path, cli) -> None:
    late = cli("add", plan, "--direction", "FIN", "--stage", "2", "--title", "Guide", "--years", "2029-2030")
    assert late.exit_code == 1
    assert late.stderr.strip() == "2029 is outside the plan (2024-2028); use plan years 1 to 5, or calendar years 2024 to 2028"
    odd = cli("add", plan, "--direction", "FIN", "--stage", "2", "--title", "Guide", "--year", "7")
    assert "year 7 is outside the plan's horizon; use plan years 1 to 5, or calendar years 2024 to 2028" in odd.stderr


# 9. the hint for a model that is not packaged


def test_9_diff_model_hint_is_how_the_option_works(tmp_path: Path, cli) -> None:
    from revised_model import publish_revised

    revised = publish_revised(tmp_path)
    plan = tmp_path / "kz.yaml"
    adapt.init(plan, country="KZ", model=revised, start_year=2022, today=TODAY)
    result = cli("diff", plan, "--model")
    assert result.exit_code == 1
    assert "roadmap diff kz.yaml MODEL.yaml --model" in result.stderr
    assert "--model MODEL" not in result.stderr
    # and the hint works as written
    assert cli("diff", plan, revised, "--model").exit_code == 0


# 10. sentences for people


def test_10_editing_commands_print_sentences(plan: Path, cli) -> None:
    goal = cli("goal", plan, "G4", "--reached", "--on", "2025-05-02", "--evidence", "Association registered")
    assert goal.stdout == "Vision goal G4 reached (2 May 2025): Association registered\n"
    revised = cli("revise", plan, "DAT-2", "--add-result", "OKED codes for crafts adopted")
    assert revised.stdout == "Expected results of DAT-2: added \u201cOKED codes for crafts adopted\u201d\n"
    assert ".;" not in revised.stdout
    ticked = cli("tick", plan, "CUL-4", "--status", "not-needed", "--note", "The festival covers it", "--on", "2025-01-10")
    assert ticked.stdout == "Task CUL-4 marked not needed on 10 January 2025: The festival covers it\n"
    assert "(none)" not in goal.stdout + revised.stdout + ticked.stdout


def test_10_green_paper_joins_a_title_and_its_reason_cleanly(plan: Path) -> None:
    from roadmap.render.documents import render

    adapt.tick(plan, ["CUL-4"], status="not-needed", note="The national festival covers it", today=TODAY)
    text = render(store.load(plan).plan, "md", as_of=TODAY, model=None).decode("utf-8")
    assert "interest in CI. \u2014 The national festival covers it" in text
    assert ".:" not in text.replace("http:", "").replace("https:", "")


def test_10_changelog_lists_revisions_as_added_and_removed_items(plan: Path, cli) -> None:
    adapt.revise(plan, "DAT-2", results=["Only this"], today=TODAY)
    out = cli("changelog", plan).stdout
    assert "Expected results of DAT-2: added \u201cOnly this\u201d; removed \u201cGrowth, employment, and trends sectors" in out


# 11. tick dates and notes


def test_11_tick_refuses_a_date_in_the_future(plan: Path, cli) -> None:
    before = plan.read_bytes()
    result = cli("tick", plan, "DEF-1", "--on", "2999-01-01")
    assert result.exit_code == 1 and plan.read_bytes() == before
    assert "--on 2999-01-01 is in the future" in result.stderr


def test_11_tick_before_the_plan_starts_says_so(plan: Path, cli) -> None:
    result = cli("tick", plan, "DEF-1", "--on", "2019-03-01")
    assert result.exit_code == 0
    assert "note: 2019-03-01 is before the plan's first year (2024): recorded as done before the plan started" in result.stderr


def test_11_a_dropped_note_is_said_and_a_kept_one_kept(plan: Path, cli) -> None:
    adapt.tick(plan, ["DAT-1"], status="in-progress", note="Survey running", on="2024-09-01", today=TODAY)
    again = cli("tick", plan, "DAT-1", "--status", "in-progress", "--on", "2024-10-01")
    assert again.exit_code == 0 and store.load(plan).plan.task("DAT-1").status_note == "Survey running"
    done = cli("tick", plan, "DAT-1", "--on", "2024-12-01")
    assert 'note: DAT-1: the note "Survey running" went with its old status (in progress) and is dropped' in done.stderr
    assert store.load(plan).plan.task("DAT-1").status_note is None


# 13. formats and terminals


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "plan.txt"), "cannot tell which format to write from the name plan.txt"),
        (("--format", "xlsx", "-o", "plan.csv"), "--format xlsx does not match the file name plan.csv"),
    ],
)
def test_13_output_name_and_format_must_agree(plan: Path, cli, tmp_path: Path, monkeypatch, args, message) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("render", "action-plan", plan, *args)
    assert result.exit_code == 1 and message in result.stderr
    assert not (tmp_path / args[-1]).exists()


def test_13_format_is_inferred_from_the_output_name(plan: Path, cli, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    assert cli("render", "action-plan", plan, "-o", out).exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_13_binary_output_is_refused_on_a_terminal(plan: Path) -> None:
    parent, child = pty.openpty()
    run = subprocess.run(
        [sys.executable, "-c", "from cli import main; main()", "render", "action-plan", str(plan), "--format", "xlsx"],
        stdout=child, stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
    )
    os.close(child)
    os.close(parent)
    assert run.returncode == 1
    assert b"XLSX is a binary format: give -o FILE" in run.stderr


# 14. --version, assign by direction and stage, stage names the documents print


def test_14_version(cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("roadmap ")


def test_14_assign_by_direction_and_stage_names(plan: Path, cli) -> None:
    adapt.tick(plan, ["TAX-2"], status="not-needed", note="Done by law", today=TODAY)
    result = cli("assign", plan, "--direction", "TAX", "--owner", "B. Osmonov")
    assert result.exit_code == 0
    p = store.load(plan).plan
    assert p.task("TAX-1").owner.name == "B. Osmonov" and p.task("TAX-2").owner is None  # not needed: skipped
    for name in ("Cooperation", "cooperation", "Building trust", "stage 2", "S2", "s2", "2"):
        assert adapt.find_stage(p, name) == "S2", name
    assert adapt.find_stage(p, "Self-awareness") == "S1"
    assert adapt.find_stage(p, "Full forward") == "S4"
    assert adapt.find_direction(p, "Taxes") == "TAX" and adapt.find_direction(p, "education") == "EDU"


# 15. a hand-typed task that claims to come from the model


def test_15_validate_warns_about_an_id_the_model_does_not_have(plan: Path, cli) -> None:
    text = plan.read_text(encoding="utf-8")
    anchor = "\n  - id: EDU-4\n"
    typed = "\n  - id: EDU-5\n    direction: EDU\n    stage: S4\n    title: Typed by hand.\n    year_start: 5\n    year_end: 5"
    plan.write_text(text.replace(anchor, typed + anchor, 1), encoding="utf-8")
    result = cli("validate", plan)
    assert result.exit_code == 0
    line = next(ln for ln in result.stderr.splitlines() if "tasks[EDU-5].id" in ln)
    assert "warning:" in line and "has no task EDU-5" in line and "origin: added" in line and "KG-EDU-1" in line
    assert "tasks[EDU-4].id" not in result.stderr


# 16. removing an added task takes back the renumbering it caused


def test_16_remove_closes_the_gap_add_opened(plan: Path, cli) -> None:
    before = store.load(plan).data["tasks"]
    new_id = cli("add", plan, "--direction", "FIN", "--stage", "2", "--title", "Guide", "--years", "2025").stdout.strip()
    assert cli("remove", plan, new_id).exit_code == 0
    assert store.load(plan).data["tasks"] == before
    assert cli("diff", plan, "--model", "--fields", "box").stdout.startswith("no differences")


# 19, 20. the README's first hour


def test_19_readme_says_how_to_get_roadmap_on_the_path() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in ("source .venv/bin/activate", ".venv\\Scripts\\Activate.ps1", "py -m venv .venv"):
        assert text in readme


def test_20_upgrade_without_to_takes_the_shipped_model(plan: Path, cli) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "$ roadmap upgrade kg.yaml --dry-run" in readme  # a console example: run by test_docs
    result = cli("upgrade", plan, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.strip() == "kg.yaml is already based on central-asia-model 2021.2; nothing to upgrade".replace(
        "kg.yaml", str(plan)
    )


# 21. undo


def test_21_undo_reverses_the_last_command_and_is_recorded(plan: Path, cli) -> None:
    adapt.tick(plan, ["DEF-1"], on="2024-06-30", today=TODAY)
    before = store.load(plan).data
    adapt.add(plan, direction="FIN", stage="S2", title="Guide", years="2025", today=TODAY)
    adapt.tick(plan, ["DEF-2"], on="2024-07-01", today=TODAY)  # same day, another command
    dry = cli("undo", plan, "--dry-run")
    assert dry.stdout == "(dry run) Task DEF-2 marked not started\n"
    assert cli("undo", plan).exit_code == 0
    undone = cli("undo", plan)
    assert undone.exit_code == 0
    assert "Task KG-FIN-1 \u201cGuide\u201d removed" in undone.stdout
    after = store.load(plan).data
    assert {k: v for k, v in after.items() if k != "history"} == {k: v for k, v in before.items() if k != "history"}
    commands = [e["command"] for e in after["history"]]
    assert commands[-2:] == ["undo", "undo"] and "add" in commands  # nothing is erased from the history


def test_21_undo_refuses_to_overwrite_a_hand_edit(plan: Path, cli) -> None:
    adapt.tick(plan, ["DEF-1"], on="2024-06-30", today=TODAY)
    plan.write_text(plan.read_text(encoding="utf-8").replace("status_date: '2024-06-30'", "status_date: '2024-06-29'").replace(
        "status_date: 2024-06-30", "status_date: 2024-06-29"), encoding="utf-8")
    before = plan.read_bytes()
    result = cli("undo", plan)
    assert result.exit_code == 1 and plan.read_bytes() == before
    assert "has been changed since it was recorded" in result.stderr


def test_21_undo_never_removes_the_plan_itself(plan: Path, cli) -> None:
    result = cli("undo", plan)
    assert result.exit_code == 1 and "created it (init)" in result.stderr
