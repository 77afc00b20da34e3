"""`roadmap changelog`: the history in plain sentences, dates newest first."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from roadmap import adapt

D1, D2, D3 = dt.date(2024, 1, 15), dt.date(2024, 6, 30), dt.date(2025, 5, 2)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plan = tmp_path_factory.mktemp("log") / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=D1)
    adapt.tick(plan, ["DEF-1"], on="2024-06-30", today=D2)
    adapt.assign(plan, ["FIN-1"], owner="A. Usenova", org="Ministry of Economy", today=D2)
    adapt.add(plan, direction="FIN", stage="S2", title="Crowdfunding guide for CEntr", years="2-3", today=D3)
    adapt.shift(plan, ["DAT-2"], by=1, today=D3)
    adapt.goal(plan, "G4", reached=True, on="2025-05-01", evidence="Association registered", today=D3)
    return plan


@pytest.fixture
def kg(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "kg.yaml"
    shutil.copyfile(built, target)
    return target


TEXT = """\
2025-05-02
  - Finance: new task KG-FIN-1 \u201cCrowdfunding guide for CEntr\u201d (2025\u20132026)
  - Task DAT-2 moved from 2025 to 2026
  - Vision goal G4 reached (1 May 2025): Association registered

2024-06-30
  - Task DEF-1 marked done on 30 June 2024
  - Task FIN-1 assigned to A. Usenova (Ministry of Economy)

2024-01-15
  - Plan created from central-asia-model 2021.2 for Kyrgyzstan
  - The plan now starts in 2024 (was 2022)
"""


def test_text_groups_by_date_newest_first(cli, kg: Path) -> None:
    result = cli("changelog", kg)
    assert result.exit_code == 0
    assert result.stdout == TEXT


def test_since(cli, kg: Path) -> None:
    result = cli("changelog", kg, "--since", "2024-06-30")
    assert result.exit_code == 0
    assert result.stdout == TEXT.split("\n\n2024-01-15")[0] + "\n"
    nothing = cli("changelog", kg, "--since", "2030-01-01")
    assert nothing.exit_code == 0 and nothing.stdout == "no recorded changes\n"


def test_markdown(cli, kg: Path, tmp_path: Path) -> None:
    adapt.revise(kg, "EDU-1", title="Map <b>creative</b> education & training", today=D3)
    out = tmp_path / "CHANGES.md"
    result = cli("changelog", kg, "--format", "md", "--since", "2025-01-01", "-o", out)
    assert result.exit_code == 0
    md = out.read_text(encoding="utf-8")
    assert md.startswith(
        "# Changes to Road map for the development of the creative economy: Kyrgyzstan\n\n"
        "*since 1 January 2025*\n\n## 2 May 2025\n\n- Finance: new task KG-FIN-1 \u201cCrowdfunding guide for CEntr\u201d (2025\u20132026)\n"
    )
    assert "Map &lt;b&gt;creative&lt;/b&gt; education &amp; training" in md
    assert "## 2024" not in md and "2024\n" not in md


def test_upgrade_is_told_in_sentences(cli, tmp_path: Path) -> None:
    from revised_model import publish_revised
    from roadmap.upgrade import upgrade

    plan = tmp_path / "tj.yaml"
    adapt.init(plan, country="TJ", start_year=2022, today=D1)
    upgrade(plan, to=publish_revised(tmp_path), today=D3)
    lines = cli("changelog", plan).stdout.splitlines()
    assert lines[:4] == [
        "2025-05-02",
        "  - Now based on central-asia-model 2022.1 (was 2021.2)",
        "  - Task DAT-3 is now DAT-4 (renamed by the model)",
        "  - vision: goals.G4.text changed from \u201cNational or city associations of creative entrepreneurs exist "
        "in every CA country\u201d to \u201cNational or city associations of creative entrepreneurs exist and are "
        "active in every CA country\u201d",
    ]
    assert "  - Task FIN-2 moved from 2025 to 2024" in lines
    assert "  - Task CUL-5 \u201cOrganization of social events, awards and competitions, media engagement.\u201d removed" in lines


def test_errors(cli, kg: Path, tmp_path: Path) -> None:
    bad = cli("changelog", kg, "--since", "last year")
    assert bad.exit_code == 1
    assert bad.stderr.strip() == '"last year" is not a date for --since; write it as YYYY-MM-DD, e.g. 2026-03-31'
    missing = cli("changelog", tmp_path / "nope.yaml")
    assert missing.exit_code == 1 and missing.stderr.strip() == f"{tmp_path / 'nope.yaml'}: file not found"
    assert cli("changelog", kg, "--format", "html").exit_code == 2


def test_model_without_history(cli, model_copy: Path) -> None:
    result = cli("changelog", model_copy)
    assert result.exit_code == 0 and result.stdout == "no recorded changes\n"


def test_sentences_for_a_goal_and_a_box(kg: Path) -> None:
    """sentences.describe: a goal's reached, date and evidence are one sentence; a box move has its own."""
    from roadmap import store
    from roadmap.changes import Change
    from roadmap.sentences import describe

    plan = store.load(kg).plan
    goal = ("vision", "goals", "G2")
    assert describe(
        [
            Change((*goal, "reached"), None, True),
            Change((*goal, "reached_on"), None, "2026-02-01"),
            Change((*goal, "evidence"), None, "Open data portal"),
            Change(("tasks", "FIN-3", "box", "order"), 3, 4),
        ],
        plan,
    ) == [
        "Vision goal G2 reached (1 February 2026): Open data portal",
        "Flowchart box of FIN-3 moved to position 4 in its row (was 3)",
    ]
    assert describe([Change((*goal, "reached"), True, False), Change((*goal, "reached_on"), "2026-02-01", None)], plan) == [
        "Vision goal G2 recorded as not reached"
    ]


@pytest.mark.parametrize(
    "path",
    [
        ("tasks", "DAT-2", "box", "order"),
        ("vision", "goals", "G4", "reached"),
        ("sections", "what-is-a-roadmap", "body"),
        ("meta", "based_on"),
        ("history", 3),
    ],
)
def test_history_paths_read_back(path) -> None:
    from roadmap.history import parse_path
    from roadmap.yamltext import format_path

    assert parse_path(format_path(path)) == path
