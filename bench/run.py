"""Benchmark the installed `roadmap` command as users run it, at every plan size.

Usage (from a clone):

    python -m venv .venv && .venv/bin/pip install '.[bench]'
    .venv/bin/python bench/run.py                       # sizes 30,1000,10000,50000; 5 runs
    .venv/bin/python bench/run.py --quick               # sizes 30,1000; 5 runs
    .venv/bin/python bench/run.py --sizes 30,10000 --runs 7 --only validate,tick -o results.json

Every measurement is a whole process of the installed `roadmap` entry point (the one
beside this Python, else on PATH): one warm-up run, then the median of --runs runs, with
the peak resident memory of the child (wait4's ru_maxrss). In the same run it times the
floors a user compares with: `python -c pass`, a minimal typer app with one command,
`check-jsonschema` against the schema `roadmap schema` exports, and PyYAML's C loader on
the same files. It prints a table (median, ratio to the typer floor, growth from the
previous size, peak MB), checks the targets of issue 15, and writes JSON.

Plans are generated from the embedded model's 30 tasks, varied: titles and boxes with a
phase and a region (some in Russian), every status, owners, comments, YAML comment
lines, dependencies and a history of ticks. The 30-task size is the model itself (and
`kg.yaml`, a plan made from it with `roadmap init`). Machines here are noisy and shared:
compare ratios and growth from one run, not seconds across runs.

`export` and `import-sheet` run on the country plan of each size and, as "export work
plan" and "import-sheet work plan", on the example work plan (data/examples/
joint_programme.yaml: quarters, budget lines, lead agencies) grown to the same number of
activities (`--only export,import-sheet` picks both). The sheet imported is the plan's
export edited as people send it back (`edit_sheet`: about 15% of the rows changed, 1%
new rows), made once before the runs; each run imports it into a fresh copy of the plan.

Commands the installed version lacks (a format its help does not list) are skipped, so
the same script measures older and newer versions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

AS_OF = "2026-06-30"
MODEL = 30  # the size that stands for the embedded model
EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "examples" / "joint_programme.yaml"


# ---------------------------------------------------------------------------------------
# Running one process and measuring it


@dataclass
class Sample:
    seconds: float
    peak_mb: float
    code: int


def run_once(argv: list[str], *, cwd: Path, timeout: float, env: dict[str, str] | None = None) -> Sample:
    """Wall time and peak RSS of one child process (killed after `timeout` seconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        stderr = proc.stderr.read() if proc.stderr else b""
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr:
        proc.stderr.close()
    sample = Sample(seconds, usage.ru_maxrss / 1024, proc.returncode)
    sample.stderr = stderr.decode("utf-8", "replace")[-400:]  # type: ignore[attr-defined]
    return sample


@dataclass
class Cell:
    name: str
    size: int
    runs: list[Sample] = field(default_factory=list)
    skipped: str = ""
    note: str = ""

    @property
    def median(self) -> float | None:
        return statistics.median(s.seconds for s in self.runs) if self.runs else None

    @property
    def peak(self) -> float | None:
        return max(s.peak_mb for s in self.runs) if self.runs else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "size": self.size,
            "median_s": self.median,
            "peak_mb": self.peak,
            "runs_s": [round(s.seconds, 4) for s in self.runs],
            "exit_codes": sorted({s.code for s in self.runs}),
            "skipped": self.skipped or None,
            "note": self.note or None,
        }


# ---------------------------------------------------------------------------------------
# Generating plans


_PLAIN = re.compile(r"^[A-Za-z\u0400-\u04ff(][^:#\n\"'{}\[\],&*!|>%@`]*$")
_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "~"}


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _WORDS and not text.endswith(" ") and ": " not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def emit(value: Any, indent: int) -> list[str]:
    """Block YAML lines for a dict or list (the style the plans use)."""
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                out.append(f"{pad}{key}:")
                out.extend(emit(item, indent + 2))
            elif isinstance(item, (dict, list)):
                out.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                out.append(f"{pad}{key}: {scalar(item)}")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                inner = emit(item, indent + 2)
                out.append(f"{pad}- {inner[0].lstrip()}")
                out.extend(inner[1:])
            else:
                out.append(f"{pad}- {scalar(item)}")
    return out


