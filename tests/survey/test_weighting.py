"""Tests of post-stratification by agency (evaluation.survey.weighting).

The survey is built from the hand-made pilot of ``tests/fixtures/survey_design`` (four agencies,
two waves): each respondent answers four items whose mean is the fixture's score, so the index
scores are the fixture's scores and the reference values are those R's survey package 4.1-1
printed for them (``tests/fixtures/survey_design/reference.R``; the R calls and output are pasted
beside the expected values).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from evaluation.errors import DataContractError, InsufficientDataError
from evaluation.survey import agency_weights, index_scores, weighted_change, weighted_index_means

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "survey_design"
RTOL = 1e-9
ITEMS = pd.DataFrame({
    "item_id": ["Q01", "Q02", "Q03", "Q04"],
    "index": ["collaboration"] * 4,
    "reverse_keyed": [False] * 4,
    "scale_min": 1, "scale_max": 5, "dont_know_code": 9,
})


def _codes(score: float) -> list[int]:
    """Four codes 1-5 whose mean is ``score`` (a quarter step): 2.75 -> [3, 3, 3, 2]."""
    total = round(4 * score)
    base, extra = divmod(total, 4)
    return [base + 1] * extra + [base] * (4 - extra)


def _survey(pilot: str = "stad") -> tuple[pd.DataFrame, pd.DataFrame]:
    scores = pd.read_csv(FIXTURES / "two_waves.csv")
    rows = [(f"r{i}", row.wave, pilot, row.agency, *_codes(row.score))
            for i, row in enumerate(scores.itertuples(index=False))]
    responses = pd.DataFrame(rows, columns=["respondent_id", "wave", "pilot", "agency",
                                            "Q01", "Q02", "Q03", "Q04"])
    for item in ITEMS["item_id"]:
        responses[item] = pd.array(responses[item], dtype="Int64")
    population = pd.read_csv(FIXTURES / "two_waves_population.csv").assign(pilot=pilot)
    return responses, population


def test_the_built_responses_score_as_the_fixture():
    responses, _ = _survey()
    expected = pd.read_csv(FIXTURES / "two_waves.csv")["score"].to_numpy()
    assert_allclose(index_scores(responses, ITEMS)["score"], expected)


# > postStratify(svydesign(ids = ~1, fpc = ~N, data = dw), ~agency, freq)     weighted, fpc
# > postStratify(svydesign(ids = ~1, weights = ~w, data = dw), ~agency, freq)  weighted, no fpc
# > svydesign(ids = ~1, fpc = ~N, data = dw)                                   unweighted, fpc
# > t.test(dw$score)                                                           unweighted, no fpc
# > m <- svymean(~score, ps); c(coef(m), SE(m)); confint(m, df = degf(ps))
EXPECTED = {
    # (weighted, fpc): per wave (estimate, SE, ci_low, ci_high)
    (True, True): {2021: [3.368004202, 0.0601329249, 3.247282318, 3.488726086],
                   2022: [3.494427711, 0.04999418444, 3.394277325, 3.594578097]},
    (True, False): {2021: [3.368004202, 0.09650833467, 3.174255635, 3.561752768],
                    2022: [3.494427711, 0.08932476048, 3.315488713, 3.673366708]},
    (False, True): {2021: [3.471153846, 0.0771958333, 3.316176744, 3.626130948],
                    2022: [3.429824561, 0.05930976832, 3.311012818, 3.548636304]},
    (False, False): {2021: [3.471153846, 0.1238928811, 3.222428509, 3.719879184],
                     2022: [3.429824561, 0.1059689424, 3.217543261, 3.642105862]},
}


@pytest.mark.parametrize(("weighted", "fpc"), list(EXPECTED), ids=lambda v: str(v))
def test_pilot_means_match_survey(weighted, fpc):
    responses, population = _survey()
    result = weighted_index_means(responses, ITEMS, population, weighted=weighted, fpc=fpc,
                                  threshold=2)  # no agency hidden: plain post-stratification
    assert list(result.columns) == ["pilot", "index", "wave", "n", "estimate", "standard_error",
                                    "df", "ci_low", "ci_high", "weighted", "suppressed"]
    assert result[["pilot", "index", "wave"]].values.tolist() == [
        ["stad", "collaboration", 2021], ["stad", "collaboration", 2022]]
    assert result["n"].tolist() == [52, 57]
    assert result["df"].tolist() == [51, 56]  # degf(design)
    for row in result.itertuples(index=False):
        assert_allclose([row.estimate, row.standard_error, row.ci_low, row.ci_high],
                        EXPECTED[weighted, fpc][row.wave], rtol=RTOL)
    assert result["weighted"].tolist() == [weighted, weighted]
    assert not result["suppressed"].any()


def test_the_confidence_level_reaches_the_interval():
    # > confint(m, level = 0.90, df = degf(ps))   (2021, fpc): 3.267264418 3.468743986
    responses, population = _survey()
    result = weighted_index_means(responses, ITEMS, population, weighted=True, fpc=True,
                                  threshold=2, confidence_level=0.90)
    assert_allclose(result.loc[0, ["ci_low", "ci_high"]].to_numpy(dtype=float),
                    [3.267264418, 3.468743986], rtol=RTOL)


def test_all_pilots_together_are_post_stratified_by_pilot_and_agency():
    # reference.R (d): the 2022 wave relabelled as a second pilot in 2021
    # > postStratify(svydesign(ids = ~1, fpc = ~N, data = both), ~pilot + agency, freq2)
    # mean, SE                     3.430463435 0.03882002239
    # degf                         108
    # confint 0.95, df=degf        3.353515416 3.507411454
    stad, stad_population = _survey("stad")
    narvik, narvik_population = _survey("narvik")
    responses = pd.concat([stad[stad["wave"] == 2021],
                           narvik[narvik["wave"] == 2022].assign(wave=2021)], ignore_index=True)
    population = pd.concat([stad_population[stad_population["wave"] == 2021],
                            narvik_population[narvik_population["wave"] == 2022].assign(wave=2021)])
    result = weighted_index_means(responses, ITEMS, population, weighted=True, fpc=True,
                                  threshold=2, by=())  # no agency hidden
    assert list(result.columns[:3]) == ["index", "wave", "n"]
    assert len(result) == 1 and result.loc[0, "n"] == 109 and result.loc[0, "df"] == 108
    assert_allclose(result.loc[0, ["estimate", "standard_error", "ci_low", "ci_high"]].to_numpy(float),
                    [3.430463435, 0.03882002239, 3.353515416, 3.507411454], rtol=RTOL)


def test_an_agency_without_scored_respondents_is_left_out_of_the_population():
    # post-stratification cannot represent statens_vegvesen in 2021 when none of its five
    # respondents has a score; the estimate then describes the agencies that answered. R:
    # > dw <- subset(s, wave == 2021 & agency != "statens_vegvesen")
    # > freq <- population of 2021 without statens_vegvesen; dw$N <- sum(freq$Freq)   # 79
    # > ps <- postStratify(svydesign(ids = ~1, fpc = ~N, data = dw), ~agency, freq)
    # > m <- svymean(~score, ps)       3.28582730561 0.06548535361
    # > confint(m, df = degf(ps))      3.154012126 3.417642486    (degf 46)
    responses, population = _survey()
    gone = (responses["wave"] == 2021) & (responses["agency"] == "statens_vegvesen")
    responses.loc[gone, ["Q01", "Q02", "Q03"]] = pd.NA  # one item of four: no score
    weighted = weighted_index_means(responses, ITEMS, population, weighted=True, fpc=True,
                                    threshold=2)
    assert weighted["n"].tolist() == [47, 57]
    assert_allclose(weighted.loc[0, ["estimate", "standard_error", "ci_low", "ci_high"]].to_numpy(float),
                    [3.28582730561, 0.06548535361, 3.154012126, 3.417642486], rtol=RTOL)
    assert weighted.loc[0, "df"] == 46
    assert weighted.loc[1, "estimate"] == pytest.approx(3.494427711, rel=RTOL)


def test_hidden_agencies_are_weighted_together_as_one_stratum():
    # threshold 5: in 2022 statens_vegvesen (4) is hidden and skatteetaten (8) with it, so both
    # form one post-stratum with 15 + 8 = 23 invited. R:
    # > dw$stratum <- ifelse(dw$agency %in% c("skatteetaten", "statens_vegvesen"), "pooled", dw$agency)
    # > freq <- aggregate(invited ~ stratum, pw, sum)       # nav 38, politiet 22, pooled 23
    # > ps <- postStratify(svydesign(ids = ~1, fpc = ~N, data = dw), ~stratum, freq)
    # > m <- svymean(~score, ps)       3.49769076305 0.05059706924
    # > confint(m, df = degf(ps))      3.396332654 3.599048872
    responses, population = _survey()
    result = weighted_index_means(responses, ITEMS, population, weighted=True, fpc=True, threshold=5)
    assert_allclose(result.loc[1, ["estimate", "standard_error", "ci_low", "ci_high"]].to_numpy(float),
                    [3.49769076305, 0.05059706924, 3.396332654, 3.599048872], rtol=RTOL)


def test_rows_below_the_threshold_are_suppressed():
    responses, population = _survey()
    result = weighted_index_means(responses, ITEMS, population, weighted=True, fpc=True,
                                  threshold=55)
    assert result["suppressed"].tolist() == [True, False]
    assert result.loc[0, ["n", "estimate", "standard_error", "df", "ci_low", "ci_high"]].isna().all()


class _HidesMidterm:
    """A stand-in disclosure plan that hides stad's 2022 wave."""

    def hidden_mask(self, frame, responses=None):
        return ((frame["pilot"] == "stad") & (frame["wave"] == 2022)).to_numpy()


