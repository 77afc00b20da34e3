"""ISO 3166-1 alpha-2 country names, for `init --country KG` without `--name`."""

from __future__ import annotations

from functools import lru_cache

from .resources import data_dir


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names = {}
    for line in (data_dir() / "countries.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            names[code] = name
    return names


def country_name(code: str) -> str | None:
    return _names().get(code.upper())
