"""Plans in git: a merge driver and a diff driver, thin adapters over `upgrade` and `diff`.

`merge_file(base, ours, theirs, out)` is what git's
`merge.roadmap.driver = roadmap merge-file %O %A %B -o %A --name %P` calls. Two edited versions of
one plan are merged by task id and field with `upgrade`'s three-way machinery (`_Merger`),
except that every field is merged (both sides are the plan's own, so status, owner and
comments travel too) and the plan's meta is merged field by field. A field changed
differently on both sides is a conflict left in the plan's `conflicts:` list: the plan
keeps our value and stays valid, `validate` warns, and the exit status tells git. Tasks
both sides added under the same id keep distinct ids (theirs is given the next free id,
and the next free ref when both numbered theirs alike). Histories are merged by date
without duplicates; both sides' `conflicts:` lists are merged too (an entry one side
settled stays settled). The result is written through the store (Changes spliced into
our text), so comments and untouched lines survive.

What counts as one decision, and how lists merge (the work-plan fields among them):
- a task's timing (plan years, or a work plan's start and end period) and its status
  (status, date and note, as one `tick` sets them) each merge as one value, so a merge
  never pairs one side's start with the other's end, or one side's status with the
  other's reason;
- lists (comments, budget lines, parties, indicator values, results...) merge item by
  item: what each side added is kept (both sides' new comments or measurements; dated
  lists stay in date order), what one side removed goes; both sides rewriting the same
  item differently is a conflict;
- indicators (a task's success indicators, an output's indicators) are matched by their
  text and merged field by field, so values recorded on both sides are all kept;
- the budget merges key by key (categories, sources, each stated total); a stated total
  both sides changed takes both changes (ours + theirs - base) when that is what the
  merged budget lines add up to, and is a conflict otherwise.

Files that are not plans are handed to `git merge-file`, so a broad `*.yaml` attribute
does no harm.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import store
from .adapt import new_task_id
from .changes import Change, applied
from .errors import BadValue, PlanInvalid
from .i18n import catalogue
from .model import Roadmap
from .store import Document
from .upgrade import _LAYOUT, MergeConflict, _Merger, _rename_in, _shape, _text
from .yamltext import Path as DataPath
from .yamltext import get_path

_NOT_MERGED = {"schema_version", "renamed", "conflicts", "history", "meta"}
_META_NOT_MERGED = {"based_on"}
# Mappings merged key by key (besides upgrade's): the budget and its stated totals.
_PLAN_RECORDS = {
    ("budget",),
    ("budget", "stated"),
    ("budget", "stated", "categories"),
    ("budget", "stated", "directions"),
    ("budget", "stated", "sources"),
}
# Task fields that are one decision together: (fields, the name a conflict gets when several differ).
_TOGETHER = ((("start", "end"), "period"), (("status", "status_date", "status_note"), "status"))
# Lists of indicators: matched by their text, merged field by field.
_BY_TEXT = {("tasks", "*", "success_indicators"), ("directions", "*", "indicators")}


@dataclass
class FileMerge:
    """What `merge-file` did, for the report and the exit status."""

    out: str
    conflicts: list[MergeConflict] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # their added task ids given a new id
    renumbered: list[tuple[str, str, str]] = field(default_factory=list)  # (task, old ref, new ref) of theirs
    changes: int = 0
    fallback: bool = False  # not plans (or no common version): merged line by line by git
    no_base: bool = False  # both branches added the plan: there was no common version
    clean: bool = True
    lang: str | None = None  # the plan's language, for the report


class _PlanMerger(_Merger):
    """upgrade's merge with both sides the plan's own: every field, meta too."""

    def __init__(self, base: Document, theirs: Document, ours: Document, label: str):
        super().__init__(base, theirs, ours, None)
        self.t = catalogue(ours.plan.meta.language)
        self.model_name = label
        self.new_raw = copy.deepcopy(theirs.data)
        self.base_plan = base.plan
        self.moved: list[tuple[str, str]] = []
        self.renumbered: list[tuple[str, str, str]] = []
        self.stated: list[tuple[DataPath, Any, Any, Any]] = []  # stated totals both sides changed
        self._distinct_ids(ours.plan)

    def _renames(self, new: Roadmap) -> list[Change]:
        return []  # a plan's `renamed:` belongs to models

    def _distinct_ids(self, ours: Roadmap) -> None:
        """A task both sides added under one id (or ref), differently: theirs takes the next free one."""
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
        ours_refs = {t.get("ref"): t for t in self.O.get("tasks", []) if t.get("ref")}
        refs = set(ours_refs) | {t.get("ref") for t in self.T.get("tasks", []) if t.get("ref")}
        for task in self.T.get("tasks", []):
            ref, ident = task.get("ref"), task["id"]
            if not ref or ident in base_ids or ref not in ours_refs or ours_refs[ref] == task:
                continue
            new_ref = _next_ref(ref, refs)
            refs.add(new_ref)
            self.renumbered.append((ident, ref, new_ref))
            for data in (self.T, self.new_raw):
                for item in data.get("tasks") or []:
                    if item.get("id") == ident:
                        item["ref"] = new_ref

    def _value(self, path: DataPath, b: Any, t: Any, o: Any) -> None:
        if b is None and _shape(path) in _PLAN_RECORDS and isinstance(t, dict) and isinstance(o, dict):
            b = {}  # both sides added the budget (or its stated totals): merge what each added
        super()._value(path, b, t, o)

    def _is_record(self, shape: tuple[str, ...]) -> bool:  # type: ignore[override]
        return shape in _PLAN_RECORDS or _Merger._is_record(shape)

    def _record(self, path, shape, b, t, o):  # type: ignore[override]
        skip = {"id"}
        if shape[:-1] == ("tasks",):
            self._years(path, b, t, o)
            skip |= {"year_start", "year_end"}
            for keys, name in _TOGETHER:
                self._together(path, keys, name, b, t, o)
                skip |= set(keys)
        for key in [*t, *(k for k in b if k not in t)]:
            if key not in skip:
                self._value((*path, key), b.get(key), t.get(key), o.get(key))

    def _together(self, path: DataPath, keys: tuple[str, ...], name: str, b: dict, t: dict, o: dict) -> None:
        """Fields that are one decision (a period, a status with its date and note)."""
        bv, tv, ov = ([x.get(k) for k in keys] for x in (b, t, o))
        if tv == bv or ov == tv:
            return
        paths = [(*path, k) for k in keys]
        if ov == bv:
            for p, old, new in zip(paths, ov, tv):
                if old != new:
                    self._apply(p)
            return
        differ = [i for i, (x, y) in enumerate(zip(ov, tv)) if x != y]
        if len(differ) == 1:
            i = differ[0]
            self._conflict(paths[i], paths, *(get_path(d, paths[i]) for d in (self.base_raw, self.ours_raw, self.new_raw)))
            return
        sides = (self.base_raw, self.ours_raw, self.new_raw)
        raw = [{k: get_path(d, p) for k, p in zip(keys, paths) if get_path(d, p) is not None} for d in sides]
        self._conflict((*path, name), paths, *raw)

    def _leaf(self, path: DataPath, b: Any, t: Any, o: Any) -> None:
        if t == b or o == t:
            return
        if o == b:
            self._apply(path)
            return
        if path[-2:-1] == ("box",) and path[-1] in _LAYOUT:
            return  # both moved the box: keep ours; rows are renumbered after
        if path[:2] == ("budget", "stated") and len(path) >= 3:
            self.stated.append((path, b, t, o))  # settled once the budget lines are merged
            return
        rb, rt, ro = (get_path(d, path) for d in (self.base_raw, self.new_raw, self.ours_raw))
        if all(isinstance(v, list) for v in (b, t, o)):
            merged = self._merge_list(path, rb or [], rt or [], ro or [])
            if merged is not None:
                self._emit(path, ro, merged)
                return
        self._conflict(path, [path], rb, ro, rt)

    # -- lists -----------------------------------------------------------------------

    def _merge_list(self, path: DataPath, b: list, t: list, o: list) -> list | None:
        if _shape(path) in _BY_TEXT:
            return self._merge_indicators(path, b, t, o)
        return _merge_items(b, t, o)

    def _merge_indicators(self, path: DataPath, b: list, t: list, o: list) -> list | None:
        """Indicators matched by their text; each merged field by field (its values item by item)."""
        keyed = [[_text_of(x) for x in side] for side in (b, t, o)]
        if any(None in keys or len(set(keys)) != len(keys) for keys in keyed):
            return _merge_items(b, t, o)
        bm, tm, om = ({_text_of(x): x for x in side} for side in (b, t, o))
        order = _merge_items(*keyed)
        if order is None:
            return None
        for key in bm:  # one side removed an indicator the other changed: keep ours as it is
            if key in om and key not in tm and om[key] != bm[key] and key not in order:
                order.append(key)
        out = []
        for i, key in enumerate(order):
            if key in om and key in tm:
                out.append(self._merge_record((*path, i), bm.get(key), tm[key], om[key]))
            else:
                out.append(om[key] if key in om else tm[key])
        return out

    def _merge_record(self, where: DataPath, b: Any, t: Any, o: Any) -> Any:
        """One indicator: fields merged one by one, values item by item; a clash keeps ours."""
        if t == b or o == t:
            return o
        if o == b:
            return t
        b, t, o = (({"text": x} if isinstance(x, str) else (x or {})) for x in (b, t, o))
        out: dict[str, Any] = {}
        for key in [*o, *(k for k in t if k not in o)]:
            bv, tv, ov = b.get(key), t.get(key), o.get(key)
            if tv == bv or ov == tv:
                value = ov
            elif ov == bv:
                value = tv
            else:
                lists = all(isinstance(v, list) or v is None for v in (bv, tv, ov))
                value = _merge_items(bv or [], tv or [], ov or []) if lists else None
                if value is None:
                    self._conflict((*where, key), [(*where, key)], bv, ov, tv)
                    value = ov
            if value is not None:
                out[key] = value
        return out

    def _emit(self, path: DataPath, old: Any, new: Any) -> None:
        """Changes from our value to the merged one, as small as they can be: items appended,
        items or keys changed one by one, so the rest of our text stays as it was."""
        if old == new:
            return
        if isinstance(old, list) and isinstance(new, list) and old:
            if new[: len(old)] == old:
                for i, item in enumerate(new[len(old) :]):
                    self._set((*path, len(old) + i), copy.deepcopy(item))
                return
            if len(old) == len(new):
                for i, (a, b) in enumerate(zip(old, new)):
                    self._emit((*path, i), a, b)
                return
        if isinstance(old, dict) and isinstance(new, dict) and old and new:
            for key, value in new.items():
                if old.get(key) != value:
                    self._emit((*path, key), old.get(key), value)
            for key in old:
                if key not in new:
                    self._set((*path, key), None)
            return
        self._set(path, copy.deepcopy(new))

    def _message(self, task, name, base, ours, theirs):  # type: ignore[override]
        where = f"{task} {name}" if task else name
        return self.t("merge.conflict", where=where, theirs=_shown(theirs), ours=_shown(ours))

    # -- the walk, and after it --------------------------------------------------------

    def merge(self) -> list[Change]:
        for key in [*self.T, *(k for k in self.B if k not in self.T)]:
            if key not in _NOT_MERGED:
                self._value((key,), self.B.get(key), self.T.get(key), self.O.get(key))
        for key in [*self.T["meta"], *(k for k in self.B["meta"] if k not in self.T["meta"])]:
            if key not in _META_NOT_MERGED:
                self._value(("meta", key), self.B["meta"].get(key), self.T["meta"].get(key), self.O["meta"].get(key))
        self._settle_stated()
        self._renumber_boxes()
        self._history()
        self._record_conflicts()
        return self.changes

    def _settle_stated(self) -> None:
        """A stated total both sides changed: both changes (ours + theirs - base), when the
        merged budget lines add up to exactly that; else a conflict (ours is kept)."""
        if not self.stated:
            return
        try:
            merged = Roadmap.model_validate(applied(self.plan_doc.data, self.changes))
        except ValueError:
            merged = None
        for path, b, t, o in self.stated:
            value = None
            try:
                base = Decimal(str(b)) if b is not None else _computed(self.base_plan, path)
                both = Decimal(str(o)) + Decimal(str(t)) - base
                if merged is not None and _computed(merged, path) == both:
                    value = both
            except (InvalidOperation, TypeError, KeyError):
                value = None
            if value is None:
                self._conflict(path, [path], *(get_path(d, path) for d in (self.base_raw, self.ours_raw, self.new_raw)))
            else:
                self._set(path, f"{value:f}")

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
            entry = self._renamed_entry(dict(entry))
            if isinstance(entry.get("step"), int):
                entry["step"] = steps.setdefault(entry["step"], high + len(steps) + 1)
            renumbered.append(entry)
        merged = sorted([*ours, *renumbered], key=lambda e: str(e.get("date")))
        if merged[: len(ours)] == ours:
            for i, entry in enumerate(renumbered):
                self.changes.append(Change(("history", len(ours) + i), None, entry))
        else:
            self.changes.append(Change(("history",), ours, merged))

    def _renamed_entry(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Their history of a task that now has another id (or ref) names it as it is now."""
        old_id = entry.get("task")
        if old_id is None:
            return entry
        new_id = dict(self.moved).get(old_id, old_id)
        refs = {ident: (old, new) for ident, old, new in self.renumbered}
        entry["task"] = new_id
        for side in ("old", "new"):
            value = entry.get(side)
            if isinstance(value, dict) and value.get("id") == old_id:
                value = {**value, "id": new_id}
                if new_id in refs and value.get("ref") == refs[new_id][0]:
                    value["ref"] = refs[new_id][1]
                entry[side] = value
        return entry

    def _record_conflicts(self) -> None:
        """Both sides' conflicts: kept unless one side settled (removed) it; then this merge's."""
        ours = list(self.plan_doc.data.get("conflicts") or [])
        base = [_key(e, "id") for e in self.base_raw.get("conflicts") or []]
        theirs = list(self.new_raw.get("conflicts") or [])
        their_keys = [_key(e, "id") for e in theirs]
        our_keys = [_key(e, "id") for e in ours]
        settled = [e for e, k in zip(ours, our_keys) if k in base and k not in their_keys]
        added = []
        for entry, key in zip(theirs, their_keys):
            if key not in base and key not in our_keys and key not in [_key(e, "id") for e in added]:
                added.append(dict(entry))
        kept = [e for e in ours if not any(e is s for s in settled)]
        if settled and not kept and not added and not self.out.conflicts:
            self.changes.append(Change(("conflicts",), ours, None, note=f"settled in {self.model_name}"))
            return
        for entry in settled:
            self.changes.append(Change(("conflicts", entry["id"]), entry, None, note=f"settled in {self.model_name}"))
        # ids any side used are not given again: a settled C1 and a new C1 would read as one
        every = [*(self.base_raw.get("conflicts") or []), *ours, *theirs]
        taken = {e.get("id") for e in kept} | {e.get("id") for e in every if isinstance(e, dict)} - {e.get("id") for e in added}
        n = 1
        for entry in added:
            if entry.get("id") in taken or not entry.get("id"):
                while f"C{n}" in taken:
                    n += 1
                entry["id"] = f"C{n}"
            taken.add(entry["id"])
            self.changes.append(Change(("conflicts", entry["id"]), None, entry, note=f"from {self.model_name}"))
        for conflict in self.out.conflicts:
            while f"C{n}" in taken:
                n += 1
            conflict.id = f"C{n}"
            taken.add(conflict.id)
            self.changes.append(Change(("conflicts", conflict.id), None, conflict.entry(self.model_name)))


