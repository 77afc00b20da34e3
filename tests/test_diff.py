"""`roadmap diff`: exactly the edits the adaptation commands made, and nothing else."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from roadmap import adapt, store
from roadmap.diff import diff_plans, parse_fields
from roadmap.errors import BadValue
from roadmap.report import build, format_json, format_md, format_text
from roadmap.resources import model_path

from conftest import TODAY


@pytest.fixture
def kz_plan(tmp_path: Path) -> Path:
    """A Kazakh plan with different edits from the Kyrgyz one, starting a year later."""
    plan = tmp_path / "kz.yaml"
    adapt.init(plan, country="KZ", start_year=2025, today=TODAY)
    adapt.tick(plan, ["DEF-1"], on="2025-04-01", today=TODAY)
    adapt.tick(plan, ["DAT-3"], status="in-progress", on="2025-03-01", today=TODAY)
    adapt.assign(plan, ["FIN-1"], owner="B. Nurlanova", today=TODAY)
    adapt.add(plan, direction="INT", stage="S4", title="Central Asian pavilion at a design week", year=4, today=TODAY)
    adapt.revise(plan, "EDU-1", title="Map creative education programmes.", today=TODAY)
    return plan


EDU_1_TITLE = store.load(model_path()).plan.task("EDU-1").title


def facts(changes):
    return {(c.path, json.dumps(c.old, sort_keys=True), json.dumps(c.new, sort_keys=True)) for c in changes}


def fact(path, old, new):
    return (path, json.dumps(old, sort_keys=True), json.dumps(new, sort_keys=True))


def test_plan_against_model_is_exactly_the_adaptation(kg_plan: Path) -> None:
    model = store.load(model_path()).plan
    kg = store.load(kg_plan).plan
    owner = {"name": "A. Usenova", "organisation": "Ministry of Economy", "contact": None}
    added = next(t for t in kg.tasks if t.id == "KG-FIN-1").model_dump(mode="json")
    result = [
        "Growth, employment, and trends sectors identified for presentation to the government, academic institutions, and investors.",
        "OKED codes for crafts adopted",
    ]
    expected = {
        fact(("tasks", "DEF-1", "status"), "planned", "done"),
        fact(("tasks", "DEF-1", "status_date"), None, "2024-06-30"),
        fact(("tasks", "DEF-2", "status"), "planned", "done"),
        fact(("tasks", "DEF-2", "status_date"), None, "2024-06-30"),
        fact(("tasks", "DAT-3", "status"), "planned", "in_progress"),
        fact(("tasks", "DAT-3", "status_date"), None, "2025-03-01"),
        fact(("tasks", "CUL-4", "status"), "planned", "not_needed"),
        fact(("tasks", "CUL-4", "status_date"), None, "2026-11-23"),
        fact(("tasks", "CUL-4", "status_note"), None, "Covered by the national festival"),
        fact(("tasks", "KG-FIN-1"), None, added),
        # KG-FIN-1 (stage 2, years 2-3) goes before FIN-2 (stage 2, year 4) in the row
        fact(("tasks", "FIN-2", "box", "order"), 2, 3),
        fact(("tasks", "FIN-3", "box", "order"), 3, 4),
        fact(("tasks", "DAT-2", "year_start"), 2, 3),
        fact(("tasks", "DAT-2", "year_end"), 2, 3),
        fact(("tasks", "DAT-2", "expected_results"), result[:1], result),
        fact(("tasks", "FIN-1", "owner"), None, owner),
        fact(("tasks", "FIN-2", "owner"), None, owner),
    }
    changes = [c for c in diff_plans(model, kg) if c.path[0] != "meta"]
    assert facts(changes) == expected
    assert len(changes) == len(expected)


def test_two_countries_line_up_by_model_id(kg_plan: Path, kz_plan: Path) -> None:
    report = build(kg_plan, kz_plan)
    assert report.summary() == (
        "1 added, 1 removed, 43 changed: 29 years, 4 meta, 3 status, 3 box, 2 owner, 1 title, 1 results"
    )
    assert [c.task for c in report.only_in_a] == ["KG-FIN-1"]
    assert [c.task for c in report.only_in_b] == ["KZ-INT-1"]
    # KZ starts a year later, so every task it did not move is a year later in the calendar;
    # DAT-2, which KG moved a year on, falls in 2026 in both plans: not a difference.
    assert [c.field for c in report.task_changes["DAT-2"]] == ["expected_results"]
    years = {task for task, changes in report.task_changes.items() if any(c.field == "year_start" for c in changes)}
    assert len(years) == 29
    assert [(c.field, c.old, c.new) for c in report.task_changes["EDU-1"]][:1] == [("title", EDU_1_TITLE, "Map creative education programmes.")]
    # KG's added task pushed FIN-2 and FIN-3 one box to the right; KZ's pushed INT-4.
    boxes = {task: (c.old, c.new) for task, changes in report.task_changes.items() for c in changes if c.field == "box.order"}
    assert boxes == {"FIN-2": (3, 2), "FIN-3": (4, 3), "INT-4": (4, 5)}
    assert facts(report.other_changes) == {
        fact(("meta", "id"), "kg-roadmap", "kz-roadmap"),
        fact(
            ("meta", "title"),
            "Road map for the development of the creative economy: Kyrgyzstan",
            "Road map for the development of the creative economy: Kazakhstan",
        ),
        fact(("meta", "country"), {"code": "KG", "name": "Kyrgyzstan"}, {"code": "KZ", "name": "Kazakhstan"}),
        fact(("meta", "start_year"), 2024, 2025),
    }


def test_text_format(kg_plan: Path, kz_plan: Path) -> None:
    text = format_text(build(kg_plan, kz_plan))
    lines = text.splitlines()
    assert lines[0] == "1 added, 1 removed, 43 changed: 29 years, 4 meta, 3 status, 3 box, 2 owner, 1 title, 1 results"
    assert f"Tasks only in {kg_plan} (1):" in lines
    assert "  KG-FIN-1  Crowdfunding guide for CEntr  [FIN, S2, 2025\u20132026]" in lines
    assert f"Tasks only in {kz_plan} (1):" in lines
    assert "  KZ-INT-1  Central Asian pavilion at a design week  [INT, S4, 2028]" in lines
    assert "    status: done (2024-06-30) \u2192 done (2025-04-01)" in lines  # DEF-1
    assert "    status: done (2024-06-30) \u2192 not started" in lines  # DEF-2
    assert "    years: 2024 \u2192 2025" in lines  # DEF-1: KZ starts a year later
    dat2 = re.search(r"^  DAT-2  .*\n(?:    .*\n)*", text, re.M).group(0)  # DAT-2 and its detail lines
    assert "results" in dat2  # the block is DAT-2's (KG added a result)
    assert "years" not in dat2  # moved a year on in KG, so in 2026 in both: the same timeline
    assert "    owner: A. Usenova (Ministry of Economy) \u2192 B. Nurlanova" in lines
    assert "    owner: A. Usenova (Ministry of Economy) \u2192 (none)" in lines
    assert "      - OKED codes for crafts adopted" in lines
    assert f"    title: {EDU_1_TITLE} \u2192 Map creative education programmes." in lines
    assert "  meta.start_year: 2024 \u2192 2025" in lines
    # DAT-3 is in progress since the same day in both plans: only its years differ.
    dat3 = text[text.index("  DAT-3  "):].split("\n  ", 2)
    assert dat3[1].strip() == "years: 2025\u20132028 \u2192 2026\u20132029"


def test_markdown_format(kg_plan: Path, kz_plan: Path) -> None:
    md = format_md(build(kg_plan, kz_plan))
    assert md.startswith("**1 added, 1 removed, 43 changed: 29 years, 4 meta, 3 status, 3 box, 2 owner, 1 title, 1 results**\n")
    assert "| KZ-INT-1 | Central Asian pavilion at a design week  [INT, S4, 2028] |" in md
    assert "| FIN-1 | owner | A. Usenova (Ministry of Economy) | B. Nurlanova |" in md
    assert "| DAT-3 | years | 2025\u20132028 | 2026\u20132029 |" in md
    assert "| DAT-2 | years" not in md
    assert "| meta.start_year | 2024 | 2025 |" in md
    rows = [ln for ln in md.splitlines() if ln.startswith("| ") and not ln.startswith("| Task") and not ln.startswith("| Where")]
    assert "| FIN-3 | box order | 4 | 3 |" in md
    assert len(rows) == 2 + 39 + 4  # 2 tasks only in one plan, 39 task field groups, 4 meta fields


def test_json_format_is_plain_data(kg_plan: Path, kz_plan: Path) -> None:
    data = json.loads(format_json(build(kg_plan, kz_plan)))
    assert data["same"] is False
    assert data["summary"]["added"] == 1 and data["summary"]["removed"] == 1 and data["summary"]["changed"] == 43
    assert data["summary"]["by_field"] == {
        "box": 3, "meta": 4, "owner": 2, "results": 1, "status": 3, "title": 1, "years": 29
    }
    assert [t["id"] for t in data["only_in_a"]] == ["KG-FIN-1"]
    assert [t["id"] for t in data["only_in_b"]] == ["KZ-INT-1"]
    fin1 = next(t for t in data["tasks"] if t["task"] == "FIN-1")
    assert [f for f in fin1["fields"] if f["group"] == "owner"] == [
        {
            "group": "owner",
            "field": "owner",
            "a": {"name": "A. Usenova", "organisation": "Ministry of Economy", "contact": None},
            "b": {"name": "B. Nurlanova", "organisation": None, "contact": None},
        }
    ]
    dat3 = next(t for t in data["tasks"] if t["task"] == "DAT-3")
    assert [(f["field"], f["a"], f["b"]) for f in dat3["fields"] if f["group"] == "years"] == [
        ("year_start", 2025, 2026),  # calendar years
        ("year_end", 2028, 2029),
    ]


def test_fields_filter(kg_plan: Path, kz_plan: Path) -> None:
    report = build(kg_plan, kz_plan, fields="owner,years")
    assert report.summary() == "1 added, 1 removed, 31 changed: 29 years, 2 owner"
    assert "DAT-2" not in report.task_changes and {"FIN-1", "FIN-2"} <= set(report.task_changes)
    assert report.other_changes == []


def test_fields_filter_rejects_unknown_names() -> None:
    with pytest.raises(BadValue, match='unknown field "colour" in --fields; use any of: years, status'):
        parse_fields("status,colour")


def test_same_plan_has_no_differences(kg_plan: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    shutil.copyfile(kg_plan, copy)
    report = build(kg_plan, copy)
    assert report.same and report.summary() == "no differences"
    assert json.loads(format_json(report))["summary"]["changed"] == 0


def test_history_is_not_a_difference(kg_plan: Path, tmp_path: Path) -> None:
    """Two plans with the same content reached by different routes are the same."""
    other = tmp_path / "other.yaml"
    shutil.copyfile(kg_plan, other)
    adapt.shift(other, ["DAT-2"], by=1, today=TODAY)
    adapt.shift(other, ["DAT-2"], by=-1, today=TODAY)
    assert build(kg_plan, other).same


# ---------------------------------------------------------------------------------------
# The command


def test_cli_exit_codes(cli, kg_plan: Path, kz_plan: Path, tmp_path: Path) -> None:
    same = cli("diff", kg_plan, kg_plan)
    assert same.exit_code == 0
    assert same.stdout.splitlines()[0] == "no differences"
    differ = cli("diff", kg_plan, kz_plan)
    assert differ.exit_code == 3
    assert differ.stdout.splitlines()[0].startswith("1 added, 1 removed, 43 changed")
    as_json = cli("diff", kg_plan, kz_plan, "--format", "json")
    assert as_json.exit_code == 3 and json.loads(as_json.stdout)["summary"]["changed"] == 43
    out = tmp_path / "d.md"
    written = cli("diff", kg_plan, kz_plan, "--format", "md", "-o", out)
    assert written.exit_code == 3 and out.read_text(encoding="utf-8").startswith("**1 added")


def test_cli_against_model(cli, kg_plan: Path) -> None:
    result = cli("diff", kg_plan, "--model")
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0] == "1 added, 0 removed, 11 changed: 4 status, 2 owner, 2 box, 1 years, 1 results, 1 meta"
    assert lines[1] == "A: model central-asia-model 2021.2"
    # The identity init gave the plan (id, title, country, based_on...) is not a difference.
    assert "meta.id" not in result.stdout and "based_on" not in result.stdout
    assert "  meta.start_year: 2022 \u2192 2024" in lines
    # the model's years counted from the plan's first year: DAT-2 moved one year on
    assert "    years: 2025 \u2192 2026" in lines


def test_cli_against_given_model_file(cli, kg_plan: Path, model_copy: Path) -> None:
    result = cli("diff", kg_plan, "--model", model_copy)
    assert result.exit_code == 3
    assert result.stdout.splitlines()[0].startswith("1 added, 0 removed, 11 changed")


def test_cli_errors(cli, kg_plan: Path, tmp_path: Path) -> None:
    missing = cli("diff", kg_plan, tmp_path / "nope.yaml")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"{tmp_path / 'nope.yaml'}: file not found"
    assert missing.stdout == ""

    bad = tmp_path / "bad.yaml"
    bad.write_text(kg_plan.read_text(encoding="utf-8").replace("year_end: 3\n", "year_end: 0\n", 1), encoding="utf-8")
    invalid = cli("diff", kg_plan, bad)
    assert invalid.exit_code == 1
    assert "year_end: Input should be greater than or equal to 1" in invalid.stderr

    alone = cli("diff", kg_plan)
    assert alone.exit_code == 1
    assert alone.stderr.strip() == "give two plans to compare (roadmap diff A B), or one plan with --model"

    unknown = cli("diff", kg_plan, kg_plan, "--fields", "colour")
    assert unknown.exit_code == 1
    assert unknown.stderr.startswith('unknown field "colour" in --fields')

    no_base = cli("diff", model_path(), "--model")
    assert no_base.exit_code == 1
    assert "does not record the model it was derived from (meta.based_on)" in no_base.stderr

    bad_format = cli("diff", kg_plan, kg_plan, "--format", "pdf")
    assert bad_format.exit_code == 2


def test_cli_help_documents_exit_codes(cli) -> None:
    help_text = cli("diff", "--help").stdout
    assert "0 the plans are the same, 3 they differ, 1 error" in " ".join(help_text.split())


def test_cli_against_another_model_version_says_so(cli, kg_plan: Path, tmp_path: Path) -> None:
    from revised_model import publish_revised

    revised = publish_revised(tmp_path)
    result = cli("diff", kg_plan, "--model", revised)
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        f"note: {kg_plan} was derived from central-asia-model version 2021.2, "
        "not from this file (central-asia-model version 2022.1)"
    )
    lines = result.stdout.splitlines()
    assert lines[1] == "A: model central-asia-model 2022.1"
    # Against 2022.1: the model dropped CUL-5 and INF-3, renamed DAT-3 (diff matches ids, so
    # DAT-3 and DAT-4 show on either side) and added FIN-4.
    assert lines[0].startswith("4 added, 2 removed, ")
    report = build(kg_plan, revised, model=True)
    assert [c.task for c in report.only_in_b] == ["DAT-3", "CUL-5", "INF-3", "KG-FIN-1"]  # the model's task order
    assert [c.task for c in report.only_in_a] == ["DAT-4", "FIN-4"]


@pytest.mark.parametrize("command", ["diff", "compare", "vision", "upgrade", "changelog"])
def test_every_issue_5_command_has_help_with_an_example(cli, command: str) -> None:
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert f"Example: roadmap {command} " in result.stdout
