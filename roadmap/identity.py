"""The plan's own identity: title, version, working group, contact, logo and years.

A country plan starts as a copy of the model; these are what make it the country's.
`meta` edits them through the store like every other editing command (Changes, history,
undo); `init` computes the same Changes for a new plan. The logo is a file beside the
plan (its path, relative to the plan file, is stored; never its bytes), checked when set
and read when a document is drawn.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import store
from .changes import Change, Edit
from .errors import BadValue, EditRefused
from .model import Roadmap
from .store import Document

LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
LOGO_MAX_BYTES = 1024 * 1024
EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class Logo:
    """A logo read for a document: the site copies it as `name`, documents embed `data`."""

    name: str  # logo.png, logo.jpg or logo.svg
    mime: str
    data: bytes

    def data_uri(self) -> str:
        import base64

        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


# ---------------------------------------------------------------------------------------
# Checking the user's words


def _where(label: str, field: str) -> str:
    return f"{label}: meta.{field}"


def check_email(value: str, label: str) -> str:
    value = value.strip()
    if not EMAIL.match(value):
        raise BadValue(
            f'{_where(label, "contact.email")}: "{value}" is not an e-mail address; '
            "give one like roadmap@example.org (--contact)"
        )
    return value


def check_url(value: str, label: str) -> str:
    value = value.strip()
    parts = urllib.parse.urlsplit(value)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or " " in value:
        raise BadValue(
            f'{_where(label, "contact.website")}: "{value}" is not a web address; '
            "give the whole address, e.g. https://example.org (--website)"
        )
    return value


def check_version(value: str, label: str) -> str:
    if not value.strip():
        raise BadValue(f"{_where(label, 'version')}: --version cannot be empty; give e.g. 2 or 2025.1")
    return value.strip()


def check_text(value: str, field: str, label: str) -> str:
    if not value.strip():
        raise BadValue(f"{_where(label, field)}: --{field} cannot be empty")
    return value.strip()


def parse_author(text: str, label: str) -> dict[str, str]:
    """ "Name|Organisation|Role", organisation and role optional."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) > 3 or not parts[0]:
        raise BadValue(
            f'{_where(label, "authors")}: --author "{text}" should be "Name", "Name|Organisation" '
            'or "Name|Organisation|Role"'
        )
    person = {"name": parts[0]}
    if len(parts) > 1 and parts[1]:
        person["organisation"] = parts[1]
    if len(parts) > 2 and parts[2]:
        person["role"] = parts[2]
    return person


def check_logo(file: Path, plan_path: Path, label: str) -> str:
    """The logo's path as stored: relative to the plan file, with forward slashes."""
    where = _where(label, "logo")
    kind = LOGO_TYPES.get(file.suffix.lower())
    if kind is None:
        raise BadValue(f"{where}: {file} is not a PNG, JPEG or SVG file (by its name); give a .png, .jpg or .svg logo")
    if not file.is_file():
        raise BadValue(f"{where}: {file} not found; give the logo's file (PNG, JPEG or SVG)")
    size = file.stat().st_size
    if size > LOGO_MAX_BYTES:
        raise BadValue(
            f"{where}: {file} is {size / 1024:.0f} KB; a logo may be at most {LOGO_MAX_BYTES // 1024} KB "
            "(save it smaller, or as SVG)"
        )
    if not _looks_like(file.read_bytes(), kind):
        raise BadValue(f"{where}: {file} does not hold a {kind.split('/')[1].split('+')[0].upper()} image")
    relative = os.path.relpath(file.resolve(), plan_path.resolve().parent)
    return Path(relative).as_posix()


def _looks_like(data: bytes, mime: str) -> bool:
    if mime == "image/png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if mime == "image/jpeg":
        return data.startswith(b"\xff\xd8\xff")
    return b"<svg" in data[:4096]


