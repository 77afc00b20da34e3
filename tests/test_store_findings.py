"""store.load does not locate warnings (nobody shows them); validate still does."""

from __future__ import annotations

from pathlib import Path

from roadmap import store
from roadmap.validate import validate


def test_validate_locates_warnings_and_load_skips_it(kg_plan: Path, monkeypatch) -> None:
    report = validate([kg_plan])[0]
    warning = next(f for f in report.warnings if f.path == "tasks[CUL-1]")
    assert warning.line is not None and warning.message.startswith("no owner")

    located: list[object] = []
    real = store.yamltext.line_of
    monkeypatch.setattr(store.yamltext, "line_of", lambda *a: located.append(a) or real(*a))
    doc = store.load(kg_plan)
    assert located == []  # loading a valid plan composes nothing
    assert any(f.path == "tasks[CUL-1]" and f.line is None for f in doc.findings)
