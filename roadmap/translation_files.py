"""Translation files: reading and writing `PLAN.LANG.yaml`, and the translations a plan
can use in a language (its own file, then the shipped model's for what it kept).

A translation file is data the tool writes (`translate import`); it is read with the
same checks as a plan (size, characters, duplicate keys, line numbers in every message)
and written whole, atomically, under the plan's kind of lock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, ValidationError

from . import yamltext
from .errors import BadValue, Finding, PlanInvalid
from .model import Id, Roadmap, Strict, Text
from .resources import data_dir, model_path
from .translation import LANGUAGE, Layer, Entry, translation_path, iter_translation_files, units

Language = Annotated[str, StringConstraints(pattern=LANGUAGE.pattern)]
Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")]


class _Header(Strict):
    of: Id = Field(description="The id (meta.id) of the plan translated.")
    language: Language


class _Entry(Strict):
    text: Text
    from_: Fingerprint = Field(alias="from", description="Fingerprint of the source text it was made from.")


class TranslationFile(Strict):
    translation: _Header
    entries: dict[str, _Entry] = Field(default_factory=dict)


def check_language(language: str) -> str:
    if not LANGUAGE.match(language):
        raise BadValue(f'"{language}" is not a language code: give one such as ru, ky, kk, tg, tk, uz')
    return language


def read(path: Path, *, plan: Roadmap | None = None) -> Layer:
    """One translation file as a Layer, or PlanInvalid naming file, line and field."""
    from .store import _finding, label_for, read_text

    label = label_for(path)
    text = read_text(path, label)
    try:
        data = yamltext.parse(text)
    except yamltext.YamlProblem as exc:
        raise PlanInvalid([Finding(label, exc.line, exc.column, "", exc.message)]) from None
    if not isinstance(data, dict) or "translation" not in data:
        raise PlanInvalid([Finding(label, 1, 1, "", "a translation file starts with translation: (of:, language:) and entries:")])
    try:
        parsed = TranslationFile.model_validate(data)
    except ValidationError as exc:
        locator = yamltext.Locator(text, data)
        raise PlanInvalid([_finding(locator, data, label, err) for err in exc.errors(include_url=False)]) from None
    problems = []
    if plan is not None and parsed.translation.of != plan.meta.id:
        problems.append(
            Finding(label, *(yamltext.line_of(text, data, ("translation", "of")) or (None, None)), "translation.of",
                    f'this file translates "{parsed.translation.of}", but the plan is "{plan.meta.id}"')
        )
    if problems:
        raise PlanInvalid(problems)
    entries = {key: Entry(e.text, e.from_) for key, e in parsed.entries.items()}
    return Layer(parsed.translation.language, entries, label, of=parsed.translation.of)


def _shipped_model_id() -> str | None:
    from .store import load

    try:
        return load(model_path()).plan.meta.id
    except Exception:  # noqa: BLE001 - a broken installation shows up in validate, not here
        return None


def shipped_layer(plan: Roadmap, language: str) -> tuple[Path, Layer] | None:
    """The shipped model's translation, for a plan derived from that model (or the model)."""
    path = translation_path(model_path(), language)
    if not path.is_file():
        return None
    layer = _shipped(str(path), path.stat().st_mtime_ns)
    if layer.of not in {plan.meta.id, plan.meta.based_on.id if plan.meta.based_on else None}:
        return None
    # The model itself owns it; a country plan only borrows the translations that match.
    return path, replace(layer, own=plan.meta.id == layer.of)


@lru_cache(maxsize=8)
def _shipped(path: str, _mtime: int) -> Layer:
    return replace(read(Path(path)), label=f"{Path(path).name} (shipped with roadmap)")


def shipped_languages(plan: Roadmap) -> list[str]:
    stem = model_path().stem
    found = []
    for candidate in sorted(data_dir().glob(f"{stem}.*.yaml")):
        language = candidate.name[len(stem) + 1 : -len(".yaml")]
        if LANGUAGE.match(language) and shipped_layer(plan, language) is not None:
            found.append(language)
    return found


@dataclass
class Languages:
    """The languages a plan can be published in, and the files behind each."""

    source: str
    layers: dict[str, list[Layer]]

    @property
    def all(self) -> list[str]:
        return [self.source, *sorted(lang for lang in self.layers if lang != self.source)]


def layers_for(plan: Roadmap, plan_path: Path, language: str) -> list[Layer]:
    """The translations a plan uses in `language`, the plan's own first."""
    check_language(language)
    own = translation_path(plan_path, language)
    found: list[Layer] = []
    if own.is_file():
        found.append(read(own, plan=plan))
    shipped = shipped_layer(plan, language)
    if shipped is not None and shipped[0].resolve() != own.resolve():
        found.append(shipped[1])
    return found


def languages(plan: Roadmap, plan_path: Path, *, borrowed: bool = False) -> Languages:
    """The plan's source language and every language it has a translation file for
    (`borrowed`: also those of the shipped model it derives from)."""
    wanted = {lang for lang, _ in iter_translation_files(plan_path)}
    if borrowed:
        wanted |= set(shipped_languages(plan))
    wanted.discard(plan.meta.language)
    return Languages(plan.meta.language, {lang: layers_for(plan, plan_path, lang) for lang in sorted(wanted)})


# -- writing -----------------------------------------------------------------------------

HEADER = """\
# {name}: the {language} translation of {plan}.
# Written by `roadmap translate import` (comments here are not kept). Each entry is
# keyed by id and field; `from` is the fingerprint of the source text it was made from:
# when the source changes, the translation is reported stale until it is updated.
"""


def render_file(plan: Roadmap, plan_name: str, language: str, entries: dict[str, Entry], name: str) -> str:
    """The whole file: entries in the plan's order, then any whose field the plan lost."""
    order = {unit.key: i for i, unit in enumerate(units(plan))}
    keys = sorted(entries, key=lambda k: (k not in order, order.get(k, 0), k))
    document = {
        "translation": {"of": plan.meta.id, "language": language},
        "entries": {key: {"text": entries[key].text, "from": entries[key].source} for key in keys},
    }
    def clean(text: str) -> str:  # a file name may carry what a YAML file may not
        return yamltext.FORBIDDEN.sub("?", text).replace("\n", "?")

    header = HEADER.format(name=clean(name), language=language, plan=clean(plan_name))
    return header + yamltext.emit_block(document, 0) + "\n"


def write(path: Path, plan: Roadmap, plan_name: str, language: str, entries: dict[str, Entry]) -> None:
    """Write the translation file whole and atomically; re-read it to be sure it holds them."""
    from .errors import EditRefused
    from .store import write_atomic

    text = render_file(plan, plan_name, language, entries, path.name)
    data = yamltext.parse(text)
    back = {k: (v["text"], v["from"]) for k, v in (data.get("entries") or {}).items()}
    if back != {k: (e.text, e.source) for k, e in entries.items()}:
        raise EditRefused(f"could not write {path.name} faithfully; nothing was changed (please report this)")
    write_atomic(path, text)
