"""The status colours and the font every rendered format shares.

One palette for the flowchart, the timeline, the spreadsheets and the web pages, so a
reader who learns "pale green is done" in one document can read the others. The fills are
light enough for black text to stay readable when printed in greyscale; the border
colours carry the hue.
"""

from __future__ import annotations

from ..model import Status

FONT = "DejaVu Sans"  # has Cyrillic; named explicitly wherever text is drawn
FONT_STACK = "'DejaVu Sans', Verdana, 'Noto Sans', Arial, sans-serif"  # web pages and SVG

FILL = {
    Status.done: "#c6efce",
    Status.in_progress: "#ffeb9c",
    Status.planned: "#ffc7ce",
    Status.not_needed: "#eeeeee",
}
LINE = {
    Status.done: "#2e7d32",
    Status.in_progress: "#b7950b",
    Status.planned: "#c62828",
    Status.not_needed: "#9e9e9e",
}
DASHED = {Status.not_needed}

# A model is not tracked: its boxes are drawn neutral, not as "not started".
MODEL_FILL = "#ffffff"
MODEL_LINE = "#1f4e79"

HEADER_FILL = "#1f4e79"
HEADER_TEXT = "#ffffff"
ROW_FILL = "#dde5ee"
TEXT = "#1a1a1a"
MUTED = "#555555"
TODAY_LINE = "#c62828"


def hex_rgb(colour: str) -> str:
    """'#c6efce' -> 'C6EFCE' (the form openpyxl and Word want)."""
    return colour.lstrip("#").upper()


_FACES = (
    (f"{FONT} Bold Oblique", ' font-weight="bold" font-style="italic"'),
    (f"{FONT} Bold", ' font-weight="bold"'),
    (f"{FONT} Oblique", ' font-style="italic"'),
    (FONT, ""),
)


def svg_fonts(svg: str) -> str:
    """Graphviz names faces ("DejaVu Sans Bold") as families, which browsers do not know:
    turn them into a family with fallbacks plus weight and style attributes."""
    family = FONT_STACK
    for face, attributes in _FACES:
        svg = svg.replace(f'font-family="{face}"', f'font-family="{family}"{attributes}')
    return svg
