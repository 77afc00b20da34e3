"""YAML as text: fast parsing, located diagnostics, and edits spliced into the text.

Two parsers, each for what it does best. `yaml_rs` (Rust) turns a whole plan into data
in a fraction of a second even at 10,000 tasks; ruamel.yaml's composer gives nodes with
line and column marks, and is used only on the small piece of text an edit or an error
message is about. Edits never re-dump the file: the changed value is emitted on its own
and spliced into the text, so comments, key order, quoting and every untouched line
survive byte for byte. The store re-parses the result and checks it equals the intended
data before anything is written.

Invariants (held by tests/test_yamltext.py and tests/test_hostile_input.py):

1. One reading path. A text `parse` accepts holds none of the characters the two
   parsers read differently (`FORBIDDEN`: C0 controls but tab and newline, CR, DEL, C1
   controls, U+2028/U+2029, a BOM or non-character inside the text), and every piece
   of it that holds a tab composes in ruamel too. So whatever `parse` accepts, the
   editing path can compose; everything else is refused up front, located.
2. Texts here have "\n" line ends only; the store maps the file's own line ends (CRLF,
   CR, mixed) to and from this form (`store.TextForm`).
3. Every exception of either parser leaves this module as a `YamlProblem` with a 1-based
   line and column where one is known; nothing else escapes `parse`, `locate`, the
   `splice_*` functions or `Locator`.
4. Diagnostics are linear: a `Locator` finds list items and the block collections
   inside them by reading lines (checked against composing by a property test), and
   composes each piece of text at most once however many findings it locates; nothing
   here expands aliases or recurses per list item.
5. `emit_*` never writes a `FORBIDDEN` character raw: such text is written escaped in
   double quotes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import yaml_rs

Path = tuple[str | int, ...]


class YamlProblem(Exception):
    """A text that is not acceptable YAML for a plan; carries a 1-based location."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# ---------------------------------------------------------------------------------------
# Parsing


_NO_ALIASES = yaml_rs.AliasLimits(max_total_replayed_events=0)

# Characters the two parsers read differently, or that break a plan's other outputs (XML,
# spreadsheets, terminals). "\t" and "\n" are fine; "\r" never reaches here (invariant 2).
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")

_CHARACTER_NAMES = {
    "\x00": "a NUL (zero) byte",
    "\x0b": "a vertical tab (Word's Shift+Enter line break)",
    "\x0c": "a form feed (page break)",
    "\r": "a carriage return",
    "\x1b": "an ESC (terminal escape) character",
    "\x7f": "a DEL character",
    "\x85": "a NEL (next line) character",
    "\u2028": "a line separator (U+2028, invisible)",
    "\u2029": "a paragraph separator (U+2029, invisible)",
    "\ufeff": "a byte-order mark (U+FEFF, invisible) inside the text",
}


def character_name(char: str) -> str:
    """How messages name an unwanted character: what it is, not just its number."""
    return _CHARACTER_NAMES.get(char, f"the control character U+{ord(char):04X}")


def forbidden_problem(text: str) -> YamlProblem | None:
    """The first FORBIDDEN character, located (one regex pass over the text)."""
    match = FORBIDDEN.search(text)
    if match is None:
        return None
    at = match.start()
    line_start = text.rfind("\n", 0, at) + 1
    return YamlProblem(
        f"{character_name(match.group())} is not allowed in a plan: delete it "
        "(or retype the text around it)",
        text.count("\n", 0, at) + 1,
        at - line_start + 1,
    )


def parse(text: str) -> Any:
    """Text to plain data (YAML 1.2 core schema; dates stay strings for pydantic)."""
    problem = forbidden_problem(text)
    if problem is not None:
        raise problem
    try:
        data = yaml_rs.loads(text, parse_datetime=False, alias_limits=_NO_ALIASES)
    except Exception as exc:  # noqa: BLE001 - yaml_rs.YAMLDecodeError, or anything else it raises
        raise diagnose(text, str(exc)) from None
    if isinstance(data, list):
        problem = _second_document(text)
        if problem is not None:
            raise problem
    if _maybe_anchor(text):
        problem = _anchor_problem(text)
        if problem is not None:
            raise problem
    if "\t" in text:
        problem = _tab_problem(text)
        if problem is not None:
            raise problem
    if "\\" in text:
        problem = _escaped_problem(text, data)
        if problem is not None:
            raise problem
    return data


def _with_ids(data: Any, path: Path) -> Path:
    """Indices into lists of things with ids shown as the ids (tasks[DAT-2].title)."""
    shown: list[str | int] = []
    node = data
    for key in path:
        item = node[key] if isinstance(node, (dict, list)) else None
        ident = item.get("id") if isinstance(node, list) and isinstance(item, dict) else None
        shown.append(ident if isinstance(ident, str) and ident else key)
        node = item
    return tuple(shown)


def _escaped_problem(text: str, data: Any) -> YamlProblem | None:
    """A double-quoted value can spell an unwanted character as an escape ("\\v", "\\x1b"),
    which the scan of the raw text cannot see; Excel, Word and XML then refuse it. Only a
    text with a backslash can hold one, so only such texts are walked (iteratively)."""
    stack: list[tuple[Path, Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str) and FORBIDDEN.search(key):
                    node, path = key, (*path, key)
                    break
                stack.append(((*path, key), value))
            else:
                continue
        elif isinstance(node, list):
            stack.extend(((*path, i), value) for i, value in enumerate(node))
            continue
        if isinstance(node, str):
            match = FORBIDDEN.search(node)
            if match is not None:
                line, column = Locator(text, data).line_of(path) or (None, None)
                return YamlProblem(
                    f"{format_path(_with_ids(data, path))}: {character_name(match.group())}, written as an escape, is not "
                    "allowed in a plan: delete it (or retype the text around it)",
                    line,
                    column,
                )
    return None


def _maybe_anchor(text: str) -> bool:
    """An anchor starts a node: "&name" after a line start, a space, "[", "{" or ",".

    Text that only looks like one (inside quotes or prose) is cleared by the event scan;
    this pre-check keeps that scan off the common path (a regex over megabytes is slow).
    """
    at = text.find("&")
    while at >= 0:
        before = text[at - 1] if at else "\n"
        after = text[at + 1 : at + 2]
        if before in " \t\n[{," and after and after not in " \t\r\n,[]{}":
            return True
        at = text.find("&", at + 1)
    return False


def _anchor_problem(text: str) -> YamlProblem | None:
    try:
        for event in _events(text):
            anchor = getattr(event, "anchor", None)
            if anchor and type(event).__name__ != "AliasEvent":
                mark = event.start_mark
                return YamlProblem(
                    f"YAML anchors (&{anchor}) and aliases are not allowed in a plan: write the value out in full",
                    mark.line + 1,
                    mark.column + 1,
                )
    except Exception as exc:  # noqa: BLE001 - the editing parser refuses what the fast one took
        return _ruamel_problem(exc)
    return None


def _tab_problem(text: str) -> YamlProblem | None:
    """Tabs the editing parser cannot read (a tab-only line, a tab after a value...).

    ruamel.yaml reads tabs only inside quotes, block text and comments; yaml_rs reads
    more. Compose each piece of text an edit could compose that holds a tab: pieces
    without tabs read the same in both parsers.
    """
    for piece in _pieces_holding(text, [m.start() for m in re.finditer("\t", text)]):
        try:
            _compose(text[piece.start : piece.end], piece.line)
        except YamlProblem as exc:
            line = _line_text(text, exc.line)
            if "\t" in line:
                return YamlProblem(
                    "a tab here cannot be read back when the plan is edited: replace it with spaces "
                    "(tabs are fine only inside quotes, | text and comments)",
                    exc.line,
                    line.index("\t") + 1,
                )
            return exc
    return None


def _line_text(text: str, number: int | None) -> str:
    """The 1-based line `number` of the text, or "" (found without splitting the text)."""
    if not number:
        return ""
    start = 0
    for _ in range(number - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)]


