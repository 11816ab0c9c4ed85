"""Change of the survey indices between waves, per pilot and agency, Holm-corrected."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from evaluation.errors import DataContractError, InsufficientDataError
from evaluation.privacy import suppress_small_cells
from evaluation.stats import check_confidence_level, compare_groups, holm_adjust, rank_comparison
from evaluation.survey.indices import index_scores
from evaluation.survey.inputs import RESPONSES_FILE, check_by, item_meta, require_columns

if TYPE_CHECKING:
    from evaluation.disclosure import DisclosurePlan

_COLUMNS = ("level", "pilot", "agency", "index", "from_wave", "to_wave", "from_role", "to_role",
            "n_from", "n_to", "mean_from", "mean_to", "difference", "ci_low", "ci_high",
            "cohens_d", "statistic", "p_value", "p_value_adjusted", "effect_size", "method",
            "suppressed")


def _wave_roles(waves: pd.DataFrame) -> dict:
    require_columns(waves, ["wave", "role"], "programme.yaml")
    return dict(zip(waves["wave"], waves["role"]))


def compare_waves(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    waves: pd.DataFrame,
    *,
    comparisons: Sequence[tuple[str, str]],
    by_agency: bool = True,
    threshold: int,
    confidence_level: float = 0.95,
    plan: DisclosurePlan | None = None,
) -> pd.DataFrame:
    """Change of every index between survey waves, per pilot (and agency), Holm-corrected.

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide responses with ``wave``, ``pilot`` and (for agency rows) ``agency``.
    items : pandas.DataFrame
        Survey items (the codebook of the indices).
    waves : pandas.DataFrame
        ``programme.waves``: ``wave, role`` with role ``baseline`` or a phase id.
    comparisons : sequence of (str, str)
        The comparisons to make, as ``(from_role, to_role)`` pairs of wave roles, in the order
        the result lists them: the programme's :attr:`evaluation.contract.Programme.comparisons`
        (each phase against the baseline, then each phase against the one before it).
    by_agency : bool
        Also compare each agency within its pilot (rows shown only where both waves have at
        least ``threshold`` respondents and no complementary suppression applies).
    threshold : int
        Anonymity threshold.
    confidence_level : float
        Level of the Welch interval of the change in mean.
    plan : evaluation.disclosure.DisclosurePlan, optional
        The render's disclosure plan: a pilot or agency row is suppressed when the plan hides
        its cell in either wave, and the plan replaces the complementary suppression below
        (each cell is then only primary-suppressed on its own count).

    Returns
    -------
    pandas.DataFrame
        One row per level (``"pilot"`` or ``"agency"``), pilot, agency (missing on pilot
        rows), index and comparison, with columns ``level, pilot, agency, index, from_wave,
        to_wave, from_role, to_role, n_from, n_to, mean_from, mean_to, difference, ci_low,
        ci_high, cohens_d, statistic, p_value, p_value_adjusted, effect_size, method,
        suppressed``.
        ``difference = mean_to - mean_from`` with its Welch interval ``ci_low, ci_high``;
        ``statistic`` is Welch's t of the change and ``p_value`` its two-sided p-value (the
        same estimand as the interval); ``cohens_d`` holds Hedges' g of the change (the
        column keeps its old name for now); ``effect_size`` the rank-biserial correlation of
        :func:`evaluation.stats.rank_comparison` (positive = higher in the later wave);
        ``method`` is ``"welch"``; ``p_value_adjusted`` Holm-adjusted over every shown row of
        this call (one family).

    Raises
    ------
    DataContractError
        If a response's wave is not in ``waves``.

    Notes
    -----
    Each comparison of ``comparisons`` is made when both of its waves have responses (the first
    wave of each role). The waves are independent cross-sections (respondent ids are
    opaque per wave), so each comparison is a two-sample comparison of the respondents'
    index scores (:func:`index_scores`) with :func:`compare_groups`. A comparison where
    neither wave's scores vary (or a wave has fewer than two scores) has no test: its
    statistics are missing.

    *Suppression*: the respondents with a score per pilot/agency, index and wave are the
    cells; they go through :func:`evaluation.privacy.suppress_small_cells` (agencies within
    pilot, index and wave; pilots within index and wave), since a mean times its n is additive
    and a hidden agency's mean could otherwise be recovered from the pilot's. A comparison is
    suppressed when either of its waves is; suppressed rows have every statistic missing and
    are not part of the Holm family.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65–70.

    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika*, 34(1–2), 28–35.

    Mann, H. B. and Whitney, D. R. (1947). On a test of whether one of two random variables is
    stochastically larger than the other. *Annals of Mathematical Statistics*, 18(1), 50–60.
    """
    level = check_confidence_level(confidence_level)
    comparisons = [tuple(pair) for pair in comparisons]
    scores, role_wave, pairs = _scores_and_pairs(responses, items, waves, comparisons,
                                                 by_agency=by_agency)
    if not pairs or scores.empty:
        return pd.DataFrame(columns=list(_COLUMNS))
    levels = [("pilot", ["pilot"], ["index", "wave"])]
    if by_agency:
        levels.append(("agency", ["pilot", "agency"], ["index", "wave", "pilot"]))
    rows = []
    for level_name, keys, within in levels:
        rows.extend(_level_rows(scores, level_name, keys, within, role_wave, pairs,
                                threshold=threshold, level=level, plan=plan))
    result = _ordered(pd.DataFrame(rows).reindex(columns=list(_COLUMNS)), items, comparisons)
    for column in ("mean_from", "mean_to", "difference", "ci_low", "ci_high", "cohens_d",
                   "statistic", "p_value", "effect_size"):
        result[column] = result[column].astype(float)
    for column in ("n_from", "n_to"):
        result[column] = result[column].astype("Int64").mask(result["suppressed"])
    result["p_value_adjusted"] = holm_adjust(result["p_value"].to_numpy())
    result["suppressed"] = result["suppressed"].astype(bool)
    return result


def _scores_and_pairs(responses: pd.DataFrame, items: pd.DataFrame, waves: pd.DataFrame,
                      comparisons: list[tuple[str, str]], *,
                      by_agency: bool) -> tuple[pd.DataFrame, dict, list[tuple[str, str]]]:
    """Index scores present, the first wave of each role, and the comparisons that can be made."""
    required = ["wave", "pilot", *(["agency"] if by_agency else [])]
    check_by(responses, required)
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


def _level_rows(scores: pd.DataFrame, level_name: str, keys: list[str], within: list[str],
                role_wave: dict, pairs: list[tuple[str, str]], *, threshold: int,
                level: float, plan=None) -> list[dict]:
    """One record per unit (pilot or agency), index and comparison of one level.

    The cells are the respondents with a score per unit, index and wave, with suppression
    (the plan's, when there is one, and each cell's own count).
    """
    cells = scores.groupby([*keys, "index", "wave"], sort=True).size().rename("n").reset_index()
    if plan is not None:
        cells["suppressed"] = plan.hidden_mask(cells)
        within = [*keys, "index", "wave"]  # the plan made the complementary suppressions
    cells = suppress_small_cells(cells, count_column="n", threshold=threshold, within=within)
    hidden = {tuple(r[:-1]): r[-1] for r in
              cells[[*keys, "index", "wave", "suppressed"]].itertuples(index=False)}
    rows = []
    for key, group in scores.groupby([*keys, "index"], sort=True):
        unit, index = key[:-1], key[-1]
        for from_role, to_role in pairs:
            from_wave, to_wave = role_wave[from_role], role_wave[to_role]
            before = group.loc[group["wave"] == from_wave, "score"].to_numpy(dtype=float)
            after = group.loc[group["wave"] == to_wave, "score"].to_numpy(dtype=float)
            suppressed = hidden.get((*unit, index, from_wave), len(before) == 0) or hidden.get(
                (*unit, index, to_wave), len(after) == 0)
            suppressed = bool(suppressed) or len(before) < threshold or len(after) < threshold
            record = {
                "level": level_name, "pilot": unit[0],
                "agency": unit[1] if level_name == "agency" else pd.NA,
                "index": index, "from_wave": from_wave, "to_wave": to_wave,
                "from_role": from_role, "to_role": to_role,
                "n_from": len(before), "n_to": len(after), "suppressed": suppressed,
            }
            if not suppressed:
                record.update(_comparison_fields(after, before, level))
            rows.append(record)
    return rows


def _comparison_fields(after, before, level: float) -> dict:
    """The statistics of one comparison (later wave ``after`` against ``before``); empty when
    a wave has fewer than two scores or neither wave's scores vary."""
    try:
        comparison = compare_groups(after, before, confidence_level=level)
    except InsufficientDataError:
        return {}
    return dict(
        mean_from=comparison.mean_b, mean_to=comparison.mean_a,
        difference=comparison.mean_difference, ci_low=comparison.ci.low,
        ci_high=comparison.ci.high, cohens_d=comparison.effect.estimate,
        statistic=comparison.statistic, p_value=comparison.p_value,
        effect_size=rank_comparison(after, before).rank_biserial, method=comparison.method,
    )


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

__all__ = ["compare_waves"]
