"""Reading and writing plan files: the only code that writes a plan.

Loading is safe (no aliases, no duplicate keys, UTF-8 only, bounded size) and every
problem comes back located as FILE:LINE:COL. Writing is an edit transaction: under a
lock, re-read the file, compute Changes, splice them into the text, check the new text
parses to exactly the intended data and still validates, append the history, and
replace the file atomically.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import ValidationError

from . import yamltext
from .changes import Change, apply_to_data
from .checks import Issue, check
from .errors import Busy, EditRefused, Finding, PlanInvalid, WriteFailed
from .model import Roadmap

MAX_BYTES = 64 * 1024 * 1024
LOCK_TIMEOUT = 30.0


@dataclass
class Document:
    """A plan as its text, its plain data and its validated model."""

    path: Path
    label: str  # the name used in messages
    text: str  # with "\n" line ends and no byte-order mark; `form` restores them on write
    data: dict[str, Any]
    plan: Roadmap
    findings: list[Finding]  # warnings, when asked for (a loaded document has no errors)
    form: TextForm = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if self.form is None:
            self.form = TextForm()


@dataclass(frozen=True)
class TextForm:
    """How the file on disk spells its text: Windows editors add a BOM and CRLF."""

    bom: bool = False
    newline: str = "\n"

    @classmethod
    def of(cls, raw: str) -> tuple[TextForm, str]:
        bom = raw.startswith("\ufeff")
        text = raw[1:] if bom else raw
        newline = "\r\n" if "\r\n" in text else "\n"
        return cls(bom, newline), text.replace("\r\n", "\n") if newline == "\r\n" else text

    def spell(self, text: str) -> str:
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        return ("\ufeff" if self.bom else "") + text


def label_for(path: Path) -> str:
    try:
        from .resources import model_path

        if path.resolve() == model_path().resolve():
            return "central_asia_model.yaml (embedded model)"
    except FileNotFoundError:
        pass
    return str(path)


# ---------------------------------------------------------------------------------------
# Reading


def read_text(path: Path, label: str | None = None) -> str:
    label = label or str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlanInvalid([Finding(label, None, None, "", "file not found")]) from None
    except OSError as exc:
        raise PlanInvalid([Finding(label, None, None, "", f"cannot read: {exc.strerror}")]) from None
    if path.is_dir():
        raise PlanInvalid([Finding(label, None, None, "", "is a folder, not a plan file")])
    if size > MAX_BYTES:
        raise PlanInvalid(
            [
                Finding(
                    label,
                    None,
                    None,
                    "",
                    f"file is {size / 2**20:.0f} MB; plans are limited to {MAX_BYTES // 2**20} MB",
                )
            ]
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanInvalid([Finding(label, None, None, "", f"cannot read: {exc.strerror or exc}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PlanInvalid(
            [
                Finding(
                    label,
                    line,
                    column,
                    "",
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8 "
                    "(in Notepad or Word: Save As, Encoding: UTF-8)",
                )
            ]
        ) from None


def inspect(
    path: Path, *, today: dt.date | None = None, warnings: bool = True
) -> tuple[Document | None, list[Finding]]:
    """Read and check a plan; return every finding instead of stopping at the first."""
    # Parsing and validating allocate millions of objects and no garbage cycles: the cyclic
    # collector would walk the growing plan again and again (16-20% of a large run). Pause
    # it, then freeze what was loaded, which lives as long as the command (frozen objects
    # are still freed when unreferenced).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _inspect(path, today=today, warnings=warnings)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _inspect(path: Path, *, today: dt.date | None, warnings: bool) -> tuple[Document | None, list[Finding]]:
    label = label_for(path)
    try:
        form, text = TextForm.of(read_text(path, label))
    except PlanInvalid as exc:
        return None, exc.findings
    doc, findings = inspect_text(text, path, label, today=today, warnings=warnings)
    if doc is not None:
        doc.form = form
    return doc, findings


def inspect_text(
    text: str,
    path: Path,
    label: str,
    *,
    today: dt.date | None = None,
    data: Any = None,
    warnings: bool = True,
    plan: Roadmap | None = None,
) -> tuple[Document | None, list[Finding]]:
    """Check a plan's text; `warnings=False` skips them (an edit only needs the errors).

    `plan`: the data already validated (an edit validates only what it changed).
    """
    if data is None:
        try:
            data = yamltext.parse(text)
        except yamltext.YamlProblem as exc:
            return None, [Finding(label, exc.line, exc.column, "", exc.message)]
    if not isinstance(data, dict):
        return None, [Finding(label, 1, 1, "", "a plan file must be a YAML mapping (meta:, stages:, ...)")]
    try:
        plan = plan if plan is not None else Roadmap.model_validate(data)
    except ValidationError as exc:
        locator = yamltext.Locator(text, data)
        return None, [_finding(locator, data, label, err) for err in exc.errors(include_url=False)]
    issues = [i for i in check(plan, today=today) if warnings or i.severity == "error"]
    locator = yamltext.Locator(text, data)
    findings = [_issue_finding(locator, data, label, issue) for issue in issues]
    findings.sort(key=lambda f: (f.severity != "error", f.line or 0, f.column or 0))
    doc = Document(path, label, text, data, plan, [f for f in findings if f.severity == "warning"])
    return doc, findings


def load(path: Path, *, today: dt.date | None = None, warnings: bool = False) -> Document:
    """A valid plan, or PlanInvalid listing every error (warnings only when asked for)."""
    doc, findings = inspect(path, today=today, warnings=warnings)
    errors = [f for f in findings if f.severity == "error"]
    if doc is None or errors:
        raise PlanInvalid(errors)
    return doc


def _display_path(data: Any, path: yamltext.Path) -> str:
    """Indices into id-carrying lists shown as ids: tasks[DAT-2].status."""
    shown: list[str | int] = []
    node = data
    for key in path:
        if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            item = node[key]
            ident = item.get("id") if isinstance(item, dict) else None
            shown.append(ident if isinstance(ident, str) and ident else key)
            node = item
        else:
            shown.append(key)
            node = yamltext.get_path(node, (key,)) if isinstance(node, (dict, list)) else None
    return yamltext.format_path(tuple(shown))


_UNION_BRANCHES = {"str", "int", "float", "Indicator", "constrained-str"}


def _finding(locator: yamltext.Locator, data: Any, label: str, err: dict[str, Any]) -> Finding:
    loc = tuple(k for k in err["loc"] if not (isinstance(k, str) and k.startswith(("function-", "lax-"))))
    # pydantic names union branches in loc ("str", "Indicator"): drop them from the path.
    path = tuple(k for k in loc if k not in _UNION_BRANCHES)
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        message = f'unknown field "{path[-1]}"; check its spelling'
    elif err["type"] == "missing":
        message = f'required field "{path[-1]}" is missing'
    elif err["type"].startswith("value_error"):
        message = err["msg"].removeprefix("Value error, ")
    elif err["type"] == "enum":
        message = f"{err['msg']} (got {err.get('input')!r})"
    where = locator.line_of(path) or (None, None)
    return Finding(label, where[0], where[1], _display_path(data, path), message)


def _issue_finding(locator: yamltext.Locator, data: Any, label: str, issue: Issue) -> Finding:
    where = locator.line_of(issue.path) or (None, None)
    return Finding(label, where[0], where[1], _display_path(data, issue.path), issue.message, issue.severity)


# ---------------------------------------------------------------------------------------
# Writing


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Serialise commands editing the same plan (a hidden lock file beside it)."""
    from filelock import FileLock, Timeout

    if not path.parent.is_dir():
        raise WriteFailed(f"cannot edit {path}: the folder {path.parent} does not exist")
    lock = FileLock(str(path.parent / f".{path.name}.lock"))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise Busy(f"{path}: another roadmap command is editing this plan; try again") from None
    except OSError as exc:
        raise WriteFailed(
            f"cannot edit {path}: {exc.strerror or exc} (the folder must exist and be writable)"
        ) from None
    try:
        yield
    finally:
        lock.release()