def test_a_disclosure_plan_hides_its_pilot_waves():
    responses, population = _survey()
    result = weighted_index_means(responses, ITEMS, population, weighted=True, fpc=True,
                                  threshold=5, plan=_HidesMidterm())
    assert result["suppressed"].tolist() == [False, True]
    assert pd.isna(result.loc[1, "estimate"]) and result.loc[0, "estimate"] > 0


def test_a_responding_agency_without_population_row_is_a_contract_error():
    responses, population = _survey()
    population = population[~((population["wave"] == 2022) & (population["agency"] == "politiet"))]
    with pytest.raises(DataContractError) as raised:
        weighted_index_means(responses, ITEMS, population, weighted=True, fpc=True, threshold=5)
    assert raised.value.file == "survey/population.csv"
    assert "'agency': 'politiet'" in str(raised.value) and "2022" in str(raised.value)
    assert "a population row for every group that answered" in str(raised.value)
    with pytest.raises(DataContractError, match="politiet"):
        agency_weights(responses, population)


@pytest.mark.parametrize(("options", "message"), [
    ({"by": ("agency",)}, "must not name agency or wave"),
    ({"by": ("pilot", "wave")}, "must not name agency or wave"),
    ({"weighted": "yes"}, "weighted must be True or False"),
    ({"fpc": None}, "fpc must be True or False"),
])
def test_bad_options_are_refused(options, message):
    responses, population = _survey()
    arguments = {"weighted": True, "fpc": True, "threshold": 5, **options}
    with pytest.raises(ValueError, match=message):
        weighted_index_means(responses, ITEMS, population, **arguments)


