"""The words the toolkit itself writes (headings, column names, status names, sentences).

One catalogue per language in templates/messages/LANG.yaml; a language adds a catalogue,
not copies of templates. Missing keys fall back to English.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .resources import templates_dir

DEFAULT = "en"


@lru_cache(maxsize=8)
def _load(lang: str) -> dict[str, str]:
    from .yamltext import parse

    path = templates_dir() / "messages" / f"{lang}.yaml"
    if not path.is_file():
        return {}
    return _flatten(parse(path.read_text(encoding="utf-8")) or {})


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value)
    return out


class Catalogue:
    def __init__(self, lang: str = DEFAULT):
        self.lang = lang
        self._own = _load(lang)
        self._fallback = _load(DEFAULT)

    def __call__(self, key: str, **values: Any) -> str:
        text = self._own.get(key) or self._fallback.get(key)
        if text is None:
            raise KeyError(f"no message {key!r} in templates/messages/{DEFAULT}.yaml")
        return text.format(**values) if values else text

    def all(self) -> dict[str, str]:
        """Every message, for templates (`t['status.done']`)."""
        return {**self._fallback, **self._own}


def catalogue(lang: str | None = None) -> Catalogue:
    return Catalogue(lang or DEFAULT)