def _pieces_holding(text: str, offsets: list[int]) -> list[Piece]:
    """The pieces `_start` would compose for these offsets (list items, else blocks)."""
    blocks = top_level_blocks(text)
    lines = Lines(text)
    items: dict[int, tuple[list[Piece], list[int]]] = {}
    chosen: dict[tuple[int, int], Piece] = {}
    import bisect

    starts = [b.start for b in blocks]
    for at in offsets:
        i = bisect.bisect_right(starts, at) - 1
        if i < 0 or at >= blocks[i].end:
            return [Piece(0, len(text), 0)]
        block = blocks[i]
        if block.start not in items:
            found = sequence_items(text, block, lines) or []
            items[block.start] = found, [p.start for p in found]
        inside, item_starts = items[block.start]
        j = bisect.bisect_right(item_starts, at) - 1
        piece = inside[j] if j >= 0 and at < inside[j].end else Piece(block.start, block.end, lines.line(block.start))
        chosen[(piece.start, piece.end)] = piece
    return list(chosen.values())


_DOCUMENT_MARK = re.compile(r"^(?:---|\.\.\.)(?:[ \t]|$)", re.M)


_CONTENT_LINE = re.compile(r"^(?!(?:---|\.\.\.)(?:[ \t]|$))[ \t]*[^\s#%]", re.M)


def _second_document(text: str) -> YamlProblem | None:
    """A list read from a file with a document mark may be several documents, not a plan:
    a --- after content, or a ... before content, ends one (each found in one pass)."""
    first = last = None
    for match in _CONTENT_LINE.finditer(text):
        first = match.start() if first is None else first
        last = match.start()
    if first is None:
        return None
    for mark in _DOCUMENT_MARK.finditer(text):
        if (mark.group().startswith("-") and first < mark.start()) or (
            mark.group().startswith(".") and last > mark.start()
        ):
            return YamlProblem(
                "the file holds several YAML documents (a line of --- or ... ends one); a plan is one "
                "document: delete the line, or split the file",
                text.count("\n", 0, mark.start()) + 1,
                1,
            )
    return None


_LOCATED = re.compile(r"line (\d+), column (\d+)")


def diagnose(text: str, fast_message: str) -> YamlProblem:
    """Explain a parse failure with a line number and a sentence a clerk can act on."""
    if "\t" in text:
        for number, line in enumerate(text.splitlines(), 1):
            indent = line[: len(line) - len(line.lstrip())]
            if "\t" in indent:
                return YamlProblem(
                    "a tab is used for indentation; YAML allows only spaces: replace the tab with spaces",
                    number,
                    indent.index("\t") + 1,
                )
    if "alias" in fast_message:
        return _alias_problem(text)
    if "duplicate" in fast_message:
        return _duplicate_problem(text, fast_message)
    match = _LOCATED.search(fast_message)
    last = [ln for ln in fast_message.splitlines() if ln.strip()]
    reason = last[-1].strip() if last else fast_message
    if match:
        return YamlProblem(f"not valid YAML: {reason}", int(match.group(1)), int(match.group(2)))
    return YamlProblem(f"not valid YAML: {reason}")


def _events(text: str) -> Iterator[Any]:
    from ruamel.yaml import YAML

    return YAML(typ="rt").parse(_ruamel_view(text))  # a generator: callers catch what it raises


def _alias_problem(text: str) -> YamlProblem:
    from ruamel.yaml.events import AliasEvent

    try:
        for event in _events(text):
            if isinstance(event, AliasEvent):
                mark = event.start_mark
                return YamlProblem(
                    f"YAML aliases (*{event.anchor}) and anchors are not allowed in a plan: "
                    "write the value out in full",
                    mark.line + 1,
                    mark.column + 1,
                )
    except Exception as exc:  # noqa: BLE001 - any parser failure still deserves a located message
        return _ruamel_problem(exc)
    return YamlProblem("YAML aliases and anchors are not allowed in a plan")


def _duplicate_problem(text: str, fast_message: str) -> YamlProblem:
    if _maybe_anchor(text):  # aliases are refused anyway; and walking them could explode
        problem = _anchor_problem(text)
        if problem is not None:
            return problem
    try:
        root = _compose(text)
    except YamlProblem as exc:
        return exc
    stack = [root] if root is not None else []
    seen_nodes: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen_nodes:  # an alias shares its node: visit it once
            continue
        seen_nodes.add(id(node))
        if node.id == "mapping":
            seen: dict[Any, Any] = {}
            for key, value in node.value:
                if key.id == "scalar" and key.value in seen:
                    first, second = seen[key.value].start_mark, key.start_mark
                    return YamlProblem(
                        f'duplicate key "{key.value}": it appears on line {first.line + 1} '
                        f"and again on line {second.line + 1}; keep one of them",
                        second.line + 1,
                        second.column + 1,
                    )
                seen.setdefault(key.value, key)
                stack.append(value)
        elif node.id == "sequence":
            stack.extend(node.value)
    return YamlProblem(f"not valid YAML: {fast_message}")


def _ruamel_problem(exc: BaseException, line_offset: int = 0) -> YamlProblem:
    """Any exception of ruamel.yaml (reader, scanner, parser, composer...) as a YamlProblem."""
    if isinstance(exc, YamlProblem):
        return exc
    if isinstance(exc, RecursionError):
        return YamlProblem("not valid YAML: the values are nested too deeply")
    text = str(exc).strip()
    problem = getattr(exc, "problem", None) or (text.splitlines()[0] if text else type(exc).__name__)
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return YamlProblem(f"not valid YAML: {problem}", line_offset + mark.line + 1, mark.column + 1)
    return YamlProblem(f"not valid YAML: {problem}")


