"""Weighting by agency: each agency counts by its invited staff, not by how many of them answered.

Response rates differ between agencies (50–85 % in the demo data), so an unweighted pilot mean
leans towards the agencies that answered most, and a change in who answered can look like a
change in the pilot. The functions here post-stratify each pilot's respondents by agency to the
invited counts of ``survey/population.csv`` (:func:`evaluation.stats.poststratified_mean`, as R's
``survey`` package does): every respondent of an agency weighs ``invited / respondents``.

* :func:`agency_weights` — the weight of each agency's respondents (for checking; not for a
  report: it shows every agency's number of respondents);
* :func:`weighted_index_means` — pilot means of every index per wave, weighted or unweighted,
  with design-based standard errors;
* :func:`weighted_change` — the weighted change of one pilot's index between two waves.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from evaluation.errors import InsufficientDataError
from evaluation.privacy import suppress_small_cells
from evaluation.stats import (
    WeightedDifference,
    check_confidence_level,
    poststratified_difference,
    poststratified_mean,
)
from evaluation.survey.indices import index_scores
from evaluation.survey.inputs import (
    POPULATION_FILE,
    apply_plan,
    as_columns,
    check_by,
    item_meta,
    iter_groups,
    require_columns,
)
from evaluation.survey.response import _invited_and_responded

if TYPE_CHECKING:
    from evaluation.disclosure import DisclosurePlan

_CELL = ["pilot", "wave", "agency"]
_STATISTICS = ["estimate", "standard_error", "df", "ci_low", "ci_high"]


def agency_weights(responses: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """The post-stratification weight of each agency's respondents, per pilot and wave.

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide responses with ``pilot``, ``wave`` and ``agency`` (one row per respondent).
    population : pandas.DataFrame
        ``survey/population.csv``: ``pilot, agency, wave, invited``.

    Returns
    -------
    pandas.DataFrame
        One row per population row (pilot, wave, agency; sorted), with columns ``pilot, wave,
        agency, invited, respondents, weight``: ``weight = invited / respondents``, the number
        of invited staff each respondent stands for; missing where no one answered.
        **Not for a report**: it shows every agency's number of respondents, however small.

    Raises
    ------
    DataContractError
        If an agency answered in a pilot and wave without a row in ``survey/population.csv``
        (the key is named), or has more respondents than invited staff.

    Notes
    -----
    These are the weights of post-stratification by agency (Holt and Smith 1979) on all the
    respondents. An index mean is weighted on the respondents *with a score* on that index
    (:func:`weighted_index_means`), whose weights may be a little larger.

    References
    ----------
    Holt, D. and Smith, T. M. F. (1979). Post stratification. *Journal of the Royal
    Statistical Society, Series A (General)*, 142(1), 33–46.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> data = load_data(phase="midterm")
    >>> weights = agency_weights(data.responses, data.population)
    >>> stad = weights.query("pilot == 'stad' and wave == 2021")
    >>> print(stad.round(3).to_string(index=False))
    pilot  wave           agency  invited  respondents  weight
     stad  2021              nav       32           20   1.600
     stad  2021         politiet       14            9   1.556
     stad  2021     skatteetaten       25           20   1.250
     stad  2021 statens_vegvesen        6            5   1.200
    """
    require_columns(population, [*_CELL, "invited"], POPULATION_FILE)
    check_by(responses, _CELL)
    table = _invited_and_responded(population, responses, _CELL).reset_index()
    table = table.rename(columns={"responded": "respondents"})
    respondents = table["respondents"].where(table["respondents"] > 0)
    table["weight"] = (table["invited"] / respondents).astype(float)
    return table[[*_CELL, "invited", "respondents", "weight"]].reset_index(drop=True)


POOLED_STRATUM = "__pooled__"
"""Post-stratum of the agencies a pilot's wave hides: weighted together, never apart."""


