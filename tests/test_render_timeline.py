"""The timeline: bars by calendar year, grouped by direction, coloured, with a date line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from render_helpers import CYRILLIC, hostile_plan, plan_of
from roadmap.render import timeline
from roadmap.render.timeline import YEAR_W

AS_OF = dt.date(2025, 12, 31)


def bars(svg: str) -> dict[str, tuple[float, float, str, str]]:
    """task id -> (x, width, fill, stroke) of its bar, read from the tooltip titles."""
    out = {}
    for m in re.finditer(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="(#\w+)" stroke="(#\w+)"[^>]*><title>([^:<]+):', svg):
        out[m.group(5)] = (float(m.group(1)), float(m.group(2)), m.group(3), m.group(4))
    return out


def test_bars_span_calendar_years_and_carry_status_colours(kg_plan: Path) -> None:
    svg = timeline.render(plan_of(kg_plan), "svg", as_of=AS_OF).decode()
    found = bars(svg)
    assert len(found) == 31
    years = re.findall(r">(20\d\d)</text>", svg)
    assert years == ["2024", "2025", "2026", "2027", "2028"]
    x_def, w_def, fill, _ = found["DEF-1"]
    assert fill == "#c6efce" and w_def == pytest.approx(YEAR_W - 6)  # one year, done
    x_dat3, w_dat3, fill, _ = found["DAT-3"]
    assert fill == "#ffeb9c" and w_dat3 == pytest.approx(4 * YEAR_W - 6)  # 2025-2028, in progress
    assert x_dat3 == pytest.approx(x_def + YEAR_W)
    assert found["DAT-2"][0] == pytest.approx(x_def + 2 * YEAR_W)  # shifted to 2026
    assert found["CUL-4"][2] == "#eeeeee"
    assert 'stroke-dasharray="4 3"><title>CUL-4' in svg
    # groups in direction order
    assert svg.index(">1. Definition<") < svg.index(">2. Culture<") < svg.index(">9. Infrastructure<")


def test_a_red_line_marks_the_as_of_date(kg_plan: Path) -> None:
    svg = timeline.render(plan_of(kg_plan), "svg", as_of=AS_OF).decode()
    line = re.search(r'<line x1="([\d.]+)"[^>]*stroke="#c62828" stroke-width="1.6" stroke-dasharray', svg)
    x = float(line.group(1))
    x2025 = bars(svg)["CUL-1"][0] - 3  # CUL-1 runs through 2025
    assert x2025 + YEAR_W - 1 < x <= x2025 + YEAR_W  # the last day of 2025
    assert "As of 31 December 2025" in svg


def test_svg_is_deterministic_and_names_its_fonts(kg_plan: Path) -> None:
    plan = plan_of(kg_plan)
    first = timeline.render(plan, "svg", as_of=AS_OF)
    assert first == timeline.render(plan, "svg", as_of=AS_OF)
    assert re.search(rb'<svg [^>]*font-family="[^"]*DejaVu Sans', first)


def test_cyrillic_in_timeline(tmp_path: Path) -> None:
    plan = plan_of(hostile_plan(tmp_path / "kg.yaml"))
    svg = timeline.render(plan, "svg", as_of=AS_OF).decode()
    assert CYRILLIC in svg
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert CYRILLIC in timeline.render(plan, "mermaid", as_of=AS_OF).decode()


def test_mermaid_gantt(kg_plan: Path) -> None:
    text = timeline.render(plan_of(kg_plan), "mermaid", as_of=AS_OF).decode()
    assert text.startswith("gantt\n")
    assert "  section 6. Finance\n" in text
    assert re.search(r"^    DEF-1 Define key terms \(CE, CEntr, CI\)\. \(done\) :done, DEF_1, 2024-01-01, 2024-12-31$", text, re.M)
    assert re.search(r":active, DAT_3, 2025-01-01, 2028-12-31$", text, re.M)
    assert ":milestone, as_of, 2025-12-31, 0d" in text


def test_png_and_pdf_without_any_system_program(kg_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    plan = plan_of(kg_plan)
    png = timeline.render(plan, "png", as_of=AS_OF)
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    assert timeline.render(plan, "pdf", as_of=AS_OF).startswith(b"%PDF-")


def test_cli_timeline_uses_as_of(cli, kg_plan: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("render", "timeline", kg_plan, "--as-of", "2026-03-01")
    assert result.exit_code == 0
    assert "As of 1 March 2026" in result.stdout
    bad = cli("render", "timeline", kg_plan, "--as-of", "March")
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.stderr


def test_mermaid_does_not_draw_not_needed_as_done(kg_plan: Path) -> None:
    """CUL-4 is not needed in kg_plan: not a grey `done` bar in Culture, but a diamond in a
    section that says what it is."""
    text = timeline.render(plan_of(kg_plan), "mermaid", as_of=AS_OF).decode()
    cul4 = [line for line in text.splitlines() if line.strip().startswith("CUL-4 ")]
    assert len(cul4) == 1 and "(not needed) :milestone, CUL_4, 2027-01-01, 0d" in cul4[0]
    assert ":done, CUL_4" not in text
    sections = [line.strip() for line in text.splitlines() if line.startswith("  section ")]
    assert sections[-2:] == ["section Not needed (no work planned, shown at the start year)", "section Status date"]
    at = text.index("section Not needed")
    assert text.index("CUL-4 ") > at and text.index("CUL-3 ") < at