# ---------------------------------------------------------------------------------------
# Locating nodes


@dataclass(frozen=True)
class Piece:
    """A slice of the text that parses on its own, and where it sits in the whole."""

    start: int  # character offset in the whole text
    end: int
    line: int  # 0-based line of `start`


class _LinePattern:
    """A pattern that matches only at line starts, found fast in megabytes of text.

    Same matches as `re.compile("^" + body, re.M)`, whose engine tries every position of
    the text (0.1 s per search of a 9 MB plan); a search for a newline followed by the
    body lets it jump from newline to newline (about 7 times faster). The match returned
    is the body's own, so groups and offsets are the same as with "^".
    """

    def __init__(self, body: str) -> None:
        self._at = re.compile(body, re.M)  # re.M: "$" in the body still means a line's end
        self._after_newline = re.compile(f"\n(?={body})", re.M)

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        endpos = len(text) if endpos is None else endpos
        if pos == 0 or (0 < pos <= len(text) and text[pos - 1] == "\n"):
            match = self._at.match(text, pos, endpos)
            if match is not None:
                return match
        found = self._after_newline.search(text, pos, endpos)
        return self._at.match(text, found.start() + 1, endpos) if found is not None else None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        endpos = len(text) if endpos is None else endpos
        while pos <= endpos:
            match = self.search(text, pos, endpos)
            if match is None:
                return
            yield match
            pos = match.end() if match.end() > match.start() else match.start() + 1

    def starts(self, text: str, pos: int = 0, endpos: int | None = None) -> list[int]:
        """Where `finditer` matches start, in one regex pass (no match object per line)."""
        endpos = len(text) if endpos is None else endpos
        first = [pos] if (pos == 0 or 0 < pos <= len(text) and text[pos - 1] == "\n") and self._at.match(text, pos, endpos) else []
        return first + [m.start() + 1 for m in self._after_newline.finditer(text, pos, endpos)]


_TOP_KEY = _LinePattern(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?=\s|$)")
_TOP_BOUNDARY = _LinePattern(r"(?:[^\s#\-]|-[^\s]|---|\.\.\.)")


def top_level_block(text: str, key: str) -> Piece | None:
    """The lines of a top-level key and its value, found by scanning the text."""
    for match in _TOP_KEY.finditer(text):
        if match.group("key") != key:
            continue
        after = text.find("\n", match.start())
        if after < 0:
            return Piece(match.start(), len(text), text.count("\n", 0, match.start()))
        nxt = _TOP_BOUNDARY.search(text, after + 1)
        end = nxt.start() if nxt else len(text)
        return Piece(match.start(), end, text.count("\n", 0, match.start()))
    return None


def top_level_blocks(text: str) -> list[Piece]:
    """Every top-level key's block, in order, in one pass over the text."""
    blocks = []
    for match in _TOP_KEY.finditer(text):
        if blocks and match.start() < blocks[-1].end:
            continue
        after = text.find("\n", match.start())
        nxt = _TOP_BOUNDARY.search(text, after + 1) if after >= 0 else None
        end = len(text) if after < 0 else (nxt.start() if nxt else len(text))
        blocks.append(Piece(match.start(), end, -1))
    return blocks


class Lines:
    """Offset -> 0-based line number, by bisection (counting newlines each time is O(n))."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.starts, offset) - 1


_ITEM = _LinePattern(r"( *)-(?:[ \t]|$)")


def sequence_items(text: str, block: Piece, lines: Lines | None = None) -> list[Piece] | None:
    """The items of a top-level block sequence ('key:\\n  - a\\n  - b'), each as its lines."""
    body_start = text.find("\n", block.start)
    if body_start < 0 or body_start >= block.end:
        return None
    body_start += 1
    first = _ITEM.search(text, body_start, block.end)
    if not first:
        return None
    indent = first.group(1)
    # Only blank lines and comments may come before the first dash (else it is a mapping).
    before = text[body_start : first.start()].splitlines()
    if any(ln.strip() and not ln.lstrip().startswith("#") for ln in before):
        return None
    same = _LinePattern(rf"{indent}-(?:[ \t]|$)")
    starts = same.starts(text, first.start(), block.end)
    pieces = []
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else block.end
        pieces.append(Piece(s, e, lines.line(s) if lines else -1))  # -1: not needed, not counted
    return pieces


@dataclass
class Located:
    """A node found by path; `node` is a ruamel node whose marks are relative to `piece`."""

    node: Any
    piece: Piece
    parent: Any = None  # the mapping or sequence node holding it
    key_node: Any = None  # for a mapping entry: the key's node

    def offset(self, index: int) -> int:
        return self.piece.start + index


_BLANK_WITH_TAB = re.compile(r"^[ \t]*\t[ \t]*$", re.M)


def _ruamel_view(text: str) -> str:
    """The text as ruamel should see it: blank lines holding tabs (nothing to yaml_rs, a
    scanner error to ruamel) become spaces of the same length, so every mark still holds."""
    if "\t" not in text:
        return text
    return _BLANK_WITH_TAB.sub(lambda m: " " * len(m.group()), text)


def _compose(text: str, line_offset: int = 0) -> Any:
    """ruamel's node tree of a piece of text whose first line is line `line_offset` (0-based)."""
    from ruamel.yaml import YAML

    try:
        return YAML(typ="rt").compose(_ruamel_view(text))
    except Exception as exc:  # noqa: BLE001 - invariant 3: only YamlProblem leaves this module
        raise _ruamel_problem(exc, line_offset) from None