def test_agency_weights_are_invited_over_respondents():
    # by hand from two_waves.csv and two_waves_population.csv
    responses, population = _survey()
    population = pd.concat([population, pd.DataFrame(
        {"wave": [2022], "agency": ["kartverket"], "invited": [3], "pilot": ["stad"]})])
    result = agency_weights(responses, population)
    assert list(result.columns) == ["pilot", "wave", "agency", "invited", "respondents", "weight"]
    rows = {(r.wave, r.agency): (r.invited, r.respondents, r.weight)
            for r in result.itertuples(index=False)}
    assert rows[2021, "nav"] == (40, 21, pytest.approx(40 / 21))
    assert rows[2021, "statens_vegvesen"] == (6, 5, pytest.approx(1.2))
    assert rows[2022, "skatteetaten"] == (16, 8, pytest.approx(2.0))
    invited, respondents, weight = rows[2022, "kartverket"]
    assert (invited, respondents) == (3, 0) and np.isnan(weight)
    assert len(result) == 9


def test_agency_weights_refuse_more_respondents_than_invited():
    responses, population = _survey()
    population.loc[population["agency"] == "statens_vegvesen", "invited"] = 4
    with pytest.raises(DataContractError, match="5 responses but 4 invited"):
        agency_weights(responses, population)


