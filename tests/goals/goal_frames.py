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


def indicator_rows(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["pilot", "indicator_id", "sub_goal",
                                       "progress_vs_expected", "status"])


def computed_frame(statuses) -> pd.DataFrame:
    return pd.DataFrame({"pilot": ["p"] * 3, "sub_goal": ["g1", "g2", "g3"],
                         "computed_status": statuses})