def _child(node: Any, key: str | int) -> tuple[Any, Any] | None:
    """(key_node, value_node) of a mapping entry, or (None, item) of a sequence item."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    if isinstance(node, MappingNode) and isinstance(key, str):
        for k, v in node.value:
            if k.value == key:
                return k, v
        return None
    if isinstance(node, SequenceNode):
        if isinstance(key, int):
            return (None, node.value[key]) if 0 <= key < len(node.value) else None
        for item in node.value:  # a string addresses an item by its "id"
            found = _child(item, "id") if isinstance(item, MappingNode) else None
            if found and found[1].value == key:
                return None, item
    return None


def locate(
    text: str, data: Any, path: Path, *, partial: bool = False, start: Any = None
) -> Located | None:
    """Find the node at `path`, composing only the piece of text that holds it.

    With `partial`, return the deepest node that exists (for pointing at a missing field).
    `start` replaces `_start` (the Locator passes one that composes each piece once).
    """
    piece, node, rest = (start or _start)(text, data, path)
    parent = key_node = None
    for key in rest:
        found = _child(node, key)
        if found is None:
            return Located(node, piece, parent, key_node) if partial else None
        parent, (key_node, node) = node, found
    return Located(node, piece, parent, key_node)


def _start(text: str, data: Any, path: Path) -> tuple[Piece, Any, Path]:
    """Compose the smallest piece of text we can find that holds `path`."""
    whole = Piece(0, len(text), 0)
    if path and isinstance(path[0], str) and isinstance(data, dict) and path[0] in data:
        block = top_level_block(text, path[0])
        if block is not None:
            value = data[path[0]]
            if len(path) > 1 and isinstance(value, list):
                index = resolve_index(value, path[1])
                items = sequence_items(text, block)
                if index is not None and items is not None and len(items) == len(value):
                    item = items[index]
                    item = Piece(item.start, item.end, text.count("\n", 0, item.start))
                    seq = _compose(text[item.start : item.end], item.line)
                    if seq is not None and len(seq.value) == 1:
                        return item, seq.value[0], path[2:]
            root = _compose(text[block.start : block.end], block.line)
            if root is not None:
                return block, root, path
    return whole, _compose(text), path


def resolve_index(items: list[Any], key: str | int) -> int | None:
    if isinstance(key, int):
        return key if 0 <= key < len(items) else None
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("id") == key:
            return i
    return None


def line_of(text: str, data: Any, path: Path) -> tuple[int, int] | None:
    """1-based (line, column) of the deepest existing node on `path`."""
    return Locator(text, data).line_of(path)


_DASH = re.compile(r"- *")
_ROW = re.compile(r"^( *)([^ \n])", re.M)


def _item_rows(text: str, first: int, end: int) -> list[int] | None:
    """The keys of a mapping that starts on its dash's line ("- id: X\n  title: Y")."""
    column = first - (text.rfind("\n", 0, first) + 1)
    line_end = text.find("\n", first)
    rows = [first]
    if line_end < 0 or line_end >= end:
        return rows
    for match in _ROW.finditer(text, line_end + 1, end):
        indent, char = len(match.group(1)), match.group(2)
        if char == "#" or indent > column:
            continue
        if indent < column:
            break
        rows.append(match.start(2))
    return rows


def _child_rows(text: str, start: int, end: int, parent_column: int) -> list[int] | None:
    """Offsets of the entries of a block collection below a key at `parent_column`: the
    lines at the first child's indentation, up to the first line indented less.

    A sequence may sit at its key's own column ("key:\n- a"); a mapping may not.
    """
    rows: list[int] = []
    child = None
    for match in _ROW.finditer(text, start, end):
        indent, first = len(match.group(1)), match.group(2)
        if first == "#":
            continue
        if child is None:
            if indent < parent_column or (indent == parent_column and first != "-"):
                return None
            child = indent
        if indent < child or (indent == child == parent_column and first != "-"):
            break
        if indent == child:
            rows.append(match.start(2))
    return rows or None



class Locator:
    """Line numbers for many paths in one text, for messages (validate lists thousands).

    The top-level blocks and list items are found by scanning the text once; a field of
    a list item is found by a line search inside the item; only deeper paths compose.
    """

    def __init__(self, text: str, data: Any):
        self.text = text
        self.data = data
        self._blocks: dict[str, Piece | None] = {}
        self._items: dict[str, list[Piece] | None] = {}
        self._lines: Lines | None = None
        self._nodes: dict[tuple[int, int], Any] = {}  # composed pieces (None: did not compose)

    @property
    def lines(self) -> Lines:
        if self._lines is None:
            self._lines = Lines(self.text)
        return self._lines

    def _block(self, key: str) -> Piece | None:
        if key not in self._blocks:
            self._blocks[key] = top_level_block(self.text, key)
        return self._blocks[key]

    def _item(self, key: str, index: int) -> Piece | None:
        if key not in self._items:
            block = self._block(key)
            value = self.data.get(key) if isinstance(self.data, dict) else None
            items = sequence_items(self.text, block, self.lines) if block is not None else None
            ok = items is not None and isinstance(value, list) and len(items) == len(value)
            self._items[key] = items if ok else None
        items = self._items[key]
        return items[index] if items is not None and 0 <= index < len(items) else None

    def line_of(self, path: Path) -> tuple[int, int] | None:
        try:
            fast = self._fast(path)
            if fast is not None:
                return fast
            found = locate(self.text, self.data, path, partial=True, start=self._start)
        except Exception:  # noqa: BLE001 - a location is a courtesy; never fail for it
            return None
        if found is None:
            return None
        node = found.key_node if found.key_node is not None else found.node
        mark = node.start_mark
        return found.piece.line + mark.line + 1, mark.column + 1

    def _composed(self, piece: Piece) -> Any:
        key = (piece.start, piece.end)
        if key not in self._nodes:
            try:
                self._nodes[key] = _compose(self.text[piece.start : piece.end], piece.line)
            except YamlProblem:
                self._nodes[key] = None
        return self._nodes[key]

    def _start(self, text: str, data: Any, path: Path) -> tuple[Piece, Any, Path]:
        """`_start` with the pieces found once and each composed at most once."""
        if path and isinstance(path[0], str) and isinstance(data, dict) and path[0] in data:
            block = self._block(path[0])
            if block is not None:
                value = data[path[0]]
                if len(path) > 1 and isinstance(value, list):
                    index = resolve_index(value, path[1])
                    item = self._item(path[0], index) if index is not None else None
                    seq = self._composed(item) if item is not None else None
                    if seq is not None and len(seq.value) == 1:
                        return item, seq.value[0], path[2:]  # type: ignore[return-value]
                root = self._composed(block)
                if root is not None:
                    return block, root, path
        whole = Piece(0, len(self.text), 0)
        root = self._composed(whole)
        if root is None:
            raise YamlProblem("the text does not compose")
        return whole, root, path

    def _fast(self, path: Path) -> tuple[int, int] | None:
        if not path or not isinstance(path[0], str) or not isinstance(self.data, dict) or path[0] not in self.data:
            return None
        value = self.data[path[0]]
        if len(path) == 1:
            block = self._block(path[0])
            return (block.line + 1, 1) if block else None
        if not isinstance(value, list):
            return None
        index = resolve_index(value, path[1])
        item = self._item(path[0], index) if index is not None else None
        if item is None:
            return None
        dash = self.text.index("-", item.start)
        column = dash - item.start
        if len(path) == 2 or not isinstance(path[2], str):
            return (item.line + 1, column + 1) if len(path) == 2 else None
        key = re.compile(rf"^( *){re.escape(path[2])}[ \t]*:(?=\s|$)", re.M)
        after_dash = _DASH.match(self.text, dash).end()
        found = None
        key_column = after_dash - item.start  # items start at the start of their line
        if self.text.startswith(f"{path[2]}:", after_dash):
            found = after_dash
        else:
            for match in key.finditer(self.text, item.start, item.end):
                if len(match.group(1)) == key_column:
                    found = match.start() + len(match.group(1))
                    break
        if found is None:
            entry = value[index] if 0 <= index < len(value) else None
            missing = isinstance(entry, dict) and path[2] not in entry
            return (item.line + 1, column + 1) if missing and len(path) == 3 else None
        if len(path) > 3:
            node = get_path(value, path[1:3])
            found = self._descend(found, node, path[3:], item.end)
            if found is None:
                return None
        return self.lines.line(found) + 1, found - self.text.rfind("\n", 0, found)

    def _descend(self, key_at: int, node: Any, rest: Path, end: int) -> int | None:
        """Offset of the node `rest` below the key at `key_at`, read from the lines of block
        collections; None whenever the layout is not the plain one the emitter writes (the
        caller then composes). Checked against composing by tests/test_hostile_input.py."""
        text = self.text
        rows = self._rows_below_key(key_at, end)
        for step in rest:
            if rows is None:
                return None
            if isinstance(step, int):
                if not isinstance(node, list) or len(rows) != len(node) or not 0 <= step < len(rows):
                    return None
                if not all(text.startswith("-", r) for r in rows):
                    return None
                at = _DASH.match(text, rows[step]).end()
                node = node[step]
                rows = _item_rows(text, at, end) if isinstance(node, dict) and node else None
            else:
                if not isinstance(node, dict) or step not in node or len(rows) != len(node):
                    return None
                pattern = re.compile(rf"{re.escape(step)}[ \t]*:(?=\s|$)")
                keys = [r for r in rows if pattern.match(text, r, end)]
                if len(keys) != 1:
                    return None
                at, node = keys[0], node[step]
                rows = self._rows_below_key(at, end) if isinstance(node, (dict, list)) and node else None
        return at

    def _rows_below_key(self, key_at: int, end: int) -> list[int] | None:
        text = self.text
        line_end = text.find("\n", key_at)
        line_end = end if line_end < 0 or line_end > end else line_end
        colon = text.find(":", key_at, line_end)
        tail = text[colon + 1 : line_end].strip() if colon >= 0 else "x"
        if tail and not tail.startswith("#"):
            return None  # a scalar or a flow collection on the key's own line
        return _child_rows(text, line_end + 1, end, key_at - (text.rfind("\n", 0, key_at) + 1))


