"""The revised Green Paper: headings, the country's tasks, appendices and the changes annex."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from render_helpers import CYRILLIC, SCRIPT, TODAY, hostile_plan, plan_of
from roadmap.render import documents
from roadmap.render.commands import model_of
from roadmap.resources import model_path

AS_OF = dt.date(2025, 12, 31)


def green_paper(plan_path: Path, fmt: str) -> bytes:
    plan = plan_of(plan_path)
    return documents.render(plan, fmt, as_of=AS_OF, model=model_of(plan))


@pytest.fixture
def kg_html(kg_plan: Path) -> str:
    return green_paper(kg_plan, "html").decode("utf-8")


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, re.S)]


def test_html_headings_follow_the_plan_chapters_and_appendices(kg_html: str) -> None:
    found = headings(kg_html)
    assert found[0] == "Road map for the development of the creative economy: Kyrgyzstan"
    for heading in (
        "1.2. What result will be the success for the creative economy of Central Asia by 2026?",
        "Where Kyrgyzstan stands",
        "2.4. Strategic directions for the development of the creative economy",
        "6. Finance",
        "What Kyrgyzstan plans",
        "What Kyrgyzstan has already done",
        "Stage 1. Environment analysis and data collection",
        "Appendix 1. Block Diagram of the Roadmap for the Development of Creative Economy in Central Asia",  # the appendices' full titles, from the model's sections
        "Appendix 2. Recommended action plan for the development of the cultural and creative sector in Central Asia",
        "Changes from the model",
    ):
        assert heading in found, heading
    assert found.index("2.4. Strategic directions for the development of the creative economy") < found.index("1. Definition")
    appendix1 = next(i for i, h in enumerate(found) if h.startswith("Appendix 1. Block Diagram"))
    appendix2 = next(i for i, h in enumerate(found) if h.startswith("Appendix 2. Recommended action plan"))
    assert appendix1 < appendix2 < found.index("Changes from the model")


def test_directions_list_what_the_country_plans_and_has_done(kg_html: str) -> None:
    finance = kg_html[kg_html.index('<section id="d-FIN"') : kg_html.index('<section id="d-TAX"')]
    assert "<strong>FIN-1</strong> Identify CEntr needs and funding availability issues. (2024) — <span class=\"owner\">A. Usenova (Ministry of Economy)</span>" in finance
    assert "<strong>KG-FIN-1</strong> Crowdfunding guide for CEntr (2025–2026)" in finance
    definition = kg_html[kg_html.index('<section id="d-DEF"') : kg_html.index('<section id="d-CUL"')]
    done = definition[definition.index("What Kyrgyzstan has already done") :]
    assert "<strong>DEF-1</strong> Define key terms (CE, CEntr, CI). (30 June 2024)" in done
    culture = kg_html[kg_html.index('<section id="d-CUL"') : kg_html.index('<section id="d-DAT"')]
    assert "CUL-4" in culture[culture.index("<h4>Not needed</h4>") :]
    assert "Covered by the national festival" in culture


def test_vision_shows_goals_rule_and_progress(kg_html: str) -> None:
    vision = kg_html[kg_html.index('<section id="s-vision"') : kg_html.index('<section id="s-roadmap"')]
    assert vision.count('<li id="goal-') == 6
    assert "We will consider it a great success to achieve any 4 of these six goals in at least 3 out of 5 Central Asian countries by the end of 2026." in vision
    # a task that is not needed leaves the denominator (31 tasks, 30 counted)
    assert "Progress of the action plan: 2 of 30 tasks done (7%), 1 in progress, 27 not started, 1 not needed." in vision


def test_annex_lists_the_changes_from_the_model_as_sentences(kg_html: str) -> None:
    annex = kg_html[kg_html.index('<section id="changes"') :]
    for sentence in (
        "The plan now starts in 2024 (was 2022)",
        "Task DEF-1 marked done on 30 June 2024",
        "Task DAT-2 moved from 2025 to 2026",
        "Task FIN-1 assigned to A. Usenova (Ministry of Economy)",
        "Finance: new task KG-FIN-1 “Crowdfunding guide for CEntr” (2025–2026)",
    ):
        assert f"<li>{sentence}</li>" in annex, sentence
    assert "box.order" not in annex


def test_html_embeds_the_flowchart_and_works_offline(kg_html: str) -> None:
    appendix = kg_html[kg_html.index('<section id="appendix-1"') : kg_html.index('<section id="appendix-2"')]
    assert "<svg" in appendix and "<?xml" not in appendix
    assert "Crowdfunding guide for CEntr" in appendix
    assert not re.search(r'(src|href)="(https?:)?//', kg_html.split("<main>")[0])
    assert "<script" not in kg_html and "@import" not in kg_html
    assert re.findall(r"<link [^>]*>", kg_html) == ['<link rel="icon" href="data:,">']  # no stylesheet from outside
    assert "@media print" in kg_html


def test_plan_text_is_escaped_and_markdown_has_raw_html_off(tmp_path: Path) -> None:
    from roadmap import adapt

    plan_path = hostile_plan(tmp_path / "kg.yaml")
    text = plan_path.read_text(encoding="utf-8").replace(
        "we were guided by a Vision (dream)", "we were guided by a <script>alert(2)</script> Vision (dream)"
    )
    plan_path.write_text(text, encoding="utf-8")
    html = green_paper(plan_path, "html").decode()
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert CYRILLIC in html
    md = green_paper(plan_path, "md").decode()
    assert "<script" not in md and CYRILLIC in md
    assert adapt  # the plan was built with the library's own commands


def test_markdown_green_paper_has_mermaid_flowchart_and_tables(kg_plan: Path) -> None:
    md = green_paper(kg_plan, "md").decode()
    assert md.startswith("*Green Paper*\n\n# Road map for the development of the creative economy: Kyrgyzstan")
    assert "\n## Appendix 1. Block Diagram of the Roadmap for the Development of Creative Economy in Central Asia\n\n```mermaid\nflowchart TB\n" in md
    assert "| KG-FIN-1 (NEW) | Crowdfunding guide for CEntr | 2025–2026 |" in md
    assert "- Task DAT-2 moved from 2025 to 2026\n" in md
    assert "\n### 1.2. What result will be the success" in md


def test_docx_green_paper(kg_plan: Path, tmp_path: Path) -> None:
    import docx

    path = tmp_path / "gp.docx"
    path.write_bytes(green_paper(kg_plan, "docx"))
    document = docx.Document(str(path))
    heads = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "1.2. What result will be the success for the creative economy of Central Asia by 2026?" in heads
    assert heads[-3:] == [
        "Appendix 1. Block Diagram of the Roadmap for the Development of Creative Economy in Central Asia",
        "Appendix 2. Recommended action plan for the development of the cultural and creative sector in Central Asia",
        "Changes from the model",
    ]
    assert document.paragraphs[1].text.startswith("Road map for the development of the creative economy")
    table = document.tables[0]
    assert table.rows[0].cells[0].text == "No." and table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    ids = [row.cells[0].text for row in table.rows]
    assert "KG-FIN-1 (NEW)" in ids
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Task DAT-2 moved from 2025 to 2026" in bullets
    assert len(document.inline_shapes) == 2  # the flowchart over two A3 pages at 7 pt: typst sets them from the SVG, no system program
    assert "Graphviz" not in "\n".join(p.text for p in document.paragraphs)
    assert document.core_properties.created.year == 2024  # pinned, not the clock


def test_the_model_itself_has_no_tracking(tmp_path: Path) -> None:
    plan = plan_of(model_path())
    html = documents.render(plan, "html", as_of=TODAY, model=model_of(plan)).decode()
    assert "What Central Asia plans" not in html and "Statuses as of" not in html
    assert "<h4>Tasks</h4>" in html
    assert "No changes from the model." in html
    assert SCRIPT not in html


def test_word_runs_added_in_one_go_are_the_xml_python_docx_writes():
    """office._plain_text_in_one_go adds text without tabs or line breaks as one <w:t>;
    python-docx's own per-character path gives the same XML for every kind of text."""
    import docx
    from docx.oxml.text.run import _RunContentAppender

    from roadmap.render import office

    texts = ["plain", " leading and trailing ", "tab\there", "two\nlines", "cr\rhere", "", "Кириллица <&>", "a\t\nb"]

    def xml_of() -> list[bytes]:
        from lxml import etree

        paragraph = docx.Document().add_paragraph()
        for text in texts:
            paragraph.add_run(text)
        return [etree.tostring(r) for r in paragraph._p.r_lst]

    office._plain_text_in_one_go()
    fast = xml_of()
    patched = _RunContentAppender.add_text
    try:
        _RunContentAppender.add_text = _RunContentAppender._roadmap_per_character
        slow = xml_of()
    finally:
        _RunContentAppender.add_text = patched
    assert fast == slow


def test_templates_read_from_the_compiled_cache_render_the_same(tmp_path, monkeypatch):
    """Compiled templates kept between runs give the same documents as compiling them."""
    import datetime as dt

    from roadmap.render import documents, templating
    from roadmap.resources import model_path
    from roadmap.store import load

    plan = load(model_path()).plan
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("ROADMAP_NO_CACHE", raising=False)

    def render() -> list[bytes]:
        templating.environment.cache_clear()
        templating.typst_environment.cache_clear()
        when = dt.date(2026, 12, 1)
        return [documents.render(plan, fmt, as_of=when) for fmt in ("html", "md")]

    try:
        compiled = render()  # compiles and stores
        assert list((tmp_path / "roadmap").glob("templates-html-*/*")), "the compiled templates were stored"
        assert render() == compiled  # read from the cache
        monkeypatch.setenv("ROADMAP_NO_CACHE", "1")
        assert templating._bytecode_cache("html") is None
        assert render() == compiled
    finally:
        templating.environment.cache_clear()
        templating.typst_environment.cache_clear()
