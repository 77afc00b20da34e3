"""Plans in git: a merge driver and a diff driver, thin adapters over `upgrade` and `diff`.

`merge_file(base, ours, theirs, out)` is what git's
`merge.roadmap.driver = roadmap merge-file %O %A %B -o %A` calls. Two edited versions of
one plan are merged by task id and field with `upgrade`'s three-way machinery (`_Merger`),
except that every field is merged (both sides are the country's, so status, owner and
comments travel too) and the plan's meta is merged field by field. A field changed
differently on both sides is a conflict left in the plan's `conflicts:` list: the plan
keeps our value and stays valid, `validate` warns, and the exit status tells git. Tasks
both sides added under the same id keep distinct ids (theirs is given the next free id).
Histories are merged by date without duplicates. The result is written through the store
(Changes spliced into our text), so comments and untouched lines survive.

Files that are not plans are handed to `git merge-file`, so a broad `*.yaml` attribute
does no harm.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import store
from .adapt import new_task_id
from .changes import Change
from .i18n import catalogue
from .model import Roadmap
from .store import Document
from .upgrade import MergeConflict, _Merger, _rename_in, _text

_NOT_MERGED = {"schema_version", "renamed", "conflicts", "history", "meta"}
_META_NOT_MERGED = {"based_on"}


@dataclass
class FileMerge:
    """What `merge-file` did, for the report and the exit status."""

    out: str
    conflicts: list[MergeConflict] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # their added task ids given a new id
    changes: int = 0
    fallback: bool = False  # not plans: merged line by line by git
    clean: bool = True


class _PlanMerger(_Merger):
    """upgrade's merge with both sides the plan's own: every field, meta too."""

    def __init__(self, base: Document, theirs: Document, ours: Document, label: str):
        super().__init__(base, theirs, ours, None)
        self.t = catalogue(ours.plan.meta.language)
        self.model_name = label
        self.new_raw = copy.deepcopy(theirs.data)
        self.moved: list[tuple[str, str]] = []
        self._distinct_ids(ours.plan)

    def _renames(self, new: Roadmap) -> list[Change]:
        return []  # a plan's `renamed:` belongs to models

    def _distinct_ids(self, ours: Roadmap) -> None:
        """A task both sides added under one id, differently: theirs takes the next free id."""
        base_ids = {t["id"] for t in self.B.get("tasks", [])}
        ours_by_id = {t["id"]: t for t in self.O.get("tasks", [])}
        taken = set(ours_by_id) | {t["id"] for t in self.T.get("tasks", [])}
        for task in self.T.get("tasks", []):
            ident = task["id"]
            if ident in base_ids or ident not in ours_by_id or ours_by_id[ident] == task:
                continue
            probe = ours.model_copy(update={"tasks": [*ours.tasks, *(_Stub(i) for i in taken)]})
            new_id = new_task_id(probe, task["direction"])
            taken.add(new_id)
            self.moved.append((ident, new_id))
            for data in (self.T, self.new_raw):
                _rename_in(data, ident, new_id)  # the id and every depends_on naming it, as upgrade renames

    def _record(self, path, shape, b, t, o):  # type: ignore[override]
        if shape[:-1] == ("tasks",):
            self._years(path, b, t, o)
            skip = {"id", "year_start", "year_end"}
        else:
            skip = {"id"}
        for key in [*t, *(k for k in b if k not in t)]:
            if key not in skip:
                self._value((*path, key), b.get(key), t.get(key), o.get(key))

    def _message(self, task, name, base, ours, theirs):  # type: ignore[override]
        where = f"{task} {name}" if task else name
        return self.t("merge.conflict", where=where, theirs=_text(theirs), ours=_text(ours))

    def merge(self) -> list[Change]:
        for key in [*self.T, *(k for k in self.B if k not in self.T)]:
            if key not in _NOT_MERGED:
                self._value((key,), self.B.get(key), self.T.get(key), self.O.get(key))
        for key in [*self.T["meta"], *(k for k in self.B["meta"] if k not in self.T["meta"])]:
            if key not in _META_NOT_MERGED:
                self._value(("meta", key), self.B["meta"].get(key), self.T["meta"].get(key), self.O["meta"].get(key))
        self._renumber_boxes()
        self._history()
        self._record_conflicts()
        return self.changes

    def _history(self) -> None:
        """Their entries we lack, merged in by date (stable), renumbered after our steps."""
        ours = list(self.plan_doc.data.get("history") or [])
        base = list(self.base_raw.get("history") or [])
        theirs = list(self.new_raw.get("history") or [])
        known = [_key(e) for e in [*ours, *base]]
        extra = [e for e in theirs if _key(e) not in known]
        if not extra:
            return
        high = store.next_step(ours) - 1
        steps: dict[Any, int] = {}
        renumbered = []
        for entry in extra:
            entry = dict(entry)
            if isinstance(entry.get("step"), int):
                entry["step"] = steps.setdefault(entry["step"], high + len(steps) + 1)
            renumbered.append(entry)
        merged = sorted([*ours, *renumbered], key=lambda e: str(e.get("date")))
        if merged[: len(ours)] == ours:
            for i, entry in enumerate(renumbered):
                self.changes.append(Change(("history", len(ours) + i), None, entry))
        else:
            self.changes.append(Change(("history",), ours, merged))


@dataclass
class _Stub:
    id: str


def _key(entry: Any) -> Any:
    if not isinstance(entry, dict):
        return entry
    return {k: v for k, v in entry.items() if k != "step"}


def merge_file(base: Path, ours: Path, theirs: Path, out: Path | None = None) -> FileMerge:
    """Merge `theirs` into `ours` against `base`; write the result to `out` (default: ours)."""
    out = out or ours
    if not all(store.looks_like_plan(p) for p in (ours, theirs)):
        return _line_merge(base, ours, theirs, out)
    base_doc, ours_doc, theirs_doc = store.load(base), store.load(ours), store.load(theirs)
    merger = _PlanMerger(base_doc, theirs_doc, ours_doc, catalogue(ours_doc.plan.meta.language)("merge.label"))
    changes = merger.merge()
    result = FileMerge(str(out), merger.out.conflicts, merger.moved, len(changes))
    result.clean = not merger.out.conflicts
    if changes:
        store.commit(ours_doc, changes, command="merge-file", record=False, target=out)
    elif out != ours:
        store.write_atomic(out, ours.read_text(encoding="utf-8"))
    return result


def _line_merge(base: Path, ours: Path, theirs: Path, out: Path) -> FileMerge:
    git = shutil.which("git")
    result = FileMerge(str(out), fallback=True)
    if git is None:
        result.clean = False
        return result
    proc = subprocess.run([git, "merge-file", "-p", str(ours), str(base), str(theirs)], capture_output=True)
    store.write_bytes_atomic(out, proc.stdout)
    result.clean = proc.returncode == 0
    return result


def format_text(result: FileMerge, lang: str | None = None) -> str:
    t = catalogue(lang)
    lines = []
    for old, new in result.renamed:
        lines.append(t("merge.renamed", old=old, new=new))
    for c in result.conflicts:
        lines.append(t("merge.left", id=c.id, message=c.message, file=result.out))
    if result.fallback and not result.clean:
        lines.append(t("merge.lines", file=result.out))
    return "".join(line + "\n" for line in lines)
