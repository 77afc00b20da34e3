"""Issue 12, the reading side: whatever a hand edit, a paste or a command option puts into
a plan, every command answers with a located message (exit 1, file unchanged) or works;
never a traceback, never a hang, never a file the next command cannot read.

Each case found by the attack in issue 12 is its own test; the fuzz at the end keeps
the promise for the cases nobody listed.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hostile_plans import TODAY, country_plan, grown_plan_text, small_plan_text

from roadmap import store, yamltext


@pytest.fixture(scope="module")
def base_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    return country_plan(tmp_path_factory.mktemp("base")).read_text(encoding="utf-8")


def _write(tmp_path: Path, text: str | bytes, name: str = "plan.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _after(text: str, anchor: str, insert: str, *, start: str = "") -> str:
    """`insert` at the end of the first line holding `anchor` (after `start`)."""
    at = text.index(anchor, text.index(start) if start else 0)
    end = text.index("\n", at)
    return text[:end] + insert + text[end:]


def _line_col(text: str, needle: str) -> tuple[int, int]:
    at = text.index(needle)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _refused(cli, path: Path, *args: str, located: tuple[int, int] | None = None, says: str = "") -> str:
    """Run a command that must refuse: exit 1, a message, the file byte for byte unchanged."""
    before = path.read_bytes()
    result = cli(*[a if a != "PLAN" else str(path) for a in args])
    assert result.exit_code == 1, (args, result.stdout, result.stderr)
    message = result.stderr
    if located is not None:
        assert f"{path}:{located[0]}:{located[1]}:" in message, message
    assert says in message, message
    assert "Traceback" not in message
    assert path.read_bytes() == before
    return message


EVERY_READER = [
    ("validate", "PLAN"),
    ("status", "PLAN"),
    ("tick", "PLAN", "DEF-1"),
    ("render", "action-plan", "PLAN", "--format", "html"),
]


# ---------------------------------------------------------------------------------------
# One reading path: characters the two parsers read differently are refused, located


def test_vertical_tab_in_a_title_is_refused_by_every_command(cli, tmp_path, base_text):
    """Word's Shift+Enter in a task title: yaml_rs took it, ruamel crashed the edit."""
    text = _after(base_text, "title:", "\x0b and more", start="id: DEF-1")
    path = _write(tmp_path, text)
    where = _line_col(text, "\x0b")
    for args in EVERY_READER:
        _refused(cli, path, *args, located=where, says="vertical tab")


@pytest.mark.parametrize("escape", ["\\v", "\\x1b[31m", "\\0", "\\u2028", "\\e"])
def test_a_control_character_written_as_an_escape_is_refused_too(cli, tmp_path, base_text, escape):
    """A double-quoted "\\v" is a vertical tab once read: Excel and Word refused it with a traceback."""
    start = base_text.index("id: DEF-1")
    at = base_text.index("title:", start)
    end = base_text.index("\n", at)
    text = base_text[:at] + f'title: "Define key{escape}terms"' + base_text[end:]
    path = _write(tmp_path, text)
    where = _line_col(text, 'title: "Define key')
    for args in [*EVERY_READER, ("render", "action-plan", "PLAN", "--format", "xlsx", "-o", str(tmp_path / "a.xlsx"))]:
        _refused(cli, path, *args, located=where, says="tasks[DEF-1].title: ")
    assert not (tmp_path / "a.xlsx").exists()


def test_a_backslash_that_is_text_stays_text(cli, tmp_path, base_text):
    """Only escapes that spell an unwanted character are refused: paths and quoted backslashes are fine."""
    start = base_text.index("id: DEF-1")
    at = base_text.index("title:", start)
    end = base_text.index("\n", at)
    text = base_text[:at] + 'title: "Shared folder C:\\\\roadmap\\tKG"' + base_text[end:]
    path = _write(tmp_path, text)
    assert cli("validate", path).exit_code == 0
    assert store.load(path).plan.task("DEF-1").title == "Shared folder C:\\roadmap\tKG"
    out = tmp_path / "a.xlsx"
    assert cli("render", "action-plan", path, "-o", out).exit_code == 0


def test_control_character_plus_an_anchor_elsewhere_is_refused(cli, tmp_path, base_text):
    """The anchor scan ran ruamel over the whole file and crashed on the character."""
    text = _after(base_text, "title:", "\x0b", start="id: DEF-1")
    text = text.replace("subtitle: Green Paper", 'subtitle: "R&D &word"', 1)
    path = _write(tmp_path, text)
    for args in EVERY_READER:
        _refused(cli, path, *args, located=_line_col(text, "\x0b"), says="vertical tab")


