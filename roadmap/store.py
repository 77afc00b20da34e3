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
import re
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from pydantic import ValidationError

from . import yamltext
from .changes import Change, Edit, apply_to_data
from .checks import Issue, check, edit_errors
from .errors import BadValue, Busy, EditRefused, Finding, PlanInvalid, WriteFailed
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
    checked: bool = False  # `load` found no errors in it (an edit then re-checks only what it changed)

    def __post_init__(self) -> None:
        if self.form is None:
            self.form = TextForm()


@dataclass(frozen=True)
class TextForm:
    """How the file on disk spells its text: a BOM, and CRLF, LF or CR line ends.

    The text the library works on has "\n" line ends only. A file with one kind of line
    end gets it back everywhere on write; a file that mixes them keeps its original text
    (`raw`) so that an edit can give each spliced line the end it had and leave every
    other byte alone (`respell`).
    """

    bom: bool = False
    newline: str = "\n"  # the file's only (or, when mixed, most common) line end
    raw: str | None = None  # the text as read, without the BOM, kept only when line ends mix

    @classmethod
    def of(cls, raw: str) -> tuple[TextForm, str]:
        bom = raw.startswith("\ufeff")
        text = raw[1:] if bom else raw
        if "\r" not in text:
            return cls(bom, "\n"), text
        crlf = text.count("\r\n")
        counts = {"\r\n": crlf, "\r": text.count("\r") - crlf, "\n": text.count("\n") - crlf}
        newline = max(counts, key=lambda k: counts[k])
        mixed = sum(1 for n in counts.values() if n) > 1
        normal = _LINE_END.sub("\n", text)
        return cls(bom, newline, text if mixed else None), normal

    def spell(self, text: str, splices: list[yamltext.Splice] | None = None) -> str:
        """The file's bytes for `text`; a mixed file needs the splices that made `text`."""
        if self.raw is not None:
            body = self.respell(text, splices or [])
        elif self.newline != "\n":
            body = text.replace("\n", self.newline)
        else:
            body = text
        return ("\ufeff" if self.bom else "") + body

    def respell(self, text: str, splices: list[yamltext.Splice]) -> str:
        """Replay the splices on the original text: each keeps the line end of its line."""
        assert self.raw is not None
        raw, normal = self.raw, _LINE_END.sub("\n", self.raw)
        for splice in splices:
            starts = _raw_line_starts(raw)
            start, end = _raw_offset(normal, starts, splice.start), _raw_offset(normal, starts, splice.end)
            ending = _LINE_END.search(raw, start)
            newline = ending.group() if ending else self.newline
            raw = raw[:start] + splice.text.replace("\n", newline) + raw[end:]
            normal = yamltext.apply(normal, splice)
        if _LINE_END.sub("\n", raw) != text:
            raise EditRefused("the edit could not keep the file's mixed line ends; nothing written")
        return raw


_LINE_END = re.compile("\r\n|\r|\n")


def _raw_line_starts(raw: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_END.finditer(raw)]


def _raw_offset(normal: str, raw_starts: list[int], offset: int) -> int:
    """Where offset `offset` of the "\n" text falls in the text with its own line ends."""
    line = normal.count("\n", 0, offset)
    return raw_starts[line] + offset - (normal.rfind("\n", 0, offset) + 1)


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

    def refuse(message: str) -> PlanInvalid:
        return PlanInvalid([Finding(label, None, None, "", message)])

    # Opened non-blocking and checked on the open descriptor: a FIFO would block open()
    # and read(), a device (/dev/zero) has no size and never ends, and checking the name
    # before opening it leaves a moment in which it can be swapped.
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise refuse("file not found") from None
    except IsADirectoryError:
        raise refuse("is a folder, not a plan file") from None
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse("is a folder, not a plan file")
        if not stat.S_ISREG(info.st_mode):
            raise refuse(f"is not a regular file ({_kind(info.st_mode)}); give the path of a plan file")
        if info.st_size > MAX_BYTES:
            raise refuse(_too_big(info.st_size))
        # Bounded: a file that grows after fstat is still cut off at the cap.
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_BYTES:
            raise refuse(_too_big(size, more=True))
        raw = b"".join(chunks)
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
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


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a file"


