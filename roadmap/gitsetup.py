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
        f"merge.{DRIVER}.driver": f"{exe} merge-file %O %A %B -o %A --name %P",
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


def plan(cwd: Path, *, global_: bool = False, effective: bool = False) -> tuple[Path, list[Item]]:
    """What set-up needs, each item marked done or not.

    `effective` (for `--check` in a repository): an item also counts as done when git
    already has it from elsewhere (the user's --global set-up), as git would merge and diff
    with it; `setup` still writes the repository's own entries.
    """
    scope = "--global" if global_ else "--local"
    items: list[Item] = []
    attributes = _attributes_file(cwd, global_)
    for key, value in wanted_config().items():
        done = _config_is(key, value, scope, cwd) or (effective and not global_ and _config_is(key, value, None, cwd))
        items.append(Item("config", key, value, done))
    present = attributes.read_text(encoding="utf-8").splitlines() if attributes.is_file() else []
    for line, pattern in zip(attribute_lines(), PATTERNS):
        done = line in (p.strip() for p in present) or (effective and not global_ and _attributes_apply(pattern, cwd))
        items.append(Item("attributes", line, None, done))
    return attributes, items


def _config_is(key: str, value: str, scope: str | None, cwd: Path) -> bool:
    current = _git("config", *([scope] if scope else []), "--get", key, cwd=cwd)
    return current.returncode == 0 and current.stdout.rstrip("\n") == value


def _attributes_apply(pattern: str, cwd: Path) -> bool:
    """git gives a file of this pattern our merge and diff drivers, from whichever attributes file."""
    probe = pattern.replace("*", "plan")
    proc = _git("check-attr", "merge", "diff", "--", probe, cwd=cwd)
    return proc.returncode == 0 and all(f": {name}: {DRIVER}" in proc.stdout for name in ("merge", "diff"))


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


def format_check(attributes: Path, items: list[Item], *, global_: bool = False, lang: str | None = None) -> tuple[str, str]:
    """`--check`'s report: (what is missing, on stdout; what to run, on stderr)."""
    from .i18n import catalogue

    t = catalogue(lang)
    missing = [i for i in items if not i.done]
    if not missing:
        return t("gitsetup.ready") + "\n", ""
    lines = [
        t("gitsetup.missing_config", name=i.key, value=i.value)
        if i.what == "config"
        else t("gitsetup.missing_line", file=attributes, line=i.key)
        for i in missing
    ]
    command = "roadmap git setup" + (" --global" if global_ else "")
    return "".join(line + "\n" for line in lines), t("gitsetup.run", command=command) + "\n"


def format_setup(attributes: Path, items: list[Item], *, lang: str | None = None) -> str:
    """What `setup` wrote, and what was already right."""
    from .i18n import catalogue

    t = catalogue(lang)
    lines = []
    for i in items:
        state = "already" if i.done else "set"
        if i.what == "config":
            lines.append(t(f"gitsetup.{state}_config", name=i.key))
        else:
            lines.append(t(f"gitsetup.{state}_line", file=attributes, line=i.key))
    return "".join(line + "\n" for line in lines)


# ---------------------------------------------------------------------------------------
# The diff side


def textconv(path: Path) -> str:
    """A plan as one line per field, tasks by id: what `git log -p` compares line by line.

    Tasks, and the other lists of things with ids (directions, stages, conflicts...), give
    one line per field of each item; a list of records (budget lines, comments, parties,
    indicators) one line per record, so a line added shows as one line added.
    """
    from . import store
    from .diff import ID_LISTS, normalise

    if not store.looks_like_plan(path):
        return path.read_text(encoding="utf-8", errors="replace")
    data = normalise(store.load(path).plan)
    out: list[str] = []
    for key, value in data.items():
        if key in ("history", "schema_version"):
            continue
        if ((key,) in ID_LISTS or key == "conflicts") and isinstance(value, list):
            for item in value:
                label = item["id"] if key == "tasks" else f"{key}.{item['id']}"
                out += [line for name, field in item.items() if name != "id" for line in _lines(f"{label} {name}", field)]
        elif isinstance(value, dict):
            out += [line for name, item in value.items() for line in _lines(f"{key}.{name}", item)]
        else:
            out += _lines(key, value)
    return "\n".join(out) + "\n"


def _lines(label: str, value: object) -> list[str]:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return [f"{label}[{i}]: {_flat(v)}" for i, v in enumerate(value)]
    return [f"{label}: {_flat(value)}"]


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
