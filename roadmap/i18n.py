"""The words the toolkit itself writes (headings, column names, status names, sentences).

One catalogue per language in templates/messages/LANG.yaml; a language adds a catalogue,
not copies of templates. Missing keys fall back to English.

A message that depends on a number is a mapping of CLDR plural categories
(`{one: "{count} task", other: "{count} tasks"}`; Russian adds few and many), chosen
by `Catalogue.plural`. Dates, numbers and money are written the language's way (Babel).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .resources import templates_dir

DEFAULT = "en"
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
# Babel's locale for each catalogue: English documents write dates the British way.
_LOCALES = {"en": "en_GB"}
# en_GB's long date and its integers, written without loading Babel's locale data (about
# 20 ms, which was a tenth of every `roadmap status`); tests/test_catalogues.py holds
# them equal to Babel's.
_MONTHS_GB = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


@lru_cache(maxsize=8)
def _load(lang: str) -> dict[str, str]:
    from .yamltext import parse

    path = templates_dir() / "messages" / f"{lang}.yaml"
    if not path.is_file():
        return {}
    return _flatten(parse(path.read_text(encoding="utf-8")) or {})


def is_plural(value: Any) -> bool:
    return isinstance(value, dict) and "other" in value and set(value) <= PLURAL_CATEGORIES


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted keys to messages; a plural message stays a mapping of categories."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if is_plural(value):
            out[name] = {category: str(text) for category, text in value.items()}
        elif isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value)
    return out


def languages() -> list[str]:
    """The languages the toolkit has a catalogue for."""
    return sorted(p.stem for p in (templates_dir() / "messages").glob("*.yaml"))


@lru_cache(maxsize=8)
def _locale(lang: str) -> Any:
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(_LOCALES.get(lang, lang).replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(_LOCALES[DEFAULT])


class Catalogue:
    def __init__(self, lang: str = DEFAULT):
        self.lang = lang
        self._own = _load(lang)
        self._fallback = _load(DEFAULT)

    def _message(self, key: str) -> Any:
        text = self._own.get(key) or self._fallback.get(key)
        if text is None:
            raise KeyError(f"no message {key!r} in templates/messages/{DEFAULT}.yaml")
        return text

    def __call__(self, key: str, /, **values: Any) -> str:
        text = self._message(key)
        if isinstance(text, dict):
            raise KeyError(f"message {key!r} depends on a number: use plural()")
        return text.format(**values) if values else text

    def plural(self, key: str, count: int, /, **values: Any) -> str:
        """The form of `key` for `count` ({count} is filled in, written the language's way)."""
        forms = self._own.get(key) if key in self._own else self._fallback.get(key)
        if forms is None:
            raise KeyError(f"no message {key!r} in templates/messages/{DEFAULT}.yaml")
        if isinstance(forms, str):
            return forms.format(count=self.number(count), **values)
        lang = self.lang if key in self._own else DEFAULT
        if lang == DEFAULT and isinstance(count, int):
            category = "one" if abs(count) == 1 else "other"  # CLDR English: i = 1 and v = 0
        else:
            category = self.locale.plural_form(abs(count)) if key in self._own else _locale(DEFAULT).plural_form(abs(count))
        text = forms.get(category) or forms["other"]
        return text.format(count=self.number(count), **values)

    @property
    def locale(self) -> Any:
        return _locale(self.lang if self._own else DEFAULT)

    @property
    def _british(self) -> bool:
        return (self.lang if self._own else DEFAULT) == DEFAULT

    def date(self, when: Any) -> str:
        """A date as the language writes it in prose: 23 November 2026, 23 ноября 2026 г.

        An ISO text ("2026-11-23", as the site's data carries dates) is read first; no date
        ("" or None) stays empty."""
        import datetime as dt

        if when is None or when == "":
            return ""
        if isinstance(when, str):
            when = dt.date.fromisoformat(when)
        if self._british and isinstance(when, dt.date):
            return f"{when.day} {_MONTHS_GB[when.month - 1]} {when.year}"
        from babel.dates import format_date

        return format_date(when, format="long", locale=self.locale)

    def number(self, value: Any) -> str:
        """1,001 in English, 1 001 in Russian."""
        if self._british and type(value) is int:
            return f"{value:,}"
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    def money(self, amount: Any, currency: str) -> str:
        """1,001,851.70 US$ / 1 001 851,70 $: exact (a Decimal stays a Decimal), cents always shown."""
        from babel.numbers import format_currency

        return format_currency(amount, currency, locale=self.locale, currency_digits=True)

    def numbers(self, values: dict[str, Any]) -> dict[str, Any]:
        """`values` with every count written the language's way (other values as they are)."""
        return {
            k: self.number(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in values.items()
        }

    def all(self) -> "Messages":
        """Every message, for templates: `t['status.done']`, `t.plural(key, count)`, `t.date(d)`."""
        return Messages({**self._fallback, **self._own}, self)


class Messages(dict):
    """The catalogue as a template sees it: a mapping of messages that can also count and date."""

    def __init__(self, messages: dict[str, Any], owner: Catalogue):
        super().__init__(messages)
        self.plural = owner.plural
        self.date = owner.date
        self.number = owner.number
        self.numbers = owner.numbers
        self.lang = owner.lang


def catalogue(lang: str | None = None) -> Catalogue:
    return Catalogue(lang or DEFAULT)