def read_logo(plan: Roadmap, plan_path: Path) -> Logo | None:
    """The plan's logo for a document, or None when it names none; a missing file is an error
    (a document without the logo the plan names would be silently incomplete)."""
    if not plan.meta.logo:
        return None
    file = plan_path.parent / plan.meta.logo
    suffix = file.suffix.lower()
    mime = LOGO_TYPES.get(suffix)
    if mime is None or not file.is_file():
        raise BadValue(
            f"{plan_path}: meta.logo: {plan.meta.logo} not found beside the plan; "
            "put the file back, or set another with roadmap meta PLAN --logo FILE"
        )
    data = file.read_bytes()
    if len(data) > LOGO_MAX_BYTES or not _looks_like(data, mime):
        raise BadValue(f"{plan_path}: meta.logo: {plan.meta.logo} is not a PNG, JPEG or SVG image of at most 1 MB")
    return Logo(f"logo{'.jpg' if suffix == '.jpeg' else suffix}", mime, data)


# ---------------------------------------------------------------------------------------
# Computing Changes


@dataclass
class Identity:
    """What `meta` (and `init`) is asked to set; None leaves a field as it is."""

    title: str | None = None
    subtitle: str | None = None
    version: str | None = None
    contact: str | None = None
    website: str | None = None
    logo: Path | None = None
    authors: list[str] | None = None
    clear_authors: bool = False
    remove_authors: list[str] | None = None
    horizon: int | None = None

    def empty(self) -> bool:
        return not (
            any(v is not None for v in (self.title, self.subtitle, self.version, self.contact, self.website, self.logo, self.horizon))
            or self.authors
            or self.remove_authors
            or self.clear_authors
        )


def changes_for(doc: Document, wish: Identity, *, plan_path: Path, label: str) -> list[Change]:
    """The Changes that give the plan in `doc` the identity asked for."""
    meta = doc.data.get("meta") or {}
    out: list[Change] = []

    def put(path: tuple[str, ...], new: Any) -> None:
        node: Any = meta
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node != new:
            out.append(Change(("meta", *path), node, new))

    if wish.title is not None:
        put(("title",), check_text(wish.title, "title", label))
    if wish.subtitle is not None:
        put(("subtitle",), wish.subtitle.strip() or None)
    if wish.version is not None:
        put(("version",), check_version(wish.version, label))
    if wish.contact is not None or wish.website is not None:
        old = meta.get("contact") if isinstance(meta.get("contact"), dict) else None
        new = dict(old or {})
        for key, value, check in (("email", wish.contact, check_email), ("website", wish.website, check_url)):
            if value is not None:
                if value.strip():
                    new[key] = check(value, label)
                else:
                    new.pop(key, None)
        if old is None or not new:  # the whole mapping comes or goes
            put(("contact",), new or None)
        else:
            for key in ("email", "website"):
                put(("contact", key), new.get(key))
    if wish.logo is not None:
        given = str(wish.logo).strip() not in ("", ".")  # --logo "" removes it (Path("") is ".")
        put(("logo",), check_logo(wish.logo, plan_path, label) if given else None)
    if wish.authors or wish.clear_authors or wish.remove_authors:
        put(("authors",), _authors(meta.get("authors") or [], wish, label) or None)
    if wish.horizon is not None:
        out += horizon_changes(doc.plan, wish.horizon, label)
    return out


def _authors(current: list[dict[str, Any]], wish: Identity, label: str) -> list[dict[str, Any]]:
    """--author adds (or updates the person of that name); --clear-authors empties the group first."""
    people = [] if wish.clear_authors else [dict(p) for p in current]
    for name in wish.remove_authors or []:
        kept = [p for p in people if p.get("name", "").lower() != name.strip().lower()]
        if len(kept) == len(people):
            names = ", ".join(p.get("name", "") for p in people) or "(nobody yet)"
            raise BadValue(f'{_where(label, "authors")}: no "{name}" in the working group; it has: {names}')
        people = kept
    for text in wish.authors or []:
        person = parse_author(text, label)
        same = next((i for i, p in enumerate(people) if p.get("name", "").lower() == person["name"].lower()), None)
        if same is None:
            people.append(person)
        else:
            people[same] = {**people[same], **person}
    return people


