"""Which countries a model is written for, and so which countries its vision counts.

The Central Asia model says `meta.region: Central Asia`; its success rule speaks of "the 5
Central Asian countries". A rule may list its countries itself
(`vision.success_rule.countries`); otherwise they are the countries of the plan's region
in data/regions.tsv. Kept beside the model, not in its text: changing the model's text is
publishing a new version (a new hash in every plan's `meta.based_on`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .model import Roadmap
from .resources import data_dir


@lru_cache(maxsize=1)
def _regions() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    path = data_dir() / "regions.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, codes = line.split("\t", 1)
            out[name.strip().casefold()] = codes.split()
    return out


def region_countries(region: str | None) -> list[str] | None:
    return _regions().get(region.strip().casefold()) if region else None


def rule_countries(plan: Roadmap) -> list[str] | None:
    """The countries `plan`'s success rule counts: its own list, else its region's; None: any."""
    rule = plan.vision.success_rule
    if rule is not None and rule.countries:
        return list(rule.countries)
    return region_countries(plan.meta.region)


def outside_note(plan: Roadmap, code: str) -> str | None:
    """For `init`: a sentence when `code` is not one of the countries the model is written for."""
    from .i18n import catalogue

    countries = rule_countries(plan)
    if not countries or code.upper() in countries:
        return None
    t = catalogue(plan.meta.language)
    return t.plural(
        "init.outside_region",
        len(countries),
        country=code.upper(),
        region=plan.meta.region or "",
        countries=" ".join(countries),
    )


def init_note(plan_file: Path) -> str | None:
    """The note `init` prints when the new plan's country is not one the model is written for."""
    from . import store

    plan = store.load(plan_file).plan
    return outside_note(plan, plan.meta.country.code) if plan.meta.country else None