def hidden_agency_cells(scores: pd.DataFrame, *, threshold: int,
                        plan: DisclosurePlan | None = None) -> dict:
    """``{(pilot, agency, index, wave): hidden}`` for every agency cell of the index scores.

    An agency cell (its respondents with a score on an index in a wave) is hidden when the
    render's disclosure plan hides the agency in that pilot-wave, or — without a plan — when
    :func:`evaluation.privacy.suppress_small_cells` hides it within its pilot, index and wave
    (primary and complementary suppression).
    """
    cells = scores.groupby(["pilot", "agency", "index", "wave"], sort=True).size().rename("n").reset_index()
    within = ["pilot", "index", "wave"]
    if plan is not None:
        cells["suppressed"] = plan.hidden_mask(cells)
    cells = suppress_small_cells(cells, count_column="n", threshold=threshold, within=within)
    return {(r.pilot, r.agency, r.index, r.wave): bool(r.suppressed) for r in cells.itertuples(index=False)}


def poststrata(labels: Sequence, invited: dict, pooled: set) -> tuple[list, dict]:
    """Post-stratum of each respondent and each stratum's invited staff, hidden agencies pooled.

    Parameters
    ----------
    labels : sequence
        The agency (or pilot × agency) of each respondent.
    invited : dict
        Invited staff per agency of the pilot and wave.
    pooled : set
        The agencies to weight together as one stratum (:data:`POOLED_STRATUM`): those the
        report hides. Their invited staff are summed.

    Returns
    -------
    (list, dict)
        The stratum of each respondent, and the population of each stratum with respondents.

    Notes
    -----
    *Why pool.* A pilot's unweighted mean already tells a reader the mean of its hidden
    agencies together; a weighted mean that weighted them apart would give a second, different
    combination of their means, from which each could be worked out. Weighted as one stratum
    they give the same pooled mean again and nothing more. Collapsing small weighting cells is
    the standard remedy for unstable weights as well (Kalton and Flores-Cervantes 2003).

    *Agencies without respondents* are left out of the population: the estimate describes the
    staff of the agencies that answered (post-stratification cannot represent a stratum with no
    one in it).

    References
    ----------
    Kalton, G. and Flores-Cervantes, I. (2003). Weighting methods. *Journal of Official
    Statistics*, 19(2), 81–97.
    """
    strata = [POOLED_STRATUM if label in pooled else label for label in labels]
    sizes: dict = {}
    for label in dict.fromkeys(labels):
        key = POOLED_STRATUM if label in pooled else label
        sizes[key] = sizes.get(key, 0.0) + float(invited[label])
    return strata, sizes


