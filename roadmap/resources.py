"""Where the shipped data and templates are.

Installed, `data/` and `templates/` sit inside the package (the wheel maps them there);
in a source checkout they sit beside it. Both cases resolve here and nowhere else.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"roadmap is installed without its {name}/ folder")


def data_dir() -> Path:
    return _find("data")


def templates_dir() -> Path:
    return _find("templates")


def model_path() -> Path:
    """The embedded Central Asia model."""
    return data_dir() / "central_asia_model.yaml"


def schema_path() -> Path:
    return data_dir() / "roadmap.schema.json"
