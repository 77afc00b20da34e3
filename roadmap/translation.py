"""Translations of a plan's content: what is translatable, where translations live, and a
translated copy of the plan for rendering.

Toolkit words (headings, column names, sentences) live in the message catalogues
(`i18n.py`); this module is about the plan's own words: task titles, boxes, results,
indicators, directions, stages, the vision, chapters. They are keyed by id and field
(`tasks.DEF-1.expected_results.2`, `sections.2-3.body.4` for the fourth paragraph of a
chapter), so a country translates its plan without copying it, and each translation
records the fingerprint of the source text it was made from: when the source changes,
the translation is stale, and says so, until a translator updates it.

Where they live: beside the plan, one file per language (`kg.yaml` -> `kg.ru.yaml`).
A plan derived from the shipped model also reads the model's own translation
(`data/central_asia_model.ru.yaml`) for every field the country left as the model
wrote it: the fingerprints make that safe, as a changed field no longer matches.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Indicator, Roadmap

MARKDOWN = "md"  # a field whose text is Markdown: translated paragraph by paragraph
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n+)")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")


def fingerprint(text: str) -> str:
    """A short, stable name for one source text (12 hex digits of its SHA-256)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Unit:
    """One translatable text of a plan."""

    key: str  # "tasks.DEF-1.title"
    text: str  # the source text
    path: tuple[str | int, ...]  # where it sits in the plan's YAML, for line numbers
    context: str  # what it is, for the translator: "task DEF-1: expected result 2"


@dataclass
class _Slot:
    """Where a unit's translation goes in a copy of the plan."""

    holder: Any
    attr: str | int
    paragraph: int | None = None  # index into the Markdown paragraphs, if any


def paragraphs(text: str) -> list[str]:
    """A Markdown text split where a blank line separates paragraphs (separators kept)."""
    return _PARAGRAPH_BREAK.split(text)


def _emit(
    units: list[tuple[Unit, _Slot]],
    key: str,
    text: str | None,
    path: tuple[str | int, ...],
    context: str,
    holder: Any,
    attr: str | int,
    markdown: bool = False,
) -> None:
    if not text or not text.strip():
        return
    if not markdown:
        units.append((Unit(key, text, path, context), _Slot(holder, attr)))
        return
    number = 0
    for index, piece in enumerate(paragraphs(text)):
        if index % 2 or not piece.strip():
            continue
        number += 1
        units.append(
            (Unit(f"{key}.{number}", piece, path, f"{context}, paragraph {number}"), _Slot(holder, attr, index))
        )


def _list(units, key, items, path, context, holder) -> None:
    for i, item in enumerate(items):
        if isinstance(item, Indicator):
            _emit(units, f"{key}.{i + 1}", item.text, (*path, i, "text"), f"{context} {i + 1}", item, "text")
        elif isinstance(item, str):
            _emit(units, f"{key}.{i + 1}", item, (*path, i), f"{context} {i + 1}", holder, i)