REGIONS = ["Bishkek", "Osh", "Naryn", "Issyk-Kul", "Talas", "Jalal-Abad", "Batken", "Chui"]
REGIONS_RU = ["Бишкек", "Ош", "Нарын", "Иссык-Куль", "Талас", "Джалал-Абад", "Баткен", "Чуй"]
PEOPLE = [
    ("Aigul Usenova", "Ministry of Economy"),
    ("Bakyt Toktogulov", "Ministry of Culture"),
    ("Нургуль Абдыкадырова", "Ассоциация креативных предпринимателей"),
    ("Timur Sadykov", "Kyrgyz State University of Culture and Arts"),
    ("Elena Kim", "Chamber of Commerce"),
]
STATUSES = ["planned", "in_progress", "done", "planned", "not_needed", "done", "planned"]


def grow(template: list[dict[str, Any]], n: int, changed: frozenset[int] = frozenset()) -> tuple[list[str], list[str], list[str]]:
    """Task lines, history lines and the ids of n - 30 added tasks (`changed`: indices to alter)."""
    lines: list[str] = []
    history: list[str] = []
    ids: list[str] = []
    counter: dict[str, int] = {}
    previous: dict[str, str] = {}
    for i in range(n - len(template)):
        base = template[i % len(template)]
        d = base["direction"]
        counter[d] = counter.get(d, 0) + 1
        k = counter[d]
        tid = f"KG-{d}-{k}"
        ids.append(tid)
        ru = i % 4 == 3
        region = (REGIONS_RU if ru else REGIONS)[i % len(REGIONS)]
        phase = i // len(template) + 1
        suffix = f" (этап {phase}, {region})" if ru else f" (phase {phase}, {region})"
        start = 1 + i % 4
        task: dict[str, Any] = {
            "id": tid,
            "direction": d,
            "stage": base["stage"],
            "title": base["title"].rstrip(".") + suffix,
            "box": {"text": base["box"]["text"] + suffix, "order": 100 + k},
            "year_start": start,
            "year_end": min(5, start + i % 3),
            "persons_involved": list(base.get("persons_involved") or []),
            "expected_results": list(base.get("expected_results") or []),
            "success_indicators": list(base.get("success_indicators") or []),
        }
        if base.get("international_examples"):
            task["international_examples"] = list(base["international_examples"])
        if i % 5 == 4 and d in previous:
            task["depends_on"] = [previous[d]]
        status = STATUSES[i % len(STATUSES)]
        if i in changed:
            status = "done" if status != "done" else "in_progress"
        task["status"] = status
        if status in ("done", "in_progress"):
            task["status_date"] = dt.date(2025, 1 + i % 12, 1 + i % 28)
        if status == "not_needed":
            task["status_note"] = "Already covered by the national programme for creative industries"
        if i % 5 != 2 and status != "not_needed":
            name, org = PEOPLE[i % len(PEOPLE)]
            task["owner"] = {"name": name, "organisation": org}
            if i in changed and i % 2:
                task["owner"] = {"name": "Changed Owner", "organisation": org}
        task["origin"] = "added"
        if i % 7 == 0:
            task["comments"] = [{"date": dt.date(2025, 3, 1 + i % 28), "by": "Working group", "text": f"Discussed at the {region} round table; partners confirmed."}]
        if i % 10 == 0:
            lines.append(f"  # {region}: added after the regional consultations ({phase})")
        lines.extend(emit([task], 2))
        previous[d] = tid
        if status in ("done", "in_progress") and i % 3 == 0:
            history.extend(
                emit(
                    [{"date": task["status_date"], "command": "tick", "task": tid, "field": "status", "old": "planned", "new": status}],
                    2,
                )
            )
    return lines, history, ids


def block_end(text: str, key: str) -> tuple[int, int]:
    """Start and end offsets of a top-level block `key:` in text."""
    start = text.index(f"\n{key}:") + 1
    m = re.compile(r"^[A-Za-z_]", re.M).search(text, text.index("\n", start) + 1)
    return start, (m.start() if m else len(text))


def make_plan(seed_text: str, template: list[dict[str, Any]], n: int, changed: frozenset[int] = frozenset()) -> tuple[str, list[str]]:
    lines, history, ids = grow(template, n, changed)
    _, tasks_end = block_end(seed_text, "tasks")
    text = seed_text[:tasks_end].rstrip("\n") + "\n" + "\n".join(lines) + "\n" + seed_text[tasks_end:]
    if history:  # after the seed's own history (a plan's), or in a new block (a model has none)
        head = "" if re.search(r"^history:", seed_text, re.M) else "history:\n"
        text = text.rstrip("\n") + "\n" + head + "\n".join(history) + "\n"
    return text, ids


