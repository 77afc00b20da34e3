"""Large plans: drawings pinned for `neato -n` equal the old full-layout ones, and a plan
too large to draw gets a summary; Graphviz dying without a word still gives a message."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from render_helpers import plan_of
from roadmap.model import Origin, Roadmap, Status
from roadmap.render import flowchart, graphviz_engine
from roadmap.resources import model_path

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="system Graphviz (apt-get install graphviz) is not installed")
STATUSES = list(Status)


def grown(n: int) -> Roadmap:
    """The model as a tracked plan of n tasks: its 30, then copies with new ids, every status."""
    plan = plan_of(model_path())
    tasks = list(plan.tasks)
    for i in range(n - len(tasks)):
        base = plan.tasks[i % len(plan.tasks)]
        status = STATUSES[i % len(STATUSES)]
        tasks.append(
            base.model_copy(
                update={
                    "id": f"KG-{base.direction}-{i + 1}",
                    "origin": Origin.added,
                    "status": status,
                    "status_note": "covered" if status is Status.not_needed else None,
                    "box": base.box.model_copy(update={"order": 100 + i, "text": f"{base.box.text} ({i})"}) if base.box else None,
                }
            )
        )
    meta = plan.meta.model_copy(update={"kind": "plan", "as_of": dt.date(2026, 6, 30)})
    return plan.model_copy(update={"tasks": tasks, "meta": meta})


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def assert_same_drawing(a: str, b: str, tolerance: float = 0.0101) -> None:
    """The same SVG except numbers that differ by at most `tolerance` (points)."""
    assert _NUMBER.split(a) == _NUMBER.split(b), "the SVGs differ in more than coordinates"
    numbers = list(zip(_NUMBER.findall(a), _NUMBER.findall(b)))
    worst = max(abs(float(x) - float(y)) for x, y in numbers)
    assert worst <= tolerance, f"coordinates differ by {worst} pt"
    assert len(numbers) > 1000


@needs_dot
def test_flowchart_of_300_tasks_with_neato_n_is_the_full_layout_drawing() -> None:
    plan = grown(300)
    dot = graphviz_engine.system_dot()
    assert dot is not None
    old = graphviz_engine._run_system(dot, flowchart.dot(plan), "svg", "neato").decode()
    new = flowchart.render(plan, "svg").decode()
    old = flowchart.palette.svg_fonts(old)
    assert_same_drawing(old, new)
    assert new.count('class="node"') == old.count('class="node"') > 300 * 3
    assert len(re.findall(r">KG&#45;[A-Z]+&#45;\d+ · NEW<", new)) == 270


def test_the_dot_a_user_gets_keeps_pinned_inches_for_any_neato(kg_plan: Path) -> None:
    source = flowchart.render(plan_of(kg_plan), "dot").decode()
    assert re.search(r'"DAT-2" \[label="".*pos="\d+\.\d{4},-\d+\.\d{4}!"', source)
    points = flowchart.dot(plan_of(kg_plan), points=True)
    assert "!" not in "".join(re.findall(r'pos="[^"]*"', points))


def test_a_plan_too_large_to_draw_says_so_and_draws_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flowchart, "MAX_BOXES", 100)
    plan = grown(130)
    said: list[str] = []
    source = flowchart.render(plan, "dot", say=said.append).decode()
    assert said == [
        "130 tasks are too many to draw one box each (the limit is 100): drawing the number of tasks per "
        "direction and stage instead; render action-plan lists every task"
    ]
    assert "130 tasks: too many to draw one box each (more than 100)" in source
    assert "KG-DAT" not in source
    cells = re.findall(r'"cell:(\w+):(\w+):0" \[.*label="(\d+) tasks((?:\\n[^"]*)?)"\]', source)
    assert sum(int(count) for _, _, count, _ in cells) == 130
    expected = sum(1 for t in plan.tasks if t.direction == "DAT" and t.stage == "S1")
    assert (("DAT", "S1", str(expected)) in [(d, s, c) for d, s, c, _ in cells]) and expected > 0
    mermaid = flowchart.render(plan, "mermaid").decode()
    assert "130 tasks: too many" in mermaid and "KG-DAT" not in mermaid
    assert flowchart.render(plan_of(model_path()), "dot", say=said.append) and len(said) == 1  # small plans: not told


def test_graphviz_dying_without_a_word_is_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "dot"
    # shell built-ins only: the test also runs with nothing but the venv on PATH
    fake.write_text("#!/bin/sh\nwhile read -r line; do :; done\nkill -SEGV $$\n")
    fake.chmod(0o755)
    monkeypatch.setattr(graphviz_engine, "system_dot", lambda: str(fake))
    with pytest.raises(graphviz_engine.GraphvizFailed) as caught:
        flowchart.render(plan_of(model_path()), "svg")
    message = str(caught.value)
    assert message.startswith("Graphviz crashed (SIGSEGV, signal 11) while drawing a diagram of about ")
    assert message.endswith("lines of DOT: it most likely ran out of memory; draw fewer tasks (a smaller plan, or --format mermaid)")
