"""Odd files and paths: symlinks, read-only plans, FIFOs, devices, outputs aimed at plans.

Each case of issue 12 on the file-system side is one test here: the command ends with a
message naming the file and exit code 1, and every file is left exactly as it was.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from roadmap import store
from roadmap.errors import PlanInvalid

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, tuple[bytes | str, int]]:
    """Every entry under a folder: its bytes (or link target) and its mode."""
    out: dict[str, tuple[bytes | str, int]] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            out[str(path.relative_to(folder))] = (os.readlink(path), info.st_mode)
        elif stat.S_ISREG(info.st_mode):
            out[str(path.relative_to(folder))] = (path.read_bytes(), info.st_mode)
    return out


def run_cli(*args: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed command in a child process (for cases that would hang in-process)."""
    code = "import sys; from cli import app; app(prog_name='roadmap')"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, timeout=timeout, env=env
    )


# ---------------------------------------------------------------------------------------
# Symlinks


@pytest.fixture
def linked(kg_plan: Path) -> tuple[Path, Path]:
    shared = kg_plan.parent / "shared"
    shared.mkdir()
    real = shared / "real.yaml"
    kg_plan.rename(real)
    link = kg_plan.parent / "link.yaml"
    link.symlink_to(Path("shared") / "real.yaml")
    return link, real


def test_edit_through_a_symlink_changes_the_real_file_and_keeps_the_link(cli, linked) -> None:  # type: ignore[no-untyped-def]
    link, real = linked
    result = cli("tick", link, "INF-1", "--status", "in-progress", "--on", "2025-01-02")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == os.path.join("shared", "real.yaml")
    assert store.load(real).plan.task("INF-1").status.value == "in_progress"
    assert not list(link.parent.glob(".link.yaml*")), "nothing is written beside the link"
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.yaml"], "no lock or temp file is left"


def test_lock_is_keyed_on_the_real_file(linked) -> None:  # type: ignore[no-untyped-def]
    link, real = linked
    assert store.lock_path(link) == store.lock_path(real) == real.parent / ".real.yaml.lock"
    probe = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from roadmap import store
        from roadmap.errors import Busy
        try:
            with store.locked(Path(sys.argv[1]), timeout=0.3):
                print("acquired")
        except Busy as exc:
            print("busy:", exc)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with store.locked(real):
        held = subprocess.run([sys.executable, "-c", probe, str(link)], capture_output=True, text=True, env=env, timeout=60)
    assert held.stdout.startswith("busy:") and "another roadmap command is editing this plan" in held.stdout
    free = subprocess.run([sys.executable, "-c", probe, str(link)], capture_output=True, text=True, env=env, timeout=60)
    assert free.stdout.strip() == "acquired"


# ---------------------------------------------------------------------------------------
# Read-only plans


def test_read_only_plan_is_refused_even_as_root(cli, kg_plan: Path) -> None:  # type: ignore[no-untyped-def]
    os.chmod(kg_plan, 0o444)
    before = snapshot(kg_plan.parent)
    result = cli("tick", kg_plan, "INF-1")
    assert result.exit_code == 1
    assert f"{kg_plan}: the file is read-only; nothing was changed" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(kg_plan.parent) == before
    assert cli("tick", kg_plan, "INF-1", "--dry-run").exit_code == 0  # reading it is fine


# ---------------------------------------------------------------------------------------
# Non-regular files


def test_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    for command in (["validate", fifo], ["status", fifo], ["tick", fifo, "INF-1"]):
        result = run_cli(*command, timeout=30)
        assert result.returncode == 1, (command, result.stderr)
        assert f"{fifo}: is not a regular file (a named pipe); give the path of a plan file" in result.stderr
        assert "Traceback" not in result.stderr
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_character_device_is_refused_not_read_to_memory_error() -> None:
    result = run_cli("validate", "/dev/zero", timeout=30)
    assert result.returncode == 1
    assert "/dev/zero: is not a regular file (a character device)" in result.stderr
    assert "MemoryError" not in result.stderr and "Traceback" not in result.stderr


