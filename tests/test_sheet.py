"""Issue 9: a plan as a workbook people edit (`export`) and the tool reads back (`import-sheet`)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from roadmap import adapt, store, workplan

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "joint_programme.yaml"
TODAY = dt.date.today()
ON = f"{TODAY.day} {TODAY:%B %Y}"  # as the sentences write a date
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


# ---------------------------------------------------------------------------------------
# helpers: a person editing the workbook


def columns(sheet: Any) -> dict[str, int]:
    from roadmap.i18n import catalogue
    from roadmap.sheet import KEYS, column_title

    t = catalogue("en")
    titles = {column_title(t, k): k for k in KEYS}
    return {titles[c.value]: c.column for c in sheet[1] if c.value in titles}


def row_of(sheet: Any, task_id: str) -> int:
    for cell in sheet["A"]:
        if cell.value == task_id:
            return cell.row
    raise KeyError(task_id)


def edit_xlsx(path: Path, edits: dict[tuple[str, str], Any], new_rows: list[dict[str, Any]] = (), delete: str | None = None) -> None:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    cols = columns(sheet)
    for (task_id, key), value in edits.items():
        sheet.cell(row=row_of(sheet, task_id), column=cols[key], value=value)
    for values in new_rows:
        r = sheet.max_row + 1
        for key, value in values.items():
            sheet.cell(row=r, column=cols[key], value=value)
    if delete is not None:
        sheet.delete_rows(row_of(sheet, delete))
    book.save(path)


def resave_with_libreoffice(path: Path, tmp: Path) -> Path:
    """Open and save the workbook again as LibreOffice does (headless)."""
    out = tmp / "resaved"
    out.mkdir()
    profile = tmp / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
         "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    saved = out / path.name
    assert saved.is_file()
    return saved


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture
def kg(kg_plan: Path) -> Path:
    workplan.indicator_add(kg_plan, "DAT-1", text="Reports published", baseline="0", target="4")
    return kg_plan


# ---------------------------------------------------------------------------------------
# Done when (1): export, edit as a person would, re-save, dry run, import, diff


@pytest.mark.parametrize("resave", [False, pytest.param(True, marks=pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"))])
def test_round_trip_lands_exactly_the_edits(cli: Any, kg: Path, tmp_path: Path, resave: bool) -> None:
    book = tmp_path / "kg.xlsx"
    result = cli("export", kg, "--format", "xlsx", "-o", book)
    assert result.exit_code == 0, result.stderr
    edit_xlsx(
        book,
        {
            ("DAT-1", "status"): "in progress",
            ("EDU-1", "status"): "done",
            ("FIN-1", "status"): "in progress",
            ("INF-1", "owner"): "B. Toktogulova",
            ("ADV-1", "new_comment"): "Discussed with the ministry in November",
            ("DAT-1", "actual"): "3: 2",
        },
        [{"direction": "Finance", "stage": "2. Building trust", "title": "Microgrants for craft cooperatives"}],
    )
    if resave:
        book = resave_with_libreoffice(book, tmp_path)
    before = kg.read_bytes()
    shutil.copyfile(kg, tmp_path / "before.yaml")

    dry = cli("import-sheet", kg, book, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert kg.read_bytes() == before
    said = lines(dry.stdout)
    assert all(s.startswith("(dry run) ") for s in said)
    said = [s.removeprefix("(dry run) ") for s in said]
    expected = [
        f"Task DAT-1 marked in progress on {ON}",
        f"DAT-1: indicator 3 measured 2 on {ON}",
        f"ADV-1: comment of {ON}: \u201cDiscussed with the ministry in November\u201d",
        f"Task EDU-1 marked done on {ON}",
        f"Task FIN-1 marked in progress on {ON}",
        "Task INF-1 assigned to B. Toktogulova",
        "Finance: new task KG-FIN-",
    ]
    assert len(said) == len(expected), said
    for want in expected:
        assert sum(1 for s in said if s.startswith(want)) == 1, (want, said)

    real = cli("import-sheet", kg, book)
    assert real.exit_code == 0, real.stderr
    assert lines(real.stdout) == said

    after = store.load(kg).plan
    recorded = [h for h in after.history if h.command == "import-sheet"]
    assert {(h.task, h.field.split(".")[0]) for h in recorded} >= {
        ("DAT-1", "status"), ("EDU-1", "status"), ("FIN-1", "status"), ("INF-1", "owner"),
    }
    assert len({h.step for h in recorded}) == 1
    new_ids = [t.id for t in after.tasks if t.title == "Microgrants for craft cooperatives"]
    assert len(new_ids) == 1 and new_ids[0] in real.stdout

    diff = cli("diff", tmp_path / "before.yaml", kg, "--format", "json")
    report = json.loads(diff.stdout)
    changed = {(t["task"], f["field"]) for t in report["tasks"] for f in t["fields"]}
    assert changed == {
        ("DAT-1", "status"), ("DAT-1", "status_date"), ("DAT-1", "success_indicators"),
        ("EDU-1", "status"), ("EDU-1", "status_date"), ("FIN-1", "status"), ("FIN-1", "status_date"),
        ("INF-1", "owner"), ("ADV-1", "comments"),
    }, changed
    assert [t["id"] if isinstance(t, dict) else t for t in report["only_in_b"]] == new_ids or len(report["only_in_b"]) == 1
    assert report["summary"]["removed"] == 0

    # nothing left to import: the same sheet again changes nothing
    again = cli("import-sheet", kg, book)
    assert again.exit_code == 0
    assert lines(again.stdout) == []
    assert "not added again" in again.stderr


def test_untouched_bytes_stay(cli: Any, kg: Path, tmp_path: Path) -> None:
    book = tmp_path / "kg.xlsx"
    cli("export", kg, "-o", book)
    edit_xlsx(book, {("EDU-1", "status"): "done"})
    text = kg.read_text(encoding="utf-8")
    assert cli("import-sheet", kg, book).exit_code == 0
    new = kg.read_text(encoding="utf-8")
    import difflib

    changed = [l for l in difflib.unified_diff(text.splitlines(), new.splitlines(), lineterm="", n=0)
               if l[:1] in "+-" and not l.startswith(("+++", "---"))]
    # the status and its date, and the history entries: nothing else
    body = [l for l in changed if not l.startswith("+  - date") and "import-sheet" not in l]
    assert all(("status" in l) or l.startswith("+    ") or l.startswith("+  - ") for l in body), changed


# ---------------------------------------------------------------------------------------
# Done when (2): a stale export


def test_stale_export_reports_a_conflict_and_takes_one_sided_edits(cli: Any, kg: Path, tmp_path: Path) -> None:
    book = tmp_path / "kg.xlsx"
    cli("export", kg, "-o", book)
    adapt.tick(kg, ["EDU-1"], status="in-progress")  # the plan moves on after the export
    adapt.tick(kg, ["EDU-2"], status="in-progress")
    adapt.assign(kg, ["INF-2"], owner="A. Usenova")
    edit_xlsx(book, {
        ("EDU-1", "status"): "done",  # both changed EDU-1's status: a conflict
        ("EDU-1", "new_comment"): "Cohort two trained",  # but this cell only the sheet changed
        ("INF-1", "owner"): "B. Toktogulova",  # only the sheet: taken
        ("INF-2", "owner"): "C. Ibraimova",  # both: a conflict
    })
    before = kg.read_bytes()

    dry = cli("import-sheet", kg, book, "--dry-run")
    assert dry.exit_code == 3, dry.stderr
    assert kg.read_bytes() == before

    result = cli("import-sheet", kg, book)
    assert result.exit_code == 3, result.stderr  # imported, but not everything: said by the exit status
    assert lines(result.stdout) == [
        f"EDU-1: comment of {ON}: \u201cCohort two trained\u201d",
        "Task INF-1 assigned to B. Toktogulova",
    ]
    said = lines(result.stderr)
    conflicts = [line for line in said if line.startswith("conflict: ")]
    assert conflicts == [
        'conflict: EDU-1 Status: changed in the plan (to "in progress") and in the sheet (to "done") since the export; the plan\'s value is kept',
        'conflict: INF-2 Responsible person: changed in the plan (to "A. Usenova") and in the sheet (to "C. Ibraimova") since the export; the plan\'s value is kept',
    ]
    assert said[-3:-1] == conflicts  # listed last, where the eye lands, then what they mean
    assert said[-1].startswith("2 conflict(s) not imported: those cells keep the plan's value; the sheet's other changes were written")
    plan = store.load(kg).plan
    assert plan.task("EDU-1").status.value == "in_progress"  # not overwritten
    assert plan.task("INF-2").owner.name == "A. Usenova"
    assert plan.task("EDU-2").status.value == "in_progress"  # the plan's one-sided edit stays
    assert plan.task("INF-1").owner.name == "B. Toktogulova"  # the sheet's one-sided edits are taken
    assert plan.task("EDU-1").comments[-1].text == "Cohort two trained"
    assert "EDU-2" not in result.stdout

    # the same sheet again: the taken edits are not made twice; the conflicts stay conflicts
    again = cli("import-sheet", kg, book)
    assert again.exit_code == 3 and lines(again.stdout) == []


# ---------------------------------------------------------------------------------------
# Done when (3): every refusal names sheet, row and column; exit 1; plan unchanged


def _refusal_cases() -> list[Any]:
    return [
        pytest.param(lambda b: edit_xlsx(b, {("EDU-1", "status"): "finished"}), 'sheet "Tasks", row {EDU-1}, column G (Status): unknown status "finished"', id="status"),
        pytest.param(lambda b: edit_xlsx(b, {("EDU-1", "status_date"): "last Tuesday"}), 'sheet "Tasks", row {EDU-1}, column H (Status date): "last Tuesday" is not a date', id="date"),
        pytest.param(lambda b: edit_xlsx(b, {}, delete="EDU-1"), 'sheet "Tasks", column A (Id): task EDU-1 has no row', id="deleted"),
        pytest.param(lambda b: edit_xlsx(b, {("EDU-2", "id"): "EDU-1"}), 'sheet "Tasks", row {EDU-2}, column A (Id): EDU-1 is already in row', id="duplicated"),
        pytest.param(lambda b: edit_xlsx(b, {}, [{"direction": "Astronomy", "stage": "1", "title": "Stars"}]), 'sheet "Tasks", row {NEW}, column C (Direction): direction "Astronomy" does not exist', id="direction"),
        pytest.param(
            lambda b: edit_xlsx(b, {("FIN-1", "status"): "not needed", ("FIN-1", "status_note"): "Covered by the ministry"}),
            'sheet "Tasks", row {FIN-1}, column G (Status): a task that is not needed has no owner: empty its responsible person',
            id="not-needed-with-owner",
        ),
        pytest.param(lambda b: edit_xlsx(b, {("EDU-1", "parties"): ": partner"}), 'sheet "Tasks", row {EDU-1}, column N (Responsible parties): ": partner": write the name of the party', id="party-without-name"),
    ]


@pytest.mark.parametrize("damage,message", _refusal_cases())
def test_refusals_name_sheet_row_and_column(cli: Any, kg: Path, tmp_path: Path, damage: Any, message: str) -> None:
    book = tmp_path / "kg.xlsx"
    cli("export", kg, "-o", book)
    sheet = load_workbook(book).worksheets[0]
    rows = {"EDU-1": row_of(sheet, "EDU-1"), "EDU-2": row_of(sheet, "EDU-2"), "FIN-1": row_of(sheet, "FIN-1"), "NEW": sheet.max_row + 1}
    edit_xlsx(book, {("INF-1", "owner"): "B. Toktogulova"})  # a good edit beside the bad one
    damage(book)
    before = kg.read_bytes()
    result = cli("import-sheet", kg, book)
    assert result.exit_code == 1
    assert message.format(**rows) in result.stderr, result.stderr
    assert "nothing written" in result.stderr
    assert "Traceback" not in result.stderr
    assert kg.read_bytes() == before


def test_amount_that_is_not_a_number(cli: Any, tmp_path: Path) -> None:
    plan = tmp_path / "wp.yaml"
    shutil.copyfile(EXAMPLE, plan)
    book = tmp_path / "wp.xlsx"
    assert cli("export", plan, "-o", book).exit_code == 0
    sheet = load_workbook(book).worksheets[0]
    cols = columns(sheet)
    r = next(c.row for c in sheet[sheet.cell(1, cols["budget"]).column_letter] if c.row > 1 and c.value)
    task_id = sheet.cell(r, 1).value
    value = sheet.cell(r, cols["budget"]).value
    number, rest = value.split("\n")[0].split(":", 1)
    amount, _, tail = rest.partition("|")
    edit_xlsx(book, {(task_id, "budget"): value.replace(f"{number}:{rest}", f"{number}: lots |{tail}", 1)})
    before = plan.read_bytes()
    result = cli("import-sheet", plan, book)
    assert result.exit_code == 1
    letter = sheet.cell(1, cols["budget"]).column_letter
    assert f'sheet "Tasks", row {r}, column {letter} (Budget (amount | category | source)): line {number}: "lots" is not an amount' in result.stderr
    assert plan.read_bytes() == before


def test_budget_amount_changes(cli: Any, tmp_path: Path) -> None:
    import re

    plan = tmp_path / "wp.yaml"
    # without the stated totals, which a changed amount would no longer add up to (the store refuses that)
    plan.write_text(re.sub(r"\n  # The totals.*?\n(?=directions:)", "\n", EXAMPLE.read_text(encoding="utf-8"), flags=re.S), encoding="utf-8")
    book = tmp_path / "wp.xlsx"
    cli("export", plan, "-o", book)
    sheet = load_workbook(book).worksheets[0]
    cols = columns(sheet)
    r = next(c.row for c in sheet[sheet.cell(1, cols["budget"]).column_letter] if c.row > 1 and c.value)
    task_id = sheet.cell(r, 1).value
    value = sheet.cell(r, cols["budget"]).value
    first, *others = value.split("\n")
    number, rest = first.split(":", 1)
    amount, _, tail = rest.partition("|")
    edit_xlsx(book, {(task_id, "budget"): "\n".join([f"{number}: 1234.50 |{tail}", *others])})
    result = cli("import-sheet", plan, book)
    assert result.exit_code == 0, result.stderr
    assert len(lines(result.stdout)) == 1
    line = store.load(plan).data["tasks"]
    assert any(b.get("amount") == "1234.50" for t in line for b in t.get("budget") or [])


def test_skip_bad_rows_writes_the_rest_and_lists_what_it_skipped(cli: Any, kg: Path, tmp_path: Path) -> None:
    book = tmp_path / "kg.xlsx"
    cli("export", kg, "-o", book)
    edit_xlsx(book, {("EDU-1", "status"): "finished", ("INF-1", "owner"): "B. Toktogulova"})
    result = cli("import-sheet", kg, book, "--skip-bad-rows")
    assert result.exit_code == 0, result.stderr
    assert "skipped:" in result.stderr and 'unknown status "finished"' in result.stderr
    plan = store.load(kg).plan
    assert plan.task("INF-1").owner.name == "B. Toktogulova"
    assert plan.task("EDU-1").status.value == "planned"


def test_locked_column_edit_is_refused(cli: Any, kg: Path, tmp_path: Path) -> None:
    book = tmp_path / "kg.xlsx"
    cli("export", kg, "-o", book)
    edit_xlsx(book, {("EDU-1", "direction"): "Finance"})
    result = cli("import-sheet", kg, book)
    assert result.exit_code == 1
    assert "column C (Direction)" in result.stderr and "not for editing" in result.stderr


# ---------------------------------------------------------------------------------------
# The workbook itself


def test_workbook_has_lists_identity_and_marked_columns(cli: Any, kg: Path, tmp_path: Path) -> None:
    from roadmap.sheet import content_hash

    book = tmp_path / "kg.xlsx"
    cli("export", kg, "-o", book)
    wb = load_workbook(book)
    tasks, about = wb.worksheets
    assert tasks.title == "Tasks"
    validations = {str(v.sqref).split(":")[0][0]: v for v in tasks.data_validations.dataValidation}
    assert {"C", "D", "G"} <= set(validations)  # direction, stage, status
    found = {row[0].value: row[1].value for row in about.iter_rows(min_col=1, max_col=2) if row[0].value}
    doc = store.load(kg)
    assert found["file"] == "kg.yaml"
    assert found["content_hash"] == content_hash(doc.data)
    assert found["exported"] == TODAY.isoformat()
    assert found["model"].startswith("central-asia")
    assert tasks["A1"].fill.fgColor.rgb != tasks["F1"].fill.fgColor.rgb  # id grey, title editable


def test_formula_like_text_is_written_as_text_and_read_back(cli: Any, kg: Path, tmp_path: Path) -> None:
    adapt.revise(kg, "EDU-1", title='=HYPERLINK("http://evil.example","click")')
    adapt.assign(kg, ["EDU-2"], owner="@admin", org="+7 ministry", contact="-1")
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"kg.{fmt}"
        assert cli("export", kg, "-o", out).exit_code == 0
        if fmt == "xlsx":
            sheet = load_workbook(out).worksheets[0]
            cell = sheet.cell(row_of(sheet, "EDU-1"), columns(sheet)["title"])
            assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
        else:
            assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")
        result = cli("import-sheet", kg, out, "--dry-run")
        assert result.exit_code == 0, result.stderr
        assert lines(result.stdout) == []


def test_csv_has_a_bom_and_reads_back(cli: Any, kg: Path, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "kg.csv"
    cli("export", kg, "--format", "csv", "-o", out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    import io

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header = rows[0]
    i = next(k for k, r in enumerate(rows) if r[0] == "EDU-1")
    rows[i][header.index("Status")] = "done"
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    result = cli("import-sheet", kg, out)
    assert result.exit_code == 0, result.stderr
    assert lines(result.stdout) == [f"Task EDU-1 marked done on {ON}"]


def test_russian_plan_round_trip(cli: Any, tmp_path: Path) -> None:
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024)
    adapt.revise(plan, "EDU-1", title="Обучение креативных предпринимателей")
    book = tmp_path / "kg.xlsx"
    assert cli("export", plan, "-o", book, "--lang", "ru").exit_code == 0
    sheet = load_workbook(book).worksheets[0]
    assert sheet.title == "Задачи"
    r = row_of(sheet, "EDU-1")
    assert sheet.cell(r, 6).value == "Обучение креативных предпринимателей"
    sheet.cell(r, 7).value = "выполнено"
    sheet.parent.save(book)
    result = cli("import-sheet", plan, book)
    assert result.exit_code == 0, result.stderr
    assert store.load(plan).plan.task("EDU-1").status.value == "done"


def test_works_on_the_example_work_plan(cli: Any, tmp_path: Path) -> None:
    plan = tmp_path / "wp.yaml"
    shutil.copyfile(EXAMPLE, plan)
    for fmt in ("xlsx", "csv"):
        out = tmp_path / f"wp.{fmt}"
        assert cli("export", plan, "-o", out).exit_code == 0
        result = cli("import-sheet", plan, out, "--dry-run")
        assert result.exit_code == 0, result.stderr
        assert lines(result.stdout) == []


def test_a_value_for_a_plain_text_indicator(cli: Any, kg: Path, tmp_path: Path) -> None:
    """The first value of an indicator written as plain text turns the item into a mapping
    (this also mends `indicator record` on such an indicator, which the store refused)."""
    book = tmp_path / "kg.xlsx"
    cli("export", kg, "-o", book)
    edit_xlsx(book, {("DAT-1", "actual"): "1: 12"})
    result = cli("import-sheet", kg, book)
    assert result.exit_code == 0, result.stderr
    assert lines(result.stdout) == [f"DAT-1: indicator 1 measured 12 on {ON}"]
    item = store.load(kg).plan.task("DAT-1").success_indicators[0]
    assert item.values[0].actual == "12"


def test_a_sheet_of_another_plan_is_refused(cli: Any, kg: Path, tmp_path: Path) -> None:
    other = tmp_path / "wp.yaml"
    shutil.copyfile(EXAMPLE, other)
    book = tmp_path / "wp.xlsx"
    cli("export", other, "-o", book)
    before = kg.read_bytes()
    result = cli("import-sheet", kg, book)
    assert result.exit_code == 1
    assert "was exported from the plan" in result.stderr
    assert kg.read_bytes() == before


# ---------------------------------------------------------------------------------------
# Every kind of edit the sheet allows, on a country plan and on a work plan


def _country_plan(tmp_path: Path) -> tuple[Path, str]:
    """A plan made with `roadmap init --country KG`, with an owner, an indicator and (a
    currency set by hand, then `budget add`) a budget line on DAT-1."""
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024)
    plan.write_text(plan.read_text(encoding="utf-8").replace("meta:\n", "meta:\n  currency: KGS\n", 1), encoding="utf-8")
    adapt.assign(plan, ["DAT-1"], owner="A. Usenova", org="Ministry of Economy")
    workplan.budget_add(plan, "DAT-1", amount="1500", category="Contracts")
    return plan, "DAT-1"


def _work_plan(tmp_path: Path) -> tuple[Path, str]:
    """The example work plan, without the stated totals (a changed amount would no longer add up to them)."""
    import re

    plan = tmp_path / "wp.yaml"
    plan.write_text(re.sub(r"\n  # The totals.*?\n(?=directions:)", "\n", EXAMPLE.read_text(encoding="utf-8"), flags=re.S), encoding="utf-8")
    return plan, "OUT11-3"


PLANS = {"country plan": _country_plan, "work plan": _work_plan}

# kind -> (cells per plan kind, the lines import-sheet prints, what the plan then holds)
# In the lines, {id} is the task, {ref} how the comment and value sentences name it.
EDITS: dict[str, Any] = {
    "status": (
        {"status": "done"},
        ["Task {id} marked done on " + ON],
        lambda task, data: task["status"] == "done" and task["status_date"] == TODAY.isoformat(),
    ),
    "status and date": (
        {"status": "done", "status_date": dt.date(2025, 3, 31)},
        ["Task {id} marked done on 31 March 2025"],
        lambda task, data: task["status"] == "done" and task["status_date"] == "2025-03-31",
    ),
    "status note": (  # a task not needed has no owner: the row empties it too
        {"status": "not needed", "status_note": "Covered by the national programme", "owner": "", "organisation": ""},
        ["Task {id} marked not needed on " + ON + ": Covered by the national programme", "Task {id} no longer has an owner (was {owner})"],
        lambda task, data: task["status"] == "not_needed" and task["status_note"] == "Covered by the national programme" and "owner" not in task,
    ),
    "owner name": (
        {"owner": "B. Toktogulova"},
        ["Task {id} reassigned from {owner} to B. Toktogulova{org}"],
        lambda task, data: task["owner"]["name"] == "B. Toktogulova",
    ),
    "organisation": (
        {"organisation": "Ministry of Culture"},
        ["Task {id} reassigned from {owner} to {name} (Ministry of Culture)"],
        lambda task, data: task["owner"]["organisation"] == "Ministry of Culture",
    ),
    "contact": (
        {"contact": "focal.point@example.kg"},
        ["Task {id}: contact of {owner} is now focal.point@example.kg"],
        lambda task, data: task["owner"]["contact"] == "focal.point@example.kg",
    ),
    "title": (
        {"title": "Map the creative sector's data, revised"},
        ["Task {id} renamed from \u201c{title}\u201d to \u201cMap the creative sector's data, revised\u201d"],
        lambda task, data: task["title"] == "Map the creative sector's data, revised",
    ),
    "expected results": (
        {"expected_results": "{results}Figures published every year"},
        ["Expected results of {id}: added \u201cFigures published every year\u201d"],
        lambda task, data: task["expected_results"][-1] == "Figures published every year",
    ),
    "actual value": (
        {"actual": "1: 42"},
        ["{ref}: indicator 1 measured 42 on " + ON],
        lambda task, data: task["success_indicators"][0]["values"][-1] == {"date": TODAY.isoformat(), "actual": "42"},
    ),
    "budget amount": (
        {"budget": "{budget}"},
        ["{ref}: budget line 1 ({category}) changed from {old_amount} to {new_amount}"],
        lambda task, data: task["budget"][0]["amount"] == "1750.50",
    ),
    "comment": (
        {"new_comment": "Agreed at the steering committee"},
        ["{ref}: comment of " + ON + ": \u201cAgreed at the steering committee\u201d"],
        lambda task, data: task["comments"][-1] == {"date": TODAY.isoformat(), "text": "Agreed at the steering committee"},
    ),
    "lead": (
        {"lead": "UNDP"},
        ["{id}: lead {lead_words}"],
        lambda task, data: task["lead"] == "UNDP",
    ),
    "parties": (
        {"parties": "{parties}Chamber of Commerce: partner"},
        ["Responsible parties of {id}: added \u201cChamber of Commerce (partner)\u201d"],
        lambda task, data: task["parties"][-1] == {"name": "Chamber of Commerce", "role": "partner"},
    ),
}


def _fill(value: Any, known: dict[str, str]) -> Any:
    return value.format(**known) if isinstance(value, str) else value


@pytest.mark.parametrize("kind", list(EDITS))
@pytest.mark.parametrize("which", list(PLANS))
def test_each_kind_of_edit_lands_on_both_kinds_of_plan(cli: Any, tmp_path: Path, which: str, kind: str) -> None:
    from decimal import Decimal

    plan, task_id = PLANS[which](tmp_path)
    book = tmp_path / "plan.xlsx"
    assert cli("export", plan, "-o", book).exit_code == 0
    doc = store.load(plan)
    task = doc.plan.task(task_id)
    sheet = load_workbook(book).worksheets[0]
    row = {key: sheet.cell(row_of(sheet, task_id), c).value for key, c in columns(sheet).items()}
    owner = f"{task.owner.name} ({task.owner.organisation})" if task.owner.organisation else task.owner.name
    currency = doc.plan.meta.currency
    known = {
        "id": task_id, "ref": task.ref or task_id, "title": task.title, "owner": owner, "name": task.owner.name,
        "org": f" ({task.owner.organisation})" if task.owner.organisation else "",
        "results": (row["expected_results"] + "\n") if row["expected_results"] else "",
        "parties": (row["parties"] + "\n") if row["parties"] else "",
        "budget": "\n".join([f"1: 1750.50 |{row['budget'].split(chr(10))[0].split('|', 1)[1]}", *row["budget"].split("\n")[1:]]),
        "category": task.budget[0].category,
        "old_amount": catalogue_money(Decimal(str(task.budget[0].amount)), currency),
        "new_amount": catalogue_money(Decimal("1750.50"), currency),
        "lead_words": f"changed from \u201c{task.lead}\u201d to \u201cUNDP\u201d" if task.lead else "set to \u201cUNDP\u201d",
    }
    cells, said, holds = EDITS[kind]
    edit_xlsx(book, {(task_id, key): _fill(value, known) for key, value in cells.items()})
    shutil.copyfile(plan, tmp_path / "before.yaml")

    result = cli("import-sheet", plan, book)
    assert result.exit_code == 0, result.stderr
    assert lines(result.stdout) == [_fill(line, known) for line in said]
    after = store.load(plan)
    data = next(t for t in after.data["tasks"] if t["id"] == task_id)
    assert holds(data, after.data)
    recorded = after.data["history"][len(doc.data.get("history") or []) :]
    assert recorded and {h["command"] for h in recorded} == {"import-sheet"} and {h["task"] for h in recorded} == {task_id}
    diff = json.loads(cli("diff", tmp_path / "before.yaml", plan, "--format", "json").stdout)
    assert [t["task"] for t in diff["tasks"]] == [task_id]  # nothing else changed
    assert not diff["only_in_a"] and not diff["only_in_b"]


def catalogue_money(amount: Any, currency: str | None) -> str:
    from roadmap.i18n import catalogue

    return catalogue("en").money(amount, currency) if currency else str(amount)


@pytest.mark.parametrize("which", list(PLANS))
def test_a_new_row_is_added_with_what_it_says_on_both_kinds_of_plan(cli: Any, tmp_path: Path, which: str) -> None:
    plan, task_id = PLANS[which](tmp_path)
    book = tmp_path / "plan.xlsx"
    assert cli("export", plan, "-o", book).exit_code == 0
    sheet = load_workbook(book).worksheets[0]
    template = {key: sheet.cell(row_of(sheet, task_id), c).value for key, c in columns(sheet).items()}
    timeframe = "2025\u20132026" if which == "country plan" else "2009-Q3\u2013Q4"
    new = {
        "direction": template["direction"], "stage": template["stage"], "timeframe": timeframe,
        "title": "Microgrants for craft cooperatives", "status": "in progress", "owner": "C. Ibraimova",
        "organisation": "Crafts Council", "contact": "c.ibraimova@example.kg", "lead": "ILO",
        "parties": "Crafts Council: responsible party", "expected_results": "20 cooperatives funded",
        "new_comment": "Proposed at the annual review",
    }
    edit_xlsx(book, {}, [{k: v for k, v in new.items() if v}])
    result = cli("import-sheet", plan, book)
    assert result.exit_code == 0, result.stderr
    said = lines(result.stdout)
    assert len(said) == 1 and "new task" in said[0] and "Microgrants for craft cooperatives" in said[0], said
    added = next(t for t in store.load(plan).plan.tasks if t.title == "Microgrants for craft cooperatives")
    assert added.id in said[0] and added.origin.value == "added"
    assert (added.owner.name, added.owner.organisation, added.owner.contact) == ("C. Ibraimova", "Crafts Council", "c.ibraimova@example.kg")
    assert added.lead == "ILO" and [(p.name, p.role) for p in added.parties] == [("Crafts Council", "responsible party")]
    assert added.status.value == "in_progress" and added.expected_results == ["20 cooperatives funded"]
    assert [c.text for c in added.comments] == ["Proposed at the annual review"]
    if which == "country plan":
        assert (added.year_start, added.year_end) == (2, 3)
    else:
        assert (str(added.start), str(added.end)) == ("2009-Q3", "2009-Q4")
