"""Plans for the hostile-input tests: a small one to mutate, and grown ones to time.

Built from a real country plan (`adapt.init`), then cut down or grown as text with the
library's own emitter, so every plan here is one the toolkit itself could have written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 11, 23)


def country_plan(folder: Path) -> Path:
    import tempfile

    from roadmap import adapt

    path = Path(tempfile.mkdtemp(dir=folder)) / "kg.yaml"
    adapt.init(path, country="KG", start_year=2024, today=TODAY)
    return path


def small_plan_text(folder: Path) -> str:
    """A valid plan of six tasks in three directions (about 170 lines): quick to fuzz.

    Keeps a comment, a `|` block of text, a dependency and some history, so mutations
    meet every kind of line a real plan has.
    """
    from roadmap import store, yamltext

    doc = store.load(country_plan(folder))
    data: dict[str, Any] = dict(doc.data)
    tasks = [t for t in data["tasks"] if t["direction"] in ("DEF", "CUL", "DAT")][:6]
    tasks[1] = {**tasks[1], "depends_on": [tasks[0]["id"]], "owner": {"name": "A. Usenova"}}
    used = {t["direction"] for t in tasks}
    data["tasks"] = tasks
    data["directions"] = [
        {**d, "narrative": d["narrative"][:200] + "\nSecond line of the narrative.\n"}
        for d in data["directions"]
        if d["id"] in used
    ]
    data["stages"] = [{**s, "narrative": s["narrative"][:120]} for s in data["stages"]]
    data["sections"] = data["sections"][:1]
    data["audiences"] = data["audiences"][:2]
    text = "# A small plan for the hostile-input tests\n" + "\n".join(yamltext._block_lines(data, 0)) + "\n"
    path = folder / "small.yaml"
    path.write_text(text, encoding="utf-8")
    store.load(path)  # it must be valid to start with
    return text


def grown_plan_text(folder: Path, n: int, *, chain: bool = False, unowned_overdue: bool = True) -> str:
    """The country plan grown to `n` tasks (each added one owner-less and overdue by
    `TODAY`, so each brings warnings); with `chain`, each depends on the one after it."""
    from roadmap import store, yamltext

    doc = store.load(country_plan(folder))
    template = doc.data["tasks"]
    lines: list[str] = []
    count = n - len(template)
    ids = [f"KG-{template[i % len(template)]['direction']}-{i + 1}" for i in range(count)]
    for i in range(count):
        task = dict(template[i % len(template)])
        task["id"] = ids[i]
        task["origin"] = "added"
        task["box"] = {"text": task["box"]["text"], "order": 100 + i}
        if chain and i + 1 < count:  # on the next one: a walk from the first goes the whole way
            task["depends_on"] = [ids[i + 1]]
        lines.extend(yamltext._block_lines([task], 2))
    text = doc.text
    cut = yamltext.top_level_block(text, "tasks").end
    return text[:cut].rstrip("\n") + "\n" + "\n".join(lines) + "\n" + text[cut:]
