"""`roadmap upgrade`: a revised model arrives, and not one local decision is lost.

The revised model is described in revised_model.py, the country's edits in
upgrade_plan.py; every expectation below is read off those two lists.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from roadmap import adapt, store, yamltext
from roadmap.errors import HashMismatch, ModelNotFound
from roadmap.lineage import content_hash
from roadmap.resources import model_path
from roadmap.upgrade import format_text, upgrade
from roadmap.validate import validate

from revised_model import DAT_2_RESULT, EDU_1_TITLE, FIN_4, G4_TEXT, INT_1_TITLE, S1_MESSAGE, publish_revised
from upgrade_plan import KG_EDU_1_TITLE, OKED, SURVEY, TODAY, build_kg

YEARS_CONFLICT = "the model moved DAT-2 from year 2 (2025) to year 4 (2027); you moved it to year 3 (2026)"
TITLE_CONFLICT = (
    f"the model retitled EDU-1 \u201c{EDU_1_TITLE}\u201d; you retitled it \u201c{KG_EDU_1_TITLE}\u201d"
)
# Tasks the upgrade touches in the plan file; every other task's lines must stay as they were.
TOUCHED = {"DAT-2", "DAT-3", "FIN-2", "CUL-5", "FIN-4"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("upgrade")
    return build_kg(folder / "kg.yaml"), publish_revised(folder)


@pytest.fixture
def kg(built: tuple[Path, Path], tmp_path: Path) -> Path:
    target = tmp_path / "kg.yaml"
    shutil.copyfile(built[0], target)
    return target


@pytest.fixture
def revised(built: tuple[Path, Path], tmp_path: Path) -> Path:
    target = tmp_path / "central-asia-model-2022.1.yaml"
    shutil.copyfile(built[1], target)
    return target


def task(plan, ident):
    return next((t for t in plan.tasks if t.id == ident), None)


def blocks(text: str, key: str) -> dict[str, str]:
    """Each item of a top-level list, as its exact text, by id."""
    data = yamltext.parse(text)
    block = yamltext.top_level_block(text, key)
    items = yamltext.sequence_items(text, block)
    return {item["id"]: text[p.start : p.end] for item, p in zip(data[key], items)}


def test_upgrade_keeps_every_decision_and_brings_every_model_change(kg: Path, revised: Path) -> None:
    before = kg.read_text(encoding="utf-8")
    result = upgrade(kg, to=revised, today=TODAY)
    after = store.load(kg).plan

    # The country's decisions survived.
    assert (task(after, "DEF-1").status.value, task(after, "DEF-1").status_date) == ("done", dt.date(2024, 6, 30))
    assert task(after, "DEF-2").status.value == "done"
    assert task(after, "DAT-3") is None
    renamed = task(after, "DAT-4")
    assert (renamed.status.value, renamed.status_date) == ("in_progress", dt.date(2025, 3, 1))
    assert (renamed.owner.name, renamed.owner.organisation) == ("C. Asanov", "National Statistics Committee")
    assert SURVEY in renamed.expected_results
    assert task(after, "INF-3").status.value == "done"  # removed by the model, kept: the country did it
    assert task(after, "INF-3").origin.value == "added"  # now the country's own: no longer a model task
    assert task(after, "KG-FIN-1").origin.value == "added"
    assert (task(after, "DAT-2").year_start, task(after, "DAT-2").year_end) == (3, 3)  # conflict: ours kept
    assert task(after, "EDU-1").title == KG_EDU_1_TITLE  # conflict: ours kept
    assert task(after, "FIN-1").owner.name == "A. Usenova" and task(after, "FIN-2").owner.name == "A. Usenova"
    goal = next(g for g in after.vision.goals if g.id == "G4")
    assert (goal.reached, goal.reached_on) == (True, dt.date(2025, 5, 1))
    meta = after.meta
    assert (meta.id, meta.version, meta.start_year, meta.country.code) == ("kg-roadmap", "1", 2024, "KG")
    assert meta.title.endswith(": Kyrgyzstan")  # the model's new title did not arrive

    # Every model change the country did not contradict arrived.
    assert (task(after, "FIN-2").year_start, task(after, "FIN-2").year_end) == (3, 3)
    assert task(after, "DAT-2").expected_results == [DAT_2_RESULT, OKED]  # reworded, and the country's kept
    fin4 = task(after, "FIN-4")
    assert (fin4.title, fin4.year_start, fin4.stage) == (FIN_4["title"], 5, "S4")
    assert fin4.box.order == 5  # after KG-FIN-1 (3) and FIN-3 (4): the row is renumbered, not doubled
    assert task(after, "CUL-5") is None
    assert after.stage("S1").key_message == S1_MESSAGE
    assert goal.text == G4_TEXT
    assert task(after, "INT-1").title == INT_1_TITLE  # the same change on both sides: no conflict
    revised_text = revised.read_text(encoding="utf-8")
    assert meta.based_on.model_dump() == {"id": "central-asia-model", "version": "2022.1", "hash": content_hash(revised_text)}

    # Each conflict once: in the result, in the report, and in the file.
    assert [(c.task, c.field, c.message) for c in result.conflicts] == [
        ("DAT-2", "years", YEARS_CONFLICT),
        ("EDU-1", "title", TITLE_CONFLICT),
    ]
    report = format_text(result)
    assert report.count(YEARS_CONFLICT) == 1 and report.count(TITLE_CONFLICT) == 1
    assert [c.model_dump() for c in after.conflicts] == [
        {
            "id": "C1", "task": "DAT-2", "field": "years", "base": [2, 2], "ours": [3, 3], "theirs": [4, 4],
            "model": "central-asia-model 2022.1", "message": YEARS_CONFLICT,
        },
        {
            "id": "C2", "task": "EDU-1", "field": "title",
            "base": "Identify existing institutions that will support creative skills training and education.",
            "ours": KG_EDU_1_TITLE, "theirs": EDU_1_TITLE,
            "model": "central-asia-model 2022.1", "message": TITLE_CONFLICT,
        },
    ]
    assert result.renamed == [("DAT-3", "DAT-4")]
    assert result.removed == ["CUL-5"]
    assert result.kept == ["INF-3 kept in your plan although the model removed it: you changed its status"]

    # The file validates; validate reports the two conflicts (as warnings) until they are settled.
    report_v = validate([kg], today=TODAY)[0]
    assert report_v.errors == []
    conflicts = [f for f in report_v.warnings if f.path.startswith("conflicts")]
    assert [f.path for f in conflicts] == ["conflicts.C1", "conflicts.C2"]
    assert conflicts[0].message.startswith(f"unresolved upgrade conflict: {YEARS_CONFLICT}. Your value is kept")
    assert conflicts[0].line is not None

    # The history records the upgrade, and nothing in it touches the country's decisions.
    history = store.load(kg).data["history"]
    upgrades = [(h.get("task"), h["field"]) for h in history if h["command"] == "upgrade"]
    assert ("DAT-3", "id") in upgrades and ("FIN-2", "year_start") in upgrades and ("FIN-4", "task") in upgrades
    assert ("CUL-5", "task") in upgrades and (None, "meta.based_on") in upgrades and (None, "conflicts.C1") in upgrades
    assert not any(f in ("status", "owner", "status_date") for _, f in upgrades)

    # Untouched lines are byte-identical: every other task, the directions, the sections, the old history.
    text = kg.read_text(encoding="utf-8")
    old_tasks, new_tasks = blocks(before, "tasks"), blocks(text, "tasks")
    for ident, lines in old_tasks.items():
        if ident not in TOUCHED:
            # A task's lines run to the next one: CUL-4 now also holds the comment after CUL-5,
            # and the blank line after the last task moved below FIN-4.
            assert new_tasks[ident].startswith(lines.rstrip("\n")), ident
    for key in ("directions", "sections", "audiences"):
        old = yamltext.top_level_block(before, key)
        assert before[old.start : old.end] in text
    old_meta, new_meta = (yamltext.top_level_block(x, "meta") for x in (before, text))
    old_hash = store.load(model_path()).text
    expected_meta = before[old_meta.start : old_meta.end].replace(
        f'    version: "2021.2"\n    hash: {content_hash(old_hash)}\n',
        f'    version: "2022.1"\n    hash: {content_hash(revised_text)}\n',
    )
    assert text[new_meta.start : new_meta.end] == expected_meta  # only based_on changed in meta
    old_history = yamltext.top_level_block(before, "history")
    assert before[old_history.start : old_history.end].rstrip("\n") in text


def test_prefer_theirs_takes_the_model_and_leaves_no_conflicts(kg: Path, revised: Path) -> None:
    result = upgrade(kg, to=revised, prefer="theirs", today=TODAY)
    after = store.load(kg).plan
    assert (task(after, "DAT-2").year_start, task(after, "DAT-2").year_end) == (4, 4)
    assert task(after, "EDU-1").title == EDU_1_TITLE
    assert after.conflicts == [] and "conflicts:" not in kg.read_text(encoding="utf-8")
    assert task(after, "DAT-4").owner.name == "C. Asanov"  # decisions still survive
    report = format_text(result)
    assert f"{YEARS_CONFLICT}: took the model's (--prefer theirs)" in report
    assert not [f for f in validate([kg], today=TODAY)[0].warnings if f.path.startswith("conflicts")]


def test_prefer_ours_keeps_the_country_and_leaves_no_conflicts(kg: Path, revised: Path) -> None:
    result = upgrade(kg, to=revised, prefer="ours", today=TODAY)
    after = store.load(kg).plan
    assert (task(after, "DAT-2").year_start, task(after, "EDU-1").title) == (3, KG_EDU_1_TITLE)
    assert after.conflicts == []
    assert f"{TITLE_CONFLICT}: kept yours (--prefer ours)" in format_text(result)
    assert (task(after, "FIN-2").year_start, task(after, "FIN-4") is not None) == (3, True)


def test_dry_run_writes_nothing(kg: Path, revised: Path) -> None:
    before = kg.read_bytes()
    result = upgrade(kg, to=revised, dry_run=True, today=TODAY)
    assert kg.read_bytes() == before
    assert len(result.conflicts) == 2 and result.removed == ["CUL-5"]
    assert format_text(result, dry_run=True).endswith("Dry run: nothing written.\n")


def test_rerun_settles_the_conflicts_left_in_the_plan(cli, kg: Path, revised: Path) -> None:
    upgrade(kg, to=revised, today=TODAY)
    again = cli("upgrade", kg, "--to", revised)
    assert again.exit_code == 0
    assert again.stdout.splitlines() == [
        f"{kg} is already based on central-asia-model 2022.1; nothing to upgrade",
        "2 conflicts from an earlier upgrade are still in the plan (conflicts:); "
        "settle them with --prefer ours|theirs, or edit the plan",
    ]
    settle = cli("upgrade", kg, "--to", revised, "--prefer", "theirs")
    assert settle.exit_code == 0
    assert f"  - C1: took the model's ({YEARS_CONFLICT})" in settle.stdout.splitlines()
    after = store.load(kg).plan
    assert after.conflicts == [] and task(after, "DAT-2").year_start == 4 and task(after, "EDU-1").title == EDU_1_TITLE
    assert task(after, "DAT-2").expected_results == [DAT_2_RESULT, OKED]


def test_a_removed_task_the_country_builds_on_is_kept(tmp_path: Path, revised: Path, monkeypatch) -> None:
    plan = tmp_path / "tj.yaml"
    adapt.init(plan, country="TJ", start_year=2022, today=TODAY)
    adapt.add(plan, direction="CUL", stage="S4", title="Media awards in Dushanbe", after="CUL-5", year=4, today=TODAY)
    result = upgrade(plan, to=revised, today=TODAY)
    assert result.kept == ["CUL-5 kept in your plan although the model removed it: TJ-CUL-1 depend on it"]
    assert result.removed == ["INF-3"]
    after = store.load(plan).plan
    assert task(after, "CUL-5") is not None and task(after, "TJ-CUL-1").depends_on == ["CUL-5"]
    assert task(after, "CUL-5").origin.value == "added"
    assert after.conflicts == []
    # validate does not take the kept task for a model task the model lacks (issue 13, point 15)
    from roadmap import lineage
    from roadmap.validate import validate

    shipped = lineage.packaged_models()
    monkeypatch.setattr(lineage, "packaged_models", lambda: [*shipped, revised])
    assert lineage.task_ids(lineage.content_hash(store.load(revised).text)) is not None
    assert not [f for f in validate([plan])[0].findings if "counts as a model task" in f.message]


def test_renamed_dependencies_follow(tmp_path: Path, revised: Path) -> None:
    plan = tmp_path / "uz.yaml"
    adapt.init(plan, country="UZ", start_year=2022, today=TODAY)
    adapt.add(plan, direction="DAT", stage="S2", title="Regional data portal", after="DAT-3", year=3, today=TODAY)
    upgrade(plan, to=revised, today=TODAY)
    assert task(store.load(plan).plan, "UZ-DAT-1").depends_on == ["DAT-4"]


# ---------------------------------------------------------------------------------------
# The command and its errors


def test_cli_upgrade(cli, kg: Path, revised: Path) -> None:
    result = cli("upgrade", kg, "--to", revised)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Upgrading {kg} from central-asia-model 2021.2 to central-asia-model 2022.1"
    assert "  - Task FIN-2 moved from 2027 to 2026" in lines
    assert "  - DAT-3 is now DAT-4; your status, owner, years and edits came along" in lines
    assert "  - CUL-5 removed from your plan (you had not changed it)" in lines
    assert lines[-1] == "The plan is now based on central-asia-model 2022.1 (was central-asia-model 2021.2)."
    validated = cli("validate", kg, "--json")
    data = json.loads(validated.stdout)
    assert validated.exit_code == 0 and data["files"][0]["errors"] == 0
    assert cli("validate", kg, "--strict").exit_code == 1  # conflicts (and other warnings) fail --strict


def test_cli_errors(cli, kg: Path, revised: Path, tmp_path: Path, model_copy: Path) -> None:
    before = kg.read_bytes()

    missing = cli("upgrade", kg, "--to", tmp_path / "nope.yaml")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"{tmp_path / 'nope.yaml'}: file not found"

    mismatch = cli("upgrade", kg, "--to", revised, "--base", revised)
    assert mismatch.exit_code == 1
    assert mismatch.stderr.strip() == (
        f"{revised} is not the model {kg} was derived from: the plan records central-asia-model version 2021.2 "
        f"({content_hash(model_copy.read_text(encoding='utf-8'))}), this file is central-asia-model version 2022.1 "
        f"({content_hash(revised.read_text(encoding='utf-8'))}). Give the exact model file the plan was created "
        "from, or leave out --base."
    )

    with_base = cli("upgrade", kg, "--to", revised, "--base", model_copy, "--dry-run")
    assert with_base.exit_code == 0 and "Dry run: nothing written." in with_base.stdout

    not_a_model = cli("upgrade", kg, "--to", kg)
    assert not_a_model.exit_code == 1
    assert not_a_model.stderr.startswith(f"{kg} is a plan, not a model (meta.kind: plan)")

    assert cli("upgrade", kg, "--to", revised, "--prefer", "mine").exit_code == 2
    # without --to: the model this version of roadmap ships, which kg is already based on
    shipped = cli("upgrade", kg)
    assert shipped.exit_code == 0 and "already based on central-asia-model 2021.2; nothing to upgrade" in shipped.stdout

    bad = tmp_path / "bad.yaml"
    bad.write_text(kg.read_text(encoding="utf-8").replace("    status: done\n", "    status: finished\n", 1), encoding="utf-8")
    bad_before = bad.read_bytes()
    invalid = cli("upgrade", bad, "--to", revised)
    assert invalid.exit_code == 1
    assert "tasks[DEF-1].status: Input should be 'planned', 'in_progress', 'done' or 'not_needed'" in invalid.stderr
    assert bad.read_bytes() == bad_before
    assert kg.read_bytes() == before


def test_base_not_found(cli, tmp_path: Path, revised: Path) -> None:
    """A plan derived from a model that is not packaged needs --base."""
    plan = tmp_path / "kz.yaml"
    adapt.init(plan, country="KZ", model=revised, start_year=2022, today=TODAY)
    digest = content_hash(revised.read_text(encoding="utf-8"))
    other = tmp_path / "other-model.yaml"
    shutil.copyfile(revised, other)
    with other.open("a", encoding="utf-8") as handle:
        handle.write("# a comment makes it another version\n")
    result = cli("upgrade", plan, "--to", other)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{plan} was derived from central-asia-model version 2022.1 ({digest}), which is not among the packaged "
        "models; give that model file: roadmap diff kz.yaml MODEL.yaml --model (for diff), or --base MODEL.yaml (for upgrade)"
    )
    with pytest.raises(ModelNotFound):
        upgrade(plan, to=other, today=TODAY)
    with pytest.raises(HashMismatch):
        upgrade(plan, to=other, base=other, today=TODAY)
    done = upgrade(plan, to=other, base=revised, today=TODAY)
    assert done.conflicts == [] and done.applied == []  # a comment is no change to merge
    assert store.load(plan).plan.meta.based_on.hash == content_hash(other.read_text(encoding="utf-8"))


def test_packaged_model_versions() -> None:
    """data/models/ keeps every published version byte for byte, named <id>-<version>.yaml."""
    from roadmap.lineage import find_by_hash, packaged_models

    archive = [p for p in packaged_models() if p.parent.name == "models"]
    assert [p.name for p in archive] == ["central-asia-model-2021.1.yaml", "central-asia-model-2021.2.yaml"]
    for path in archive:
        doc = store.load(path)
        assert doc.plan.meta.kind == "model"
        assert path.name == f"{doc.plan.meta.id}-{doc.plan.meta.version}.yaml"
        assert find_by_hash(content_hash(doc.text)) is not None
    # The version plans made today are derived from is findable.
    assert find_by_hash(content_hash(store.load(model_path()).text)) is not None


def test_green_paper_annex_compares_with_the_model_the_plan_is_now_based_on(
    cli, kg: Path, revised: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13, point 2: after `upgrade --prefer theirs`, CCAN's own revisions (a renamed
    task, a new model task, a retitled one, a reworded key message) are not the group's."""
    from roadmap import lineage

    upgrade(kg, to=revised, prefer="theirs", today=TODAY)
    ccan = [
        "version 2021.2", "new task DAT-4", "new task FIN-4", "Task DAT-3", "Task EDU-1 renamed",
        "Task INT-1 renamed", "Know yourself", "goals.G4.text", "Task FIN-2 moved", "Task DAT-2 moved",
    ]
    # CCAN ships 2022.1 (as data/models/ would hold it): found by the hash the plan records.
    packaged = lineage.packaged_models()
    monkeypatch.setattr(lineage, "packaged_models", lambda: [*packaged, revised])
    for args in ((), ("--model", revised)):
        result = cli("render", "green-paper", kg, "--format", "md", "--as-of", "2026-11-23", *args)
        assert result.exit_code == 0, result.output
        annex = result.stdout.split("## Changes from the model", 1)[1]
        assert "(revised) (version 2022.1)" in annex
        for words in ccan:
            assert words not in annex, words
        for words in ("Task DEF-1 marked done on 30 June 2024", "Task DAT-4 marked in progress on 1 March 2025",
                      "Task DAT-4 assigned to C. Asanov", "new task KG-FIN-1", "Vision goal G4 reached"):
            assert words in annex, words
    # Not packaged and not given: the annex says it cannot list the changes, rather than
    # comparing with the wrong version.
    monkeypatch.setattr(lineage, "packaged_models", lambda: packaged)
    alone = cli("render", "green-paper", kg, "--format", "md", "--as-of", "2026-11-23").stdout
    alone_annex = alone.split("## Changes from the model", 1)[1]  # the title page credits the plan's origin
    assert "The model this plan was adapted from is not available here" in alone_annex and "version 2021.2" not in alone_annex
    wrong = cli("render", "green-paper", kg, "--format", "md", "--model", model_path())
    assert wrong.exit_code == 1 and "is not the model" in wrong.stderr and "Traceback" not in wrong.output
    assert "version 2022.1" in wrong.stderr and wrong.stderr.rstrip().endswith("or leave out --model.")