def grow_work_plan(seed_text: str, n: int) -> str:
    """The example work plan (a UN joint programme's, in quarters, with budget lines)
    grown to n activities: its 12 activities varied over more quarters and regions,
    with budgets, statuses, owners, comments and some indicators. The stated budget
    totals are left out (they would no longer add up)."""
    import yaml  # PyYAML: only to read the seed's activities

    template = yaml.load(seed_text, Loader=yaml.CSafeLoader)["tasks"]
    refs = {d["id"]: d.get("ref") or str(d["number"]) for d in yaml.load(seed_text, Loader=yaml.CSafeLoader)["directions"]}
    measured = next(t["success_indicators"] for t in template if t.get("success_indicators"))
    counter: dict[str, int] = {}
    for t in template:
        counter[t["direction"]] = max(counter.get(t["direction"], 0), int(t["id"].rsplit("-", 1)[1]))
    lines: list[str] = []
    for i in range(n - len(template)):
        base = template[i % len(template)]
        d = base["direction"]
        counter[d] += 1
        k = counter[d]
        region = REGIONS[i % len(REGIONS)]
        first = 1 + i % 4
        last = min(4, first + i % 3)
        task: dict[str, Any] = {
            "id": f"{d}-{k}",
            "ref": f"{refs[d]}.{k}",
            "direction": d,
            "title": f"{base['title']} ({region}, round {i // len(template) + 1})",
            "target": base.get("target") or "Done",
            "box": {"text": f"{base['box']['text']} ({region})", "order": k},
            "start": f"2009-Q{first}",
            "end": f"2009-Q{last}",
            "lead": base["lead"],
            "parties": [dict(p) for p in base.get("parties") or []],
            "budget": [
                {**line, "amount": f"{float(line['amount']) + (i % 50) * 10:.2f}"} for line in base.get("budget") or []
            ],
        }
        status = STATUSES[i % len(STATUSES)]
        if status == "not_needed":
            status = "planned"
        task["status"] = status
        if status != "planned":
            task["status_date"] = dt.date(2009, 3 * first, 1 + i % 28)
        task["owner"] = {"name": base["owner"]["name"]} if base.get("owner") else {"name": "Programme unit"}
        if i % 6 == 0:
            task["success_indicators"] = [{k2: v for k2, v in item.items() if k2 != "values"} for item in measured]
        if i % 5 == 0:
            task["comments"] = [{"date": dt.date(2009, 3 * first, 2), "by": "Programme officer", "text": f"Partners in {region} confirmed"}]
        if i % 25 == 0:
            lines.append(f"  # {region}: activities added at the mid-year review")
        lines.extend(emit([task], 2))
    text = re.sub(r"\n  # The totals.*?\n(?=directions:)", "\n", seed_text, flags=re.S)
    text = re.sub(r"\n  stated:\n(?:    .*\n|      .*\n)*", "\n", text)
    _, tasks_end = block_end(text, "tasks")
    return text[:tasks_end].rstrip("\n") + "\n" + "\n".join(lines) + "\n" + text[tasks_end:]


# The English headers of `roadmap export` (the plans here are in English).
SHEET_COLUMNS = {
    "Id": "id", "Direction": "direction", "Stage": "stage", "Task": "title", "Status": "status",
    "Status date": "status_date", "Status note": "status_note", "Responsible person": "owner",
    "Organisation": "organisation", "Contact": "contact", "Expected results": "expected_results",
    "Indicators": "indicators", "Latest actual value": "actual", "Budget (amount | category | source)": "budget", "New comment": "new_comment",
}


