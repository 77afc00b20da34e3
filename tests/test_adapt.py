"""A country group's session, steps 1 to 4, driven through the CLI as a user types it."""

from __future__ import annotations

import difflib
import json

import pytest

from roadmap import store
from roadmap.lineage import content_hash
from roadmap.resources import model_path, schema_path


def _diff(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


@pytest.fixture
def session(tmp_path, cli):
    plan = tmp_path / "kg.yaml"
    r = cli("init", "--country", "KG", "--start-year", "2024", "-o", plan)
    assert r.exit_code == 0, r.output
    initial = plan.read_text(encoding="utf-8")
    steps = [
        ("tick", plan, "DEF-1", "DEF-2", "--on", "2024-06-30"),
        ("tick", plan, "DAT-1", "--status", "in-progress", "--on", "2024-09-01", "--note", "Survey running"),
        ("tick", plan, "CUL-4", "--status", "not-needed", "--note", "The national festival covers it"),
        ("add", plan, "--direction", "Finance", "--stage", "2", "--title", "Crowdfunding guide for CEntr", "--years", "2-3", "--owner", "B. Ryskulova"),
        ("shift", plan, "TAX-2", "--by", "-1"),
        ("assign", plan, "FIN-1", "FIN-2", "--owner", "A. Usenova", "--org", "Ministry of Economy", "--contact", "a.usenova@example.kg"),
        ("assign", plan, "FIN-2", "--clear"),
        ("revise", plan, "DAT-2", "--add-result", "OKED codes for crafts adopted", "--box", "OKED adjusted to CI and crafts"),
        ("add", plan, "--direction", "DAT", "--stage", "S1", "--title", "Temporary", "--year", "1"),
        ("remove", plan, "KG-DAT-1"),
    ]
    outputs = []
    for step in steps:
        result = cli(*step)
        assert result.exit_code == 0, (step, result.output)
        outputs.append(result)
    return plan, initial, outputs


def test_init_records_the_model(tmp_path, cli):
    plan = tmp_path / "kz.yaml"
    assert cli("init", "--country", "kz", "-o", plan).exit_code == 0
    meta = store.load(plan).plan.meta
    assert meta.country.code == "KZ" and meta.country.name == "Kazakhstan"
    assert meta.kind == "plan" and meta.scope == "country"
    assert meta.based_on.id == "central-asia-model"
    assert meta.based_on.version == "2021.2"
    assert meta.based_on.hash == content_hash(model_path().read_text(encoding="utf-8"))
    text = plan.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=roadmap.schema.json")
    assert (tmp_path / "roadmap.schema.json").read_bytes() == schema_path().read_bytes()
    assert text.count("  - id: ") >= 30  # the whole model, readable


def test_init_refuses_to_overwrite(tmp_path, cli):
    plan = tmp_path / "kg.yaml"
    plan.write_text("mine", encoding="utf-8")
    result = cli("init", "--country", "KG", "-o", plan)
    assert result.exit_code == 1
    assert "already exists; use --force" in result.stderr
    assert plan.read_text(encoding="utf-8") == "mine"
    assert cli("init", "--country", "KG", "-o", plan, "--force").exit_code == 0


def test_session_changes_only_what_the_commands_said(session):
    plan, initial, outputs = session
    final = plan.read_text(encoding="utf-8")
    doc = store.load(plan)
    assert [f for f in doc.findings if f.severity == "error"] == []
    changed = _diff(initial.split("\nhistory:\n")[0], final.split("\nhistory:\n")[0])
    # every changed line belongs to a field a command named
    fields = ("status", "status_date", "status_note", "year_start", "year_end", "owner", "name", "organisation",
              "contact", "box", "text", "order", "expected_results", "- ", "id", "direction", "stage",
              "title", "origin")
    for line in changed:
        assert line[1:].strip().split(":")[0].strip() in fields or line[1:].strip().startswith("- "), line
    p = doc.plan
    assert p.task("DEF-1").status.value == "done" and p.task("DEF-1").status_date.isoformat() == "2024-06-30"
    assert p.task("DAT-1").status.value == "in_progress" and p.task("DAT-1").status_note == "Survey running"
    assert p.task("CUL-4").status.value == "not_needed"
    assert (p.task("TAX-2").year_start, p.task("TAX-2").year_end) == (4, 4)
    assert p.task("FIN-1").owner.organisation == "Ministry of Economy"
    assert p.task("FIN-2").owner is None
    assert p.task("DAT-2").expected_results[-1] == "OKED codes for crafts adopted"
    assert p.task("DAT-2").box.text == "OKED adjusted to CI and crafts"
    added = p.task("KG-FIN-1")
    assert added.origin.value == "added" and added.stage == "S2" and (added.year_start, added.year_end) == (2, 3)
    assert added.owner.name == "B. Ryskulova"
    assert [t.id for t in p.tasks if t.direction == "FIN" and t.box] and p.task("FIN-3").box.order == 4
    assert "KG-DAT-1" not in {t.id for t in p.tasks}
    assert outputs[3].stdout.strip().splitlines()[-1] == "KG-FIN-1"


def test_session_history(session, cli):
    plan, _, _ = session
    result = cli("history", plan, "--json")
    entries = json.loads(result.stdout)
    commands = [e["command"] for e in entries]
    assert commands[0] == "init"
    for name in ("tick", "add", "shift", "assign", "revise", "remove"):
        assert name in commands
    tax = [e for e in entries if e.get("task") == "TAX-2"]
    assert [(e["field"], e["old"], e["new"]) for e in tax] == [("year_start", 5, 4), ("year_end", 5, 4)]
    cleared = [e for e in entries if e.get("task") == "FIN-2" and e["field"] == "owner"]
    assert cleared[-1]["new"] is None and cleared[-1]["old"]["name"] == "A. Usenova"
    text = cli("history", plan, "--task", "CUL-4").stdout
    assert text == "2026-12-01  tick     Task CUL-4 marked not needed on 2026-12-01: The national festival covers it\n" or (
        "Task CUL-4 marked not needed on " in text and text.rstrip().endswith(": The national festival covers it")
    )


def test_status_json_matches_the_edits(session, cli):
    plan, _, _ = session
    data = json.loads(cli("status", plan, "--as-of", "2026-11-23", "--json").stdout)
    assert data["overall"] == {
        "done": 2, "in_progress": 1, "planned": 27, "not_needed": 1, "total": 30, "percent": 7,
        "green": 2, "yellow": 1, "red": 27, "grey": 1,
    }
    by_direction = {d["id"]: d for d in data["directions"]}
    assert (by_direction["DEF"]["green"], by_direction["DEF"]["percent"]) == (2, 100)
    assert by_direction["CUL"]["grey"] == 1 and by_direction["CUL"]["total"] == 4
    assert by_direction["FIN"]["red"] == 4  # three model tasks and KG-FIN-1
    by_stage = {s["number"]: s for s in data["stages"]}
    assert (by_stage[1]["green"], by_stage[1]["yellow"], by_stage[1]["red"]) == (2, 1, 9)
    assert by_stage[2]["red"] == 9 and by_stage[3]["grey"] == 1  # eight model tasks and KG-FIN-1
    # years 2024-2028: by 2026-11 tasks ending in 2024 or 2025 are overdue unless done
    overdue = {t["id"] for t in data["overdue"]}
    assert overdue == {"DAT-1", "ADV-1", "ADV-2", "EDU-1", "FIN-1", "CUL-1", "CUL-2", "DAT-2", "ADV-3",
                       "EDU-2", "EDU-3", "INT-1", "INF-1"}
    unowned = {t["id"] for t in data["unowned"]}
    assert "FIN-1" not in unowned and "KG-FIN-1" not in unowned and "FIN-2" in unowned
    assert len(unowned) == 31 - 2 - 1 - 2  # 31 tasks minus done, not needed, owned (FIN-1, KG-FIN-1)
    assert {t["id"] for t in data["due_this_year"]} == {"CUL-3", "CUL-5", "DAT-3", "ADV-4", "EDU-4", "INT-2", "KG-FIN-1"}
    assert data["matrix"]["FIN"]["S2"][1]["id"] == "KG-FIN-1"


def test_status_is_readable_without_colour_in_80_columns(session, cli, monkeypatch):
    plan, _, _ = session
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("status", plan, "--as-of", "2026-11-23").stdout
    assert "\x1b[" not in out
    assert all(len(line) <= 80 for line in out.splitlines()), max(out.splitlines(), key=len)
    assert "✓DEF-1" in out and "–CUL-4" in out and "◐DAT-1" in out
    assert "Overdue: 13" in out


def test_dry_run_writes_nothing(kg_plan, cli):
    before = kg_plan.read_bytes()
    result = cli("tick", kg_plan, "INF-1", "INF-2", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("(dry run) Task INF-1 marked done on ")
    assert kg_plan.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tick", "{plan}", "DAT-22"), 'no task "DAT-22" in this plan; did you mean DAT-2'),
        (("tick", "{plan}", "DAT-2", "--status", "finished"), 'unknown status "finished"; use one of: done, in-progress, planned, not-needed'),
        (("tick", "{plan}", "DAT-2", "--on", "2025-02-30"), '"2025-02-30" is not a date; write it as YYYY-MM-DD'),
        (("tick", "{plan}", "DAT-2", "--status", "not-needed"), "--status not-needed needs --note"),
        (("tick", "{plan}", "FIN-1", "--status", "not-needed", "--note", "x"), "FIN-1 has an owner (A. Usenova)"),
        (("add", "{plan}", "--direction", "Fashion", "--stage", "1", "--title", "x"), 'unknown direction "Fashion"; the directions are: DEF (Definition)'),
        (("add", "{plan}", "--direction", "FIN", "--stage", "9", "--title", "x"), 'unknown stage "9"; the stages are: S1'),
        (("add", "{plan}", "--direction", "FIN", "--stage", "1", "--title", "x", "--year", "7"), "year 7 is outside the plan's horizon; use plan years 1 to 5, or calendar years 2024 to 2028"),
        (("shift", "{plan}", "TAX-2", "--by", "3"), "TAX-2 would move to 2031-2031, outside the plan's horizon 2024-2028"),
        (("assign", "{plan}", "CUL-4", "--owner", "X"), "CUL-4 is marked not needed; a task that is not needed has no owner"),
        (("remove", "{plan}", "DAT-1"), "DAT-1 comes from the model; keep the link to it and mark it instead"),
        (("revise", "{plan}", "DAT-1"), "say what to revise"),
    ],
)
def test_bad_input_is_one_line_exit_1_file_unchanged(kg_plan, cli, args, message):
    before = kg_plan.read_bytes()
    result = cli(*[a.format(plan=kg_plan) for a in args])
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert kg_plan.read_bytes() == before