def weighted_index_means(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    population: pd.DataFrame,
    *,
    weighted: bool,
    fpc: bool,
    threshold: int,
    by: str | Sequence[str] = ("pilot",),
    confidence_level: float = 0.95,
    plan: DisclosurePlan | None = None,
) -> pd.DataFrame:
    """Mean of every index per pilot and wave, post-stratified by agency or unweighted.

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide responses with ``pilot``, ``wave``, ``agency`` and the item columns.
    items : pandas.DataFrame
        Survey items (the codebook of the indices).
    population : pandas.DataFrame
        ``survey/population.csv``: ``pilot, agency, wave, invited``.
    weighted : bool
        ``True``: post-stratify by agency, so each agency counts by its invited staff.
        ``False``: the plain mean of the respondents, as a simple random sample of the
        invited (the same frame, to show both side by side).
    fpc : bool
        Apply the finite-population correction ``1 - n/N`` (``N`` the invited staff of the
        pilot and wave): the respondents are then treated as a sample without replacement of
        the invited. Without it the standard error is that of an infinite population.
    threshold : int
        Anonymity threshold: a row with fewer respondents is suppressed.
    by : str or sequence of str
        The groups the means describe, besides ``wave``: ``("pilot",)`` by default, or ``()``
        for all pilots together (then post-stratified by pilot × agency). Columns of both
        frames; not ``agency`` or ``wave``.
    confidence_level : float
        Level of the t interval.
    plan : evaluation.disclosure.DisclosurePlan, optional
        The render's disclosure plan: the rows of the pilot-waves it hides are suppressed, and
        it replaces this table's complementary suppression. The rows must name their pilot.

    Returns
    -------
    pandas.DataFrame
        One row per ``by`` group, index (codebook order) and wave: the ``by`` columns,
        ``index, wave, n`` (respondents with a score), ``estimate, standard_error, df, ci_low,
        ci_high, weighted, suppressed``. Statistics are missing on suppressed rows, and when
        the mean cannot be computed: fewer than two scores, or (weighted) an agency with
        invited staff but no respondent with a score in that pilot and wave, which
        post-stratification cannot represent.

    Raises
    ------
    DataContractError
        If an agency answered in a pilot and wave without a row in ``survey/population.csv``,
        or has more respondents than invited staff.
    ValueError
        For a bad ``by``, ``weighted``, ``fpc`` or level.

    Notes
    -----
    Scores are those of :func:`evaluation.survey.index_scores` (at least half the items
    answered). Each pilot and wave is one simple random sample of its invited staff; weighted,
    it is post-stratified by agency **on the respondents with a score on the index**, so the
    weights ``invited / scored respondents`` differ a little between indices. The estimate,
    its linearisation standard error and the t interval on ``df = n - 1`` are those of
    :func:`evaluation.stats.poststratified_mean`, which reproduces R's

    .. code-block:: r

        d <- svydesign(ids = ~1, fpc = ~N, data = scored)    # or weights = ~w without fpc
        m <- svymean(~score, postStratify(d, ~agency, invited))   # weighted = TRUE
        m <- svymean(~score, d)                                    # weighted = FALSE
        confint(m, df = degf(d))

    Unweighted and without fpc, the row is the classical mean with Student's t interval
    (:func:`evaluation.survey.index_summary`).

    *Privacy.* The rows are groups of respondents like :func:`index_summary`'s and are
    suppressed the same way (pilots within index and wave when there is no plan). Weighted,
    the agencies hidden in a pilot-wave (by the plan, or by primary and complementary
    suppression within pilot, index and wave) form one post-stratum (:func:`poststrata`), so
    the weighted and the unweighted mean side by side reveal nothing about a hidden agency that
    one of them does not.

    References
    ----------
    Holt, D. and Smith, T. M. F. (1979). Post stratification. *Journal of the Royal
    Statistical Society, Series A (General)*, 142(1), 33–46.

    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Hoboken, NJ: Wiley.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> data = load_data(phase="midterm")

    Stad's collaboration index at baseline and midterm, weighted and not. R's ``svymean`` on
    the same scores gives 3.061423761 (SE 0.05566151052) at baseline and, in 2022, where
    Statens vegvesen (2 respondents) and Politiet are hidden and so weighted together as one
    stratum of 4 + 13 invited, 3.15170187793 (SE 0.06205972544):

    >>> import pandas as pd
    >>> options = dict(fpc=True, threshold=data.anonymity_threshold)
    >>> both = pd.concat([
    ...     weighted_index_means(data.responses, data.items, data.population, weighted=True, **options),
    ...     weighted_index_means(data.responses, data.items, data.population, weighted=False, **options),
    ... ]).query("pilot == 'stad' and index == 'collaboration'")
    >>> columns = ["wave", "weighted", "n", "estimate", "standard_error", "ci_low", "ci_high"]
    >>> print(both[columns].round(3).to_string(index=False))
     wave  weighted  n  estimate  standard_error  ci_low  ci_high
     2021      True 54     3.061           0.056   2.950    3.173
     2022      True 44     3.152           0.062   3.027    3.277
     2021     False 54     3.040           0.058   2.925    3.156
     2022     False 44     3.170           0.068   3.033    3.308
    """
    level = check_confidence_level(confidence_level)
    for name, value in (("weighted", weighted), ("fpc", fpc)):
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{name} must be True or False, got {value!r}")
    by = _checked_by(by, responses, population)
    _invited_and_responded(population, responses, _CELL)  # every answering agency is in the file
    strata = [c for c in ("pilot", "agency") if c not in by]
    scores = index_scores(responses, items)
    indices = list(dict.fromkeys(item_meta(items)["index"]))
    # index_scores stacks the indices, each in the responses' row order
    per_index = {index: scores[scores["index"] == index] for index in indices}
    hidden = hidden_agency_cells(scores[scores["score"].notna()], threshold=threshold, plan=plan)
    rows = []
    frame = responses.reset_index(drop=True)
    for key, positions in iter_groups(frame, [*by, "wave"]):
        group = dict(zip([*by, "wave"], key))
        invited = _invited(population, group, strata)
        for index in indices:
            subset = per_index[index].iloc[positions]
            subset = subset[subset["score"].notna()]
            pooled = _pooled(hidden, group, index, strata)
            rows.append((*key[:-1], index, key[-1], len(subset),
                         *_mean_fields(subset, strata, invited, pooled, weighted=weighted, fpc=fpc,
                                       level=level)))
    result = pd.DataFrame(rows, columns=[*by, "index", "wave", "n", *_STATISTICS])
    order = {index: i for i, index in enumerate(indices)}
    result = result.sort_values([*by, "index", "wave"], kind="stable",
                                key=lambda c: c.map(order) if c.name == "index" else c)
    result = result.reset_index(drop=True)
    result[_STATISTICS] = result[_STATISTICS].astype(float)
    result["df"] = result["df"].astype("Int64")
    result["weighted"] = bool(weighted)
    if plan is not None:
        return apply_plan(result, plan, responses, count_column="n", value_columns=_STATISTICS,
                          threshold=threshold)
    return suppress_small_cells(result, count_column="n", value_columns=_STATISTICS,
                                threshold=threshold, within=["index", "wave", *by[:-1]])


