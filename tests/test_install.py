"""The installed `roadmap` (pip install ., not editable) works from any folder."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent / "roadmap"


@pytest.mark.slow
def test_installed_command_works_from_another_folder(tmp_path):
    if not BIN.exists():
        pytest.skip(f"no installed roadmap beside {sys.executable}: run `pip install .` into this venv")
    site = Path(sysconfig.get_paths()["purelib"])
    editable = ("roadmap.pth", "__editable__*roadmap*", "_editable_impl_roadmap*.pth")  # setuptools, hatchling
    if any(any(site.glob(pattern)) for pattern in editable):
        pytest.skip("roadmap is installed in editable mode here")
    assert not (site / "cli.py").exists(), "a generic top-level cli.py was installed into site-packages"
    packaged = site / "roadmap"
    for name in ("cli.py", "data/central_asia_model.yaml", "data/roadmap.schema.json", "templates/messages/en.yaml"):
        assert (packaged / name).is_file(), name
    run = subprocess.run([str(BIN), "validate"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "central_asia_model.yaml (embedded model): valid" in run.stderr
    init = subprocess.run(
        [str(BIN), "init", "--country", "UZ", "-o", "uz.yaml"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert init.returncode == 0, init.stderr
    status = subprocess.run([str(BIN), "status", "uz.yaml", "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert status.returncode == 0 and '"plan": "uz-roadmap"' in status.stdout
