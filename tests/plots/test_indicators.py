"""The indicator chart (evaluation.plots.indicators): the expected path and the values by hand."""

from __future__ import annotations

import pandas as pd

from evaluation.plots.indicators import indicator_chart

DEFINITION = {"baseline_value": 212.0, "baseline_year": 2021, "target_value": 230.0, "target_year": 2024}


def _tracking(actual):
    return pd.DataFrame({"year": [2022, 2023, 2024], "actual": actual,
                         "status": ["on_track", "at_risk", "no_data"]})


def test_the_data_table_gives_the_straight_line_path_and_the_observed_values():
    figure = indicator_chart(_tracking([218.0, 219.0, float("nan")]), DEFINITION, name="Statlige årsverk",
                             unit="årsverk", lang="nb", caption="Figur")
    # the path from 212 (2021) to 230 (2024) rises 6 a year: 212, 218, 224, 230
    assert figure.data.values.tolist() == [
        ["2021", "212", "–", "–"],
        ["2022", "218", "218", "I rute"],
        ["2023", "224", "219", "Risiko for avvik"],
        ["2024", "230", "–", "Mangler data"],
    ]
    assert "nullpunkt 212 i 2021, mål 230 i 2024" in figure.alt_text
    assert figure.alt_text.endswith("Siste målte verdi er 219 i 2023 (Risiko for avvik).")


def test_an_indicator_without_observations_says_so_in_english():
    figure = indicator_chart(_tracking([float("nan")] * 3), DEFINITION, name="State jobs", unit="FTE",
                             lang="en", caption="Figure")
    assert figure.alt_text.endswith("No values have been observed yet.")
    assert figure.data.iloc[1].tolist() == ["2022", "218", "–", "On track"]


def test_the_tidy_data_keeps_full_precision_for_the_export_pack():
    figure = indicator_chart(_tracking([218.25, 219.0, float("nan")]), DEFINITION, name="Statlige årsverk",
                             unit="årsverk", lang="nb", caption="Figur")
    assert list(figure.tidy.columns) == ["year", "expected", "observed", "status", "suppressed"]
    assert figure.tidy["expected"].tolist() == [218.0, 224.0, 230.0]
    assert figure.tidy["observed"].tolist()[:2] == [218.25, 219.0]
