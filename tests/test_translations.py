"""Translations of a plan's own words (issue 11): files beside the plan, the translators'
PO workflow, stale and missing translations, and publishing several languages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest

from conftest import TODAY
from roadmap import adapt
from roadmap.i18n import catalogue
from roadmap.resources import model_path
from roadmap.store import load
from roadmap.translation import units

RU_RESULT = "Сектор выработал и согласовал определения ключевых терминов (КЭ)."  # the shipped translation of DEF-1's first result


def _status(cli, plan: Path, lang: str) -> dict:
    result = cli("translate", "status", plan, "--lang", lang, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["languages"][0]


def _po(cli, plan: Path, lang: str, target: Path, *extra: str) -> polib.POFile:
    result = cli("translate", "export", plan, "--lang", lang, "-o", target, *extra)
    assert result.exit_code == 0, result.stderr
    return polib.pofile(str(target), wrapwidth=0)


def test_the_model_ships_with_every_text_translated_into_russian(cli):
    row = _status(cli, model_path(), "ru")
    assert row["total"] == len(units(load(model_path()).plan)) > 400
    assert (row["translated"], row["stale"], row["missing"]) == (row["total"], 0, 0)
    result = cli("validate")
    assert "translation" not in result.stderr


def test_russian_model_documents_carry_the_translation(cli, tmp_path):
    out = tmp_path / "ap.md"
    assert cli("render", "action-plan", "--lang", "ru", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Определить ключевые термины" in text and "Define key terms" not in text
    assert catalogue("ru")("translation.missing", text="").strip() not in text


def test_a_revised_field_goes_stale_is_exported_fuzzy_marked_and_cleared_by_import(cli, tmp_path):
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    before = _status(cli, plan, "ru")
    assert before["stale"] == 0
    old = load(plan).plan.task("DEF-1").expected_results[0]
    new = old.replace("(CE)", "(CE, CI)")
    assert cli("revise", plan, "DEF-1", "--result", new).exit_code == 0

    after = _status(cli, plan, "ru")
    assert after["stale"] == 1 and after["translated"] == before["translated"] - 1
    warnings = cli("validate", plan).stderr
    assert "tasks.DEF-1.expected_results.1: the ru translation is out of date" in warnings

    po = _po(cli, plan, "ru", tmp_path / "ru.po")
    entry = next(e for e in po if e.msgctxt == "tasks.DEF-1.expected_results.1")
    assert entry.fuzzy and entry.msgid == new and entry.msgstr.startswith(RU_RESULT)
    assert entry.occurrences and entry.occurrences[0][0] == "kg.yaml"

    out = tmp_path / "ap.md"
    assert cli("render", "action-plan", plan, "--lang", "ru", "-o", out).exit_code == 0
    stale = catalogue("ru")("translation.stale", text=RU_RESULT)
    assert stale in out.read_text(encoding="utf-8").replace("\\", "")  # Markdown escapes the brackets

    entry.msgstr = "Сектор согласовал определения ключевых терминов (КЭ, КИ)."
    entry.flags.remove("fuzzy")
    po.save()
    result = cli("translate", "import", plan, tmp_path / "ru.po")
    assert result.exit_code == 0, result.stderr
    assert "1 translations added" in result.stderr
    assert _status(cli, plan, "ru")["stale"] == 0
    assert cli("render", "action-plan", plan, "--lang", "ru", "-o", out).exit_code == 0
    text = out.read_text(encoding="utf-8").replace("\\", "")
    assert "Сектор согласовал определения ключевых терминов (КЭ, КИ)." in text and stale not in text
    assert "tasks.DEF-1.expected_results.1" in (tmp_path / "kg.ru.yaml").read_text(encoding="utf-8")


def test_a_third_language_with_a_partial_po_file_publishes_with_fallbacks_marked(cli, tmp_path):
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    po = _po(cli, plan, "ky", tmp_path / "ky.po")
    total = len(po)
    assert total == len(units(load(plan).plan))
    ky = {"tasks.DEF-1.title": "Негизги терминдерди аныктоо (КЭ, КИ)", "directions.DEF.name": "Аныктама",
          "stages.S1.name": "Чөйрөнү талдоо жана маалымат чогултуу"}
    for entry in po:
        if entry.msgctxt in ky:
            entry.msgstr = ky[entry.msgctxt]
    po.save()
    result = cli("translate", "import", plan, tmp_path / "ky.po")
    assert result.exit_code == 0, result.stderr
    row = _status(cli, plan, "ky")
    assert (row["translated"], row["stale"], row["missing"]) == (3, 0, total - 3)
    assert row["percent"] == round(300 / total)

    site = tmp_path / "site"
    result = cli("publish", plan, "-o", site)
    assert result.exit_code == 0, result.stderr
    page = (site / "ky" / "action-plan.html").read_text(encoding="utf-8")
    assert "Негизги терминдерди аныктоо" in page and "Аныктама" in page
    missing = catalogue("ky")("translation.missing", text="Approve the list of creative industries and creative professions.")
    assert missing.replace("[", "") in page.replace("[", "")
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" hreflang="ky" href="ky/index.html">' in index
    ky_index = (site / "ky" / "index.html").read_text(encoding="utf-8")
    assert 'hreflang="en" href="../index.html"' in ky_index and 'href="../kg.yaml"' in ky_index
    assert (site / "ky" / "flowchart.svg").read_text(encoding="utf-8").count("Аныктама") == 1
    assert "Аныктама" not in (site / "flowchart.svg").read_text(encoding="utf-8")


def test_publish_lang_chooses_and_refuses_a_language_without_translation(cli, tmp_path):
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    result = cli("publish", plan, "-o", tmp_path / "site", "--lang", "tg")
    assert result.exit_code == 1 and "has no tg translation" in result.stderr
    assert not (tmp_path / "site").exists()
    result = cli("publish", plan, "-o", tmp_path / "site", "--lang", "ru")
    assert result.exit_code == 0, result.stderr
    assert '<html lang="ru">' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert not (tmp_path / "site" / "en").exists()


def test_import_skips_fuzzy_and_unknown_entries_and_refuses_bad_text(cli, tmp_path):
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Language": "ky", "Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgctxt="tasks.DEF-1.title", msgid="Define key terms (CE, CEntr, CI).", msgstr="Аныктоо", flags=["fuzzy"]))
    po.append(polib.POEntry(msgctxt="tasks.NOPE-1.title", msgid="x", msgstr="y"))
    po.append(polib.POEntry(msgctxt="directions.DEF.name", msgid="Definition", msgstr="Аныктама"))
    po.save(str(tmp_path / "ky.po"))
    result = cli("translate", "import", plan, tmp_path / "ky.po")
    assert result.exit_code == 0, result.stderr
    assert "1 translations added" in result.stderr
    assert "1 fuzzy entries left for the translator" in result.stderr and "tasks.NOPE-1.title" in result.stderr

    po[2].msgstr = "Аныкта\x1b[31mма"
    po.save(str(tmp_path / "bad.po"))
    before = (tmp_path / "kg.ky.yaml").read_bytes()
    result = cli("translate", "import", plan, tmp_path / "bad.po")
    assert result.exit_code == 1 and "bad.po:" in result.stderr and "directions.DEF.name" in result.stderr
    assert (tmp_path / "kg.ky.yaml").read_bytes() == before

    po.metadata["Language"] = "uz"
    po.save(str(tmp_path / "uz.po"))
    result = cli("translate", "import", plan, tmp_path / "uz.po", "--lang", "ky")
    assert result.exit_code == 1 and "uz file" in result.stderr


def test_a_broken_translation_file_is_an_error_with_its_line(cli, tmp_path):
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    (tmp_path / "kg.ky.yaml").write_text(
        "translation:\n  of: kg-roadmap\n  language: ky\nentries:\n  tasks.DEF-1.title:\n    text: Аныктоо\n    from: nothex\n",
        encoding="utf-8",
    )
    result = cli("validate", plan)
    assert result.exit_code == 1
    assert "kg.ky.yaml:7:" in result.stderr and "from" in result.stderr
    result = cli("render", "flowchart", plan, "--lang", "ky", "-o", tmp_path / "f.svg")
    assert result.exit_code == 1 and "kg.ky.yaml:7:" in result.stderr
    assert not (tmp_path / "f.svg").exists()


def test_a_moved_list_item_keeps_its_translation(tmp_path):
    """Translations follow the text, not only the position: inserting a result before
    another does not make the old one stale."""
    from roadmap.translate import state_of

    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    results = load(plan).plan.task("DAT-2").expected_results
    adapt.revise(plan, "DAT-2", results=["A new first result", *results], today=TODAY)
    cov = state_of(load(plan).plan, plan, "ru")
    assert cov.states["tasks.DAT-2.expected_results.1"] == "missing"
    assert all(cov.states[f"tasks.DAT-2.expected_results.{i + 2}"] == "translated" for i in range(len(results)))


def test_every_translatable_text_has_a_unique_key_and_round_trips(tmp_path):
    """The translated copy puts each unit back where it came from (paragraphs too)."""
    from roadmap.translation import Entry, Layer, fingerprint, translated

    plan = load(model_path()).plan
    found = units(plan)
    assert len({u.key for u in found}) == len(found)
    layer = Layer("xx", {u.key: Entry(f"<{u.key}>", fingerprint(u.text)) for u in found})
    copy, cov = translated(plan, [layer], "xx")
    assert cov.count("translated") == len(found)
    again = units(copy)
    assert [u.text for u in again] == [f"<{u.key}>" for u in found]
    assert plan.meta.language == "en" and copy.meta.language == "xx"
    section = next(s for s in copy.sections if s.body.count("\n\n") >= 2)
    assert section.body.count("\n\n") == next(s for s in plan.sections if s.id == section.id).body.count("\n\n")


def _english_only_phrases() -> set[str]:
    """Phrases of the English catalogue that the Russian one does not use (4+ letters)."""
    import re

    from roadmap.i18n import _load

    def flat(messages: dict) -> dict[str, str]:
        out = {}
        for key, value in messages.items():
            for category, text in (value.items() if isinstance(value, dict) else [("", value)]):
                out[f"{key}.{category}"] = text
        return out

    en, ru = flat(_load("en")), flat(_load("ru"))
    found = set()
    for key, text in en.items():
        for piece in re.split(r"\{[^}]*\}", text):
            piece = piece.strip(" .,:;()[]–-\n")
            if len(piece) > 4 and re.search(r"[A-Za-z]{4}", piece) and piece not in ru.get(key, ""):
                found.add(piece)
    return found


@pytest.mark.slow
def test_the_model_published_in_russian_leaves_no_toolkit_word_in_english(cli, tmp_path):
    """Site pages, Word, Excel, SVG: every word the toolkit writes is Russian. (CSV headers
    and Mermaid ids are data for scripts; Word's internal style names are not shown.)"""
    import html
    import re
    import zipfile

    site = tmp_path / "site"
    assert cli("publish", "-o", site, "--lang", "ru").exit_code == 0
    phrases = _english_only_phrases()
    assert "Expected results" in phrases  # the check sees an English column name
    content = ["Big Hairy Audacious Goals", "Road Map"]  # the Green Paper's own words (plan content)
    checked = 0
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".svg", ".md", ".txt"):
            text = re.sub(r"```mermaid.*?```", " ", path.read_text(encoding="utf-8"), flags=re.S)  # diagram code
        elif path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as z:
                text = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml") and "style" not in n and "docProps" not in n)
        else:
            continue
        # Graphviz names its SVG groups by node id in <title> (stage:S1): ids, not words
        text = html.unescape(re.sub(r"<style.*?</style>|<title>[\w:>-]*</title>|<[^>]+>", " ", text, flags=re.S))
        for phrase in content:
            text = text.replace(phrase, "")
        visible = set(re.findall(r"[A-Za-z][\w ./-]*", text))
        left = [p for p in phrases if re.search(rf"\b{re.escape(p)}\b", " | ".join(visible))]
        assert not left, f"{path.name}: {left[:10]}"
        checked += 1
    assert checked >= 14