def _merge_items(base: list[Any], theirs: list[Any], ours: list[Any]) -> list[Any] | None:
    """Item-wise merge of a list (texts, comments, budget lines, measurements...).

    Items are compared whole and counted (a list may hold two equal budget lines). Ours
    keeps its order; what theirs removed goes; what theirs added comes in before the item
    that follows it in theirs (at the end when nothing does). None when both sides
    removed the same item and added different ones: both rewrote it. A list of dated
    records (comments, measurements) that both sides kept in date order stays so.
    """
    kb, kt, ko = (Counter(_hashable(x) for x in side) for side in (base, theirs, ours))
    theirs_removed, ours_removed = kb - kt, kb - ko
    theirs_added, ours_added = kt - kb, ko - kb
    if theirs_removed & ours_removed and (theirs_added or ours_added) and theirs_added != ours_added:
        return None
    drop = theirs_removed - ours_removed
    out: list[Any] = []
    for item in ours:
        key = _hashable(item)
        if drop[key] > 0:
            drop[key] -= 1
            continue
        out.append(item)
    add = theirs_added - ours_added
    for j, item in enumerate(theirs):
        key = _hashable(item)
        if add[key] <= 0:
            continue
        add[key] -= 1
        position = len(out)
        keys = [_hashable(x) for x in out]
        for later in theirs[j + 1 :]:
            k = _hashable(later)
            if k in kb and k in keys:
                position = keys.index(k)
                break
        out.insert(position, item)
    if _dated(ours) and _dated(theirs) and all(isinstance(x, dict) and x.get("date") is not None for x in out):
        out.sort(key=lambda x: str(x["date"]))
    return out


