"""A drawing as pinned rectangles, lines and text: written as SVG, or as DOT for PNG.

The timeline is computed here, not by a layout engine, so its SVG is written directly
(through a jinja2 template: deterministic, no Graphviz needed). PNG needs a rasteriser;
the one a road-map machine already has is Graphviz, so the same primitives are also
written as DOT with every node pinned, which system `dot` turns into PNG.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from . import palette


@dataclass(frozen=True)
class Rect:
    kind: ClassVar[str] = "rect"
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str = "none"
    dashed: bool = False
    title: str = ""  # a tooltip in SVG


@dataclass(frozen=True)
class Line:
    kind: ClassVar[str] = "line"
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float = 1.0
    dashed: bool = False


@dataclass(frozen=True)
class Text:
    kind: ClassVar[str] = "text"
    x: float
    y: float  # the baseline
    text: str
    size: float = 9.0
    anchor: str = "start"  # start, middle, end
    bold: bool = False
    italic: bool = False
    fill: str = palette.TEXT


@dataclass
class Scene:
    width: float
    height: float
    items: list[Rect | Line | Text] = field(default_factory=list)
    title: str = ""

    def add(self, item: Rect | Line | Text) -> None:
        self.items.append(item)


def to_svg(scene: Scene) -> str:
    from .templating import environment

    return environment().get_template("scene.svg.j2").render(scene=scene, font=palette.FONT_STACK)


def _in(points: float) -> str:
    return f"{points / 72:.4f}"


def _q(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


# Average glyph width of DejaVu Sans as a share of the font size: text nodes need a width.
_CHAR = 0.6


def to_dot(scene: Scene, *, points: bool = False) -> str:
    """The same drawing for Graphviz (`layout=neato`, every node pinned); y grows downwards.

    `points=True` writes the positions in points, for `neato -n` (no layout run).
    """
    font = palette.FONT

    def pos(x: float, y: float) -> str:
        if points:
            return f'pos="{round(x / 72, 4) * 72:.4f},{round(y / 72, 4) * 72:.4f}"'
        return f'pos="{_in(x)},{_in(y)}!"'

    out = [
        "digraph scene {",
        f'  graph [layout=neato, pad=0.1, fontname="{font}", bgcolor="white"];',
        f'  node [fixedsize=true, fontname="{font}", margin=0, penwidth=1];',
        f'  edge [fontname="{font}"];',
    ]
    # Two invisible corner points keep the whole canvas, margins included.
    corner = pos(0, 0) if points else 'pos="0,0!"'
    out.append(f"  c0 [shape=point, style=invis, width=0.01, {corner}];")
    out.append(f'  c1 [shape=point, style=invis, width=0.01, {pos(scene.width, -scene.height)}];')
    for n, item in enumerate(scene.items):
        name = f"i{n}"
        if isinstance(item, Rect):
            style = "filled,dashed" if item.dashed else "filled"
            colour = item.stroke if item.stroke != "none" else item.fill
            out.append(
                f'  {name} [shape=box, label="", style="{style}", fillcolor="{item.fill}", color="{colour}", '
                f'width={_in(item.w)}, height={_in(item.h)}, {pos(item.x + item.w / 2, -(item.y + item.h / 2))}];'
            )
        elif isinstance(item, Line):
            # a line is an edge between two invisible pinned points
            out.append(f'  {name}a [shape=point, style=invis, width=0.01, {pos(item.x1, -item.y1)}];')
            out.append(f'  {name}b [shape=point, style=invis, width=0.01, {pos(item.x2, -item.y2)}];')
            style = "dashed" if item.dashed else "solid"
            out.append(
                f'  {name}a -> {name}b [dir=none, color="{item.stroke}", penwidth={item.width:g}, style={style}];'
            )
        else:
            face = font + (" Bold" if item.bold else "") + (" Oblique" if item.italic else "")
            w = max(len(item.text), 1) * item.size * _CHAR + 4
            h = item.size * 1.3
            # the node's box is placed so its text sits on the baseline the SVG uses
            cy = item.y - item.size * 0.35
            if item.anchor == "start":
                cx, just = item.x + w / 2, "\\l"
            elif item.anchor == "end":
                cx, just = item.x - w / 2, "\\r"
            else:
                cx, just = item.x, "\\n"
            label = _q(item.text)[:-1] + just + '"'
            out.append(
                f'  {name} [shape=plaintext, label={label}, fontname="{face}", fontsize={item.size:g}, '
                f'fontcolor="{item.fill}", width={_in(w)}, height={_in(h)}, {pos(cx, -cy)}];'
            )
    out.append("}")
    return "\n".join(out) + "\n"
