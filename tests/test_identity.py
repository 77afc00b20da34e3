"""Issue 10, the country's identity: a plan made with init and meta is the country's own,
in every output, and credits the model it was adapted from."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from html import unescape
from pathlib import Path

import pytest

from roadmap.store import load

TITLE = "Road map for the creative economy of the Kyrgyz Republic"
MODEL_TITLE = "Model of a Creative Economy Development Road Map in Central Asian Countries"
CREDIT = f"Adapted from \u201c{MODEL_TITLE}\u201d (2021, version 2021.2) by the regional working group."


def png() -> bytes:
    """A 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


@pytest.fixture
def kg(cli, tmp_path: Path) -> Path:
    (tmp_path / "logo.png").write_bytes(png())
    plan = tmp_path / "kg.yaml"
    result = cli(
        "init", "--country", "KG", "--start-year", "2024", "-o", plan, "--title", TITLE,
        "--author", "Aigul Usenova|Ministry of Culture|Chair", "--author", "Bakyt Osmonov",
        "--contact", "roadmap@culture.example.kg", "--website", "https://culture.example.kg",
        "--version", "1.0", "--logo", tmp_path / "logo.png",
    )
    assert result.exit_code == 0, result.output
    return plan


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_init_makes_the_plan_the_countrys_own(kg: Path) -> None:
    meta = load(kg).plan.meta
    assert meta.title == TITLE and meta.version == "1.0"
    assert [(p.name, p.organisation, p.role) for p in meta.authors] == [
        ("Aigul Usenova", "Ministry of Culture", "Chair"),
        ("Bakyt Osmonov", None, None),
    ]
    assert meta.contact.email == "roadmap@culture.example.kg" and meta.contact.website == "https://culture.example.kg"
    assert meta.logo == "logo.png"  # a path beside the plan, never the image
    assert meta.acknowledgements == []
    credit = meta.adapted_from
    assert (credit.title, credit.version, credit.year) == (MODEL_TITLE, "2021.2", 2021)
    assert credit.authors[0].name == "Galina Koretskaya" and len(credit.authors) == 9
    head = kg.read_text(encoding="utf-8").split("schema_version:")[0]
    assert "Plan years 1..5 are 2024..2028" in head and "2022..2026" not in head
    assert head.startswith("# yaml-language-server: $schema=roadmap.schema.json\n# " + TITLE + "\n")
    assert "et al." not in kg.read_text(encoding="utf-8")  # the model's note on its own group is gone


def test_init_without_a_title_or_group_uses_the_catalogue_title_and_no_model_people(cli, tmp_path: Path) -> None:
    plan = tmp_path / "tj.yaml"
    result = cli("init", "--country", "TJ", "-o", plan)
    assert result.exit_code == 0
    year = dt.date.today().year
    assert f"plan years 1..5 are {year}..{year + 4}; use --start-year to choose" in result.stderr
    meta = load(plan).plan.meta
    assert meta.start_year == year
    assert meta.title == "Road map for the development of the creative economy: Tajikistan"
    assert meta.authors == [] and meta.contact is None
    assert "creative.can2021" not in plan.read_text(encoding="utf-8").split("\nvision:")[0]  # meta: none of the model's people