def _walk(plan: Roadmap) -> list[tuple[Unit, _Slot]]:
    units: list[tuple[Unit, _Slot]] = []
    meta = plan.meta
    _emit(units, "meta.title", meta.title, ("meta", "title"), "title of the plan", meta, "title")
    _emit(units, "meta.subtitle", meta.subtitle, ("meta", "subtitle"), "subtitle of the plan", meta, "subtitle")
    if meta.country is not None:
        _emit(units, "meta.country.name", meta.country.name, ("meta", "country", "name"), "country name", meta.country, "name")
    for i, person in enumerate(meta.authors):
        where = ("meta", "authors", i)
        _emit(units, f"meta.authors.{i + 1}.organisation", person.organisation, (*where, "organisation"),
              f"organisation of author {i + 1} ({person.name})", person, "organisation")
        _emit(units, f"meta.authors.{i + 1}.role", person.role, (*where, "role"),
              f"role of author {i + 1} ({person.name})", person, "role")
    _list(units, "meta.acknowledgements", meta.acknowledgements, ("meta", "acknowledgements"), "acknowledgement",
          meta.acknowledgements)
    source = meta.adapted_from
    if source is not None:
        where = ("meta", "adapted_from")
        _emit(units, "meta.adapted_from.title", source.title, (*where, "title"), "title of the model adapted", source, "title")
        _emit(units, "meta.adapted_from.subtitle", source.subtitle, (*where, "subtitle"),
              "subtitle of the model adapted", source, "subtitle")
        for i, person in enumerate(source.authors):
            _emit(units, f"meta.adapted_from.authors.{i + 1}.organisation", person.organisation,
                  (*where, "authors", i, "organisation"), f"organisation of the model's author {i + 1} ({person.name})",
                  person, "organisation")
            _emit(units, f"meta.adapted_from.authors.{i + 1}.role", person.role, (*where, "authors", i, "role"),
                  f"role of the model's author {i + 1} ({person.name})", person, "role")

    vision = plan.vision
    _emit(units, "vision.title", vision.title, ("vision", "title"), "title of the vision", vision, "title")
    _emit(units, "vision.intro", vision.intro, ("vision", "intro"), "introduction of the vision", vision, "intro", True)
    for i, goal in enumerate(vision.goals):
        _emit(units, f"vision.goals.{goal.id}", goal.text, ("vision", "goals", i, "text"), f"vision goal {goal.id}", goal, "text")
    if vision.success_rule is not None:
        rule = vision.success_rule
        _emit(units, "vision.success_rule", rule.text, ("vision", "success_rule", "text"), "rule of success", rule, "text")

    for i, audience in enumerate(plan.audiences):
        where = ("audiences", i)
        _emit(units, f"audiences.{audience.id}.name", audience.name, (*where, "name"), f"audience {audience.id}: name",
              audience, "name")
        _emit(units, f"audiences.{audience.id}.description", audience.description, (*where, "description"),
              f"audience {audience.id}: description", audience, "description", True)

    for i, stage in enumerate(plan.stages):
        where = ("stages", i)
        about = f"stage {stage.number} ({stage.id})"
        _emit(units, f"stages.{stage.id}.name", stage.name, (*where, "name"), f"{about}: name", stage, "name")
        _emit(units, f"stages.{stage.id}.key_message", stage.key_message, (*where, "key_message"),
              f"{about}: key message", stage, "key_message")
        _emit(units, f"stages.{stage.id}.narrative", stage.narrative, (*where, "narrative"), f"{about}: narrative",
              stage, "narrative", True)

    for i, direction in enumerate(plan.directions):
        where = ("directions", i)
        about = f"direction {direction.number} ({direction.id})"
        _emit(units, f"directions.{direction.id}.name", direction.name, (*where, "name"), f"{about}: name",
              direction, "name")
        _list(units, f"directions.{direction.id}.guiding_questions", direction.guiding_questions,
              (*where, "guiding_questions"), f"{about}: guiding question", direction.guiding_questions)
        _emit(units, f"directions.{direction.id}.narrative", direction.narrative, (*where, "narrative"),
              f"{about}: narrative", direction, "narrative", True)
        _emit(units, f"directions.{direction.id}.outcome", direction.outcome, (*where, "outcome"),
              f"{about}: outcome", direction, "outcome")
        _list(units, f"directions.{direction.id}.indicators", direction.indicators, (*where, "indicators"),
              f"{about}: indicator", direction.indicators)

    for i, task in enumerate(plan.tasks):
        where = ("tasks", i)
        about = f"task {task.id}"
        key = f"tasks.{task.id}"
        _emit(units, f"{key}.title", task.title, (*where, "title"), f"{about}: title", task, "title")
        if task.box is not None:
            _emit(units, f"{key}.box", task.box.text, (*where, "box", "text"), f"{about}: flowchart box", task.box, "text")
        _emit(units, f"{key}.target", task.target, (*where, "target"), f"{about}: annual target", task, "target")
        _list(units, f"{key}.persons_involved", task.persons_involved, (*where, "persons_involved"),
              f"{about}: persons involved", task.persons_involved)
        _list(units, f"{key}.expected_results", task.expected_results, (*where, "expected_results"),
              f"{about}: expected result", task.expected_results)
        _list(units, f"{key}.success_indicators", task.success_indicators, (*where, "success_indicators"),
              f"{about}: success indicator", task.success_indicators)
        _list(units, f"{key}.international_examples", task.international_examples, (*where, "international_examples"),
              f"{about}: international example", task.international_examples)

    for i, section in enumerate(plan.sections):
        where = ("sections", i)
        about = f"chapter {section.number} ({section.id})" if section.number else f"chapter {section.id}"
        _emit(units, f"sections.{section.id}.title", section.title, (*where, "title"), f"{about}: title", section, "title")
        _emit(units, f"sections.{section.id}.body", section.body, (*where, "body"), f"{about}: text", section, "body", True)
    return units


def units(plan: Roadmap) -> list[Unit]:
    """Every translatable text of the plan, in the plan's order."""
    return [unit for unit, _ in _walk(plan)]


# -- state of one language ------------------------------------------------------------

TRANSLATED, STALE, MISSING = "translated", "stale", "missing"


@dataclass(frozen=True)
class Entry:
    text: str
    source: str  # fingerprint of the source text it was made from


