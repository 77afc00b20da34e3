"""Appendix 2, the action plan: the cells a ministry official or an analyst reads."""

from __future__ import annotations

import csv
import re
import io
from pathlib import Path

import pytest

from render_helpers import CYRILLIC, SCRIPT, hostile_plan, plan_of
from roadmap.render import tables
from roadmap.resources import model_path

HEADER = "id,stage,direction,task,flowchart_box,year_start,year_end,persons_involved,owner,expected_results,success_indicators,international_examples,status"


def rows_of(plan_path: Path) -> list[dict[str, str]]:
    text = tables.render(plan_of(plan_path), "csv").decode("utf-8")
    assert text.splitlines()[0] == HEADER
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_of_the_model() -> None:
    rows = rows_of(model_path())
    assert len(rows) == 30  # the Green Paper's 30 tasks
    first = rows[0]
    assert first == {
        "id": "DEF-1",
        "stage": "1",
        "direction": "Definition",
        "task": "Define key terms (CE, CEntr, CI).",
        "flowchart_box": "The sector decided on the definition of key terms (CE, CEntr, CI)",
        "year_start": "2022",
        "year_end": "2022",
        "persons_involved": "Working group; CCAN; CI CA representatives",
        "owner": "",
        "expected_results": "The sector has identified and agrees with the definition of key terms (CE).",
        "success_indicators": "An official definition has been published and is used at the urban and national levels.",
        "international_examples": "UK - DCMS (UK Department of Media, Culture and Sports)",
        "status": "planned",
    }
    # grouped by stage, then direction in the source's order: every stage-1 row before every
    # stage-2 row, and in stage 2 Advocacy before Data (as Appendix 2 has them)
    stages = [int(r["stage"]) for r in rows]
    assert stages == sorted(stages)
    stage1 = [r["id"] for r in rows if r["stage"] == "1"]
    assert stage1[:4] == ["DEF-1", "DEF-2", "CUL-1", "CUL-2"]
    assert [r["id"] for r in rows if r["stage"] == "2"][:3] == ["CUL-3", "ADV-3", "DAT-3"]
    dat3 = next(r for r in rows if r["id"] == "DAT-3")
    assert (dat3["year_start"], dat3["year_end"]) == ("2023", "2026")  # plan years 2-5


def test_csv_of_an_adapted_plan(kg_plan: Path) -> None:
    rows = {r["id"]: r for r in rows_of(kg_plan)}
    assert rows["DEF-1"]["status"] == "done" and rows["DEF-1"]["year_start"] == "2024"
    assert rows["DAT-3"]["status"] == "in_progress"
    assert rows["CUL-4"]["status"] == "not_needed"
    assert (rows["DAT-2"]["year_start"], rows["DAT-2"]["year_end"]) == ("2026", "2026")  # shifted by one
    assert rows["DAT-2"]["expected_results"].endswith("; OKED codes for crafts adopted")
    assert rows["FIN-1"]["owner"] == "A. Usenova (Ministry of Economy)"
    added = rows["KG-FIN-1"]
    assert (added["stage"], added["direction"], added["task"]) == ("2", "Finance", "Crowdfunding guide for CEntr")
    assert (added["year_start"], added["year_end"], added["status"]) == ("2025", "2026", "planned")


