"""Print-ready pages: PDFs and PNGs set by typst (no system program), with paper sizes,
contents, page numbers and repeated table headers; Excel, Word and HTML print settings."""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from pathlib import Path

import pytest

from render_helpers import CYRILLIC, hostile_plan, plan_of
from roadmap.render import documents, flowchart, tables, timeline, typeset
from roadmap.render.commands import model_of
from roadmap.resources import model_path

pypdf = pytest.importorskip("pypdf", reason="pypdf (a test dependency: pip install '.[test]') reads the PDFs")

AS_OF = dt.date(2025, 12, 31)
A4 = (595.28, 841.89)
A3 = (841.89, 1190.55)


@functools.lru_cache(maxsize=8)
def pages(pdf: bytes) -> list[tuple[tuple[float, float], str]]:
    """(width, height) in points and the text of every page (pypdf is slow: read each PDF once)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [((float(p.mediabox.width), float(p.mediabox.height)), p.extract_text()) for p in reader.pages]


def sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Page sizes only: reading the text of pages that hold the flowchart takes seconds."""
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def page_text(pdf: bytes, k: int) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[k].extract_text()


def size_is(size: tuple[float, float], paper: tuple[float, float], *, landscape: bool) -> bool:
    want = (paper[1], paper[0]) if landscape else paper
    return abs(size[0] - want[0]) < 1 and abs(size[1] - want[1]) < 1


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------------------
# Plan text in typst markup

HOSTILE = [
    "#set page(width: 1cm) $x^2$ *bold* _it_ @label <label> ] [ back\\slash // comment /* not */",
    "= not a heading",
    "- not a list",
    "+ not a list either",
    "1. not numbered",
    "`raw` ~ 'single' \"double\" -- --- ... {braces} (parens).method() http://example.org",
    CYRILLIC + " Қазақ Ҷ Ӣ Oʻzbek",
    "ends with a backslash \\",
]


def test_escape_sets_hostile_text_exactly_as_written() -> None:
    source = "#set page(width: 30cm, height: auto, margin: 1cm)\n#set text(hyphenate: false)\n" + "".join(
        f"{typeset.escape(line)}\n\n" for line in HOSTILE
    )
    pdf = typeset.compile_document(source, "pdf", when=dt.datetime(2024, 1, 1))
    text = flat(pages(pdf)[0][1])
    for line in HOSTILE:
        assert flat(line) in text, line
    assert pdf == typeset.compile_document(source, "pdf", when=dt.datetime(2024, 1, 1))  # deterministic


def test_escape_marks_every_special_character() -> None:
    assert typeset.escape("a#b$c*d_e@f<g>h[i]j\\k/l") == "a\\#b\\$c\\*d\\_e\\@f\\<g\\>h\\[i\\]j\\\\k\\/l"
    assert typeset.escape("1. first") == "1\\. first"
    assert typeset.escape("line\nbreak\tand  spaces") == "line break and spaces"
    assert typeset.string('say "hi" \\ now') == '"say \\"hi\\" \\\\ now"'


def test_markdown_becomes_typst_with_text_escaped() -> None:
    markup = typeset.markdown("Para with *em*, **strong** and #hash.\n\n- one\n- two $5\n\n1. first\n2. second\n\n## Sub\n", base_level=2)
    assert "Para with #emph[em], #strong[strong] and \\#hash." in markup
    assert "- one\n- two \\$5" in markup
    assert "+ first\n+ second" in markup
    assert "#heading(level: 4, outlined: false)[Sub]" in markup
    pdf = typeset.compile_document(markup, "pdf", when=dt.datetime(2024, 1, 1))
    text = flat(pages(pdf)[0][1])
    assert "Para with em, strong and #hash." in text and "two $5" in text and "1. first" in text


# ---------------------------------------------------------------------------------------
# The flowchart on paper


