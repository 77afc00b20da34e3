"""Issue 10's leftovers: the plan's logo on the flowchart (every format), the flowchart in Word
readable when printed (box text at 7 pt or more, nothing cut off), and title pages without a
page number."""

from __future__ import annotations

import base64
import functools
import io
import re
import struct
import zlib
from pathlib import Path

import pytest

from conftest import TODAY
from render_helpers import plan_of
from roadmap.render import green_paper_docx, typeset
from roadmap.resources import model_path

pypdf = pytest.importorskip("pypdf", reason="pypdf (a test dependency: pip install '.[test]') reads the PDFs")

RED = (230, 0, 0)
APPENDIX1 = "Appendix 1. Block Diagram of the Roadmap for the Development of Creative Economy in Central Asia"
EMU_PER_PT = 12700


def png_of(width: int, height: int, colour: tuple[int, int, int] = RED) -> bytes:
    """A PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(colour) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b"")


@functools.lru_cache(maxsize=8)
def png_rows(png: bytes, upto: float) -> tuple[int, int, list[bytes], int]:
    """Width, height, the first `upto` (a fraction) of the rows of raw pixels, and bytes per
    pixel of an 8-bit RGB(A) or grey PNG (enough for typst's; only the rows asked for are
    unfiltered: pure Python is slow)."""
    width, height, depth, kind = struct.unpack(">IIBB", png[16:26])
    assert depth == 8
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[kind]
    data, at = b"", 8
    while at < len(png):
        length = struct.unpack(">I", png[at : at + 4])[0]
        if png[at + 4 : at + 8] == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(data)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(min(height, int(upto * height) + 1)):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        kind_of, row = line[0], bytearray(line[1:])
        for i in range(stride):
            left = row[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind_of == 1:
                row[i] = (row[i] + left) & 0xFF
            elif kind_of == 2:
                row[i] = (row[i] + up) & 0xFF
            elif kind_of == 3:
                row[i] = (row[i] + (left + up) // 2) & 0xFF
            elif kind_of == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                row[i] = (row[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(row))
        previous = row
    return width, height, rows, channels


def pixel(png: bytes, x: float, y: float, upto: float | None = None) -> tuple[int, ...]:
    """The colour at (x, y), as fractions of the picture's width and height (`upto`: decode
    that much of the picture once, for several pixels above it)."""
    width, height, rows, channels = png_rows(png, upto if upto is not None else y)
    row = rows[int(y * height)]
    at = int(x * width) * channels
    return tuple(row[at : at + 3]) if channels >= 3 else (row[at],) * 3


def image_sizes(page) -> set[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """(width, height) in pixels of every image a PDF page draws, inside forms too."""
    found: set[tuple[int, int]] = set()

    def walk(resources) -> None:  # type: ignore[no-untyped-def]
        objects = resources.get_object().get("/XObject") if resources is not None else None
        for ref in (objects.get_object().values() if objects is not None else []):
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.add((int(obj["/Width"]), int(obj["/Height"])))
            elif obj.get("/Subtype") == "/Form":
                walk(obj.get("/Resources"))

    walk(page.get("/Resources"))
    return found


def is_red(colour: tuple[int, ...]) -> bool:
    return colour[0] > 200 and colour[1] < 60 and colour[2] < 60


@pytest.fixture
def kg_logo(cli, tmp_path: Path) -> Path:
    """A Kyrgyz plan with a red, wide logo (3:1) and its own title."""
    (tmp_path / "logo.png").write_bytes(png_of(90, 30))
    plan = tmp_path / "kg.yaml"
    result = cli(
        "init", "--country", "KG", "--start-year", "2024", "-o", plan, "--title", "Road map of the Kyrgyz Republic",
        "--author", "Aigul Usenova|Ministry of Culture", "--logo", tmp_path / "logo.png",
    )
    assert result.exit_code == 0, result.output
    return plan


@pytest.fixture
def crowded(kg_logo: Path) -> Path:
    """The Kyrgyz plan with twelve added tasks stacked in two cells: its flowchart is tall."""
    from roadmap import adapt

    for n in range(1, 7):
        adapt.add(kg_logo, direction="FIN", stage="S2", title=f"Added finance task number {n} with a longer name", years="2-3", today=TODAY)
        adapt.add(kg_logo, direction="DAT", stage="S1", title=f"Added data task {n}", years="1", today=TODAY)
    return kg_logo


# ---------------------------------------------------------------------------------------
# The logo on the flowchart


def _logo_box(svg: str) -> tuple[float, float, float, float]:
    found = re.search(r'<g id="logo" class="logo"><image x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)
    assert found, "no logo in the flowchart SVG"
    x, y, w, h = (float(v) for v in found.groups())
    return x, y, w, h


def test_the_flowchart_svg_embeds_the_logo_in_the_title_band_clear_of_every_box(cli, kg_logo: Path, tmp_path: Path) -> None:
    out = tmp_path / "flowchart.svg"
    assert cli("render", "flowchart", kg_logo, "-o", out).exit_code == 0
    svg = out.read_text(encoding="utf-8")
    logo = (kg_logo.parent / "logo.png").read_bytes()
    assert f'xlink:href="data:image/png;base64,{base64.b64encode(logo).decode()}"' in svg  # embedded: the file works alone
    x, y, w, h = _logo_box(svg)
    assert w == pytest.approx(3 * h, rel=0.01) and 30 <= h <= 60  # its own shape, a sensible size
    # every shape Graphviz drew (stage headers, rows, boxes) lies below the logo
    tops = [
        min(float(p.split(",")[1]) for p in points.split())
        for name, points in re.findall(r"<title>([^<]*)</title>\s*<polygon[^>]*points=\"([^\"]+)\"", svg)
        if name != "flowchart"
    ]
    assert tops and min(tops) >= y + h
    # and the title's text is beside it, not under it
    title_x = [float(v) for v in re.findall(r'<text [^>]*?text-anchor="middle" x="([-\d.]+)"[^>]*>Road map of the Kyrgyz Republic<', svg)]
    assert title_x and title_x[0] - x > w
    plain = tmp_path / "plain.svg"
    assert cli("meta", kg_logo, "--logo", "").exit_code == 0
    assert cli("render", "flowchart", kg_logo, "-o", plain).exit_code == 0
    assert "<image" not in plain.read_text(encoding="utf-8")


def test_the_flowchart_png_and_pdf_show_the_logo(cli, kg_logo: Path, tmp_path: Path) -> None:
    svg = tmp_path / "f.svg"
    assert cli("render", "flowchart", kg_logo, "-o", svg).exit_code == 0
    width, height = typeset.svg_size(svg.read_text(encoding="utf-8"))
    x, y, w, h = _logo_box(svg.read_text(encoding="utf-8"))
    shift = float(re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", svg.read_text(encoding="utf-8")).group(2))
    centre = ((x + w / 2 + 21.6) / width, (y + h / 2 + shift) / height)  # Graphviz's pad of 0.3 in
    out = tmp_path / "f.png"
    assert cli("render", "flowchart", kg_logo, "-o", out).exit_code == 0
    assert is_red(pixel(out.read_bytes(), *centre))
    assert not is_red(pixel(out.read_bytes(), 0.5, centre[1]))  # the title's place is not the logo's

    pdf = tmp_path / "f.pdf"
    assert cli("render", "flowchart", kg_logo, "-o", pdf).exit_code == 0
    first = pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages[0]
    assert (90, 30) in image_sizes(first)  # the logo's own pixels


def test_both_green_papers_carry_the_logo_in_their_flowchart(cli, kg_logo: Path, tmp_path: Path) -> None:
    import docx

    assert cli("render", "green-paper", kg_logo, "-o", tmp_path / "gp.html").exit_code == 0
    html = (tmp_path / "gp.html").read_text(encoding="utf-8")
    flowchart = html[html.index("<svg") :]
    assert '<g id="logo" class="logo"><image' in flowchart

    assert cli("render", "green-paper", kg_logo, "-o", tmp_path / "gp.docx").exit_code == 0
    document = docx.Document(str(tmp_path / "gp.docx"))
    pictures = _pictures(document)
    assert pictures[0][1] == png_of(90, 30)  # the title page's logo
    first_flowchart_page = pictures[1][1]
    assert any(is_red(pixel(first_flowchart_page, fx / 200, fy / 100, 0.12)) for fx in range(1, 20) for fy in range(1, 12))


def test_an_svg_logo_is_set_as_an_image_in_word_and_the_flowchart(cli, kg_logo: Path, tmp_path: Path) -> None:
    import docx

    (kg_logo.parent / "emblem.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><rect width="200" height="100" fill="#e60000"/></svg>',
        encoding="utf-8",
    )
    result = cli("meta", kg_logo, "--logo", kg_logo.parent / "emblem.svg")
    assert result.exit_code == 0 and "Word" not in result.stderr  # Word shows it now: nothing to warn about
    assert cli("render", "green-paper", kg_logo, "-o", tmp_path / "gp.docx").exit_code == 0
    title_logo = _pictures(docx.Document(str(tmp_path / "gp.docx")))[0][1]
    assert title_logo.startswith(b"\x89PNG") and is_red(pixel(title_logo, 0.5, 0.5))
    assert cli("render", "flowchart", kg_logo, "-o", tmp_path / "f.svg").exit_code == 0
    assert 'xlink:href="data:image/png;base64,' in (tmp_path / "f.svg").read_text(encoding="utf-8")


HOSTILE_LOGOS = {
    "script.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    "onload.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><rect width="5" height="5"/></svg>',
    "remote.svg": '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
    '<image xlink:href="https://tracker.example.org/pixel.png" width="10" height="10"/></svg>',
    "local.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="file:///etc/passwd" width="9" height="9"/></svg>',
    "css.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect style="fill: url(https://x.example/a)" width="5" height="5"/></svg>',
    "html.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><foreignObject><iframe src="x"/></foreignObject></svg>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_LOGOS))
def test_an_svg_logo_with_scripts_or_outside_references_is_refused(cli, kg_logo: Path, name: str) -> None:
    (kg_logo.parent / name).write_text(HOSTILE_LOGOS[name], encoding="utf-8")
    before = kg_logo.read_bytes()
    result = cli("meta", kg_logo, "--logo", kg_logo.parent / name)
    assert result.exit_code == 1
    assert re.search(r"meta\.logo: .*" + re.escape(name) + " (holds scripts|refers to files or addresses outside itself)", result.stderr)
    assert kg_logo.read_bytes() == before


def test_a_hostile_logo_put_in_by_hand_stops_every_drawing(cli, kg_logo: Path, tmp_path: Path) -> None:
    (kg_logo.parent / "logo.png").write_bytes(png_of(1, 1)[:16] + struct.pack(">II", 60000, 60000) + png_of(1, 1)[24:])  # a bomb
    for kind, name in (("flowchart", "f.svg"), ("flowchart", "f.png"), ("green-paper", "gp.pdf"), ("green-paper", "gp.docx")):
        result = cli("render", kind, kg_logo, "-o", tmp_path / name)
        assert result.exit_code == 1, name
        assert "meta.logo: logo.png is 60000 x 60000 pixels; a logo may be at most 8000 pixels a side" in result.stderr
        assert not (tmp_path / name).exists()
    assert cli("meta", kg_logo, "--logo", kg_logo.parent / "logo.png").exit_code == 1


# ---------------------------------------------------------------------------------------
# The flowchart in Word, readable when printed


def _pictures(document) -> list[tuple[object, bytes]]:  # type: ignore[no-untyped-def]
    """(inline shape, image bytes) of every picture, in order."""
    out = []
    for shape in document.inline_shapes:
        rid = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        out.append((shape, document.part.related_parts[rid].blob))
    return out


def flowchart_pages(data: bytes) -> list[dict[str, float]]:
    """Each flowchart picture of a Word Green Paper: the size its box text prints at, and
    whether it fits its page's text area (the section it sits in)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    sections = list(document.sections)
    landscape = [s for s in sections if s.page_width > s.page_height]
    page = landscape[0]  # Appendix 1's section
    room_w = (page.page_width - page.left_margin - page.right_margin) / EMU_PER_PT
    room_h = (page.page_height - page.top_margin - page.bottom_margin) / EMU_PER_PT
    out = []
    for shape, blob in _pictures(document):
        if not blob.startswith(b"\x89PNG"):
            continue
        px_w, px_h = struct.unpack(">II", blob[16:24])
        if px_w < 1000:  # the logo
            continue
        natural_w = px_w * 72 / typeset.PNG_PPI  # the drawing's own points (9 pt box text)
        printed_w = shape.width / EMU_PER_PT
        out.append(
            {
                "text_pt": typeset.BOX_TEXT_PT * printed_w / natural_w,
                "width": printed_w,
                "height": shape.height / EMU_PER_PT,
                "room_w": room_w,
                "room_h": room_h - green_paper_docx.heading_room(APPENDIX1, room_w),
                "paper_w": page.page_width / EMU_PER_PT,
            }
        )
    return out