# reference.R, the change 2021 -> 2022 (design stratified by wave, post-stratified by
# wave x agency): > svyttest(score ~ factor(wave), ps); confint(tt, level = 0.90)
# fpc = TRUE:  difference, SE 0.1264235092 0.07820094075; t, df, p 1.616649467 106 0.1089262963;
#              conf.int 0.95 -0.02861746185 0.2814644802
# fpc = FALSE: difference, SE 0.1264235092 0.1315019829;  t, df, p 0.9613810105 106 0.3385485587;
#              conf.int 0.95 -0.134291962 0.3871389803
CHANGE = {True: [0.1264235092, 0.07820094075, 1.616649467, 0.1089262963, -0.02861746185, 0.2814644802],
          False: [0.1264235092, 0.1315019829, 0.9613810105, 0.3385485587, -0.134291962, 0.3871389803]}


@pytest.mark.parametrize("fpc", [True, False])
def test_weighted_change_of_one_pilot_matches_svyttest(fpc):
    responses, population = _survey()
    other_pilot = population.assign(pilot="narvik", invited=population["invited"] * 2)
    scores = index_scores(responses, ITEMS)
    result = weighted_change(scores, pd.concat([population, other_pilot]), from_wave=2021,
                             to_wave=2022, fpc=fpc)
    assert_allclose([result.estimate, result.standard_error, result.statistic, result.p_value,
                     *result.ci], CHANGE[fpc], rtol=RTOL)
    assert result.df == 106
    assert (result.before.n, result.after.n) == (52, 57)


def test_weighted_change_takes_the_scores_of_one_pilot_and_index():
    responses, population = _survey()
    scores = index_scores(responses, ITEMS)
    two_pilots = pd.concat([scores, scores.assign(pilot="narvik")])
    with pytest.raises(ValueError, match="one pilot"):
        weighted_change(two_pilots, population, from_wave=2021, to_wave=2022, fpc=True)
    with pytest.raises(ValueError, match="'score'"):
        weighted_change(scores.drop(columns="score"), population, from_wave=2021, to_wave=2022,
                        fpc=True)


def test_weighted_change_names_a_missing_population_row_and_an_empty_agency():
    responses, population = _survey()
    scores = index_scores(responses, ITEMS)
    without_nav = population[~((population["wave"] == 2021) & (population["agency"] == "nav"))]
    with pytest.raises(DataContractError, match="'agency': 'nav'"):
        weighted_change(scores, without_nav, from_wave=2021, to_wave=2022, fpc=True)
    no_police = scores[~((scores["wave"] == 2022) & (scores["agency"] == "politiet"))]
    with pytest.raises(InsufficientDataError, match="politiet"):
        weighted_change(no_police, population, from_wave=2021, to_wave=2022, fpc=True)
    with pytest.raises(InsufficientDataError, match="at least two"):
        weighted_change(scores, population, from_wave=2021, to_wave=2024, fpc=True)
