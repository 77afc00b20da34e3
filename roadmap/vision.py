"""`roadmap vision`: is the region on track for the Green Paper's vision?

The success rule ("any 4 of the 6 goals in at least 3 of the 5 countries by the end of
2026") is data: it is read from the first plan's vision, or from the model that plan was
derived from, never hard-coded. Countries are told apart by `meta.country.code`; the
rule's `of_countries` is the denominator even when fewer plans are given, because a
country without a plan here has not shown that it reached anything.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import BadValue
from .i18n import catalogue
from .model import Goal, Roadmap, SuccessRule
from .regions import rule_countries


@dataclass
class CountryGoals:
    code: str
    name: str
    file: str
    reached: dict[str, dt.date | None]  # goal id -> the date it was reached (None: undated)
    counted: bool = True  # False: a country outside the rule's countries, shown for comparison

    @property
    def count(self) -> int:
        return len(self.reached)


@dataclass
class VisionReport:
    as_of: dt.date
    rule: SuccessRule
    goals: list[Goal]
    rule_from: str
    countries: list[CountryGoals]
    notes: list[str] = field(default_factory=list)
    rule_countries: list[str] | None = None  # None: any country counts
    lang: str | None = None  # the words of the report: the first plan's language

    @property
    def cutoff(self) -> dt.date:
        """Goals count up to the as-of date, and never after the rule's deadline."""
        return min(self.as_of, self.rule.by)

    @property
    def qualifying(self) -> list[CountryGoals]:
        return [c for c in self.counted if c.count >= self.rule.min_goals]

    @property
    def counted(self) -> list[CountryGoals]:
        return [c for c in self.countries if c.counted]

    @property
    def met(self) -> bool:
        return len(self.qualifying) >= self.rule.min_countries

    def missing(self) -> list[str]:
        """What the region still needs, closest countries first ('KZ needs 1 more goal')."""
        if self.met:
            return []
        t = catalogue(self.lang)
        rule = self.rule
        need = rule.min_countries - len(self.qualifying)
        out = [t.plural("vision.more_countries", need, min_goals=rule.min_goals)]
        behind = sorted((c for c in self.counted if c.count < rule.min_goals), key=lambda c: (-c.count, c.code))
        for c in behind[:need]:
            gap = rule.min_goals - c.count
            out.append(t.plural("vision.needs", gap, country=c.code))
        if need > len(behind) and self.unplanned > 0:
            out.append(t.plural("vision.unplanned", self.unplanned, of_countries=rule.of_countries))
        return out

    @property
    def unplanned(self) -> int:
        """Countries of the rule without a plan here (the denominator stays of_countries)."""
        return max(self.rule.of_countries - len(self.counted), 0)

    def as_data(self) -> dict[str, Any]:
        rule = self.rule
        return {
            "as_of": self.as_of.isoformat(),
            "counted_until": self.cutoff.isoformat(),
            "rule": {**rule.model_dump(mode="json"), "countries": self.rule_countries, "from": self.rule_from},
            "goals": [{"id": g.id, "text": g.text} for g in self.goals],
            "countries": [
                {
                    "code": c.code,
                    "name": c.name,
                    "file": c.file,
                    "reached": {gid: (d.isoformat() if d else None) for gid, d in c.reached.items()},
                    "count": c.count,
                    "counted": c.counted,
                    "qualifies": c.counted and c.count >= rule.min_goals,
                }
                for c in self.countries
            ],
            "plans_given": len(self.countries),
            "plans_counted": len(self.counted),
            "countries_without_plan": self.unplanned,
            "qualifying": [c.code for c in self.qualifying],
            "verdict": "met" if self.met else "not met",
            "missing": self.missing(),
            "notes": self.notes,
        }


def load(paths: list[Path], *, as_of: dt.date | None = None) -> VisionReport:
    from . import store

    if not paths:
        raise BadValue("give the country plans: roadmap vision kg.yaml kz.yaml ...")
    docs = [store.load(p) for p in paths]
    first = docs[0]
    rule, goals, source = _rule(first.plan), first.plan.vision.goals, first.label
    countries = rule_countries(first.plan)
    if rule is None:
        from . import lineage

        model = lineage.base_model(first)
        rule, goals, source = _rule(model.plan), model.plan.vision.goals, model.label
        countries = rule_countries(model.plan)
        if rule is None:
            raise BadValue(
                f"neither {first.label} nor its model {model.label} has a vision.success_rule; "
                "add one (min_goals, min_countries, of_countries, by) to the first plan"
            )
    return build(
        [(d.label, d.plan) for d in docs], rule, goals, source, as_of or dt.date.today(), countries=countries
    )


