"""Goal attainment scaling (GAS): Kiresuk and Sherman's T-score of the evaluators' ratings."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaluation.errors import InsufficientDataError
from evaluation.goals._frames import ASSESSMENTS_FILE, require


def _score(value, position: int) -> float:
    """One GAS score as a float (NaN when missing), or ``ValueError`` saying what is wrong.

    Booleans are refused explicitly (``True`` is an ``int`` in Python and would pass as +1), and
    so are strings (``"1"`` is text from an unparsed file, not a rating).
    """
    if _is_missing(value):
        return math.nan
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise ValueError(f"GAS score at position {position} is {value!r}, a {type(value).__name__}; "
                         "expected a number: one of -2, -1, 0, 1, 2")
    if not isinstance(value, numbers.Real) or float(value) not in (-2.0, -1.0, 0.0, 1.0, 2.0):
        raise ValueError(f"GAS score at position {position} is {value!r}; expected one of "
                         "-2, -1, 0, 1, 2")
    return float(value)


def gas_tscore(
    scores: Sequence[float] | pd.Series | np.ndarray,
    *,
    weights: Sequence[float] | pd.Series | np.ndarray | None = None,
    rho: float = 0.3,
) -> float:
    """Goal attainment scaling: Kiresuk and Sherman's T-score of a set of goal ratings.

    Parameters
    ----------
    scores : array-like of int
        Attainment of each goal on the five-point scale -2 (much less than expected), -1, 0
        (the expected level), +1, +2 (much more than expected). Missing values (NaN, ``None``,
        ``pd.NA``) are left out together with their weights.
    weights : array-like of float, optional
        Positive weight (importance) of each goal; equal weights by default.
    rho : float
        Assumed average correlation between the goal scales, in ``[0, 1)``; 0.3 as Kiresuk and
        Sherman (1968) propose.

    Returns
    -------
    float
        The T-score: 50 when every goal is reached at the expected level, with a standard
        deviation of 10 under the method's assumptions.

    Raises
    ------
    ValueError
        If a score is not one of -2, -1, 0, 1, 2 (a boolean or a string is refused even when it
        would convert to one: ``True``, ``"1"``), a weight is not positive and finite (or is a
        boolean or string), the weights do not match the scores in length, or ``rho`` is outside
        ``[0, 1)``. The message names the position of the offending value.
    InsufficientDataError
        If no score is left after dropping missing ones.

    Notes
    -----
    With scores :math:`x_i` and weights :math:`w_i`,

    .. math::

        T = 50 + \\frac{10 \\sum_i w_i x_i}
                      {\\sqrt{(1 - \\rho) \\sum_i w_i^2 + \\rho \\left(\\sum_i w_i\\right)^2}}.

    The formula assumes each goal scale has mean 0 and standard deviation 1 and that the goals
    correlate at :math:`\\rho`; with one goal, :math:`T = 50 + 10 x`.

    References
    ----------
    Kiresuk, T. J., & Sherman, R. E. (1968). Goal attainment scaling: A general method for
    evaluating comprehensive community mental health programs. *Community Mental Health
    Journal*, 4(6), 443--453. https://doi.org/10.1007/BF01530764

    Turner-Stokes, L. (2009). Goal attainment scaling (GAS) in rehabilitation: a practical
    guide. *Clinical Rehabilitation*, 23(4), 362--370. https://doi.org/10.1177/0269215508101742

    Examples
    --------
    >>> gas_tscore([0, 0, 0])
    50.0
    >>> gas_tscore([2])
    70.0
    """
    try:
        rho = float(rho)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"rho must be a number in [0, 1), got {rho!r}") from exc
    if not 0.0 <= rho < 1.0:
        raise ValueError(f"rho must lie in [0, 1), got {rho}")
    x = pd.Series([_score(value, position) for position, value in enumerate(list(scores))],
                  dtype=float)
    if weights is None:
        w = pd.Series(np.ones(len(x)))
    else:
        for position, weight in enumerate(list(weights)):
            if isinstance(weight, (bool, np.bool_, str, bytes)):
                raise ValueError(f"GAS weight at position {position} is {weight!r}, a "
                                 f"{type(weight).__name__}; expected a positive number")
        w = pd.to_numeric(pd.Series(list(weights), dtype=object), errors="coerce").astype(float)
        if len(w) != len(x):
            raise ValueError(f"{len(w)} weights for {len(x)} scores; expected one weight per score")
        if not (np.isfinite(w) & (w > 0)).all():
            raise ValueError(f"weights must be positive and finite, got {list(weights)!r}")
    keep = x.notna().to_numpy()
    x, w = x.to_numpy()[keep], w.to_numpy()[keep]
    if len(x) == 0:
        raise InsufficientDataError("no GAS score to combine (all missing)")
    numerator = 10.0 * float(np.sum(w * x))
    denominator = math.sqrt((1.0 - rho) * float(np.sum(w ** 2)) + rho * float(np.sum(w)) ** 2)
    return 50.0 + numerator / denominator


def _is_missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def gas_summary(assessments: pd.DataFrame, *, phase: str, rho: float = 0.3) -> pd.DataFrame:
    """GAS T-score per pilot from the evaluators' ``gas_score`` ratings of one phase.

    Parameters
    ----------
    assessments : pandas.DataFrame
        ``assessments.csv``: pilot, phase, sub_goal, gas_score (empty when not rated).
    phase : str
        Phase id (``midterm``, ``final``).
    rho : float
        Inter-goal correlation for :func:`gas_tscore`.

    Returns
    -------
    pandas.DataFrame
        One row per pilot with at least one rated sub-goal in the phase, columns ``pilot``,
        ``phase``, ``n_rated`` (int, sub-goals rated), ``mean_score`` (float) and ``t_score``
        (float, unweighted :func:`gas_tscore`).

    Raises
    ------
    ValueError
        If a rating is not one of -2, -1, 0, 1, 2 (booleans and strings included), naming
        the pilot and phase.
    """
    require(assessments, ("pilot", "phase", "sub_goal", "gas_score"), ASSESSMENTS_FILE)
    rows = []
    subset = assessments.loc[assessments["phase"] == phase]
    for pilot, group in subset.groupby("pilot", sort=True):
        rated = [v for v in group["gas_score"].tolist() if not _is_missing(v)]
        if not rated:
            continue
        try:
            t_score = gas_tscore(rated, rho=rho)
        except ValueError as exc:
            raise ValueError(f"pilot {pilot!r}, phase {phase!r}: {exc}") from None
        rows.append({"pilot": pilot, "phase": phase, "n_rated": len(rated),
                     "mean_score": float(np.mean([float(v) for v in rated])),
                     "t_score": t_score})
    return pd.DataFrame(rows, columns=["pilot", "phase", "n_rated", "mean_score", "t_score"])



__all__ = ["gas_summary", "gas_tscore"]
