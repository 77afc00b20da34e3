"""`roadmap vision` of five plans, and `roadmap goal` that records what it counts.

The expected counts are read off the table in five_plans.py by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from roadmap import adapt, store
from roadmap.changes import Change
from roadmap.errors import BadValue, UnknownId
from roadmap.vision import format_text, load

from five_plans import TODAY

CODES = ["KG", "KZ", "TJ", "TM", "UZ"]


def counts(report) -> dict[str, int]:
    return {c.code: c.count for c in report.countries}


def test_met_exactly_on_the_threshold(region: list[Path]) -> None:
    """UZ reaches its 4th goal on the deadline: 3 of 5 countries with 4+ goals, exactly enough."""
    report = load(region, as_of=dt.date(2026, 12, 31))
    assert counts(report) == {"KG": 4, "KZ": 5, "TJ": 3, "TM": 0, "UZ": 4}
    assert [c.code for c in report.qualifying] == ["KG", "KZ", "UZ"]
    assert report.met and report.missing() == []
    text = format_text(report)
    assert "Verdict: met \u2014 3 of 5 countries have at least 4 goals (needed: 3)" in text
    assert "KG Kyrgyzstan    \u2713   \u2713   \u00b7   \u2713   \u00b7   \u2713    4 \u2713" in text


def test_not_met_the_day_before(region: list[Path]) -> None:
    report = load(region, as_of=dt.date(2026, 12, 30))
    assert counts(report) == {"KG": 4, "KZ": 5, "TJ": 3, "TM": 0, "UZ": 3}
    assert not report.met
    assert report.missing() == ["one more country with 4 goals", "TJ needs 1 more goal"]
    text = format_text(report)
    assert "Verdict: not met \u2014 2 of 5 countries have at least 4 goals (needed: 3)" in text
    assert "Missing: one more country with 4 goals; TJ needs 1 more goal" in text


def test_not_met_a_year_earlier(region: list[Path]) -> None:
    report = load(region, as_of=dt.date(2025, 12, 31))
    assert counts(report) == {"KG": 4, "KZ": 3, "TJ": 0, "TM": 0, "UZ": 0}
    assert report.missing() == ["2 more countries with 4 goals", "KZ needs 1 more goal", "TJ needs 4 more goals"]


def test_goals_after_the_deadline_do_not_count(region: list[Path]) -> None:
    tj = region[2]
    adapt.goal(tj, "G2", reached=True, on="2027-01-10", today=TODAY)
    report = load(region, as_of=dt.date(2027, 6, 30))
    assert counts(report)["TJ"] == 3
    assert report.cutoff == dt.date(2026, 12, 31)
    assert "The rule's deadline 31 December 2026 has passed: goals reached after it do not count." in format_text(report)


def test_fewer_plans_keep_the_denominator(region: list[Path]) -> None:
    report = load([region[0], region[2]], as_of=dt.date(2026, 12, 31))
    assert report.rule.of_countries == 5 and report.unplanned == 3
    assert report.missing() == [
        "2 more countries with 4 goals",
        "TJ needs 1 more goal",
        "3 of the 5 countries have no plan here and count as reaching no goals",
    ]
    three = format_text(load(region[:3], as_of=dt.date(2026, 12, 31)))
    assert "Verdict: not met \u2014 2 of 5 countries have at least 4 goals (needed: 3)" in three
    assert "2 of the 5 countries have no plan here and count as reaching no goals." in three


def test_rule_is_read_from_the_plan(region: list[Path]) -> None:
    """Loosen the rule in the first plan: 3 goals in 2 countries is met a year earlier."""
    kg = region[0]
    store.edit(
        kg,
        lambda doc: [
            Change(("vision", "success_rule", "min_goals"), 4, 3),
            Change(("vision", "success_rule", "min_countries"), 3, 2),
        ],
        command="edit",
        today=TODAY,
    )
    report = load(region, as_of=dt.date(2025, 12, 31))
    assert (report.rule.min_goals, report.rule.min_countries) == (3, 2)
    assert report.met and [c.code for c in report.qualifying] == ["KG", "KZ"]


def test_rule_from_the_model_when_the_plan_has_none(region: list[Path]) -> None:
    kg = region[0]
    store.edit(
        kg, lambda doc: [Change(("vision", "success_rule"), doc.data["vision"]["success_rule"], None)], command="edit", today=TODAY
    )
    assert store.load(kg).plan.vision.success_rule is None
    report = load(region, as_of=dt.date(2026, 12, 31))
    assert report.rule.min_goals == 4 and report.met
    assert report.rule_from == "central_asia_model.yaml (embedded model)"


def test_json(cli, region: list[Path]) -> None:
    result = cli("vision", *region, "--as-of", "2026-12-30", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["verdict"] == "not met"
    assert data["qualifying"] == ["KG", "KZ"]
    assert data["missing"] == ["one more country with 4 goals", "TJ needs 1 more goal"]
    uz = next(c for c in data["countries"] if c["code"] == "UZ")
    assert uz["reached"] == {"G1": "2026-09-01", "G2": "2026-09-01", "G3": "2026-09-01"} and uz["count"] == 3
    assert data["rule"]["of_countries"] == 5 and data["plans_given"] == 5


def test_cli_errors(cli, region: list[Path], tmp_path: Path, model_copy: Path) -> None:
    bad_date = cli("vision", *region, "--as-of", "31.12.2026")
    assert bad_date.exit_code == 1
    assert bad_date.stderr.strip() == '"31.12.2026" is not a date for --as-of; write it as YYYY-MM-DD, e.g. 2026-03-31'
    twice = cli("vision", region[0], region[0])
    assert twice.exit_code == 1
    assert twice.stderr.strip() == f"two plans for KG: {region[0]} and {region[0]}; give one plan per country"
    model = cli("vision", region[0], model_copy)
    assert model.exit_code == 1
    assert "has no meta.country" in model.stderr
    missing = cli("vision", tmp_path / "nope.yaml")
    assert missing.exit_code == 1 and missing.stderr.strip() == f"{tmp_path / 'nope.yaml'}: file not found"


# ---------------------------------------------------------------------------------------
# roadmap goal: what vision counts


def test_goal_records_reached_and_not_reached_with_history(cli, region: list[Path]) -> None:
    tm = region[3]
    result = cli("goal", tm, "g5", "--reached", "--on", "2026-05-01", "--evidence", "Monthly meetups since May")
    assert result.exit_code == 0
    goal = next(g for g in store.load(tm).plan.vision.goals if g.id == "G5")
    assert (goal.reached, goal.reached_on, goal.evidence) == (True, dt.date(2026, 5, 1), "Monthly meetups since May")
    history = store.load(tm).data["history"]
    assert [(h["command"], h["field"], h["new"]) for h in history[-3:]] == [
        ("goal", "vision.goals.G5.reached", True),
        ("goal", "vision.goals.G5.reached_on", "2026-05-01"),
        ("goal", "vision.goals.G5.evidence", "Monthly meetups since May"),
    ]
    assert counts(load(region, as_of=dt.date(2026, 12, 31)))["TM"] == 1

    undo = cli("goal", tm, "G5", "--not-reached")
    assert undo.exit_code == 0
    goal = next(g for g in store.load(tm).plan.vision.goals if g.id == "G5")
    assert (goal.reached, goal.reached_on) == (False, None)
    assert counts(load(region, as_of=dt.date(2026, 12, 31)))["TM"] == 0


def test_goal_errors(cli, region: list[Path]) -> None:
    before = region[3].read_bytes()
    unknown = cli("goal", region[3], "G9", "--reached")
    assert unknown.exit_code == 1
    assert unknown.stderr.strip() == 'no vision goal "G9"; the goals are: G1, G2, G3, G4, G5, G6'
    neither = cli("goal", region[3], "G1")
    assert neither.exit_code == 1 and neither.stderr.strip() == "say --reached or --not-reached"
    assert region[3].read_bytes() == before
    with pytest.raises(UnknownId):
        adapt.goal(region[3], "nope", reached=True, today=TODAY)
    with pytest.raises(BadValue):
        adapt.goal(region[3], "G1", reached=True, on="yesterday", today=TODAY)


def test_a_plan_outside_central_asia_is_shown_but_not_counted(cli, region: list[Path], tmp_path: Path) -> None:
    """`init --country PE` works (with a note); vision shows Peru and does not count it."""
    pe = tmp_path / "pe.yaml"
    result = cli("init", "--country", "PE", "--start-year", "2022", "-o", pe)
    assert result.exit_code == 0
    assert (
        "note: the model is written for the 5 countries of Central Asia (KZ KG TJ TM UZ); "
        "a plan for PE works the same, but the vision's success rule does not count PE"
    ) in result.stderr
    assert "note:" not in cli("init", "--country", "KG", "-o", tmp_path / "kg-new.yaml").stderr
    for goal in ("G1", "G2", "G3", "G4", "G5"):
        adapt.goal(pe, goal, reached=True, on="2025-01-01", today=TODAY)
    # Without UZ, KG and KZ qualify: 2 of 5, not met. Peru's 5 goals must not make it 3.
    plans = [region[0], region[1], region[2], region[3], pe]
    report = load(plans, as_of=dt.date(2026, 12, 31))
    assert [c.code for c in report.qualifying] == ["KG", "KZ"] and not report.met
    assert report.unplanned == 1  # UZ has no plan here; Peru does not take its place
    text = format_text(report)
    assert "Countries the rule counts: KZ KG TJ TM UZ" in text
    assert "PE Peru" in text and "5 (not counted)" in text
    assert "Verdict: not met \u2014 2 of 5 countries have at least 4 goals (needed: 3)" in text
    assert "PE is not one of the countries the rule counts (KZ KG TJ TM UZ): its plan is shown but not counted." in text
    data = json.loads(cli("vision", *plans, "--as-of", "2026-12-31", "--json").stdout)
    assert data["rule"]["countries"] == ["KZ", "KG", "TJ", "TM", "UZ"]
    peru = next(c for c in data["countries"] if c["code"] == "PE")
    assert (peru["counted"], peru["qualifies"], peru["count"]) == (False, False, 5)
    assert (data["plans_given"], data["plans_counted"], data["countries_without_plan"]) == (5, 4, 1)
    assert data["verdict"] == "not met"


def test_a_rule_may_list_its_own_countries(region: list[Path]) -> None:
    from roadmap.model import SuccessRule
    from roadmap.vision import build

    rule = SuccessRule(min_goals=4, min_countries=2, of_countries=2, by=dt.date(2026, 12, 31), countries=["KZ", "UZ"])
    docs = [store.load(p) for p in region]
    report = build([(d.label, d.plan) for d in docs], rule, docs[0].plan.vision.goals, "test", dt.date(2026, 12, 31), countries=rule.countries)
    assert [c.code for c in report.counted] == ["KZ", "UZ"] and report.met
    with pytest.raises(ValueError, match="countries lists 1 countries but of_countries is 2"):
        SuccessRule(min_goals=1, min_countries=1, of_countries=2, by=dt.date(2026, 12, 31), countries=["KZ"])