def _too_big(size: int, *, more: bool = False) -> str:
    over = "more than " if more else ""
    return f"file is {over}{size / 2**20:.0f} MB; plans are limited to {MAX_BYTES // 2**20} MB"


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
    issues: list[Issue] | None = None,
) -> tuple[Document | None, list[Finding]]:
    """Check a plan's text; `warnings=False` skips them (an edit only needs the errors).

    `plan`: the data already validated (an edit validates only what it changed);
    `issues`: what `check` would find in it, found already (by `checks.edit_errors`).
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
    if issues is None:
        issues = check(plan, today=today, warnings=warnings)
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
    doc.checked = True
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
    loc = tuple(
        k for k in err["loc"] if not (isinstance(k, str) and (k.startswith(("function-", "lax-")) or k == "[key]"))
    )
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
        message = f"{err['msg']} (got {_shown(err.get('input'))})"
    elif err["type"] == "string_too_long":
        size = len(err["input"]) if isinstance(err.get("input"), str) else "too many"
        message = (
            f"a text of {size:,} characters; a value may hold at most "
            f"{err['ctx']['max_length']:,}: shorten it"
        )
    where = locator.line_of(path) or (None, None)
    return Finding(label, where[0], where[1], _display_path(data, path), message)


def _shown(value: Any, limit: int = 60) -> str:
    """A value quoted for a message, cut short (a pasted megabyte is no message)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "...'"


def _issue_finding(locator: yamltext.Locator, data: Any, label: str, issue: Issue) -> Finding:
    where = locator.line_of(issue.path) or (None, None)
    return Finding(label, where[0], where[1], _display_path(data, issue.path), issue.message, issue.severity)


# ---------------------------------------------------------------------------------------
# Writing


def real_path(path: Path) -> Path:
    """The file a path names after following symlinks: what an edit changes and locks.

    Editing `kg.yaml -> shared/kg.yaml` must change the shared plan and keep the link,
    and two people editing through the link and through the real name must exclude each
    other, so both the lock and the atomic rename work on the real path.
    """
    return Path(os.path.realpath(path))