# ---------------------------------------------------------------------------------------
# Emitting values


_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def emit_scalar(value: Any) -> str:
    """One value on one line, plain when that reads back as the same string."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _plain_ok(text):
        return text
    return _double_quoted(text)


def _double_quoted(text: str) -> str:
    """JSON's quoting (valid YAML), with every FORBIDDEN character escaped (invariant 5)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return FORBIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _plain_ok(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or text.lower() in _YAML11_WORDS:
        return False
    if "\t" in text or "\r" in text or FORBIDDEN.search(text):
        return False
    if re.fullmatch(r"[-+]?[\d._]+(e[-+]?\d+)?|0x[\da-fA-F]+|0o[0-7]+|\.inf|\.nan", text, re.I):
        return False
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return True  # dates stay plain; the schema reads them back as dates
    if text[0] in "!&*-?:,[]{}#|>@`'\"%" or ": " in text or " #" in text or text.endswith(":"):
        return False
    try:
        return yaml_rs.loads(f"k: {text}", parse_datetime=False) == {"k": text}
    except Exception:  # noqa: BLE001 - any refusal means: quote it
        return False


def _literal_ok(value: str) -> bool:
    """Multi-line text reads best as a `|` block, when the block can say it exactly."""
    if "\n" not in value or not value.strip() or "\t" in value or value.endswith("\n\n"):
        return False
    if "\r" in value or FORBIDDEN.search(value):
        return False
    if value[0] in " \n":
        return False
    return all(line.strip() or not line for line in value.split("\n"))


def emit_block(value: Any, indent: int) -> str:
    """A value as block YAML whose first line starts at column `indent` (not included).

    Scalars come back on one line; collections as lines, every line after the first
    indented by `indent`.
    """
    lines = _block_lines(value, indent)
    return "\n".join(lines)[indent:] if lines else emit_scalar(value)


def _block_lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict) and value:
        out: list[str] = []
        for key, item in value.items():
            out.extend(_entry_lines(f"{pad}{emit_scalar(key)}:", item, indent))
        return out
    if isinstance(value, list) and value:
        out = []
        for item in value:
            if isinstance(item, dict) and item:
                inner = _block_lines(item, indent + 2)
                out.append(f"{pad}- " + inner[0][indent + 2 :])
                out.extend(inner[1:])
            else:
                out.extend(_entry_lines(f"{pad}-", item, indent, dash=True))
        return out
    return [pad + _inline(value, indent)]


def _entry_lines(head: str, item: Any, indent: int, dash: bool = False) -> list[str]:
    if isinstance(item, dict) and item:
        return [head, *_block_lines(item, indent + 2)]
    if isinstance(item, list) and item:
        return [head, *_block_lines(item, indent + 2)]
    return [f"{head} {_inline(item, indent)}"]


def _inline(value: Any, indent: int) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    if isinstance(value, str) and _literal_ok(value):
        chomp = "" if value.endswith("\n") else "-"
        body = value[:-1] if value.endswith("\n") else value
        pad = " " * (indent + 2)
        return f"|{chomp}\n" + "\n".join(pad + ln if ln else "" for ln in body.split("\n"))
    return emit_scalar(value)


# ---------------------------------------------------------------------------------------
# Splicing


@dataclass(frozen=True)
class Splice:
    """Replace text[start:end] with `text`."""

    start: int
    end: int
    text: str


def _content_end(text: str, start: int, end: int) -> int:
    """The end of a node's own text, without trailing blank lines and comments."""
    segment = text[start:end]
    lines = segment.split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    kept = "\n".join(lines).rstrip()
    return start + len(kept)


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def splice_set(text: str, data: Any, path: Path, value: Any, *, start: Any = None) -> Splice:
    """Set the value at `path` (adding the key to its mapping if it is missing).

    `start`: where `locate` finds the piece holding the path (`Batch.item`), else it scans.
    """
    found = locate(text, data, path, start=start)
    if found is not None:
        return _replace(text, found, value)
    parent = locate(text, data, path[:-1], start=start)
    if parent is None:
        raise YamlProblem(f"cannot find {format_path(path[:-1])} in the file")
    return _insert_key(text, parent, str(path[-1]), value)


