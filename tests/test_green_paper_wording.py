"""The model says what the Green Paper says (issue 10, "The Green Paper's exact wording").

Model 2021.1 had been copy-edited away from the source in places; 2021.2 restores the
source's words (seeds/004_496b2ee7474b8ab4.txt). These tests hold the restored phrases in the
rendered Green Paper, the order of its sections, Appendix 2's row order, every task's fields,
and that a plan made from 2021.1 takes the corrected wording in without losing a decision.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from roadmap import adapt, store
from roadmap.resources import data_dir, model_path
from roadmap.upgrade import upgrade

TODAY = dt.date(2026, 11, 23)
OLD_MODEL = data_dir() / "models" / "central-asia-model-2021.1.yaml"


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return store.load(model_path()).plan


@pytest.fixture(scope="module")
def md() -> str:
    """The model's Green Paper as `roadmap render green-paper --format md` writes it."""
    from cli import app
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["render", "green-paper", "--format", "md"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ---------------------------------------------------------------------------------------
# The phrases issue 10 lists, in the rendered Green Paper


@pytest.mark.parametrize(
    "phrase",
    [
        "the definition of key terms (CE).",  # DEF-1's result names only (CE)
        "Working group; CCAN; British Council, etc.",  # DAT-2's persons involved
        "Working group - CCAN - based on data and research",  # ADV-1's persons involved
        "The section on CE appeared in at least one leading media of CA countries.",  # CUL-1
        "Annual awards launched to the best CEntr",  # CUL-3's box
        "Published a study of tax burden, rate of business registration and barriers to CEntr development",  # TAX-1
        "Identify existing creative hubs/co-working (spaces for interaction",  # INF-1
        "The available creative hubs/co-working in each CA country are identified.",
        "Stage 4. Implementation of CE development strategies and directions in each CA country",
        "these spaces are no longer considered physical infrastructure in the modern world",
        "are recommended to adopt these documents to the realities of their country",
        "Without pretending to be inclusive, the working group believes",
        "## Appendix 1. Block Diagram of the Roadmap for the Development of Creative Economy in Central Asia",
        "## Appendix 2. Recommended action plan for the development of the cultural and creative sector in Central Asia",
        "Availability and complicity in data collection and annual updates in all CA countries.",
        "Are there art (as a direction) or celebrities that can become ambassadors",
        "We will consider it a great success to achieve any 4 of these six goals in at least 3 out of 5 Central Asian countries by the end of 2026.",
    ],
)
def test_the_rendered_green_paper_says_what_the_source_says(md: str, phrase: str) -> None:
    assert phrase in md


@pytest.mark.parametrize(
    "copy_edit",
    [
        "(CE, CEntr, CI).",  # in a result: the task and the box name three terms, the result one
        "Other partners",
        "leading media outlet in the country",  # the box (the narrative's "leading media outlets" is the source's)
        "leading media outlet of CA countries",
        "awards launched for the best",
        "the speed of business registration and the barriers to CEntr",
        "hubs/co-working spaces",
        "no longer considered only physical",
        "adapt these documents",
        "pretending to be comprehensive",
        "(*kreativn",  # transliterations the source lacks (a URL in the notes has "kreativnih")
        "(*tvorchesk",
        "(*kulturn",
        "## Appendix 1. Flowchart",
        "## Appendix 2. Action plan",
    ],
)
def test_the_copy_edits_are_gone(md: str, copy_edit: str) -> None:
    if copy_edit == "(CE, CEntr, CI).":
        # still the task's title and box ("Define key terms (CE, CEntr, CI)."), never a result
        results = md[md.index("## Appendix 2.") :]
        assert "agrees with the definition of key terms (CE, CEntr, CI)" not in results
        return
    assert copy_edit not in md


def test_def_narrative_keeps_the_sources_words_without_transliterations(model) -> None:  # type: ignore[no-untyped-def]
    narrative = model.direction("DEF").narrative
    assert "(or, as it is also translated into Russian “creative”) economy" in narrative
    assert "While the words “creative”, “cultural”, and “creative” may seem to have the same meaning" in narrative
    assert "*" not in narrative.replace("**", "").replace("*Mapping Creative Industries*", "")


def test_note_markers_are_back_in_the_text(md: str) -> None:
    """The source's footnote markers, numbered as the section "Notes and sources" numbers them."""
    for marker in ("CCAN⁵ initiative group", "cultural diversity and development⁶.", "launched.⁴",
                   "Kazakhstan”¹⁷, five main problems", "may include²⁰:", "network of connections.²³"):
        assert marker in md, marker
    assert "## Notes and sources" in md


# ---------------------------------------------------------------------------------------
# Section order


def test_the_audience_list_sits_between_2_2s_introduction_and_its_closing_paragraph(md: str) -> None:
    section = md[md.index("### 2.2. Who are we creating the road map for?") : md.index("### 2.3.")]
    intro = section.index("We expect that the primary target audience of this road map should be:")
    first = section.index("Cultural and creative entrepreneurs whom we can inspire")
    last = section.index("All residents of Central Asia, whom we want to inspire")
    closing = section.index("Thus, we hope that this road map will become a valuable tool for everyone, and first of all, as a simple")
    assert intro < first < last < closing


def test_2_4_keeps_its_numbered_list_of_the_nine_directions(md: str, model) -> None:  # type: ignore[no-untyped-def]
    section = md[md.index("### 2.4. Strategic directions") : md.index("### 1. Definition")]
    listed = re.findall(r"^(\d)\. (.+)$", section, flags=re.M)
    assert listed == [(str(d.number), d.name) for d in model.directions]
    assert [name for _, name in listed] == [
        "Definition", "Culture", "Data", "Advocacy", "Education and skills", "Finance",
        "Taxes and regulations", "International relations", "Infrastructure",
    ]
    assert section.index("following strategic directions:") < section.index("1. Definition") < section.index("Let's consider them separately.")


def test_the_appendices_come_after_the_chapters_with_their_full_titles(md: str) -> None:
    assert md.index("## Conclusion") < md.index("## Appendix 1. Block Diagram") < md.index("## Appendix 2. Recommended action plan")


# ---------------------------------------------------------------------------------------
# Appendix 2: the source's row order

SOURCE_ROWS = [
    # Stage 1: Environment Analysis and Data Collection
    "DEF-1", "DEF-2", "CUL-1", "CUL-2", "DAT-1", "DAT-2", "ADV-1", "ADV-2", "EDU-1", "EDU-2", "FIN-1", "INT-1",
    # Stage 2: Building trust (the source puts Advocacy before Data here)
    "CUL-3", "ADV-3", "DAT-3", "EDU-3", "FIN-2", "TAX-1", "INT-2", "INF-1",
    # Stage 3: Formulation of CE development goals and strategies
    "CUL-4", "ADV-4", "EDU-4", "TAX-2", "INT-3", "INF-2",
    # Stage 4: Implementation of CE development strategies and directions in each CA country
    "CUL-5", "FIN-3", "INT-4", "INF-3",
]


def test_appendix_2_keeps_the_sources_row_order(md: str, model) -> None:  # type: ignore[no-untyped-def]
    appendix = md[md.index("## Appendix 2.") : md.index("## Changes from the model")]
    rows = re.findall(r"^\| ([A-Z]{3}-\d) \|", appendix, flags=re.M)
    assert rows == SOURCE_ROWS
    assert [t.id for t in model.tasks] == SOURCE_ROWS  # the model's task list is the action plan


def test_the_csv_action_plan_has_the_same_order() -> None:
    from roadmap.i18n import catalogue
    from roadmap.render.rows import all_rows

    plan = store.load(model_path()).plan
    assert [r.task.id for r in all_rows(plan, catalogue())] == SOURCE_ROWS


# ---------------------------------------------------------------------------------------
# Every task against the source: a phrase of each field, as Appendix 1 and 2 print it.
# (task id: title, box, persons involved, result, indicator, example or None, stage, years)

TASKS = {
    "DEF-1": ("Define key terms (CE, CEntr, CI).", "decided on the definition of key terms (CE, CEntr, CI)", "CI CA representatives",
              "agrees with the definition of key terms (CE).", "used at the urban and national levels", "UK - DCMS (UK Department of Media, Culture and Sports)", "S1", (1, 1)),
    "DEF-2": ("Approve the list of creative industries and creative professions.", "agreed on a list of creative industries", "Academia",
              "list of creative industries and creative professions", "The key definitions of CE are the same in all CA countries.", "Orange Economy (Government of Colombia)", "S1", (1, 1)),
    "CUL-1": ("Identify what publications are available and involve the media in covering CI activities.", "at least one leading media in the country", "CCAN",
              "at least one leading media of CA countries", "Public interest in entrepreneurship and creative industries has increased.", None, "S1", (2, 2)),
    "CUL-2": ("Identify other ways and forms of cooperation to raise awareness of CI.", "CEntr monthly open days launched, career guidance for schoolchildren", "CCAN",
              "vocational guidance for schoolchildren and students", "The creative sector attracts more young talents.", None, "S1", (2, 2)),
    "CUL-3": ("Implementation of public interest programmes in creative and cultural industries.", "Annual awards launched to the best CEntr", "CCAN",
              "annual awards to the best CEntr, educational institutions, CI champions from government agencies", "common understanding and interest", None, "S2", (3, 3)),
    "CUL-4": ("Develop a strategy and goals in each CA country to generate public interest in CI.", "more than 10 thousand people from 5+ countries", "Other industry groups",
              "Annual major event launched", "Developed CI image at local level.", None, "S3", (4, 4)),
    "CUL-5": ("Organization of social events, awards and competitions, media engagement.", "regularly covered in European, Asian and American media", "CCAN",
              "regularly covered in local, European, Asian and American media", "speak with great interest and competence about CI", None, "S4", (3, 3)),
    "DAT-1": ("Examine what data exist on the creative sector at both the urban and national levels.", "Primary database of creative entrepreneurs of CA collected", "Consultants",
              "Existing and primary data are collected and analyzed in each CA country.", "Primary CA CEntr database.", "UK - DCMS Statistics", "S1", (1, 1)),
    "DAT-2": ("Initiate mapping, surveys, trends to populate missing data.", "OKED code directory adjusted to CI", "British Council, etc.",
              "Growth, employment, and trends sectors identified", "A directory of OKED codes has been created", "Map of Istanbul from the British Council", "S1", (2, 2)),
    "DAT-3": ("Availability and complicity in data collection and annual updates in all CA countries.", "assessment of CI contribution to the country's GDP launched", "Other industry groups",
              "assessment of CI contribution to GDP of CA countries has been carried out and published", "presented to the government bodies of CA countries", None, "S2", (2, 5)),
    "ADV-1": ("Create a basis for promoting the ideas, goals, and movement for the development of CE in each CA country.", "Established CCAN, a framework organization", "based on data and research",
              "has been established and is ready to launch country associations", "Government's public commitment to CE policy.", "UK - Federation of Creative Industries", "S1", (1, 1)),
    "ADV-2": ("Determine champions among state and public figures (inside and outside the CA).", "Champions in the ministries of economy, education, culture, etc.", "CCAN",
              "Champions identified in government agencies", "Creative industries are recognized as part of the general economy.", "Creative Cities Network of Indonesia", "S1", (1, 1)),
    "ADV-3": ("Involvement of CEntr associations in collaboration with all key economic development institutions.", "CE country association established and sustained", "Business associations",
              "CCAN country associations have been established and have achieved sustainability.", "an important factor in growth", "UNESCO Network of Creative Cities", "S2", (2, 2)),
    "ADV-4": ("Identify priorities, objectives and plan for monthly events in each CA country.", "Set high goals for the development of CE", "CCAN country associations",
              "High goals set for CE development in each CA country", "Widespread recognition of the value of the sector.", "International Forum of Cultural Cities", "S3", (3, 3)),
    "EDU-1": ("Identify existing institutions that will support creative skills training and education.", "(Knowledge Bank) created", "CCAN",
              "(Bank of Knowledge) has been created", "key ways of working with local educational institutions", "Creative Spark", "S1", (1, 1)),
    "EDU-2": ("To identify the necessary skills and directions of education for CI.", "agreed on a list of creative professions", "CCAN",
              "The sector has agreed on a list of creative professions.", "developing the right areas of education", "European Creative Business Network", "S1", (2, 2)),
    "EDU-3": ("Develop CEntr key competencies model.", "CEntr key competencies model adopted and integrated into university education", "CCAN",
              "necessary educational skills for universities and centers", "integrated into the educational processes of universities and centers", "BEKRAF (Indonesia)", "S2", (2, 2)),
    "EDU-4": ("Promote mutual mentoring and create alternative sites and training courses for CEntr.", "Universities are exploring CE", "Other industry groups",
              "A community for the support and development of CEntr competencies has been created.", "solidarity and better exchange of skills", "Creative Spark", "S3", (3, 3)),
    "FIN-1": ("Identify CEntr needs and funding availability issues.", "CEntr's financial needs and their main funding challenges", "Other industry groups",
              "There is information for lobbying.", "meets regularly with representatives of the creative sector", "Creative England", "S1", (1, 1)),
    "FIN-2": ("Present the collected data by year on the impact of CI in each CA country.", "present sector dynamics to key financial institutions", "CCAN",
              "will present dynamics of the sector development to key financial institutions, the State and donors", "economic impact of CI in each CA country", None, "S2", (4, 4)),
    "FIN-3": ("Develop alternative forms of CEntr funding.", "Special offers for CEntr financing have appeared", "Other industry groups",
              "A council of experts and a database", "Special and alternative offers", None, "S4", (4, 4)),
    "TAX-1": ("Provide research on taxes and regulations and conduct a series of meetings and events in each CA country.", "rate of business registration", "CCAN",
              "tax load, speed of business registration and barriers", "improve taxes and regulations for CEntr in CA countries", None, "S2", (4, 4)),
    "TAX-2": ("Prepare model laws to create an enabling environment for the development of CEntr.", "Tax exemptions and state subsidy policy adopted", "Other industry groups",
              "A common CA model form of the law and simplified CEntr registration schemes", "Tax incentives and CE subsidy policy by the State.", None, "S3", (5, 5)),
    "INT-1": ("Investigate CA CE products and their competitiveness in the international market.", "Published research of CA CE products competitive", "Other industry groups",
              "Published a study of CA CE products competitive in the international market.", "known abroad", "KOCCA - Korean Creative Content Agency", "S1", (2, 2)),
    "INT-2": ("Raise awareness of international markets - film festivals, design festivals, music markets, etc.", "began to participate in international conferences", "Embassies",
              "(database of international events established)", "position itself as a creative hub", "KOCCA", "S2", (3, 3)),
    "INT-3": ("Conduct regional level events to promote the local brand.", "At least 5 annual regional exhibitions and fairs", "Other industry groups",
              "At least 5 regional exhibitions and fairs in the field of CE CA.", "Created conditions for entering the international market.", None, "S3", (5, 5)),
    "INT-4": ("Create systems to promote local CEntr brands abroad.", "Embassies present CE abroad", "Other industry groups",
              "Embassies present CE abroad", "supports the CEntr in participating in international events", "British Department of International Trade", "S4", (5, 5)),
    "INF-1": ("Identify existing creative hubs/co-working (spaces for interaction and the development of creative ideas).", "(hubs, Internet speed, intellectual rights protection) investigated", "Other industry groups",
              "The available creative hubs/co-working in each CA country are identified.", "(hubs, Internet speed, intellectual property rights protection)", "UK Creative Industries Council Infrastructure Working Group", "S2", (2, 2)),
    "INF-2": ("Create an environment/space for collaboration with local creative sites for creative community collaboration.", "Key universities have created hubs", "Other industry groups",
              "Key universities created hubs (co-working, incubators, laboratories, creative open event spaces)", "Different sectors interact", None, "S3", (5, 5)),
    "INF-3": ("Create the conditions and opportunities for digital transformation.", "High-quality digital infrastructure is available to all CEntr in CA", "Other industry groups",
              "Lobby at the state level for the development of digital infrastructure and literacy.", "High-quality digital infrastructure is available to all CEntr in CA.", None, "S4", (5, 5)),
}


def test_the_table_covers_every_task(model) -> None:  # type: ignore[no-untyped-def]
    assert sorted(TASKS) == sorted(t.id for t in model.tasks)


@pytest.mark.parametrize("task_id", sorted(TASKS))
def test_every_task_field_matches_the_source(model, task_id: str) -> None:  # type: ignore[no-untyped-def]
    title, box, person, result, indicator, example, stage, years = TASKS[task_id]
    task = model.task(task_id)
    assert task.title == title
    assert box in task.box.text
    assert any(person in p for p in task.persons_involved), task.persons_involved
    assert any(result in r for r in task.expected_results), task.expected_results
    assert any(indicator in str(i) for i in task.success_indicators), task.success_indicators
    if example is None:
        assert task.international_examples == []
    else:
        assert example in task.international_examples
    assert task.stage == stage
    assert (task.year_start, task.year_end) == years


def test_stage_names_and_key_messages(model) -> None:  # type: ignore[no-untyped-def]
    assert [(s.name, s.key_message) for s in model.stages] == [
        ("Environment analysis and data collection", "Self-awareness"),
        ("Building trust between market participants, government and civil society", "Cooperation"),
        ("Formulation of CE development goals and strategies", "Ambition"),
        ("Implementation of CE development strategies and directions in each CA country", "Full forward!"),
    ]


# ---------------------------------------------------------------------------------------
# Versions: 2021.2 is the current text; 2021.1 stays published, and its plans upgrade cleanly


def test_the_current_model_is_2021_2_and_published_byte_for_byte(model) -> None:  # type: ignore[no-untyped-def]
    assert model.meta.version == "2021.2"
    archive = data_dir() / "models"
    assert (archive / "central-asia-model-2021.2.yaml").read_bytes() == model_path().read_bytes()
    assert store.load(OLD_MODEL).plan.meta.version == "2021.1"
    assert model.vision.success_rule.countries == ["KZ", "KG", "TJ", "TM", "UZ"]


def test_a_plan_from_2021_1_takes_the_restored_wording_and_keeps_its_decisions(tmp_path: Path) -> None:
    plan = tmp_path / "kg.yaml"
    adapt.init(plan, country="KG", start_year=2024, model=OLD_MODEL, today=TODAY)
    adapt.tick(plan, ["DEF-1"], on="2024-06-30", today=TODAY)
    adapt.assign(plan, ["CUL-1"], owner="A. Usenova", org="Ministry of Culture", today=TODAY)
    before = store.load(plan).plan
    assert before.meta.based_on.version == "2021.1"
    assert before.task("DEF-1").expected_results == ["The sector has identified and agrees with the definition of key terms (CE, CEntr, CI)."]

    result = upgrade(plan, to=model_path(), today=TODAY)
    assert result.conflicts == []
    after = store.load(plan).plan
    assert after.conflicts == []
    assert after.meta.based_on.version == "2021.2"
    # the wording fixes arrive ...
    assert after.task("DEF-1").expected_results == ["The sector has identified and agrees with the definition of key terms (CE)."]
    assert after.task("CUL-1").box.text == "The section on CE appeared in at least one leading media in the country"
    assert after.task("DAT-2").persons_involved[-1] == "British Council, etc."
    assert after.stage("S4").name == "Implementation of CE development strategies and directions in each CA country"
    conclusion = next(s for s in after.sections if s.id == "conclusion").body
    assert "Without pretending to be inclusive" in conclusion
    # ... and the country's decisions stay
    assert after.meta.country.code == "KG" and after.meta.start_year == 2024
    assert after.task("DEF-1").status.value == "done" and after.task("DEF-1").status_date == dt.date(2024, 6, 30)
    assert after.task("CUL-1").owner.name == "A. Usenova" and after.task("CUL-1").owner.organisation == "Ministry of Culture"
    assert after.task("DEF-2").status.value == "planned"


# ---------------------------------------------------------------------------------------
# The same order in the HTML and Word Green Papers


def test_html_and_word_keep_2_2s_order_and_the_appendix_titles(model) -> None:  # type: ignore[no-untyped-def]
    import io

    import docx

    from roadmap.render.documents import render

    html = render(model, "html", as_of=TODAY).decode("utf-8")
    section = html[html.index('<section id="s-audiences"') : html.index('<section id="s-implementation"')]
    assert (
        section.index("should be:</p>")
        < section.index('<ul class="audiences">')
        < section.index("</ul>")
        < section.index("<p>Thus, we hope that this road map")
    )
    assert '<h2 class="appendix">Appendix 1. Block Diagram of the Roadmap for the Development of Creative Economy in Central Asia</h2>' in html

    document = docx.Document(io.BytesIO(render(model, "docx", as_of=TODAY)))
    texts = [p.text for p in document.paragraphs]
    intro = texts.index("We expect that the primary target audience of this road map should be:")
    closing = next(i for i, t in enumerate(texts) if t.startswith("Thus, we hope that this road map"))
    audiences = [i for i, t in enumerate(texts) if t.startswith("Cultural and creative entrepreneurs:")]
    assert len(audiences) == 1 and intro < audiences[0] < closing == audiences[0] + 6
    heads = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Appendix 2. Recommended action plan for the development of the cultural and creative sector in Central Asia" in heads