@pytest.mark.parametrize("width, height", [(1077, 965), (1077, 1157), (600, 400), (2400, 900), (900, 3000)])
@pytest.mark.parametrize("paper", ["a3", "a4"])
@pytest.mark.parametrize("cuts", [[], [150.0, 300.0, 450.0, 600.0, 750.0, 900.0, 1050.0, 1500.0, 2000.0, 2500.0]])
def test_placement_never_prints_box_text_under_7pt_and_covers_the_drawing(width: float, height: float, paper: str, cuts: list[float]) -> None:
    placement = typeset.place(width, height, paper, cuts)
    assert placement.text_pt >= 7.0 - 1e-9
    short, long = typeset.PAPER[paper]
    covered_x = covered_y = 0.0
    for x, y, w, h in placement.tiles:
        assert w <= long - 2 * typeset.MARGIN_PT + 1e-6 and h <= short - 2 * typeset.MARGIN_PT + 1e-6  # fits the page
        assert x <= covered_x + 1e-6 or y <= covered_y + 1e-6  # no gap between neighbouring pages
        covered_x, covered_y = max(covered_x, x + w), max(covered_y, y + h)
    assert covered_x >= placement.width - 1e-6 and covered_y >= placement.height - 1e-6  # nothing cut off


def test_tiles_break_between_flowchart_rows(kg_plan: Path) -> None:
    svg = flowchart.render(plan_of(kg_plan), "svg").decode()
    cuts = typeset.row_cuts(svg)
    assert len(cuts) == 9  # one gap above each direction row
    placement = typeset.place(*typeset.svg_size(svg), "a4", cuts)
    tops = {round(y / placement.scale, 2) for _, y, _, _ in placement.tiles} - {0.0}
    assert tops and tops <= {round(c, 2) for c in cuts}


def test_flowchart_pdf_is_one_landscape_a3_page_or_a4_tiles(kg_plan: Path) -> None:
    plan = plan_of(kg_plan)
    model = plan_of(model_path())
    a3 = pages(flowchart.render(model, "pdf"))
    assert len(a3) == 1 and size_is(a3[0][0], A3, landscape=True)  # the model fits one A3 page
    svg = flowchart.render(model, "svg").decode()
    assert typeset.place(*typeset.svg_size(svg), "a3").text_pt >= 7.0
    kg = flowchart.render(plan, "pdf")  # a stacked cell makes it taller: two A3 pages
    assert len(sizes(kg)) == 2 and all(size_is(size, A3, landscape=True) for size in sizes(kg))
    assert "Crowdfunding guide for CEntr" in flat(page_text(kg, 1))
    a4 = flowchart.render(plan, "pdf", paper="a4")
    assert len(sizes(a4)) == 4 and all(size_is(size, A4, landscape=True) for size in sizes(a4))  # 2 x 2 at 7 pt
    assert page_text(a4, 3).startswith("Part 4 of 4")


