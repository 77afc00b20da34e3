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
