"""`roadmap compare` of five plans: the counts a person makes by hand (see five_plans.py)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path


from roadmap import adapt, store
from roadmap.changes import Change
from roadmap.compare import format_html, format_json, format_md, format_text, load
from roadmap.resources import model_path

from five_plans import TODAY

CODES = ["KG", "KZ", "TJ", "TM", "UZ"]
_MODEL = store.load(model_path()).plan
# The comparison's rows run direction by direction (the model's task list runs stage by stage).
MODEL_TASKS = [t.id for d in _MODEL.directions for t in _MODEL.tasks if t.direction == d.id]


def test_rows_are_model_tasks_then_each_countrys_additions(region: list[Path]) -> None:
    comparison = load(region)
    assert [c.label for c in comparison.columns] == CODES
    ids = [r.task for r in comparison.rows]
    assert len(ids) == len(MODEL_TASKS) + 3
    assert [i for i in ids if i in MODEL_TASKS] == MODEL_TASKS
    # Added tasks sit in their direction, after the model's tasks of that direction.
    assert ids[ids.index("FIN-3") + 1] == "KG-FIN-1"
    assert ids[ids.index("INT-4") + 1] == "KZ-INT-1"
    assert ids[ids.index("EDU-4") + 1] == "UZ-EDU-1"
    added = {r.task: r.added_by for r in comparison.rows if r.added_by}
    assert added == {"KG-FIN-1": "KG", "KZ-INT-1": "KZ", "UZ-EDU-1": "UZ"}


def test_kept_and_dropped_per_task(region: list[Path]) -> None:
    rows = {r.task: r for r in load(region).rows}
    assert (rows["CUL-4"].count("kept"), rows["CUL-4"].count("dropped")) == (3, 2)  # KG, TJ
    assert (rows["FIN-2"].count("kept"), rows["FIN-2"].count("dropped")) == (3, 2)  # KZ, TJ
    assert (rows["INF-3"].count("kept"), rows["INF-3"].count("dropped")) == (4, 1)  # UZ
    assert (rows["INF-2"].count("kept"), rows["INF-2"].count("dropped")) == (4, 1)  # TM deleted it
    assert rows["INF-2"].cells["TM"] is None
    assert (rows["DEF-1"].count("kept"), rows["DEF-1"].count("dropped")) == (5, 0)
    kg_added = rows["KG-FIN-1"]
    assert kg_added.verdict("KG") == "added" and kg_added.verdict("KZ") is None
    assert [kg_added.cells[c] is None for c in CODES] == [False, True, True, True, True]


def test_cells_give_status_owner_and_calendar_years(region: list[Path]) -> None:
    rows = {r.task: r for r in load(region).rows}
    fin1 = rows["FIN-1"].cells
    assert (fin1["KG"].status, fin1["KG"].owner, fin1["KG"].years) == ("planned", "A. Usenova", (2024, 2024))
    assert (fin1["KZ"].owner, fin1["KZ"].years) == ("B. Nurlanova", (2022, 2022))
    assert fin1["TJ"].years == (2023, 2023)  # TJ starts in 2023
    assert (rows["DAT-1"].cells["KZ"].status, rows["DAT-1"].cells["KZ"].colour) == ("in_progress", "yellow")
    assert rows["DEF-2"].cells["UZ"].colour == "green"
    assert rows["CUL-4"].cells["KG"].colour == "grey"


def test_totals_per_country(region: list[Path]) -> None:
    totals = load(region).totals()
    got = {code: [totals[code][k] for k in ("kept", "dropped", "added", "done", "in_progress", "not_needed", "owned")] for code in CODES}
    assert got == {
        "KG": [29, 1, 1, 2, 0, 1, 2],
        "KZ": [29, 1, 1, 1, 1, 1, 1],
        "TJ": [28, 2, 0, 1, 0, 2, 0],
        "TM": [29, 1, 0, 0, 0, 0, 0],
        "UZ": [29, 1, 1, 3, 0, 1, 0],
    }
    assert totals["UZ"]["percent_done"] == 10  # 3 of 30 kept or added


def test_json_is_plain_data(cli, region: list[Path]) -> None:
    result = cli("compare", *region, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [p["label"] for p in data["plans"]] == CODES
    cul4 = next(r for r in data["rows"] if r["task"] == "CUL-4")
    assert (cul4["kept"], cul4["dropped"]) == (3, 2)
    assert cul4["plans"]["KG"] == {
        "status": "not_needed", "colour": "grey", "owner": None, "years": [2027, 2027], "verdict": "dropped"
    }
    assert data["totals"]["TJ"]["dropped"] == 2


def test_csv_one_row_per_task(cli, region: list[Path]) -> None:
    result = cli("compare", *region, "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:7] == ["Task", "Title", "Direction", "Added", "KG Status", "KG Responsible", "KG Years"]
    assert rows[0][-2:] == ["Kept", "Dropped"]
    assert len(rows) == 1 + len(MODEL_TASKS) + 3
    fin2 = next(r for r in rows if r[0] == "FIN-2")
    assert fin2[4:7] == ["planned", "A. Usenova", "2027"]
    assert fin2[-2:] == ["3", "2"]
    kz_added = next(r for r in rows if r[0] == "KZ-INT-1")
    assert kz_added[3] == "KZ" and kz_added[-2:] == ["", ""]


def test_markdown_and_text(region: list[Path]) -> None:
    comparison = load(region)
    md = format_md(comparison)
    assert "| Task | Title | KG | KZ | TJ | TM | UZ | Kept | Dropped |" in md
    assert "| Dropped | 1 | 1 | 2 | 1 | 1 |" in md
    assert "| KZ-INT-1 | Central Asian pavilion at a design week | \u2014 | not started \u00b7 2025 | \u2014 | \u2014 | \u2014 | added by KZ |  |" in md
    text = format_text(comparison, colour=False)
    assert "\x1b[" not in text
    lines = text.splitlines()
    at = next(i for i, ln in enumerate(lines) if "FIN-1 " in ln)
    assert "\u25cb 2024" in lines[at] and "\u25cb 2023" in lines[at]  # KG and TJ years
    assert "A. Usenova" in lines[at + 1] and "B. Nurlanova" in lines[at + 1]  # owners below
    at = next(i for i, ln in enumerate(lines) if ln.startswith("\u2502UZ-EDU-1 "))
    assert lines[at].rstrip("\u2502 ").endswith("added by UZ")  # on one line


def test_text_is_coloured_for_a_terminal(region: list[Path]) -> None:
    text = format_text(load(region), colour=True)
    assert "\x1b[1;32m" in text  # bold green for done


def test_html_escapes_plan_text_and_is_self_contained(region: list[Path], tmp_path: Path) -> None:
    adapt.add(region[0], direction="FIN", stage="S3", title="<script>alert(1)</script> & co", year=2, today=TODAY)
    html = format_html(load(region))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "http://" not in html and "https://" not in html and 'rel="stylesheet"' not in html
    assert '<td class="cell grey">not needed' in html


def test_cli_writes_html_file(cli, region: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "region.html"
    result = cli("compare", *region, "--format", "html", "-o", out)
    assert result.exit_code == 0
    assert result.stderr.strip() == f"wrote {out}"
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_deterministic(cli, region: list[Path]) -> None:
    first = cli("compare", *region, "--format", "html").stdout
    assert first == cli("compare", *region, "--format", "html").stdout


def test_two_plans_of_one_country_get_file_names(cli, region: list[Path], tmp_path: Path) -> None:
    again = tmp_path / "kg-draft.yaml"
    shutil.copyfile(region[0], again)
    data = json.loads(cli("compare", region[0], again, "--format", "json").stdout)
    assert [p["label"] for p in data["plans"]] == ["KG (kg.yaml)", "KG (kg-draft.yaml)"]


def test_cli_errors(cli, region: list[Path], tmp_path: Path) -> None:
    missing = cli("compare", region[0], tmp_path / "nope.yaml")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"{tmp_path / 'nope.yaml'}: file not found"
    assert cli("compare").exit_code == 2
    assert cli("compare", *region, "--format", "pdf").exit_code == 2


def test_plans_of_one_country_share_the_rows_of_its_added_tasks(cli, region: list[Path], tmp_path: Path) -> None:
    """Last year's plan and this year's (or a plan with itself): an added task is one row."""
    last_year = tmp_path / "old" / "kg.yaml"
    last_year.parent.mkdir()
    shutil.copyfile(region[0], last_year)
    adapt.tick(region[0], ["KG-FIN-1"], on="2026-01-15", today=TODAY)
    for pair in ((last_year, region[0]), (region[0], region[0])):
        comparison = load(list(pair))
        labels = [c.label for c in comparison.columns]
        assert len(set(labels)) == 2
        rows = [r for r in comparison.rows if r.task == "KG-FIN-1"]
        assert len(rows) == 1 and rows[0].added_by == "KG"
        assert all(rows[0].cells[label] is not None for label in labels)
        assert [rows[0].verdict(label) for label in labels] == ["added", "added"]
        totals = comparison.totals()
        new = totals[labels[1]]
        assert (new["added"], new["done"], new["kept"]) == (1, 3, 29)
        assert new["percent_done"] == 10  # 3 of 29 kept + 1 added
        data = json.loads(cli("compare", *pair, "--format", "json").stdout)
        assert [r["task"] for r in data["rows"]].count("KG-FIN-1") == 1
        assert [t["added"] for t in data["totals"].values()] == [1, 1]
        csv_rows = list(csv.reader(io.StringIO(cli("compare", *pair, "--format", "csv").stdout)))
        assert [r[0] for r in csv_rows].count("KG-FIN-1") == 1
        md = cli("compare", *pair, "--format", "md").stdout
        assert md.count("| KG-FIN-1 |") == 1 and "| Added | 1 | 1 |" in md and "| Done, % of kept | " in md
        assert "\u2014" not in next(line for line in md.splitlines() if line.startswith("| KG-FIN-1 |"))
        html = cli("compare", *pair, "--format", "html").stdout
        assert html.count(">KG-FIN-1<") == 1
        text = cli("compare", *pair).stdout
        assert sum(1 for line in text.splitlines() if "KG-FIN-1" in line) == 1
    done = load([last_year, region[0]]).totals()
    assert [t["done"] for t in done.values()] == [2, 3]


def test_two_countries_added_tasks_with_one_id_stay_apart(region: list[Path]) -> None:
    from roadmap.compare import build

    kg = store.load(region[0]).plan
    meta = kg.meta.model_copy(update={"country": store.load(region[1]).plan.meta.country})
    other = kg.model_copy(update={"meta": meta})  # a KZ plan that happens to hold a task KG-FIN-1
    comparison = build([("kg.yaml", kg), ("kz.yaml", other)])
    added = [(r.task, r.added_by) for r in comparison.rows if r.added_by]
    assert added == [("KG-FIN-1", "KG"), ("KG-FIN-1", "KZ")]
    assert comparison.totals()["KZ"]["added"] == 1


def test_html_is_a_page_of_the_site_with_countries_and_dates(region: list[Path]) -> None:
    """Issue 13, point 17: ids whole, country names, the statuses' date, the site's style."""
    from roadmap.resources import templates_dir

    html = format_html(load(region))
    site_css = (templates_dir() / "html" / "style.css").read_text(encoding="utf-8")
    assert site_css.strip() in html  # the site's stylesheet, not a look of its own
    assert "td.id" in site_css and "white-space: nowrap" in site_css
    assert '<td class="id">KG-FIN-1<br><span class="new">added by KG</span></td>' in html
    assert '<th scope="col" class="plan">KG<span class="name">Kyrgyzstan</span></th>' in html
    assert "<td>Uzbekistan</td><td>23 November 2026</td><td>central-asia-model 2021.2</td>" in html
    assert '<p class="subtitle">5 plans; statuses as of 23 November 2026</p>' in html
    assert '<tr class="direction"><th colspan="9" scope="rowgroup">6. Finance</th></tr>' in html
    assert "<title>Road maps compared</title>" in html and '<html lang="en">' in html


def test_html_shows_each_plans_own_date(region: list[Path]) -> None:
    from roadmap.yamltext import get_path

    store.edit(
        region[1], lambda doc: [Change(("meta", "as_of"), get_path(doc.data, ("meta", "as_of")), "2025-12-31")],
        command="edit", today=TODAY,
    )
    comparison = load(region)
    assert [c.as_of.isoformat() for c in comparison.columns][:2] == ["2026-11-23", "2025-12-31"]
    html = format_html(comparison)
    assert "5 plans; statuses as of 31 December 2025 \u2013 23 November 2026" in html
    assert "<td>Kazakhstan</td><td>31 December 2025</td>" in html
    assert json.loads(format_json(comparison))["plans"][1]["as_of"] == "2025-12-31"
    assert "\n5 plans; statuses as of 31 December 2025 \u2013 23 November 2026\n" in format_md(comparison)
    assert "5 plans; statuses as of 31 December 2025 \u2013 23 November 2026" in format_text(comparison, colour=False)
