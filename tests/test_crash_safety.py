"""Saves under SIGKILL and under contention: the old file or the new one, and no lost update.

Children are forked from the test process (roadmap is imported once), so hundreds of
kills and edits fit in seconds. Each child runs real edits through the store; the
parent kills it at a random moment, or lets two run against each other.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import time
from pathlib import Path
from typing import Callable

import pytest

from roadmap import adapt, store

TODAY = dt.date(2026, 11, 23)
KILLS = 200

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (Linux, macOS)")


def fork(work: Callable[[], None]) -> int:
    """Run `work` in a child process; the child never returns into pytest."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 0
        try:
            work()
        except BaseException:  # noqa: BLE001 - reported through the exit code
            code = 1
        os._exit(code)
    return pid


def wait(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_sigkill_mid_save_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    tasks = [t.id for t in store.load(plan).plan.tasks]
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    rng = random.Random(12)

    def timed_edit(owner: str) -> float:
        """How long a forked edit takes now (the machine is shared: measured again and again)."""
        started = time.perf_counter()
        assert wait(fork(lambda: adapt.assign(plan, [tasks[0]], owner=owner, today=TODAY))) == 0
        return time.perf_counter() - started

    span = timed_edit("warm-up")
    outcomes = {"old": 0, "new": 0}
    history = len(store.load(plan).data.get("history") or [])
    for n in range(KILLS):
        if n % 20 == 19:  # so the kills keep spreading over the whole edit
            span = 0.5 * span + 0.5 * timed_edit(f"measure {n}")
            history += 1
        old = plan.read_text(encoding="utf-8")
        task, owner = tasks[n % len(tasks)], f"Owner {n}"
        # The text the edit would write, made the same way in a scratch file.
        (scratch / "kg.yaml").write_text(old, encoding="utf-8")
        adapt.assign(scratch / "kg.yaml", [task], owner=owner, today=TODAY)
        new = (scratch / "kg.yaml").read_text(encoding="utf-8")
        pid = fork(lambda: adapt.assign(plan, [task], owner=owner, today=TODAY))
        time.sleep(rng.uniform(0, span * 1.3))
        os.kill(pid, signal.SIGKILL)
        wait(pid)
        text = plan.read_text(encoding="utf-8")
        assert text in (old, new), f"kill {n}: the plan is neither the old nor the new text"
        doc = store.load(plan)  # parses and validates
        outcomes["old" if text == old else "new"] += 1
        assert len(doc.data.get("history") or []) == history + (text == new), "no history entry lost"
        history += text == new
    # The kills landed before, during and after the save, not all on one side of it.
    assert outcomes["old"] >= 10 and outcomes["new"] >= 10, outcomes
    # The next save cleans whatever the killed ones left (temporary copies, lock file).
    adapt.assign(plan, [tasks[1]], owner="after the storm", today=TODAY)
    assert leftovers(tmp_path) == []
    assert store.load(plan).plan.task(tasks[1]).owner.name == "after the storm"


def test_two_writers_a_hundred_edits_each_lose_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, today=TODAY)
    tasks = [t.id for t in store.load(plan).plan.tasks]
    before = len(store.load(plan).data.get("history") or [])

    def writer(name: str, offset: int) -> Callable[[], None]:
        def run() -> None:
            for i in range(100):
                adapt.assign(plan, [tasks[(offset + i) % len(tasks)]], owner=f"{name}{i}", today=TODAY)

        return run

    pids = [fork(writer("A", 0)), fork(writer("B", 15))]
    assert [wait(pid) for pid in pids] == [0, 0]
    doc = store.load(plan)
    history = doc.data["history"][before:]
    owners = [entry["new"]["name"] for entry in history if entry["field"] == "owner"]
    assert len(history) == 200
    assert sorted(owners) == sorted([f"A{i}" for i in range(100)] + [f"B{i}" for i in range(100)])
    # Each writer's own edits stay in its order; the last one on each task is what the plan says.
    assert [o for o in owners if o[0] == "A"] == [f"A{i}" for i in range(100)]
    last: dict[str, str] = {}
    for entry in history:
        last[entry["task"]] = entry["new"]["name"]
    assert {task: doc.plan.task(task).owner.name for task in last} == last
    assert leftovers(tmp_path) == []


def test_a_waiter_on_a_deleted_lock_file_does_not_get_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race that makes deleting flock files dangerous, played out step by step.

    A waiter opens the lock file; before it calls flock(), the holder deletes the file and
    lets go, and a newcomer creates a new lock file and takes it. The waiter's flock() on
    the deleted file now succeeds: unless it notices (filelock re-checks st_nlink), two
    commands would edit the plan at once. It must instead wait for the newcomer.
    """
    import filelock
    from filelock._native import _unix

    from roadmap.errors import Busy

    if not hasattr(_unix, "lock_fd_nonblocking"):
        pytest.skip("this filelock version has no lock_fd_nonblocking to interpose on")
    plan = tmp_path / "kg.yaml"
    plan.write_text("meta: {}\n", encoding="utf-8")
    name = str(store.lock_path(plan))
    real = _unix.lock_fd_nonblocking
    holder = store.locked(plan)
    holder.__enter__()
    newcomer = filelock.FileLock(name)
    steps: list[str] = []

    def interposed(fd: int) -> bool:
        if not steps:  # the waiter, between open() and flock()
            steps.append("waiter opened the old file")
            holder.__exit__(None, None, None)  # deletes the file, then unlocks
            steps.append("holder deleted and released")
            newcomer.acquire(timeout=1)
            steps.append("newcomer locked a new file")
        return real(fd)

    monkeypatch.setattr(_unix, "lock_fd_nonblocking", interposed)
    try:
        with pytest.raises(Busy):
            with store.locked(plan, timeout=0.5):
                steps.append("waiter got the lock")
    finally:
        newcomer.release()
    assert steps == ["waiter opened the old file", "holder deleted and released", "newcomer locked a new file"]
