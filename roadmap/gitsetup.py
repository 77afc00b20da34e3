"""`roadmap git setup`: the .gitattributes line and the merge/diff driver entries in git's config.

Idempotent: an entry already right is left alone, a line already present is not added
twice. `check` lists what is missing without writing anything. The diff side, for
`git diff`, is an external diff command (git's seven arguments) that prints `roadmap
diff`'s report; `git log -p` reads the textconv view (one line per task field).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .errors import BadValue

DRIVER = "roadmap"
PATTERNS = ("*.yaml", "*.yml")


def program() -> str:
    """How git should call roadmap: the script beside this Python when there is one."""
    beside = Path(sys.executable).parent / "roadmap"
    if beside.is_file() and os.access(beside, os.X_OK):
        on_path = shutil.which("roadmap")
        if on_path and Path(on_path).resolve() == beside.resolve():
            return "roadmap"
        return shlex.quote(str(beside))
    return "roadmap"


def wanted_config() -> dict[str, str]:
    exe = program()
    return {
        f"merge.{DRIVER}.name": "roadmap: merge plans by task id and field",
        f"merge.{DRIVER}.driver": f"{exe} merge-file %O %A %B -o %A",
        f"diff.{DRIVER}.command": f"{exe} git diff",
        f"diff.{DRIVER}.textconv": f"{exe} git textconv",
    }


def attribute_lines(patterns: tuple[str, ...] = PATTERNS) -> list[str]:
    return [f"{p} merge={DRIVER} diff={DRIVER}" for p in patterns]


@dataclass
class Item:
    what: str  # "config" or "attributes"
    key: str  # a config key, or an attributes line
    value: str | None
    done: bool  # already right


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    git = shutil.which("git")
    if git is None:
        raise BadValue("git is not installed (or not on PATH); install it and try again")
    return subprocess.run([git, *args], cwd=cwd, capture_output=True, text=True)


def _attributes_file(cwd: Path, global_: bool) -> Path:
    if global_:
        configured = _git("config", "--global", "--path", "--get", "core.attributesFile", cwd=cwd).stdout.strip()
        if configured:
            return Path(configured).expanduser()
        base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        return Path(base) / "git" / "attributes"
    top = _git("rev-parse", "--show-toplevel", cwd=cwd)
    if top.returncode != 0:
        raise BadValue(f"{cwd} is not in a git repository; run git init first, or use --global")
    return Path(top.stdout.strip()) / ".gitattributes"


def plan(cwd: Path, *, global_: bool = False) -> tuple[Path, list[Item]]:
    """What set-up needs, each item marked done or not."""
    scope = "--global" if global_ else "--local"
    items: list[Item] = []
    attributes = _attributes_file(cwd, global_)
    for key, value in wanted_config().items():
        current = _git("config", scope, "--get", key, cwd=cwd)
        items.append(Item("config", key, value, current.returncode == 0 and current.stdout.rstrip("\n") == value))
    present = attributes.read_text(encoding="utf-8").splitlines() if attributes.is_file() else []
    for line in attribute_lines():
        items.append(Item("attributes", line, None, line in (p.strip() for p in present)))
    return attributes, items


def setup(cwd: Path, *, global_: bool = False) -> tuple[Path, list[Item]]:
    """Write what is missing; return the items (done = was already right)."""
    attributes, items = plan(cwd, global_=global_)
    scope = "--global" if global_ else "--local"
    for item in items:
        if item.done:
            continue
        if item.what == "config":
            proc = _git("config", scope, item.key, item.value or "", cwd=cwd)
            if proc.returncode != 0:
                raise BadValue(f"git config {item.key}: {proc.stderr.strip()}")
    missing = [i.key for i in items if i.what == "attributes" and not i.done]
    if missing:
        attributes.parent.mkdir(parents=True, exist_ok=True)
        old = attributes.read_text(encoding="utf-8") if attributes.is_file() else ""
        if old and not old.endswith("\n"):
            old += "\n"
        from .store import write_atomic

        write_atomic(attributes, old + "".join(line + "\n" for line in missing))
    return attributes, items


# ---------------------------------------------------------------------------------------
# The diff side


def textconv(path: Path) -> str:
    """A plan as one line per field, tasks by id: what `git log -p` compares line by line."""
    from . import store
    from .diff import normalise

    if not store.looks_like_plan(path):
        return path.read_text(encoding="utf-8", errors="replace")
    data = normalise(store.load(path).plan)
    out: list[str] = []
    for key, value in data.items():
        if key in ("history", "schema_version"):
            continue
        if key == "tasks":
            for task in value:
                for name, item in task.items():
                    if name != "id":
                        out.append(f"{task['id']} {name}: {_flat(item)}")
        elif isinstance(value, dict):
            out += [f"{key}.{name}: {_flat(item)}" for name, item in value.items()]
        else:
            out.append(f"{key}: {_flat(value)}")
    return "\n".join(out) + "\n"


def _flat(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def external_diff(name: str, old: Path, new: Path, lang: str | None = None) -> str:
    """git's external diff: the road-map report for one plan's two versions."""
    from . import store
    from .i18n import catalogue
    from .report import Side, _report, format_text

    t = catalogue(lang)
    null = os.devnull
    header = f"diff --roadmap a/{name} b/{name}\n"
    if str(old) == null and str(new) == null:
        return ""
    if str(old) == null:
        return header + t("gitdiff.added", file=name) + "\n"
    if str(new) == null:
        return header + t("gitdiff.removed", file=name) + "\n"
    if not (store.looks_like_plan(old) and store.looks_like_plan(new)):
        proc = subprocess.run(
            ["git", "diff", "--no-index", "--no-ext-diff", "--", str(old), str(new)], capture_output=True, text=True
        )
        return proc.stdout
    a, b = store.load(old), store.load(new)
    report = _report(Side(f"a/{name}", a.plan), Side(f"b/{name}", b.plan), None)
    if report.same:
        return ""
    return header + format_text(report, lang)