def test_invalid_plan_is_refused_before_any_edit(kg_plan, cli):
    text = kg_plan.read_text(encoding="utf-8").replace("    direction: DAT\n", "    direction: DTA\n", 1)
    kg_plan.write_text(text, encoding="utf-8")
    result = cli("tick", kg_plan, "DEF-1")
    assert result.exit_code == 1
    assert 'unknown direction "DTA"' in result.stderr
    assert kg_plan.read_text(encoding="utf-8") == text


def test_shift_cascade_and_warning(kg_plan, cli):
    assert cli("add", kg_plan, "--direction", "DAT", "--stage", "2", "--title", "Follow-up", "--year", "3", "--after", "DAT-2").exit_code == 0
    # KG-DAT-1 depends on DAT-2 (year 3 after the fixture's shift)
    warned = cli("shift", kg_plan, "DAT-2", "--by", "1", "--dry-run")
    assert "warning: KG-DAT-1 would start in 2026, before DAT-2 ends in 2027" in warned.stderr
    moved = cli("shift", kg_plan, "DAT-2", "--by", "1", "--cascade")
    assert moved.exit_code == 0
    plan = store.load(kg_plan).plan
    assert plan.task("DAT-2").year_start == 4 and plan.task("KG-DAT-1").year_start == 4


def test_shift_start_year(kg_plan, cli):
    assert cli("shift", kg_plan, "--start-year", "2025").exit_code == 0
    plan = store.load(kg_plan).plan
    assert plan.meta.start_year == 2025 and plan.calendar_year(plan.task("DAT-2").year_start) == 2027


def test_tick_by_direction(kg_plan, cli):
    assert cli("tick", kg_plan, "--direction", "Infrastructure", "--status", "in-progress").exit_code == 0
    plan = store.load(kg_plan).plan
    assert {t.status.value for t in plan.tasks if t.direction == "INF"} == {"in_progress"}


def test_goal(kg_plan, cli):
    assert cli("goal", kg_plan, "g4", "--reached", "--on", "2025-05-02", "--evidence", "Association registered").exit_code == 0
    goal = next(g for g in store.load(kg_plan).plan.vision.goals if g.id == "G4")
    assert goal.reached is True and goal.reached_on.isoformat() == "2025-05-02"
    bad = cli("goal", kg_plan, "G9", "--reached")
    assert bad.exit_code == 1 and 'no vision goal "G9"; the goals are: G1, G2' in bad.stderr
