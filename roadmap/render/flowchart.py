"""Appendix 1, the block diagram of the road map, as Graphviz DOT and as Mermaid.

The Green Paper's flowchart is a grid: one row per direction, one column per stage (stage
1 spans two), each task a rectangle in its cell and arrows joining a row's rectangles
left to right. Graphviz's own layout would reorder such a grid, so the positions are
computed here and pinned (`layout=neato`, `pos="x,y!"`): every column lines up in print,
and the same plan always gives the same drawing. Box sizes are fixed from the wrapped
text, so a long Cyrillic box grows its row instead of overlapping its neighbour.
"""

from __future__ import annotations

import functools
import re
import textwrap
from dataclasses import dataclass, field
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator

from ..i18n import Catalogue, catalogue
from ..model import Roadmap, Status, Task
from . import palette
from .rows import box_text, directions, owner_text, row_order, stages, years_text

if TYPE_CHECKING:
    from ..identity import Logo

FORMATS = ("svg", "png", "pdf", "dot", "mermaid")

# Geometry, in points (1/72 inch).
COL_W = 152.0  # a task box
GAP = 34.0  # between columns: room for the arrows
LABEL_W = 104.0  # the direction names on the left
ROW_GAP = 12.0
STACK_GAP = 14.0  # between boxes sharing a cell
PAD = 7.0
SIZE = 9.0  # box text
SMALL = 9.0  # ids, owners, years: as large as the box text, so nothing prints under 7 pt when the box text is at 7 pt
HEAD = 9.5  # stage headers
LINE = 1.22  # line height as a multiple of the font size
CHAR = 0.56  # average DejaVu Sans glyph width as a multiple of the font size
LOGO_H = 44.0  # the plan's logo in the title band's left corner: at most this tall...
LOGO_W = 176.0  # ...and this wide (about 12 x 48 mm printed at 7 pt box text)
LOGO_NODE = "identity:logo"  # the place held for it (no task id has a colon)


def _wrap(text: str, width_pt: float, size: float) -> list[str]:
    chars = max(8, int((width_pt - 2 * PAD) / (size * CHAR)))
    return textwrap.wrap(" ".join(text.split()), chars, break_long_words=True, break_on_hyphens=False) or [""]


def _remaining(task: Task) -> bool:
    return task.status in (Status.planned, Status.in_progress)


def _in(points: float) -> str:
    return f"{points / 72:.4f}"


@dataclass
class Box:
    task: Task
    column: int  # grid column, 0-based
    lines: list[str]
    head: str  # "DAT-2 · NEW"
    details: list[str]
    height: float = 0.0
    x: float = 0.0
    y: float = 0.0


@dataclass
class Row:
    label: list[str]
    cells: dict[int, list[Box]] = field(default_factory=dict)
    chain: list[Box] = field(default_factory=list)
    box_height: float = 0.0
    height: float = 0.0
    y: float = 0.0


def _columns(plan: Roadmap) -> tuple[dict[tuple[str, int], int], list[tuple[int, int]]]:
    """Grid column of each (stage, column inside stage), and each stage's span."""
    index: dict[tuple[str, int], int] = {}
    spans: list[tuple[int, int]] = []
    if not plan.stages:  # a work plan: one column per period (quarter, month or year)
        return index, [(j, j) for j in range(len(plan.periods()))]
    j = 0
    for stage in stages(plan):
        first = j
        for c in range(1, stage.flowchart_columns + 1):
            index[(stage.id, c)] = j
            j += 1
        spans.append((first, j - 1))
    return index, spans


def _column(plan: Roadmap, task: Task, index: dict[tuple[str, int], int]) -> int:
    """The grid column of a task's box: its stage's, or (no stages) its first period's."""
    if task.stage is None or not plan.stages:
        span = plan.timeframe(task)
        periods = plan.periods()
        return next((j for j, p in enumerate(periods) if span and p.contains(span[0].first_day)), 0)
    stage = plan.stage(task.stage)
    inner = min(task.box.column if task.box else 1, stage.flowchart_columns)
    return index[(stage.id, inner)]


