"""`roadmap changelog`: the plan's history as plain sentences, grouped by date.

The history is the list of Changes the store recorded; each entry is read back as its
Change (`changes.from_history`) and worded by `sentences.describe`, so the change log, the
"Changes from the model" annex and `diff` speak the same language. Dates come newest
first; within a date, changes are listed in the order they were made (so "added a task"
comes before "assigned it"). What `init` and `upgrade` record about the document itself
(its id, title, based_on...) is told in one sentence each; boxes renumbered in a row
are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from .changes import Change
from .history import from_history
from .i18n import Catalogue, catalogue
from .lineage import IDENTITY_FIELDS
from .model import Roadmap
from .sentences import describe



@dataclass
class Day:
    date: dt.date
    sentences: list[str]


def changelog(path: Path, *, since: dt.date | None = None) -> tuple[Roadmap, list[Day]]:
    from . import store

    doc = store.load(path)
    return doc.plan, days(doc.data.get("history") or [], doc.plan, since=since)


def days(history: list[dict[str, Any]], plan: Roadmap, *, since: dt.date | None = None) -> list[Day]:
    t = catalogue(plan.meta.language)
    changes = [from_history(entry) for entry in history]
    changes = [c for c in changes if since is None or (c.date is not None and c.date >= since)]
    # Boxes renumbered around an added task are layout; the sentence about the task says it.
    changes = [c for c in changes if not (c.task and c.field == "box.order")]
    out: list[Day] = []
    for date, same_day in groupby(changes, key=lambda c: c.date):
        sentences: list[str] = []
        for _, run in groupby(same_day, key=lambda c: c.command):
            sentences += _run(list(run), plan, t)
        if out and out[-1].date == date:  # history out of date order: keep one heading per date
            out[-1].sentences += sentences
        else:
            out.append(Day(date or dt.date.min, sentences))
    out.sort(key=lambda d: d.date, reverse=True)
    return out


def lines(history: list[dict[str, Any]], plan: Roadmap) -> list[str]:
    """`roadmap history`: every recorded entry, oldest first, as "date  command  sentence"."""
    t = catalogue(plan.meta.language)
    changes = [c for c in map(from_history, history) if not (c.task and c.field == "box.order")]
    out = []
    for (date, command), run in groupby(changes, key=lambda c: (c.date, c.command)):
        out += [f"{date}  {command or '':<8} {sentence}" for sentence in _run(list(run), plan, t)]
    return out


def _run(changes: list[Change], plan: Roadmap, t: Catalogue) -> list[str]:
    """Sentences for consecutive Changes made by one command."""
    out: list[str] = []
    rest: list[Change] = []
    command = changes[0].command
    if command == "init":
        values = {c.path[1]: c.new for c in changes if c.path[0] == "meta" and len(c.path) == 2}
        based_on = values.get("based_on") or {}
        country = (values.get("country") or {}).get("name")
        model, version = based_on.get("id", "?"), based_on.get("version", "?")
        out.append(
            t("changelog.created", model=model, version=version, country=country)
            if country
            else t("changelog.created_plain", model=model, version=version)
        )
        changes = [c for c in changes if not (c.path[0] == "meta" and len(c.path) == 2 and c.path[1] in IDENTITY_FIELDS)]
    for c in changes:
        special = _special(c, t)
        if special is None:
            rest.append(c)
            continue
        if rest:  # keep the order things happened in
            out += describe(rest, plan)
            rest = []
        out.append(special)
    return out + describe(rest, plan) if rest else out


def _special(c: Change, t: Catalogue) -> str | None:
    """Sentences for what upgrade records about the document rather than about its content."""
    if c.path == ("meta", "based_on") and isinstance(c.new, dict):
        old = c.old.get("version") if isinstance(c.old, dict) else "?"
        return t("changelog.upgraded", model=c.new.get("id"), new=c.new.get("version"), old=old)
    if c.task is not None and c.field == "id":
        return t("changelog.renamed", old=c.old, new=c.new)
    if len(c.path) == 2 and c.path[0] == "conflicts" and isinstance(c.new, dict):
        return t("changelog.conflict", id=c.path[1], message=c.new.get("message") or c.new.get("field"))
    if c.path == ("conflicts",) and c.new is None:
        return t("changelog.settled", note=c.note or "")
    return None


def _md(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_md(plan: Roadmap, log: list[Day], since: dt.date | None = None) -> str:
    t = catalogue(plan.meta.language)
    title = t("changelog.title", title=plan.meta.title)
    out = [f"# {_md(title)}"]
    if since:
        out += ["", f"*{t('changelog.since', date=t.date(since))}*"]
    if not log:
        out += ["", t("changelog.nothing")]
    for day in log:
        out += ["", f"## {t.date(day.date)}", ""]
        out += [f"- {_md(s)}" for s in day.sentences]
    return "\n".join(out) + "\n"


def format_text(plan: Roadmap, log: list[Day], since: dt.date | None = None) -> str:
    t = catalogue(plan.meta.language)
    if not log:
        return t("changelog.nothing") + "\n"
    out: list[str] = []
    for day in log:
        if out:
            out.append("")
        out.append(day.date.isoformat())
        out += [f"  - {s}" for s in day.sentences]
    return "\n".join(out) + "\n"
