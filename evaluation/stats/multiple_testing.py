"""Adjustment of p-values for multiple comparisons."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd


def _p_array(p_values) -> np.ndarray:
    """The p-values as a float array (missing as NaN), or ``ValueError`` naming a bad entry."""
    raw = np.asarray(p_values, dtype=object)
    flat = raw.ravel()
    result = np.full(flat.shape, np.nan)
    for position, value in enumerate(flat):
        if value is None or value is pd.NA:
            continue
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise ValueError(f"p-value at position {position} is not a number: {value!r}")
        number = float(value)
        if not np.isnan(number) and not 0.0 <= number <= 1.0:
            raise ValueError(f"p-value at position {position} is outside [0, 1]: {value!r}")
        result[position] = number
    return result.reshape(raw.shape)


def holm_adjust(p_values) -> np.ndarray:
    """Holm's step-down adjustment of p-values; missing values stay missing.

    Parameters
    ----------
    p_values : array-like of float
        Unadjusted p-values; NaN entries are not part of the family.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, same order, capped at 1.

    Raises
    ------
    ValueError
        If an entry is not a number (a string, a boolean) or lies outside [0, 1]; the message
        names its position (in flattened order) and value. Missing entries (NaN, ``None``,
        ``pd.NA``) are not errors: they stay NaN and are left out of the family.

    Notes
    -----
    With the :math:`m` p-values sorted, :math:`p_{(1)} \\le \\dots \\le p_{(m)}`, the adjusted
    value is :math:`\\max_{j \\le i} \\min(1, (m - j + 1) p_{(j)})`; as R's
    ``p.adjust(p, method = "holm")``. It controls the family-wise error rate under any
    dependence between the tests.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65–70.
    """
    p = _p_array(p_values)
    result = np.full(p.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    m = len(valid)
    if m == 0:
        return result
    order = valid[np.argsort(p[valid], kind="stable")]
    scaled = (m - np.arange(m)) * p[order]
    result[order] = np.minimum(1.0, np.maximum.accumulate(scaled))
    return result


__all__ = ["holm_adjust"]