def _replace(text: str, found: Located, value: Any) -> Splice:
    node = found.node
    start = found.offset(node.start_mark.index)
    end = _content_end(text, start, found.offset(node.end_mark.index))
    key = found.key_node
    key_col = key.start_mark.column if key is not None else max(node.start_mark.column - 2, 0)
    was_block = node.id in ("mapping", "sequence") and not node.flow_style and bool(node.value)
    is_collection = isinstance(value, (dict, list)) and bool(value)
    if was_block and is_collection:
        return Splice(start, end, emit_block(value, node.start_mark.column))
    if is_collection and key is None and isinstance(value, dict) and node.id == "scalar":
        # a list item `- text` becomes a mapping item (`indicator record` on a plain-text indicator)
        return Splice(start, end, emit_block(value, node.start_mark.column))
    if is_collection and key is not None:  # `key: null` or `key: []` becomes a block
        child = key_col + 2
        colon = text.index(":", found.offset(key.end_mark.index))  # no space left after the colon
        return Splice(colon + 1, end, "\n" + " " * child + emit_block(value, child))
    if was_block and key is not None:  # a block collection becomes `key: value`
        colon = text.index(":", found.offset(key.end_mark.index))
        return Splice(colon + 1, end, " " + _inline(value, key_col))
    return Splice(start, end, _inline(value, key_col))


def _insert_key(text: str, parent: Located, key: str, value: Any) -> Splice:
    node = parent.node
    if node.id != "mapping":
        raise YamlProblem(f"cannot add '{key}': the value there is not a mapping")
    if node.flow_style or not node.value:
        raise YamlProblem(f"cannot add '{key}' to an inline mapping; write it in block style")
    first_key = node.value[0][0]
    column = first_key.start_mark.column
    last_value = node.value[-1][1]
    end = _content_end(
        text, parent.offset(last_value.start_mark.index), parent.offset(last_value.end_mark.index)
    )
    entry = _block_lines({key: value}, column)
    return Splice(end, end, "\n" + "\n".join(entry))


def splice_delete(text: str, data: Any, path: Path, *, start: Any = None) -> Splice:
    """Remove a mapping key or a sequence item, with its lines."""
    found = locate(text, data, path, start=start)
    if found is None:
        raise YamlProblem(f"cannot find {format_path(path)} in the file")
    anchor = found.key_node if found.key_node is not None else found.node
    start = found.offset(anchor.start_mark.index)
    if found.key_node is None:  # a sequence item starts at its dash
        start = text.rfind("-", 0, start + 1)
    end = _content_end(text, start, found.offset(found.node.end_mark.index))
    line_start = _line_start(text, start)
    if text[line_start:start].strip():
        raise YamlProblem(f"cannot remove {format_path(path)}: it shares a line with other content")
    end_line = text.find("\n", end)
    return Splice(line_start, len(text) if end_line < 0 else end_line + 1, "")


def splice_append(text: str, data: Any, path: Path, item: Any, *, start: Any = None) -> Splice:
    """Append an item to the sequence at `path`, creating the key if needed."""
    if len(path) == 1 and isinstance(data, dict) and isinstance(path[0], str):
        return _append_top_level(text, data, path[0], item)
    found = locate(text, data, path, start=start)
    if found is None or not (found.node.id == "sequence" and found.node.value and not found.node.flow_style):
        current = [] if found is None or not isinstance(get_path(data, path), list) else get_path(data, path)
        return splice_set(text, data, path, [*current, item], start=start)
    seq = found.node
    dash_col = seq.start_mark.column
    last = seq.value[-1]
    end = _content_end(text, found.offset(last.start_mark.index), found.offset(last.end_mark.index))
    lines = _block_lines([item], dash_col)
    return Splice(end, end, "\n" + "\n".join(lines))


def _append_top_level(text: str, data: dict[str, Any], key: str, item: Any) -> Splice:
    """Append to a top-level list without composing it (history grows for years)."""
    block = top_level_block(text, key)
    current = data.get(key)
    if block is None or not current:
        if block is not None:
            return splice_set(text, data, (key,), [item])
        tail = "" if text.endswith("\n") or not text else "\n"
        lines = _block_lines({key: [item]}, 0)
        return Splice(len(text), len(text), tail + "\n".join(lines) + "\n")
    items = sequence_items(text, block)
    if items is None:
        return splice_set(text, data, (key,), [*current, item])
    last = items[-1]
    dash_col = len(text[last.start : text.find("-", last.start)])
    end = _content_end(text, last.start, last.end)
    lines = _block_lines([item], dash_col)
    return Splice(end, end, "\n" + "\n".join(lines))


def splice_extend(text: str, data: dict[str, Any], key: str, items: list[Any]) -> Splice | None:
    """Append several items to a top-level block sequence in one splice (a command's
    history entries): the text `splice_append` would give, one item after another.
    None when the list is empty, missing or not plain block items (append one by one)."""
    block = top_level_block(text, key)
    if block is None or not data.get(key) or not items:
        return None
    pieces = sequence_items(text, block)
    if pieces is None:
        return None
    last = pieces[-1]
    dash_col = len(text[last.start : text.find("-", last.start)])
    end = _content_end(text, last.start, last.end)
    return Splice(end, end, "\n" + "\n".join(_block_lines(items, dash_col)))


