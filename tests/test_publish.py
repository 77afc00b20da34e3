"""`roadmap publish`: a complete offline site, byte-identical for the same input, and careful
about the folder it writes into."""

from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path

import pytest

from render_helpers import CYRILLIC, hostile_plan
from roadmap.errors import FileExists
from roadmap.publish import MARKER, publish
from site_helpers import broken_links

ROOT = Path(__file__).resolve().parent.parent

EXPECTED = {
    "index.html", "green-paper.html", "green-paper.md", "green-paper.docx", "green-paper.pdf",
    "action-plan.html", "action-plan.md", "action-plan.csv", "action-plan.xlsx", "action-plan.docx", "action-plan.pdf",
    "flowchart.svg", "flowchart.png", "flowchart.pdf", "flowchart.dot", "flowchart.mmd",
    "timeline.html", "timeline.svg", "timeline.png", "timeline.pdf", "timeline.mmd",
    "kg.yaml", "roadmap.schema.json", "changes.html", "proposals.html", "proposal-template.txt",
}


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_site_has_every_document_and_no_broken_link(kg_plan: Path, tmp_path: Path) -> None:
    import datetime as dt

    site = tmp_path / "site"
    written = publish(kg_plan, site, as_of=dt.date(2025, 12, 31))
    names = {p.name for p in written}
    assert EXPECTED <= names
    assert (site / MARKER).is_file()
    assert broken_links(site) == []
    assert (site / "kg.yaml").read_bytes() == kg_plan.read_bytes()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<img src="flowchart.svg"' in index
    assert "2 of 30 tasks done (7%), 1 in progress, 27 not started." in index
    changes = (site / "changes.html").read_text(encoding="utf-8")
    assert "Plan created from central-asia-model 2021.2 for Kyrgyzstan" in changes
    assert "Task CUL-4 marked not needed on 23 November 2026: Covered by the national festival" in changes
    assert (site / "ru" / "index.html").is_file()  # init gave the plan its Russian title: a second language
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'(?:src|href)="(?:https?:)?//', html), page.name  # nothing from the network
        # no scripts, no style sheets or fonts from anywhere: only the icon and the page in other languages
        assert "<script" not in html
        assert not re.search(r'<link (?!rel="icon" href="data:,">|rel="alternate" hreflang="\w+" href="(?:\.\./)?(?:\w+/)?[\w-]+\.html">)', html)