@dataclass
class Layer:
    """The translations one file holds for one language."""

    language: str
    entries: dict[str, Entry]
    label: str = ""
    own: bool = True  # the plan's own file (a shipped model's translation only serves matches)
    of: str = ""  # the id of the plan it translates

    def memory(self) -> dict[str, Entry]:
        return {entry.source: entry for entry in self.entries.values()}


@dataclass
class Coverage:
    """For each unit of a plan, in one language: translated, stale or missing."""

    language: str
    states: dict[str, str] = field(default_factory=dict)

    def count(self, state: str) -> int:
        return sum(1 for s in self.states.values() if s == state)

    def keys(self, state: str) -> list[str]:
        return [k for k, s in self.states.items() if s == state]


@dataclass
class Found:
    state: str
    text: str  # the text to show (translation, stale translation, or the source)
    entry: Entry | None = None  # the stored entry it came from, if any


def look_up(
    unit: Unit, layers: list[Layer], memories: list[dict[str, Entry]] | None = None, present: set[str] | None = None
) -> Found:
    """The best translation of one unit: exact key and source, then any entry made from
    the same source text (a moved list item, a text the model translated elsewhere),
    then a translation of an older source (stale), else nothing.

    `present`: fingerprints of every text the plan has now; an entry made from one of
    them belongs to that text (moved), so it is no stale translation of this one.
    """
    source = fingerprint(unit.text)
    for layer in layers:
        entry = layer.entries.get(unit.key)
        if entry is not None and entry.source == source:
            return Found(TRANSLATED, entry.text, entry)
    for memory in memories if memories is not None else [layer.memory() for layer in layers]:
        entry = memory.get(source)
        if entry is not None:
            return Found(TRANSLATED, entry.text, entry)
    for layer in layers:
        # A borrowed (model's) translation of an older text is stale too: the country revised
        # that field. Not so for the plan's identity (meta), which is the country's own text.
        entry = layer.entries.get(unit.key) if layer.own or not unit.key.startswith("meta.") else None
        if entry is not None and not (present and entry.source in present):
            return Found(STALE, entry.text, entry)
    return Found(MISSING, unit.text)


def present(found: list[Unit]) -> set[str]:
    return {fingerprint(unit.text) for unit in found}


def coverage(plan: Roadmap, layers: list[Layer], language: str) -> Coverage:
    memories = [layer.memory() for layer in layers]
    result = Coverage(language)
    found = units(plan)
    now = present(found)
    for unit in found:
        result.states[unit.key] = look_up(unit, layers, memories, now).state
    return result


def translated(plan: Roadmap, layers: list[Layer], language: str, mark: Any = None) -> tuple[Roadmap, Coverage]:
    """A copy of the plan in `language`: each unit replaced by its translation.

    `mark(state, text)` returns the text to show for a stale or missing unit (the
    renderers show it as is, so the mark reaches every format).
    """
    copy = plan.model_copy(deep=True)
    memories = [layer.memory() for layer in layers]
    result = Coverage(language)
    split: dict[tuple[int, str], list[str]] = {}
    walked = _walk(copy)
    now = present([unit for unit, _ in walked])
    for unit, slot in walked:
        found = look_up(unit, layers, memories, now)
        result.states[unit.key] = found.state
        text = found.text if mark is None or found.state == TRANSLATED else mark(found.state, found.text)
        if slot.paragraph is None:
            _put(slot.holder, slot.attr, text)
        else:
            pieces = split.setdefault((id(slot.holder), str(slot.attr)), paragraphs(getattr(slot.holder, slot.attr)))
            pieces[slot.paragraph] = text
            _put(slot.holder, slot.attr, "".join(pieces))
    copy.meta.language = language
    return copy, result


def _put(holder: Any, attr: str | int, text: str) -> None:
    if isinstance(attr, int):
        holder[attr] = text
    else:
        setattr(holder, attr, text)


def translation_path(plan_path: Path, language: str) -> Path:
    """`kg.yaml` -> `kg.ru.yaml`, beside the plan."""
    return plan_path.with_name(f"{plan_path.stem}.{language}{plan_path.suffix or '.yaml'}")


def iter_translation_files(plan_path: Path) -> Iterator[tuple[str, Path]]:
    """The plan's own translation files: (language, path), sorted by language."""
    stem = plan_path.stem
    found = []
    for candidate in plan_path.parent.glob(f"{glob_escape(stem)}.*{plan_path.suffix or '.yaml'}"):
        language = candidate.name[len(stem) + 1 : -len(plan_path.suffix or ".yaml")]
        if LANGUAGE.match(language) and candidate.is_file():
            found.append((language, candidate))
    return iter(sorted(found))


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
