"""Every error a user can cause, and the one base class the CLI turns into a message.

The library raises these; only `cli.py` decides how they look and which exit code they
give (0 ok, 1 user or data error, 2 bad usage, 3 "plans differ" for `diff`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One problem in a plan, located in its file."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        label = f"{self.path}: " if self.path else ""
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{label}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "severity": self.severity,
        }


class RoadmapError(Exception):
    """Base of every error the user can fix; its text is shown as is."""

    exit_code = 1


@dataclass
class PlanInvalid(RoadmapError):
    """A plan file cannot be read, or does not hold a valid road map."""

    findings: list[Finding] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)


class UnknownId(RoadmapError):
    """A task, direction, stage or goal id that the plan does not have."""


class BadValue(RoadmapError):
    """A command-line value that is not acceptable (a date, a status, a year...)."""


class EditRefused(RoadmapError):
    """An edit that would break the plan or that the tool cannot apply safely."""


class FileExists(RoadmapError):
    """Refusing to overwrite an existing file or folder."""


class OutputRefused(RoadmapError):
    """Refusing to write an output over a plan or over a file the command reads."""


class Busy(RoadmapError):
    """Another command holds the plan's lock for too long."""


class ModelNotFound(RoadmapError):
    """The model version a plan records (meta.based_on) is not among the known models."""


class HashMismatch(RoadmapError):
    """A model file given as a plan's base is not the version the plan was derived from."""


class WriteFailed(RoadmapError):
    """The operating system refused to write a file (permissions, a full disk, no folder)."""