def _heads(plan: Roadmap, t: Catalogue) -> list[tuple[str, list[Part]]]:
    """The column headings: each stage (number, name, key message), or each period."""
    font = palette.FONT
    if not plan.stages:
        return [(f"period:{p}", [([str(p)], HEAD, BOLD, palette.HEADER_TEXT)]) for p in plan.periods()]
    return [
        (
            f"stage:{stage.id}",
            [
                ([t("flowchart.stage", number=stage.number)], SMALL, font, palette.HEADER_TEXT),
                (_wrap(stage.name, _span_width(spans), HEAD), HEAD, font, palette.HEADER_TEXT),
                ([stage.key_message] if stage.key_message else [], HEAD, BOLD_ITALIC, palette.HEADER_TEXT),
            ],
        )
        for stage, spans in zip(stages(plan), _columns(plan)[1])
    ]


def _span_width(span: tuple[int, int]) -> float:
    first, last = span
    return (last - first + 1) * COL_W + (last - first) * GAP


def _x(column: int) -> float:
    return LABEL_W + GAP + column * (COL_W + GAP) + COL_W / 2


def _lines_height(n: int, size: float) -> float:
    return n * size * LINE


def layout(plan: Roadmap, t: Catalogue, *, details: bool) -> tuple[list[Row], list[tuple[int, int]]]:
    """Rows with every box sized and placed (y grows downwards here)."""
    index, spans = _columns(plan)
    rows: list[Row] = []
    for direction in directions(plan):
        row = Row(label=_wrap(f"{direction.ref or direction.number}. {direction.name}", LABEL_W, SIZE))
        for task in sorted((x for x in plan.tasks if x.direction == direction.id), key=row_order):
            head = (task.ref or task.id) + (f" \u00b7 {t('flowchart.new')}" if task.origin.value == "added" and not plan.meta.start else "")
            extra = []
            if details:
                owner = owner_text(task) or (t("flowchart.no_owner") if _remaining(task) else "")
                extra = (_wrap(owner, COL_W, SMALL) if owner else []) + [years_text(plan, task)]
            box = Box(task, _column(plan, task, index), _wrap(box_text(task), COL_W, SIZE), head, extra)
            row.cells.setdefault(box.column, []).append(box)
            row.chain.append(box)
        rows.append(row)
    for row in rows:
        boxes = row.chain
        row.box_height = max(
            [2 * PAD + _lines_height(1, SMALL) + _lines_height(len(b.lines), SIZE) + _lines_height(len(b.details), SMALL) for b in boxes]
            + [2 * PAD + _lines_height(len(row.label), SIZE)]
        )
        deepest = max([len(cell) for cell in row.cells.values()] + [1])
        row.height = deepest * row.box_height + (deepest - 1) * STACK_GAP
    return rows, spans


BOLD = f"{palette.FONT} Bold"
ITALIC = f"{palette.FONT} Oblique"
BOLD_ITALIC = f"{palette.FONT} Bold Oblique"

Part = tuple[list[str], float, str, str]  # lines, font size, font name, colour


