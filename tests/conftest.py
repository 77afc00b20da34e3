"""Shared test helpers: files in tmp_path, the CLI runner, plans built with the real commands."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from roadmap.resources import model_path

TODAY = dt.date(2026, 11, 23)


def build_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write a dict of relative paths to contents under `root` (copier's build_file_tree)."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    """A writable copy of the embedded model."""
    target = tmp_path / "model.yaml"
    shutil.copyfile(model_path(), target)
    return target


class Cli:
    """Runs `roadmap ...` in-process and keeps stdout and stderr apart."""

    def __init__(self) -> None:
        from cli import app

        self.app = app
        self.runner = CliRunner()

    def __call__(self, *args: Any, input: str | None = None) -> Any:
        return self.runner.invoke(self.app, [str(a) for a in args], input=input, catch_exceptions=False)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def kg_plan(tmp_path: Path) -> Path:
    """A Kyrgyz plan adapted with the library's own commands (no hand edits)."""
    from roadmap import adapt

    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    adapt.tick(plan, ["DEF-1", "DEF-2"], on="2024-06-30", today=TODAY)
    adapt.tick(plan, ["DAT-3"], status="in-progress", on="2025-03-01", today=TODAY)
    adapt.tick(plan, ["CUL-4"], status="not-needed", note="Covered by the national festival", today=TODAY)
    adapt.add(plan, direction="FIN", stage="S2", title="Crowdfunding guide for CEntr", years="2-3", today=TODAY)
    adapt.shift(plan, ["DAT-2"], by=1, today=TODAY)
    adapt.assign(plan, ["FIN-1", "FIN-2"], owner="A. Usenova", org="Ministry of Economy", today=TODAY)
    adapt.revise(plan, "DAT-2", add_results=["OKED codes for crafts adopted"], today=TODAY)
    return plan


@pytest.fixture(scope="session")
def region_built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Five country plans made with the real commands (see five_plans.py), built once."""
    from five_plans import build_region

    return build_region(tmp_path_factory.mktemp("region"))


@pytest.fixture
def region(region_built: dict[str, Path], tmp_path: Path) -> list[Path]:
    """Fresh copies of the five plans for each test, in the order KG KZ TJ TM UZ."""
    out = []
    for code in ("KG", "KZ", "TJ", "TM", "UZ"):
        target = tmp_path / region_built[code].name
        shutil.copyfile(region_built[code], target)
        out.append(target)
    return out
