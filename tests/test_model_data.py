"""The embedded model holds the Green Paper as the Green Paper has it."""

from __future__ import annotations

import re

import pytest

from roadmap import store
from roadmap.resources import model_path


@pytest.fixture(scope="module")
def model():
    return store.load(model_path()).plan


def test_model_validates_without_findings(model):
    doc, findings = store.inspect(model_path())
    assert doc is not None
    assert findings == []


def test_counts_match_the_green_paper(model):
    assert len(model.directions) == 9
    assert len(model.stages) == 4
    assert len(model.tasks) == 30
    assert sum(1 for t in model.tasks if t.box) == 30
    assert len(model.vision.goals) == 6
    assert len(model.audiences) == 6


def test_directions_and_stages(model):
    assert [d.name for d in model.directions] == [
        "Definition",
        "Culture",
        "Data",
        "Advocacy",
        "Education and skills",
        "Finance",
        "Taxes and regulations",
        "International relations",
        "Infrastructure",
    ]
    assert [s.key_message for s in model.stages] == ["Self-awareness", "Cooperation", "Ambition", "Full forward!"]
    assert [s.flowchart_columns for s in model.stages] == [2, 1, 1, 1]
    assert all(q.endswith("?") for d in model.directions for q in d.guiding_questions)


def test_boxes_per_row_follow_the_flowchart(model):
    rows = {}
    for t in model.tasks:
        rows.setdefault(t.direction, []).append(t)
    counts = {d: len(ts) for d, ts in rows.items()}
    assert counts == {"DEF": 2, "CUL": 5, "DAT": 3, "ADV": 4, "EDU": 4, "FIN": 3, "TAX": 2, "INT": 4, "INF": 3}
    stage_number = {s.id: s.number for s in model.stages}
    for direction, tasks in rows.items():
        ordered = sorted(tasks, key=lambda t: t.box.order)
        assert [t.box.order for t in ordered] == list(range(1, len(tasks) + 1))
        positions = [(stage_number[t.stage], t.box.column) for t in ordered]
        assert positions == sorted(positions), direction
        assert [t.id for t in ordered] == [f"{direction}-{i}" for i in range(1, len(tasks) + 1)]


def test_years_as_the_green_paper_gives_them(model):
    years = {t.id: (t.year_start, t.year_end) for t in model.tasks}
    assert years["DAT-3"] == (2, 5)  # "Second, third, fourth and fifth year"
    assert years["CUL-5"] == (3, 3)  # stage 4 task due in the third year
    assert years["CUL-4"] == (4, 4)
    assert years["TAX-2"] == (5, 5)
    assert sum(1 for y in years.values() if y[0] != y[1]) == 1
    assert model.meta.start_year == 2022 and model.calendar_year(5) == 2026


def test_specific_cells(model):
    fin1 = model.task("FIN-1")
    assert fin1.stage == "S1" and fin1.box.column == 2
    assert "Creative England" in fin1.international_examples
    dat2 = model.task("DAT-2")
    assert "OKED" in dat2.box.text
    assert model.task("INF-3").box.text == "High-quality digital infrastructure is available to all CEntr in CA"


def test_vision_rule(model):
    rule = model.vision.success_rule
    assert (rule.min_goals, rule.min_countries, rule.of_countries) == (4, 3, 5)
    assert rule.by.isoformat() == "2026-12-31"
    assert [g.id for g in model.vision.goals] == ["G1", "G2", "G3", "G4", "G5", "G6"]


def test_chapters_and_the_five_steps(model):
    ids = [s.id for s in model.sections]
    for required in ("foreword", "introduction", "what-is-a-roadmap", "audiences", "implementation", "stages", "conclusion"):
        assert required in ids
    steps = next(s for s in model.sections if s.id == "implementation").body
    assert len(re.findall(r"^\d\. ", steps, flags=re.M)) >= 5
    assert "Publish the revised" in steps


def test_extraction_defects_are_cleaned():
    text = model_path().read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=roadmap.schema.json\n")
    # The data must not carry them; a YAML comment may name the defect it cleaned.
    data_lines = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    for defect in ("CGDC", "CDGC", "Finanee", "<p>", "</p>", "CEnter", "\t", "ABPOKOPPI"):
        assert defect not in data_lines, defect
    assert "CGDC" in text and "CDGC" in text  # ... and the comment that says OKED is meant
