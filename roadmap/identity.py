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
    size: tuple[float, float] = (1.0, 1.0)  # width, height (pixels, or points for SVG): its shape

    @property
    def aspect(self) -> float:
        """Width over height, kept within 1:4 and 6:1 (a thin line of a logo is drawn no thinner)."""
        return min(6.0, max(0.25, self.size[0] / self.size[1]))

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
    problem = _problem(file.read_bytes(), kind)
    if problem is not None:
        raise BadValue(f"{where}: {file} {problem}")
    relative = os.path.relpath(file.resolve(), plan_path.resolve().parent)
    return Path(relative).as_posix()


LOGO_MAX_PIXELS = 8000  # a side longer than this is a decompression bomb, not a logo
_SVG_UNITS = {"": 0.75, "px": 0.75, "pt": 1.0, "pc": 12.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0}
# What a logo never needs and a hostile file uses: scripts, event handlers, embedded HTML,
# and references to anything outside the file (fetched when the drawing is opened or set).
_SVG_ACTIVE = re.compile(
    rb"<script|<foreignobject|<iframe|<embed|<object|\son[a-z]+\s*=|javascript:|@import|<!entity|<\?xml-stylesheet",
    re.IGNORECASE,
)
_SVG_REFERENCE = re.compile(rb"""(?:href\s*=\s*["']\s*|url\(\s*["']?\s*)([^"')\s]*)""", re.IGNORECASE)


def _problem(data: bytes, mime: str) -> str | None:
    """Why `data` cannot be the plan's logo, or None: the one check for setting a logo and for
    drawing it (title pages, the site and the flowchart all embed what passes it)."""
    if mime == "image/svg+xml":
        if b"<svg" not in data[:4096]:
            return "does not hold an SVG image"
        if _SVG_ACTIVE.search(data):
            return "holds scripts or embedded content; save the logo as a plain SVG (shapes and text only) or as PNG"
        for target in _SVG_REFERENCE.findall(data):
            if target and not target.startswith((b"#", b"data:image/png", b"data:image/jpeg")):
                return "refers to files or addresses outside itself; embed them, or save the logo as PNG"
        return None
    size = image_size(data, mime)
    if size is None:
        return f"does not hold a {mime.split('/')[1].upper()} image"
    if max(size) > LOGO_MAX_PIXELS:
        return f"is {size[0]:.0f} x {size[1]:.0f} pixels; a logo may be at most {LOGO_MAX_PIXELS} pixels a side (save it smaller)"
    return None


def image_size(data: bytes, mime: str) -> tuple[float, float] | None:
    """Width and height (pixels; points for SVG), or None when the bytes are not that image."""
    import struct

    if mime == "image/png":
        if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", data[16:24])
        return (float(width), float(height)) if width and height else None
    if mime == "image/jpeg":
        if not data.startswith(b"\xff\xd8\xff"):
            return None
        at = 2
        while at + 9 < len(data):
            if data[at] != 0xFF:
                return None
            marker = data[at + 1]
            length = struct.unpack(">H", data[at + 2 : at + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start-of-frame: the size
                height, width = struct.unpack(">HH", data[at + 5 : at + 9])
                return (float(width), float(height)) if width and height else None
            at += 2 + length
        return None
    head = re.search(rb"<svg\b[^>]*>", data[:8192], re.IGNORECASE | re.DOTALL)
    if head is None:
        return None
    root = head.group(0).decode("utf-8", "replace")

    def length(name: str) -> float | None:
        found = re.search(rf'\s{name}\s*=\s*["\']\s*([\d.]+)\s*([a-z]*)\s*["\']', root)
        if not found or found.group(2) not in _SVG_UNITS:
            return None
        try:
            value = float(found.group(1)) * _SVG_UNITS[found.group(2)]
        except ValueError:
            return None
        return value or None

    width, height = length("width"), length("height")
    box = re.search(r'\sviewBox\s*=\s*["\']\s*([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([\d.eE]+)[\s,]+([\d.eE]+)', root)
    if (width is None or height is None) and box:
        try:
            bw, bh = float(box.group(3)), float(box.group(4))
        except ValueError:
            bw = bh = 0.0
        if bw > 0 and bh > 0:
            if width is None and height is None:
                width, height = bw, bh
            elif width is None:
                width = height * bw / bh  # type: ignore[operator]
            else:
                height = width * bh / bw
    if width is None or height is None:
        return (100.0, 100.0)  # an SVG that states no size: drawn square
    return (width, height)


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
    if len(data) > LOGO_MAX_BYTES:
        raise BadValue(f"{plan_path}: meta.logo: {plan.meta.logo} is not a PNG, JPEG or SVG image of at most 1 MB")
    problem = _problem(data, mime)
    if problem is not None:
        raise BadValue(f"{plan_path}: meta.logo: {plan.meta.logo} {problem}; set another with roadmap meta PLAN --logo FILE")
    return Logo(f"logo{'.jpg' if suffix == '.jpeg' else suffix}", mime, data, image_size(data, mime) or (1.0, 1.0))


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

    def compute(doc: Document) -> Edit:
        return Edit(changes_for(doc, wish, plan_path=path, label=label))

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
