"""`roadmap upgrade`: carry a revised model into a country plan without losing a decision.

A three-way merge by task id and field. The base is the model version the plan records
(`meta.based_on`, found by its content hash); "theirs" is what the new model changed
from the base, "ours" what the country changed. A model change to a field the country
left alone arrives; the country's own decisions (status, owner, comments, goals reached,
added tasks, every field it edited) stay; where both changed the same field differently
it is a conflict. The result is a list of Changes that the store splices into the plan
and records in its history, like every other edit: untouched lines stay byte for byte.

Conflicts are resolved by `--prefer ours|theirs`, or left in the plan as entries of the
top-level `conflicts:` list (see `model.Conflict`): the plan keeps the country's value
and stays valid, and `validate` warns until someone decides.

Renamed tasks (the new model's `renamed: {old: new}`) are renamed in the plan first, so
the country's decisions travel with them; the merge then compares by the new ids.
Tasks the model removed leave the plan unless the country changed them or one of its
tasks depends on them. The model's own meta (title, version...) is not the country's and
is never merged, except `horizon`, which shapes the plan.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import lineage, store
from .changes import Change, applied
from .diff import ID_LISTS, TASK_GROUPS, normalise
from .errors import BadValue
from .history import task_path
from .i18n import Catalogue, catalogue
from .model import Roadmap
from .store import Document
from .yamltext import Path as DataPath
from .yamltext import format_path, get_path

# Lists of records matched by id, and the fields of their records that belong to the country.
_COUNTRY_FIELDS = {
    ("tasks",): {"status", "status_date", "status_note", "owner", "comments", "origin"},
    ("vision", "goals"): {"reached", "reached_on", "evidence"},
}
# Mappings merged field by field (besides the records of id-matched lists).
_RECORDS = {("vision",), ("vision", "success_rule"), ("tasks", "*", "box")}
# Top-level keys that are the plan's own, not the model's.
_NOT_MERGED = {"schema_version", "meta", "renamed", "conflicts", "history"}
# Box positions are layout: the store renumbers a row after the merge instead of asking.
_LAYOUT = {"order", "column"}


@dataclass
class MergeConflict:
    task: str | None
    field: str  # "years", "title", "box.text", or a path such as "stages.S1.narrative"
    paths: list[DataPath]
    base: Any
    ours: Any
    theirs: Any
    message: str
    id: str | None = None  # set when the conflict is left in the plan

    def entry(self, model: str) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.task is not None:
            out["task"] = self.task
        out.update(field=self.field, base=self.base, ours=self.ours, theirs=self.theirs)
        out.update(model=model, message=self.message)
        return out


@dataclass
class Upgrade:
    """What an upgrade did (or would do, with --dry-run), for the report."""

    plan: str
    old_model: str
    new_model: str
    prefer: str | None
    changes: list[Change] = field(default_factory=list)  # everything handed to the store
    applied: list[Change] = field(default_factory=list)  # the model's changes that arrived
    renamed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # sentences: removed tasks the country keeps
    conflicts: list[MergeConflict] = field(default_factory=list)
    resolved: list[tuple[str, str, str]] = field(default_factory=list)  # (id, side, message) of earlier conflicts
    notes: list[str] = field(default_factory=list)
    merged: Roadmap | None = None  # the plan as it is (or would be) after the upgrade
    up_to_date: bool = False  # the plan was already based on exactly this model text
    pending: int = 0  # conflicts from an earlier upgrade still in the plan


# ---------------------------------------------------------------------------------------
# The command


def upgrade(
    path: Path,
    *,
    to: Path,
    base: Path | None = None,
    prefer: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> Upgrade:
    """Merge the model at `to` into the plan at `path` (see the module docstring)."""
    if prefer not in (None, "ours", "theirs"):
        raise BadValue(f'--prefer "{prefer}": use ours (keep the country\'s value) or theirs (take the model\'s)')
    new = store.load(to)
    if new.plan.meta.kind != "model":
        raise BadValue(
            f"{new.label} is a plan, not a model (meta.kind: {new.plan.meta.kind}); "
            "--to takes the revised model, e.g. roadmap upgrade kg.yaml --to central-asia-model-2022.1.yaml"
        )
    result: list[Upgrade] = []

    def compute(doc: Document) -> list[Change]:
        merger = _Merger(_base(doc, base, new), new, doc, prefer)
        outcome = merger.run()
        result.append(outcome)
        return outcome.changes

    store.edit(path, compute, command="upgrade", dry_run=dry_run, today=today)
    return result[0]


def _base(doc: Document, given: Path | None, new: Document) -> Document:
    based_on = doc.plan.meta.based_on
    if given is None and based_on is not None and lineage.content_hash(new.text) == based_on.hash:
        return new  # already on this version: only pending conflicts can be settled
    return lineage.base_model(doc, given, check_hash=True)


def _name(doc: Document) -> str:
    return f"{doc.plan.meta.id} {doc.plan.meta.version}"


# ---------------------------------------------------------------------------------------
# The merge


def _shape(path: DataPath) -> tuple[str, ...]:
    """The path with ids replaced by '*': ('tasks', 'DAT-2', 'box') -> ('tasks', '*', 'box')."""
    out: list[str] = []
    for step in path:
        out.append("*" if tuple(out) in ID_LISTS else str(step))
    return tuple(out)


def _rename_in(data: dict[str, Any], old: str, new: str) -> None:
    for task in data.get("tasks") or []:
        if task.get("id") == old:
            task["id"] = new
        deps = task.get("depends_on")
        if deps and old in deps:
            task["depends_on"] = [new if d == old else d for d in deps]


def _merge_lists(base: list[Any], theirs: list[Any], ours: list[Any]) -> list[Any] | None:
    """Item-wise merge of a list of texts; None when both sides rewrote the same item."""
    ours_removed = [x for x in base if x not in ours]
    ours_added = [x for x in ours if x not in base]
    theirs_removed = [x for x in base if x not in theirs]
    theirs_added = [x for x in theirs if x not in base]
    both_removed = [x for x in ours_removed if x in theirs_removed]
    if both_removed and (ours_added or theirs_added) and ours_added != theirs_added:
        return None
    return [x for x in theirs if x not in ours_removed] + [x for x in ours_added if x not in theirs]


class _Merger:
    def __init__(self, base: Document, new: Document, plan: Document, prefer: str | None):
        self.t: Catalogue = catalogue(plan.plan.meta.language)
        self.plan_doc = plan
        self.prefer = prefer
        self.model_name = _name(new)
        self.out = Upgrade(plan.label, _name(base), _name(new), prefer)
        self.new_raw = new.data
        self.new_hash = lineage.content_hash(new.text)
        self.out.up_to_date = lineage.content_hash(base.text) == self.new_hash
        self.T = normalise(new.plan)
        self.B = normalise(base.plan)
        self.O = normalise(plan.plan)
        self.base_raw = copy.deepcopy(base.data)
        self.changes: list[Change] = self._renames(new.plan)
        self.ours_raw = applied(plan.data, self.changes)
        for old, new_id in self.out.renamed:
            for data in (self.B, self.base_raw, self.O):
                _rename_in(data, old, new_id)

    # -- renames -----------------------------------------------------------------------

    def _renames(self, new: Roadmap) -> list[Change]:
        ours = {t.id for t in self.plan_doc.plan.tasks}
        theirs = {t.id for t in new.tasks}
        mapping: dict[str, str] = {}
        changes: list[Change] = []
        for old, new_id in new.renamed.items():
            if old not in ours or new_id not in theirs or old == new_id:
                continue
            if new_id in ours:
                self.out.notes.append(self.t("upgrade.taken", old=old, new=new_id))
                continue
            mapping[old] = new_id
            self.out.renamed.append((old, new_id))
            changes.append(Change(("tasks", old, "id"), old, new_id, note=f"renamed by {self.model_name}"))
        if mapping:
            renamed = applied(self.plan_doc.data, changes)
            for task in renamed.get("tasks") or []:
                deps = task.get("depends_on") or []
                moved = [mapping.get(d, d) for d in deps]
                if moved != deps:
                    changes.append(Change(("tasks", task["id"], "depends_on"), deps, moved))
        return changes

    # -- walking the three versions ----------------------------------------------------

    def run(self) -> Upgrade:
        pending = self.plan_doc.data.get("conflicts") or []
        if self.out.up_to_date and not pending:
            return self.out
        self.out.pending = 0 if self.prefer else len(pending)
        for key in [*self.T, *(k for k in self.B if k not in self.T)]:
            if key not in _NOT_MERGED:
                self._value((key,), self.B.get(key), self.T.get(key), self.O.get(key))
        self._leaf(("meta", "horizon"), self.B["meta"]["horizon"], self.T["meta"]["horizon"], self.O["meta"]["horizon"])
        self._resolve_pending()
        self._renumber_boxes()
        self._record_conflicts()
        based_on = {"id": self.T["meta"]["id"], "version": self.T["meta"]["version"], "hash": self.new_hash}
        current = get_path(self.plan_doc.data, ("meta", "based_on"))
        if current != based_on:  # first, so the history reads "now based on X", then what X brought
            self.changes.insert(0, Change(("meta", "based_on"), current, based_on))
        self.out.changes = self.changes
        try:
            self.out.merged = Roadmap.model_validate(applied(self.plan_doc.data, self.changes))
        except ValueError:
            self.out.merged = None  # the store reports why, located, and writes nothing
        return self.out

    def _value(self, path: DataPath, b: Any, t: Any, o: Any) -> None:
        if t == b:
            return
        shape = _shape(path)
        if shape in ID_LISTS and isinstance(b, list) and isinstance(t, list) and isinstance(o, list):
            self._items(path, b, t, o)
        elif self._is_record(shape) and all(isinstance(v, dict) for v in (b, t, o)):
            self._record(path, shape, b, t, o)
        else:
            self._leaf(path, b, t, o)

    @staticmethod
    def _is_record(shape: tuple[str, ...]) -> bool:
        return shape in _RECORDS or (shape[-1:] == ("*",) and shape[:-1] in ID_LISTS)

    def _record(self, path: DataPath, shape: tuple[str, ...], b: dict, t: dict, o: dict) -> None:
        list_shape = shape[:-1] if shape[-1:] == ("*",) else None
        skip = set(_COUNTRY_FIELDS.get(list_shape, set())) if list_shape else set()
        if list_shape == ("tasks",):
            self._years(path, b, t, o)
            skip |= {"year_start", "year_end"}
        for key in [*t, *(k for k in b if k not in t)]:
            if key != "id" and key not in skip:
                self._value((*path, key), b.get(key), t.get(key), o.get(key))

    def _items(self, path: DataPath, b: list, t: list, o: list) -> None:
        before = {x["id"]: x for x in b}
        after = {x["id"]: x for x in t}
        ours = {x["id"]: x for x in o}
        for ident in [*after, *(i for i in before if i not in after)]:
            bx, tx, ox = before.get(ident), after.get(ident), ours.get(ident)
            item = (*path, ident)
            if bx is None:
                if ox is None:
                    self._apply(item)
                elif ox != tx:
                    self._conflict(item, [item], None, ox, tx)
            elif tx is None:
                if ox is not None:
                    self._model_removed(item, bx, ox)
            elif ox is None:
                if path == ("tasks",):
                    self.out.notes.append(self.t("upgrade.gone", task=ident))
            else:
                self._value(item, bx, tx, ox)

    def _years(self, path: DataPath, b: dict, t: dict, o: dict) -> None:
        """Start and end year are one decision: a task moved."""
        keys = ("year_start", "year_end")
        bv, tv, ov = ([x[k] for k in keys] for x in (b, t, o))
        if tv == bv or ov == tv:
            return
        paths = [(*path, k) for k in keys]
        if ov == bv:
            for p, old, new in zip(paths, ov, tv):
                if old != new:
                    self._apply(p)
            return
        self._conflict(paths[0][:-1] + ("years",), paths, bv, ov, tv)

    def _leaf(self, path: DataPath, b: Any, t: Any, o: Any) -> None:
        if t == b or o == t:
            return
        if o == b:
            self._apply(path)
            return
        if path[-2:-1] == ("box",) and path[-1] in _LAYOUT:
            return  # both moved the box: keep the country's; rows are renumbered after
        raw = [get_path(d, path) for d in (self.base_raw, self.new_raw, self.ours_raw)]
        if all(isinstance(v, list) for v in (b, t, o)):
            merged = _merge_lists(*[v or [] for v in raw])
            if merged is not None:
                self._set(path, merged)
                return
        self._conflict(path, [path], *(get_path(d, path) for d in (self.base_raw, self.ours_raw, self.new_raw)))

    # -- producing Changes -------------------------------------------------------------

    def _set(self, path: DataPath, value: Any) -> None:
        old = get_path(self.ours_raw, path)
        if old == value or (old is None and value is None):
            return
        change = Change(path, old, value, note=f"from {self.model_name}")
        self.changes.append(change)
        self.out.applied.append(change)

    def _apply(self, path: DataPath) -> None:
        """Take the new model's value at `path` as it is written in the model file."""
        self._set(path, copy.deepcopy(get_path(self.new_raw, path)))

    def _model_removed(self, item: DataPath, b: dict, o: dict) -> None:
        ident = str(item[-1])
        changed = [
            k
            for k in [*o, *(k for k in b if k not in o)]
            if b.get(k) != o.get(k) and not (k == "box" and _same_box(b.get(k), o.get(k)))
        ]
        users = [t["id"] for t in self.O.get("tasks", []) if ident in (t.get("depends_on") or []) and t["id"] != ident]
        if item[:-1] == ("tasks",) and (changed or users):
            if changed:
                words = sorted({self._word(k) for k in changed})
                self.out.kept.append(self.t("upgrade.kept_changed", task=ident, fields=", ".join(words)))
            else:
                self.out.kept.append(self.t("upgrade.kept_depended", task=ident, others=", ".join(users)))
            # No longer a model task: the country's own from now on (validate would otherwise
            # say the model has no such task, and the annex would count it as the model's).
            origin = get_path(self.ours_raw, (*item, "origin"))
            if origin != "added":
                self.changes.append(Change((*item, "origin"), origin, "added", note=f"kept though {self.model_name} removed it"))
            return
        if changed:  # a stage, direction, goal... the country edited: keep it
            self.out.kept.append(self.t("upgrade.kept_changed", task=format_path(item), fields=", ".join(changed)))
            return
        self.changes.append(Change(item, get_path(self.ours_raw, item), None, note=f"removed by {self.model_name}"))
        if item[:-1] == ("tasks",):
            self.out.removed.append(ident)

    def _word(self, key: str) -> str:
        """A task field as a reader calls it: 'status', 'years', 'results'."""
        group = f"group.{TASK_GROUPS.get(key, key)}"
        return self.t(group) if group in self.t.all() else key.replace("_", " ")

    def _conflict(self, where: DataPath, paths: list[DataPath], base: Any, ours: Any, theirs: Any) -> None:
        task = str(where[1]) if where[0] == "tasks" and len(where) >= 2 else None
        name = (format_path(where[2:]) or "task") if task else format_path(where)
        conflict = MergeConflict(task, name, paths, base, ours, theirs, self._message(task, name, base, ours, theirs))
        self.out.conflicts.append(conflict)
        if self.prefer == "theirs":
            for p in paths:
                self._apply(p)

    def _message(self, task: str | None, name: str, base: Any, ours: Any, theirs: Any) -> str:
        t = self.t
        if task and name == "years":
            plan = self.plan_doc.plan
            show = lambda v: _years(plan, v, t)  # noqa: E731
            return t("upgrade.conflict_years", task=task, base=show(base), theirs=show(theirs), ours=show(ours))
        if task and name == "title":
            return t("upgrade.conflict_title", task=task, theirs=theirs, ours=ours)
        if task and name == "box.text":
            return t("upgrade.conflict_box", task=task, theirs=theirs, ours=ours)
        if task and name == "task":
            return t("upgrade.conflict_task", task=task)
        if task and isinstance(theirs, list) and f"field.{name}" in t.all():
            what = t(f"field.{name}").lower()
            return t("upgrade.conflict_list", what=what, task=task, theirs=_text(theirs), ours=_text(ours))
        where = f"{task} {name}" if task else name
        return t("upgrade.conflict_field", where=where, theirs=_text(theirs), ours=_text(ours))

    # -- after the walk ----------------------------------------------------------------

    def _resolve_pending(self) -> None:
        """With --prefer, settle the conflicts an earlier upgrade left in the plan."""
        pending = self.plan_doc.data.get("conflicts") or []
        if not pending or self.prefer is None:
            return
        for entry in pending:
            message = entry.get("message") or entry.get("field")
            if self.prefer == "theirs":
                for path, value in _entry_targets(entry):
                    if get_path(self.ours_raw, path[:2]) is not None:
                        self._set(path, copy.deepcopy(value))
            self.out.resolved.append((entry.get("id"), self.prefer, message))
        self.changes.append(Change(("conflicts",), pending, None, note=f"settled with --prefer {self.prefer}"))

    def _renumber_boxes(self) -> None:
        """Boxes added by the model and by the country may share a position: shift right."""
        final = applied(self.plan_doc.data, self.changes)
        rows: dict[str, list[tuple[int, int, str]]] = {}
        for index, task in enumerate(final.get("tasks") or []):
            box = task.get("box")
            if isinstance(box, dict) and isinstance(box.get("order"), int):
                rows.setdefault(task["direction"], []).append((box["order"], index, task["id"]))
        for row in rows.values():
            previous = 0
            for order, _, ident in sorted(row):
                wanted = max(order, previous + 1)
                if wanted != order:
                    self.changes.append(Change(("tasks", ident, "box", "order"), order, wanted))
                previous = wanted

    def _record_conflicts(self) -> None:
        if self.prefer is not None or not self.out.conflicts:
            return
        existing = [] if self.out.resolved else list(self.plan_doc.data.get("conflicts") or [])
        taken = {e.get("id") for e in existing}
        n = 1
        for conflict in self.out.conflicts:
            while f"C{n}" in taken:
                n += 1
            conflict.id = f"C{n}"
            taken.add(conflict.id)
            self.changes.append(Change(("conflicts", conflict.id), None, conflict.entry(self.model_name)))