def test_the_models_flowchart_prints_on_one_a3_page_in_word_at_7pt_or_more(tmp_path: Path) -> None:
    from roadmap.render import documents

    data = documents.render(plan_of(model_path()), "docx", as_of=TODAY)
    pages = flowchart_pages(data)
    assert len(pages) == 1
    assert pages[0]["text_pt"] >= 7.0
    assert pages[0]["paper_w"] == pytest.approx(1190.55, abs=1)  # A3 landscape
    assert pages[0]["width"] <= pages[0]["room_w"] + 0.5 and pages[0]["height"] <= pages[0]["room_h"] + 0.5


@pytest.mark.parametrize("paper, width", [("a3", 1190.55), ("a4", 841.89)])
def test_a_crowded_plans_flowchart_goes_over_word_pages_at_7pt_each_repeating_the_stage_header(
    cli, crowded: Path, tmp_path: Path, paper: str, width: float
) -> None:
    out = tmp_path / "gp.docx"
    result = cli("render", "green-paper", crowded, "-o", out, "--paper", paper)
    assert result.exit_code == 0, result.stderr
    pages = flowchart_pages(out.read_bytes())
    assert len(pages) >= 2
    for page in pages:
        assert page["text_pt"] >= 7.0 - 1e-6  # 6.5 pt before: one picture shrunk to the page
        assert page["width"] <= page["room_w"] + 0.5 and page["height"] <= page["room_h"] + 0.5  # nothing cut off
        assert page["paper_w"] == pytest.approx(width, abs=1)
    import docx

    lines = [p.text for p in docx.Document(str(out)).paragraphs]
    assert f"(continued, part 2 of {len(pages)})" in "\n".join(lines)


