"""`roadmap translate` and `--lang`: a plan in another language, the translators' PO
files in and out, and what is translated, stale or missing.

One mechanism: `localised` gives renderers a copy of the plan whose texts are the
translations and whose meta.language is the output language (so every renderer also
takes its own words from that language's catalogue). A stale or missing translation
is shown marked, in the output language's words, so the mark reaches every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yamltext
from .errors import BadValue, Finding, PlanInvalid
from .i18n import catalogue
from .model import Roadmap
from .translation import MISSING, STALE, TRANSLATED, Coverage, Entry, Layer, coverage, fingerprint, look_up, present
from .translation import translated as _translated
from .translation import translation_path, units
from .translation_files import check_language, languages, layers_for, read, write


def localised(plan: Roadmap, plan_path: Path, language: str | None, *, of: Roadmap | None = None) -> Roadmap:
    """The plan as it reads in `language` (the plan itself for its own language).

    `of`: the plan whose translation files to use, when `plan` is another (its model).
    """
    if language is None or language == plan.meta.language:
        return plan
    check_language(language)
    t = catalogue(language)

    def mark(state: str, text: str) -> str:
        return t("translation.stale" if state == STALE else "translation.missing", text=text)

    copy, _ = _translated(plan, layers_for(of or plan, plan_path, language), language, mark)
    return copy


# -- status -----------------------------------------------------------------------------


@dataclass
class LanguageStatus:
    language: str
    total: int
    translated: int
    stale: int
    missing: int
    files: list[str] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 100

    def as_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "total": self.total,
            "translated": self.translated,
            "stale": self.stale,
            "missing": self.missing,
            "percent": self.percent,
            "files": self.files,
        }


def status(plan: Roadmap, plan_path: Path, only: str | None = None) -> list[LanguageStatus]:
    """Per language the plan has translations for (or `only`): the counts."""
    if only is not None:
        check_language(only)
        found = {only: layers_for(plan, plan_path, only)}
    else:
        found = languages(plan, plan_path, borrowed=True).layers
    out = []
    for language, layers in found.items():
        cov = coverage(plan, layers, language)
        out.append(
            LanguageStatus(
                language, len(cov.states), cov.count(TRANSLATED), cov.count(STALE), cov.count(MISSING),
                [layer.label for layer in layers],
            )
        )
    return out


def findings(doc: Any) -> list[Finding]:
    """For `validate`: each field without a translation, or with a stale one, per language
    the plan has translations for (warnings); a broken translation file (errors)."""
    plan, label = doc.plan, doc.label
    try:
        found = languages(plan, doc.path).layers
    except PlanInvalid as exc:
        return exc.findings
    out: list[Finding] = []
    locator = None
    all_units = units(plan)
    now = present(all_units)
    for language, layers in found.items():
        memories = [layer.memory() for layer in layers]
        for unit in all_units:
            state = look_up(unit, layers, memories, now).state
            if state == TRANSLATED:
                continue
            locator = locator or yamltext.Locator(doc.text, doc.data)
            line, column = locator.line_of(unit.path) or (None, None)
            message = (
                f"the {language} translation is out of date: the text changed since it was translated"
                if state == STALE
                else f"no {language} translation yet (shown in {plan.meta.language}, marked)"
            )
            out.append(Finding(label, line, column, unit.key, message, "warning"))
    return out


# -- PO files ---------------------------------------------------------------------------


def export_po(plan: Roadmap, plan_path: Path, language: str, *, everything: bool = False) -> bytes:
    """What needs translating in `language`, as a gettext PO file.

    Each entry: msgctxt = the key, msgid = the source text, a comment saying what it is
    and a reference to its line in the plan; stale ones carry their old translation and
    the fuzzy flag. `everything`: translated ones too (for a full review).
    """
    import polib

    check_language(language)
    if language == plan.meta.language:
        raise BadValue(f"{plan_path.name} is written in {language}: choose another language to translate into")
    layers = layers_for(plan, plan_path, language)
    memories = [layer.memory() for layer in layers]
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": f"{plan.meta.id} {plan.meta.version}",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "roadmap translate export",
        "X-Source-Language": plan.meta.language,
    }
    text = None
    all_units = units(plan)
    now = present(all_units)
    for unit in all_units:
        found = look_up(unit, layers, memories, now)
        if found.state == TRANSLATED and not everything:
            continue
        if text is None:
            text = plan_path.read_text(encoding="utf-8") if plan_path.is_file() else ""
            data = yamltext.parse(text) if text else {}
            locator = yamltext.Locator(text, data) if text else None
        where = locator.line_of(unit.path) if locator is not None else None
        entry = polib.POEntry(
            msgctxt=unit.key,
            msgid=unit.text,
            msgstr=found.text if found.state != MISSING else "",
            comment=unit.context,
            occurrences=[(plan_path.name, str(where[0]))] if where else [],
            flags=["fuzzy"] if found.state == STALE else [],
        )
        po.append(entry)
    return str(po).encode("utf-8") + (b"" if str(po).endswith("\n") else b"\n")


@dataclass
class Imported:
    file: Path
    language: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    fuzzy: list[str] = field(default_factory=list)
    empty: int = 0
    unknown: list[str] = field(default_factory=list)
    older_source: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.file.name}: {len(self.added)} translations added, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged"
        ]
        if self.fuzzy:
            out.append(f"{len(self.fuzzy)} fuzzy entries left for the translator (not imported): {_few(self.fuzzy)}")
        if self.empty:
            out.append(f"{self.empty} entries without a translation")
        if self.older_source:
            out.append(
                f"{len(self.older_source)} translated from an older source text, imported but still stale: "
                f"{_few(self.older_source)}"
            )
        if self.unknown:
            out.append(f"{len(self.unknown)} entries name no field of the plan, skipped: {_few(self.unknown)}")
        return out


def _few(keys: list[str], limit: int = 5) -> str:
    return ", ".join(keys[:limit]) + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def _read_po(po_path: Path) -> Any:
    import polib

    from .store import label_for, read_text

    label = label_for(po_path)
    text = read_text(po_path, label)
    try:
        return polib.pofile(text, wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise PlanInvalid([Finding(label, None, None, "", f"not a readable PO file: {exc}")]) from None


def import_po(plan: Roadmap, plan_path: Path, po_path: Path, language: str | None = None, *, dry_run: bool = False) -> Imported:
    """Take a translator's PO file into the plan's translation file for its language."""
    from .store import label_for, locked

    po = _read_po(po_path)
    label = label_for(po_path)
    stated = (po.metadata.get("Language") or "").strip().replace("_", "-") or None
    language = language or stated
    if language is None:
        raise BadValue(f"{label} does not say its language (no Language: header): give --lang")
    check_language(language)
    if stated and language and stated.split("-")[0] != language.split("-")[0]:
        raise BadValue(f"{label} is a {stated} file (its Language: header), not {language}")
    if language == plan.meta.language:
        raise BadValue(f"{plan_path.name} is written in {language}: a PO file for it translates nothing")
    target = translation_path(plan_path, language)
    by_key = {unit.key: unit for unit in units(plan)}
    problems = []
    for entry in po:
        if entry.obsolete or not entry.msgstr:
            continue
        problem = yamltext.forbidden_problem(entry.msgstr)
        if problem is not None:
            problems.append(Finding(label, entry.linenum, None, entry.msgctxt or "", f"msgstr: {problem.message}"))
    if problems:
        raise PlanInvalid(problems)
    with locked(target):
        own = read(target, plan=plan) if target.is_file() else Layer(language, {}, target.name)
        entries = dict(own.entries)
        result = Imported(target, language)
        for entry in po:
            if entry.obsolete:
                continue
            key = entry.msgctxt or ""
            if not entry.msgstr:
                result.empty += 1
                continue
            if "fuzzy" in entry.flags:
                result.fuzzy.append(key)
                continue
            unit = by_key.get(key)
            if unit is None:
                result.unknown.append(key or repr(entry.msgid[:30]))
                continue
            new = Entry(entry.msgstr, fingerprint(entry.msgid))
            if entry.msgid != unit.text:
                result.older_source.append(key)
            old = entries.get(key)
            if old == new:
                result.unchanged += 1
                continue
            (result.updated if old is not None else result.added).append(key)
            entries[key] = new
        if not dry_run and (result.added or result.updated):
            write(target, plan, plan_path.name, language, entries)
    return result


def state_of(plan: Roadmap, plan_path: Path, language: str) -> Coverage:
    return coverage(plan, layers_for(plan, plan_path, language), language)