def _checked_by(by, responses: pd.DataFrame, population: pd.DataFrame) -> list[str]:
    by = as_columns(by, "by")
    if {"agency", "wave"} & set(by):
        raise ValueError("by must not name agency or wave: the means are per wave, weighted by agency")
    require_columns(population, [*_CELL, "invited", *by], POPULATION_FILE)
    check_by(responses, [*_CELL, *by])
    return by


def _invited(population: pd.DataFrame, key: dict, strata: list[str]) -> dict:
    """Invited staff per stratum (agency, or pilot × agency) of the population rows of ``key``."""
    rows = population
    for column, value in key.items():
        rows = rows[rows[column] == value]
    sums = rows.groupby(strata, sort=False)["invited"].sum()
    return {label: float(count) for label, count in sums.items()}


def _labels(frame: pd.DataFrame, strata: list[str]) -> list:
    if len(strata) == 1:
        return list(frame[strata[0]])
    return list(frame[strata].itertuples(index=False, name=None))


def _pooled(hidden: dict, group: dict, index, strata: list[str]) -> set:
    """The strata (agency, or pilot × agency) of a group and index whose agency cell is hidden."""
    pooled = set()
    for (pilot, agency, cell_index, wave), is_hidden in hidden.items():
        if is_hidden and cell_index == index and wave == group["wave"] and group.get("pilot", pilot) == pilot:
            pooled.add(agency if strata == ["agency"] else (pilot, agency))
    return pooled


def _mean_fields(scored: pd.DataFrame, strata: list[str], invited: dict, pooled: set, *,
                 weighted: bool, fpc: bool, level: float) -> tuple:
    """``estimate, standard_error, df, ci_low, ci_high`` of one group; NaN when not computable."""
    values = scored["score"].to_numpy(dtype=float)
    if weighted:
        labels, population = poststrata(_labels(scored, strata), invited, pooled)
    else:
        labels, population = ["all"] * len(values), {"all": sum(invited.values())}
    try:
        mean = poststratified_mean(values, labels, population, fpc=fpc, confidence_level=level)
    except InsufficientDataError:
        return (np.nan,) * len(_STATISTICS)
    return mean.estimate, mean.standard_error, mean.df, mean.ci.low, mean.ci.high