class Batch:
    """A text under a batch of edits (a sheet import, an upgrade): the text of one
    top-level list's items (tasks:) kept one piece per item, so that an edit inside an
    item costs that item, not the whole text.

    Without it each Change of a batch scanned the text for the list and its items,
    composed the whole item and copied the whole text (at 10,000 tasks, 9 MB a Change).
    Here a list is cut into its items once (`item`); an edit inside item i changes that
    piece only, its place in the text is kept by a Fenwick tree of the pieces' lengths;
    an item appended at the end of the list becomes a piece of its own (`append`).
    Anything else is spliced into the whole text (`replace`), and the list is cut again
    when next asked for. `text` is the whole text, joined when asked for.
    """

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._cut: _Cut | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            assert self._cut is not None
            self._text = self._cut.joined()
        return self._text

    def replace(self, splice: Splice) -> None:
        """Apply a splice of the whole text."""
        self._text = apply(self.text, splice)
        self._cut = None

    def index(self, data: Any, key: str, step: str | int) -> int | None:
        """`resolve_index(data[key], step)`, by the cut list's ids when it is cut."""
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list):
            return None
        cut = self._cut if self._cut is not None and self._cut.key == key else None
        if cut is None or isinstance(step, int):
            return resolve_index(items, step)
        return cut.index_of(items, step)

    def item(
        self, data: Any, key: str, index: int, field: str | int | None = None
    ) -> tuple[str, int, Callable[[str, Any, Path], tuple[Piece, Any, Path]]] | None:
        """Item `index` of the list `key`: its text, where it starts in the whole text, and
        `locate`'s start for paths (key, step, field, ...) in its text (`field` None: the
        whole item); None when the item cannot be cut out on its own."""
        items = data.get(key) if isinstance(data, dict) else None
        if not isinstance(items, list) or not 0 <= index < len(items):
            return None
        cut = self._cut_out(key, items)
        if cut is None:
            return None
        item_text = cut.pieces[index]
        view = _entries(item_text, items[index], field) if isinstance(field, str) else None
        try:
            seq = _compose(view[0] if view is not None else item_text)
        except YamlProblem:
            return None
        if seq is None or seq.id != "sequence" or len(seq.value) != 1:
            return None
        node = seq.value[0]
        if view is not None and (node.id != "mapping" or [k.value for k, _ in node.value] != view[1]):
            return None
        piece = Piece(0, len(item_text), -1)  # -1: its line is not counted

        def start(text: str, data_: Any, path: Path) -> tuple[Piece, Any, Path]:
            if len(path) >= 2 and path[0] == key and (len(path) == 2 or path[2] == field):
                return piece, node, path[2:]
            raise YamlProblem("not in this item")  # the caller splices it into the whole text instead

        return item_text, cut.start_of(index), start

    def edit_item(self, key: str, index: int, splice: Splice, *, renamed: bool = False) -> None:
        """Apply a splice of item `index`'s own text (`renamed`: its id may have changed)."""
        assert self._cut is not None and self._cut.key == key
        self._cut.edit(index, splice, renamed=renamed)
        self._text = None

    def append(self, data: Any, key: str, item: Any) -> Splice | None:
        """Append an item to the list `key` as `splice_append` would; return the splice of
        the whole text, made. None when the list is empty or cannot be cut into items."""
        items = data.get(key) if isinstance(data, dict) else None
        cut = self._cut_out(key, items) if isinstance(items, list) and items else None
        if cut is None:
            return None
        last = cut.pieces[-1]
        dash_col = len(last[: last.find("-")])
        end = _content_end(last, 0, len(last))
        inserted = "\n" + "\n".join(_block_lines([item], dash_col))
        at = cut.start_of(len(cut.pieces) - 1) + end
        # the new item's piece starts after the newline inserted before it, and keeps the
        # blank lines and comments that followed the last item
        cut.add(last[:end] + "\n", inserted[1:] + last[end:], item.get("id") if isinstance(item, dict) else None)
        self._text = None
        return Splice(at, at, inserted)

    def _cut_out(self, key: str, items: list[Any]) -> _Cut | None:
        if self._cut is not None and self._cut.key == key and len(self._cut.pieces) == len(items):
            return self._cut
        text = self.text
        block = top_level_block(text, key)
        pieces = sequence_items(text, block) if block is not None else None
        if pieces is None or len(pieces) != len(items):
            return None
        self._cut = _Cut(key, text, pieces)
        return self._cut


class _Cut:
    """A text as the text before a list's first item, one piece per item, and the rest."""

    def __init__(self, key: str, text: str, pieces: list[Piece]) -> None:
        self.key = key
        self.head = text[: pieces[0].start]
        self.pieces = [text[p.start : p.end] for p in pieces]
        self.tail = text[pieces[-1].end :]
        self._ids: dict[str, int] | None = None
        self._build()

    def _build(self) -> None:
        n = len(self.pieces)
        tree = [0] * (n + 1)  # Fenwick tree of the pieces' lengths: start_of(i) in log n
        for i, piece in enumerate(self.pieces, 1):
            tree[i] += len(piece)
            j = i + (i & -i)
            if j <= n:
                tree[j] += tree[i]
        self._tree = tree

    def start_of(self, index: int) -> int:
        total, i = len(self.head), index
        while i > 0:
            total += self._tree[i]
            i -= i & -i
        return total

    def edit(self, index: int, splice: Splice, *, renamed: bool) -> None:
        before = self.pieces[index]
        self.pieces[index] = apply(before, splice)
        delta, i = len(self.pieces[index]) - len(before), index + 1
        while i < len(self._tree):
            self._tree[i] += delta
            i += i & -i
        if renamed:
            self._ids = None

    def add(self, last: str, new: str, ident: Any) -> None:
        self.pieces[-1] = last
        self.pieces.append(new)
        self._build()
        if self._ids is not None and isinstance(ident, str):
            self._ids.setdefault(ident, len(self.pieces) - 1)

    def index_of(self, items: list[Any], step: str) -> int | None:
        if self._ids is None or len(items) != len(self.pieces):
            self._ids = {}
            for i, item in enumerate(items):
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str):
                    self._ids.setdefault(ident, i)
        return self._ids.get(step)

    def joined(self) -> str:
        return self.head + "".join(self.pieces) + self.tail


_ENTRY_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t]|$)")


def _entries(item: str, data: Any, field: str) -> tuple[str, list[str]] | None:
    """An item's text with only the entries an edit of `field` can touch, every other
    character a space, and the keys kept; None unless the item is a plain block mapping
    whose key lines ("key:" at one column, the first after the dash) are exactly the keys
    of its data, in order.

    Kept: the first entry (the dash's line) and the last (a missing field is added after
    it), the field's own entry with the comment lines below it, and the entry after it (a
    block value ends where the next token starts). Every kept node then has the marks it
    has in the whole item, which is what the splices are computed from."""
    if not isinstance(data, dict) or not data:
        return None
    lines = item.split("\n")
    dash = re.match(r"( *)- +", lines[0])
    if dash is None:
        return None
    column = dash.end()
    rows: list[int] = []  # the line of each entry
    names: list[str] = []
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" ")) if i else column
        if i and (not line.strip() or line.lstrip().startswith("#") or indent > column):
            continue
        if indent != column:
            return None
        match = _ENTRY_KEY.match(line, column)
        if match is None:
            return None
        rows.append(i)
        names.append(match.group(1))
    if names != list(data):
        return None
    keep = {0, len(names) - 1}
    if field in names:
        at = names.index(field)
        # and the entry after it: where a block value ends is where the next token starts
        keep.update(k for k in (at, at + 1) if k < len(names))
    kept_lines = set()
    for k in keep:
        kept_lines.update(range(rows[k], rows[k + 1] if k + 1 < len(rows) else len(lines)))
    masked = "\n".join(line if i in kept_lines else " " * len(line) for i, line in enumerate(lines))
    return masked, [names[k] for k in sorted(keep)]


def get_path(data: Any, path: Path, default: Any = None) -> Any:
    """The value at `path` in plain data, or `default` when some step is missing."""
    for key in path:
        if isinstance(data, list):
            index = resolve_index(data, key)
            if index is None:
                return default
            data = data[index]
        elif isinstance(data, dict):
            if key not in data:
                return default
            data = data[key]
        else:
            return default
    return data


def apply(text: str, splice: Splice) -> str:
    return text[: splice.start] + splice.text + text[splice.end :]