def edit_sheet(exported: Path, edited: Path) -> str:
    """The exported workbook as people send it back: about 15% of the rows edited (statuses,
    owners, contacts, comments, actual values, titles, results, budget amounts) and 1% new
    rows, saved with openpyxl as a person's Excel would. Returns a summary."""
    from openpyxl import load_workbook

    book = load_workbook(exported)
    sheet = book.worksheets[0]
    col = {SHEET_COLUMNS[c.value]: c.column for c in sheet[1] if c.value in SHEET_COLUMNS}
    last = sheet.max_row
    while last > 1 and not sheet.cell(last, col["id"]).value:
        last -= 1
    kinds = ["status", "owner", "new_comment", "actual", "title", "budget", "contact", "expected_results"]
    done: dict[str, int] = {}
    for r in range(2, last + 1):
        if r % 7 != 3:
            continue
        kind = kinds[(r // 7) % len(kinds)]

        def get(key: str) -> str:
            value = sheet.cell(r, col[key]).value
            return "" if value is None else str(value)

        def put(key: str, value: Any) -> None:
            sheet.cell(r, col[key], value=value)

        if kind == "actual":
            if not get("indicators"):
                kind = "new_comment"
            else:  # a new value for every indicator of the task
                put("actual", "\n".join(f"{line.split(':', 1)[0]}: {12 + r % 30}" for line in get("indicators").split("\n")))
        if kind == "budget":
            if not get("budget"):
                kind = "status"
            else:
                first, *rest = get("budget").split("\n")
                number, body = first.split(":", 1)
                amount, bar, tail = body.partition("|")
                put("budget", "\n".join([f"{number}: {float(amount) + 250:.2f} {bar}{tail}", *rest]))
        if kind == "status":
            put("status", "in progress" if get("status") == "done" else "done")
        elif kind == "owner":
            put("owner", f"Responsible {r}")
            put("organisation", "Ministry of Culture" if r % 2 else "Creative Industries Association")
        elif kind == "contact":
            if not get("owner"):
                put("owner", f"Focal point {r}")
            put("contact", f"focal{r}@example.org")
        elif kind == "new_comment":
            put("new_comment", f"Reviewed at the quarterly meeting (row {r}); on track")
        elif kind == "title":
            put("title", get("title") + " (revised)")
        elif kind == "expected_results":
            put("expected_results", (get("expected_results") + "\n" if get("expected_results") else "") + "Results shared with the regions")
        done[kind] = done.get(kind, 0) + 1
    for k in range(max(1, (last - 1) // 100)):
        source = 2 + (k * 37) % (last - 1)
        r = sheet.max_row + 1
        sheet.cell(r, col["direction"], value=sheet.cell(source, col["direction"]).value)
        if sheet.cell(source, col["stage"]).value:
            sheet.cell(r, col["stage"], value=sheet.cell(source, col["stage"]).value)
        sheet.cell(r, col["title"], value=f"Regional pilot proposed at the review, number {k + 1}")
        sheet.cell(r, col["owner"], value="Working group")
        done["new row"] = done.get("new row", 0) + 1
    book.save(edited)
    return ", ".join(f"{v} {k}" for k, v in done.items())


# ---------------------------------------------------------------------------------------
# What is measured


@dataclass
class Command:
    name: str
    argv: list[str]  # placeholders: {plan} {plan_b} {copy} {task} {out} (a plan of the size; at 30 {plan} is the model)
    sizes: Callable[[int], bool] = lambda n: True
    needs: tuple[str, ...] = ()  # words the installed help must contain: ("render green-paper", "pdf")
    fresh_copy: bool = False
    fresh_dir: bool = False
    family: str = ""  # --only NAME also picks this row ("export" picks "export work plan")
    copy_of: str = "kg"  # the plan that {copy} is a fresh copy of
    sheet: str = ""  # the plan whose edited export {sheet} is (made before the runs, not timed)


COMMANDS = [
    Command("--help", ["--help"], sizes=lambda n: n == MODEL),
    Command("validate", ["validate", "{plan}"]),
    Command("status --json", ["status", "{plan}", "--json", "--as-of", AS_OF]),
    Command("status", ["status", "{plan}", "--as-of", AS_OF]),
    Command("status kg.yaml", ["status", "{kg}", "--as-of", AS_OF], sizes=lambda n: n == MODEL),
    Command("tick", ["tick", "{copy}", "{task}", "--on", AS_OF], fresh_copy=True),
    Command("diff", ["diff", "{kg}", "{plan_b}"]),
    Command("render action-plan csv", ["render", "action-plan", "{plan}", "--format", "csv", "-o", "{out}.csv"]),
    Command("render action-plan xlsx", ["render", "action-plan", "{plan}", "--format", "xlsx", "-o", "{out}.xlsx"]),
    Command("render flowchart svg", ["render", "flowchart", "{plan}", "--format", "svg", "-o", "{out}.svg"]),
    Command("render green-paper docx", ["render", "green-paper", "{plan}", "--format", "docx", "-o", "{out}.docx"]),
    Command("render green-paper pdf", ["render", "green-paper", "{plan}", "--format", "pdf", "-o", "{out}.pdf"], needs=("render green-paper", "pdf")),
    Command("publish", ["publish", "{plan}", "-o", "{out}-site", "--force"], sizes=lambda n: n <= 1000, fresh_dir=True),
    Command("export", ["export", "{kg}", "-o", "{out}-export.xlsx"], needs=("", "export")),
    Command("import-sheet", ["import-sheet", "{copy}", "{sheet}"], needs=("", "import-sheet"), fresh_copy=True, sheet="kg"),
    Command("export work plan", ["export", "{wp}", "-o", "{out}-wp-export.xlsx"], needs=("", "export"), family="export"),
    Command(
        "import-sheet work plan", ["import-sheet", "{copy}", "{sheet}"], needs=("", "import-sheet"),
        fresh_copy=True, family="import-sheet", copy_of="wp", sheet="wp",
    ),
]

FLOOR_PYTHON = "python -c pass"
FLOOR_TYPER = "typer app, one command"
FLOOR_JSONSCHEMA = "check-jsonschema"
FLOOR_PYYAML = "PyYAML CSafeLoader"

TYPER_APP = '''import typer

app = typer.Typer(add_completion=False)


@app.command()
def hello(name: str = "world") -> None:
    """Say hello."""
    print(f"hello {name}")


app()
'''


def find_roadmap(given: str | None) -> str:
    if given:
        return given
    beside = Path(sys.executable).parent / "roadmap"
    found = str(beside) if beside.exists() else shutil.which("roadmap")
    if not found:
        sys.exit("no installed `roadmap` command: pip install '.[bench]' first (or give --roadmap PATH)")
    return found


def tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.roadmap = find_roadmap(args.roadmap)
        self.cells: list[Cell] = []
        self.help: dict[str, str] = {}
        self.plans: dict[int, dict[str, str]] = {}

    # -- inputs ---------------------------------------------------------------------------

    def sh(self, *argv: str) -> str:
        return subprocess.run([self.roadmap, *argv], cwd=self.work, capture_output=True, text=True, check=False).stdout

    def has(self, where: str, word: str) -> bool:
        if where not in self.help:
            out = subprocess.run([self.roadmap, *where.split(), "--help"], cwd=self.work, capture_output=True, text=True, check=False)
            self.help[where] = out.stdout + out.stderr
        return word in self.help[where]

    def prepare(self, sizes: list[int]) -> None:
        kg = self.work / "kg.yaml"
        subprocess.run([self.roadmap, "init", "--country", "KG", "--start-year", "2024", "-o", str(kg), "--force"], cwd=self.work, capture_output=True, check=True)
        subprocess.run([self.roadmap, "schema", "-o", str(self.work / "schema.json")], cwd=self.work, capture_output=True, check=True)
        seed = kg.read_text(encoding="utf-8")
        model_file = self.work / "model.yaml"
        model_file.write_text(_model_text(self.roadmap), encoding="utf-8")
        for n in sizes:
            if n == MODEL:
                b = _change_one(seed)
                (self.work / "kg-b.yaml").write_text(b, encoding="utf-8")
                self.plans[n] = {"plan": "", "file": str(model_file), "kg": str(kg), "plan_b": str(self.work / "kg-b.yaml"), "task": "DAT-2"}
                continue
            # In a child process: a child's peak memory as wait4 reports it starts from its
            # parent's at fork, so this process must stay small.
            a, b = self.work / f"plan-{n}.yaml", self.work / f"plan-{n}-b.yaml"
            made = subprocess.run(
                [sys.executable, __file__, "--generate", str(n), str(kg), str(a), str(b)], capture_output=True, text=True, check=True
            )
            sys.stderr.write(made.stderr)
            task = made.stdout.strip()
            self.plans[n] = {"plan": str(a), "file": str(a), "kg": str(a), "plan_b": str(b), "task": task}
        for n in sizes:  # the example work plan (quarters, budget lines) grown to n activities
            wp = self.work / f"wp-{n}.yaml"
            if EXAMPLE.is_file():
                subprocess.run([sys.executable, __file__, "--work-plan", str(n), str(EXAMPLE), str(wp)], capture_output=True, text=True, check=True)
            self.plans[n]["wp"] = str(wp) if wp.is_file() else ""

    # -- measuring ------------------------------------------------------------------------

    def measure(self, name: str, size: int, make_argv: Callable[[int], list[str]], *, before: Callable[[], None] | None = None, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> Cell:
        cell = Cell(name, size)
        self.cells.append(cell)
        runs = self.args.runs
        for k in range(runs + 1):  # the first is the warm-up
            if before:
                before()
            sample = run_once(make_argv(k), cwd=self.work, timeout=self.args.timeout, env=env)
            if sample.code not in ok:
                what = "timed out" if sample.seconds >= self.args.timeout else f"failed (exit {sample.code})"
                cell.note = f"{what}: {sample.stderr.strip()[-300:]}"  # type: ignore[attr-defined]
                cell.skipped = what
                if k:
                    cell.runs.append(sample)
                break
            if k:
                cell.runs.append(sample)
            elif sample.seconds > self.args.slow and runs > 3:
                runs = 3  # a very slow cell: fewer runs, said in the JSON
                cell.note = (cell.note + "; " if cell.note else "") + f"3 runs (warm-up took {sample.seconds:.0f} s)"
            if k >= runs:
                break
        if self.args.output:  # what is measured so far, should the run be stopped
            self.args.output.write_text(json.dumps({"partial": True, "cells": [c.as_dict() for c in self.cells]}, indent=1) + "\n", encoding="utf-8")
        shown = f"{cell.median:8.3f} s  {cell.peak:7.1f} MB" if cell.runs else "       -"
        print(f"  {name:<28} {size:>6}  {shown}  {cell.skipped or ''}", file=sys.stderr, flush=True)
        return cell

    def start_floors(self) -> None:
        py = sys.executable
        self.measure(FLOOR_PYTHON, MODEL, lambda k: [py, "-c", "pass"])
        app = self.work / "typer_app.py"
        app.write_text(TYPER_APP, encoding="utf-8")
        self.measure(FLOOR_TYPER, MODEL, lambda k: [py, str(app), "--name", "bench"])

    def edited_sheet(self, n: int, which: str) -> tuple[str, str]:
        """The export of plan `which` ("kg" or "wp") of size n as people send it back
        (`edit_sheet`), made once and not timed; with what went wrong, if anything."""
        edited = self.work / f"sheet-{which}-{n}-edited.xlsx"
        if edited.exists():
            return str(edited), ""
        exported = self.work / f"sheet-{which}-{n}.xlsx"
        made = subprocess.run([self.roadmap, "export", self.plans[n][which], "-o", str(exported)], cwd=self.work, capture_output=True, text=True, check=False)
        if made.returncode != 0:
            return "", f"export failed: {made.stderr.strip()[-300:]}"
        # in a child process, as the plans are made (this process stays small)
        made = subprocess.run([sys.executable, __file__, "--edit-sheet", str(exported), str(edited)], capture_output=True, text=True, check=False)
        if made.returncode != 0:
            return "", f"editing the sheet failed: {made.stderr.strip()[-300:]}"
        print(f"  (sheet of {which} {n}: {made.stdout.strip()})", file=sys.stderr)
        return str(edited), ""

    def floors(self, sizes: list[int]) -> None:
        py = sys.executable
        checker = tool("check-jsonschema")
        for n in sizes:
            plan = self.plans[n]["file"]
            self.measure(FLOOR_PYYAML, n, lambda k, p=plan: [py, "-c", "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)", p])
            if checker:
                # the exit code is recorded (PyYAML-style dates may not be strings to it); the time counts either way
                self.measure(FLOOR_JSONSCHEMA, n, lambda k, p=plan: [checker, "--schemafile", str(self.work / "schema.json"), p], ok=(0, 1))

    def commands(self, sizes: list[int]) -> None:
        only = set(self.args.only.split(",")) if self.args.only else None
        for n in sizes:
            paths = self.plans[n]
            print(f"size {n}:", file=sys.stderr)
            for command in COMMANDS:
                if only and not ({command.name, command.family} & only) or not command.sizes(n):
                    continue
                if command.needs and not self.has(*command.needs):
                    self.cells.append(Cell(command.name, n, skipped="not in this version"))
                    continue
                if ("{wp}" in command.argv or "wp" in (command.copy_of, command.sheet)) and not paths["wp"]:
                    self.cells.append(Cell(command.name, n, skipped=f"no {EXAMPLE.name} beside this script"))
                    continue
                out = str(self.work / f"out-{n}")
                copy = self.work / f"copy-{n}.yaml"
                source = paths[command.copy_of]
                sheet = ""
                if command.sheet:
                    sheet, problem = self.edited_sheet(n, command.sheet)
                    if problem:
                        self.cells.append(Cell(command.name, n, skipped="no sheet to import", note=problem))
                        print(f"  {command.name:<28} {n:>6}  no sheet to import: {problem}", file=sys.stderr)
                        continue

                def argv(k: int, command: Command = command, out: str = out, copy: Path = copy, sheet: str = sheet) -> list[str]:
                    values = {**paths, "out": out, "copy": str(copy), "sheet": sheet}
                    words = [w.format(**values) for w in command.argv]
                    return [self.roadmap, *(w for w in words if w != "")]

                def before(command: Command = command, copy: Path = copy, out: str = out, source: str = source) -> None:
                    if command.fresh_copy:
                        shutil.copyfile(source, copy)
                    if command.fresh_dir:
                        shutil.rmtree(out + "-site", ignore_errors=True)

                self.measure(command.name, n, argv, before=before, ok=(0, 3) if command.name == "diff" else (0,))


def _model_text(roadmap: str) -> str:
    """The embedded model's file (for the floors, which need a path)."""
    code = "from roadmap.resources import model_path; print(model_path())"
    python = Path(roadmap).parent / "python"
    found = subprocess.run([str(python) if python.exists() else sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    return Path(found).read_text(encoding="utf-8")


def _change_one(text: str) -> str:
    """kg.yaml with one task (1 of 30, the smallest step above 1%) marked in progress."""
    start = text.index("  - id: DAT-2\n")
    at = text.index("    status: planned\n", start)
    return text[:at] + "    status: in_progress\n    status_date: 2025-05-01\n" + text[at + len("    status: planned\n") :]


# ---------------------------------------------------------------------------------------
# Reporting


def table(cells: list[Cell], typer_floor: float | None) -> str:
    rows = [f"{'command':<28} {'tasks':>6} {'median s':>9} {'x typer':>8} {'growth':>15} {'peak MB':>8}"]
    rows.append("-" * len(rows[0]))
    previous: dict[str, Cell] = {}
    for cell in cells:
        if cell.skipped and not cell.runs:
            rows.append(f"{cell.name:<28} {cell.size:>6} {'-':>9} {'':>8} {'':>15} {'':>8}  {cell.skipped}")
            continue
        median = cell.median or 0.0
        ratio = f"{median / typer_floor:.2f}x" if typer_floor else "-"
        before = previous.get(cell.name)
        growth = ""
        if before and before.median:
            growth = f"{median / before.median:.1f}x per {cell.size / before.size:.0f}x"
        previous[cell.name] = cell
        flag = f"  {cell.skipped}" if cell.skipped else ""
        rows.append(f"{cell.name:<28} {cell.size:>6} {median:>9.3f} {ratio:>8} {growth:>15} {cell.peak or 0:>8.0f}{flag}")
    return "\n".join(rows)


def targets(cells: list[Cell]) -> list[tuple[str, bool | None, str]]:
    """Issue 15's targets, as (target, met, what was measured); None when not measured."""
    by = {(c.name, c.size): c for c in cells}

    def med(name: str, size: int) -> float | None:
        c = by.get((name, size))
        return c.median if c and c.runs and not c.skipped else None

    typer_floor = med(FLOOR_TYPER, MODEL)
    out: list[tuple[str, bool | None, str]] = []

    def ratio_target(label: str, name: str, limit: float) -> None:
        m = med(name, MODEL)
        if m is None or typer_floor is None:
            out.append((label, None, "not measured"))
        else:
            out.append((label, m / typer_floor <= limit, f"{m / typer_floor:.2f}x"))

    ratio_target("validate (model) <= 1.3x typer app", "validate", 1.3)
    ratio_target("status (model) <= 1.3x typer app", "status", 1.3)
    ratio_target("status kg.yaml <= 1.5x typer app", "status kg.yaml", 1.5)
    v, c = med("validate", 10_000), med(FLOOR_JSONSCHEMA, 10_000)
    out.append(("validate 10,000 >= 15x faster than check-jsonschema", None if v is None or c is None else c / v >= 15, "-" if v is None or c is None else f"{c / v:.1f}x"))
    for label, name, limit in (("tick 10,000 < 1 s", "tick", 1.0), ("flowchart 10,000 < 5 s", "render flowchart svg", 5.0)):
        m = med(name, 10_000)
        out.append((label, None if m is None else m < limit, "-" if m is None else f"{m:.2f} s"))
    m = med("publish", MODEL)
    out.append(("publish (model) < 1.5 s", None if m is None else m < 1.5, "-" if m is None else f"{m:.2f} s"))
    worst: list[str] = []
    measured = False
    for name in {c.name for c in cells}:
        for small, big in ((1000, 10_000), (10_000, 50_000)):
            a, b = med(name, small), med(name, big)
            if a and b:
                measured = True
                if b / a > 1.2 * big / small:
                    worst.append(f"{name} {small}->{big}: {b / a:.1f}x")
    out.append(("no step grows more than 6x per 5x", None if not measured else not worst, "; ".join(worst) or "all within"))
    big = [c for c in cells if c.size == 50_000 and not c.name.startswith(("check-", "PyYAML"))]
    if big:
        slow = [f"{c.name} {c.skipped}" if c.median is None else f"{c.name} {c.median:.1f} s" for c in big if c.median is None or c.median >= 10 or c.skipped]
        heavy = [f"{c.name} {c.peak:.0f} MB" for c in big if c.peak and c.peak >= 600]
        out.append(("50,000: every command < 10 s", not slow, "; ".join(slow) or "all"))
        out.append(("50,000: every command < 600 MB", not heavy, "; ".join(heavy) or "all"))
    return out


def generate(n: int, seed_path: Path, a: Path, b: Path) -> None:
    """Write plan a of n tasks and plan b with 1% of them changed; print a task id to tick."""
    import yaml  # PyYAML: only to read the seed's tasks

    started = time.perf_counter()
    seed = seed_path.read_text(encoding="utf-8")
    template = yaml.load(seed, Loader=yaml.CSafeLoader)["tasks"]
    text, ids = make_plan(seed, template, n)
    a.write_text(text, encoding="utf-8")
    changed = frozenset(range(0, n - MODEL, 100))  # 1% of the tasks
    b.write_text(make_plan(seed, template, n, changed)[0], encoding="utf-8")
    print(
        f"plan of {n} tasks: {len(text) / 2**20:.1f} MB, {text.count(chr(10))} lines "
        f"(generated in {time.perf_counter() - started:.1f} s)",
        file=sys.stderr,
    )
    print(ids[len(ids) // 2])


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    dot = shutil.which("dot")
    gv = subprocess.run([dot, "-V"], capture_output=True, text=True).stderr.strip() if dot else "none (WebAssembly)"
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "graphviz": gv,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def main() -> None:
    if sys.argv[1:2] == ["--generate"]:
        n, seed, a, b = sys.argv[2:6]
        generate(int(n), Path(seed), Path(a), Path(b))
        return
    if sys.argv[1:2] == ["--work-plan"]:
        n, seed, out = sys.argv[2:5]
        Path(out).write_text(grow_work_plan(Path(seed).read_text(encoding="utf-8"), int(n)), encoding="utf-8")
        return
    if sys.argv[1:2] == ["--edit-sheet"]:
        print(edit_sheet(Path(sys.argv[2]), Path(sys.argv[3])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None, help="comma-separated task counts (default 30,1000,10000,50000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per cell after one warm-up (default 5)")
    parser.add_argument("--quick", action="store_true", help="sizes 30,1000 only")
    parser.add_argument("--only", default=None, help="comma-separated command names, e.g. validate,tick (export and import-sheet also pick their work-plan rows)")
    parser.add_argument("--no-floors", action="store_true", help="skip python, typer, check-jsonschema, PyYAML")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds before a run is killed (default 180)")
    parser.add_argument("--slow", type=float, default=60.0, help="a warm-up longer than this gets 3 runs (default 60)")
    parser.add_argument("--roadmap", default=None, help="the roadmap command to measure (default: the installed one)")
    parser.add_argument("-o", "--output", type=Path, default=Path(__file__).resolve().parent / "results.json")
    args = parser.parse_args()
    sizes = [int(s) for s in (args.sizes or ("30,1000" if args.quick else "30,1000,10000,50000")).split(",")]
    if MODEL not in sizes:
        sizes = [MODEL, *sizes]  # the floors and ratios are against the model
    sizes.sort()
    with tempfile.TemporaryDirectory(prefix="roadmap-bench-") as tmp:
        bench = Bench(args, Path(tmp))
        bench.prepare(sizes)
        args.output.parent.mkdir(parents=True, exist_ok=True)
        if not args.no_floors:
            print("floors:", file=sys.stderr)
            bench.start_floors()
        bench.commands(sizes)
        if not args.no_floors:
            print("floors on the plans:", file=sys.stderr)
            bench.floors(sizes)
    cells = bench.cells
    floor = next((c.median for c in cells if c.name == FLOOR_TYPER), None)
    # commands first (in the order they were measured), then the floors, each by size
    order = [c.name for c in COMMANDS] + [FLOOR_PYTHON, FLOOR_TYPER, FLOOR_PYYAML, FLOOR_JSONSCHEMA]
    cells.sort(key=lambda c: (order.index(c.name) if c.name in order else 99, c.size))
    info = machine()
    print()
    print(f"roadmap bench, {dt.datetime.now().isoformat(timespec='minutes')}: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']}, {info['graphviz']}")
    print(f"medians of {args.runs} runs after a warm-up; x typer = ratio to the minimal typer app ({floor or 0:.3f} s)")
    print(table(cells, floor))
    found = targets(cells)
    print()
    for label, met, measured in found:
        print(f"  {'met   ' if met else 'MISSED' if met is False else 'n/a   '} {label}: {measured}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "machine": info,
                "when": dt.datetime.now().isoformat(timespec="seconds"),
                "runs": args.runs,
                "typer_floor_s": floor,
                "cells": [c.as_dict() for c in cells],
                "targets": [{"target": t, "met": m, "measured": v} for t, m, v in found],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
