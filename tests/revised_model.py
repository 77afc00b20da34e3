"""A revised model "2022.1", published by CCAN in a test's tmp folder (never in data/).

What the revision changes, relative to the embedded (current) model 2021.2:

- meta: version 2022.1 and a new title (the model's own; it must not reach a country plan)
- FIN-2 retimed: year 4 -> year 3
- DAT-2 retimed: year 2 -> year 4, and its first expected result reworded
- EDU-1 retitled "Survey creative education programmes."
- INT-1 retitled "Study CA CE products on international markets."
- FIN-4 added (Finance, stage 4, year 5, box 4)
- DAT-3 renamed DAT-4 (renamed: {DAT-3: DAT-4})
- CUL-5 and INF-3 removed
- stage S1's key message and goal G4's text reworded
"""

from __future__ import annotations

import shutil
from pathlib import Path

from roadmap import store
from roadmap.changes import Change
from roadmap.resources import model_path
from roadmap.yamltext import get_path

DAT_2_RESULT = "Sector growth, employment and trends identified and published yearly for the government, academia and investors."
EDU_1_TITLE = "Survey creative education programmes."
INT_1_TITLE = "Study CA CE products on international markets."
FIN_4 = {
    "id": "FIN-4",
    "direction": "FIN",
    "stage": "S4",
    "title": "Launch a regional creative investment fund.",
    "box": {"text": "A regional fund invests in CEntr", "order": 4},
    "year_start": 5,
    "year_end": 5,
    "persons_involved": ["CCAN", "Donors"],
    "expected_results": ["A fund of at least USD 5 million invests in creative businesses."],
    "status": "planned",
}
S1_MESSAGE = "Know yourself"
G4_TEXT = "National or city associations of creative entrepreneurs exist and are active in every CA country"


def publish_revised(folder: Path) -> Path:
    target = folder / "central-asia-model-2022.1.yaml"
    shutil.copyfile(model_path(), target)
    doc = store.load(target)
    data = doc.data
    changes = [
        Change(("meta", "version"), "2021.2", "2022.1"),
        Change(("meta", "title"), data["meta"]["title"], data["meta"]["title"] + " (revised)"),
        Change(("tasks", "FIN-2", "year_start"), 4, 3),
        Change(("tasks", "FIN-2", "year_end"), 4, 3),
        Change(("tasks", "DAT-2", "year_start"), 2, 4),
        Change(("tasks", "DAT-2", "year_end"), 2, 4),
        Change(("tasks", "DAT-2", "expected_results"), get_path(data, ("tasks", "DAT-2", "expected_results")), [DAT_2_RESULT]),
        Change(("tasks", "EDU-1", "title"), get_path(data, ("tasks", "EDU-1", "title")), EDU_1_TITLE),
        Change(("tasks", "INT-1", "title"), get_path(data, ("tasks", "INT-1", "title")), INT_1_TITLE),
        Change(("tasks", "FIN-4"), None, FIN_4),
        Change(("tasks", "DAT-3", "id"), "DAT-3", "DAT-4"),
        Change(("tasks", "CUL-5"), get_path(data, ("tasks", "CUL-5")), None),
        Change(("tasks", "INF-3"), get_path(data, ("tasks", "INF-3")), None),
        Change(("stages", "S1", "key_message"), "Self-awareness", S1_MESSAGE),
        Change(("vision", "goals", "G4", "text"), get_path(data, ("vision", "goals", "G4", "text")), G4_TEXT),
        Change(("renamed",), None, {"DAT-3": "DAT-4"}),
    ]
    store.commit(doc, changes, command="publish", record=False)
    return target