def test_validate_checks_a_translation_file_given_by_a_glob(cli, tmp_path):
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    result = cli("validate", plan, tmp_path / "kg.ru.yaml")
    assert result.exit_code == 0, result.stderr
    assert "kg.ru.yaml: valid (0 errors" in result.stderr
    (tmp_path / "kg.ky.yaml").write_text(
        "translation:\n  of: kg-roadmap\n  language: ky\nentries:\n  a:\n    text: b\n    frm: 0123456789ab\n", encoding="utf-8"
    )
    result = cli("validate", tmp_path / "kg.ky.yaml")
    assert result.exit_code == 1
    assert 'kg.ky.yaml:7:5: entries.a.frm: unknown field "frm"' in result.stderr


def test_a_work_plan_translates_its_outcomes_indicators_and_targets(cli, tmp_path):
    """The work plan's own words (issue 8) are translatable like the Green Paper's."""
    from roadmap.resources import data_dir

    plan = tmp_path / "jp.yaml"
    shutil.copyfile(data_dir() / "examples" / "joint_programme.yaml", plan)
    po = _po(cli, plan, "ru", tmp_path / "ru.po")
    keys = {e.msgctxt for e in po}
    doc = load(plan).plan
    direction = next(d for d in doc.directions if d.outcome and d.indicators)
    task = next(t for t in doc.tasks if t.target)
    assert {f"directions.{direction.id}.outcome", f"directions.{direction.id}.indicators.1", f"tasks.{task.id}.target"} <= keys
    for entry in po:
        if entry.msgctxt == f"directions.{direction.id}.outcome":
            entry.msgstr = "Повышен доход креативных предприятий"
    po.save()
    assert cli("translate", "import", plan, tmp_path / "ru.po").exit_code == 0
    out = tmp_path / "report.html"
    result = cli("report", plan, "--as-of", "2009-12-31", "--lang", "ru", "-o", out)
    assert result.exit_code == 0, result.stderr
    assert "Повышен доход креативных предприятий" in out.read_text(encoding="utf-8")
