"""The store: edits change only their lines, writes are atomic, concurrent edits lose nothing."""

from __future__ import annotations

import difflib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from roadmap import store, yamltext
from roadmap.changes import Change
from roadmap.errors import EditRefused

ROOT = Path(__file__).resolve().parent.parent


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_one_value_edit_changes_only_that_line(model_copy):
    text = model_copy.read_text(encoding="utf-8")
    text = text.replace("    year_start: 2\n", "    year_start: 2  # as the Green Paper says\n", 1)
    model_copy.write_text(text, encoding="utf-8")
    doc = store.load(model_copy)
    task = next(t for t in doc.plan.tasks if t.year_start == 2)
    store.commit(doc, [Change(("tasks", task.id, "title"), task.title, "Новое название: тест")], command="test", record=False)
    after = model_copy.read_text(encoding="utf-8")
    assert _changed_lines(text, after) == [
        f"-    title: {yamltext.emit_scalar(task.title)}",
        '+    title: "Новое название: тест"',
    ]
    assert after.count("#") == text.count("#")
    assert "year_start: 2  # as the Green Paper says" in after
    assert store.load(model_copy).plan.task(task.id).title == "Новое название: тест"


def test_edit_with_history_adds_only_the_history_entry(kg_plan):
    before = kg_plan.read_text(encoding="utf-8")
    store.edit(
        kg_plan,
        lambda doc: [Change(("tasks", "INF-1", "status"), "planned", "in_progress")],
        command="test",
    )
    after = kg_plan.read_text(encoding="utf-8")
    changed = _changed_lines(before, after)
    assert changed[:2] == ["-    status: planned", "+    status: in_progress"]
    assert all(line.startswith("+") for line in changed[2:])
    assert "+  - date: " in changed[2]
    assert store.load(kg_plan).data["history"][-1]["new"] == "in_progress"


def test_block_text_quoting_and_key_order_survive(model_copy):
    text = model_copy.read_text(encoding="utf-8")
    doc = store.load(model_copy)
    store.commit(doc, [Change(("meta", "horizon"), 5, 6)], command="test", record=False)
    after = model_copy.read_text(encoding="utf-8")
    assert _changed_lines(text, after) == ["-  horizon: 5", "+  horizon: 6"]
    assert 'version: "2021.2"' in after  # quoting kept


def test_edit_that_would_break_the_plan_is_refused(model_copy):
    before = model_copy.read_bytes()
    doc = store.load(model_copy)
    with pytest.raises(Exception) as info:
        store.commit(doc, [Change(("tasks", "DAT-1", "year_end"), 1, 9)], command="test")
    assert "outside the plan's horizon" in str(info.value)
    assert model_copy.read_bytes() == before


def test_unusual_layout_is_refused_not_mangled(tmp_path, model_copy):
    # A flow-style task list cannot be spliced item by item; the store must notice.
    doc = store.load(model_copy)
    data = doc.data
    import json

    flow = doc.text[: doc.text.index("tasks:")] + "tasks: " + json.dumps(data["tasks"], ensure_ascii=False) + "\n"
    flow += doc.text[doc.text.index("sections:") :]
    model_copy.write_text(flow, encoding="utf-8")
    doc = store.load(model_copy)
    before = model_copy.read_bytes()
    try:
        store.commit(doc, [Change(("tasks", "DAT-1", "status"), "planned", "done")], command="test")
    except EditRefused:
        assert model_copy.read_bytes() == before
    else:
        assert store.load(model_copy).plan.task("DAT-1").status.value == "done"


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from roadmap import store
    from roadmap.changes import Change
    path = Path(sys.argv[1])
    n = 0
    while True:
        doc = store.load(path)
        old = doc.plan.meta.horizon
        store.commit(doc, [Change(("meta", "horizon"), old, 6 if old == 5 else 5)], command="test", record=False)
        n += 1
        print(n, flush=True)
    """
)


def test_killed_writer_always_leaves_a_whole_file(model_copy):
    # Make the file large so a write takes long enough to be interrupted.
    text = model_copy.read_text(encoding="utf-8")
    padding = "".join(f"# padding line {i} " + "x" * 200 + "\n" for i in range(20000))
    model_copy.write_text(text + padding, encoding="utf-8")
    versions = {5, 6}
    rng = random.Random(7)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(model_copy)], env=env, stdout=subprocess.PIPE, text=True
        )
        proc.stdout.readline()  # at least one write done
        time.sleep(rng.uniform(0.0, 0.3))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        doc = store.load(model_copy)
        assert doc.plan.meta.horizon in versions
        assert doc.text.endswith(padding)


CONCURRENT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from roadmap import adapt
    path, tasks = Path(sys.argv[1]), sys.argv[2:]
    for task in tasks:
        adapt.tick(path, [task], status="in-progress", note="by " + task)
    """
)


