"""Programme work plans (issue 8): built with commands only, budgets exact to the cent,
indicators over time, stated totals checked, the report as of a date, bad input refused."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from roadmap.resources import data_dir

EXAMPLE = data_dir() / "examples" / "joint_programme.yaml"

# 3 outputs x 4 activities: (ref, title, from, to, lead, party, [(amount, category, source)])
OUTPUTS = [
    ("OUT11", "1.1", "Creative enterprises strengthened"),
    ("OUT12", "1.2", "Cultural tourism developed"),
    ("OUT21", "2.1", "Cultural statistics improved"),
]
ACTIVITIES = [
    ("1.1", "1.1.1", "Map enterprises", "2009-Q1", "2009-Q2", "UNESCO", "Ministry of Culture:responsible party",
     [("166260", "Contracts", "MDG-F"), ("434.00", "Nat personnel", "MDG-F")]),
    ("1.1", "1.1.2", "Train artisans", "2009-Q2", "2009-Q4", "UNESCO", "Crafts Council",
     [("65541.70", "Training", "MDG-F"), ("1200.05", "Travel", "UNESCO")]),
    ("1.1", "1.1.3", "Micro-credit window", "2009-Q3", "2009-Q4", "ILO", "Ministry of Economy",
     [("55000", "Contracts", "MDG-F")]),
    ("1.1", "1.1.4", "Export guide", "2009-Q4", "2009-Q4", "UNDP", "Chamber of Commerce",
     [("12750.10", "Contracts", "UNDP"), ("0.01", "Miscellaneous", "UNDP")]),
    ("1.2", "1.2.1", "Design routes", "2009-Q1", "2009-Q3", "UNESCO", "Tourism Agency",
     [("28600", "Intl personnel", "MDG-F")]),
    ("1.2", "1.2.2", "Visitor points", "2009-Q2", "2009-Q4", "UNDP", "Local governments",
     [("48900.99", "Equipment", "MDG-F")]),
    ("1.2", "1.2.3", "Train guides", "2009-Q3", "2009-Q4", "ILO", "Tourism Agency",
     [("19870.35", "Training", "MDG-F")]),
    ("1.2", "1.2.4", "Fairs", "2009-Q4", "2009-Q4", "UNDP", "Tourism Agency",
     [("8400", "Travel", "UNDP")]),
    ("2.1", "2.1.1", "Policy review", "2009-Q1", "2009-Q2", "UNESCO", "Ministry of Culture",
     [("24000", "Intl personnel", "MDG-F"), ("7600.40", "Nat personnel", "MDG-F")]),
    ("2.1", "2.1.2", "Classifier codes", "2009-Q2", "2009-Q3", "UNDP", "Statistics Committee",
     [("14200", "Nat personnel", "MDG-F")]),
    ("2.1", "2.1.3", "Employment survey", "2009-Q3", "2009-Q4", "ILO", "Statistics Committee",
     [("36500", "Contracts", "MDG-F"), ("5120.80", "Transport", "ILO")]),
    ("2.1", "2.1.4", "Train statisticians", "2009-Q4", "2009-Q4", "UNESCO", "Statistics Committee",
     [("8760.55", "Training", "MDG-F")]),
]


def run(cli, *args):
    result = cli(*args)
    assert result.exit_code == 0, f"{args}\n{result.output}"
    return result


@pytest.fixture
def built(tmp_path, cli):
    plan = tmp_path / "wp.yaml"
    run(cli, "new", plan, "--title", "Joint programme 2009", "--currency", "USD", "--start", "2009-Q1", "--end", "2009-Q4")
    for key, ref, name in OUTPUTS:
        run(cli, "direction", "add", plan, "--id", key, "--ref", ref, "--name", name)
    for output, ref, title, start, end, lead, party, lines in ACTIVITIES:
        run(cli, "add", plan, "--direction", output, "--ref", ref, "--title", title, "--from", start, "--to", end,
            "--lead", lead, "--party", party, "--target", f"target of {ref}")
        for amount, category, source in lines:
            run(cli, "budget", "add", plan, ref, "--amount", amount, "--category", category, "--source", source)
    run(cli, "indicator", "add", plan, "1.1", "--text", "Enterprises financed", "--unit", "enterprises", "--baseline", "0", "--target", "60")
    run(cli, "indicator", "record", plan, "1.1", "1", "--actual", "21", "--on", "2009-06-30")
    run(cli, "indicator", "record", plan, "1.1", "1", "--actual", "58", "--on", "2009-12-31", "--note", "55 micro, 3 small")
    run(cli, "indicator", "add", plan, "2.1.3", "--text", "Households surveyed", "--baseline", "0", "--target", "2000")
    run(cli, "indicator", "record", plan, "2.1.3", "1", "--actual", "1500", "--on", "2009-11-30")
    run(cli, "tick", plan, "1.1.1", "2.1.1", "--status", "completed", "--on", "2009-06-30")
    run(cli, "tick", plan, "1.1.2", "--status", "ongoing", "--on", "2009-09-30", "--note", "two cohorts trained")
    run(cli, "tick", plan, "1.2.1", "--status", "green", "--on", "2009-09-20")
    run(cli, "comment", plan, "1.1.2", "third cohort in November", "--by", "J. Doe", "--on", "2009-10-05")
    return plan


def hand_total(pick) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for *_, lines in ACTIVITIES:
        for amount, category, source in lines:
            key = pick(category, source)
            out[key] = out.get(key, Decimal(0)) + Decimal(amount)
    return out


def test_a_work_plan_built_with_commands_only_totals_to_the_cent(built, cli):
    plan = built
    result = run(cli, "budget", "show", plan, "--json")
    data = json.loads(result.stdout)
    by_category = hand_total(lambda c, s: c)
    assert list(data) == ["currency", "by", "total", "groups"]
    assert data["currency"] == "USD" and data["by"] == "category"
    # 301185.86 (output 1.1) + 105771.34 (1.2) + 96181.75 (2.1), added up by hand
    assert data["total"] == f"{sum(by_category.values()):.2f}" == "503138.95"
    assert {g["key"]: g["total"] for g in data["groups"]} == {k: f"{v:.2f}" for k, v in by_category.items()}
    assert all(set(g) == {"key", "total"} for g in data["groups"])
    data = json.loads(run(cli, "budget", "show", plan, "--by", "source", "--json").stdout)
    assert {g["key"]: g["total"] for g in data["groups"]} == {k: f"{v:.2f}" for k, v in hand_total(lambda c, s: s).items()}
    data = json.loads(run(cli, "budget", "show", plan, "--by", "direction", "--json").stdout)
    assert [g["key"] for g in data["groups"]] == ["OUT11", "OUT12", "OUT21"]
    assert data["groups"][0]["total"] == "301185.86"  # 166260 + 434.00 + 65541.70 + 1200.05 + 55000 + 12750.10 + 0.01
    text = run(cli, "budget", "show", plan).stdout
    assert "USD" in text and "503,138.95" in text
    assert run(cli, "validate", plan).exit_code == 0
    # the history has one step per command, and the file reads back the same
    history = run(cli, "history", plan, "--json")
    assert len(json.loads(history.stdout)) > 30


def test_the_report_shows_the_figures(built, cli, tmp_path):
    out = tmp_path / "report.md"
    run(cli, "report", built, "--as-of", "2009-12-31", "-o", out)
    md = out.read_text(encoding="utf-8")
    assert "USD" in md
    assert "| 1.1.1 | Map enterprises | target of 1.1.1 | X | X |  |  | UNESCO | Ministry of Culture (responsible party) | 166,694.00 | done |" in md
    assert "| **Total of output 1.1** |" in md and "**301,185.86**" in md
    assert "| Contracts | 270,510.10 |" in md  # 166260 + 55000 + 12750.10 + 36500
    assert "| **Total** | **503,138.95** |" in md
    assert "| 1.1 | 1. Enterprises financed (enterprises) | 0 | 60 | 58 (55 micro, 3 small) | 2009-12-31 | 97% |" in md
    assert "| 2.1.3 | 1. Households surveyed | 0 | 2000 | 1500 | 2009-11-30 | 75% |" in md
    assert "2009-10-05, J. Doe: third cohort in November" in md
    # as of an earlier date: the value then, and quarter-aware overdue
    run(cli, "report", built, "--as-of", "2009-07-15", "-o", out)
    md = out.read_text(encoding="utf-8")
    assert "| 21 | 2009-06-30 | 35% |" in md
    assert "third cohort" not in md
    assert "| 1.1.1 | Map enterprises |" in md and "| 166,694.00 | done |" in md  # done on 30 June
    assert "| 66,741.75 | not started |" in md  # 1.1.2: ticked ongoing only on 30 September
    assert "overdue" not in md  # what was due by the end of Q2 is done
    run(cli, "report", built, "--as-of", "2009-10-01", "-o", out)
    md = out.read_text(encoding="utf-8")
    assert "| 2.1.2 | Classifier codes | target of 2.1.2 |  | X | X |  |" in md
    assert md.count("(overdue)") == 1  # only 2.1.2 (Q2-Q3) is past its last quarter and not done
    html = tmp_path / "report.html"
    run(cli, "report", built, "--as-of", "2009-12-31", "-o", html)
    assert "503,138.95" in html.read_text(encoding="utf-8")


def test_tick_notes_are_kept_as_comments_and_status_words(built, cli):
    result = run(cli, "tick", built, "1.1.2", "--status", "yellow", "--on", "2009-10-30", "--note", "third cohort started")
    assert "the earlier note \u201ctwo cohorts trained\u201d is kept in its comments" in result.stdout
    from roadmap import store

    task = store.load(built).plan.task("WP-OUT11-2")
    assert task.status_note == "third cohort started"
    assert [c.text for c in task.comments] == ["third cohort in November", "two cohorts trained"]
    run(cli, "tick", built, "1.2.2", "--status", "not started")
    run(cli, "tick", built, "1.2.3", "--status", "red")
    assert run(cli, "status", built, "--as-of", "2009-12-31", "--json").exit_code == 0


def test_edits_leave_the_rest_of_the_file_alone_and_dry_run_writes_nothing(built, cli):
    text = built.read_text(encoding="utf-8")
    text = text.replace("tasks:\n", "# our activities, numbered as in the signed work plan\ntasks:\n", 1)
    built.write_text(text, encoding="utf-8")
    before = built.read_bytes()
    result = run(cli, "budget", "add", built, "1.2.4", "--amount", "10.00", "--category", "Travel", "--dry-run")
    assert "(dry run)" in result.stdout
    assert built.read_bytes() == before
    run(cli, "comment", built, "1.2.4", "booked")
    after = built.read_text(encoding="utf-8")
    assert "# our activities, numbered as in the signed work plan\n" in after
    import difflib

    ops = difflib.SequenceMatcher(None, before.decode("utf-8").splitlines(), after.splitlines()).get_opcodes()
    assert {op for op, *_ in ops} == {"equal", "insert"}  # lines added, none changed or lost


@pytest.mark.parametrize(
    "args, message",
    [
        (["add", "{plan}", "--direction", "1.1", "--title", "Late", "--from", "2010-Q1"], r"wp\.yaml:\d+: meta\.end: --from 2010-Q1 is outside the plan"),
        (["add", "{plan}", "--direction", "1.1", "--title", "Monthly", "--from", "2009-03"], r"wp\.yaml:\d+: meta\.start: --from 2009-03 is a month"),
        (["budget", "add", "{plan}", "1.1.1", "--amount", "12,5x", "--category", "Travel"], r"wp\.yaml:\d+: --amount: \"12,5x\" is not an amount"),
        (["budget", "add", "{plan}", "1.1.1", "--amount", "10.005", "--category", "Travel"], r"wp\.yaml:\d+: --amount: 10\.005 has more decimals than USD allows \(2\)"),
        (["indicator", "record", "{plan}", "1.1", "3", "--actual", "5", "--on", "2009-12-31"], r"wp\.yaml:\d+: indicators: there is no indicator 3"),
        (["budget", "total", "{plan}", "--amount", "503138.96"], r"wp\.yaml:\d+:\d+: budget\.stated\.overall: .*503138\.96 USD.*503138\.95 USD"),
        (["tick", "{plan}", "1.1.1", "--status", "finished"], r'unknown status "finished"'),
    ],
)
def test_bad_input_is_one_line_naming_file_line_and_field(built, cli, args, message):
    before = built.read_bytes()
    result = cli(*[a.replace("{plan}", str(built)) for a in args])
    assert result.exit_code == 1, result.output
    assert re.search(message, result.stderr), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert built.read_bytes() == before


def test_unknown_category_when_the_plan_lists_them(tmp_path, cli):
    plan = tmp_path / "wp.yaml"
    run(cli, "new", plan, "--title", "T", "--start", "2024", "--end", "2026", "--category", "Travel", "--source", "MDG-F")
    run(cli, "direction", "add", plan, "--id", "OUT1", "--name", "Output one")
    run(cli, "add", plan, "--direction", "OUT1", "--title", "Untimed", "--ref", "1.1")
    before = plan.read_bytes()
    result = cli("budget", "add", plan, "1.1", "--amount", "5", "--category", "Food")
    assert result.exit_code == 1 and 'unknown category "Food"' in result.stderr and "wp.yaml:" in result.stderr
    assert plan.read_bytes() == before
    run(cli, "budget", "add", plan, "1.1", "--amount", "5", "--category", "travel")  # any case
    status = run(cli, "status", plan, "--as-of", "2025-01-01")
    assert "No timeframe: 1" in status.stdout
    validate = cli("validate", plan)
    assert "no timeframe" in validate.stderr


def test_stated_totals_by_category_direction_and_source_are_told(tmp_path, cli):
    plan = tmp_path / "wp.yaml"
    run(cli, "new", plan, "--title", "T", "--start", "2024", "--end", "2026", "--category", "Travel", "--source", "MDG-F")
    run(cli, "direction", "add", plan, "--id", "OUT1", "--ref", "1", "--name", "Output one")
    told = [
        run(cli, "budget", "total", plan, "--amount", "0", *flag).stdout
        for flag in (("--category", "Travel"), ("--direction", "1"), ("--source", "MDG-F"))
    ]
    assert told == [
        "Stated total of category Travel: US$0.00\n",
        "Stated total of output OUT1: US$0.00\n",
        "Stated total of source MDG-F: US$0.00\n",
    ]
    assert 'Travel: "0"' in plan.read_text(encoding="utf-8")


def test_a_wrong_stated_total_fails_validate_at_its_line(tmp_path, cli):
    text = EXAMPLE.read_text(encoding="utf-8")
    wrong = text.replace('      Training: "94172.05"', '      Training: "94172.50"')
    assert wrong != text
    plan = tmp_path / "jp.yaml"
    plan.write_text(wrong, encoding="utf-8")
    line = wrong.splitlines().index('      Training: "94172.50"') + 1
    result = cli("validate", plan)
    assert result.exit_code == 1
    assert f"jp.yaml:{line}:" in result.stderr
    assert "budget.stated.categories.Training" in result.stderr
    assert "94172.50 USD" in result.stderr and "94172.05 USD" in result.stderr


def test_unquoted_float_amounts_and_currency_precision(tmp_path, cli):
    text = EXAMPLE.read_text(encoding="utf-8")
    plan = tmp_path / "jp.yaml"
    plan.write_text(text.replace('amount: "4210.25"', "amount: 4210.255"), encoding="utf-8")
    result = cli("validate", plan)
    assert result.exit_code == 1 and "quotes" in result.stderr
    plan.write_text(text.replace("currency: USD", "currency: JPY"), encoding="utf-8")
    result = cli("validate", plan)
    assert result.exit_code == 1 and "more decimals than JPY allows (0)" in result.stderr


def test_the_example_work_plan_is_valid_and_adds_up(cli):
    result = cli("validate", EXAMPLE, "--strict")
    assert result.exit_code == 0, result.stderr
    data = json.loads(run(cli, "budget", "show", EXAMPLE, "--json").stdout)
    assert data["total"] == "509574.00"
    from roadmap import store

    plan = store.load(EXAMPLE).plan
    assert len(plan.directions) >= 3 and len(plan.tasks) >= 12
    assert len({line.category for t in plan.tasks for line in t.budget}) >= 5
    assert len({line.source for t in plan.tasks for line in t.budget}) >= 2
    assert all(t.start and t.lead and t.parties for t in plan.tasks)
    assert all(len({v.date for v in i.values}) >= 2 for d in plan.directions for i in d.indicators)


RENDERS = [
    ("flowchart", ["svg", "png", "pdf", "dot", "mermaid"]),
    ("timeline", ["svg", "png", "pdf", "mermaid"]),
    ("action-plan", ["md", "html", "csv", "xlsx", "docx", "pdf"]),
    ("green-paper", ["md", "html", "docx", "pdf"]),
]


@pytest.mark.parametrize("kind, formats", RENDERS)
def test_every_renderer_works_on_the_example_work_plan(kind, formats, tmp_path, cli):
    for fmt in formats:
        out = tmp_path / f"{kind}.{'mmd' if fmt == 'mermaid' else fmt}"
        run(cli, "render", kind, EXAMPLE, "-o", out)
        assert out.stat().st_size > 200
        if fmt in ("md", "html", "csv", "mermaid", "svg", "dot"):
            text = out.read_text(encoding="utf-8")
            assert "Train artisans" in text


def test_the_report_in_every_format_and_the_other_views(tmp_path, cli):
    for fmt in ("md", "html", "xlsx", "docx", "pdf"):
        out = tmp_path / f"report.{fmt}"
        run(cli, "report", EXAMPLE, "--as-of", "2009-12-31", "-o", out)
        assert out.stat().st_size > 500
    first = (tmp_path / "report.pdf").read_bytes()
    run(cli, "report", EXAMPLE, "--as-of", "2009-12-31", "-o", tmp_path / "report.pdf")
    assert (tmp_path / "report.pdf").read_bytes() == first  # deterministic
    run(cli, "publish", EXAMPLE, "-o", tmp_path / "site", "--as-of", "2009-12-31")
    shown = run(cli, "status", EXAMPLE, "--as-of", "2009-12-31").stdout
    assert "2009-Q2" in shown and "period 2009-Q1 to 2009-Q4" in shown and "plan years" not in shown
    other = tmp_path / "other.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    stated = text[text.index("  # The totals") : text.index("\ndirections:") + 1]
    other.write_text(text.replace(stated, "").replace('amount: "8400.00"', 'amount: "8500.00"').replace('actual: "3150"', 'actual: "3300"'), encoding="utf-8")
    diff = cli("diff", EXAMPLE, other, "--format", "md")
    assert diff.exit_code == 3
    assert "8400.00" in diff.stdout and "8500.00" in diff.stdout
    assert "3150" in diff.stdout and "3300" in diff.stdout
    assert run(cli, "compare", EXAMPLE, other).exit_code == 0


def test_periods_and_money():
    import datetime as dt

    from roadmap.money import MoneyError, parse_amount
    from roadmap.periods import Period, PeriodError, span

    q = Period.parse("2024-Q2")
    assert (q.unit, q.first_day, q.last_day) == ("quarter", dt.date(2024, 4, 1), dt.date(2024, 6, 30))
    assert str(q.shift(3)) == "2025-Q1" and str(q.shift(-2)) == "2023-Q4"
    assert Period.parse("2024-03").last_day == dt.date(2024, 3, 31)
    assert Period.parse("2024").contains(dt.date(2024, 12, 31)) and Period.parse("2024").contains(q)
    assert [str(p) for p in span(Period.parse("2024-11"), Period.parse("2025-02"))] == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert Period.parse("2024-Q1") < Period.parse("2024-Q2")
    with pytest.raises(PeriodError):
        Period.parse("2024-Q5")
    assert parse_amount("65541.70") == Decimal("65541.70") and parse_amount(166260) == Decimal(166260)
    assert sum([parse_amount("0.10"), parse_amount("0.20")]) == Decimal("0.30")
    with pytest.raises(MoneyError):
        parse_amount(0.1 + 0.2)
    with pytest.raises(MoneyError):
        parse_amount("1e5")
