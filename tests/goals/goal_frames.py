"""Small goal frames shared by the goal tests: three sub-goals of one pilot and their links."""

from __future__ import annotations

import pandas as pd

SUB_GOALS = pd.DataFrame({
    "pilot": ["p", "p", "p"],
    "sub_goal": ["g1", "g2", "g3"],
    "text_nb": ["en", "to", "tre"],
    "text_en": ["one", "two", "three"],
})
LINKS = pd.DataFrame({
    "pilot": ["p"] * 6,
    "sub_goal": ["g1", "g1", "g2", "g2", "g3", "g3"],
    "kind": ["national_goal", "survey_index", "national_goal", "interview_theme",
             "national_goal", "national_goal"],
    "target": ["N1", "collaboration", "N1", "collaboration", "N2", "N1"],
})


RULES = {"minimal_important_change": 0.3, "net_threshold": 0.2, "completed_late_milestone": "on_track"}
"""The demo's evidence rules (data/demo/programme.yaml), as keywords of ``evidence_table``."""


def indicator_rows(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["pilot", "indicator_id", "sub_goal",
                                       "progress_vs_expected", "status"])


def milestone_rows(rows) -> pd.DataFrame:
    """Milestone status rows (pilot, milestone_id, sub_goal, status, days_late)."""
    return pd.DataFrame({
        "pilot": [r[0] for r in rows], "milestone_id": [r[1] for r in rows],
        "sub_goal": [r[2] for r in rows], "status": [r[3] for r in rows],
        "days_late": pd.array([r[4] for r in rows], dtype="Int64"),
    })


def computed_frame(statuses) -> pd.DataFrame:
    return pd.DataFrame({"pilot": ["p"] * 3, "sub_goal": ["g1", "g2", "g3"],
                         "computed_status": statuses})
