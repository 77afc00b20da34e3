"""ISO 3166-1 alpha-2 country names, for `init --country KG` without `--name`."""

from __future__ import annotations

from functools import lru_cache

from .resources import data_dir


@lru_cache(maxsize=8)
def _names(language: str = "en") -> dict[str, str]:
    """countries.tsv (English), or countries.LANG.tsv: names the region uses that CLDR lacks."""
    path = data_dir() / ("countries.tsv" if language == "en" else f"countries.{language}.tsv")
    names = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                code, name = line.split("\t", 1)
                names[code] = name
    return names


def country_name(code: str, language: str = "en") -> str | None:
    """The country's name in `language`: our lists first, then Babel's (CLDR) names."""
    code = code.upper()
    name = _names(language).get(code)
    if name is None and language != "en":
        from babel import Locale, UnknownLocaleError

        try:
            name = Locale.parse(language.replace("-", "_")).territories.get(code)
        except (UnknownLocaleError, ValueError):
            name = None
    return name