def test_later_flowchart_pages_repeat_the_stage_header(crowded: Path) -> None:
    from roadmap.render import flowchart

    svg = flowchart.render(plan_of(crowded), "svg").decode("utf-8")
    placement = typeset.placement_of(svg, "a3")
    assert len(placement.tiles) >= 2 and placement.head is not None
    assert [placement.repeats_head(tile) for tile in placement.tiles] == [False] + [True] * (len(placement.tiles) - 1)
    # the first page holds the header itself; every later one shows it over its rows, within the page
    room = typeset.PAPER["a3"][0] - 2 * typeset.MARGIN_PT
    for tile in placement.tiles[1:]:
        assert tile[3] + placement.head[1] + placement.gap <= room
    pngs = typeset.tile_pngs(svg, placement, when=__import__("datetime").datetime(2026, 1, 1))
    assert len(pngs) == len(placement.tiles)
    header_colour = pixel(pngs[1], 0.5, (placement.head[1] / 2) / (placement.tiles[1][3] + placement.head[1] + placement.gap))
    assert header_colour[2] > header_colour[0] + 40  # the dark blue stage header at the top of page 2


def test_a_flowchart_too_large_for_word_is_left_out_and_said_so(cli, crowded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    monkeypatch.setattr(green_paper_docx, "MAX_FLOWCHART_PAGES", 1)
    out = tmp_path / "gp.docx"
    result = cli("render", "green-paper", crowded, "-o", out)
    assert result.exit_code == 0
    assert "The flowchart of this plan would take" in result.stderr and "roadmap render flowchart PLAN -o flowchart.pdf" in result.stderr
    assert flowchart_pages(out.read_bytes()) == []
    assert any(p.text.startswith("The flowchart of this plan would take") for p in docx.Document(str(out)).paragraphs)


# ---------------------------------------------------------------------------------------
# Title pages


def test_the_word_title_page_has_no_page_number_and_the_rest_do(cli, kg_logo: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "gp.docx"
    assert cli("render", "green-paper", kg_logo, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    first = document.sections[0]
    assert first.different_first_page_header_footer
    title_footer = first.first_page_footer
    assert not title_footer.is_linked_to_previous
    assert "PAGE" not in title_footer._element.xml and not "".join(p.text for p in title_footer.paragraphs).strip()
    assert " PAGE " in first.footer._element.xml and " NUMPAGES " in first.footer._element.xml
    assert all(not s.different_first_page_header_footer for s in document.sections[1:])  # later sections number every page
    body = document.element.body.xml
    assert ' TOC \\o "1-3"' in body
    # the contents start on the page after the title page
    texts = [p for p in document.paragraphs]
    contents = next(i for i, p in enumerate(texts) if p.text == "Contents")
    assert any('w:br w:type="page"' in p._p.xml or 'type="page"' in p._p.xml for p in texts[:contents])


def test_the_pdf_title_page_has_the_logo_and_no_page_number(cli, kg_logo: Path, tmp_path: Path) -> None:
    out = tmp_path / "gp.pdf"
    assert cli("render", "green-paper", kg_logo, "-o", out).exit_code == 0
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    title = reader.pages[0].extract_text()
    assert "Road map of the Kyrgyz Republic" in title and "Page " not in title
    assert (90, 30) in image_sizes(reader.pages[0])
    assert "Page 1 of" in reader.pages[1].extract_text()