def _same_box(a: Any, b: Any) -> bool:
    """Boxes that differ only in their position (which a country's added task shifts)."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return a == b
    return {k: v for k, v in a.items() if k not in _LAYOUT} == {k: v for k, v in b.items() if k not in _LAYOUT}


def _entry_targets(entry: dict[str, Any]) -> list[tuple[DataPath, Any]]:
    """The plan fields a conflict entry stands for, with the model's values."""
    task, name, theirs = entry.get("task"), str(entry.get("field")), entry.get("theirs")
    if task and name == "years" and isinstance(theirs, list) and len(theirs) == 2:
        return [(("tasks", task, "year_start"), theirs[0]), (("tasks", task, "year_end"), theirs[1])]
    return [(task_path(task, name), theirs)]


def _years(plan: Roadmap, value: Any, t: Catalogue) -> str:
    start, end = value
    words = t("diff.years_of", start=start) if start == end else t("diff.years_span", start=start, end=end)
    first, last = plan.calendar_year(start), plan.calendar_year(end)
    return f"{words} ({first if first == last else f'{first}–{last}'})"


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        for key in ("text", "title", "name"):
            if key in value:
                return str(value[key])
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items() if v is not None)
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------
# The report


def format_text(result: Upgrade, *, dry_run: bool = False) -> str:
    from .sentences import describe

    t = catalogue(result.merged.meta.language if result.merged else None)
    if result.up_to_date and not result.changes:
        text = t("upgrade.nothing", plan=result.plan, model=result.new_model) + "\n"
        if result.pending:
            text += t.plural("upgrade.pending", result.pending) + "\n"
        return text
    if result.up_to_date:
        out = [t("upgrade.settling", plan=result.plan, model=result.new_model)]
    else:
        out = [t("upgrade.heading", plan=result.plan, old=result.old_model, new=result.new_model)]
    arrived = [c for c in result.applied]
    if arrived:
        try:
            lines = describe(arrived, result.merged) if result.merged else [c.describe() for c in arrived]
        except Exception:  # noqa: BLE001 - a sentence is a courtesy; the Change is the fact
            lines = [c.describe() for c in arrived]
        out += ["", t("upgrade.applied", count=len(lines)), *(f"  - {line}" for line in lines)]
    if result.renamed:
        out += ["", t("upgrade.renamed_heading", count=len(result.renamed))]
        out += [f"  - {t('upgrade.renamed', old=old, new=new)}" for old, new in result.renamed]
    if result.removed or result.kept:
        out += ["", t("upgrade.removed_heading", count=len(result.removed) + len(result.kept))]
        out += [f"  - {t('upgrade.removed', task=task)}" for task in result.removed]
        out += [f"  - {line}" for line in result.kept]
    if result.conflicts:
        out += ["", t("upgrade.conflicts_heading", count=len(result.conflicts))]
        for c in result.conflicts:
            if result.prefer == "theirs":
                line = t("upgrade.took_theirs", message=c.message)
            elif result.prefer == "ours":
                line = t("upgrade.kept_ours", message=c.message)
            else:
                line = t("upgrade.left", id=c.id, message=c.message)
            out.append(f"  - {line}")
    if result.resolved:
        out += ["", t("upgrade.resolved_heading", count=len(result.resolved))]
        for ident, side, message in result.resolved:
            out.append(f"  - {t('upgrade.resolved_' + side, id=ident, message=message)}")
    out += [f"  {note}" for note in result.notes]
    if result.pending:
        out += ["", t.plural("upgrade.pending", result.pending)]
    if not result.up_to_date:
        out += ["", t("upgrade.based_on", old=result.old_model, new=result.new_model)]
    if dry_run:
        out.append(t("upgrade.dry_run"))
    return "\n".join(out) + "\n"
