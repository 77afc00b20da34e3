"""Five country plans built with the real commands, for compare and vision.

What each country did (the tests' expectations are counted by hand from this list):

| plan | start | done              | in progress | not needed | removed by hand | added     | goals reached (date)                      |
|------|-------|-------------------|-------------|------------|-----------------|-----------|-------------------------------------------|
| KG   | 2024  | DEF-1 DEF-2       |             | CUL-4      |                 | KG-FIN-1  | G1 G2 G4 G6 (2025-05-01)                  |
| KZ   | 2022  | DEF-1             | DAT-1       | FIN-2      |                 | KZ-INT-1  | G1 (2024-02) G4 (2024-09) G2 (2025-02)    |
|      |       |                   |             |            |                 |           | G3 (2026-02) G5 (2026-06)                 |
| TJ   | 2023  | DEF-1             |             | CUL-4 FIN-2|                 |           | G1 G4 G6 (2026-03-01)                     |
| TM   | 2022  |                   |             |            | INF-2           |           | none                                      |
| UZ   | 2022  | DEF-1 DEF-2 DAT-1 |             | INF-3      |                 | UZ-EDU-1  | G1 G2 G3 (2026-09), G4 on 2026-12-31      |

Owners: KG FIN-1 and FIN-2 (A. Usenova); KZ FIN-1 (B. Nurlanova).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from roadmap import adapt, store
from roadmap.changes import Change
from roadmap.yamltext import get_path

TODAY = dt.date(2026, 11, 23)


def build_region(root: Path) -> dict[str, Path]:
    plans = {code: root / f"{code.lower()}.yaml" for code in ("KG", "KZ", "TJ", "TM", "UZ")}

    kg = plans["KG"]
    adapt.init(kg, country="KG", start_year=2024, today=TODAY)
    adapt.tick(kg, ["DEF-1", "DEF-2"], on="2024-06-30", today=TODAY)
    adapt.tick(kg, ["CUL-4"], status="not-needed", note="Covered by the national festival", today=TODAY)
    adapt.add(kg, direction="FIN", stage="S2", title="Crowdfunding guide for CEntr", years="2-3", today=TODAY)
    adapt.assign(kg, ["FIN-1", "FIN-2"], owner="A. Usenova", org="Ministry of Economy", today=TODAY)
    for goal in ("G1", "G2", "G4", "G6"):
        adapt.goal(kg, goal, reached=True, on="2025-05-01", today=TODAY)

    kz = plans["KZ"]
    adapt.init(kz, country="KZ", start_year=2022, today=TODAY)
    adapt.tick(kz, ["DEF-1"], on="2023-03-01", today=TODAY)
    adapt.tick(kz, ["DAT-1"], status="in-progress", on="2024-01-10", today=TODAY)
    adapt.tick(kz, ["FIN-2"], status="not-needed", note="A state fund does this", today=TODAY)
    adapt.assign(kz, ["FIN-1"], owner="B. Nurlanova", today=TODAY)
    adapt.add(kz, direction="INT", stage="S4", title="Central Asian pavilion at a design week", year=4, today=TODAY)
    for goal, on in (("G1", "2024-02-01"), ("G2", "2025-02-01"), ("G3", "2026-02-01"), ("G4", "2024-09-01"), ("G5", "2026-06-01")):
        adapt.goal(kz, goal, reached=True, on=on, today=TODAY)

    tj = plans["TJ"]
    adapt.init(tj, country="TJ", start_year=2023, today=TODAY)
    adapt.tick(tj, ["DEF-1"], on="2023-10-01", today=TODAY)
    adapt.tick(tj, ["CUL-4", "FIN-2"], status="not-needed", note="Not a priority", today=TODAY)
    for goal in ("G1", "G4", "G6"):
        adapt.goal(tj, goal, reached=True, on="2026-03-01", today=TODAY)

    tm = plans["TM"]
    adapt.init(tm, country="TM", start_year=2022, today=TODAY)
    # A hand edit: the task deleted from the file (the commands mark model tasks instead).
    store.edit(tm, lambda doc: [Change(("tasks", "INF-2"), get_path(doc.data, ("tasks", "INF-2")), None)], command="edit", today=TODAY)

    uz = plans["UZ"]
    adapt.init(uz, country="UZ", start_year=2022, today=TODAY)
    adapt.tick(uz, ["DEF-1", "DEF-2", "DAT-1"], on="2023-12-01", today=TODAY)
    adapt.tick(uz, ["INF-3"], status="not-needed", note="Hubs exist", today=TODAY)
    adapt.add(uz, direction="EDU", stage="S2", title="Creative skills in vocational schools", year=2, today=TODAY)
    for goal in ("G1", "G2", "G3"):
        adapt.goal(uz, goal, reached=True, on="2026-09-01", today=TODAY)
    adapt.goal(uz, "G4", reached=True, on="2026-12-31", today=TODAY)
    return plans
