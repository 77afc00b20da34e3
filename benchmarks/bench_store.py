"""Benchmark: load, validate and a one-field edit of a plan with N tasks.

Usage: python benchmarks/bench_store.py [--tasks 10000] [--runs 5] [--ruamel]

Prints medians of several runs measured in this one process (machines here are noisy;
compare ratios from one run, not numbers across runs). `--ruamel` also times a full
ruamel.yaml round trip (load + dump) of the same file, the approach the store avoids.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roadmap import adapt, store, yamltext  # noqa: E402


def big_plan(directory: Path, n: int) -> Path:
    """The model made into a country plan, then grown to n tasks."""
    path = directory / "big.yaml"
    adapt.init(path, country="KG", start_year=2024)
    doc = store.load(path)
    template = doc.data["tasks"]
    lines = []
    for i in range(n - len(template)):
        task = dict(template[i % len(template)])
        task["id"] = f"KG-{task['direction']}-{i + 1}"
        task["origin"] = "added"
        task["box"] = {"text": task["box"]["text"], "order": 100 + i}
        lines.extend(yamltext._block_lines([task], 2))
    text = doc.text
    cut = yamltext.top_level_block(text, "tasks").end
    text = text[:cut].rstrip("\n") + "\n" + "\n".join(lines) + "\n" + text[cut:]
    path.write_text(text, encoding="utf-8")
    return path


def timed(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ruamel", action="store_true", help="also time a ruamel.yaml round trip")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = big_plan(Path(tmp), args.tasks)
        text = path.read_text(encoding="utf-8")
        print(f"plan: {args.tasks} tasks, {len(text) / 2**20:.1f} MB, {text.count(chr(10))} lines")
        parse = timed(lambda: yamltext.parse(text), args.runs)
        load = timed(lambda: store.load(path), args.runs)
        middle = store.load(path).plan.tasks[args.tasks // 2].id
        states = iter(["in-progress", "done"] * args.runs)
        edit = timed(lambda: adapt.tick(path, [middle], status=next(states)), args.runs)
        print(f"parse (yaml-rs)               median {parse:6.3f} s")
        print(f"load + validate               median {load:6.3f} s")
        print(f"one-field edit (tick, whole)  median {edit:6.3f} s")
        if args.ruamel:
            from ruamel.yaml import YAML

            yaml = YAML(typ="rt")
            yaml.width = 4096
            start = time.perf_counter()
            data = yaml.load(text)
            loaded = time.perf_counter() - start
            start = time.perf_counter()
            yaml.dump(data, io.StringIO())
            dumped = time.perf_counter() - start
            print(f"ruamel round trip (1 run)     load {loaded:6.1f} s, dump {dumped:6.1f} s")
            print(f"edit is {(loaded + dumped) / edit:.0f}x faster than a ruamel round trip")


if __name__ == "__main__":
    main()
