"""Small hand-made survey frames shared by the tests of evaluation.survey."""

from __future__ import annotations

import pandas as pd


def make_items() -> pd.DataFrame:
    return pd.DataFrame({
        "item_id": ["Q01", "Q02", "Q03"],
        "index": ["collaboration", "collaboration", "collaboration"],
        "scale": ["agree5"] * 3,
        "reverse_keyed": [False, False, True],
        "text_nb": ["A", "B", "C"],
        "text_en": ["A", "B", "C"],
        "scale_min": pd.array([1, 1, 1], dtype="Int64"),
        "scale_max": pd.array([5, 5, 5], dtype="Int64"),
        "dont_know_code": pd.array([9, 9, 9], dtype="Int64"),
    })


def make_scales() -> pd.DataFrame:
    labels = ["Helt uenig", "Uenig", "Verken eller", "Enig", "Helt enig", "Vet ikke"]
    return pd.DataFrame({"scale": "agree5", "code": [1, 2, 3, 4, 5, 9], "label_nb": labels,
                         "label_en": labels, "dont_know": [False] * 5 + [True]})


def responses_from(rows, columns=("respondent_id", "wave", "pilot", "agency", "Q01", "Q02", "Q03")):
    frame = pd.DataFrame(rows, columns=list(columns))
    for item in ("Q01", "Q02", "Q03"):
        frame[item] = pd.array(frame[item], dtype="Int64")
    return frame


def small_survey() -> pd.DataFrame:
    # agency "a": 6 respondents, agency "b": 3 respondents, one wave
    return responses_from([
        ("r1", 2022, "stad", "a", 5, 4, 1),
        ("r2", 2022, "stad", "a", 4, 4, 2),
        ("r3", 2022, "stad", "a", 4, 9, 2),
        ("r4", 2022, "stad", "a", 3, 3, None),
        ("r5", 2022, "stad", "a", 2, None, 4),
        ("r6", 2022, "stad", "a", 9, 2, 5),
        ("r7", 2022, "stad", "b", 5, 5, 1),
        ("r8", 2022, "stad", "b", 1, 5, 1),
        ("r9", 2022, "stad", "b", 5, 4, 2),
    ])


WAVES = pd.DataFrame({"wave": [2021, 2022, 2024], "role": ["baseline", "midterm", "final"]})


def two_wave_survey() -> pd.DataFrame:
    rows = []
    baseline = {"a": [(2, 2, 4), (3, 2, 4), (2, 3, 3), (3, 3, 3), (2, 2, 5), (3, 3, 4)],
                "b": [(4, 4, 2), (3, 4, 2), (4, 3, 3), (5, 4, 1), (4, 4, 2)],
                "c": [(3, 3, 3), (4, 4, 4)]}
    midterm = {"a": [(4, 4, 2), (5, 4, 1), (4, 5, 2), (4, 4, 1), (5, 5, 2), (4, 3, 2)],
               "b": [(4, 4, 2), (4, 5, 2), (5, 4, 1), (4, 4, 2), (5, 5, 1)],
               "c": [(4, 4, 2), (5, 5, 1)]}
    for wave, groups in ((2021, baseline), (2022, midterm)):
        for agency, answers in groups.items():
            for number, (q1, q2, q3) in enumerate(answers):
                rows.append((f"{wave}-{agency}-{number}", wave, "stad", agency, q1, q2, q3))
    return responses_from(rows)
