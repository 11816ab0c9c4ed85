"""Tests of response rates (evaluation.survey.response).

Reference values come from published examples, cited at each test: R's documentation and
printed output (psych, stats), the documented examples of pingouin, SciPy and Julia's
StatsBase, or a computation by hand written out in the test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evaluation.errors import DataContractError
from evaluation.survey import response_rates

from .survey_data import small_survey



def test_response_rates_by_hand_with_suppression():
    population = pd.DataFrame({"pilot": "stad", "agency": ["a", "b", "c"], "wave": 2022,
                               "invited": [10, 4, 20]})
    responses = small_survey()
    rates = response_rates(population, responses, by=("wave", "agency"), threshold=5).set_index("agency")
    # a: 6 of 10; b: 3 of 4 (primary); c: 0 of 20 (zero, shown) -> complement is a (6)
    assert rates.loc["c", "responded"] == 0 and rates.loc["c", "rate"] == 0
    assert rates.loc["b", "suppressed"] and rates.loc["a", "suppressed"]
    assert pd.isna(rates.loc["b", "responded"]) and math.isnan(rates.loc["a", "rate"])
    assert rates["invited"].tolist() == [10, 4, 20]
    total = response_rates(population, responses, by="wave", threshold=5).iloc[0]
    assert (total["invited"], total["responded"]) == (34, 9)
    assert total["rate"] == pytest.approx(9 / 34)


def test_response_rates_reject_responses_without_a_population_row():
    population = pd.DataFrame({"pilot": "stad", "agency": ["a"], "wave": 2022, "invited": [10]})
    with pytest.raises(DataContractError) as info:
        response_rates(population, small_survey(), by=("wave", "agency"), threshold=5)
    assert info.value.file == "survey/population.csv"
