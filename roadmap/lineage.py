"""Which model a plan came from: found by the content hash in `meta.based_on`.

A plan records the id, version and sha256 of the model text it was derived from. The
published versions ship in `data/models/` (and the current one in `data/`), so `diff
--model` and `upgrade` can find the exact text again; a file given by hand must have the
recorded hash, or the three-way merge would start from the wrong base.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from . import store
from .errors import HashMismatch, ModelNotFound
from .store import Document


# The meta fields that say which document a plan is, not what it plans: `init` sets them,
# so a diff against the model and the change log leave them out.
IDENTITY_FIELDS = frozenset(
    {
        "id", "kind", "title", "subtitle", "scope", "country", "version", "based_on", "adapted_from", "published",
        "as_of", "authors", "acknowledgements", "contact", "logo",
    }
)


def content_hash(text: str) -> str:
    """The identity a plan records for its model: sha256 of the model's text."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def packaged_models() -> list[Path]:
    """Model files shipped with the toolkit: the current one first, then the archive."""
    from .resources import data_dir, model_path

    found = [model_path()]
    archive = data_dir() / "models"
    if archive.is_dir():
        found += sorted(p for p in archive.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    return [p for p in found if p.is_file()]


def task_ids(digest: str) -> set[str] | None:
    """The task ids of the packaged model with `digest`, or None when it is not packaged.

    Cheap enough for `validate`: files are hashed as text and only the match is parsed
    (no schema validation: a packaged model is known to be valid).
    """
    from . import yamltext

    for path in packaged_models():
        try:
            _, text = store.TextForm.of(store.read_text(path))
        except Exception:  # noqa: BLE001 - an unreadable archive file is no one's base
            continue
        if content_hash(text) == digest:
            data = yamltext.parse(text)
            return {str(t.get("id")) for t in data.get("tasks") or [] if isinstance(t, dict)}
    return None


def find_by_hash(digest: str) -> Path | None:
    """The packaged model whose text (as `init` hashed it: the loaded document's) has `digest`."""
    from .errors import PlanInvalid

    for path in packaged_models():
        try:
            if content_hash(store.load(path).text) == digest:
                return path
        except PlanInvalid:
            continue  # a broken archive file is no one's base
    return None


def _how(doc: Document) -> str:
    name = doc.path.name
    return f"roadmap diff {name} MODEL.yaml --model (for diff), or --base MODEL.yaml (for upgrade)"


def _recorded(doc: Document) -> str:
    b = doc.plan.meta.based_on
    return f"{b.id} version {b.version}" if b else ""


def base_model(doc: Document, given: Path | None = None, *, check_hash: bool = True, option: str = "--base") -> Document:
    """The model `doc` was derived from: `given`, or the packaged file with the recorded hash.

    With `check_hash`, a given file must be exactly the recorded version (upgrade needs the
    true base); without it, any model file is accepted (a diff against another version).
    """
    based_on = doc.plan.meta.based_on
    if given is not None:
        model = store.load(given)
        if check_hash and based_on is not None and content_hash(model.text) != based_on.hash:
            raise HashMismatch(
                f"{model.label} is not the model {doc.label} was derived from: the plan records "
                f"{_recorded(doc)} ({based_on.hash}), this file is {model.plan.meta.id} version "
                f"{model.plan.meta.version} ({content_hash(model.text)}). "
                f"Give the exact model file the plan was created from, or leave out {option}."
            )
        return model
    if based_on is None:
        raise ModelNotFound(
            f"{doc.label} does not record the model it was derived from (meta.based_on); "
            f"give the model file: {_how(doc)}"
        )
    path = find_by_hash(based_on.hash)
    if path is None:
        raise ModelNotFound(
            f"{doc.label} was derived from {_recorded(doc)} ({based_on.hash}), which is not among "
            f"the packaged models; give that model file: {_how(doc)}"
        )
    return store.load(path)