def _q(text: str) -> str:
    """A quoted DOT string: the plan's words never become escapes (\\N) or markup."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


class _Canvas:
    """Pinned shapes and text blocks as DOT nodes.

    Text is drawn as borderless nodes laid over the shapes, not as HTML-like labels: the
    WebAssembly Graphviz is built without them, and this way both builds draw the same.

    Positions are written in inches and pinned (`pos="x,y!"`, any neato draws them), or,
    with `points=True`, in points for `neato -n`, which skips the layout altogether: the
    same coordinates (the inches rounded as before, times 72), so the same drawing.
    """

    def __init__(self, points: bool = False) -> None:
        self.lines: list[str] = []
        self.points = points

    def pos(self, x: float, y: float) -> str:
        if self.points:
            return f'pos="{round(x / 72, 4) * 72:.4f},{round(y / 72, 4) * 72:.4f}"'
        return f'pos="{_in(x)},{_in(y)}!"'

    def rect(self, name: str, x: float, y: float, w: float, h: float, fill: str, line: str, *, dashed: bool = False, tooltip: str = "") -> None:
        style = "filled,dashed" if dashed else "filled"
        extra = f", tooltip={_q(tooltip)}" if tooltip else ""
        self.lines.append(
            f'  {_q(name)} [label="", fillcolor="{fill}", color="{line}", style="{style}", '
            f'width={_in(w)}, height={_in(h)}, {self.pos(x, -y)}{extra}];'
        )

    def block(self, name: str, x: float, y: float, w: float, parts: list[Part]) -> None:
        """Parts stacked one under another, the whole block centred on (x, y)."""
        heights = [_lines_height(len(lines), size) for lines, size, _, _ in parts if lines]
        top = y - sum(heights) / 2
        k = 0
        for lines, size, font, colour in parts:
            if not lines:
                continue
            h = _lines_height(len(lines), size)
            label_text = "\n".join(lines)
            self.lines.append(
                f'  "{name}:{k}" [shape=plaintext, style="", fontname="{font}", fontsize={size:g}, '
                f'fontcolor="{colour}", width={_in(w)}, height={_in(h)}, {self.pos(x, -(top + h / 2))}, '
                f'label={_q(label_text)}];'
            )
            top += h
            k += 1

    def height(self, parts: list[Part]) -> float:
        return sum(_lines_height(len(lines), size) for lines, size, _, _ in parts if lines)


def dot(plan: Roadmap, *, details: bool = False, lang: str | None = None, points: bool = False, logo_aspect: float | None = None) -> str:
    """The flowchart as DOT with pinned positions (renders with any Graphviz 2.40+).

    `points=True` writes the positions in points for `neato -n` (no layout run: linear in
    the number of boxes, where neato's own pass over pinned nodes grows with their square).
    `logo_aspect` (the logo's width over height) holds a place for the plan's logo in the
    title band; `with_logo` puts the image there once Graphviz has drawn the SVG.
    """
    t = catalogue(lang or plan.meta.language)
    rows, spans = layout(plan, t, details=details)
    tracked = plan.meta.kind == "plan"
    width = LABEL_W + GAP + (spans[-1][1] + 1) * (COL_W + GAP) - GAP if spans else LABEL_W
    canvas = _Canvas(points)
    font = palette.FONT

    y = _title(canvas, plan, width, [([t("flowchart.heading")], SIZE, font, palette.MUTED)], logo_aspect) + ROW_GAP

    heads = []
    names = []
    for (name, parts), (first, last) in zip(_heads(plan, t), spans):
        w = _span_width((first, last))
        heads.append(((_x(first) + _x(last)) / 2, w, parts))
        names.append(name)
    corner: list[Part] = [(_wrap(t("flowchart.corner" if plan.stages else "flowchart.corner_outputs"), LABEL_W, HEAD), HEAD, BOLD, palette.HEADER_TEXT)]
    head_h = 2 * PAD + max(canvas.height(p) for _, _, p in [*heads, (0, 0, corner)])
    cy = y + head_h / 2
    canvas.rect("corner", LABEL_W / 2, cy, LABEL_W, head_h, palette.HEADER_FILL, palette.HEADER_FILL)
    canvas.block("corner", LABEL_W / 2, cy, LABEL_W, corner)
    for name, (x, w, parts) in zip(names, heads):
        canvas.rect(name, x, cy, w, head_h, palette.HEADER_FILL, palette.HEADER_FILL)
        canvas.block(name, x, cy, w, parts)
    y += head_h + ROW_GAP

    for number, row in enumerate(rows):
        row.y = y
        middle = y + row.height / 2
        canvas.rect(f"row:{number}", LABEL_W / 2, middle, LABEL_W, row.height, palette.ROW_FILL, palette.ROW_FILL)
        canvas.block(f"row:{number}", LABEL_W / 2, middle, LABEL_W, [(row.label, SIZE, BOLD, palette.TEXT)])
        for column in sorted(row.cells):
            cell = row.cells[column]
            stack = len(cell) * row.box_height + (len(cell) - 1) * STACK_GAP
            top = y + (row.height - stack) / 2
            for k, box in enumerate(cell):
                box.x = _x(column)
                box.y = top + k * (row.box_height + STACK_GAP) + row.box_height / 2
                _box(canvas, box, row.box_height, tracked)
        y += row.height + ROW_GAP
    edges = [
        f"  {_q(a.task.id)} -> {_q(b.task.id)};" for row in rows for a, b in zip(row.chain, row.chain[1:])
    ]
    if tracked:
        y = _legend(plan, t, canvas, y, any(b.task.origin.value == "added" for r in rows for b in r.chain))

    out = [
        "digraph flowchart {",
        f'  graph [layout=neato, splines=false, outputorder=edgesfirst, pad=0.3, fontname="{font}", bgcolor="white"];',
        f'  node [shape=box, fixedsize=true, fontname="{font}", fontsize={SIZE:g}, fontcolor="{palette.TEXT}", '
        'style="filled", penwidth=1.2, margin=0];',
        f'  edge [fontname="{font}", color="{palette.MODEL_LINE}", penwidth=1.2, arrowsize=0.7];',
        *canvas.lines,
        *edges,
        "}",
    ]
    return "\n".join(out) + "\n"


def _title(canvas: _Canvas, plan: Roadmap, width: float, under: list[Part], logo_aspect: float | None) -> float:
    """The title band: the plan's title centred, the lines `under` it, and a place for the
    logo in the left corner (the title wraps clear of it on both sides, so it stays centred
    and covers no box). Returns the band's height."""
    logo_w = logo_h = 0.0
    if logo_aspect:
        logo_w = min(LOGO_W, LOGO_H * logo_aspect)
        logo_h = logo_w / logo_aspect
    room = width - 2 * (logo_w + GAP) if logo_aspect else width
    title: list[Part] = [(_wrap(plan.meta.title, room, 13), 13.0, BOLD, palette.TEXT), *under]
    height = max(canvas.height(title) + 4, logo_h)
    canvas.block("title", width / 2, height / 2, room, title)
    if logo_aspect:
        canvas.rect(LOGO_NODE, logo_w / 2, height / 2, logo_w, logo_h, "white", "white")
    return height


_LOGO_PLACE = re.compile(
    r'<g id="[^"]*" class="node">\s*<title>' + re.escape(LOGO_NODE) + r'</title>\s*<polygon[^>]*points="([^"]+)"[^>]*/>\s*</g>'
)


def with_logo(svg: str, logo: Logo | None) -> str:
    """The drawing with the plan's logo in the place `dot` held for it.

    The logo is embedded (a data: address), so the SVG, the PNG and PDF set from it, and the
    Green Paper pages that inline it all carry it. It has passed identity's one check
    (size, type, no scripts or outside references), and goes in as PNG or JPEG (an SVG logo
    set as PNG by typst): an image, which no viewer runs or lets fetch anything.
    """
    if logo is None:
        return svg
    found = _LOGO_PLACE.search(svg)
    if found is None:
        return svg
    import base64

    from .typeset import logo_raster

    xs, ys = zip(*((float(a), float(b)) for a, b in (p.split(",") for p in found.group(1).split())))
    mime, data = logo_raster(logo)
    image = (
        f'<g id="logo" class="logo"><image x="{min(xs):.2f}" y="{min(ys):.2f}" width="{max(xs) - min(xs):.2f}" '
        f'height="{max(ys) - min(ys):.2f}" preserveAspectRatio="xMidYMid meet" '
        f'xlink:href="data:{mime};base64,{base64.b64encode(data).decode("ascii")}"/></g>'
    )
    if "xmlns:xlink=" not in svg[: svg.index(">", svg.index("<svg"))]:
        svg = svg.replace("<svg", '<svg xmlns:xlink="http://www.w3.org/1999/xlink"', 1)
    return svg[: found.start()] + image + svg[found.end() :]


def _box(canvas: _Canvas, box: Box, height: float, tracked: bool) -> None:
    status = box.task.status
    fill = palette.FILL[status] if tracked else palette.MODEL_FILL
    line = palette.LINE[status] if tracked else palette.MODEL_LINE
    dashed = tracked and status in palette.DASHED
    canvas.rect(box.task.id, box.x, box.y, COL_W, height, fill, line, dashed=dashed, tooltip=box.task.title)
    added = box.task.origin.value == "added"
    canvas.block(
        box.task.id,
        box.x,
        box.y,
        COL_W,
        [
            ([box.head], SMALL, BOLD if added else palette.FONT, palette.MUTED),
            (box.lines, SIZE, palette.FONT, palette.TEXT),
            (box.details, SMALL, ITALIC, palette.MUTED),
        ],
    )


def _legend(plan: Roadmap, t: Catalogue, canvas: _Canvas, y: float, has_new: bool) -> float:
    """A row of sample boxes under the grid: what each colour means (and NEW)."""
    h = 2 * PAD + _lines_height(1, SIZE)
    cy = y + h / 2
    intro = t("flowchart.legend_as_of", date=t.date(plan.meta.as_of)) if plan.meta.as_of else t("flowchart.legend")
    canvas.block("legend:intro", (LABEL_W + GAP) / 2, cy, LABEL_W + GAP, [([intro], SIZE, BOLD, palette.TEXT)])
    x = LABEL_W + GAP
    w = COL_W * 0.75
    for status in (Status.done, Status.in_progress, Status.planned, Status.not_needed):
        name = f"legend:{status.value}"
        canvas.rect(name, x + w / 2, cy, w, h, palette.FILL[status], palette.LINE[status], dashed=status in palette.DASHED)
        canvas.block(name, x + w / 2, cy, w, [([t(f"status.{status.value}")], SIZE, palette.FONT, palette.TEXT)])
        x += w + GAP / 2
    if has_new:
        w2 = COL_W * 1.6
        canvas.block("legend:new", x + w2 / 2, cy, w2, [([t("flowchart.legend_new")], SIZE, palette.FONT, palette.MUTED)])
    return y + h + ROW_GAP


# ---------------------------------------------------------------------------------------
# Mermaid (GitHub renders it in Markdown files and issues)


# Mermaid inserts labels as HTML (sanitised); entities keep <, >, " and & as text,
# "#" is written &num; so Mermaid's own "#code;" escapes never fire on plan text, and "%"
# is written &percnt; because Mermaid looks for "%%{init: ...}%%" directives anywhere in
# the source, labels included: a title could otherwise reconfigure the whole chart.
_MERMAID_CODES = {"#": "&num;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "&": "&amp;", "%": "&percnt;"}


def _m(text: str) -> str:
    """Text inside a quoted Mermaid label: shown as written, never as markup or directive."""
    return re.sub(r'[#"<>&%]', lambda m: _MERMAID_CODES[m.group()], " ".join(text.split()))


def _mid(used: dict[str, str], ident: str) -> str:
    base = re.sub(r"[^A-Za-z0-9_]", "_", ident)
    name, n = base, 2
    while name in used.values():
        name, n = f"{base}_{n}", n + 1
    used[ident] = name
    return name


def mermaid(plan: Roadmap, *, details: bool = False, lang: str | None = None) -> str:
    """The flowchart in Mermaid: stages on top, then one left-to-right row per direction.

    Invisible links (~~~) between the subgraphs keep the rows in the directions' order.
    """
    t = catalogue(lang or plan.meta.language)
    tracked = plan.meta.kind == "plan"
    used: dict[str, str] = {}
    out = ["flowchart TB"]
    add = out.append
    if tracked:
        for status in Status:
            dash = ",stroke-dasharray:5 4" if status in palette.DASHED else ""
            add(f"  classDef {status.value} fill:{palette.FILL[status]},stroke:{palette.LINE[status]},color:{palette.TEXT}{dash}")
    else:
        add(f"  classDef task fill:{palette.MODEL_FILL},stroke:{palette.MODEL_LINE},color:{palette.TEXT}")
    add(f"  classDef stage fill:{palette.HEADER_FILL},stroke:{palette.HEADER_FILL},color:{palette.HEADER_TEXT}")
    add(f'  subgraph stages["{_m(t("flowchart.stages"))}"]')
    add("    direction LR")
    previous = None
    for stage in stages(plan):
        sid = _mid(used, f"stage:{stage.id}")
        message = f"<br/><i>{_m(stage.key_message)}</i>" if stage.key_message else ""
        add(f'    {sid}["{_m(t("flowchart.stage", number=stage.number))}: {_m(stage.name)}{message}"]:::stage')
        if previous:
            add(f"    {previous} --> {sid}")
        previous = sid
    for period in plan.periods() if not plan.stages else []:  # a work plan's columns are its periods
        sid = _mid(used, f"period:{period}")
        add(f'    {sid}["{_m(str(period))}"]:::stage')
        if previous:
            add(f"    {previous} --> {sid}")
        previous = sid
    add("  end")
    groups = ["stages"]
    for direction in directions(plan):
        tasks = sorted((x for x in plan.tasks if x.direction == direction.id), key=row_order)
        did = _mid(used, f"row:{direction.id}")
        add(f'  subgraph {did}["{_m(f"{direction.ref or direction.number}. {direction.name}")}"]')
        add("    direction LR")
        names = []
        for task in tasks:
            tid = _mid(used, task.id)
            names.append(tid)
            if task.stage is not None:
                head = f"{task.id} \u00b7 {t('flowchart.stage', number=plan.stage(task.stage).number)}"
            else:
                head = f"{task.ref or task.id} \u00b7 {years_text(plan, task) or t('change.no_timeframe')}"
            if task.origin.value == "added" and not plan.meta.start:
                head += f" \u00b7 {t('flowchart.new')}"
            label = f"<b>{_m(head)}</b><br/>{_m(box_text(task))}"
            if details:
                owner = owner_text(task) or (t("flowchart.no_owner") if _remaining(task) else "")
                info = " \u00b7 ".join(x for x in (owner, years_text(plan, task)) if x)
                label += f"<br/><i>{_m(info)}</i>"
            cls = task.status.value if tracked else "task"
            add(f'    {tid}["{label}"]:::{cls}')
        for a, b in zip(names, names[1:]):
            add(f"    {a} --> {b}")
        add("  end")
        groups.append(did)
    for a, b in zip(groups, groups[1:]):
        add(f"  {a} ~~~ {b}")
    return "\n".join(out) + "\n"


# A plan with more tasks than this is drawn as a summary (tasks per direction and stage).
# Print stops being legible long before (1,000 tasks already make a poster 16 m tall), but
# the SVG is also a working file: opened in a browser, zoomed and searched by task id, it
# serves up to about 10,000 boxes (some 10 MB and 40,000 elements). Beyond that browsers
# open it slowly or not at all, and Graphviz itself runs out of memory (it crashed at
# 50,000), so one box per task no longer helps anyone.
MAX_BOXES = 10_000


def too_large(plan: Roadmap) -> bool:
    return len(plan.tasks) > MAX_BOXES


def summary_dot(plan: Roadmap, *, lang: str | None = None, points: bool = False, logo_aspect: float | None = None) -> str:
    """Directions x stages with the number of tasks in each cell by status, for plans too large to draw."""
    t = catalogue(lang or plan.meta.language)
    tracked = plan.meta.kind == "plan"
    canvas = _Canvas(points)
    font = palette.FONT
    stage_list = stages(plan)
    col = COL_W * 1.3
    width = LABEL_W + GAP + len(stage_list) * (col + GAP) - GAP

    def cx(j: int) -> float:
        return LABEL_W + GAP + j * (col + GAP) + col / 2

    counts: dict[tuple[str, str], dict[Status, int]] = {}
    for task in plan.tasks:
        cell = counts.setdefault((task.direction, task.stage), {})
        cell[task.status] = cell.get(task.status, 0) + 1
    under: list[Part] = [
        ([t("flowchart.heading")], SIZE, font, palette.MUTED),
        (_wrap(t.plural("flowchart.summary", len(plan.tasks), limit=t.number(MAX_BOXES)), width, SIZE), SIZE, ITALIC, palette.MUTED),
    ]
    y = _title(canvas, plan, width, under, logo_aspect) + ROW_GAP
    heads = [
        [
            ([t("flowchart.stage", number=stage.number)], SMALL, font, palette.HEADER_TEXT),
            (_wrap(stage.name, col, HEAD), HEAD, font, palette.HEADER_TEXT),
        ]
        for stage in stage_list
    ]
    corner: list[Part] = [(_wrap(t("flowchart.corner"), LABEL_W, HEAD), HEAD, BOLD, palette.HEADER_TEXT)]
    head_h = 2 * PAD + max(canvas.height(p) for p in [*heads, corner])
    cy = y + head_h / 2
    canvas.rect("corner", LABEL_W / 2, cy, LABEL_W, head_h, palette.HEADER_FILL, palette.HEADER_FILL)
    canvas.block("corner", LABEL_W / 2, cy, LABEL_W, corner)
    for j, (stage, parts) in enumerate(zip(stage_list, heads)):
        canvas.rect(f"stage:{stage.id}", cx(j), cy, col, head_h, palette.HEADER_FILL, palette.HEADER_FILL)
        canvas.block(f"stage:{stage.id}", cx(j), cy, col, parts)
    y += head_h + ROW_GAP
    order = (Status.done, Status.in_progress, Status.planned, Status.not_needed)
    for number, direction in enumerate(directions(plan)):
        label = _wrap(f"{direction.number}. {direction.name}", LABEL_W, SIZE)
        cells = []
        for stage in stage_list:
            found = counts.get((direction.id, stage.id), {})
            total = sum(found.values())
            lines = [t.plural("flowchart.summary_cell", total)]
            if tracked and total:
                lines += [f"{t(f'status.{s.value}')}: {t.number(found[s])}" for s in order if found.get(s)]
            cells.append(lines)
        h = 2 * PAD + max([_lines_height(len(label), SIZE)] + [_lines_height(len(c), SIZE) for c in cells])
        middle = y + h / 2
        canvas.rect(f"row:{number}", LABEL_W / 2, middle, LABEL_W, h, palette.ROW_FILL, palette.ROW_FILL)
        canvas.block(f"row:{number}", LABEL_W / 2, middle, LABEL_W, [(label, SIZE, BOLD, palette.TEXT)])
        for j, lines in enumerate(cells):
            name = f"cell:{direction.id}:{stage_list[j].id}"
            canvas.rect(name, cx(j), middle, col, h, palette.MODEL_FILL, palette.MODEL_LINE)
            canvas.block(name, cx(j), middle, col, [(lines, SIZE, font, palette.TEXT)])
        y += h + ROW_GAP
    out = [
        "digraph flowchart {",
        f'  graph [layout=neato, splines=false, outputorder=edgesfirst, pad=0.3, fontname="{font}", bgcolor="white"];',
        f'  node [shape=box, fixedsize=true, fontname="{font}", fontsize={SIZE:g}, fontcolor="{palette.TEXT}", '
        'style="filled", penwidth=1.2, margin=0];',
        *canvas.lines,
        "}",
    ]
    return "\n".join(out) + "\n"


def _summary_mermaid(plan: Roadmap, lang: str | None) -> str:
    """The summary in Mermaid: one row per direction, one node per stage with its counts."""
    t = catalogue(lang or plan.meta.language)
    tracked = plan.meta.kind == "plan"
    counts: dict[tuple[str, str], dict[Status, int]] = {}
    for task in plan.tasks:
        cell = counts.setdefault((task.direction, task.stage), {})
        cell[task.status] = cell.get(task.status, 0) + 1
    used: dict[str, str] = {}
    out = ["flowchart TB", f'  note["{_m(t.plural("flowchart.summary", len(plan.tasks), limit=t.number(MAX_BOXES)))}"]']
    groups = ["note"]
    for direction in directions(plan):
        did = _mid(used, f"row:{direction.id}")
        out += [f'  subgraph {did}["{_m(f"{direction.number}. {direction.name}")}"]', "    direction LR"]
        for stage in stages(plan):
            found = counts.get((direction.id, stage.id), {})
            label = f"<b>{_m(t('flowchart.stage', number=stage.number))}</b><br/>{_m(t.plural('flowchart.summary_cell', sum(found.values())))}"
            if tracked:
                label += "".join(f"<br/>{_m(t(f'status.{s.value}'))}: {t.number(n)}" for s, n in sorted(found.items(), key=lambda x: list(Status).index(x[0])))
            out.append(f'    {_mid(used, f"cell:{direction.id}:{stage.id}")}["{label}"]')
        out.append("  end")
        groups.append(did)
    out += [f"  {a} ~~~ {b}" for a, b in zip(groups, groups[1:])]
    return "\n".join(out) + "\n"


_DRAWN: dict[tuple[int, str, bool, str | None, str | None, Logo | None], bytes] | None = None


@contextmanager
def reused() -> Iterator[None]:
    """Inside, a plan drawn again in the same format is not drawn again.

    `publish` puts the flowchart in the Green Paper (SVG in HTML, PNG in Word) and beside
    it (SVG, PNG, PDF): one Graphviz run per format instead of one per document. The plan
    must not change inside (publish loads it once and only reads it).
    """
    global _DRAWN
    outer = _DRAWN
    _DRAWN = {} if outer is None else outer
    try:
        yield
    finally:
        _DRAWN = outer


def render(
    plan: Roadmap,
    fmt: str,
    *,
    details: bool = False,
    lang: str | None = None,
    paper: str | None = None,
    say: Callable[[str], None] | None = None,
    logo: Logo | None = None,
) -> bytes:
    """The flowchart in one of FORMATS, as the bytes of the file.

    A plan with more than MAX_BOXES tasks is drawn as a summary (Mermaid too), and `say`
    is told so. `logo` (identity.read_logo) goes into the title band's corner of the SVG,
    PNG and PDF.
    """
    lang = lang or plan.meta.language  # the same drawing whether or not the caller names the plan's language
    key = (id(plan), fmt, details, lang, paper, logo)
    if _DRAWN is not None and key in _DRAWN:
        return _DRAWN[key]
    image = _render(plan, fmt, details=details, lang=lang, paper=paper, say=say, logo=logo)
    if _DRAWN is not None:
        _DRAWN[key] = image
    return image


def _render(
    plan: Roadmap,
    fmt: str,
    *,
    details: bool,
    lang: str | None,
    paper: str | None,
    say: Callable[[str], None] | None,
    logo: Logo | None,
) -> bytes:
    if fmt in ("png", "pdf"):  # pages set from the SVG (drawn once inside `reused`)
        svg = render(plan, "svg", details=details, lang=lang, say=say, logo=logo).decode("utf-8")
        return print_drawing(svg, fmt, plan, paper=paper, lang=lang)
    aspect = logo.aspect if logo is not None and fmt == "svg" else None  # DOT and Mermaid name no image
    if too_large(plan):
        if say is not None:
            t = catalogue(lang or plan.meta.language)
            say(t.plural("flowchart.too_large", len(plan.tasks), limit=t.number(MAX_BOXES)))
        if fmt == "mermaid":
            return _summary_mermaid(plan, lang).encode("utf-8")
        make = functools.partial(summary_dot, plan, lang=lang, logo_aspect=aspect)
    else:
        if fmt == "mermaid":
            return mermaid(plan, details=details, lang=lang).encode("utf-8")
        make = functools.partial(dot, plan, details=details, lang=lang, logo_aspect=aspect)
    if fmt == "dot":
        return make().encode("utf-8")
    from .graphviz_engine import render_pinned

    svg = palette.svg_fonts(render_pinned(lambda points: make(points=points), "svg").decode("utf-8"))
    return with_logo(svg, logo).encode("utf-8")


def print_drawing(svg: str, fmt: str, plan: Roadmap, *, paper: str | None, lang: str | None) -> bytes:
    """PNG or PDF of a drawing made as SVG, through typst (no system program needed).

    The PDF is landscape pages of a paper size (A3 unless `paper` says a4): one page when
    the 9 pt box text prints at 7 pt or more, else tiles at 7 pt (see typeset.place).
    """
    from . import typeset
    from .office import document_date

    when = document_date(plan)
    if fmt == "png":
        return typeset.svg_to_png(svg, when=when)
    t = catalogue(lang or plan.meta.language)
    return typeset.drawing_pages(
        svg, paper=paper or "a3", title=plan.meta.title, when=when, lang=t.lang, part=t("doc.part")
    )
