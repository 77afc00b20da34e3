"""`roadmap validate`: located messages, every problem, exit codes, files untouched."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from roadmap.resources import model_path

MODEL = model_path().read_text(encoding="utf-8")


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1


BOMB = "lol0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
)


def _broken() -> dict[str, tuple[str | bytes, int, str]]:
    """name -> (file content, expected line, expected words in the message)."""
    m = MODEL
    first_status = m.index("    status: planned")
    cul1 = m.index("  - id: CUL-1")
    return {
        "unknown key": (m.replace("  horizon: 5\n", "  horizon: 5\n  colour: blue\n", 1), _line_of(m, "  horizon: 5") + 1, 'unknown field "colour"'),
        "missing field": (m.replace("  start_year: 2022\n", "", 1), _line_of(m, "meta:"), 'required field "start_year" is missing'),
        "duplicate id": (m[:cul1] + m[cul1:].replace("id: CUL-1", "id: DEF-1", 1), _line_of(m, "  - id: CUL-1"), 'duplicate id "DEF-1"'),
        "dangling reference": (m.replace("    direction: DAT\n", "    direction: DTA\n", 1), _line_of(m, "    direction: DAT\n"), 'unknown direction "DTA"'),
        "bad year": (m.replace("    year_end: 1\n", "    year_end: 7\n", 1), _line_of(m, "    year_end: 1\n"), "outside the plan's horizon"),
        "bad status": (m[:first_status] + "    status: finished" + m[first_status + len("    status: planned"):], _line_of(m, "    status: planned"), "'planned', 'in_progress', 'done' or 'not_needed'"),
        "duplicate YAML key": (m.replace("  horizon: 5\n", "  horizon: 5\n  horizon: 6\n", 1), _line_of(m, "  horizon: 5") + 1, f'duplicate key "horizon": it appears on line {_line_of(m, "  horizon: 5")}'),
        "alias bomb": (m + BOMB, m.count("\n") + 2, "aliases"),
        "non-UTF-8": (m.encode("utf-8").replace(b"subtitle: Green Paper", b"subtitle: Green \xff Paper", 1), _line_of(m, "subtitle: Green Paper"), "not UTF-8"),
        "tab indentation": (m.replace("  horizon: 5\n", "\thorizon: 5\n", 1), _line_of(m, "  horizon: 5"), "tab"),
    }


BROKEN = _broken()


@pytest.mark.parametrize("name", list(BROKEN))
def test_broken_copy_gives_a_located_message(name, tmp_path, cli):
    content, line, words = BROKEN[name]
    plan = tmp_path / "broken.yaml"
    if isinstance(content, bytes):
        plan.write_bytes(content)
    else:
        plan.write_text(content, encoding="utf-8")
    before = plan.read_bytes()
    started = time.perf_counter()
    result = cli("validate", plan)
    elapsed = time.perf_counter() - started
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{plan}:{line}:" in result.stderr, result.stderr
    assert words in result.stderr
    assert plan.read_bytes() == before
    assert elapsed < 5


def test_alias_bomb_fails_fast(tmp_path):
    from roadmap import store

    plan = tmp_path / "bomb.yaml"
    plan.write_text(MODEL + BOMB, encoding="utf-8")
    started = time.perf_counter()
    doc, findings = store.inspect(plan)
    assert doc is None and "aliases" in findings[0].message
    # Expanding it would take minutes; refusing takes milliseconds. The bound is loose on
    # purpose (shared machines are noisy): it catches expansion, not a slow parser.
    assert time.perf_counter() - started < 5


def test_every_problem_is_reported_not_just_the_first(tmp_path, cli):
    text = MODEL.replace("    direction: DAT\n", "    direction: DTA\n", 1).replace("    year_end: 1\n", "    year_end: 9\n", 1)
    plan = tmp_path / "two.yaml"
    plan.write_text(text, encoding="utf-8")
    result = cli("validate", plan)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if re.match(rf"{re.escape(str(plan))}:\d+:\d+: ", line)]
    assert len(errors) == 2
    assert "(2 errors, 0 warnings)" in result.stderr


def test_model_is_valid(cli):
    result = cli("validate")
    assert result.exit_code == 0
    assert "valid (0 errors, 0 warnings)" in result.stderr


def test_warnings_exit_zero_unless_strict(kg_plan, cli):
    result = cli("validate", kg_plan)
    assert result.exit_code == 0
    assert "warning: tasks[CUL-1]: no owner" in result.stderr
    strict = cli("validate", kg_plan, "--strict")
    assert strict.exit_code == 1


def test_json_findings(tmp_path, cli, kg_plan):
    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN["bad status"][0], encoding="utf-8")
    result = cli("validate", bad, kg_plan, "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    first, second = data["files"]
    assert first["valid"] is False and first["errors"] == 1
    assert first["findings"][0]["path"] == "tasks[DEF-1].status"
    assert first["findings"][0]["line"] == BROKEN["bad status"][1]
    assert second["valid"] is True and second["warnings"] > 0


def test_missing_file(cli, tmp_path):
    result = cli("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "nope.yaml: file not found" in result.stderr


def test_oversized_file_refused(tmp_path, monkeypatch):
    from roadmap import store

    monkeypatch.setattr(store, "MAX_BYTES", 1000)
    plan = tmp_path / "big.yaml"
    plan.write_text(MODEL, encoding="utf-8")
    doc, findings = store.inspect(plan)
    assert doc is None and "plans are limited to" in findings[0].message


def test_schema_file_is_current(cli):
    from roadmap.model import json_schema
    from roadmap.resources import schema_path

    shipped = json.loads(schema_path().read_text(encoding="utf-8"))
    assert shipped == json_schema(), "run: roadmap schema -o data/roadmap.schema.json"
    result = cli("schema")
    assert json.loads(result.stdout) == shipped


def test_schema_to_file(cli, tmp_path: Path):
    out = tmp_path / "roadmap.schema.json"
    assert cli("schema", "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "roadmap plan"


def test_a_plan_of_another_shape_validates(cli):
    """3 outputs x 4 quarters, indicators with baseline/target/actual, comments."""
    from roadmap import store

    plan = Path(__file__).parent / "fixtures" / "az_workplan.yaml"
    result = cli("validate", plan)
    assert result.exit_code == 0, result.stderr
    doc = store.load(plan)
    indicator = doc.plan.task("SECTOR-1").success_indicators[0]
    assert (indicator.baseline, indicator.target, indicator.actual, indicator.unit) == (0, 50, 64, "start-ups")
    status = cli("status", plan, "--as-of", "2019-12-31", "--json")
    assert '"percent": 50' in status.stdout


def test_anchor_without_alias_is_refused_but_ampersands_in_text_are_fine(tmp_path):
    from roadmap import store

    plan = tmp_path / "anchor.yaml"
    plan.write_text(MODEL.replace("  horizon: 5\n", "  horizon: &h 5\n", 1), encoding="utf-8")
    doc, findings = store.inspect(plan)
    assert doc is None
    assert findings[0].line == _line_of(MODEL, "  horizon: 5") and "anchors (&h)" in findings[0].message
    plan.write_text(MODEL.replace("  horizon: 5\n", "  horizon: 5\n  subtitle2: x\n", 1).replace(
        "subtitle: Green Paper", 'subtitle: "Research &development"', 1).replace("  subtitle2: x\n", ""), encoding="utf-8")
    doc, findings = store.inspect(plan)
    assert doc is not None and doc.plan.meta.subtitle == "Research &development"


# The fuzz of mangled plans lives in test_hostile_input.py (validate, status, an edit, a render).
