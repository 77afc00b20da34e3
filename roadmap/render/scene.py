"""A drawing as pinned rectangles, lines and text, written as SVG.

The timeline is computed here, not by a layout engine, so its SVG is written directly
(through a jinja2 template: deterministic, no Graphviz needed); typst turns that SVG into
PNG and PDF (render/typeset.py).
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
