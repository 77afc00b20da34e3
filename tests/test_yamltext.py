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
