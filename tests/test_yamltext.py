"""Emitted values read back as the same data, whatever the text (property tests)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap import store, yamltext
from roadmap.changes import Change

# Text a user may type: any printable character, including quotes, colons, hashes,
# Cyrillic, leading dashes and line breaks.
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff") | st.sampled_from("\n:#-'\"&*!|>% "),
    min_size=1,
    max_size=60,
)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | texts,
    lambda inner: st.lists(inner, min_size=1, max_size=3)
    | st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), inner, min_size=1, max_size=3),
    max_leaves=6,
)


@given(texts)
@settings(max_examples=300)
def test_scalar_round_trip(text):
    assert yamltext.parse(f"k: {yamltext.emit_scalar(text)}\n") == {"k": text}


@given(values)
@settings(max_examples=300)
def test_block_round_trip_at_any_depth(value):
    for data in ({"k": value}, {"root": {"k": value}}, {"root": [value, {"k": value}]}):
        lines = yamltext._block_lines(data, 0)
        assert yamltext.parse("\n".join(lines) + "\n") == data


@given(texts)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_any_title_survives_an_edit(model_copy, text):
    doc = store.load(model_copy)
    old = doc.plan.task("DAT-2").title
    if not text.strip():
        return
    store.commit(doc, [Change(("tasks", "DAT-2", "title"), old, text)], command="test", record=False)
    assert store.load(model_copy).plan.task("DAT-2").title == text


owners = st.none() | st.builds(lambda n, o: {"name": n, **({"organisation": o} if o else {})}, texts.filter(str.strip), st.none() | texts)
lists = st.none() | st.lists(texts, min_size=1, max_size=3)
edits = st.lists(
    st.tuples(
        st.sampled_from(["DEF-1", "CUL-3", "DAT-3", "INF-3"]),
        st.sampled_from(["owner", "expected_results", "international_examples", "status_note", "comments"]),
        st.integers(0, 10**6),
    ),
    min_size=1,
    max_size=4,
)


@given(edits, st.data())
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
def test_random_edits_splice_exactly(model_copy, plan_edits, data):
    """Set, replace and delete values of several shapes; the store must never refuse or mangle."""
    for task_id, field, _ in plan_edits:
        doc = store.load(model_copy)
        old = yamltext.get_path(doc.data, ("tasks", task_id, field))
        if field == "owner":
            new = data.draw(owners)
        elif field == "status_note":
            new = data.draw(st.none() | texts)
        elif field == "comments":
            new = data.draw(st.none() | st.lists(st.builds(lambda t: {"text": t}, texts.filter(str.strip)), min_size=1, max_size=2))
        else:
            new = data.draw(lists)
        if old == new:
            continue
        store.commit(doc, [Change(("tasks", task_id, field), old, new)], command="test")
        after = store.load(model_copy).data
        assert yamltext.get_path(after, ("tasks", task_id, field)) == new
        assert after["history"][-1]["new"] == new


# Lines a plan's text is made of, and the odd ones: keys at column 0, dashes at several
# indents, document marks, comments, blank lines, tabs, a missing final newline.
_line_kinds = st.sampled_from(
    ["tasks:", "meta:", "  - id: A", "  -", "- x", "-x", "    title: y", "# c", "  # c", "", " ", "\t-",
     "---", "...", "key :", "k:v", "  - id: B", "history:", "  -\ta", "%YAML 1.2"]
)


@given(st.lists(_line_kinds, max_size=14), st.booleans(), st.integers(0, 40), st.integers(0, 40))
@settings(max_examples=400)
def test_fast_line_patterns_match_what_caret_multiline_matches(lines, final_newline, pos, end):
    """The newline-jumping search finds exactly what "^" with re.M finds, from any start."""
    import re

    text = "\n".join(lines) + ("\n" if final_newline and lines else "")
    end = max(min(end, len(text)), 0)
    pos = min(pos, end)
    for body in (yamltext._TOP_KEY, yamltext._TOP_BOUNDARY, yamltext._ITEM, yamltext._LinePattern(r"  -(?:[ \t]|$)")):
        reference = re.compile("^" + body._at.pattern, re.M)
        assert [m.span() for m in body.finditer(text, pos, end)] == [m.span() for m in reference.finditer(text, pos, end)]
        found, expected = body.search(text, pos, end), reference.search(text, pos, end)
        assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))
    for key in ("tasks", "meta", "history"):
        assert yamltext.top_level_block(text, key) == _reference_block(text, key)


def _reference_block(text, key):
    """top_level_block as it was written with "^" and re.M (the specification)."""
    import re

    top = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?=\s|$)", re.M)
    boundary = re.compile(r"^(?:[^\s#\-]|-[^\s]|---|\.\.\.)", re.M)
    for match in top.finditer(text):
        if match.group("key") != key:
            continue
        after = text.find("\n", match.start())
        if after < 0:
            return yamltext.Piece(match.start(), len(text), text.count("\n", 0, match.start()))
        nxt = boundary.search(text, after + 1)
        return yamltext.Piece(match.start(), nxt.start() if nxt else len(text), text.count("\n", 0, match.start()))
    return None


@given(st.lists(_line_kinds, max_size=14), st.integers(0, 40), st.integers(0, 40))
@settings(max_examples=300)
def test_line_pattern_starts_are_the_finditer_starts(lines, pos, end):
    text = "\n".join(lines)
    end = max(min(end, len(text)), 0)
    pos = min(pos, end)
    for pattern in (yamltext._ITEM, yamltext._LinePattern(r"  -(?:[ \t]|$)"), yamltext._TOP_KEY):
        assert pattern.starts(text, pos, end) == [m.start() for m in pattern.finditer(text, pos, end)]


# ---------------------------------------------------------------------------------------
# An edit is verified on the list items it touched: never accepted when the whole text
# reads otherwise.

_SNIPPETS = [
    "\n  - id: NEW-1\n    title: x", "\n    extra: 1", "\n  extra: 1", "\nextra: 1", "\n- id: Z", "\n# a comment",
    "\n  # a comment", '\n    title: "unclosed', "\n    title: [a,", "\n    note: |\n      text\n  - id: Q",
    " # tail", ": x", "\n---\n", "\n...\n", "\t", "\n\t- a", "&anchor ", "*alias", "\n    - a", "\n      deeper: 2",
    "\n  -", "\n  -\n    id: R", "\n\n", "x", "\"", "'", "{", "}", "\n  - [a, b]", "\n%TAG ! tag:x,2000:\n",
    "\n    status: done", "\n    id: DUP", " \\x1b", "\u2028",
]


def _kg_text() -> str:
    from roadmap.resources import model_path

    return model_path().read_text(encoding="utf-8")


@given(st.data())
@settings(max_examples=300, deadline=None)
def test_pieces_never_vouch_for_a_text_that_reads_otherwise(data):
    """Splice anything anywhere into a task; read the touched item on its own (what the
    piece check reads) and build the data it would vouch for; whenever it vouches, the
    whole text must parse to exactly that."""
    text = _kg_text()
    old = yamltext.parse(text)
    block = yamltext.top_level_block(text, "tasks")
    items = yamltext.sequence_items(text, block)
    k = data.draw(st.integers(0, len(items) - 1))
    item = items[k]
    at = data.draw(st.integers(item.start, item.end))
    cut = data.draw(st.integers(0, min(40, item.end - at)))
    snippet = "".join(data.draw(st.lists(st.sampled_from(_SNIPPETS), min_size=1, max_size=3)))
    splice = yamltext.Splice(at, at + cut, snippet)
    new = yamltext.apply(text, splice)
    piece = new[item.start : item.end + len(snippet) - cut]
    try:
        read = yaml_rs_loads(piece)
    except Exception:
        read = None
    candidates = [old]
    if isinstance(read, list):
        candidates.append({**old, "tasks": [*old["tasks"][:k], *read, *old["tasks"][k + 1 :]]})
    for expected in candidates:
        if yamltext.verified_by_pieces(text, old, new, expected, [splice]):
            assert yamltext.parse(new) == expected


def yaml_rs_loads(text):
    import yaml_rs

    return yaml_rs.loads(text, parse_datetime=False)


def test_pieces_vouch_for_the_edits_commands_make(kg_plan):
    """A tick (a changed field, a field added, history appended) is proven on its pieces,
    so no whole parse is needed; the result is what a whole parse gives."""
    doc = store.load(kg_plan)
    assert doc.data.get("history")
    changes = [
        Change(("tasks", "DAT-2", "status"), "planned", "done"),
        Change(("tasks", "DAT-2", "status_date"), None, "2026-05-01"),
        Change(("tasks", "INF-3", "owner"), None, {"name": "A. Person", "organisation": "Ministry"}),
        Change(("history", len(doc.data.get("history") or [])), None, {"date": "2026-05-01", "command": "tick", "task": "DAT-2"}),
        Change(("history", len(doc.data.get("history") or []) + 1), None, {"date": "2026-05-01", "command": "tick", "task": "INF-3"}),
    ]
    splices: list = []
    text, expected = store.splice_changes(doc.text, doc.data, changes, splices)
    assert yamltext.verified_by_pieces(doc.text, doc.data, text, expected, splices)
    assert yamltext.parse(text) == expected
    wrong = {**expected, "tasks": [*expected["tasks"][:-1], {**expected["tasks"][-1], "title": "not in the text"}]}
    assert not yamltext.verified_by_pieces(doc.text, doc.data, text, wrong, splices)
    moved = {**expected, "meta": {**expected["meta"], "title": "not in the text"}}
    assert not yamltext.verified_by_pieces(doc.text, doc.data, text, moved, splices)


def test_changed_regions_map_sequential_splices_to_the_old_text():
    old = "0123456789abcdefghij"
    splices = [yamltext.Splice(2, 4, "XYZ"), yamltext.Splice(10, 10, "++"), yamltext.Splice(5, 6, ""), yamltext.Splice(0, 1, "")]
    text = old
    for splice in splices:
        text = yamltext.apply(text, splice)
    regions = yamltext._changed_regions(splices)
    # rebuild the new text from the old one and the regions
    rebuilt, at, shift = "", 0, 0
    for start, end, delta in regions:
        rebuilt += old[at:start]
        length = end - start + delta
        rebuilt += text[start + shift : start + shift + length]
        shift += delta
        at = end
    rebuilt += old[at:]
    assert rebuilt == text


def test_changed_regions_rebuild_the_new_text_for_any_order_of_splices():
    """Splices in any order, overlapping, touching, empty, deleting: the regions say which
    parts of the old text changed and by how much, so the old text outside them and the new
    text inside them make the new text."""
    import random

    rng = random.Random(7)
    for _ in range(2000):
        old = "".join(rng.choice("abc\n") for _ in range(rng.randint(0, 60)))
        text, splices = old, []
        for _ in range(rng.randint(1, 12)):
            start = rng.randint(0, len(text))
            end = rng.randint(start, min(len(text), start + rng.randint(0, 6)))
            splice = yamltext.Splice(start, end, "X" * rng.choice([0, 0, 1, 3, 7]))
            splices.append(splice)
            text = yamltext.apply(text, splice)
        regions = yamltext._changed_regions(splices)
        assert all(a[1] < b[0] for a, b in zip(regions, regions[1:]))  # disjoint, apart, in order
        rebuilt, at, shift = "", 0, 0
        for start, end, delta in regions:
            rebuilt += old[at:start] + text[start + shift : end + shift + delta]
            shift += delta
            at = end
        assert rebuilt + old[at:] == text