def test_xlsx_has_frozen_header_filters_wrapping_and_status_fills(kg_plan: Path, tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "plan.xlsx"
    path.write_bytes(tables.render(plan_of(kg_plan), "xlsx"))
    book = openpyxl.load_workbook(path)
    sheet = book["Action plan"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{sheet.max_row}"
    assert [c.value for c in sheet[1]][:4] == ["No.", "Stage", "Direction", "Task"]
    by_id = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert by_id["DEF-1"][12].value == "done"
    assert by_id["DEF-1"][12].fill.fgColor.rgb == "00C6EFCE"
    assert by_id["DAT-3"][12].fill.fgColor.rgb == "00FFEB9C"
    assert by_id["ADV-1"][12].fill.fgColor.rgb == "00FFC7CE"
    assert by_id["CUL-4"][12].fill.fgColor.rgb == "00EEEEEE"
    assert by_id["DAT-2"][9].alignment.wrap_text
    assert by_id["DAT-2"][9].value.endswith("\nOKED codes for crafts adopted")
    assert sheet.print_title_rows == "$1:$1"


def test_docx_is_a_real_table_with_a_repeated_header(kg_plan: Path, tmp_path: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT

    path = tmp_path / "plan.docx"
    path.write_bytes(tables.render(plan_of(kg_plan), "docx"))
    document = docx.Document(str(path))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    table = document.tables[0]
    header = table.rows[0]
    assert [c.text for c in header.cells] == [
        "No.", "Task", "Years", "Persons involved", "Responsible", "Expected results",
        "Success indicators", "International examples", "Status",
    ]
    assert header._tr.xpath("./w:trPr/w:tblHeader")
    assert table.rows[1].cells[0].text.startswith("Stage 1. Environment analysis and data collection")
    assert table.rows[2].cells[0].text == "1. Definition"
    cells = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[3:]}
    assert cells["FIN-1"][4] == "A. Usenova (Ministry of Economy)"
    assert cells["DAT-2"][2] == "2026"
    assert cells["KG-FIN-1 (NEW)"][1] == "Crowdfunding guide for CEntr"
    assert cells["CUL-4"][8] == "not needed"


def test_html_groups_by_stage_then_direction_and_escapes(tmp_path: Path) -> None:
    html = tables.render(plan_of(hostile_plan(tmp_path / "kg.yaml")), "html").decode()
    assert "<h1>Road map for the development of the creative economy: Kyrgyzstan</h1>" in html
    assert '<tr class="stage"><th colspan="9" scope="rowgroup">Stage 1. Environment analysis and data collection' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert html.index('id="task-DEF-1"') < html.index('id="task-CUL-1"') < html.index('id="task-CUL-3"')
    assert "@media print" in html and "http" not in html.split("<body>")[0]  # no CDN, no web fonts


def test_the_model_has_no_owner_or_status_columns_in_documents() -> None:
    md = tables.render(plan_of(model_path()), "md").decode()
    assert "| No. | Task | Years | Persons involved | Expected results |" in md
    assert "Responsible" not in md and "not started" not in md


@pytest.mark.parametrize("fmt", ["csv", "md", "html"])
def test_cyrillic_survives_text_formats(tmp_path: Path, fmt: str) -> None:
    data = tables.render(plan_of(hostile_plan(tmp_path / "kg.yaml")), fmt).decode("utf-8")
    assert CYRILLIC in data and "Айгуль Токтогулова" in data


def test_cyrillic_survives_xlsx_and_docx(tmp_path: Path) -> None:
    import docx
    import openpyxl

    plan = plan_of(hostile_plan(tmp_path / "kg.yaml"))
    (tmp_path / "a.xlsx").write_bytes(tables.render(plan, "xlsx"))
    (tmp_path / "a.docx").write_bytes(tables.render(plan, "docx"))
    values = [c.value for row in openpyxl.load_workbook(tmp_path / "a.xlsx").active.iter_rows() for c in row]
    assert CYRILLIC in values and SCRIPT in values
    texts = [c.text for row in docx.Document(str(tmp_path / "a.docx")).tables[0].rows for c in row.cells]
    assert CYRILLIC in texts and SCRIPT in texts


def test_markdown_escapes_plan_text(tmp_path: Path) -> None:
    md = tables.render(plan_of(hostile_plan(tmp_path / "kg.yaml")), "md").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "<script" not in md


def test_xlsx_rows_are_tall_enough_to_print_their_wrapped_text(tmp_path: Path) -> None:
    """Spreadsheet programs do not grow rows for wrapped text in a file they did not lay out."""
    import io

    import openpyxl

    from roadmap import store
    from roadmap.i18n import catalogue
    from roadmap.render.tables import to_xlsx
    from roadmap.resources import model_path

    plan = store.load(model_path()).plan
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(plan, catalogue("en")))).active
    ids = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    heights = {task: sheet.row_dimensions[row].height for task, row in ids.items()}
    assert all(h and h >= 16 for h in heights.values())
    # DEF-2 lists four actors and three long international examples; CUL-1 two actors.
    assert heights["DEF-2"] > heights["CUL-1"] * 1.5


def _python_docx_rows(plan, t):  # type: ignore[no-untyped-def]
    """The table body as python-docx's own calls write it (what tables.docx_table did before
    it wrote the rows as text): the oracle for the faster writer."""
    import docx
    from docx.shared import Cm, Pt, RGBColor

    from roadmap.render import palette
    from roadmap.render.office import docx_keep_row_together, docx_shade

    keys = tables.columns(plan)
    widths = [tables.WIDTHS[k] * (sum(tables.WIDTHS.values()) / sum(tables.WIDTHS[k] for k in keys)) for k in keys]
    document = docx.Document()
    table = document.add_table(rows=0, cols=len(keys))
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)

    def band(text, fill, white=False):  # type: ignore[no-untyped-def]
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        tables._docx_text(merged, text, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF) if white else None, size=Pt(9))
        docx_shade(merged, fill)

    for group in tables.action_plan(plan, t):
        if group.stage is not None:
            band(tables._stage_title(group.stage, t), palette.HEADER_FILL, white=True)
        for direction_group in group.directions:
            d = direction_group.direction
            band(f"{d.ref or d.number}. {d.name}", palette.ROW_FILL)
            for row in direction_group.rows:
                cells = table.add_row().cells
                docx_keep_row_together(table.rows[-1])
                for cell, key, width in zip(cells, keys, widths):
                    cell.width = Cm(width)
                    tables._docx_text(cell, tables._docx_value(row, key, t), size=Pt(8.5))
                    if plan.meta.kind == "plan" and key == "status":
                        docx_shade(cell, palette.FILL[row.status])
    return [etree_bytes(tr) for tr in table._tbl.tr_lst]


def etree_bytes(element):  # type: ignore[no-untyped-def]
    from lxml import etree

    return re.sub(rb" xmlns:\w+=\"[^\"]*\"", b"", etree.tostring(element))


def test_docx_rows_are_what_python_docx_writes(kg_plan: Path) -> None:
    """The rows written as WordprocessingML text are byte for byte python-docx's, with text
    that needs care: markup characters, spaces at either end, empty lines and cells."""
    import docx

    from roadmap.i18n import catalogue

    plan = plan_of(hostile_plan(kg_plan.parent / "hostile.yaml"))
    first = plan.tasks[0]
    awkward = first.model_copy(update={"expected_results": ["  starts & ends with spaces  ", "", "a < b > c \"quoted\" 'single'"], "international_examples": []})
    plan = plan.model_copy(update={"tasks": [awkward, *plan.tasks[1:]]})
    t = catalogue("en")
    document = docx.Document()
    tables.docx_table(document, plan, t, tables.action_plan(plan, t))
    written = [etree_bytes(tr) for tr in document.tables[0]._tbl.tr_lst[1:]]
    expected = _python_docx_rows(plan, t)
    assert len(written) == len(expected) > 30
    assert written == expected
    assert b'xml:space="preserve">  starts &amp; ends with spaces  </w:t>' in b"".join(written)
