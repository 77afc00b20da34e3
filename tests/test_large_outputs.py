"""The faster paths for large plans give what the plain ones gave: diff by id map, Excel
styles shared per kind of cell, Word style names looked up once."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from roadmap import report
from roadmap.model import Status
from roadmap.render import documents, office, tables
from test_render_large import grown


def _plan_file(path: Path, plan) -> Path:  # type: ignore[no-untyped-def]
    import json

    path.write_text(json.dumps(plan.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False), encoding="utf-8")
    return path


def test_diff_of_large_plans_names_each_changed_task_with_both_values(tmp_path: Path) -> None:
    a = grown(400)
    changed = {next(t.id for t in a.tasks[k:] if t.status is Status.planned) for k in (100, 350)}
    tasks = [t.model_copy(update={"status": Status.done, "status_note": None}) if t.id in changed else t for t in a.tasks]
    b = a.model_copy(update={"tasks": tasks})
    built = report.build(_plan_file(tmp_path / "a.yaml", a), _plan_file(tmp_path / "b.yaml", b))
    text = report.render(built, "text")
    assert text.splitlines()[0].startswith("0 added, 0 removed, 2 changed")
    for tid in changed:
        title = next(t.title for t in b.tasks if t.id == tid)
        assert f"  {tid}  {title}\n" in text
    assert text.count("    status: ") == 2 and text.count("\u2192 done") == 2
    md = report.render(built, "md")
    assert sorted(line.split(" | ")[0][2:] for line in md.splitlines() if line.startswith("| KG-")) == sorted(changed)


def test_excel_cells_share_one_style_per_kind_and_status(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    plan = grown(200)
    book = load_workbook(io.BytesIO(tables.render(plan, "xlsx")))
    sheet = book.worksheets[0]
    assert sheet.max_row == 201
    body = {(c.font.name, c.font.sz, c.alignment.wrap_text, c.alignment.vertical, c.border.left.style, c.border.left.color.rgb) for row in sheet.iter_rows(min_row=2) for c in row}
    assert body == {(office.OFFICE_FONT, float(tables.XLSX_FONT_SIZE), True, "top", "thin", "00BFBFBF")}
    header = sheet.cell(row=1, column=1)
    assert header.font.bold and header.alignment.vertical == "center" and header.fill.fgColor.rgb == "001F4E79"
    fills = {}
    for n, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        fills.setdefault(row[-1].value, set()).add(row[-1].fill.fgColor.rgb)
        assert row[0].fill.fill_type is None
    assert fills == {
        "done": {"00C6EFCE"}, "in progress": {"00FFEB9C"}, "not started": {"00FFC7CE"}, "not needed": {"00EEEEEE"}
    }


def test_word_documents_are_the_same_with_style_names_looked_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    plan = grown(60)
    when = dt.date(2026, 6, 30)

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist() if not name.startswith("word/media/")}

    cached = parts(documents.render(plan, "docx", as_of=when)), parts(tables.render(plan, "docx"))
    monkeypatch.setattr(office, "_cache_style_ids", lambda document: None)
    plain = parts(documents.render(plan, "docx", as_of=when)), parts(tables.render(plan, "docx"))
    assert cached == plain
    assert b'w:pStyle w:val="ListBullet"' in cached[0]["word/document.xml"]
    assert b'w:pStyle w:val="Heading1"' in cached[0]["word/document.xml"]


def test_publish_draws_the_flowchart_once_per_format(kg_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from roadmap import publish
    from roadmap.render import graphviz_engine

    if graphviz_engine.system_dot() is None:
        pytest.skip("system Graphviz is not installed")
    runs: list[str] = []
    real = graphviz_engine._run_system

    def counted(dot: str, source: str, fmt: str, engine: str, flags: list[str] | None = None) -> bytes:
        runs.append(f"{source.split(' ', 2)[1]} {fmt}")
        return real(dot, source, fmt, engine, flags)

    monkeypatch.setattr(graphviz_engine, "_run_system", counted)
    publish.publish(kg_plan, tmp_path / "site", as_of=dt.date(2026, 6, 30))
    # Graphviz draws the SVG once; PNG and PDF (and the Word picture) are set from it by typst
    assert runs == ["flowchart svg"]
    site = tmp_path / "site"
    svg = (site / "flowchart.svg").read_text(encoding="utf-8")
    html = (site / "green-paper.html").read_text(encoding="utf-8")
    assert "<title>CUL&#45;4&#45;&gt;CUL&#45;5</title>" in svg and "<title>CUL&#45;4&#45;&gt;CUL&#45;5</title>" in html
    with zipfile.ZipFile(site / "green-paper.docx") as archive:
        page = archive.read("word/media/image1.png")  # the flowchart's first A3 page, set from the same SVG
    whole = (site / "flowchart.png").read_bytes()
    assert page.startswith(b"\x89PNG") and page[16:20] == whole[16:20]  # the drawing's full width, same pixels per point