@pytest.mark.parametrize(
    "char, says",
    [
        ("\x00garbage: [ {{ ", "NUL"),
        ("\x1b[31m", "ESC"),
        ("\x07", "U+0007"),
        ("\x7f", "DEL"),
        ("\x85", "NEL"),
        ("\x9b", "U+009B"),
        ("\x0c", "form feed"),
        ("\ufeff", "byte-order mark"),
        ("\u2029", "U+2029"),
    ],
)
def test_unwanted_characters_are_refused_located(cli, tmp_path, base_text, char, says):
    text = _after(base_text, "title:", char, start="id: DEF-2")
    path = _write(tmp_path, text)
    _refused(cli, path, "validate", "PLAN", located=_line_col(text, char), says=says)
    _refused(cli, path, "tick", "PLAN", "DEF-2", located=_line_col(text, char), says=says)


def test_nul_byte_no_longer_ends_the_file_silently(tmp_path, base_text):
    """A NUL made yaml_rs stop reading: the garbage after it was 'valid', the rest ignored."""
    cut = base_text.index("tasks:")
    path = _write(tmp_path, base_text[:cut] + "\x00 {{{ not yaml at all\n" + base_text[cut:])
    doc, findings = store.inspect(path, today=TODAY)
    assert doc is None and "NUL" in findings[0].message and findings[0].line == base_text.count("\n", 0, cut) + 1


def test_line_separator_in_a_block_text_is_refused_before_an_edit(cli, tmp_path, base_text):
    """U+2028 is a line break to ruamel (YAML 1.1) and a letter to yaml_rs (YAML 1.2)."""
    block = re.search(r": \|-?\n( +)(\S.*)\n", base_text)
    text = base_text[: block.end(2)] + "\u2028after" + base_text[block.end(2) :]
    path = _write(tmp_path, text)
    _refused(cli, path, "tick", "PLAN", "DEF-1", located=_line_col(text, "\u2028"), says="U+2028")
    _refused(cli, path, "validate", "PLAN", located=_line_col(text, "\u2028"), says="U+2028")


def test_a_line_holding_only_a_tab_does_not_stop_an_edit(cli, tmp_path, base_text):
    """Blank lines mean nothing; ruamel's scanner choked on a tab in one (inside a task)."""
    text = _after(base_text, "title:", "\n\t", start="id: DEF-1")
    text = _after(text, "stages:", "\n \t ")
    path = _write(tmp_path, text)
    result = cli("tick", path, "DEF-1", "--on", "2024-06-30")
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert "\n\t\n" in after and "\n \t \n" in after  # the user's lines stay as they were
    assert store.load(path).plan.tasks[0].status.value == "done"


@pytest.mark.parametrize("where", ["    status: planned\t", "    year_start: \t1"])
def test_a_tab_the_editor_cannot_read_is_refused_located(cli, tmp_path, base_text, where):
    """yaml_rs reads a tab after a value or a colon; ruamel cannot, so an edit would crash."""
    plain = where.replace("\t", "")
    at = base_text.index(plain, base_text.index("id: DEF-1"))
    text = base_text[:at] + where + base_text[at + len(plain) :]
    path = _write(tmp_path, text)
    line, _ = _line_col(text, where)
    for args in EVERY_READER[:3]:
        message = _refused(cli, path, *args, located=(line, where.index("\t") + 1), says="tab")
        assert "replace it with spaces" in message


def test_every_ruamel_error_in_an_edit_becomes_a_message(tmp_path, base_text, monkeypatch):
    """Belt and braces: should ruamel ever refuse a piece yaml_rs took, the edit says so."""
    from roadmap import adapt
    from roadmap.errors import RoadmapError

    path = _write(tmp_path, base_text)
    real = yamltext._ruamel_view
    monkeypatch.setattr(yamltext, "_ruamel_view", lambda text: real(text).replace("DEF-1", "DEF-1\x0b"))
    with pytest.raises(RoadmapError) as caught:
        adapt.tick(path, ["DEF-1"], today=TODAY)
    assert "cannot apply" in str(caught.value) or "not valid YAML" in str(caught.value)
    assert path.read_text(encoding="utf-8") == base_text


