"""The message catalogues (templates/messages/LANG.yaml): complete, consistent, and used.

Every catalogue has exactly en.yaml's keys, the same {placeholders}, every plural category
its language's rules use, and no empty message. Then the Russian words are checked where
they land: a plan whose meta.language is "ru" is rendered (status, action plan, flowchart,
timeline, Green Paper, change log) with its own text replaced by Russian filler, and no
English toolkit word may be left in what comes out.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path
from typing import Any

import pytest

from roadmap import i18n
from roadmap.i18n import Catalogue, catalogue, is_plural
from roadmap.model import Roadmap

TODAY = dt.date(2026, 11, 23)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
OTHER_LANGUAGES = [lang for lang in i18n.languages() if lang != i18n.DEFAULT]


def messages(lang: str) -> dict[str, Any]:
    return i18n._load(lang)


def placeholders(message: Any) -> set[str]:
    forms = message.values() if isinstance(message, dict) else [message]
    return {name for form in forms for name in PLACEHOLDER.findall(form)}


def plural_tags(lang: str) -> set[str]:
    from babel import Locale

    return set(Locale.parse(i18n._LOCALES.get(lang, lang)).plural_form.tags) | {"other"}


# ---------------------------------------------------------------------------------------
# The catalogues themselves


def test_there_is_a_russian_catalogue() -> None:
    assert "ru" in OTHER_LANGUAGES


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_same_keys_as_english(lang: str) -> None:
    en, other = messages("en"), messages(lang)
    assert sorted(set(en) - set(other)) == [], f"{lang}.yaml lacks these keys of en.yaml"
    assert sorted(set(other) - set(en)) == [], f"{lang}.yaml has keys en.yaml does not"


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_same_placeholders_as_english(lang: str) -> None:
    en, other = messages("en"), messages(lang)
    differ = {
        key: (sorted(placeholders(en[key])), sorted(placeholders(other[key])))
        for key in en.keys() & other.keys()
        if placeholders(en[key]) != placeholders(other[key])
    }
    assert differ == {}
    # A plural form may leave out {count} ("one more country"), but never names one English lacks.
    for key in en.keys() & other.keys():
        if isinstance(other[key], dict):
            for category, form in other[key].items():
                assert placeholders(form) <= placeholders(en[key]), (lang, key, category)


@pytest.mark.parametrize("lang", i18n.languages())
def test_plural_messages_have_every_category_of_the_language(lang: str) -> None:
    en, own = messages("en"), messages(lang)
    needed = plural_tags(lang)
    for key, message in own.items():
        assert is_plural(message) == is_plural(en[key]), f"{lang}: {key} is plural in one catalogue only"
        if is_plural(message):
            assert needed <= set(message), f"{lang}: {key} lacks {sorted(needed - set(message))}"


@pytest.mark.parametrize("lang", i18n.languages())
def test_no_empty_message(lang: str) -> None:
    for key, message in messages(lang).items():
        forms = message.values() if isinstance(message, dict) else [message]
        assert all(form.strip() for form in forms), f"{lang}: {key} is empty"


def test_a_catalogue_lacking_a_category_is_caught() -> None:
    """The category check looks at the language's own rules, not at English's."""
    forms = {"one": "{count} задача", "other": "{count} задачи"}
    assert not plural_tags("ru") <= set(forms)
    assert plural_tags("en") <= set(forms)


# ---------------------------------------------------------------------------------------
# Plurals, dates and numbers in Russian


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "1 задача"),
        (2, "2 задачи"),
        (4, "4 задачи"),
        (5, "5 задач"),
        (11, "11 задач"),
        (12, "12 задач"),
        (21, "21 задача"),
        (22, "22 задачи"),
        (25, "25 задач"),
        (111, "111 задач"),
        (1001, "1\u00a0001 задача"),
    ],
)
def test_russian_plurals(count: int, words: str) -> None:
    assert catalogue("ru").plural("flowchart.summary_cell", count) == words


def test_russian_plural_of_a_fraction() -> None:
    from decimal import Decimal

    assert catalogue("ru").plural("flowchart.summary_cell", Decimal("1.5")) == "1,5 задачи"


def test_english_plurals() -> None:
    t = catalogue("en")
    assert t.plural("flowchart.summary_cell", 1) == "1 task"
    assert t.plural("flowchart.summary_cell", 2) == "2 tasks"
    assert t.plural("flowchart.summary_cell", 1234) == "1,234 tasks"
    assert t.plural("upgrade.pending", 1).startswith("1 conflict from an earlier upgrade is")
    assert t.plural("upgrade.pending", 3).startswith("3 conflicts from an earlier upgrade are")


def test_russian_sentences_with_counts() -> None:
    t = catalogue("ru")
    assert t.plural("terminal.more", 3) == "… и ещё 3 задачи (--all выводит все задачи)"
    assert t.plural("upgrade.pending", 5).startswith("5 конфликтов")
    assert t.plural("compare.subtitle_dates", 5, dates="23 ноября 2026\u202fг.") == (
        "5 планов; статусы по состоянию на 23 ноября 2026\u202fг."
    )
    assert t.plural("doc.progress_plan", 21, **t.numbers({"done": 1, "in_progress": 0, "planned": 20, "not_needed": 0, "percent": 5})) == (
        "Ход выполнения плана действий: выполнено 1 из 21 задачи (5\u00a0%), в работе 0, не начато 20, не требуется 0."
    )


def test_dates_and_numbers_per_language() -> None:
    day = dt.date(2026, 11, 23)
    assert catalogue("en").date(day) == "23 November 2026"
    assert catalogue("ru").date(day) == "23 ноября 2026\u202fг."
    assert catalogue("ru").date("2026-11-23") == "23 ноября 2026\u202fг."
    assert catalogue("ru").date(None) == ""
    assert catalogue("en").number(1234) == "1,234"
    assert catalogue("ru").number(1234) == "1\u00a0234"


def test_templates_can_count_and_date() -> None:
    from roadmap.render.templating import environment

    t = catalogue("ru").all()
    source = '{{ t["status.done"] }}; {{ t.plural("flowchart.summary_cell", 5) }}; {{ t.date("2026-11-23") }}'
    assert environment().from_string(source).render(t=t) == "выполнено; 5 задач; 23 ноября 2026\u202fг."


# ---------------------------------------------------------------------------------------
# No English toolkit word in Russian output

# Plan text: what the plan says in its own words, replaced by Russian filler so that only
# the toolkit's words can be English.
_TEXT_FIELDS = {
    "title", "subtitle", "text", "name", "region", "city", "key_message", "narrative", "description",
    "intro", "body", "evidence", "status_note", "organisation", "role", "unit", "message", "note",
    "acknowledgements", "guiding_questions", "persons_involved", "expected_results",
    "international_examples", "success_indicators", "contact", "by",
}
FILLER = "текст плана"


def _fill(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _fill(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, key) for v in value]
    if isinstance(value, str) and key in _TEXT_FIELDS:
        return FILLER
    return value


def russian(plan: Roadmap) -> Roadmap:
    """The plan with meta.language "ru" and every text of its own in Russian filler."""
    data = _fill(plan.model_dump(mode="python", exclude_none=True))
    data.pop("history", None)
    data["meta"]["language"] = "ru"
    return Roadmap.model_validate(data)


def english_words() -> dict[str, str]:
    """Each English phrase of the toolkit (a message's text between its placeholders) that
    its Russian message does not also use (command names, file formats), by its key."""
    en, ru = messages("en"), messages("ru")
    out: dict[str, str] = {}
    for key, message in en.items():
        forms = message.values() if isinstance(message, dict) else [message]
        theirs = " ".join(ru[key].values()) if isinstance(ru[key], dict) else ru[key]
        for form in forms:
            for part in PLACEHOLDER.split(form)[::2]:
                for line in part.split("\n"):
                    phrase = line.strip(" .,:;()\u00b7\u2014-")
                    if len(phrase) > 3 and re.search(r"[A-Za-z]{3}", phrase) and phrase not in theirs:
                        out.setdefault(phrase, key)
    return out


def visible_text(markup: str) -> str:
    """What a reader sees of an HTML or SVG page: its text, titles and alt texts."""
    markup = re.sub(r"<style.*?</style>", " ", markup, flags=re.S)
    markup = re.sub(r"<title>[^<\s]*</title>", " ", markup)  # Graphviz's node names ("stage:s1")
    attributes = " ".join(re.findall(r'\b(?:alt|title|aria-label)="([^"]*)"', markup))
    return html.unescape(re.sub(r"<[^>]+>", " ", markup) + " " + attributes)


def mermaid_labels(source: str) -> str:
    """What a reader sees of a Mermaid chart: its quoted labels (the rest is Mermaid's syntax)."""
    return html.unescape(" ".join(re.findall(r'"([^"]*)"', source)))


def markdown_text(source: str) -> str:
    """A Markdown document with its Mermaid chart reduced to the chart's labels."""
    charts = re.findall(r"```mermaid\n(.*?)```", source, flags=re.S)
    return re.sub(r"```mermaid\n.*?```", " ", source, flags=re.S) + " ".join(map(mermaid_labels, charts))


def english_left(text: str) -> dict[str, str]:
    return {phrase: key for phrase, key in english_words().items() if re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text)}


@pytest.fixture
def ru_plan(kg_plan: Path) -> tuple[Roadmap, Roadmap]:
    from roadmap import lineage, store

    doc = store.load(kg_plan)
    return russian(doc.plan), russian(lineage.base_model(doc).plan)


def _status(plan: Roadmap) -> str:
    from rich.console import Console

    from roadmap.progress import summary
    from roadmap.render.terminal import status_view

    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(status_view(summary(plan, TODAY), catalogue(plan.meta.language), show_all=False))
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_the_check_finds_an_english_word(ru_plan: tuple[Roadmap, Roadmap]) -> None:
    """A Russian catalogue that lacks a word falls back to English: the check must see it."""
    from roadmap.render import tables

    plan, _ = ru_plan
    broken = Catalogue("ru")
    broken._own = {k: v for k, v in broken._own.items() if k != "column.persons_involved"}
    assert english_left(visible_text(tables.to_html(plan, broken))) == {"Persons involved": "field.persons_involved"}
    assert english_left(visible_text(tables.to_html(plan, Catalogue("ru")))) == {}
    assert english_left("3 tasks: too many") != {}


def test_russian_status_has_no_english_word(ru_plan: tuple[Roadmap, Roadmap]) -> None:
    plan, _ = ru_plan
    text = _status(plan)
    assert "по состоянию на 23 ноября 2026\u202fг." in text
    assert "Э1" in text and "Все этапы" in text
    assert english_left(text) == {}


def test_russian_action_plan_has_no_english_word(ru_plan: tuple[Roadmap, Roadmap]) -> None:
    from roadmap.render import tables

    plan, model = ru_plan
    for shown in (plan, model):
        page = tables.render(shown, "html").decode("utf-8")
        assert "Ответственный" in page or shown is model
        assert english_left(visible_text(page)) == {}
        assert english_left(tables.render(shown, "md").decode("utf-8")) == {}


def test_russian_flowchart_and_timeline_have_no_english_word(ru_plan: tuple[Roadmap, Roadmap]) -> None:
    from roadmap.render import flowchart, timeline

    plan, model = ru_plan
    for shown in (plan, model):
        svg = flowchart.render(shown, "svg").decode("utf-8")
        assert "Этап 1" in svg
        assert english_left(visible_text(svg)) == {}
        assert english_left(mermaid_labels(flowchart.render(shown, "mermaid").decode("utf-8"))) == {}
    svg = timeline.render(plan, "svg", as_of=TODAY).decode("utf-8")
    assert "23 ноября 2026\u202fг." in svg
    assert english_left(visible_text(svg)) == {}


def test_russian_green_paper_has_no_english_word(ru_plan: tuple[Roadmap, Roadmap]) -> None:
    from roadmap.render import documents

    plan, model = ru_plan
    page = documents.render(plan, "html", as_of=TODAY, model=model).decode("utf-8")
    assert "Изменения по сравнению с моделью" in page
    assert "Ход выполнения плана действий" in page
    assert english_left(visible_text(page)) == {}
    md = documents.render(plan, "md", as_of=TODAY, model=model).decode("utf-8")
    assert "```mermaid" in md
    assert english_left(markdown_text(md)) == {}


def test_russian_change_log_has_no_english_word(kg_plan: Path) -> None:
    from roadmap import store
    from roadmap.changelog import days, format_md

    doc = store.load(kg_plan)
    data = doc.plan.model_dump(mode="python", exclude_none=True)
    data["meta"]["language"] = "ru"
    plan = Roadmap.model_validate(data)
    text = format_md(plan, days(doc.data.get("history") or [], plan))
    assert "отмечена как «выполнено» 30 июня 2024\u202fг." in text
    assert "## 23 ноября 2026\u202fг." in text
    # The plan's own text (task titles, names) is English here: look at the toolkit's words only.
    own = {"Crowdfunding guide for CEntr", "OKED codes for crafts adopted", "Covered by the national festival", "Ministry of Economy", plan.meta.title}
    for phrase in own:
        text = text.replace(phrase, "")
    assert english_left(text) == {}


def test_english_dates_numbers_and_plurals_are_babels_en_gb() -> None:
    """English is written without loading Babel (start-up); it must be what Babel writes."""
    from babel.dates import format_date
    from babel.numbers import format_decimal

    t = catalogue("en")
    from babel import Locale

    gb = Locale.parse("en_GB")
    day = dt.date(1999, 1, 1)
    while day.year < 2031:
        assert t.date(day) == format_date(day, format="long", locale=gb)
        day += dt.timedelta(days=13)
    assert t.date(dt.date(9999, 12, 31)) == format_date(dt.date(9999, 12, 31), format="long", locale=gb)
    for n in [0, 1, 2, 7, 11, 21, 999, 1000, 1001, 123456, 10**9 + 7, -1, -1234]:
        assert t.number(n) == format_decimal(n, locale=gb)
        category = "one" if abs(n) == 1 else "other"
        assert gb.plural_form(abs(n)) == category
        assert t.plural("flowchart.summary_cell", n) == f"{format_decimal(n, locale=gb)} task" + ("" if category == "one" else "s")