def write_atomic(path: Path, text: str) -> None:
    """Write the whole file or nothing: temp file in the same folder, fsync, rename."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _new_file_mode() -> int:
    """What open() would give a new file (temporary files are created private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """write_atomic for bytes (images, Word and Excel files)."""
    directory = path.parent
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = _new_file_mode()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteFailed(f"cannot write {path}: {exc.strerror or exc}; check the folder exists and you may write in it") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise WriteFailed(f"cannot write {path}: {exc.strerror or exc}; nothing was changed") from None
        raise
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def splice_changes(text: str, data: dict[str, Any], changes: list[Change]) -> tuple[str, dict[str, Any]]:
    """Splice Changes into the text; return the new text and the data it must parse to."""
    expected = data
    for change in changes:
        text = yamltext.apply(text, _splice(text, expected, change))
        expected = apply_to_data(expected, change)
    return text, expected


def _splice(text: str, data: dict[str, Any], change: Change) -> yamltext.Splice:
    parent = yamltext.get_path(data, change.path[:-1])
    try:
        if change.new is None:
            return yamltext.splice_delete(text, data, change.path)
        if isinstance(parent, list) and yamltext.resolve_index(parent, change.path[-1]) is None:
            return yamltext.splice_append(text, data, change.path[:-1], change.new)
        if parent is None and isinstance(change.path[-1], str) and len(change.path) >= 2:
            # the list or mapping holding it does not exist yet
            if change.old is None and isinstance(change.new, dict) and "id" in change.new:
                return yamltext.splice_append(text, data, change.path[:-1], change.new)
            return yamltext.splice_set(text, data, change.path[:-1], {change.path[-1]: change.new})
        return yamltext.splice_set(text, data, change.path, change.new)
    except yamltext.YamlProblem as exc:
        raise EditRefused(f"cannot apply {change.describe()}: {exc.message}") from None


def _revalidated(doc: Document, data: dict[str, Any]) -> Roadmap | None:
    """The edited plan, validating only the tasks and history entries the edit changed.

    `apply_to_data` copies only the containers on a Change's path, so every part of `data`
    that is the very object it was in `doc.data` is unchanged and already validated. None
    (validate all of it) when anything else changed, tasks were added or removed, or a
    changed part is invalid (the full validation then locates the problem in the file).
    """
    from .model import HistoryEntry, Task

    old = doc.data
    if set(data) - {"history"} != set(old) - {"history"}:
        return None
    if any(value is not old[key] for key, value in data.items() if key not in ("tasks", "history")):
        return None
    update: dict[str, Any] = {}
    tasks, old_tasks = data.get("tasks"), old.get("tasks")
    try:
        if tasks is not old_tasks:
            if not isinstance(tasks, list) or not isinstance(old_tasks, list) or len(tasks) != len(old_tasks):
                return None
            validated = list(doc.plan.tasks)
            for i, (before, after) in enumerate(zip(old_tasks, tasks)):
                if after is not before:
                    validated[i] = Task.model_validate(after)
            update["tasks"] = validated
        history, old_history = data.get("history") or [], old.get("history") or []
        if history is not old_history:
            if len(history) < len(old_history) or any(a is not b for a, b in zip(old_history, history)):
                return None
            update["history"] = [*doc.plan.history, *(HistoryEntry.model_validate(e) for e in history[len(old_history) :])]
    except ValidationError:
        return None
    return doc.plan.model_copy(update=update)


def commit(
    doc: Document,
    changes: list[Change],
    *,
    command: str,
    today: dt.date | None = None,
    by: str | None = None,
    record: bool = True,
    target: Path | None = None,
) -> str:
    """Splice, verify, validate and write; the caller holds the lock. Returns the new text."""
    today = today or dt.date.today()
    stamped = [c.stamped(command=command, date=today, by=by) for c in changes]
    history = [
        Change(("history", len(doc.data.get("history") or []) + i), None, c.history_entry())
        for i, c in enumerate(stamped)
    ] if record else []
    text, expected = splice_changes(doc.text, doc.data, stamped)
    for entry in history:
        text = yamltext.apply(text, yamltext.splice_append(text, expected, ("history",), entry.new))
        expected = {**expected, "history": [*(expected.get("history") or []), entry.new]}
    try:
        reparsed = yamltext.parse(text)
    except yamltext.YamlProblem as exc:
        raise EditRefused(f"{doc.label}: the edit would not produce valid YAML ({exc.message}); nothing written") from None
    if reparsed != expected:
        raise EditRefused(
            f"{doc.label}: the file's layout is too unusual to edit safely in place; nothing written. "
            "Write it in block style (one key per line) and try again."
        )
    # Proven equal: go on with `expected`, which shares every untouched part with doc.data,
    # so the process holds one copy of the plan, not two, and validates only what changed.
    del reparsed
    plan = _revalidated(doc, expected)
    new_doc, findings = inspect_text(text, doc.path, doc.label, today=today, data=expected, warnings=False, plan=plan)
    errors = [f for f in findings if f.severity == "error"]
    if new_doc is None or errors:
        raise PlanInvalid(errors)
    write_atomic(target or doc.path, doc.form.spell(text))
    return text


def edit(
    path: Path,
    compute: Callable[[Document], list[Change]],
    *,
    command: str,
    dry_run: bool = False,
    today: dt.date | None = None,
    by: str | None = None,
) -> list[Change]:
    """The edit transaction every editing command goes through."""
    today = today or dt.date.today()
    with locked(path):
        doc = load(path, today=today)
        changes = compute(doc)
        if changes and not dry_run:
            commit(doc, changes, command=command, today=today, by=by)
    return changes


def create(path: Path, text: str, *, force: bool = False) -> None:
    """Write a new plan file (init); refuses to overwrite unless `force`."""
    from .errors import FileExists

    with locked(path):
        if path.exists() and not force:
            raise FileExists(f"{path} already exists; use --force to overwrite it")
        write_atomic(path, text)
