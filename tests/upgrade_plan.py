"""A Kyrgyz plan with its own edits, made before the model 2022.1 came out (see revised_model.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from roadmap import adapt

from revised_model import INT_1_TITLE

TODAY = dt.date(2026, 11, 23)
KG_EDU_1_TITLE = "Map creative education programmes."
SURVEY = "Survey of 500 creative entrepreneurs"
OKED = "OKED codes for crafts adopted"


def build_kg(path: Path) -> Path:
    adapt.init(path, country="KG", start_year=2024, today=TODAY)
    adapt.tick(path, ["DEF-1", "DEF-2"], on="2024-06-30", today=TODAY)
    adapt.tick(path, ["DAT-3"], status="in-progress", on="2025-03-01", today=TODAY)  # renamed DAT-4 by the model
    adapt.assign(path, ["DAT-3"], owner="C. Asanov", org="National Statistics Committee", today=TODAY)
    adapt.revise(path, "DAT-3", add_results=[SURVEY], today=TODAY)
    adapt.tick(path, ["INF-3"], on="2025-10-01", today=TODAY)  # removed by the model: kept
    adapt.add(path, direction="FIN", stage="S2", title="Crowdfunding guide for CEntr", years="2-3", today=TODAY)
    adapt.shift(path, ["DAT-2"], by=1, today=TODAY)  # the model moves it to year 4: conflict
    adapt.revise(path, "DAT-2", add_results=[OKED], today=TODAY)  # the model rewords the other: merged
    adapt.assign(path, ["FIN-1", "FIN-2"], owner="A. Usenova", org="Ministry of Economy", today=TODAY)
    adapt.revise(path, "EDU-1", title=KG_EDU_1_TITLE, today=TODAY)  # the model retitles it too: conflict
    adapt.revise(path, "INT-1", title=INT_1_TITLE, today=TODAY)  # the same as the model: no conflict
    adapt.goal(path, "G4", reached=True, on="2025-05-01", today=TODAY)
    return path
