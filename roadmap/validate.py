"""`roadmap validate`: every finding in every file, and the verdict."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import store
from .errors import Finding


@dataclass
class FileReport:
    file: str
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "valid": not self.errors,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.as_dict() for f in self.findings],
        }


def validate(paths: list[Path], *, today: dt.date | None = None) -> list[FileReport]:
    reports = []
    for path in paths:
        if _is_translation(path):
            reports.append(FileReport(store.label_for(path), _translation_file_findings(path)))
            continue
        doc, findings = store.inspect(path, today=today)
        if doc is not None and not any(f.severity == "error" for f in findings):
            findings += lineage_findings(doc)
            findings += translation_findings(doc)
            findings.sort(key=lambda f: (f.severity != "error", f.line or 0, f.column or 0))
        reports.append(FileReport(store.label_for(path), findings))
    return reports


def _is_translation(path: Path) -> bool:
    """A translation file (`kg.ru.yaml`) given to validate by a glob such as *.yaml."""
    import os
    import re
    import stat

    try:  # never blocks on a FIFO, never reads a device (store.read_text refuses both)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, 4096).decode("utf-8", "replace")
    except OSError:
        return False
    finally:
        os.close(fd)
    return re.search(r"(?m)^translation:", head) is not None and re.search(r"(?m)^meta:", head) is None


def _translation_file_findings(path: Path) -> list[Finding]:
    from .errors import PlanInvalid
    from .translation_files import read

    try:
        read(path)
    except PlanInvalid as exc:
        return exc.findings
    return []


def lineage_findings(doc: store.Document) -> list[Finding]:
    """Tasks that say they come from the model (origin: model, the default) which the model
    the plan is based on does not have: typed in by hand, they would be taken for model
    tasks, never marked NEW, and could collide with an id a later model version brings."""
    from . import yamltext
    from .lineage import task_ids

    based_on = doc.plan.meta.based_on
    if based_on is None or doc.plan.meta.kind != "plan":
        return []
    known = task_ids(based_on.hash)
    if known is None:
        return []
    code = doc.plan.meta.country.code if doc.plan.meta.country else "XX"
    locator = None
    out = []
    for i, task in enumerate(doc.plan.tasks):
        if task.origin.value == "model" and task.id not in known:
            locator = locator or yamltext.Locator(doc.text, doc.data)
            line, column = locator.line_of(("tasks", i, "id")) or (None, None)
            out.append(
                Finding(
                    doc.label,
                    line,
                    column,
                    f"tasks[{task.id}].id",
                    f"{task.id} counts as a model task (origin: model) but {based_on.id} {based_on.version} "
                    f"has no task {task.id}; if your group added it, write origin: added and give it an id "
                    f"such as {code}-{task.direction}-1 (or add tasks with `roadmap add`)",
                    "warning",
                )
            )
    return out


def translation_findings(doc: store.Document) -> list[Finding]:
    """Untranslated and stale fields in each language the plan has translations for."""
    from .translate import findings

    return findings(doc)


def passed(reports: list[FileReport], *, strict: bool = False) -> bool:
    return all(not r.errors and not (strict and r.warnings) for r in reports)
