"""PDF and PNG through typst, a typesetting engine installed from PyPI (no system program).

Every PNG and PDF the toolkit writes comes from here: drawings are made as SVG (the
flowchart by Graphviz, system or WebAssembly; the timeline by our own template) and
typst places that SVG on a page or rasterises it; the Green Paper and the action plan are
typst documents written from jinja2 templates. typst is imported only when a PDF or PNG
is asked for (import about 15 ms, a document with the flowchart compiles in about 0.1 s).

Only typst's bundled fonts are used (Libertinus Serif, with Cyrillic, Kazakh, Tajik and
Uzbek letters): a ministry laptop and CI set the same glyphs, so the same plan gives the
same bytes everywhere, and the PDF's dates are pinned to the plan's date.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from ..errors import RoadmapError

FONT = "Libertinus Serif"
PNG_PPI = 150

# Paper sizes in points (portrait), as typst names them.
PAPER = {"a4": (595.28, 841.89), "a3": (841.89, 1190.55)}
PAPERS = tuple(PAPER)

# The flowchart's box text is drawn at 9 pt; printed smaller than 7 pt it is hard to read.
BOX_TEXT_PT = 9.0
MIN_TEXT_PT = 7.0
MARGIN_PT = 22.68  # 8 mm: the flowchart pages use what the paper gives (the page number sits in it)


class TypesetMissing(RoadmapError):
    """PDF or PNG asked for, but the typst package is not installed."""


class TypesetFailed(RoadmapError):
    """typst could not set a document (a bug in roadmap: please report it)."""


# ---------------------------------------------------------------------------------------
# Text into typst markup


_MARKUP_SPECIAL = re.compile(r"([\\#$*_@<>\[\]`~=+\-/'\"{}()])")
_ENUM_START = re.compile(r"^(\d+)\.")


def escape(text: object) -> str:
    """Plan text inside typst markup: shown exactly as written, never read as markup.

    Every character typst gives a meaning to (`#` code, `$` maths, `*` `_` emphasis, `@`
    references, `<` labels, `...` an ellipsis, `[` `]` content, `\\`, `//` and `/*` comments, `=` `-` `+` `/`
    at a line's start, `~` non-breaking space, quotes made curly, `--` dashes) is
    backslash-escaped; a leading "1." would start a numbered list, so its dot is escaped
    too. Line breaks become spaces: the template decides where lines break.
    """
    raw = str(text)
    flat = " ".join(raw.split())
    if flat and raw[:1].isspace():
        flat = " " + flat
    if flat.strip() and raw[-1:].isspace():
        flat += " "
    escaped = _MARKUP_SPECIAL.sub(r"\\\1", flat)
    # a dot or parenthesis right after a function call would continue it ("#emph[x].y")
    escaped = re.sub(r"^\.|\.(?=\.)", r"\\.", escaped)  # and "..." would become an ellipsis
    return _ENUM_START.sub(r"\1\\.", escaped)


def string(text: object) -> str:
    """A typst string literal (for arguments such as a document's title)."""
    value = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{value}"'


def markdown(text: str, *, base_level: int = 1) -> str:
    """Plan Markdown (raw HTML off, as everywhere) as typst markup; headings start below base_level."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("js-default").parse(text or "")
    out: list[str] = []
    lists: list[str] = []  # "-" or "+" per open list
    marker: str | None = None  # the next inline starts a list item
    heading: int | None = None
    i = 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "bullet_list_open":
            lists.append("-")
        elif kind == "ordered_list_open":
            lists.append("+")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                out.append("")
        elif kind == "list_item_open":
            marker = "  " * (len(lists) - 1) + lists[-1] + " "
        elif kind == "heading_open":
            heading = min(base_level + int(token.tag[1]), 6)
        elif kind == "blockquote_open":
            out.append("#quote(block: true)[")
        elif kind == "blockquote_close":
            out.append("]")
            out.append("")
        elif kind == "inline":
            content = _inline(token.children or [])
            if heading is not None:
                out.append(f"#heading(level: {heading}, outlined: false)[{content}]")
                out.append("")
                heading = None
            elif marker is not None:
                out.append(marker + content)
                marker = None
            elif lists:
                out.append("  " * len(lists) + content)
            else:
                out.append(content)
        elif kind == "paragraph_close" and not lists:
            out.append("")
        elif kind in ("fence", "code_block"):
            out.append(f"#raw(block: true, {string(token.content.rstrip())})")
            out.append("")
        elif kind == "table_open":
            i, table = _table(tokens, i)
            out.append(table)
            out.append("")
            continue
        i += 1
    return "\n".join(out).strip() + "\n"


def _inline(children: list) -> str:  # type: ignore[type-arg]
    parts: list[str] = []
    for child in children:
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            parts.append("#strong[" if kind == "strong_open" else "]")
        elif kind in ("em_open", "em_close"):
            parts.append("#emph[" if kind == "em_open" else "]")
        elif kind == "link_open":
            parts.append(f"#link({string(child.attrs.get('href', ''))})[")
        elif kind == "link_close":
            parts.append("]")
        elif kind == "softbreak":
            parts.append(" ")
        elif kind == "hardbreak":
            parts.append("#linebreak()")
        elif kind == "code_inline":
            parts.append(f"#raw({string(child.content)})")
        elif kind in ("text", "image", "html_inline"):
            parts.append(escape(child.content) if child.content.strip() else " ")
    return "".join(parts)


def _table(tokens: list, i: int) -> tuple[int, str]:  # type: ignore[type-arg]
    rows: list[list[str]] = []
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            rows[-1].append(_inline(token.children or []))
        i += 1
    width = max((len(r) for r in rows), default=1)
    cells = ", ".join(f"[{c}]" for r in rows for c in r + [""] * (width - len(r)))
    return i + 1, f"#table(columns: {width}, {cells})"


# ---------------------------------------------------------------------------------------
# Compiling


def compile_document(source: str, fmt: str, *, when: dt.datetime, images: dict[str, str] | None = None, ppi: int = PNG_PPI) -> bytes:
    """typst source to PDF, or PNG (the first page) bytes.

    `images` are SVG texts the source reads as `sys.inputs.NAME`; `when` pins the PDF's dates.
    """
    data = _compile(source, fmt, when=when, images=images, ppi=ppi)
    if isinstance(data, list):  # several pages as PNG: the caller asked for one image
        data = data[0]
    return bytes(data)


def _compile(source: str, fmt: str, *, when: dt.datetime, images: dict[str, str] | None, ppi: float) -> bytes | list[bytes]:
    try:
        import typst
    except ImportError:
        raise TypesetMissing(f"{fmt.upper()} output needs the typst package: pip install typst") from None
    stamp = int(when.replace(tzinfo=dt.timezone.utc).timestamp())
    options = {"ppi": ppi} if fmt == "png" else {}
    try:
        return typst.compile(  # type: ignore[no-any-return]
            source.encode("utf-8"), format=fmt, ignore_system_fonts=True, timestamp=stamp, sys_inputs=images or {}, **options
        )
    except Exception as exc:  # typst.TypstError carries typst's own message
        raise TypesetFailed(f"typst could not set the document: {exc}") from None


def svg_size(svg: str) -> tuple[float, float]:
    """Width and height of an SVG in points (Graphviz and our scenes write them in pt)."""
    head = svg[svg.index("<svg") : svg.index(">", svg.index("<svg"))]
    sizes = []
    for name in ("width", "height"):
        found = re.search(rf'\b{name}="([\d.]+)(pt|px)?"', head)
        if not found:
            raise TypesetFailed(f"the drawing has no {name}; cannot place it on a page")
        value = float(found.group(1))
        sizes.append(value * 0.75 if found.group(2) == "px" else value)
    return sizes[0], sizes[1]


def logo_svg(logo: Any, height: float = 72.0, *, raster: bool = False) -> str:
    """The plan's logo (identity.Logo, checked there) as an SVG `height` points tall, for typst to
    place or rasterise: the logo is embedded as a data: address, whose image typst decodes
    like any other (`raster`: an SVG logo as its PNG, see logo_raster)."""
    width = height * logo.aspect
    uri = logo.data_uri()
    if raster:
        import base64

        mime, data = logo_raster(logo)
        uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{width:.2f}pt" height="{height:.2f}pt" viewBox="0 0 {width:.2f} {height:.2f}">'
        f'<image width="{width:.2f}" height="{height:.2f}" preserveAspectRatio="xMidYMid meet" xlink:href="{uri}"/></svg>'
    )


def logo_raster(logo: Any) -> tuple[str, bytes]:
    """The logo as (mime, bytes) of a PNG or JPEG: an SVG logo is set as PNG (300 pixels
    tall). Word takes no SVG, and typst's PDF drops the text of an SVG nested in another
    (the flowchart), so both get the raster; its look is the same everywhere."""
    if logo.mime != "image/svg+xml":
        return logo.mime, logo.data
    return "image/png", svg_to_png(logo_svg(logo), when=dt.datetime(2000, 1, 1), ppi=300)


def svg_to_png(svg: str, *, when: dt.datetime, ppi: int = PNG_PPI) -> bytes:
    """A drawing as PNG at its own size (white background)."""
    width, height = svg_size(svg)
    source = (
        f"#set page(width: {width:.2f}pt, height: {height:.2f}pt, margin: 0pt, fill: white)\n"
        '#image(bytes(sys.inputs.drawing), format: "svg", width: 100%, height: 100%)\n'
    )
    return compile_document(source, "png", when=when, images={"drawing": svg}, ppi=ppi)


HEAD_GAP = 6.0  # printed points between a repeated header strip and the rows under it


@dataclass(frozen=True)
class Placement:
    """How a drawing goes onto landscape pages: its printed size and the part each page shows."""

    paper: str
    scale: float
    width: float  # the whole drawing, printed, in points
    height: float
    tiles: list[tuple[float, float, float, float]]  # each page's window: x, y, width, height (printed)
    head: tuple[float, float] | None = None  # the header strip (top, height, printed) repeated above later windows

    @property
    def text_pt(self) -> float:
        """The printed size of the flowchart's 9 pt box text."""
        return BOX_TEXT_PT * self.scale

    @property
    def gap(self) -> float:
        return HEAD_GAP

    def repeats_head(self, tile: tuple[float, float, float, float]) -> bool:
        """Whether the page of `tile` shows the header strip above its window (pages that start
        below the header: a reader of page 2 still sees which column is which stage)."""
        return self.head is not None and tile[1] > self.head[0]


def place(
    width: float,
    height: float,
    paper: str,
    cuts: list[float] | None = None,
    head: tuple[float, float] | None = None,
    room: tuple[float, float] | None = None,
) -> Placement:
    """Fit a drawing on one landscape page; if that prints its box text under 7 pt, tile it.

    Tiled, the drawing prints at exactly 7 pt box text over as few pages as cover it. Down
    the drawing, pages break at `cuts` (the gaps between the flowchart's rows, in drawing
    points) where they can, so no box is cut in two, and every page after the first
    repeats the `head` strip (top and bottom in drawing points: the stage header); across
    it (A4), neighbouring pages overlap a little. The drawing carries its own title, so a
    page's heading is set hidden (for the table of contents only) and takes no room.
    `room` (width, height in points) overrides what the paper leaves inside its margins.
    """
    short, long = PAPER[paper]
    room_w, room_h = room or (long - 2 * MARGIN_PT, short - 2 * MARGIN_PT)
    scale = min(room_w / width, room_h / height)
    if BOX_TEXT_PT * scale >= MIN_TEXT_PT:
        return Placement(paper, scale, width * scale, height * scale, [(0.0, 0.0, width * scale, height * scale)])
    scale = MIN_TEXT_PT / BOX_TEXT_PT
    w, h = width * scale, height * scale
    overlap = 24.0
    cols = max(1, math.ceil((w - overlap) / (room_w - overlap)))
    xs = [0.0] if cols == 1 else [k * (w - room_w) / (cols - 1) for k in range(cols)]
    strip = None
    later = room_h
    if head is not None and head[1] > head[0] and (head[1] - head[0]) * scale < room_h / 3:
        strip = (head[0] * scale, (head[1] - head[0]) * scale)
        later = room_h - strip[1] - HEAD_GAP - 1.0  # a point to spare: sizes are written rounded
    bands = _bands(h, room_h, sorted(c * scale for c in (cuts or []) if 0 < c * scale < h), later)
    tiles = [(x, y, min(room_w, w), band) for y, band in bands for x in xs]
    return Placement(paper, scale, w, h, tiles, strip)


def _bands(height: float, room: float, cuts: list[float], later: float | None = None) -> list[tuple[float, float]]:
    """(top, height) of each page's strip: break at the cut nearest an even split, else overlap
    evenly. The first page has `room`, later ones `later` (the rest holds the repeated header)."""
    later = room if later is None else later
    if height <= room:
        return [(0.0, height)]
    bands: list[tuple[float, float]] = []
    top = 0.0
    while height - top > (room if not bands else later):
        space = room if not bands else later
        fitting = [c for c in cuts if top + space * 0.3 < c <= top + space]
        if not fitting:  # no clean break: fall back to even strips that overlap a little
            rows = max(2, math.ceil((height - 24.0) / (later - 24.0)))
            return [(k * (height - later) / (rows - 1), later) for k in range(rows)]
        target = top + (height - top) / math.ceil((height - top) / later)  # pages of even height
        cut = min(fitting, key=lambda c: abs(c - target))
        bands.append((top, cut - top))
        top = cut
    bands.append((top, height - top))
    return bands


_ROW = re.compile(r"<title>row:\d+</title>\s*<polygon[^>]*points=\"([^\"]+)\"")
_TRANSLATE = re.compile(r'class="graph" transform="[^"]*translate\(([-\d.]+) ([-\d.]+)\)"')


def row_cuts(svg: str) -> list[float]:
    """Where the flowchart can be cut between its rows, in SVG points from the top.

    Read from Graphviz's SVG: each direction row has a background node titled row:N.
    An SVG drawn otherwise gives no cuts, and tiles then overlap instead.
    """
    shift = _TRANSLATE.search(svg)
    if not shift:
        return []
    dy = float(shift.group(2))
    tops = []
    for points in _ROW.findall(svg):
        ys = [float(p.split(",")[1]) for p in points.split()]
        tops.append(min(ys) + dy - 4.0)  # just above the row, in the gap between rows
    return sorted(tops)


_CORNER = re.compile(r"<title>corner</title>\s*<polygon[^>]*points=\"([^\"]+)\"")


def head_band(svg: str) -> tuple[float, float] | None:
    """The flowchart's stage header (top, bottom in SVG points from the top), repeated on
    every later page of a tiled flowchart; None for a drawing without one."""
    shift = _TRANSLATE.search(svg)
    corner = _CORNER.search(svg)
    if not shift or not corner:
        return None
    ys = [float(p.split(",")[1]) + float(shift.group(2)) for p in corner.group(1).split()]
    return min(ys) - 2.0, max(ys) + 2.0


def placement_of(svg: str, paper: str, room: tuple[float, float] | None = None) -> Placement:
    """Where the pages of a drawing break (rows kept whole, stage header repeated)."""
    return place(*svg_size(svg), paper, row_cuts(svg), head_band(svg), room)


def tile_pngs(svg: str, placement: Placement, *, when: dt.datetime, ppi: float = PNG_PPI) -> list[bytes]:
    """Each page of `placement` as a PNG of just its content (for Word, which places pictures).

    Rasterised so that a pixel is the same part of the drawing as in the flowchart's own PNG
    (`ppi` per 72 drawing points): a picture's printed width against its pixels tells the
    size its 9 pt box text prints at.
    """
    from .templating import typst_environment

    source = typst_environment().get_template("typst/tiles.typ.j2").render(placement=placement)
    data = _compile(source, "png", when=when, images={"drawing": svg}, ppi=ppi / placement.scale)
    pages = [bytes(page) for page in (data if isinstance(data, list) else [data])]
    if len(pages) != len(placement.tiles):
        raise TypesetFailed(f"typst set {len(pages)} pictures for {len(placement.tiles)} flowchart pages")
    return pages


def drawing_pages(svg: str, *, paper: str, title: str, when: dt.datetime, lang: str, part: str) -> bytes:
    """A drawing alone as a PDF of landscape pages of `paper` (the flowchart's own PDF)."""
    from .templating import typst_environment

    placement = placement_of(svg, paper)
    source = typst_environment().get_template("typst/drawing.typ.j2").render(
        placement=placement, title=title, date=when, lang=lang, font=FONT, part=part, margin=MARGIN_PT
    )
    return compile_document(source, "pdf", when=when, images={"drawing": svg})