def test_green_paper_markdown_and_html_carry_the_identity(cli, kg: Path, tmp_path: Path) -> None:
    assert cli("render", "green-paper", kg, "-o", tmp_path / "gp.md").exit_code == 0
    md = (tmp_path / "gp.md").read_text(encoding="utf-8")
    assert md.startswith("![Logo](logo.png)\n\n*Green Paper*\n\n# " + TITLE + "\n\nVersion 1.0 \u00b7 ")
    assert "- Aigul Usenova, Chair, Ministry of Culture\n- Bakyt Osmonov\n\nContact: roadmap@culture.example.kg" in md
    assert f"*{CREDIT} The model's working group: Galina Koretskaya (Kazakhstan)," in md
    assert md.endswith(f"---\n\n{TITLE} \u00b7 version 1.0\n")
    assert "2024\u20132025" in md or "(2024)" in md  # calendar years of the plan's own start

    assert cli("render", "green-paper", kg, "-o", tmp_path / "gp.html").exit_code == 0
    html = (tmp_path / "gp.html").read_text(encoding="utf-8")
    header = html.split("</header>")[0]
    assert '<img src="data:image/png;base64,' in header  # the logo, embedded: the page works alone
    assert f"<h1>{TITLE}</h1>" in header
    assert "Aigul Usenova, Chair, Ministry of Culture" in header
    assert '<a href="mailto:roadmap@culture.example.kg">' in header
    assert CREDIT in text(header)
    assert f'<footer class="colophon">{TITLE} \u00b7 version 1.0</footer>' in html


