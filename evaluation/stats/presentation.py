"""Presentation flags for estimates that are shown: "tolk med varsomhet" (interpret with caution).

Separate from suppression (:mod:`evaluation.privacy`), which hides small cells to protect
respondents: this flag marks an estimate that is shown but rests on few respondents or is
imprecise, so a table can footnote it.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd


def _float_array(values, name: str) -> np.ndarray:
    """``values`` as a 1-D float array (missing as NaN); ``ValueError`` naming a non-number."""
    series = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
    if pd.api.types.is_bool_dtype(series.dtype):
        raise ValueError(f"{name} must be numbers, got booleans")
    numbers_ = pd.to_numeric(series, errors="coerce")
    bad = numbers_.isna() & series.notna()
    bad |= series.map(lambda v: isinstance(v, (bool, np.bool_)))
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(f"{name} has a value that is not a number at position {position}: "
                         f"{series.iloc[position]!r}")
    return numbers_.astype(float).to_numpy()


def _limit(value, name: str, *, integer: bool = False) -> float:
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind) or not value > 0:
        what = "a positive whole number" if integer else "a positive number"
        raise ValueError(f"{name} must be {what}, got {value!r}")
    return float(value)


def interpret_with_caution(n, ci_low, ci_high, *, min_n: int, max_interval_width: float,
                           estimate=None) -> np.ndarray:
    """Flag shown estimates to be read with caution: few respondents or a wide interval.

    Parameters
    ----------
    n : array-like of int
        Number of respondents behind each estimate; missing (NaN, ``pd.NA``) where the estimate
        is suppressed (:func:`evaluation.privacy.suppress_small_cells` masks the count too).
    ci_low, ci_high : array-like of float
        Confidence interval of each estimate; missing where it could not be computed.
    min_n : int
        Smallest number of respondents not flagged: ``programme.yaml``'s
        ``evidence_rules.caution_min_respondents``.
    max_interval_width : float
        Widest interval not flagged, on the scale of the estimate: ``programme.yaml``'s
        ``evidence_rules.caution_max_interval_width``.
    estimate : array-like of float, optional
        The estimates; where given and missing, the row is not flagged (nothing is shown).

    Returns
    -------
    numpy.ndarray of bool
        One flag per row, in order: True when the estimate is shown and ``n < min_n``, or its
        interval is missing, or ``ci_high - ci_low > max_interval_width``.

    Raises
    ------
    ValueError
        If the inputs differ in length, a value is not a number, a limit is not positive or
        ``min_n`` is not a whole number, or ``ci_low > ci_high`` somewhere.

    Notes
    -----
    Missing values: a row with a missing or zero ``n`` (a suppressed cell, or no respondents),
    or with a missing ``estimate`` when estimates are given, has nothing to read and is **not**
    flagged. A row with ``n`` but without an interval (for instance a mean of one value, or a
    one-sided interval with an infinite bound) **is** flagged: an estimate shown without a
    finite interval cannot be judged precise.

    The rule follows the two kinds of criterion of the NCHS data presentation standards for
    proportions (Parker et al. 2017): a minimum sample size (30 there, the effective sample
    size for complex surveys) and a limit on the width of the confidence interval (there, an
    absolute width of 30 percentage points or more for a proportion, and a relative width above
    130 %, with a Korn–Graubard interval). NCHS uses them to decide what is not published; here
    they only mark what is published, and the limits are the programme's (``programme.yaml``),
    not NCHS's — the groups of this evaluation are far smaller than those of a national survey.

    References
    ----------
    Parker, J. D., Talih, M., Malec, D. J., et al. (2017). National Center for Health
    Statistics data presentation standards for proportions. *Vital and Health Statistics*,
    Series 2, No. 175. National Center for Health Statistics, Hyattsville, MD.

    Examples
    --------
    >>> interpret_with_caution([40, 12, 40, None], [3.1, 3.0, 2.0, None], [3.5, 3.6, 4.2, None],
    ...                        min_n=20, max_interval_width=1.0).tolist()
    [False, True, True, False]
    """
    min_n = _limit(min_n, "min_n", integer=True)
    max_width = _limit(max_interval_width, "max_interval_width")
    counts = _float_array(n, "n")
    low, high = _float_array(ci_low, "ci_low"), _float_array(ci_high, "ci_high")
    columns = [counts, low, high]
    if estimate is not None:
        columns.append(_float_array(estimate, "estimate"))
    if len({len(c) for c in columns}) != 1:
        raise ValueError(f"the inputs differ in length: {[len(c) for c in columns]}")
    with np.errstate(invalid="ignore"):
        if np.any(low > high):
            raise ValueError(f"ci_low is above ci_high at position {int(np.flatnonzero(low > high)[0])}")
        shown = ~np.isnan(counts) & (counts > 0)
        if estimate is not None:
            shown &= ~np.isnan(columns[3])
        interval_missing = ~(np.isfinite(low) & np.isfinite(high))
        wide = (high - low) > max_width
    return shown & ((counts < min_n) | interval_missing | wide)


__all__ = ["interpret_with_caution"]