def format_path(path: Path) -> str:
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        elif out and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            out += f".{key}"
        elif out:
            out += f"[{key}]"
        else:
            out = key
    return out


# ---------------------------------------------------------------------------------------
# Verifying an edit by its pieces


def verified_by_pieces(old_text: str, old_data: Any, new_text: str, new_data: Any, splices: list[Splice]) -> bool:
    """True when `new_text` (old_text with `splices` applied in order) is shown to parse to
    `new_data` by parsing only the list items the splices touched; False when that cannot
    be shown this way (the caller then parses the whole text and compares).

    `old_text` parsed to `old_data`. Each touched run of items of a top-level sequence is
    cut out of both texts; both runs must have the plain block layout (a dash at the
    items' column, every other content line indented more), so that neither can reach
    past its own lines in the whole file; the old run must parse on its own to the old
    items (the cut is where the whole parse put it) and the new run to the intended ones.
    The text around the runs is byte for byte the old text, and the intended data there
    must equal the old data. Directives (%TAG) could make a piece read differently on its
    own, so a text with one is always parsed whole.
    """
    import bisect

    if not splices or not isinstance(old_data, dict) or not isinstance(new_data, dict) or set(old_data) != set(new_data):
        return False
    if old_text.startswith("%") or "\n%" in old_text:
        return False
    regions = _changed_regions(splices)
    blocks = top_level_blocks(old_text)
    block_starts = [b.start for b in blocks]
    by_block: dict[int, list[tuple[int, int, int]]] = {}
    for region in regions:
        i = bisect.bisect_right(block_starts, region[0]) - 1
        if i < 0 or region[1] > blocks[i].end:
            return False
        by_block.setdefault(i, []).append(region)
    keys_touched = set()
    for i, inside in by_block.items():
        block = blocks[i]
        key = _TOP_KEY.search(old_text, block.start).group("key")  # type: ignore[union-attr]
        if key in keys_touched or not _runs_verified(old_text, new_text, block, inside, regions, old_data.get(key), new_data.get(key)):
            return False
        keys_touched.add(key)
    return all(new_data[key] == old_data[key] for key in old_data if key not in keys_touched)


def _changed_regions(splices: list[Splice]) -> list[tuple[int, int, int]]:
    """The splices, applied one after another, as disjoint regions of the old text:
    (old start, old end, change in length), in order.

    Regions are kept in text order; a splice is placed by walking back from the last
    region, so a batch made in text order (an import, row by row) costs each splice the
    few regions after it, not all of them.
    """
    regions: list[list[int]] = []  # [old start, old end, current start, current end], in order
    total = 0  # the change in length of all of them
    for splice in splices:
        s, e = splice.start, splice.end
        delta = len(splice.text) - (e - s)
        i, after = len(regions), 0
        while i > 0 and regions[i - 1][2] > e:  # after the splice (shifted by it)
            i -= 1
            g = regions[i]
            after += (g[3] - g[2]) - (g[1] - g[0])
        j = i
        while j > 0 and regions[j - 1][3] >= s:  # touching it (merged into one)
            j -= 1
        touching = regions[j:i]
        inside = sum((g[3] - g[2]) - (g[1] - g[0]) for g in touching)
        cs = min([s] + [g[2] for g in touching])
        ce = max([e] + [g[3] for g in touching])
        old_start = min([cs - (total - after - inside)] + [g[0] for g in touching])
        old_end = max([ce - (total - after)] + [g[1] for g in touching])
        for g in regions[i:]:
            g[2] += delta
            g[3] += delta
        regions[j:i] = [[old_start, old_end, cs, ce + delta]]
        total += delta
    return [(g[0], g[1], (g[3] - g[2]) - (g[1] - g[0])) for g in regions]


def _runs_verified(
    old_text: str,
    new_text: str,
    block: Piece,
    inside: list[tuple[int, int, int]],
    regions: list[tuple[int, int, int]],
    old_list: Any,
    new_list: Any,
) -> bool:
    import bisect

    if not isinstance(old_list, list) or not isinstance(new_list, list):
        return False
    items = sequence_items(old_text, block)
    if not items or len(items) != len(old_list):
        return False
    column = old_text.index("-", items[0].start) - items[0].start
    starts, ends = [p.start for p in items], [p.end for p in items]
    runs: list[list[Any]] = []  # [first item, last item, regions]
    for region in inside:
        if region[0] < items[0].start:
            return False
        first = bisect.bisect_right(starts, region[0]) - 1
        last = max(bisect.bisect_left(ends, region[1]), first)
        if last >= len(items):
            return False
        if runs and first <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], last)
            runs[-1][2].append(region)
        else:
            runs.append([first, last, [region]])
    old_at = new_at = 0  # items compared so far in each list
    for first, last, mine in runs:
        cut_start, cut_end = items[first].start, items[last].end
        new_start = cut_start + sum(g[2] for g in regions if g[0] < cut_start)
        new_end = new_start + (cut_end - cut_start) + sum(g[2] for g in mine)
        old_piece, new_piece = old_text[cut_start:cut_end], new_text[new_start:new_end]
        at_end = cut_end == len(old_text)
        if not (_plain_items(old_piece, column, at_end) and _plain_items(new_piece, column, at_end)):
            return False
        try:
            old_items = yaml_rs.loads(old_piece, parse_datetime=False, alias_limits=_NO_ALIASES)
            new_items = parse(new_piece)
        except Exception:  # noqa: BLE001 - the whole text is parsed instead, and says what is wrong
            return False
        if not isinstance(old_items, list) or not isinstance(new_items, list):
            return False
        gap = first - old_at
        if old_list[old_at:first] != new_list[new_at : new_at + gap]:
            return False
        new_at += gap
        if old_items != old_list[first : last + 1] or new_items != new_list[new_at : new_at + len(new_items)]:
            return False
        old_at, new_at = last + 1, new_at + len(new_items)
    return len(old_list) - old_at == len(new_list) - new_at and old_list[old_at:] == new_list[new_at:]


def _plain_items(piece: str, column: int, at_end: bool) -> bool:
    """Lines of block sequence items at `column` and nothing else: the first line and any
    other content line at that column start an item with a dash; every other content line
    is indented more; blank lines and comments anywhere. Ends with a newline, unless the
    piece ends the text."""
    if not piece or (not piece.endswith("\n") and not at_end):
        return False
    lines = piece.split("\n")
    dash = re.compile(rf" {{{column}}}-(?:[ \t]|$)")
    if not dash.match(lines[0]):
        return False
    for line in lines[1:]:
        content = line.lstrip(" ")
        if not content.strip(" \t") or content.startswith("#"):
            continue
        indent = len(line) - len(content)
        if indent > column:
            continue
        if indent == column and dash.match(line):
            continue
        return False
    return True