def lock_path(path: Path) -> Path:
    """The hidden lock file of a plan, keyed on its real path."""
    real = real_path(path)
    return real.parent / f".{real.name}.lock"


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Serialise commands editing the same plan; the lock file is removed after use.

    The lock is filelock's FileLock, an flock() on a hidden file beside the real plan.
    The file is deleted while the lock is still held, then the lock released. Deleting
    a flock file is the classic way to lose mutual exclusion (a waiter locks the deleted
    inode while a newcomer creates and locks a new one; filelock 3.20.4 shipped exactly
    that and reverted it, tox-dev/filelock#574). It is safe here because (1) only the
    holder deletes, before unlocking, and (2) filelock >= 4.3 (pinned in pyproject)
    checks after every successful flock() that the inode still has a name (st_nlink > 0)
    and tries again otherwise, so whoever locks the deleted inode lets go of it. A lock
    file left by a killed command holds no lock (the kernel drops flocks with the
    process) and is removed by the next edit. SoftFileLock was rejected: it is
    existence-based, so a command killed while holding it leaves a lock that makes every
    later edit wait out the timeout. On Windows filelock removes the file itself.
    """
    from filelock import FileLock, Timeout

    real = real_path(path)
    if not real.parent.is_dir():
        raise WriteFailed(f"cannot edit {path}: the folder {path.parent} does not exist")
    name = lock_path(real)
    lock = FileLock(str(name))
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
        try:
            os.unlink(name)  # still locked: see above
        except OSError:
            pass
        lock.release()


def ensure_writable(path: Path, label: str | None = None) -> None:
    """Refuse to edit a plan its owner marked read-only (chmod 444, "Read-only" in Windows).

    The write permission bits are read, not os.access(): as root (in containers, CI) every
    file is writable to access(), and the atomic rename would replace a read-only file
    anyway, since renaming needs only the folder to be writable. A file with no write bit
    at all was made read-only on purpose, whoever runs the command.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise EditRefused(
            f"{label or path}: the file is read-only; nothing was changed. "
            "Make it writable (chmod u+w, or untick Read-only in its properties) to edit it."
        )


# ---------------------------------------------------------------------------------------
# Outputs (documents, reports, the schema, the site): never over a plan


_PLAN_KEY = re.compile(rb"^(meta|tasks):", re.M)


def looks_like_plan(path: Path) -> bool:
    """A YAML file with a top-level meta: or tasks: (any file with both) is somebody's plan."""
    try:
        if not path.is_file():
            return False
        with open(path, "rb") as handle:
            head = handle.read(1 << 20)
    except OSError:
        return False
    keys = {m.group(1) for m in _PLAN_KEY.finditer(head)}
    return bool(keys) if path.suffix.lower() in (".yaml", ".yml") else keys == {b"meta", b"tasks"}


def check_output(target: Path, inputs: Iterable[Path | None] = (), *, own: bool = False) -> None:
    """Refuse to write an output over a file the command reads or over a plan.

    Every writer of a document, report or site file asks here first. `inputs` are the
    files the command reads (compared as files, so a symlink or another spelling of the
    same name is caught); `own` says the target is the command's own earlier output
    (publish's copy of the plan in a folder it made), which it may replace.
    """
    from .errors import OutputRefused

    if not os.path.lexists(target):
        return
    for source in inputs:
        if source is None:
            continue
        try:
            same = os.path.samefile(target, source)
        except OSError:
            same = False
        if same:
            raise OutputRefused(
                f"refusing to write {target}: it is {source}, which this command reads; "
                "choose another output file (nothing was written)"
            )
    if not own and looks_like_plan(Path(target)):
        raise OutputRefused(
            f"refusing to write {target}: it holds a road-map plan (meta:, tasks:); "
            "choose another output file (nothing was written)"
        )


def write_output(target: Path, data: bytes | str, inputs: Iterable[Path | None] = ()) -> None:
    """Write a command's output file atomically, after `check_output`."""
    check_output(target, inputs)
    write_bytes_atomic(target, data.encode("utf-8") if isinstance(data, str) else data)


def write_atomic(path: Path, text: str) -> None:
    """Write the whole file or nothing: temp file in the same folder, fsync, rename."""
    write_bytes_atomic(path, text.encode("utf-8"))


def _new_file_mode() -> int:
    """What open() would give a new file (temporary files are created private)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """write_atomic for bytes (images, Word and Excel files).

    Through a symlink, the file it points to is replaced and the link stays.
    """
    path = real_path(path)
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


def splice_changes(
    text: str, data: dict[str, Any], changes: list[Change], splices: list[yamltext.Splice] | None = None
) -> tuple[str, dict[str, Any]]:
    """Splice Changes into the text; return the new text and the data it must parse to.

    One after another, as each alone would be spliced. An edit inside a task, or a task
    appended, is made in that task's own text (`yamltext.Batch`): a batch of hundreds of
    Changes (a sheet import) then costs the tasks it touches, not the whole plan each time.
    The splices made are appended to `splices` when given (to respell mixed line ends).
    """
    expected = data
    batch = yamltext.Batch(text)
    for change in changes:
        _check_text(change)
        splice, at = _splice_in(batch, expected, change)
        if splices is not None:
            splices.append(splice)
        expected = apply_to_data(expected, at)
    return batch.text, expected


def _check_text(change: Change) -> None:
    """The last guard of the one writer: no value it writes holds a FORBIDDEN character."""
    stack = [change.new]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            match = yamltext.FORBIDDEN.search(value)
            if match is not None:
                raise BadValue(
                    f"{yamltext.format_path(change.path)}: the new value holds "
                    f"{yamltext.character_name(match.group())}; remove it and try again"
                )
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)


def _splice_in(batch: yamltext.Batch, data: dict[str, Any], change: Change) -> tuple[yamltext.Splice, Change]:
    """Splice one Change into the batch's text; return the splice (of the whole text) and
    the Change with the item it edits given by its place in the list (found once)."""
    path = change.path
    if len(path) >= 2 and isinstance(path[0], str) and isinstance(data.get(path[0]), list):
        key = path[0]
        index = batch.index(data, key, path[1])
        if index is None and len(path) == 2 and change.new is not None:
            appended = batch.append(data, key, change.new)
            if appended is not None:
                return appended, replace(change, path=(key, len(data[key])))
        elif index is not None and not (len(path) == 2 and change.new is None):
            field = path[2] if len(path) > 2 else None
            found = batch.item(data, key, index, field)
            if found is not None:
                item_text, offset, start = found
                at = replace(change, path=(key, index, *path[2:])) if len(path) > 2 else change
                try:
                    local = _splice_at(item_text, data, at, start)
                except EditRefused:
                    pass  # spliced into the whole text below, which words the refusal
                else:
                    batch.edit_item(key, index, local, renamed=field in (None, "id"))
                    return yamltext.Splice(offset + local.start, offset + local.end, local.text), at
    splice = _splice_at(batch.text, data, change, None)
    batch.replace(splice)
    return splice, change


def _splice_at(text: str, data: dict[str, Any], change: Change, start: Any) -> yamltext.Splice:
    parent = yamltext.get_path(data, change.path[:-1])
    try:
        if change.new is None:
            return yamltext.splice_delete(text, data, change.path, start=start)
        if isinstance(parent, list) and yamltext.resolve_index(parent, change.path[-1]) is None:
            return yamltext.splice_append(text, data, change.path[:-1], change.new, start=start)
        if parent is None and isinstance(change.path[-1], str) and len(change.path) >= 2:
            # the list or mapping holding it does not exist yet
            if change.old is None and isinstance(change.new, dict) and "id" in change.new:
                return yamltext.splice_append(text, data, change.path[:-1], change.new, start=start)
            return yamltext.splice_set(text, data, change.path[:-1], {change.path[-1]: change.new}, start=start)
        return yamltext.splice_set(text, data, change.path, change.new, start=start)
    except yamltext.YamlProblem as exc:
        raise EditRefused(f"cannot apply {change.describe()}: {exc.message}") from None


def _revalidated(doc: Document, data: dict[str, Any]) -> tuple[Roadmap, list[int], int] | None:
    """The edited plan, validating only the tasks and history entries the edit changed;
    with the positions of the tasks changed and of the first history entry added.

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
    changed: list[int] = []
    tasks, old_tasks = data.get("tasks"), old.get("tasks")
    try:
        if tasks is not old_tasks:
            if not isinstance(tasks, list) or not isinstance(old_tasks, list) or len(tasks) != len(old_tasks):
                return None
            validated = list(doc.plan.tasks)
            for i, (before, after) in enumerate(zip(old_tasks, tasks)):
                if after is not before:
                    validated[i] = Task.model_validate(after)
                    changed.append(i)
            update["tasks"] = validated
        history, old_history = data.get("history") or [], old.get("history") or []
        if history is not old_history:
            if len(history) < len(old_history) or any(a is not b for a, b in zip(old_history, history)):
                return None
            update["history"] = [*doc.plan.history, *(HistoryEntry.model_validate(e) for e in history[len(old_history) :])]
    except ValidationError:
        return None
    return doc.plan.model_copy(update=update), changed, len(old_history)


def verify(doc: Document, text: str, expected: dict[str, Any], splices: list[yamltext.Splice]) -> None:
    """Refuse unless the edited text parses to exactly the intended data.

    An edit of a few list items (a tick, an assignment, a history entry) is proven on the
    items it touched (`yamltext.verified_by_pieces`: at 10,000 tasks a whole parse is most
    of the command); anything else, or anything that proof cannot show, is parsed whole.
    """
    if yamltext.verified_by_pieces(doc.text, doc.data, text, expected, splices):
        return
    try:
        reparsed = yamltext.parse(text)
    except yamltext.YamlProblem as exc:
        raise EditRefused(f"{doc.label}: the edit would not produce valid YAML ({exc.message}); nothing written") from None
    if reparsed != expected:
        raise EditRefused(
            f"{doc.label}: the file's layout is too unusual to edit safely in place; nothing written. "
            "Write it in block style (one key per line) and try again."
        )


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
    recorded = doc.data.get("history") or []
    step = next_step(recorded)
    history = [
        Change(("history", len(recorded) + i), None, c.history_entry(step))
        for i, c in enumerate(stamped)
    ] if record else []
    splices: list[yamltext.Splice] = []
    text, expected = splice_changes(doc.text, doc.data, stamped, splices)
    entries = [entry.new for entry in history]
    while entries:
        # all in one splice once the history is a plain block list (the first entry of a
        # plan without history, or of an unusual layout, goes in alone)
        try:
            splice = yamltext.splice_extend(text, expected, "history", entries)
            batch = entries if splice is not None else entries[:1]
            if splice is None:
                splice = yamltext.splice_append(text, expected, ("history",), batch[0])
        except yamltext.YamlProblem as exc:
            raise EditRefused(f"{doc.label}: cannot record the history ({exc.message}); nothing written") from None
        splices.append(splice)
        text = yamltext.apply(text, splice)
        expected = {**expected, "history": [*(expected.get("history") or []), *batch]}
        entries = entries[len(batch) :]
    verify(doc, text, expected, splices)
    # Proven equal: go on with `expected`, which shares every untouched part with doc.data,
    # so the process holds one copy of the plan, not two, and validates only what changed.
    plan = issues = None
    revalidated = _revalidated(doc, expected)
    if revalidated is not None:
        plan, changed, appended_from = revalidated
        if doc.checked:
            issues = edit_errors(doc.plan, plan, changed, appended_from)
    new_doc, findings = inspect_text(
        text, doc.path, doc.label, today=today, data=expected, warnings=False, plan=plan, issues=issues
    )
    errors = [f for f in findings if f.severity == "error"]
    if new_doc is None or errors:
        raise PlanInvalid(errors)
    destination = real_path(target or doc.path)
    ensure_writable(destination, doc.label if target is None else str(target))
    write_atomic(destination, doc.form.spell(text, splices))
    remove_stale_temporaries(destination)
    return text


def steps(history: list[Any]) -> list[int]:
    """The step (the recorded command) of each history entry. Entries written before
    steps were recorded count one step per run of the same date and command."""
    out: list[int] = []
    high = 0
    previous: Any = None
    for entry in history:
        entry = entry if isinstance(entry, dict) else {}
        step = entry.get("step")
        if isinstance(step, int):
            previous = None
        else:
            key = (entry.get("date"), entry.get("command"))
            step = high + 1 if key != previous else high
            previous = key
        high = max(high, step)
        out.append(step)
    return out


def next_step(history: list[Any]) -> int:
    """The step number of the next recorded command: one more than the highest so far."""
    return max(steps(history), default=0) + 1


def remove_stale_temporaries(path: Path) -> None:
    """Delete `.PLAN.xxxxxxxx.tmp` copies a killed save left beside the plan.

    Called after a successful save, under the plan's lock: no other save of this plan
    is running, so every such file is a leftover (mkstemp's names: 8 letters, digits, _).
    """
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if pattern.fullmatch(name):
            try:
                os.unlink(path.parent / name)
            except OSError:
                pass


def edit(
    path: Path,
    compute: Callable[[Document], list[Change]],
    *,
    command: str,
    dry_run: bool = False,
    today: dt.date | None = None,
    by: str | None = None,
) -> Edit:
    """The edit transaction every editing command goes through."""
    today = today or dt.date.today()
    with locked(path):
        doc = load(path, today=today)
        changes = compute(doc)
        if changes and not dry_run:
            commit(doc, changes, command=command, today=today, by=by)
    if isinstance(changes, Edit):
        return Edit(changes, doc.plan, changes.notes, changes.warnings)
    return Edit(changes, doc.plan)


def create(path: Path, text: str, *, force: bool = False) -> None:
    """Write a new plan file (init); refuses to overwrite unless `force`."""
    from .errors import FileExists

    with locked(path):
        if path.exists() and not force:
            raise FileExists(f"{path} already exists; use --force to overwrite it")
        write_atomic(path, text)
