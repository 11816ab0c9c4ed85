"""Code (or theme) co-occurrence counts and ATLAS.ti's c-coefficient."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaluation.interviews.inputs import check_level, check_segments, level_values, with_level


def cooccurrence(
    segments: pd.DataFrame,
    *,
    unit: str = "segment",
    level: str = "code",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Symmetric code x code (or theme x theme) co-occurrence counts and the c-coefficient.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``interviews/segments.csv``. Rows sharing a ``segment_id`` are one passage coded with
        several codes.
    unit : {"segment", "interview"}
        Two codes co-occur when they are applied to the same segment (ATLAS.ti's code
        co-occurrence of a quotation), or anywhere in the same interview. Where every
        ``segment_id`` is unique, as in the contract's files, only ``"interview"`` finds
        co-occurrences.
    level : {"code", "theme"}
        Codes, or themes (a unit has a theme when it has any code of the theme).
    codebook : pandas.DataFrame, optional
        ``interviews/codebook.csv``; needed for ``level="theme"`` unless ``segments`` has a
        ``theme`` column. When given, all its codes/themes are reported, in its order.
    include : sequence of str, optional
        Only these codes/themes, in this order (for example the main themes).

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair (both ``(a, b)`` and ``(b, a)``, and the diagonal), with
        columns ``{level}_a``, ``{level}_b``; ``n_a`` and ``n_b`` (units with a and with b);
        ``n_ab`` (units with both; on the diagonal ``n_ab = n_a``); ``c_coefficient``
        (``n_ab / (n_a + n_b - n_ab)``, missing when no unit has a or b).

    Notes
    -----
    The c-coefficient as ATLAS.ti reports it,

    .. math:: c = \\frac{n_{12}}{n_1 + n_2 - n_{12}},

    where :math:`n_{12}` counts the units coded with both codes and :math:`n_1, n_2` the units
    coded with each. It is the Jaccard similarity of the two codes' sets of units: 0 when the
    codes never co-occur, 1 when they always occur together. It is descriptive; no test is
    attached. Units are counted once however often a code is applied within them. The matrix
    is symmetric by construction.

    References
    ----------
    ATLAS.ti Scientific Software Development GmbH (2022). *ATLAS.ti 22 Windows User Manual:
    Code Co-occurrence Coefficient*.
    https://doc.atlasti.com/ManualWin.v22/CodeCooccurrence/CodeCoOccurrenceTableCcoefficient.html

    Jaccard, P. (1912). The distribution of the flora in the alpine zone. *New Phytologist*,
    11(2), 37-50. https://doi.org/10.1111/j.1469-8137.1912.tb05611.x
    """
    if unit not in ("segment", "interview"):
        raise ValueError(f"unit must be 'segment' or 'interview', got {unit!r}")
    level = check_level(level)
    check_segments(segments)
    frame = with_level(segments, level, codebook)
    values = level_values(frame, level, codebook, include)
    unit_column = "segment_id" if unit == "segment" else "interview_id"
    incidence = _incidence(frame, unit_column, level, values)
    both = incidence.T @ incidence
    totals = np.diag(both)
    n_a = np.repeat(totals, len(values))
    n_b = np.tile(totals, len(values))
    n_ab = both.reshape(-1)
    union = n_a + n_b - n_ab
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(union > 0, n_ab / np.where(union > 0, union, 1), np.nan)
    return pd.DataFrame(
        {
            f"{level}_a": np.repeat(values, len(values)) if values else [],
            f"{level}_b": np.tile(values, len(values)) if values else [],
            "n_a": n_a.astype("int64"),
            "n_b": n_b.astype("int64"),
            "n_ab": n_ab.astype("int64"),
            "c_coefficient": c.astype(float),
        }
    )


def _incidence(frame: pd.DataFrame, unit_column: str, level: str, values: list[str]) -> np.ndarray:
    """0/1 matrix of units (rows, in order of appearance) by codes/themes (columns, ``values``)."""
    pairs = frame[[unit_column, level]].drop_duplicates()
    pairs = pairs[pairs[level].isin(values)]
    units = list(dict.fromkeys(pairs[unit_column].tolist()))
    unit_index = {u: i for i, u in enumerate(units)}
    value_index = {v: i for i, v in enumerate(values)}
    incidence = np.zeros((len(units), len(values)), dtype=np.int64)
    if len(pairs):
        incidence[pairs[unit_column].map(unit_index).to_numpy(),
                  pairs[level].map(value_index).to_numpy()] = 1
    return incidence


__all__ = ["cooccurrence"]