def test_size_cap_does_not_trust_st_size(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # /proc files are regular files that report size 0 and then give more: like a file
    # that grows between stat and read.
    proc = Path("/proc/self/maps")
    if not proc.is_file() or proc.stat().st_size != 0:
        pytest.skip("needs Linux /proc")
    monkeypatch.setattr(store, "MAX_BYTES", 64)
    with pytest.raises(PlanInvalid) as info:
        store.read_text(proc)
    assert str(info.value) == "/proc/self/maps: file is more than 0 MB; plans are limited to 0 MB"


# ---------------------------------------------------------------------------------------
# Outputs never land on a plan


def _refused(result, target: Path) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert f"refusing to write {target}:" in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["render", "action-plan", "{plan}", "--format", "md", "-o", "{plan}"],
        ["render", "action-plan", "{plan}", "-o", "{plan}"],
        ["render", "flowchart", "{plan}", "--format", "mermaid", "-o", "{plan}"],
        ["render", "green-paper", "{plan}", "--format", "html", "-o", "{plan}"],
        ["diff", "{plan}", "{other}", "-o", "{plan}"],
        ["diff", "{plan}", "{other}", "-o", "{other}"],
        ["compare", "{plan}", "{other}", "--format", "csv", "-o", "{other}"],
        ["changelog", "{plan}", "-o", "{plan}"],
    ],
    ids=["render-md", "render-default", "render-mermaid", "render-green-paper", "diff-a", "diff-b", "compare", "changelog"],
)
def test_output_onto_an_input_is_refused(cli, kg_plan: Path, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    other = kg_plan.parent / "kz.yaml"
    from roadmap import adapt

    adapt.init(other, country="KZ", start_year=2024)
    before = snapshot(kg_plan.parent)
    filled = [a.format(plan=kg_plan, other=other) for a in args]
    result = cli(*filled)
    _refused(result, Path(filled[-1]))
    assert "which this command reads" in result.stderr
    assert snapshot(kg_plan.parent) == before


def test_output_onto_a_plan_the_command_does_not_read_is_refused(cli, kg_plan: Path) -> None:  # type: ignore[no-untyped-def]
    other = kg_plan.parent / "kz.yaml"
    other.write_bytes(kg_plan.read_bytes())
    before = snapshot(kg_plan.parent)
    for args in (["schema", "-o", other], ["changelog", kg_plan, "-o", other], ["render", "timeline", kg_plan, "--format", "mermaid", "-o", other]):
        result = cli(*args)
        _refused(result, other)
        assert "it holds a road-map plan (meta:, tasks:)" in result.stderr
    assert snapshot(kg_plan.parent) == before


def test_output_through_a_symlink_to_the_plan_is_refused(cli, kg_plan: Path) -> None:  # type: ignore[no-untyped-def]
    alias = kg_plan.parent / "out.md"
    alias.symlink_to(kg_plan.name)
    before = snapshot(kg_plan.parent)
    result = cli("render", "action-plan", kg_plan, "--format", "md", "-o", alias)
    _refused(result, alias)
    assert snapshot(kg_plan.parent) == before


def test_publish_force_into_the_plans_folder_never_touches_the_plan(cli, kg_plan: Path) -> None:  # type: ignore[no-untyped-def]
    folder = kg_plan.parent
    neighbour = folder / "kz.yaml"
    neighbour.write_bytes(kg_plan.read_bytes())
    before = snapshot(folder)
    result = cli("publish", kg_plan, "-o", folder, "--force")
    _refused(result, kg_plan)
    assert snapshot(folder) == before, "refused before writing anything"


def test_publish_force_never_overwrites_another_plan_named_like_a_site_file(cli, kg_plan: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    site.mkdir()
    squatter = site / "kg.yaml"  # a different plan where the site's copy of the plan would go
    squatter.write_text(kg_plan.read_text(encoding="utf-8").replace("horizon: 5", "horizon: 6"), encoding="utf-8")
    before = snapshot(site)
    result = cli("publish", kg_plan, "-o", site, "--force")
    _refused(result, squatter)
    assert "it holds a road-map plan" in result.stderr
    assert snapshot(site) == before


def test_publish_again_into_its_own_site_replaces_its_plan_copy(cli, kg_plan: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    assert cli("publish", kg_plan, "-o", site).exit_code == 0
    cli("tick", kg_plan, "INF-1")
    assert cli("publish", kg_plan, "-o", site).exit_code == 0
    assert (site / "kg.yaml").read_bytes() == kg_plan.read_bytes()


# ---------------------------------------------------------------------------------------
# Leftovers: temporary copies and lock files


def test_stale_temporary_copies_are_removed_by_the_next_save(cli, kg_plan: Path) -> None:  # type: ignore[no-untyped-def]
    folder = kg_plan.parent
    stale = folder / ".kg.yaml.k3j_x9q2.tmp"
    stale.write_bytes(kg_plan.read_bytes())
    os.chmod(stale, 0o600)
    keep = [folder / ".kg.yaml.x.abcdefgh.tmp", folder / ".kz.yaml.abcdefgh.tmp", folder / "notes.tmp"]
    for path in keep:
        path.write_text("not ours", encoding="utf-8")
    assert cli("tick", kg_plan, "INF-1", "--dry-run").exit_code == 0
    assert stale.exists(), "a dry run writes nothing, so it cleans nothing"
    assert cli("tick", kg_plan, "INF-1").exit_code == 0
    assert not stale.exists()
    assert all(p.read_text(encoding="utf-8") == "not ours" for p in keep)


def test_no_lock_file_is_left_beside_the_plan(cli, kg_plan: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("assign", kg_plan, "INF-1", "--owner", "B. Asanov").exit_code == 0
    assert not (kg_plan.parent / ".kg.yaml.lock").exists()
    assert sorted(p.name for p in kg_plan.parent.iterdir() if p.name.startswith(".")) == []