def horizon_changes(plan: Roadmap, horizon: int, label: str) -> list[Change]:
    """A longer or shorter plan; refused while tasks would fall after its last year."""
    if not 1 <= horizon <= 50:
        raise BadValue(f"{_where(label, 'horizon')}: --horizon {horizon} must be 1 to 50 years")
    if horizon == plan.meta.horizon:
        return []
    late = [t for t in plan.tasks if t.year_end > horizon]
    if late:
        last = plan.calendar_year(horizon)
        ids = ", ".join(t.id for t in late[:8]) + (f" and {len(late) - 8} more" if len(late) > 8 else "")
        raise EditRefused(
            f"{_where(label, 'horizon')}: a plan of {horizon} years ends in {last}, but {ids} "
            f"run{'s' if len(late) == 1 else ''} later; move them first (roadmap shift PLAN TASK --by -1)"
        )
    return [Change(("meta", "horizon"), plan.meta.horizon, horizon)]


def meta(path: Path, wish: Identity, *, dry_run: bool = False, today: dt.date | None = None) -> Edit:
    """`roadmap meta`: edit the plan's identity; one recorded Change per field."""
    if wish.empty():
        raise BadValue(
            "say what to set: --title, --subtitle, --version, --contact, --website, --logo, --author, --horizon"
        )
    label = store.label_for(path)
    notes = []
    if wish.logo is not None and str(wish.logo).lower().endswith(".svg"):
        notes.append("an SVG logo shows on the site and in the HTML and Markdown Green Paper; Word documents need a PNG or JPEG logo")

    def compute(doc: Document) -> Edit:
        return Edit(changes_for(doc, wish, plan_path=path, label=label), notes=notes)

    return store.edit(path, compute, command="meta", dry_run=dry_run, today=today)


# ---------------------------------------------------------------------------------------
# A new plan's identity (init)


def credit(model: Roadmap) -> dict[str, Any]:
    """meta.adapted_from for a plan made from `model`: its title, edition and working group."""
    m = model.meta
    out: dict[str, Any] = {"title": m.title}
    if m.subtitle:
        out["subtitle"] = m.subtitle
    out["version"] = m.version
    year = m.published.year if m.published else _year_of(m.version)
    if year is not None:
        out["year"] = year
    if m.authors:
        out["authors"] = [p.model_dump(exclude_none=True) for p in m.authors]
    if m.acknowledgements:
        out["acknowledgements"] = list(m.acknowledgements)
    return out


def _year_of(version: str) -> int | None:
    match = re.match(r"^(19|20|21)\d\d\b", version)
    return int(match.group(0)) if match else None


def header(text: str, lines: list[str]) -> str:
    """The plan's text with the model's leading comment block replaced by the plan's own.

    The `yaml-language-server` line (editors read it) stays first. This is the one text
    edit init makes besides the store's splices: comments are not data, so no Change can
    carry them.
    """
    rows = text.split("\n")
    keep: list[str] = []
    n = 0
    while n < len(rows) and rows[n].startswith("#"):
        if rows[n].startswith("# yaml-language-server:"):
            keep.append(rows[n])
        n += 1
    rest = rows[n:]
    # The model's notes on the fields init replaces (its working group) are not the plan's.
    for key in ("  authors:", "  acknowledgements:", "  contact:"):
        at = next((i for i, row in enumerate(rest) if row.startswith(key)), None)
        while at and rest[at - 1].startswith("  #"):
            del rest[at - 1]
            at -= 1
    return "\n".join([*keep, *(f"# {line}" if line else "#" for line in lines), *rest])