def _shown(value: Any) -> str:
    """A value for a conflict's message: a period as 2009-Q2–2009-Q4."""
    if isinstance(value, dict) and set(value) == {"start", "end"}:
        return f"{value['start']}–{value['end']}"
    return _text(value)


def _dated(items: list[Any]) -> bool:
    """Every item a record with a date, oldest first."""
    if not all(isinstance(x, dict) and x.get("date") is not None for x in items):
        return False
    dates = [str(x["date"]) for x in items]
    return dates == sorted(dates)


def _hashable(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _text_of(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        return item["text"]
    return None


def _computed(plan: Roadmap, path: DataPath) -> Decimal:
    """What the budget lines add up to for a stated total at `path`."""
    from .budget import key_of, lines

    rest = path[2:]
    if rest == ("overall",):
        return sum((line.amount for _, line in lines(plan)), Decimal(0))
    by = {"categories": "category", "directions": "direction", "sources": "source"}[str(rest[0])]
    return sum((line.amount for task, line in lines(plan) if key_of(by, task, line) == rest[1]), Decimal(0))


def _next_ref(ref: str, taken: set[str]) -> str:
    """1.2.2 -> 1.2.3 (the next number not taken); a ref not ending in a number gets .2, .3..."""
    head, _, last = ref.rpartition(".")
    prefix = f"{head}." if head else ""
    if last.isdigit():
        n = int(last) + 1
        while f"{prefix}{n}" in taken:
            n += 1
        return f"{prefix}{n}"
    n = 2
    while f"{ref}.{n}" in taken:
        n += 1
    return f"{ref}.{n}"


@dataclass
class _Stub:
    id: str


def _key(entry: Any, drop: str = "step") -> Any:
    """An entry as compared across the sides: without its step (history) or id (conflicts)."""
    if not isinstance(entry, dict):
        return entry
    return {k: v for k, v in entry.items() if k != drop}


def merge_file(base: Path, ours: Path, theirs: Path, out: Path | None = None) -> FileMerge:
    """Merge `theirs` into `ours` against `base`; write the result to `out` (default: ours)."""
    out = out or ours
    for name, side in (("BASE", base), ("OURS", ours), ("THEIRS", theirs)):
        if not side.is_file():
            what = "is a folder" if side.is_dir() else "not found"
            raise BadValue(f"{side}: {what}; merge-file takes three files, BASE OURS THEIRS (git's %O %A %B), and {name} is this one")
    if not all(store.looks_like_plan(p) for p in (ours, theirs)):
        return _line_merge(base, ours, theirs, out)
    if base.stat().st_size == 0:  # no common version: both branches added the plan
        return _line_merge(base, ours, theirs, out, no_base=True)
    base_doc, ours_doc, theirs_doc = store.load(base), store.load(ours), store.load(theirs)
    lang = ours_doc.plan.meta.language
    merger = _PlanMerger(base_doc, theirs_doc, ours_doc, catalogue(lang)("merge.label"))
    changes = merger.merge()
    result = FileMerge(str(out), merger.out.conflicts, merger.moved, merger.renumbered, len(changes), lang=lang)
    result.clean = not merger.out.conflicts
    if changes:
        try:
            store.commit(ours_doc, changes, command="merge-file", record=False, target=out)
        except PlanInvalid as exc:
            raise MergeInvalid(_invalid(out, exc)) from None
    elif out != ours:
        store.write_atomic(out, ours.read_text(encoding="utf-8"))
    return result


class MergeInvalid(BadValue):
    """Each side is a valid plan, but merged by task and field they are not (nothing written)."""


def _invalid(out: Path, exc: PlanInvalid) -> str:
    problems = "".join(f"\n  {f.path + ': ' if f.path else ''}{f.message}" for f in exc.findings if f.severity == "error")
    return (
        f"{out}: merged by task and field, the plan would not be valid, so nothing was written "
        f"(this branch's version is left as it was; bring in the other branch's edits by hand):{problems}"
    )


def _line_merge(base: Path, ours: Path, theirs: Path, out: Path, *, no_base: bool = False) -> FileMerge:
    git = shutil.which("git")
    result = FileMerge(str(out), fallback=True, no_base=no_base)
    if git is None:
        result.clean = False
        return result
    proc = subprocess.run([git, "merge-file", "-p", str(ours), str(base), str(theirs)], capture_output=True)
    if not 0 <= proc.returncode < 128:  # git's error, not a count of conflicts: write nothing
        why = proc.stderr.decode("utf-8", "replace").strip() or f"exit status {proc.returncode}"
        raise BadValue(f"{ours}: git merge-file could not merge it ({why}); nothing was written")
    store.write_bytes_atomic(out, proc.stdout)
    result.clean = proc.returncode == 0
    return result


def format_text(result: FileMerge, lang: str | None = None, *, name: str | None = None) -> str:
    """The report, naming the plan `name` (git's %P) rather than git's temporary file."""
    t = catalogue(lang or result.lang)
    lines = []
    for old, new in result.renamed:
        lines.append(t("merge.renamed", old=old, new=new))
    for task, old, new in result.renumbered:
        lines.append(t("merge.renumbered", old=old, new=new, task=task))
    for c in result.conflicts:
        lines.append(t("merge.left", id=c.id, message=c.message, file=name or result.out))
    if result.fallback and not result.clean:
        lines.append(t("merge.no_base" if result.no_base else "merge.lines", file=name or result.out))
    return "".join(line + "\n" for line in lines)
