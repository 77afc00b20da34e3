"""Plan text on its way out to a terminal, a spreadsheet or a link: shown, never obeyed.

A plan is written by many hands and travels by e-mail; its words must not drive the
reader's tools. Three outlets interpret text, so three functions, each used at its one
boundary:

- a terminal obeys escape sequences (colours, titles, hyperlinks via OSC 8, cursor
  moves that hide lines): `for_terminal` removes them and every other control character;
- a spreadsheet obeys formulas (`=HYPERLINK(...)`, DDE via `=cmd|...`): `csv_cell` puts
  the OWASP-recommended single quote in front of a text cell that starts like one, and
  `formula_like` tells the Excel writer to store such a cell as a string;
- a browser obeys a link's scheme: `relative_href` makes a file name a relative link
  (`./javascript:alert(1).yaml` is a file, not a script).

HTML, SVG and Mermaid escaping live with their renderers (jinja2's autoescape, the SVG
writer, the Mermaid label encoder); these are the outlets that had none.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

# ESC sequences first, so their parameters go with them: CSI (ESC [ ... final), OSC
# (ESC ] ... BEL or ST), other two-byte escapes; then any control character left: C0
# except tab and newline, DEL, C1 (U+0080-U+009F, which terminals also obey: U+009B is
# CSI), and the bidirectional overrides that make a line read differently from its bytes.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, terminated or not
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[ -~]?"  # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def for_terminal(text: str) -> str:
    """The text without escape sequences and control characters (tab and newline stay)."""
    return _ESCAPE.sub("", text)


def for_terminal_data(value: Any) -> Any:
    """`for_terminal` on every string in plain data (what a rich view is built from)."""
    if isinstance(value, str):
        return for_terminal(value)
    if isinstance(value, dict):
        return {k: for_terminal_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(for_terminal_data(v) for v in value)
    return value


# What Excel, LibreOffice and Google Sheets read as the start of a formula (OWASP "CSV
# injection"): = + - @, and tab or carriage return, which some of them skip first.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """A text cell a spreadsheet would evaluate. Numbers are numbers: -3 stays -3."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """A CSV cell that opens as the text it is: a leading single quote where needed."""
    return "'" + value if formula_like(value) else value


def relative_href(name: str) -> str:
    """A link to a file beside the page: `./` and percent-encoding, so no scheme can form."""
    return "./" + urllib.parse.quote(name, safe="")
