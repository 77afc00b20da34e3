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
        _, findings = store.inspect(path, today=today)
        reports.append(FileReport(store.label_for(path), findings))
    return reports


def passed(reports: list[FileReport], *, strict: bool = False) -> bool:
    return all(not r.errors and not (strict and r.warnings) for r in reports)
