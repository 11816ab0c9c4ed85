"""Tests of the post-stratified mean and change (evaluation.stats.survey_design).

Reference values are printed by R's survey package 4.1-1 (``svydesign``, ``postStratify``,
``svymean``, ``confint``, ``svyttest``) from the script ``tests/fixtures/survey_design/reference.R``
on the data next to it: ``apisrs`` (survey's own example data, post-stratified by school type
with the population counts of ``example(postStratify)``) and a hand-made pilot. The R calls
and their printed output are pasted beside each expected value.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from evaluation.errors import InsufficientDataError
from evaluation.stats import WeightedDifference, WeightedMean, poststratified_difference, poststratified_mean

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "survey_design"
RTOL = 1e-9  # R printed 10 significant digits (sprintf("%.10g"))

# > pop.types <- data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018))
SCHOOL_TYPES = {"E": 4421, "H": 755, "M": 1018}


def _api() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "apisrs.csv")


def _pilot(wave: int) -> tuple[pd.DataFrame, dict]:
    scores = pd.read_csv(FIXTURES / "two_waves.csv")
    population = pd.read_csv(FIXTURES / "two_waves_population.csv")
    scores, population = scores[scores["wave"] == wave], population[population["wave"] == wave]
    return scores, dict(zip(population["agency"], population["invited"]))


def _check(result: WeightedMean, expected: dict) -> None:
    assert_allclose([result.estimate, result.standard_error], expected["mean_se"], rtol=RTOL)
    assert result.df == expected["degf"]
    assert_allclose(result.ci, expected["ci"], rtol=RTOL)


def test_apisrs_post_stratified_by_school_type_with_fpc_matches_survey():
    # > api <- read.csv("apisrs.csv"); api$score <- api$api00; api$N <- 6194
    # > ps <- postStratify(svydesign(ids = ~1, fpc = ~N, data = api), ~stype, pop.types)
    # > m <- svymean(~score, ps); c(coef(m), SE(m)); degf(ps); confint(m, df = degf(ps))
    # mean, SE                     656.781581 9.156538162
    # degf                         199
    # confint 0.95, df=degf        638.7252856 674.8378763
    api = _api()
    result = poststratified_mean(api["api00"], api["stype"], SCHOOL_TYPES, fpc=True)
    _check(result, {"mean_se": [656.781581, 9.156538162], "degf": 199,
                    "ci": [638.7252856, 674.8378763]})
    assert (result.n, result.population_size, result.n_strata) == (200, 6194, 3)
    # svymean's own confint is normal: confint(m) gives 638.8350959 674.728066
    assert result.ci.low < 638.8350959


def test_apisrs_post_stratified_by_school_type_without_fpc_matches_survey():
    # > api$w <- 6194 / 200
    # > ps <- postStratify(svydesign(ids = ~1, weights = ~w, data = api), ~stype, pop.types)
    # mean, SE                     656.781581 9.30804643
    # degf                         199
    # confint 0.95, df=degf        638.4265179 675.136644
    api = _api()
    result = poststratified_mean(api["api00"], api["stype"], pd.Series(SCHOOL_TYPES), fpc=False)
    _check(result, {"mean_se": [656.781581, 9.30804643], "degf": 199,
                    "ci": [638.4265179, 675.136644]})


# The hand-made pilot, per wave:
# > dw$N <- sum(pw$invited); dw$w <- dw$N / nrow(dw)
# > freq <- data.frame(agency = pw$agency, Freq = pw$invited)
# > ps <- postStratify(svydesign(ids = ~1, fpc = ~N, data = dw), ~agency, freq)   # fpc
# > ps <- postStratify(svydesign(ids = ~1, weights = ~w, data = dw), ~agency, freq)  # no fpc
# > m <- svymean(~score, ps); confint(m, level = level, df = degf(ps))
PILOT = {
    # 2021, fpc
    # mean, SE                     3.368004202 0.0601329249
    # degf                         51
    # confint 0.95, df=degf        3.247282318 3.488726086
    # confint 0.90, df=degf        3.267264418 3.468743986
    (2021, True): {"mean_se": [3.368004202, 0.0601329249], "degf": 51,
                   "ci": [3.247282318, 3.488726086], "ci90": [3.267264418, 3.468743986]},
    # 2021, no fpc
    # mean, SE                     3.368004202 0.09650833467
    # confint 0.95, df=degf        3.174255635 3.561752768
    (2021, False): {"mean_se": [3.368004202, 0.09650833467], "degf": 51,
                    "ci": [3.174255635, 3.561752768]},
    # 2022, fpc
    # mean, SE                     3.494427711 0.04999418444
    # degf                         56
    # confint 0.95, df=degf        3.394277325 3.594578097
    # confint 0.90, df=degf        3.410811322 3.578044099
    (2022, True): {"mean_se": [3.494427711, 0.04999418444], "degf": 56,
                   "ci": [3.394277325, 3.594578097], "ci90": [3.410811322, 3.578044099]},
    # 2022, no fpc
    # mean, SE                     3.494427711 0.08932476048
    # confint 0.95, df=degf        3.315488713 3.673366708
    (2022, False): {"mean_se": [3.494427711, 0.08932476048], "degf": 56,
                    "ci": [3.315488713, 3.673366708]},
}


@pytest.mark.parametrize(("wave", "fpc"), list(PILOT), ids=lambda v: str(v))
def test_hand_made_pilot_matches_survey(wave, fpc):
    scores, population = _pilot(wave)
    result = poststratified_mean(scores["score"], scores["agency"], population, fpc=fpc)
    _check(result, PILOT[wave, fpc])
    assert result.fpc is fpc


@pytest.mark.parametrize("wave", [2021, 2022])
def test_the_interval_at_another_level_matches_confint(wave):
    scores, population = _pilot(wave)
    expected = PILOT[wave, True]["ci90"]
    result = poststratified_mean(scores["score"], scores["agency"], population, fpc=True,
                                 confidence_level=0.90)
    assert_allclose(result.ci, expected, rtol=RTOL)
    assert result.confidence_level == 0.90
    wide = poststratified_mean(scores["score"], scores["agency"], population, fpc=True)
    assert_allclose(wide.confidence_interval(confidence_level=0.90), expected, rtol=RTOL)


def test_weighting_counts_each_agency_by_its_invited_staff():
    # 2021 by hand from two_waves.csv: nav 21 of 40 answered (mean 2.964286), skatteetaten 12
    # of 15 (4.229167), politiet 14 of 24 (3.232143), statens_vegvesen 5 of 6 (4.45); N = 85;
    # (40 * 2.964286 + 15 * 4.229167 + 24 * 3.232143 + 6 * 4.45) / 85 = 3.368004
    scores, population = _pilot(2021)
    result = poststratified_mean(scores["score"], scores["agency"], population, fpc=True)
    assert result.estimate == pytest.approx(3.368004, abs=5e-7)
    assert result.stratum_weights.to_dict() == pytest.approx(
        {"nav": 40 / 21, "skatteetaten": 15 / 12, "politiet": 24 / 14, "statens_vegvesen": 6 / 5})


@pytest.mark.parametrize("wave", [2021, 2022])
def test_one_stratum_is_the_unweighted_mean_of_a_simple_random_sample(wave):
    # > svymean(~score, svydesign(ids = ~1, fpc = ~N, data = dw)); confint(m, df = degf(d))
    # 2021: mean, SE 3.471153846 0.0771958333;  confint 0.95 3.316176744 3.626130948
    # 2022: mean, SE 3.429824561 0.05930976832; confint 0.95 3.311012818 3.548636304
    # > t.test(dw$score)     (no fpc: the classical t interval)
    # 2021: mean, SE, df 3.471153846 0.1238928811 51; conf.int 3.222428509 3.719879184
    # 2022: mean, SE, df 3.429824561 0.1059689424 56; conf.int 3.217543261 3.642105862
    srs = {2021: ([3.471153846, 0.0771958333], [3.316176744, 3.626130948]),
           2022: ([3.429824561, 0.05930976832], [3.311012818, 3.548636304])}
    t_test = {2021: ([3.471153846, 0.1238928811], [3.222428509, 3.719879184]),
              2022: ([3.429824561, 0.1059689424], [3.217543261, 3.642105862])}
    scores, population = _pilot(wave)
    one = {"all": sum(population.values())}
    labels = ["all"] * len(scores)
    with_fpc = poststratified_mean(scores["score"], labels, one, fpc=True)
    assert_allclose([with_fpc.estimate, with_fpc.standard_error], srs[wave][0], rtol=RTOL)
    assert_allclose(with_fpc.ci, srs[wave][1], rtol=RTOL)
    without = poststratified_mean(scores["score"], labels, one, fpc=False)
    assert_allclose([without.estimate, without.standard_error], t_test[wave][0], rtol=RTOL)
    assert_allclose(without.ci, t_test[wave][1], rtol=RTOL)


# > one <- data.frame(agency = c("a", "a", "a", "a", "b", "c", "c", "c"),
# +                   score = c(3, 4, 4.5, 2, 5, 3.25, 2.5, 4), N = 24, w = 3)
# > freq1 <- data.frame(agency = c("a", "b", "c"), Freq = c(10, 6, 8))
ONE_VALUES = [3, 4, 4.5, 2, 5, 3.25, 2.5, 4]
ONE_STRATA = ["a", "a", "a", "a", "b", "c", "c", "c"]
ONE_POPULATION = {"a": 10, "b": 6, "c": 8}


def test_a_stratum_with_one_respondent_adds_no_variance_as_in_survey():
    # > mean_of(postStratify(svydesign(ids = ~1, fpc = ~N, data = one), ~agency, freq1))
    # mean, SE                     3.739583333 0.2026506723
    # degf                         7
    # confint 0.95, df=degf        3.260390639 4.218776028
    # > mean_of(postStratify(svydesign(ids = ~1, weights = ~w, data = one), ~agency, freq1))
    # mean, SE                     3.739583333 0.2481953716
    # confint 0.95, df=degf        3.152694539 4.326472128
    with_fpc = poststratified_mean(ONE_VALUES, ONE_STRATA, ONE_POPULATION, fpc=True)
    _check(with_fpc, {"mean_se": [3.739583333, 0.2026506723], "degf": 7,
                      "ci": [3.260390639, 4.218776028]})
    assert with_fpc.single_respondent_strata == ("b",)
    without = poststratified_mean(ONE_VALUES, ONE_STRATA, ONE_POPULATION, fpc=False)
    _check(without, {"mean_se": [3.739583333, 0.2481953716], "degf": 7,
                     "ci": [3.152694539, 4.326472128]})
    # by hand: W = (10, 6, 8) / 24; stratum sums of squares a: 3.6875, b: 0, c: 1.125;
    # V = (1 - 8/24) * 8/7 * ((10/24)^2 * 3.6875/16 + (8/24)^2 * 1.125/9) = 0.0410673
    assert with_fpc.standard_error ** 2 == pytest.approx(0.0410673, abs=5e-8)


# The change 2021 -> 2022 of the hand-made pilot, one design stratified by wave:
# > d$N <- total invited of the row's wave; d$w <- d$N / (respondents of the wave)
# > freq <- data.frame(wave = pop$wave, agency = pop$agency, Freq = pop$invited)
# > des <- svydesign(ids = ~1, strata = ~wave, fpc = ~N, data = d)    # fpc = TRUE
# > des <- svydesign(ids = ~1, strata = ~wave, weights = ~w, data = d) # fpc = FALSE
# > ps <- postStratify(des, ~wave + agency, freq)
# > tt <- svyttest(score ~ factor(wave), ps); m <- svyglm(score ~ factor(wave), ps)
# > c(coef(m)[2], SE(m)[2]); c(tt$statistic, tt$parameter, tt$p.value); tt$conf.int
# > confint(tt, level = 0.90)
CHANGE = {
    # change, fpc = TRUE
    # difference, SE               0.1264235092 0.07820094075
    # t, df, p                     1.616649467 106 0.1089262963
    # conf.int 0.95                -0.02861746185 0.2814644802
    # confint 0.90                 -0.003339693739 0.2561867121
    True: {"estimate_se": [0.1264235092, 0.07820094075], "t_p": [1.616649467, 0.1089262963],
           "ci": [-0.02861746185, 0.2814644802], "ci90": [-0.003339693739, 0.2561867121]},
    # change, fpc = FALSE
    # difference, SE               0.1264235092 0.1315019829
    # t, df, p                     0.9613810105 106 0.3385485587
    # conf.int 0.95                -0.134291962 0.3871389803
    # confint 0.90                 -0.09178509957 0.3446321179
    False: {"estimate_se": [0.1264235092, 0.1315019829], "t_p": [0.9613810105, 0.3385485587],
            "ci": [-0.134291962, 0.3871389803], "ci90": [-0.09178509957, 0.3446321179]},
}


@pytest.mark.parametrize("fpc", [True, False])
def test_change_between_waves_matches_svyttest(fpc):
    before, before_population = _pilot(2021)
    after, after_population = _pilot(2022)
    result = poststratified_difference(before["score"], before["agency"], before_population,
                                       after["score"], after["agency"], after_population, fpc=fpc)
    expected = CHANGE[fpc]
    assert isinstance(result, WeightedDifference)
    assert_allclose([result.estimate, result.standard_error], expected["estimate_se"], rtol=RTOL)
    assert_allclose([result.statistic, result.p_value], expected["t_p"], rtol=RTOL)
    assert result.df == 106
    assert_allclose(result.ci, expected["ci"], rtol=RTOL)
    assert_allclose(result.confidence_interval(confidence_level=0.90), expected["ci90"], rtol=RTOL)
    at_90 = poststratified_difference(before["score"], before["agency"], before_population,
                                      after["score"], after["agency"], after_population, fpc=fpc,
                                      confidence_level=0.90)
    assert_allclose(at_90.ci, expected["ci90"], rtol=RTOL)
    # the two waves' own means are those of PILOT
    assert_allclose(result.before.estimate, PILOT[2021, fpc]["mean_se"][0], rtol=RTOL)
    assert_allclose(result.after.standard_error, PILOT[2022, fpc]["mean_se"][1], rtol=RTOL)


def test_missing_values_are_dropped_before_weighting():
    with_missing = poststratified_mean([*ONE_VALUES, np.nan, None], [*ONE_STRATA, "a", "c"],
                                       ONE_POPULATION, fpc=True)
    assert with_missing.n == 8
    assert with_missing.standard_error == pytest.approx(0.2026506723, rel=RTOL)


def test_strata_may_be_tuples_and_empty_strata_of_size_zero_are_ignored():
    strata = [("stad", s) for s in ONE_STRATA]
    population = {("stad", s): size for s, size in ONE_POPULATION.items()}
    population["stad", "closed office"] = 0
    result = poststratified_mean(ONE_VALUES, strata, population, fpc=True)
    assert result.estimate == pytest.approx(3.739583333, rel=RTOL)
    assert result.stratum_weights[("stad", "b")] == 6.0
    assert result.n_strata == 3


def test_a_census_with_fpc_has_no_sampling_error():
    result = poststratified_mean([1, 2, 3, 4], ["a", "a", "b", "b"], {"a": 2, "b": 2}, fpc=True)
    assert result.estimate == 2.5
    assert result.standard_error == 0
    assert tuple(result.ci) == (2.5, 2.5)


def test_a_stratum_with_respondents_but_no_population_is_named():
    with pytest.raises(ValueError, match=r"\['d'\] have values but no population size"):
        poststratified_mean([1, 2, 3], ["a", "a", "d"], {"a": 5}, fpc=True)


def test_a_stratum_with_population_but_no_respondents_is_insufficient_data():
    # R: postStratify(...) stops with "Some strata absent from sample: use partial=TRUE ..."
    with pytest.raises(InsufficientDataError, match=r"\['b'\] have a population but no values"):
        poststratified_mean([1, 2, 3], ["a", "a", "a"], {"a": 5, "b": 4}, fpc=False)
    with pytest.raises(InsufficientDataError, match="'b'"):
        poststratified_mean([1, 2, 3, np.nan], ["a", "a", "a", "b"], {"a": 5, "b": 4}, fpc=False)


def test_fewer_than_two_values_are_insufficient_data():
    # R: svydesign(ids = ~1, ...) on one row stops: "Design has only one primary sampling unit"
    with pytest.raises(InsufficientDataError, match="at least two values"):
        poststratified_mean([3.0], ["a"], {"a": 5}, fpc=True)
    with pytest.raises(InsufficientDataError):
        poststratified_difference([3.0], ["a"], {"a": 5}, [2, 3], ["a", "a"], {"a": 5}, fpc=True)


@pytest.mark.parametrize(("values", "strata", "population", "fpc", "message"), [
    ([1, 2, 3], ["a", "a", "a"], {"a": 2}, True, "more values than their population"),
    ([1, 2, 3], ["a", "a", "a"], {"a": -1}, True, "non-negative numbers"),
    ([1, 2, 3], ["a", "a", "a"], {"a": math.nan}, True, "non-negative numbers"),
    ([1, 2, 3], ["a", "a", "a"], {"a": "ten"}, True, "non-negative numbers"),
    ([1, 2, 3], ["a", "a"], {"a": 10}, True, "differ in length"),
    ([1, 2, 3], ["a", "a", "a"], [("a", 10)], True, "must map each stratum"),
    ([1, 2, 3], ["a", "a", "a"], {"a": 10}, 1, "fpc must be True or False"),
])
def test_bad_input_is_refused_with_a_clear_message(values, strata, population, fpc, message):
    with pytest.raises(ValueError, match=message):
        poststratified_mean(values, strata, population, fpc=fpc)


def test_the_confidence_level_is_checked():
    with pytest.raises(ValueError, match="confidence_level"):
        poststratified_mean(ONE_VALUES, ONE_STRATA, ONE_POPULATION, fpc=True, confidence_level=95)
