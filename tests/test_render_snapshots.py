"""Snapshots of the embedded model's Markdown action plan and Mermaid flowchart.

A difference fails with a diff. When the change is intended, review the diff, then run
`UPDATE_SNAPSHOTS=1 python -m pytest tests/test_render_snapshots.py` and commit the new
snapshot with the change that caused it.
"""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path

import pytest

from render_helpers import plan_of
from roadmap.render import flowchart, tables
from roadmap.resources import model_path

SNAPSHOTS = Path(__file__).parent / "snapshots"


def check_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.write_text(actual, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(f"no snapshot {path}; create it with UPDATE_SNAPSHOTS=1 and review it before committing")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), f"snapshots/{name}", "rendered now"
            )
        )
        pytest.fail(f"{name} differs from its snapshot (review, then UPDATE_SNAPSHOTS=1 to accept):\n{diff}")


def test_model_action_plan_markdown() -> None:
    check_snapshot("model_action_plan.md", tables.render(plan_of(model_path()), "md").decode("utf-8"))


def test_model_flowchart_mermaid() -> None:
    check_snapshot("model_flowchart.mmd", flowchart.render(plan_of(model_path()), "mermaid").decode("utf-8"))


def test_a_difference_fails_with_a_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "SNAPSHOTS", tmp_path)
    monkeypatch.delenv("UPDATE_SNAPSHOTS", raising=False)
    (tmp_path / "x.md").write_text("line one\nline two\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)-line two.*\+line 2"):
        check_snapshot("x.md", "line one\nline 2\n")