def weighted_change(
    scores: pd.DataFrame,
    population: pd.DataFrame,
    *,
    from_wave,
    to_wave,
    fpc: bool,
    confidence_level: float = 0.95,
) -> WeightedDifference:
    """Change of one pilot's index between two waves, each wave post-stratified by agency.

    Parameters
    ----------
    scores : pandas.DataFrame
        Index scores of one pilot and one index, as :func:`evaluation.survey.index_scores`
        gives them (``wave, pilot, agency, index, score``, one row per respondent; rows of other
        waves are ignored, missing scores dropped).
    population : pandas.DataFrame
        ``survey/population.csv``: ``pilot, agency, wave, invited`` (other pilots may be in it).
    from_wave, to_wave :
        The earlier and the later wave.
    fpc : bool
        Apply each wave's finite-population correction.
    confidence_level : float
        Level of the t interval of the change.

    Returns
    -------
    WeightedDifference
        ``estimate`` (``to_wave`` minus ``from_wave``), ``standard_error, df, statistic,
        p_value`` (two-sided), ``ci``, and the two waves' means ``before`` and ``after``.
        The means' ``stratum_weights`` reveal each agency's number of scored respondents:
        report only the pilot-level fields.

    Raises
    ------
    ValueError
        If ``scores`` hold several pilots or indices, or lack a column.
    DataContractError
        If an agency has scores in a wave without a row in ``survey/population.csv``, or more
        scores than invited staff.
    InsufficientDataError
        If a wave has fewer than two scores, or an agency with invited staff has no score in a
        wave (post-stratification cannot represent it).

    Notes
    -----
    The waves are independent samples (new, opaque respondent ids each wave). See
    :func:`evaluation.stats.poststratified_difference`: ``SE = sqrt(V_from + V_to)``, Student's
    t on ``n_from + n_to - 3`` degrees of freedom, as R's ``svyttest(score ~ factor(wave),
    design)`` on a design stratified by wave and post-stratified by wave × agency.

    References
    ----------
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Hoboken, NJ: Wiley.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> data = load_data(phase="midterm")
    >>> scores = index_scores(data.responses, data.items)
    >>> stad = scores[(scores["pilot"] == "stad") & (scores["index"] == "collaboration")]
    >>> change = weighted_change(stad, data.population, from_wave=2021, to_wave=2022, fpc=True)
    >>> round(change.estimate, 4), round(change.statistic, 4), change.df, round(change.p_value, 4)
    (0.0781, 0.9582, 95, 0.3404)

    (R: ``svyttest`` gives difference 0.07809111, t = 0.95818, df = 95, p-value = 0.3404.)
    """
    level = check_confidence_level(confidence_level)
    for column in ("wave", "pilot", "agency", "index", "score"):
        if column not in scores.columns:
            raise ValueError(f"scores need a column {column!r} (the output of index_scores)")
    require_columns(population, [*_CELL, "invited"], POPULATION_FILE)
    for column in ("pilot", "index"):
        if scores[column].nunique() > 1:
            raise ValueError(f"scores must hold one {column}, got {sorted(scores[column].unique())}")
    samples = []
    for wave in (from_wave, to_wave):
        scored = scores[(scores["wave"] == wave) & scores["score"].notna()]
        if len(scored):
            _invited_and_responded(population, scored, _CELL)
        pilot = scores["pilot"].iloc[0] if len(scores) else None
        invited = _invited(population, {"pilot": pilot, "wave": wave}, ["agency"])
        samples += [scored["score"].to_numpy(dtype=float), list(scored["agency"]), invited]
    return poststratified_difference(*samples, fpc=fpc, confidence_level=level)


__all__ = ["POOLED_STRATUM", "agency_weights", "hidden_agency_cells", "poststrata", "weighted_change",
           "weighted_index_means"]