def test_emitted_text_never_holds_a_raw_unwanted_character():
    for value in ["a\x0bb", "x\u2028y", "del\x7f", "nel\x85z", "two\nlines\x1b", "bom\ufeff"]:
        emitted = yamltext.emit_block({"k": value}, 0)
        assert not yamltext.FORBIDDEN.search(emitted), emitted
        # written as an escape, and read back as what it is: refused, located, never raw
        with pytest.raises(yamltext.YamlProblem, match="written as an escape"):
            yamltext.parse(emitted)


# ---------------------------------------------------------------------------------------
# Text coming in through command options


OPTIONS = [
    ("revise", "PLAN", "DEF-1", "--title", "{}"),
    ("revise", "PLAN", "DEF-1", "--box", "{}"),
    ("revise", "PLAN", "DEF-1", "--result", "{}"),
    ("revise", "PLAN", "DEF-1", "--add-result", "{}"),
    ("revise", "PLAN", "DEF-1", "--indicator", "{}"),
    ("revise", "PLAN", "DEF-1", "--actors", "{}"),
    ("add", "PLAN", "--direction", "FIN", "--stage", "S2", "--title", "{}"),
    ("add", "PLAN", "--direction", "FIN", "--stage", "S2", "--title", "ok", "--box", "{}"),
    ("add", "PLAN", "--direction", "FIN", "--stage", "S2", "--title", "ok", "--owner", "{}"),
    ("assign", "PLAN", "DEF-1", "--owner", "{}"),
    ("assign", "PLAN", "DEF-1", "--owner", "A. Usenova", "--org", "{}"),
    ("assign", "PLAN", "DEF-1", "--owner", "A. Usenova", "--contact", "{}"),
    ("tick", "PLAN", "DEF-1", "--note", "{}"),
    ("goal", "PLAN", "{goal}", "--reached", "--evidence", "{}"),
]


@pytest.mark.parametrize("args", OPTIONS, ids=[f"{a[0]} {next(x for x in reversed(a) if x.startswith('--') and x != '--reached')}" for a in OPTIONS])
@pytest.mark.parametrize("char", ["\x0b", "\x1b]8;;http://x\x1b\\", "\u2028", "\x00"])
def test_text_options_refuse_control_characters(cli, tmp_path, base_text, args, char):
    path = _write(tmp_path, base_text)
    goal = store.load(path).plan.vision.goals[0].id
    value = f"Checked by{char} the ministry"
    flag = next(a for a in reversed(args) if a.startswith("--") and a != "--reached")
    filled = [value if a == "{}" else goal if a == "{goal}" else a for a in args]
    _refused(cli, path, *filled, says=flag)


def test_windows_line_ends_in_an_option_are_normalised(cli, tmp_path, base_text):
    path = _write(tmp_path, base_text)
    result = cli("tick", path, "DEF-1", "--note", "first line\r\nsecond line")
    assert result.exit_code == 0, result.stderr
    assert store.load(path).plan.tasks[0].status_note == "first line\nsecond line"
    assert b"\r" not in path.read_bytes()


def test_the_store_refuses_to_write_a_control_character_whoever_asks(tmp_path, base_text):
    from roadmap.changes import Change
    from roadmap.errors import BadValue

    path = _write(tmp_path, base_text)
    doc = store.load(path)
    with pytest.raises(BadValue, match=r"tasks\[DEF-1\]\.title.*vertical tab"):
        store.commit(doc, [Change(("tasks", "DEF-1", "title"), "x", "a\x0bb")], command="test", today=TODAY)
    assert path.read_text(encoding="utf-8") == base_text


# ---------------------------------------------------------------------------------------
# Diagnostics are linear


def test_alias_bomb_with_a_nested_duplicate_key_is_refused_at_once(cli, tmp_path):
    """The duplicate-key diagnosis walked the aliases expanded: 9**9 nodes, a hang."""
    bomb = "z:\n  k: 1\n  k: 2\na: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    path = _write(tmp_path, bomb)
    start = time.perf_counter()
    _refused(cli, path, "validate", "PLAN", located=(4, 4), says="anchors (&a)")
    assert time.perf_counter() - start < 10


def test_duplicate_key_diagnosis_visits_a_shared_node_once(monkeypatch):
    """Even with the anchor check out of the way, the walk does not expand aliases."""
    monkeypatch.setattr(yamltext, "_maybe_anchor", lambda text: False)
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    ) + "z:\n  k: 1\n  k: 2\n"
    problem = yamltext._duplicate_problem(bomb, "duplicate key")
    assert 'duplicate key "k"' in problem.message and problem.line == 12


