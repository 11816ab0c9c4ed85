"""Adjustment of p-values for multiple comparisons."""

from __future__ import annotations

import numpy as np


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
    p = np.asarray(p_values, dtype=float)
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