def test_green_paper_word_has_logo_title_page_credit_and_footer(cli, kg: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "gp.docx"
    assert cli("render", "green-paper", kg, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs[:12]]
    assert paragraphs[1:4] == ["Green Paper", TITLE, paragraphs[3]] and paragraphs[3].startswith("Version 1.0")
    assert "Contact: roadmap@culture.example.kg" in paragraphs
    assert any(p.startswith(CREDIT) for p in paragraphs)
    assert document.sections[0].footer.paragraphs[0].text == f"{TITLE} \u00b7 version 1.0"
    assert len(document.inline_shapes) >= 1  # the logo (and the flowchart where Graphviz draws it)


def test_site_index_and_proposals_are_the_countrys(cli, kg: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert cli("publish", kg, "-o", site, "--as-of", "2025-12-31").exit_code == 0
    assert (site / "logo.png").read_bytes() == png()
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<img src="logo.png" alt="Logo"' in index
    assert f"<h1>{TITLE}</h1>" in index and "Version 1.0" in index
    assert CREDIT in text(index)
    proposals = (site / "proposals.html").read_text(encoding="utf-8")
    assert 'href="mailto:roadmap@culture.example.kg?subject=Road%20Map' in proposals
    assert "creative.can2021" not in proposals and TITLE in proposals
    for page in ("action-plan.html", "timeline.html", "changes.html", "green-paper.html"):
        assert f"{TITLE} \u00b7 version 1.0" in (site / page).read_text(encoding="utf-8"), page
    assert (site / "green-paper.md").read_text(encoding="utf-8").startswith("![Logo](logo.png)")


def test_proposals_without_a_contact_say_so(cli, tmp_path: Path) -> None:
    plan = tmp_path / "kz.yaml"
    assert cli("init", "--country", "KZ", "--start-year", "2025", "-o", plan).exit_code == 0
    site = tmp_path / "site"
    assert cli("publish", plan, "-o", site, "--as-of", "2025-12-31").exit_code == 0
    proposals = (site / "proposals.html").read_text(encoding="utf-8")
    assert "The plan names no contact address yet" in proposals
    assert "mailto:" not in proposals


def test_flowchart_and_action_plan_titles(cli, kg: Path, tmp_path: Path) -> None:
    assert cli("render", "flowchart", kg, "-o", tmp_path / "f.svg").exit_code == 0
    svg = (tmp_path / "f.svg").read_text(encoding="utf-8")
    assert "Road map for the creative economy" in unescape(svg)
    assert MODEL_TITLE not in unescape(svg)
    assert cli("render", "action-plan", kg, "-o", tmp_path / "ap.md").exit_code == 0
    md = (tmp_path / "ap.md").read_text(encoding="utf-8")
    assert md.startswith(f"# {TITLE}\n") and md.endswith(f"{TITLE} \u00b7 version 1.0\n")
    assert cli("render", "action-plan", kg, "-o", tmp_path / "ap.html").exit_code == 0
    assert f"<h1>{TITLE}</h1>" in (tmp_path / "ap.html").read_text(encoding="utf-8")


def test_meta_edits_are_told_recorded_and_undone(cli, kg: Path) -> None:
    before = kg.read_text(encoding="utf-8")
    result = cli(
        "meta", kg, "--version", "2", "--title", "Kyrgyz road map", "--author", "Bakyt Osmonov|Association of Creative Entrepreneurs",
        "--author", "Jyldyz Asanova||Secretary", "--website", "",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"The plan's title is now \u201cKyrgyz road map\u201d (was \u201c{TITLE}\u201d)",
        "The plan's version is now \u201c2\u201d (was \u201c1.0\u201d)",
        "The plan no longer has a website (was \u201chttps://culture.example.kg\u201d)",
        "Working group: joined Jyldyz Asanova (Secretary), details of Bakyt Osmonov (Association of Creative Entrepreneurs) updated",
    ]
    plan = load(kg).plan
    assert plan.meta.version == "2" and plan.meta.contact.website is None
    assert [p.name for p in plan.meta.authors] == ["Aigul Usenova", "Bakyt Osmonov", "Jyldyz Asanova"]
    recorded = [h for h in plan.history if h.command == "meta"]
    assert [h.field for h in recorded] == ["meta.title", "meta.version", "meta.contact.website", "meta.authors"]
    assert len({h.step for h in recorded}) == 1
    assert cli("undo", kg).exit_code == 0
    undone = load(kg).plan
    assert (undone.meta.title, undone.meta.version, undone.meta.contact.website) == (TITLE, "1.0", "https://culture.example.kg")
    assert [p.name for p in undone.meta.authors] == ["Aigul Usenova", "Bakyt Osmonov"]
    assert kg.read_text(encoding="utf-8").split("history:")[0] == before.split("history:")[0]


def test_clear_and_remove_authors(cli, kg: Path) -> None:
    assert cli("meta", kg, "--remove-author", "bakyt osmonov").exit_code == 0
    assert [p.name for p in load(kg).plan.meta.authors] == ["Aigul Usenova"]
    result = cli("meta", kg, "--clear-authors", "--author", "Nurlan Beishenov|Ministry of Economy")
    assert result.stdout.strip() == "Working group: joined Nurlan Beishenov (Ministry of Economy), left Aigul Usenova (Ministry of Culture, Chair)"
    assert cli("meta", kg, "--remove-author", "Nobody").exit_code == 1


def test_horizon_extension_lets_later_tasks_in(cli, kg: Path) -> None:
    refused = cli("add", kg, "--direction", "FIN", "--stage", "4", "--title", "Creative bonds", "--years", "2030")
    assert refused.exit_code == 1 and "2030 is outside the plan (2024-2028)" in refused.stderr
    result = cli("meta", kg, "--horizon", "7")
    assert result.exit_code == 0 and result.stdout.strip() == "The plan now runs 2024-2030 (was 2024-2028)"
    added = cli("add", kg, "--direction", "FIN", "--stage", "4", "--title", "Creative bonds", "--years", "2030")
    assert added.exit_code == 0 and added.stdout.strip() == "KG-FIN-1"
    assert load(kg).plan.task("KG-FIN-1").year_start == 7
    shorter = cli("shift", kg, "--horizon", "6")
    assert shorter.exit_code == 1
    assert "a plan of 6 years ends in 2029, but KG-FIN-1 runs later" in shorter.stderr
    longer = cli("shift", kg, "--horizon", "8")
    assert longer.stdout.strip() == "The plan now runs 2024-2031 (was 2024-2030)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--contact", "roadmap.culture.kg"], 'kg.yaml: meta.contact.email: "roadmap.culture.kg" is not an e-mail address'),
        (["--website", "culture.kg"], 'kg.yaml: meta.contact.website: "culture.kg" is not a web address'),
        (["--version", " "], "kg.yaml: meta.version: --version cannot be empty"),
        (["--logo", "missing.png"], "kg.yaml: meta.logo: missing.png not found"),
        (["--logo", "fake.png"], "kg.yaml: meta.logo: fake.png does not hold a PNG image"),
        (["--logo", "logo.gif"], "kg.yaml: meta.logo: logo.gif is not a PNG, JPEG or SVG file"),
        (["--logo", "big.png"], "a logo may be at most 1024 KB"),
        (["--author", "|Org"], 'kg.yaml: meta.authors: --author "|Org" should be'),
        (["--horizon", "3"], "kg.yaml: meta.horizon: a plan of 3 years ends in 2026"),
        ([], "say what to set"),
    ],
)
def test_bad_identity_is_refused_with_a_located_message(cli, kg: Path, monkeypatch, args, message) -> None:
    monkeypatch.chdir(kg.parent)
    (kg.parent / "fake.png").write_bytes(b"GIF89a not a png")
    (kg.parent / "logo.gif").write_bytes(b"GIF89a")
    (kg.parent / "big.png").write_bytes(png() + b"\0" * (1024 * 1024))
    before = kg.read_bytes()
    result = cli("meta", "kg.yaml", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert kg.read_bytes() == before


def test_init_refuses_a_bad_contact_and_writes_nothing(cli, tmp_path: Path) -> None:
    plan = tmp_path / "uz.yaml"
    result = cli("init", "--country", "UZ", "--start-year", "2024", "-o", plan, "--contact", "nobody")
    assert result.exit_code == 1
    assert 'meta.contact.email: "nobody" is not an e-mail address' in result.stderr
    assert not plan.exists()


def test_missing_logo_file_stops_rendering(cli, kg: Path, tmp_path: Path) -> None:
    (kg.parent / "logo.png").unlink()
    result = cli("render", "green-paper", kg, "-o", tmp_path / "gp.html")
    assert result.exit_code == 1
    assert "meta.logo: logo.png not found beside the plan" in result.stderr


def test_validate_warns_about_a_hand_edited_contact(cli, kg: Path) -> None:
    text = kg.read_text(encoding="utf-8")
    kg.write_text(text.replace("email: roadmap@culture.example.kg", "email: roadmap at culture"), encoding="utf-8")
    result = cli("validate", kg)
    assert result.exit_code == 0  # a warning: the plan still works
    assert re.search(r'kg\.yaml:\d+:\d+: warning: meta\.contact\.email: "roadmap at culture" is not an e-mail address', result.stderr)


def test_action_plan_word_and_excel_carry_title_and_version_in_the_footer(cli, kg: Path, tmp_path: Path) -> None:
    import docx
    import openpyxl

    assert cli("meta", kg, "--title", "Crafts & design road map").exit_code == 0
    assert cli("render", "action-plan", kg, "-o", tmp_path / "ap.docx").exit_code == 0
    document = docx.Document(str(tmp_path / "ap.docx"))
    assert document.paragraphs[0].text == "Crafts & design road map"
    assert document.sections[0].footer.paragraphs[0].text == "Crafts & design road map \u00b7 version 1.0"
    assert cli("render", "action-plan", kg, "-o", tmp_path / "ap.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(tmp_path / "ap.xlsx").worksheets[0]
    assert sheet.oddFooter.left.text == "Crafts && design road map \u00b7 version 1.0"  # && prints one &


def test_an_svg_logo_is_taken_and_an_empty_logo_removes_it(cli, kg: Path) -> None:
    (kg.parent / "emblem.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    result = cli("meta", kg, "--logo", kg.parent / "emblem.svg")
    assert result.exit_code == 0
    assert result.stdout.strip() == "The plan's logo is now \u201cemblem.svg\u201d (was \u201clogo.png\u201d)"
    assert "Word" not in result.stderr  # Word shows an SVG logo too now (typst sets it as PNG)
    removed = cli("meta", kg, "--logo", "")
    assert removed.stdout.strip() == "The plan no longer has a logo (was \u201cemblem.svg\u201d)"
    assert load(kg).plan.meta.logo is None