def test_a_dependency_chain_of_over_a_thousand_tasks(cli, tmp_path):
    """checks._cycles recursed once per link: RecursionError in validate, status, render."""
    path = _write(tmp_path, grown_plan_text(tmp_path, 1200, chain=True))  # a chain of 1,170 links
    for args in (
        ("validate", path),
        ("status", path, "--as-of", "2024-01-01"),
        ("render", "action-plan", path, "--format", "html", "-o", tmp_path / "a.html"),
        ("render", "flowchart", path, "--format", "mermaid", "-o", tmp_path / "f.mmd"),
        ("render", "timeline", path, "--format", "mermaid", "-o", tmp_path / "t.mmd"),
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)


def test_a_dependency_cycle_through_a_long_chain_is_found_once(tmp_path):
    text = grown_plan_text(tmp_path, 1500, chain=True)
    first = re.search(r"id: (KG-\S+)", text).group(1)
    last = re.findall(r"id: (KG-\S+)", text)[-1]
    at = text.index(f"id: {last}\n")  # the chain runs first -> ... -> last; close it
    end = text.index("\n", at)
    text = text[:end] + f"\n    depends_on:\n      - {first}" + text[end:]
    doc, findings = store.inspect(_write(tmp_path, text), today=TODAY)
    cycles = [f for f in findings if "dependency cycle" in f.message]
    assert len(cycles) == 1 and cycles[0].line is not None
    assert cycles[0].message.count("->") == 1500 - 30


def test_a_value_longer_than_the_cap_is_refused_located(cli, tmp_path, base_text):
    """A 15 MB direction name took `status` over 100 s."""
    huge = "Definition" + "x" * 15_000_000
    text = base_text.replace("name: Definition\n", f"name: {huge}\n", 1)
    path = _write(tmp_path, text)
    start = time.perf_counter()
    message = _refused(cli, path, "status", "PLAN", located=_line_col(text, f"name: {huge[:20]}"), says="at most 100,000")
    assert "15,000,010 characters" in message and len(message) < 1000
    assert time.perf_counter() - start < 10


def test_locating_findings_composes_each_piece_once(tmp_path, monkeypatch):
    """2,000 findings cost ten times 200, not a hundred: count the composes, not seconds."""
    calls: list[int] = []
    real = yamltext._compose

    def counting(text: str, line_offset: int = 0):
        calls.append(len(text))
        return real(text, line_offset)

    monkeypatch.setattr(yamltext, "_compose", counting)
    sizes = {}
    for n in (200, 2000):
        text = grown_plan_text(tmp_path, n, chain=True)
        # a finding deeper than the fast path reaches, in every added task
        text = re.sub(r"(    depends_on:\n      - )(KG-)", r"\1NOPE-\2", text)
        calls.clear()
        doc, findings = store.inspect(_write(tmp_path, text, f"p{n}.yaml"), today=TODAY)
        deep = [f for f in findings if "unknown task" in f.message]
        assert len(deep) == n - 31 and all(f.line for f in deep)
        sizes[n] = (len(calls), sum(calls), len(text))
    # one compose per task holding a finding, each of that task's text only
    for n, (count, composed, size) in sizes.items():
        assert count <= n and composed <= size


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_cr_and_crlf_files_validate_with_every_finding_located_and_keep_their_line_ends(
    cli, tmp_path, monkeypatch, newline
):
    """CR-only files made validate compose the whole file per warning (330 tasks: 155 s)."""
    text = grown_plan_text(tmp_path, 330)
    path = _write(tmp_path, text.replace("\n", newline))
    whole: list[int] = []
    real = yamltext._compose
    monkeypatch.setattr(
        yamltext, "_compose", lambda t, line_offset=0: (whole.append(1) if len(t) >= len(text) else None) or real(t, line_offset)
    )
    doc, findings = store.inspect(path, today=TODAY)
    assert doc is not None and len(findings) > 400 and all(f.line for f in findings) and not whole
    assert cli("tick", path, "DEF-1", "--on", "2024-06-30").exit_code == 0
    after = path.read_bytes().decode("utf-8")
    assert after.replace(newline, "") .count("\n") == 0 and after.count(newline) > text.count("\n")


# ---------------------------------------------------------------------------------------
# Line endings


