"""`roadmap status`: the terminal view at 80 and 120 columns, counts by status, owners as
objects, the owner filter ("my tasks") and a plan of thousands of tasks kept to a page."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from roadmap import adapt, store
from roadmap.i18n import catalogue
from roadmap.progress import summary
from roadmap.render.terminal import status_view

TODAY = dt.date(2026, 11, 23)


def _view(plan: Path, width: int, **options) -> str:
    data = summary(store.load(plan).plan, TODAY, owner=options.pop("owner", None))
    console = Console(file=io.StringIO(), width=width, no_color=True, highlight=False)
    console.print(status_view(data, catalogue(), **options))
    return console.file.getvalue()


@pytest.fixture
def crowded(kg_plan: Path) -> Path:
    """Added tasks with long ids in stage 1 of several directions squeeze the direction column."""
    for direction in ("DAT", "DAT", "INF", "INF", "INT", "TAX", "FIN", "EDU"):
        adapt.add(kg_plan, direction=direction, stage="S1", title="More", year=1, today=TODAY)
    for direction in ("DAT", "INF", "INT", "CUL"):
        for stage in ("S2", "S3"):
            adapt.add(kg_plan, direction=direction, stage=stage, title="More", year=1, today=TODAY)
    return kg_plan


@pytest.mark.parametrize("width", [80, 120])
def test_direction_names_wrap_between_words(crowded: Path, width: int) -> None:
    out = _view(crowded, width)
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    names = [line.split("\u2502")[1].strip() for line in lines if line.startswith("\u2502")]
    assert "Infrastructure" in names and "International" in names
    for word in ("Infrastructure", "International", "regulations", "Definition", "Education"):
        assert any(word in name for name in names), (word, names)
    assert "KG-INF-2" in out and "KG-DAT-2" in out  # ids whole, not folded


def test_json_counts_by_status_and_gives_owners_as_objects(cli, kg_plan: Path) -> None:
    data = json.loads(cli("status", kg_plan, "--as-of", "2026-11-23", "--json").stdout)
    overall = data["overall"]
    assert {k: overall[k] for k in ("done", "in_progress", "planned", "not_needed", "total")} == {
        "done": 2, "in_progress": 1, "planned": 27, "not_needed": 1, "total": 30
    }
    assert overall["green"] == overall["done"]  # the colour keys stay for existing scripts
    fin = {d["id"]: d for d in data["directions"]}["FIN"]
    assert (fin["planned"], fin["done"]) == (4, 0)
    fin1 = data["matrix"]["FIN"]["S1"][0]
    assert fin1["owner"] == {"name": "A. Usenova", "organisation": "Ministry of Economy", "contact": None}
    assert data["owner_filter"] is None


def test_owner_filter_in_view_and_json(cli, kg_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    adapt.assign(kg_plan, ["DAT-1"], owner="Bakyt Osmonov", org="National Statistical Committee", today=TODAY)
    data = json.loads(cli("status", kg_plan, "--as-of", "2026-11-23", "--owner", "ministry", "--json").stdout)
    ids = sorted(t["id"] for cells in data["matrix"].values() for c in cells.values() for t in c)
    assert ids == ["FIN-1", "FIN-2"]
    assert data["overall"]["total"] == 2 and data["owner_filter"] == "ministry"
    assert [t["id"] for t in data["overdue"]] == ["FIN-1"]
    by_name = json.loads(cli("status", kg_plan, "--as-of", "2026-11-23", "--owner", "OSMONOV", "--json").stdout)
    assert [t["id"] for t in by_name["overdue"]] == ["DAT-1"]  # 2024, not done by 2026
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("status", kg_plan, "--as-of", "2026-11-23", "--owner", "usenova").stdout
    assert "Only the tasks whose owner or organisation contains \u201cusenova\u201d" in out
    assert "\u25cbFIN-1" in out and "DAT-1" not in out and "without an owner" not in out
    assert "done 0/2 0%" in out
    missing = cli("status", kg_plan, "--owner", "Usenva")
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    assert "no task has an owner or organisation matching \u201cUsenva\u201d" in missing.stderr
    assert "A. Usenova, Bakyt Osmonov, Ministry of Economy, National Statistical Committee" in missing.stderr


def test_a_plan_of_thousands_of_tasks_stays_a_page(tmp_path: Path) -> None:
    adapt.init(tmp_path / "big.yaml", country="KG", start_year=2024, today=TODAY)
    plan = store.load(tmp_path / "big.yaml").plan
    extra = [
        plan.tasks[i % 30].model_copy(update={"id": f"KG-{plan.tasks[i % 30].direction}-{i + 1}"}) for i in range(3000)
    ]
    big = plan.model_copy(update={"tasks": plan.tasks + extra})
    data = summary(big, TODAY)
    console = Console(file=io.StringIO(), width=120, no_color=True, highlight=False)
    console.print(status_view(data, catalogue()))
    out = console.file.getvalue()
    assert len(out) < 20_000
    assert f"... and {len(data['unowned']) - 30:,} more tasks (--all lists every task)" in out
    assert "\u25cb" + str(len(data["matrix"]["DEF"]["S1"])) in out  # a big cell counts its tasks
    assert "KG-DEF-31" not in out
    console = Console(file=io.StringIO(), width=120, no_color=True, highlight=False)
    console.print(status_view(data, catalogue(), show_all=True))
    assert "KG-DEF-31" in console.file.getvalue()


def test_summary_groups_as_before(kg_plan: Path) -> None:
    """One pass over the tasks gives the same matrix and tallies as filtering per cell."""
    plan = store.load(kg_plan).plan
    data = summary(plan, TODAY)
    for d in plan.directions:
        for s in plan.stages:
            assert [t["id"] for t in data["matrix"][d.id][s.id]] == [
                t.id for t in plan.tasks if t.direction == d.id and t.stage == s.id
            ]
