"""Change of the survey indices between waves: one estimand per row, a pre-specified test family.

Each row of :func:`compare_waves` is the change in an index mean between two waves, with its
matching interval and a standardised effect size. Only the *primary* comparisons carry a test:
the pilot-level change of each index from the baseline wave to a phase's wave, Holm-adjusted
within the pilot and that phase, so a phase's p-values never change when a later phase is
added. Agency rows and the change between two phases are descriptive (estimate and interval).
Pilot-level estimates can be post-stratified by agency (:mod:`evaluation.survey.weighting`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from evaluation.contract.vocabulary import BASELINE_ROLE
from evaluation.errors import DataContractError, InsufficientDataError
from evaluation.privacy import suppress_small_cells
from evaluation.stats import (
    ChangeComparison,
    check_confidence_level,
    compare_changes,
    compare_groups,
    hedges_g_from_summary,
    holm_adjust,
    interpret_with_caution,
    poststratified_difference,
)
from evaluation.survey.indices import index_scores
from evaluation.survey.inputs import POPULATION_FILE, RESPONSES_FILE, check_by, item_meta, require_columns
from evaluation.survey.weighting import hidden_agency_cells, poststrata

if TYPE_CHECKING:
    from evaluation.contract.evidence_rules import EvidenceRules
    from evaluation.disclosure import DisclosurePlan

_COLUMNS = ("level", "pilot", "agency", "index", "from_wave", "to_wave", "from_role", "to_role",
            "n_from", "n_to", "mean_from", "mean_to", "difference", "standard_error", "df",
            "ci_low", "ci_high", "statistic", "p_value", "p_value_adjusted", "primary",
            "hedges_g", "hedges_g_low", "hedges_g_high", "magnitude", "weighted", "caution",
            "method", "suppressed")

_FLOATS = ("mean_from", "mean_to", "difference", "standard_error", "df", "ci_low", "ci_high",
           "statistic", "p_value", "hedges_g", "hedges_g_low", "hedges_g_high")

def _wave_roles(waves: pd.DataFrame) -> dict:
    require_columns(waves, ["wave", "role"], "programme.yaml")
    return dict(zip(waves["wave"], waves["role"]))


def compare_waves(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    waves: pd.DataFrame,
    *,
    comparisons: Sequence[tuple[str, str]],
    population: pd.DataFrame | None,
    weighted: bool,
    rules: EvidenceRules,
    threshold: int,
    by_agency: bool = True,
    confidence_level: float = 0.95,
    plan: DisclosurePlan | None = None,
) -> pd.DataFrame:
    """Change of every index between survey waves, per pilot (and agency).

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide responses with ``wave``, ``pilot`` and ``agency``.
    items : pandas.DataFrame
        Survey items (the codebook of the indices).
    waves : pandas.DataFrame
        ``programme.waves``: ``wave, role`` with role ``baseline`` or a phase id.
    comparisons : sequence of (str, str)
        The comparisons to make, as ``(from_role, to_role)`` pairs of wave roles, in the order
        the result lists them: :attr:`evaluation.contract.Programme.comparisons`.
    population : pandas.DataFrame or None
        ``survey/population.csv`` (pilot, agency, wave, invited); required when ``weighted``.
    weighted : bool
        Post-stratify the pilot rows by agency (each agency counts by its invited staff) with
        design-based standard errors; ``False`` gives the unweighted (Welch) estimates, which a
        report shows only as a sensitivity check.
    rules : evaluation.contract.evidence_rules.EvidenceRules
        ``programme.evidence_rules``: the finite-population correction of the weighted
        estimates and the limits of the "interpret with caution" flag.
    threshold : int
        Anonymity threshold.
    by_agency : bool
        Also estimate each agency's change within its pilot (descriptive, unweighted).
    confidence_level : float
        Level of every interval (unadjusted for multiplicity).
    plan : evaluation.disclosure.DisclosurePlan, optional
        The render's disclosure plan: a cell it hides is hidden here too, and replaces the
        complementary suppression made otherwise.

    Returns
    -------
    pandas.DataFrame
        One row per level (``"pilot"`` or ``"agency"``), pilot, agency (missing on pilot
        rows), index and comparison, with columns ``level, pilot, agency, index, from_wave,
        to_wave, from_role, to_role, n_from, n_to, mean_from, mean_to, difference,
        standard_error, df, ci_low, ci_high, statistic, p_value, p_value_adjusted, primary,
        hedges_g, hedges_g_low, hedges_g_high, magnitude, weighted, caution, method,
        suppressed``. ``difference = mean_to - mean_from`` with its interval
        (``ci_low``, ``ci_high``) and t ``statistic`` on ``df`` degrees of freedom; ``p_value``
        (two-sided) and ``p_value_adjusted`` (Holm) only on primary rows; ``magnitude`` is
        ``negligible``, ``small``, ``medium`` or ``large`` (:func:`evaluation.stats.effect_magnitude`);
        ``caution`` marks estimates to interpret with caution
        (:func:`evaluation.stats.interpret_with_caution`); ``method`` is ``"poststratified"``
        or ``"welch"``.

    Raises
    ------
    DataContractError
        If a response's wave is not in ``waves``, or a weighted pilot's agency has no
        population row.

    Notes
    -----
    *One estimand per row*: the difference in mean index score (:func:`index_scores`) between
    two independent cross-sections. Unweighted rows use Welch's t-test and its matching
    interval (:func:`evaluation.stats.compare_groups`, as R's ``t.test``). Weighted pilot rows
    use the post-stratified means and their linearisation variance
    (:func:`evaluation.stats.poststratified_difference`, as R's ``survey`` package with
    ``postStratify`` and ``svymean``). The effect size is Hedges' g of the difference shown,
    standardised by the pooled within-wave standard deviation of the respondents' scores
    (:func:`evaluation.stats.hedges_g_from_summary`).

    *Pre-specified family*: a row is primary when it is a pilot row from the baseline to a
    phase's wave. Holm's adjustment runs over the primary rows of one pilot and one phase (its
    indices), so the p-values of the midterm comparisons are the same in the midterm and the
    final report. Every other row is descriptive: no p-value.

    *Suppression*: the respondents per pilot/agency, index and wave are the cells
    (:func:`evaluation.privacy.suppress_small_cells`, or the plan). A comparison is suppressed
    when either wave is. For the weighted pilot estimate the hidden agencies of a wave form one
    post-stratum with their invited staff summed (:func:`evaluation.survey.weighting.poststrata`),
    so the weighted and the unweighted pilot means together reveal nothing about a hidden agency
    that the pilot's total did not. Agencies with invited staff but no respondents in a wave are
    left out of that wave's population: the estimate describes the agencies that answered.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65–70.

    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika*, 34(1–2), 28–35.

    Kalton, G. and Flores-Cervantes, I. (2003). Weighting methods. *Journal of Official
    Statistics*, 19(2), 81–97.
    """
    level = check_confidence_level(confidence_level)
    if weighted and population is None:
        raise ValueError("weighted estimates need the population (survey/population.csv)")
    comparisons = [tuple(pair) for pair in comparisons]
    scores, role_wave, pairs = _scores_and_pairs(responses, items, waves, comparisons)
    if not pairs or scores.empty:
        return pd.DataFrame(columns=list(_COLUMNS))
    hidden = _hidden_cells(scores, threshold=threshold, plan=plan)
    options = dict(hidden=hidden, threshold=threshold, level=level, rules=rules)
    rows = _pilot_rows(scores, role_wave, pairs, population=population if weighted else None, **options)
    if by_agency:
        rows += _agency_rows(scores, role_wave, pairs, **options)
    result = _ordered(pd.DataFrame(rows).reindex(columns=list(_COLUMNS)), items, comparisons)
    return _finish(result, rules)


def compare_agency_changes(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    waves: pd.DataFrame,
    *,
    pilot: str,
    index: str,
    agencies: tuple[str, str],
    roles: tuple[str, str],
    threshold: int,
    confidence_level: float = 0.95,
    plan: DisclosurePlan | None = None,
) -> ChangeComparison:
    """Did an index change more for one agency than for another? The difference of two changes.

    "Did collaboration improve more for NAV than for Skatteetaten in Narvik?": the change of
    ``index`` between the waves of ``roles`` for the first agency minus that for the second,
    with a Welch-type t-test and its matching interval
    (:func:`evaluation.stats.compare_changes`).

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide responses with ``wave``, ``pilot`` and ``agency``.
    items : pandas.DataFrame
        Survey items.
    waves : pandas.DataFrame
        ``programme.waves`` (``wave, role``).
    pilot, index : str
        The pilot and the survey index.
    agencies : (str, str)
        The two agencies, ``(a, b)``: the result is a's change minus b's.
    roles : (str, str)
        The earlier and the later wave, by role (``("baseline", "midterm")``).
    threshold : int
        Anonymity threshold: each of the four groups (agency × wave) must be shown.
    confidence_level : float
        Level of the interval.
    plan : evaluation.disclosure.DisclosurePlan, optional
        The render's disclosure plan: an agency it hides in either wave is refused too.

    Returns
    -------
    evaluation.stats.ChangeComparison
        ``change_a, change_b, difference, se, df, statistic, p_value`` (two-sided), ``ci``.

    Raises
    ------
    InsufficientDataError
        If one of the four groups is hidden (fewer than ``threshold`` respondents with a score,
        complementary suppression, or the plan), or a wave of ``roles`` has no responses.

    Notes
    -----
    The four groups are independent cross-sections. The comparison is unweighted: within one
    agency every respondent stands for the same number of invited staff. It is descriptive
    help for an evaluator's own question, outside the report's pre-specified family, so its
    p-value is not adjusted for multiplicity.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> data = load_data(phase="midterm")
    >>> result = compare_agency_changes(
    ...     data.responses, data.items, data.programme.waves, pilot="narvik", index="collaboration",
    ...     agencies=("nav", "skatteetaten"), roles=("baseline", "midterm"),
    ...     threshold=data.anonymity_threshold)
    >>> bool(result.ci.low < result.difference < result.ci.high)
    True
    """
    level = check_confidence_level(confidence_level)
    scores, role_wave, _ = _scores_and_pairs(responses, items, waves, [tuple(roles)])
    missing = [role for role in roles if role not in role_wave]
    if missing:
        raise InsufficientDataError(f"no responses in the wave of role {missing[0]!r}")
    scores = scores[(scores["pilot"] == pilot) & (scores["index"] == index)]
    hidden = _hidden_cells(scores, threshold=threshold, plan=plan)
    samples = []
    for agency in agencies:
        for role in roles:
            wave = role_wave[role]
            if hidden.get((pilot, agency, index, wave), True):
                raise InsufficientDataError(
                    f"{agency} in {pilot}, wave {wave}: the group is hidden (fewer than {threshold} "
                    "respondents with a score, or hidden with such a group), so its change is not shown")
            samples.append(scores.loc[(scores["agency"] == agency) & (scores["wave"] == wave), "score"])
    return compare_changes(*samples, confidence_level=level)


def _scores_and_pairs(responses: pd.DataFrame, items: pd.DataFrame, waves: pd.DataFrame,
                      comparisons: list[tuple[str, str]]) -> tuple[pd.DataFrame, dict, list[tuple[str, str]]]:
    """Index scores present, the first wave of each role, and the comparisons that can be made."""
    check_by(responses, ["wave", "pilot", "agency"])
    roles = _wave_roles(waves)
    unknown = sorted(set(responses["wave"]) - set(roles))
    if unknown:
        raise DataContractError.single(RESPONSES_FILE, None, "wave",
                                       f"wave(s) {unknown} are not in the programme's waves",
                                       "a wave listed in programme.yaml")
    scores = index_scores(responses, items)
    scores = scores[scores["score"].notna()]
    role_wave = {}
    for wave, role in roles.items():
        if (scores["wave"] == wave).any():
            role_wave.setdefault(role, wave)
    pairs = [(f, t) for f, t in comparisons if f in role_wave and t in role_wave]
    return scores, role_wave, pairs


def _hidden_cells(scores: pd.DataFrame, *, threshold: int, plan) -> dict:
    """``{(pilot, agency-or-None, index, wave): hidden}`` for every pilot and agency cell.

    Agency cells as :func:`evaluation.survey.weighting.hidden_agency_cells`; pilot cells are
    suppressed within index and wave, or as the plan decides.
    """
    cells = scores.groupby(["pilot", "index", "wave"], sort=True).size().rename("n").reset_index()
    within = ["index", "wave"]
    if plan is not None:
        cells["suppressed"] = plan.hidden_mask(cells)
        within = ["pilot", "index", "wave"]
    cells = suppress_small_cells(cells, count_column="n", threshold=threshold, within=within)
    hidden = {(r.pilot, None, r.index, r.wave): bool(r.suppressed) for r in cells.itertuples(index=False)}
    return {**hidden, **hidden_agency_cells(scores, threshold=threshold, plan=plan)}


def _record(level_name, pilot, agency, index, pair, waves, n_from, n_to, suppressed) -> dict:
    return {"level": level_name, "pilot": pilot, "agency": agency if agency is not None else pd.NA,
            "index": index, "from_wave": waves[0], "to_wave": waves[1], "from_role": pair[0],
            "to_role": pair[1], "n_from": n_from, "n_to": n_to, "suppressed": suppressed,
            "primary": level_name == "pilot" and pair[0] == BASELINE_ROLE}


def _pilot_rows(scores, role_wave, pairs, *, population, hidden, threshold, level, rules) -> list[dict]:
    rows = []
    for (pilot, index), group in scores.groupby(["pilot", "index"], sort=True):
        for pair in pairs:
            waves = (role_wave[pair[0]], role_wave[pair[1]])
            before, after = (group[group["wave"] == w] for w in waves)
            suppressed = any(hidden.get((pilot, None, index, w), True) for w in waves)
            suppressed = suppressed or min(len(before), len(after)) < threshold
            record = _record("pilot", pilot, None, index, pair, waves, len(before), len(after), suppressed)
            if not suppressed:
                if population is None:
                    record.update(_welch_fields(after["score"], before["score"], level))
                else:
                    strata = [_strata(part, pilot, index, w, population, hidden)
                              for part, w in ((before, waves[0]), (after, waves[1]))]
                    record.update(_weighted_fields(before["score"], after["score"], strata, level, rules))
            rows.append(record)
    return rows


def _agency_rows(scores, role_wave, pairs, *, hidden, threshold, level, rules) -> list[dict]:
    rows = []
    for (pilot, agency, index), group in scores.groupby(["pilot", "agency", "index"], sort=True):
        for pair in pairs:
            waves = (role_wave[pair[0]], role_wave[pair[1]])
            before, after = (group.loc[group["wave"] == w, "score"] for w in waves)
            suppressed = any(hidden.get((pilot, agency, index, w), True) for w in waves)
            suppressed = suppressed or min(len(before), len(after)) < threshold
            record = _record("agency", pilot, agency, index, pair, waves, len(before), len(after), suppressed)
            if not suppressed:
                record.update(_welch_fields(after, before, level))
            rows.append(record)
    return rows


def _strata(part: pd.DataFrame, pilot, index, wave, population: pd.DataFrame,
            hidden: dict) -> tuple[list, dict]:
    """Post-stratum of each respondent (hidden agencies pooled) and each stratum's invited staff."""
    invited = population[(population["pilot"] == pilot) & (population["wave"] == wave)]
    invited = dict(zip(invited["agency"], invited["invited"]))
    missing = [a for a in dict.fromkeys(part["agency"]) if a not in invited]
    if missing:
        raise DataContractError.single(
            POPULATION_FILE, None, "invited",
            f"no invited count for pilot {pilot!r}, wave {wave}, agency {missing[0]!r}",
            "one row per pilot, agency and wave with responses")
    pooled = {a for a in set(part["agency"]) if hidden.get((pilot, a, index, wave), False)}
    return poststrata(list(part["agency"]), invited, pooled)


def _welch_fields(after: pd.Series, before: pd.Series, level: float) -> dict:
    """Welch comparison of one unweighted pair (empty when it cannot be made)."""
    try:
        result = compare_groups(after.to_numpy(dtype=float), before.to_numpy(dtype=float),
                                confidence_level=level)
    except InsufficientDataError:
        return {}
    fields = dict(mean_from=result.mean_b, mean_to=result.mean_a, difference=result.mean_difference,
                  standard_error=_se(result), df=result.df, ci_low=result.ci.low, ci_high=result.ci.high,
                  statistic=result.statistic, p_value=result.p_value, method="welch", weighted=False)
    return {**fields, **_effect(after, before, result.mean_a, result.mean_b, level)}


def _se(result) -> float:
    return float(result.mean_difference / result.statistic) if result.statistic else float("nan")


def _weighted_fields(before: pd.Series, after: pd.Series, strata, level: float, rules) -> dict:
    """Post-stratified comparison of one pilot pair (empty when it cannot be made)."""
    (labels_before, sizes_before), (labels_after, sizes_after) = strata
    try:
        result = poststratified_difference(
            before.to_numpy(dtype=float), labels_before, sizes_before,
            after.to_numpy(dtype=float), labels_after, sizes_after,
            fpc=rules.finite_population_correction, confidence_level=level)
    except InsufficientDataError:
        return {}
    fields = dict(mean_from=result.before.estimate, mean_to=result.after.estimate, difference=result.estimate,
                  standard_error=result.standard_error, df=result.df, ci_low=result.ci.low,
                  ci_high=result.ci.high, statistic=result.statistic, p_value=result.p_value,
                  method="poststratified", weighted=True)
    return {**fields, **_effect(after, before, result.after.estimate, result.before.estimate, level)}


def _effect(after: pd.Series, before: pd.Series, mean_after: float, mean_before: float, level: float) -> dict:
    try:
        effect = hedges_g_from_summary(mean_after, float(after.std(ddof=1)), len(after),
                                       mean_before, float(before.std(ddof=1)), len(before),
                                       confidence_level=level)
    except (InsufficientDataError, ValueError, ZeroDivisionError):
        return {}
    return dict(hedges_g=effect.estimate, hedges_g_low=effect.ci.low, hedges_g_high=effect.ci.high,
                magnitude=effect.magnitude)


def _finish(result: pd.DataFrame, rules) -> pd.DataFrame:
    """Types, the Holm adjustment per primary family, and the caution flag."""
    for column in _FLOATS:
        result[column] = result[column].astype(float)
    shown = ~result["suppressed"].astype(bool)
    primary = result["primary"].astype(bool) & shown
    result.loc[~primary, ["p_value", "statistic"]] = np.nan
    result["p_value_adjusted"] = np.nan
    for _, family in result[primary].groupby(["pilot", "to_role"], sort=False):
        result.loc[family.index, "p_value_adjusted"] = holm_adjust(family["p_value"].to_numpy())
    for column in ("n_from", "n_to"):
        result[column] = result[column].astype("Int64").mask(~shown)
    smallest = np.fmin(result["n_from"].astype(float), result["n_to"].astype(float))
    result["caution"] = shown & interpret_with_caution(
        smallest.to_numpy(), result["ci_low"].to_numpy(), result["ci_high"].to_numpy(),
        min_n=rules.caution_min_respondents, max_interval_width=rules.caution_max_interval_width)
    result["weighted"] = result["weighted"].fillna(False).astype(bool)
    for column in ("suppressed", "primary", "caution"):
        result[column] = result[column].astype(bool)
    return result


def _ordered(result: pd.DataFrame, items: pd.DataFrame,
             comparisons: list[tuple[str, str]]) -> pd.DataFrame:
    """Pilot rows before agency rows, indices as in the items file, comparisons as listed."""
    index_order = {index: i for i, index in enumerate(dict.fromkeys(item_meta(items)["index"]))}
    pair_order = {pair: i for i, pair in enumerate(comparisons)}
    result = result.assign(
        _level=(result["level"] == "agency").astype(int),
        _index=result["index"].map(index_order),
        _pair=[pair_order[(f, t)] for f, t in zip(result["from_role"], result["to_role"])],
        _agency=result["agency"].astype(object).where(result["agency"].notna(), ""),
    ).sort_values(["_level", "pilot", "_agency", "_index", "_pair"], kind="stable")
    return result.drop(columns=["_level", "_index", "_pair", "_agency"]).reset_index(drop=True)


__all__ = ["compare_agency_changes", "compare_waves"]