def test_an_edit_of_a_mixed_crlf_lf_file_changes_only_its_own_lines(cli, tmp_path, base_text):
    """One tick rewrote every untouched LF line as CRLF."""
    lines = base_text.split("\n")[:-1]
    ends = ["\r\n" if i % 3 == 0 else "\n" for i in range(len(lines))]
    raw = "".join(line + end for line, end in zip(lines, ends))
    path = _write(tmp_path, raw)
    assert cli("tick", path, "DEF-1", "--on", "2024-06-30").exit_code == 0
    after = path.read_bytes().decode("utf-8")
    before_lines = raw.splitlines(keepends=True)
    after_lines = after.splitlines(keepends=True)
    status_at = next(i for i, ln in enumerate(before_lines) if ln.strip() == "status: planned" and i > raw[: raw.index("id: DEF-1")].count("\n"))
    # everything before the edited line, byte for byte, line ends included
    assert after_lines[:status_at] == before_lines[:status_at]
    # the edited line and the one added after it take the edited line's end
    assert after_lines[status_at] == "    status: done" + ends[status_at]
    assert after_lines[status_at + 1] == "    status_date: 2024-06-30" + ends[status_at]
    # everything after it, up to the appended history, as it was
    rest = before_lines[status_at + 1 :]
    assert after_lines[status_at + 2 : status_at + 2 + len(rest)] == rest
    assert store.load(path).plan.tasks[0].status.value == "done"


def test_a_bom_and_crlf_file_keeps_both(cli, tmp_path, base_text):
    path = _write(tmp_path, "\ufeff" + base_text.replace("\n", "\r\n"))
    assert cli("tick", path, "DEF-1").exit_code == 0
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode()) and raw.count(b"\n") == raw.count(b"\r\n")


# ---------------------------------------------------------------------------------------
# The fuzz: mangled plans through validate, status, an edit and an HTML render


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_NASTY = [
    "\x00", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\t", "\r", "\r\n",
    ":", "- ", "&a ", "*a", '"', "'", "{", "[", "#", "|", ">", "x: y", "\\", "%", "? ", "!!str ",
    "\xa0", "<script>", "&x [1, *x]", "\n  ", "\n\t",
]


def _mutations(length: int) -> st.SearchStrategy:
    at = st.integers(0, 10**6)
    return st.lists(
        st.one_of(
            st.tuples(st.just("insert"), at, st.sampled_from(_NASTY)),
            st.tuples(st.sampled_from(["delete", "duplicate", "indent", "dedent", "tab-indent"]), at, st.just("")),
            st.tuples(st.just("truncate"), at, st.just("")),
            st.tuples(st.just("line-ends"), at, st.sampled_from(["\r\n", "\r"])),
            st.tuples(st.just("anchor"), at, st.sampled_from(["&a", "*a", "&b {x: *a}"])),
        ),
        min_size=1,
        max_size=4,
    )


def _mutate(text: str, edits: list[tuple[str, int, str]]) -> str:
    for kind, at, arg in edits:
        lines = text.splitlines(keepends=True) or [""]
        row = at % len(lines)
        if kind == "insert":
            offset = at % (len(text) + 1)
            text = text[:offset] + arg + text[offset:]
            continue
        if kind == "truncate":
            text = text[: at % (len(text) + 1)]
            continue
        if kind == "line-ends":  # this line and every other one after it
            for i in range(row, len(lines), 2):
                lines[i] = lines[i].rstrip("\r\n") + arg if lines[i].endswith("\n") else lines[i]
        elif kind == "anchor":
            lines[row] = lines[row].replace(": ", f": {arg} ", 1)
        elif kind == "delete" and len(lines) > 1:
            del lines[row]
        elif kind == "duplicate":
            lines.insert(row, lines[row])
        elif kind == "indent":
            lines[row] = "  " + lines[row]
        elif kind == "dedent":
            lines[row] = lines[row][2:] if lines[row].startswith("  ") else lines[row]
        elif kind == "tab-indent":
            lines[row] = "\t" + lines[row].lstrip(" ")
        text = "".join(lines)
    return text


@pytest.fixture(scope="module")
def small_text(tmp_path_factory: pytest.TempPathFactory) -> str:
    return small_plan_text(tmp_path_factory.mktemp("small"))