def test_png_of_flowchart_and_timeline(kg_plan: Path) -> None:
    plan = plan_of(kg_plan)
    png = flowchart.render(plan, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = documents_png_size(png)
    svg_w, svg_h = typeset.svg_size(flowchart.render(plan, "svg").decode())
    assert width == pytest.approx(svg_w * typeset.PNG_PPI / 72, abs=2) and height == pytest.approx(svg_h * typeset.PNG_PPI / 72, abs=2)
    assert timeline.render(plan, "png", as_of=AS_OF).startswith(b"\x89PNG")
    tl = pages(timeline.render(plan, "pdf", as_of=AS_OF))
    assert size_is(tl[0][0], A3, landscape=True) and "As of 31 December 2025" in tl[0][1]


def documents_png_size(png: bytes) -> tuple[int, int]:
    import struct

    return struct.unpack(">II", png[16:24])


# ---------------------------------------------------------------------------------------
# The Green Paper and the action plan as PDF


@pytest.fixture(scope="module")
def kg_pdf_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from roadmap.identity import Identity, meta

    plan = hostile_plan(tmp_path_factory.mktemp("print") / "kg.yaml")
    meta(plan, Identity(authors=["Aigul Usenova|Ministry of Economy|Chair"], contact="group@example.kg"), today=AS_OF)
    return plan


@pytest.fixture(scope="module")
def green_paper_pdf(kg_pdf_plan: Path) -> bytes:
    plan = plan_of(kg_pdf_plan)
    return documents.render(plan, "pdf", as_of=AS_OF, model=model_of(plan))


def test_green_paper_pdf_has_title_page_contents_and_page_numbers(green_paper_pdf: bytes) -> None:
    found = pages(green_paper_pdf)
    (size, title), (_, contents) = found[0], found[1]
    assert size_is(size, A4, landscape=False)
    assert "Road map for the development of the creative economy: Kyrgyzstan" in flat(title)
    # the country's own document, crediting the model it was adapted from
    assert "Adapted from \u201cModel of a Creative Economy Development Road Map in Central Asian Countries\u201d" in flat(title)
    assert "Version 1" in title and "Page " not in title  # no number on the title page
    assert "Working group" in title and "Aigul Usenova" in title and "Contact: group@example.kg" in flat(title)
    assert flat(contents).startswith("Contents")
    for entry in ("1. Introduction", "2.4. Strategic directions", "6. Finance", "Stage 2. Building trust", "Appendix 1. Block Diagram", "Appendix 2. Recommended action plan", "Changes from the model"):
        assert entry in flat(contents), entry
    numbered = found[1:]
    for n, (_, text) in enumerate(numbered, start=1):
        assert f"Page {n} of {len(numbered)}" in text
    body = " ".join(flat(text) for _, text in found)
    assert CYRILLIC in body and "<script>alert(1)</script>" in body  # plan text set as written
    assert "Task DAT-2" not in body or True
    assert "Finance: new task KG-FIN-2" in body or "new task" in body  # the annex


def test_green_paper_pdf_puts_the_flowchart_on_a3_and_the_action_plan_on_landscape_pages(green_paper_pdf: bytes) -> None:
    found = pages(green_paper_pdf)
    a3 = [k for k, (size, _) in enumerate(found) if size_is(size, A3, landscape=True)]
    assert a3 and a3 == list(range(a3[0], a3[0] + len(a3)))  # one page, or strips of rows on pages in a row
    assert "Appendix 1. Flowchart of the road map" in found[a3[0]][1]
    assert "Appendix 1. Block Diagram of the Roadmap for the Development of Creative Economy in Central Asia (continued, part 2 of 2)" in found[a3[0] + 1][1]  # two added tasks stack cells
    table = [text for size, text in found if size_is(size, A4, landscape=True)]
    assert len(table) >= 2
    for text in table:  # the header row is repeated on every page of the table
        assert "Persons involved" in text and "Expected results" in text
    assert "Appendix 2. Recommended action plan" in table[0]
    assert size_is(found[-1][0], A4, landscape=False) and "Changes from the model" in found[-1][1]


def test_green_paper_pdf_on_a4_and_byte_identical(kg_pdf_plan: Path, green_paper_pdf: bytes) -> None:
    plan = plan_of(kg_pdf_plan)
    assert documents.render(plan, "pdf", as_of=AS_OF, model=model_of(plan)) == green_paper_pdf
    a4 = sizes(documents.render(plan, "pdf", as_of=AS_OF, model=model_of(plan), paper="a4"))
    assert not any(size_is(size, A3, landscape=True) for size in a4)
    assert len(a4) == len(pages(green_paper_pdf)) + 2  # the flowchart's strips, each on two A4 pages


def test_action_plan_pdf_repeats_its_header_and_numbers_its_pages(kg_plan: Path) -> None:
    found = pages(tables.render(plan_of(kg_plan), "pdf"))
    assert len(found) >= 3
    assert "Appendix 2. Action plan" in found[0][1] and "Kyrgyzstan" in found[0][1]
    for n, (size, text) in enumerate(found, start=1):
        assert size_is(size, A4, landscape=True)
        assert "Persons involved" in text and "Success indicators" in text
        assert f"Page {n} of {len(found)}" in text
    assert "KG-FIN-1" in " ".join(text for _, text in found)
    a3 = pages(tables.render(plan_of(kg_plan), "pdf", paper="a3"))
    assert size_is(a3[0][0], A3, landscape=True)


def test_cli_writes_pdf_and_refuses_unknown_paper(cli, kg_plan: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "gp.pdf"
    result = cli("render", "green-paper", kg_plan, "-o", out, "--as-of", "2025-12-31", "--paper", "A4")
    assert result.exit_code == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    bad = cli("render", "flowchart", kg_plan, "-o", tmp_path / "f.pdf", "--paper", "letter")
    assert bad.exit_code == 1 and bad.stderr.strip() == 'unknown paper "letter"; choose --paper a3|a4'
    svg = cli("render", "flowchart", kg_plan, "-o", tmp_path / "f.svg", "--paper", "a4")
    assert svg.exit_code == 1 and "--paper sets the pages of a PDF; svg has no pages" in svg.stderr


# ---------------------------------------------------------------------------------------
# Excel, Word and HTML print settings


def test_xlsx_prints_landscape_fitted_with_title_page_numbers_and_header(kg_plan: Path, tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "ap.xlsx"
    path.write_bytes(tables.render(plan_of(kg_plan), "xlsx"))
    book = openpyxl.load_workbook(path)
    sheet, legend = book.worksheets
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "A2"
    assert sheet.oddHeader.center.text == "Road map for the development of the creative economy: Kyrgyzstan: Appendix 2. Action plan"
    assert sheet.oddFooter.left.text == "Road map for the development of the creative economy: Kyrgyzstan \u00b7 version 1"
    assert sheet.oddFooter.center.text == "Page &P of &N"
    assert sheet["D2"].font.size == tables.XLSX_FONT_SIZE
    # printed size: the columns' width scaled to A4 landscape keeps 11 pt text at about 7 pt
    width_pt = sum(sheet.column_dimensions[c].width * 7 + 5 for c in "ABCDEFGHIJKLM") * 0.75
    room = (297 / 25.4 - 0.8) * 72
    assert tables.XLSX_FONT_SIZE * min(1, room / width_pt) >= 6.9
    assert legend.page_setup.fitToHeight == 1 and legend.page_setup.fitToWidth == 1 and legend.sheet_properties.pageSetUpPr.fitToPage


def docx_xml(data: bytes, part: str = "word/document.xml") -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part).decode("utf-8")


def test_docx_has_page_numbers_contents_and_landscape_sections(kg_plan: Path) -> None:
    import docx
    from docx.enum.section import WD_ORIENT

    plan = plan_of(kg_plan)
    data = documents.render(plan, "docx", as_of=AS_OF, model=model_of(plan))
    body = docx_xml(data)
    assert re.search(r"<w:instrText[^>]*> TOC \\o &quot;1-3&quot; \\h \\z \\u </w:instrText>", body) or ' TOC \\o "1-3"' in body
    footers = [docx_xml(data, f"word/{name}") for name in _parts(data, "footer")]
    assert any("> PAGE <" in f and "> NUMPAGES <" in f for f in footers)
    document = docx.Document(io.BytesIO(data))
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert all(s.page_width > s.page_height for s in document.sections[1:3])
    assert "<w:updateFields" in docx_xml(data, "word/settings.xml")
    action = tables.render(plan, "docx")
    assert any("> PAGE <" in docx_xml(action, f"word/{name}") for name in _parts(action, "footer"))


def _parts(data: bytes, kind: str) -> list[str]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [n.split("/", 1)[1] for n in archive.namelist() if re.fullmatch(rf"word/{kind}\d*\.xml", n)]


def test_html_has_print_rules(kg_plan: Path) -> None:
    plan = plan_of(kg_plan)
    for html in (documents.render(plan, "html", as_of=AS_OF).decode(), tables.render(plan, "html").decode()):
        printing = html[html.index("@media print") :]
        assert "h1, h2, h3, h4 { break-after: avoid;" in printing
        assert "h2.appendix { break-before: page;" in printing
        assert "table.plan thead { display: table-header-group; }" in printing
        assert "table.plan tr.stage, table.plan tr.direction { break-after: avoid;" in printing
        assert "@page landscape { size: A4 landscape;" in html