def _rule(plan: Roadmap) -> SuccessRule | None:
    return plan.vision.success_rule


def build(
    plans: list[tuple[str, Roadmap]],
    rule: SuccessRule,
    goals: list[Goal],
    rule_from: str,
    as_of: dt.date,
    *,
    countries: list[str] | None = None,
) -> VisionReport:
    """`countries`: the ones the rule counts (None: any); a plan of another is shown, not counted."""
    lang = plans[0][1].meta.language if plans else None
    t = catalogue(lang)
    report = VisionReport(as_of, rule, goals, rule_from, [], rule_countries=countries, lang=lang)
    cutoff = report.cutoff
    ids = [g.id for g in goals]
    seen: dict[str, str] = {}
    for label, plan in plans:
        country = plan.meta.country
        if country is None:
            raise BadValue(
                f"{label} is not a country plan (it has no meta.country); the vision counts countries: "
                "give one plan per country"
            )
        if country.code in seen:
            raise BadValue(f"two plans for {country.code}: {seen[country.code]} and {label}; give one plan per country")
        seen[country.code] = label
        reached: dict[str, dt.date | None] = {}
        for goal in plan.vision.goals:
            if goal.id not in ids or not goal.reached:
                continue
            if goal.reached_on is None:
                report.notes.append(t("vision.undated", country=country.code, goal=goal.id))
            elif goal.reached_on > cutoff:
                continue
            reached[goal.id] = goal.reached_on
        in_order = dict(sorted(reached.items(), key=lambda kv: ids.index(kv[0])))
        counted = countries is None or country.code in countries
        if not counted:
            report.notes.append(t("vision.outside", country=country.code, countries=" ".join(countries or [])))
        report.countries.append(CountryGoals(country.code, country.name, label, in_order, counted))
    if as_of > rule.by:
        report.notes.append(t("vision.deadline_passed", by=t.date(rule.by)))
    if len(report.counted) > rule.of_countries:
        report.notes.append(t.plural("vision.too_many", len(report.counted), of_countries=rule.of_countries))
    return report


YES, NO = "\u2713", "\u00b7"


def format_text(report: VisionReport) -> str:
    t = catalogue(report.lang)
    rule = report.rule
    out = []
    if rule.text:
        out.append(t("vision.heading", text=rule.text))
    out.append(
        t(
            "vision.rule",
            min_goals=rule.min_goals,
            goals=len(report.goals),
            min_countries=rule.min_countries,
            of_countries=rule.of_countries,
            by=t.date(rule.by),
        )
    )
    if report.rule_countries:
        out.append(t("vision.countries", countries=" ".join(report.rule_countries)))
    out.append(t("vision.as_of", date=t.date(report.cutoff)))
    out.append("")
    ids = [g.id for g in report.goals]
    width = max([len(t("vision.country"))] + [len(f"{c.code} {c.name}") for c in report.countries])
    out.append(f"{t('vision.country'):<{width}}  " + " ".join(f"{g:<3}" for g in ids) + f"  {t('vision.reached')}")
    for c in report.countries:
        marks = " ".join(f"{YES if g in c.reached else NO:<3}" for g in ids)
        flag = f" {YES}" if c.count >= rule.min_goals else ""
        if not c.counted:
            flag = f" ({t('vision.not_counted')})"
        out.append(f"{c.code + ' ' + c.name:<{width}}  {marks}  {c.count}{flag}")
    out.append("")
    verdict = t("vision.verdict_met") if report.met else t("vision.verdict_not_met")
    out.append(
        t(
            "vision.verdict",
            verdict=verdict,
            qualifying=len(report.qualifying),
            of_countries=rule.of_countries,
            min_goals=rule.min_goals,
            min_countries=rule.min_countries,
        )
    )
    missing = report.missing()
    if missing:
        out.append(t("vision.missing", what="; ".join(missing)))
    unplanned = t.plural("vision.unplanned", report.unplanned, of_countries=rule.of_countries)
    if report.unplanned and unplanned not in missing:
        out.append(unplanned[:1].upper() + unplanned[1:] + ".")
    out += report.notes
    return "\n".join(out) + "\n"


def format_json(report: VisionReport) -> str:
    return json.dumps(report.as_data(), ensure_ascii=False, indent=2) + "\n"