@pytest.fixture
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thousands of saves: skip the disk flush (atomicity is tested elsewhere), keep the rest."""
    monkeypatch.setattr(store.os, "fsync", lambda fd: None)


FUZZ_EXAMPLES = int(__import__("os").environ.get("FUZZ_EXAMPLES", "2000"))


@given(edits=_mutations(0))
@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_mangled_plans_never_crash_validate_status_edit_or_render(tmp_path, small_text, no_fsync, edits):
    """0 tracebacks, 0 runs over 10 s, and an edit never leaves a file the toolkit refuses."""
    from roadmap import adapt, progress
    from roadmap.errors import RoadmapError
    from roadmap.render.commands import render_file

    text = _mutate(small_text, edits)
    path = tmp_path / "mangled.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    start = time.perf_counter()
    try:
        doc, findings = store.inspect(path, today=TODAY)
        assert doc is not None or findings
        for finding in findings:
            assert finding.message and (finding.line is None or finding.line >= 1)
        if doc is not None:
            progress.summary(doc.plan, TODAY)
            render_file("action-plan", path, fmt="html", output=None)
    except RoadmapError:
        pass
    before = path.read_bytes()
    try:
        adapt.tick(path, ["DEF-1"], on="2024-06-30", today=TODAY)
    except RoadmapError:
        assert path.read_bytes() == before
    else:
        store.load(path, today=TODAY)  # still a plan the toolkit reads
    assert time.perf_counter() - start < 10


# ---------------------------------------------------------------------------------------
# The Locator's line reading agrees with composing


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield (*prefix, i)
            yield from _paths(value, (*prefix, i))


QUIRKY = """\
schema_version: "1"
tasks:
  - id: A-1
    depends_on:
    - B-2
    # a comment between items
    - C-3
    persons_involved: [one, two]
    expected_results:
      - |
        - not an item
        - nor this
      - "a quoted
        continued result"
      -   spaced out
    box:
      text: x
      order: 1
    owner: {name: Flow}
  -   id: B-2
      depends_on:
        - A-1
      comments:
        - date: 2024-01-01
          text: first

          # a comment inside
        - text: second
          date: 2024-02-02
  - id: C-3
    depends_on: []
"""


@pytest.mark.parametrize("which", ["country", "small", "quirky"])
def test_the_locator_reads_lines_exactly_where_composing_points(tmp_path, which):
    """The line-reading fast path (no compose per finding) gives composing's answer, or none."""
    text = {
        "country": lambda: country_plan(tmp_path).read_text(encoding="utf-8"),
        "small": lambda: small_plan_text(tmp_path),
        "quirky": lambda: QUIRKY,
    }[which]()
    data = yamltext.parse(text)
    fast_answers = 0
    locator = yamltext.Locator(text, data)
    for path in _paths(data):
        if len(path) < 3:
            continue
        fast = locator._fast(path)
        if fast is None:
            continue
        fast_answers += 1
        found = yamltext.locate(text, data, path, partial=True)
        node = found.key_node if found.key_node is not None else found.node
        expected = (found.piece.line + node.start_mark.line + 1, node.start_mark.column + 1)
        assert fast == expected, path
    assert fast_answers > (10 if which == "quirky" else 100)


@given(edits=_mutations(0))
@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_the_locator_agrees_with_composing_on_mangled_plans(small_text, edits):
    text = _mutate(small_text, edits)
    try:
        data = yamltext.parse(text)
    except yamltext.YamlProblem:
        return
    if not isinstance(data, dict):
        return
    locator = yamltext.Locator(text, data)
    for path in _paths(data):
        fast = locator._fast(path) if len(path) >= 3 else None
        if fast is None:
            continue
        try:
            found = yamltext.locate(text, data, path, partial=True)
        except yamltext.YamlProblem:
            continue
        node = found.key_node if found.key_node is not None else found.node
        assert fast == (found.piece.line + node.start_mark.line + 1, node.start_mark.column + 1), path


def test_several_documents_are_refused_at_the_line_that_starts_the_second(tmp_path, base_text):
    for mark in ("---", "..."):
        text = base_text.replace("\ntasks:", f"\n{mark}\ntasks:", 1)
        doc, findings = store.inspect(_write(tmp_path, text), today=TODAY)
        assert doc is None and "several YAML documents" in findings[0].message
        assert findings[0].line == _line_col(text, f"\n{mark}\n")[0] + 1


def test_the_cap_holds_for_values_the_schema_leaves_free(tmp_path, base_text):
    """history old/new and conflict values are `Any` to pydantic; the cap still applies."""
    text = base_text.rstrip("\n") + "\n  - date: 2024-01-01\n    command: revise\n    task: DEF-1\n    field: title\n    old: x\n    new: " + "y" * 100_001 + "\n"
    doc, findings = store.inspect(_write(tmp_path, text), today=TODAY)
    errors = [f for f in findings if f.severity == "error"]
    assert doc is None or errors
    assert "100,001 characters" in errors[0].message and errors[0].path.startswith("history[")
    assert errors[0].line == text.count("\n")  # the last line: "    new: yyy..."