def test_concurrent_writers_lose_no_update(kg_plan):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = ["CUL-1", "CUL-2", "CUL-3", "CUL-5", "ADV-1", "ADV-2"]
    second = ["EDU-1", "EDU-2", "EDU-3", "EDU-4", "INF-1", "INF-2"]
    procs = [
        subprocess.Popen([sys.executable, "-c", CONCURRENT, str(kg_plan), *ids], env=env)
        for ids in (first, second)
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    plan = store.load(kg_plan).plan
    for task_id in first + second:
        assert plan.task(task_id).status.value == "in_progress", task_id
        assert plan.task(task_id).status_note == f"by {task_id}"
    notes = [h.new for h in plan.history if h.field == "status_note"]
    assert sorted(n for n in notes if n and n.startswith("by ")) == sorted(f"by {t}" for t in first + second)


def test_lock_timeout_is_a_clear_message(kg_plan, monkeypatch):
    from filelock import FileLock

    from roadmap.errors import Busy

    holder = FileLock(str(kg_plan.parent / f".{kg_plan.name}.lock"))
    holder.acquire()
    try:
        with pytest.raises(Busy) as info:
            with store.locked(kg_plan, timeout=0.1):
                pass
        assert "another roadmap command is editing this plan" in str(info.value)
    finally:
        holder.release()


def test_windows_bom_and_crlf_survive_an_edit(model_copy):
    text = model_copy.read_text(encoding="utf-8")
    model_copy.write_bytes(("\ufeff" + text).replace("\n", "\r\n").encode("utf-8"))
    doc = store.load(model_copy)
    store.commit(doc, [Change(("meta", "horizon"), 5, 6)], command="test", record=False)
    raw = model_copy.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert raw.decode("utf-8") == ("\ufeff" + text.replace("  horizon: 5\n", "  horizon: 6\n")).replace("\n", "\r\n")


def test_new_files_get_ordinary_permissions_and_edits_keep_them(tmp_path, kg_plan):
    os.chmod(kg_plan, 0o640)
    store.edit(kg_plan, lambda doc: [Change(("tasks", "INF-1", "status"), "planned", "done")], command="test")
    assert kg_plan.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "new.txt"
    store.write_atomic(fresh, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~mask


def test_unwritable_places_give_a_message_not_a_traceback(tmp_path, cli, kg_plan):
    missing = tmp_path / "no-such-folder" / "kg.yaml"
    result = cli("init", "--country", "KG", "-o", missing)
    assert result.exit_code == 1
    assert f"cannot edit {missing}" in result.stderr and "Traceback" not in result.output
    result = cli("schema", "-o", tmp_path / "no-such-folder" / "s.json")
    assert result.exit_code == 1 and "cannot write" in result.stderr
    if os.geteuid() != 0:  # root may write anywhere
        folder = kg_plan.parent
        os.chmod(folder, 0o500)
        try:
            before = kg_plan.read_bytes()
            result = cli("tick", kg_plan, "INF-1")
            assert result.exit_code == 1 and "cannot" in result.stderr
            assert kg_plan.read_bytes() == before
        finally:
            os.chmod(folder, 0o700)


def test_an_edit_validates_only_what_it_changed_and_gets_the_same_plan(kg_plan: Path) -> None:
    from roadmap.changes import Change, apply_to_data
    from roadmap.model import Roadmap

    doc = store.load(kg_plan)
    changes = [
        Change(("tasks", "DAT-2", "status"), "planned", "in_progress"),
        Change(("tasks", "FIN-1", "owner"), None, {"name": "B. Toktogulov"}),
        Change(("history", len(doc.data["history"])), None, {"date": "2026-06-30", "command": "tick", "field": "status"}),
    ]
    data = doc.data
    for change in changes:
        data = apply_to_data(data, change)
    revalidated = store._revalidated(doc, data)
    assert revalidated is not None
    plan, changed, appended_from = revalidated
    assert plan == Roadmap.model_validate(data)
    assert [doc.plan.tasks[i].id for i in changed] == ["DAT-2", "FIN-1"] and appended_from == len(doc.data["history"])
    assert plan.task("DAT-2").status.value == "in_progress" and plan.task("FIN-1").owner.name == "B. Toktogulov"
    assert plan.tasks[0] is doc.plan.tasks[0]  # untouched tasks are not validated again
    invalid = apply_to_data(doc.data, Change(("tasks", "DAT-2", "year_start"), 2, 9))
    assert store._revalidated(doc, invalid) is None  # the full validation locates the problem
    meta = apply_to_data(doc.data, Change(("meta", "title"), doc.data["meta"]["title"], "New"))
    assert store._revalidated(doc, meta) is None


def test_edit_errors_are_the_errors_check_finds(kg_plan: Path) -> None:
    """An edit of a few tasks re-checks only those tasks (and appended history): the same
    errors, in the same order, as checking the whole plan, on edits that break it in every
    way the checks know, or returns None (the caller then checks the whole plan)."""
    from roadmap.changes import apply_to_data
    from roadmap.checks import check, edit_errors
    from roadmap.model import MAX_TEXT

    doc = store.load(kg_plan)
    ids = [t.id for t in doc.plan.tasks]
    edits = [
        ("status", "not_needed"), ("status_note", "why"), ("owner", {"name": "A"}), ("year_end", 9), ("year_start", 7),
        ("title", "New title"), ("depends_on", [ids[0]]), ("depends_on", ["NOPE-1"]), ("direction", "XXX"), ("stage", "S9"),
        ("id", ids[1]), ("box", None), ("status", "done"), ("comments", "x" * 10),
    ]
    rng = random.Random(15)
    seen_none = seen_errors = 0
    for _ in range(200):
        data = doc.data
        for _ in range(rng.randint(1, 3)):
            field, value = rng.choice(edits)
            task = rng.randrange(10)
            if field == "box" and data["tasks"][task].get("box") is None:
                continue
            data = apply_to_data(data, Change(("tasks", task, field), None, value))
        if rng.random() < 0.5:
            entry = {"date": "2026-05-01", "command": "tick", "new": "y" * (MAX_TEXT + 1 if rng.random() < 0.5 else 3)}
            data = apply_to_data(data, Change(("history", len(data["history"])), None, entry))
        revalidated = store._revalidated(doc, data)
        if revalidated is None:
            continue  # invalid by the schema: the whole validation reports it
        plan, changed, appended_from = revalidated
        found = edit_errors(doc.plan, plan, changed, appended_from)
        if found is None:
            seen_none += 1
            continue
        expected = [i for i in check(plan) if i.severity == "error"]
        assert found == expected
        seen_errors += bool(expected)
    assert seen_none and seen_errors  # both ways were taken


def test_check_without_warnings_gives_the_same_errors(kg_plan: Path) -> None:
    from roadmap.checks import check

    plan = store.load(kg_plan).plan
    assert check(plan, warnings=False) == [i for i in check(plan) if i.severity == "error"]


def _random_changes(data: dict, rng: random.Random, count: int, favoured: list[str] = ()) -> list[Change]:
    """A batch as commands make them: fields set, added and removed inside tasks, items
    appended to a task's lists, tasks added and removed, other top-level lists and meta."""
    from roadmap.changes import apply_to_data

    changes: list[Change] = []
    added = 0
    for _ in range(count):
        tasks = data["tasks"]
        ids = [t["id"] for t in tasks]
        chosen = [tid for tid in favoured if tid in ids]
        task = tasks[ids.index(rng.choice(chosen))] if chosen and rng.random() < 0.5 else rng.choice(tasks)
        tid = task["id"]
        kind = rng.randrange(15)
        if kind == 0:
            change = Change(("tasks", tid, "status"), task.get("status"), rng.choice(["done", "in_progress", "planned"]))
        elif kind == 1:
            change = Change(("tasks", tid, "status_date"), task.get("status_date"), rng.choice([None, "2025-03-01", "2026-01-31"]))
        elif kind == 2:
            owner = rng.choice([None, {"name": "A. Usenova"}, {"name": "Нургуль", "organisation": "Ассоциация: креатив", "contact": "n@example.kg"}])
            change = Change(("tasks", tid, "owner"), task.get("owner"), owner)
        elif kind == 3:
            change = Change(("tasks", tid, "title"), task["title"], rng.choice(["A: colon title", "Line one\nline two", "#not a comment", "plain"]))
        elif kind == 4:
            comments = task.get("comments")
            item = {"date": "2026-05-01", "text": f"comment {rng.randrange(99)}: noted"}
            change = Change(("tasks", tid, "comments", len(comments)), None, item) if comments else Change(("tasks", tid, "comments"), comments, [item])
        elif kind == 5 and task.get("expected_results"):
            change = Change(("tasks", tid, "expected_results", len(task["expected_results"])), None, "One more result")
        elif kind == 6 and task.get("success_indicators"):
            first = task["success_indicators"][0]
            new = {"text": first if isinstance(first, str) else first["text"], "values": [{"date": "2026-05-01", "actual": "3"}]}
            change = Change(("tasks", tid, "success_indicators", 0), first, new)
        elif kind == 7:
            added += 1
            new_task = {"id": f"KG-FIN-{90 + added}", "direction": "FIN", "stage": "S2", "title": f"Added {added}", "year_start": 1, "year_end": 2, "status": "planned", "origin": "added"}
            change = Change(("tasks", new_task["id"]), None, new_task)
        elif kind == 8 and len(tasks) > 10:
            change = Change(("tasks", tid), task, None)
        elif kind == 9:
            change = Change(("meta", "title"), data["meta"]["title"], f"Title {rng.randrange(99)}")
        elif kind == 10:
            direction = rng.choice(data["directions"])
            change = Change(("directions", direction["id"], "name"), direction["name"], f"Name {rng.randrange(99)}")
        elif kind == 11 and task.get("persons_involved"):
            change = Change(("tasks", tid, "persons_involved"), task["persons_involved"], None)
        elif kind == 12 and task.get("box"):
            change = Change(("tasks", tid, "box", "text"), task["box"]["text"], f"Box {rng.randrange(99)}")
        elif kind == 13:
            change = Change(("tasks", tid, "year_end"), task.get("year_end"), rng.choice([3, 4, 5]))
        elif kind == 14:
            change = Change(("tasks", tid, "status_note"), task.get("status_note"), rng.choice([None, "a note", "two\nlines"]))
        else:
            continue
        if change.old == change.new:
            continue
        changes.append(change)
        data = apply_to_data(data, change)
    return changes


def test_a_batch_of_changes_splices_as_each_change_alone_would(kg_plan: Path) -> None:
    """splice_changes finds the tasks once for the whole batch (an import of hundreds of
    rows): the text, the splices and the data are exactly those of splicing each Change
    on its own, one after another, on plans with comments between and inside tasks."""
    base = kg_plan.read_text(encoding="utf-8")
    base = base.replace("\n  - id: DAT-2\n", "\n  # data tasks, revised in the spring\n\n  - id: DAT-2\n", 1)
    base = base.replace("\n    status: planned\n", "\n    status: planned  # to confirm\n    # the owner comes later\n", 3)
    layouts = {  # hand-written layouts, each in its own task
        "EDU-1": [("    title: ", "    title: |-\n      Train creative entrepreneurs\n      in two cohorts\n\n    # the box follows\nBOX")],
        "EDU-2": [("    persons_involved:\n      - Working group\n      - CCAN\n", "    persons_involved:\n    - Working group\n    - CCAN\n   \n")],
        "EDU-3": [("    year_end: ", "    \"year_end\": ")],
        "EDU-4": [("    expected_results:\n      - ", "    expected_results: [\n        ")],
        "CUL-1": [("    box:\n", "    box: {text: Culture box, order: 1}\nBOXGONE")],
        "CUL-2": [("    direction: CUL\n", "    direction: CUL\n      \n")],
        "DAT-1": [("    status:", "    status_note: |\n      kept as it is\n\n    status:")],
    }
    for tid, edits in layouts.items():
        at = base.index(f"  - id: {tid}\n")
        end = base.index("\n  - id: ", at + 1)
        item = base[at:end]
        for old, new in edits:
            if old == "    title: ":
                line = item[item.index(old) :].split("\n", 1)[0]
                item = item.replace(line + "\n", new.replace("BOX", ""), 1)
            elif new.endswith("BOXGONE"):
                box_at = item.index(old)
                box_end = item.index("    year_start", box_at)
                item = item[:box_at] + new.removesuffix("BOXGONE") + item[box_end:]
            elif old == "    expected_results:\n      - ":  # a flow list over several lines
                head, rest = item[: item.index(old)], item[item.index(old) + len("    expected_results:\n") :]
                results = []
                while rest.startswith("      - "):
                    line, rest = rest.split("\n", 1)
                    results.append(line.removeprefix("      - "))
                item = head + new + ",\n        ".join(json.dumps(r) for r in results) + "\n      ]\n" + rest
            else:
                assert old in item, (tid, old)
                item = item.replace(old, new, 1)
        base = base[:at] + item + base[end:]
    kg_plan.write_text(base, encoding="utf-8")
    doc = store.load(kg_plan)
    for seed in range(20):
        rng = random.Random(seed)
        changes = _random_changes(doc.data, rng, rng.randint(1, 40), list(layouts))
        splices: list[yamltext.Splice] = []
        text, expected = store.splice_changes(doc.text, doc.data, changes, splices)
        one_by_one, data, alone = doc.text, doc.data, []
        from roadmap.changes import apply_to_data

        for change in changes:
            splice = store._splice_at(one_by_one, data, change, None)
            alone.append(splice)
            one_by_one = yamltext.apply(one_by_one, splice)
            data = apply_to_data(data, change)
        assert text == one_by_one, seed
        assert splices == alone, seed
        assert expected == data == yamltext.parse(text), seed


def test_history_entries_go_in_as_one_splice_with_the_text_of_one_by_one(kg_plan: Path) -> None:
    doc = store.load(kg_plan)
    entries = [{"date": "2026-05-01", "command": "import-sheet", "step": 9, "task": f"DAT-{i}", "field": "status", "old": None, "new": "done"} for i in (1, 2, 3)]
    splice = yamltext.splice_extend(doc.text, doc.data, "history", entries)
    assert splice is not None
    text, data = doc.text, doc.data
    for entry in entries:
        text = yamltext.apply(text, yamltext.splice_append(text, data, ("history",), entry))
        data = {**data, "history": [*data["history"], entry]}
    assert yamltext.apply(doc.text, splice) == text
    assert yamltext.parse(text) == data
    assert yamltext.splice_extend(doc.text, {**doc.data, "history": []}, "history", entries) is None  # the first entry goes in alone