def test_proposals_page_has_a_mailto_with_the_topic_road_map(kg_plan: Path, tmp_path: Path) -> None:
    from roadmap.identity import Identity, meta

    meta(kg_plan, Identity(contact="roadmap@culture.kg"))
    site = tmp_path / "site"
    publish(kg_plan, site)
    html = (site / "proposals.html").read_text(encoding="utf-8")
    href = re.search(r'<a class="mail" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    address, _, query = href.partition("?")
    assert address == "mailto:roadmap@culture.kg"  # the plan's own contact, never the model's
    fields = urllib.parse.parse_qs(query)
    assert fields["subject"] == ["Road Map"]
    assert fields["body"][0].startswith("Topic: Road Map\nRoad map: Road map for the development of the creative economy: Kyrgyzstan")
    template = (site / "proposal-template.txt").read_text(encoding="utf-8")
    assert "Which task, direction or chapter is it about?" in template
    assert "Which task, direction or chapter is it about?" in html


def test_publishing_twice_gives_identical_bytes(tmp_path: Path) -> None:
    import datetime as dt

    plan = hostile_plan(tmp_path / "kg.yaml")
    first, second = tmp_path / "one", tmp_path / "two"
    publish(plan, first, as_of=dt.date(2025, 12, 31))
    publish(plan, second, as_of=dt.date(2025, 12, 31))
    a, b = files(first), files(second)
    assert a.keys() == b.keys()
    different = [name for name in a if a[name] != b[name]]
    assert different == []
    assert CYRILLIC in a["green-paper.html"].decode("utf-8")
    assert CYRILLIC in a["action-plan.csv"].decode("utf-8")


def test_refuses_a_non_empty_folder_it_did_not_make(kg_plan: Path, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"someone's work")
    with pytest.raises(FileExists, match="not empty and was not made by roadmap publish"):
        publish(kg_plan, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.docx"]  # nothing written
    publish(kg_plan, folder, force=True)
    assert (folder / "index.html").is_file() and (folder / "thesis.docx").read_bytes() == b"someone's work"


def test_publishing_again_into_its_own_folder_is_allowed(kg_plan: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    publish(kg_plan, site)
    publish(kg_plan, site)
    assert (site / "index.html").is_file()


def test_cli_shows_progress_on_stderr_and_nothing_on_stdout(cli, kg_plan: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("publish", kg_plan, "-o", tmp_path / "site", "--as-of", "2025-12-31")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "[1/" in result.stderr and "index.html" in result.stderr
    assert "published" in result.stderr


def test_cli_refusal_is_one_clear_line(cli, kg_plan: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "full"
    folder.mkdir()
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    result = cli("publish", kg_plan, "-o", folder)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{folder} is not empty and was not made by roadmap publish; choose an empty or new folder, "
        "or use --force to write into it anyway"
    )


def test_without_system_graphviz_publish_writes_every_png_and_pdf(kg_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with only Python: no `dot` (nor any program) on PATH; WebAssembly Graphviz
    draws the SVG and typst sets PNG and PDF."""
    import datetime as dt

    from roadmap.render import graphviz_engine

    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("ROADMAP_NO_SYSTEM_DOT", "1")
    monkeypatch.setattr(graphviz_engine, "_BACKEND", None)
    assert graphviz_engine.system_dot() is None
    site = tmp_path / "site"
    written = {p.name for p in publish(kg_plan, site, as_of=dt.date(2025, 12, 31))}
    assert EXPECTED <= written
    for name in ("flowchart.png", "timeline.png"):
        assert (site / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), name
    for name in ("flowchart.pdf", "timeline.pdf", "green-paper.pdf", "action-plan.pdf"):
        assert (site / name).read_bytes().startswith(b"%PDF-"), name
    index = (site / "index.html").read_text(encoding="utf-8")
    for name in ("green-paper.pdf", "action-plan.pdf", "flowchart.png", "flowchart.pdf", "timeline.png", "timeline.pdf"):
        assert f'href="{name}"' in index, name
    import docx

    words = "\n".join(p.text for p in docx.Document(str(site / "green-paper.docx")).paragraphs)
    assert "Graphviz" not in words
    assert len(docx.Document(str(site / "green-paper.docx")).inline_shapes) >= 1  # the flowchart's page(s)


def test_workers_write_the_same_site_and_report_every_file(tmp_path: Path) -> None:
    """`roadmap publish` (a fresh process, so it forks workers) writes the bytes one process
    writes, and every progress line comes back through the parent."""
    import datetime as dt
    import subprocess
    import sys

    plan = hostile_plan(tmp_path / "kg.yaml")
    heard: list[str] = []
    publish(plan, tmp_path / "one", as_of=dt.date(2025, 12, 31), jobs=1, progress=heard.append)
    run = subprocess.run(
        [sys.executable, "-c", "from cli import main; main()", "publish", str(plan), "-o", str(tmp_path / "many"), "--as-of", "2025-12-31"],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stderr
    a, b = files(tmp_path / "one"), files(tmp_path / "many")
    assert a.keys() == b.keys() and len(a) > 40
    assert [name for name in a if a[name] != b[name]] == []
    lines = [line for line in run.stderr.splitlines() if line.startswith("[")]
    assert sorted(lines) == sorted(heard) and len(lines) == len(a) - 1  # every file but the folder's marker


def test_a_workers_error_is_the_error_the_user_sees(tmp_path: Path) -> None:
    """An error raised in a worker process reaches the caller as itself (here: BadValue)."""
    import subprocess
    import sys

    plan = hostile_plan(tmp_path / "kg.yaml")
    code = (
        "import sys\n"
        "from roadmap.errors import BadValue\n"
        "from roadmap.render import timeline\n"
        "from roadmap.publish import publish, _workers\n"
        "assert _workers(4, None) > 1, 'not forking here'\n"
        "def broken(*a, **k):\n"
        "    raise BadValue('the timeline cannot be drawn')\n"
        "timeline.render = broken\n"
        "try:\n"
        "    publish(__import__('pathlib').Path(sys.argv[1]), __import__('pathlib').Path(sys.argv[2]))\n"
        "except BadValue as exc:\n"
        "    print('caught:', exc)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(plan), str(tmp_path / "site")],
        capture_output=True, text=True, timeout=300, check=False, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if "not forking here" in run.stderr:
        pytest.skip("this machine gives the test one CPU: publish does not fork")
    assert run.stdout.strip() == "caught: the timeline cannot be drawn", run.stderr
