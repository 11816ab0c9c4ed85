"""Statistical disclosure control: small-cell suppression for every grouped output.

The survey and interview data describe employees of offices with 3–40 people. A report must
never let a reader learn anything about a group smaller than the programme's anonymity threshold
(``programme.anonymity_threshold``), neither directly nor by subtracting shown
numbers from a shown total. :func:`suppress_small_cells` is the one function that decides which
rows of a grouped table are hidden; the survey and interview modules call it before anything
reaches a table or a chart. It protects one table (one partition into totals) at a time; the
survey tables of a report, which share cells and totals across tables and reports, are hidden
together by one disclosure plan per render (:mod:`evaluation.disclosure`).

The rules (see :func:`suppress_small_cells` for the details and their justification):

1. *Primary suppression.* A row whose count is 1 to ``threshold - 1`` is suppressed.
   A count of 0 is **not** suppressed: an empty cell holds no person, so no one can be
   recognised in it, and hiding zeros would make a suppressed cell look like it could be empty,
   which helps no one.
2. *Secondary (complementary) suppression.* Within each group of rows that add up to a shown
   total (the ``within`` columns), the suppressed rows can always be summed by subtraction:
   ``total - sum(shown rows)``. That derived sum is itself a published number about the
   suppressed rows taken together, so the rule of threshold applies to it as well. Therefore,
   while a group has exactly one suppressed row, or its suppressed rows hold fewer than
   ``threshold`` units together, the smallest remaining row with a positive count is suppressed
   too. A group with exactly one suppressed row and no positive row left gets its smallest
   remaining (zero) row suppressed, so that no single row can be recovered by subtraction.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaluation.errors import DataContractError

_FRAME = "(data frame)"


def check_threshold(value: object) -> int:
    """Return the anonymity threshold ``value`` as an int, or raise ``ValueError``.

    The one rule for every threshold of the package: an integer of at least 2 (a threshold of
    1 would suppress nothing); booleans are refused although Python counts them as integers.
    ``programme.yaml``'s ``anonymity_threshold`` is held to the same rule by the data contract.

    Parameters
    ----------
    value : object
        The threshold to check (``programme.anonymity_threshold``).

    Returns
    -------
    int
        ``value`` as a plain int.

    Raises
    ------
    ValueError
        If ``value`` is a bool, not an integer, or smaller than 2.

    Examples
    --------
    >>> check_threshold(5)
    5
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 2:
        raise ValueError(f"threshold must be an integer >= 2, got {value!r}")
    return int(value)


def _counts_as_array(
    frame: pd.DataFrame, count_column: str, already: np.ndarray | None, threshold: int
) -> np.ndarray:
    counts = frame[count_column]
    values = pd.to_numeric(counts, errors="coerce")
    missing = values.isna().to_numpy().copy()
    if already is not None:
        missing &= ~already  # a row suppressed before may have lost its count already
    # a count hidden by an earlier pass cannot be re-checked; it was protected then, so it
    # is taken to be as large as the threshold when the hidden rows are summed
    filled = values.fillna(threshold)
    bad = pd.Series(missing, index=values.index) | (filled < 0) | (filled != np.floor(filled))
    if bad.any():
        position = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataContractError.single(
            _FRAME,
            position + 2,
            count_column,
            f"count {counts.iloc[position]!r} is not a non-negative whole number",
            "a count of 0 or more",
        )
    return filled.to_numpy(dtype=float).astype(np.int64)


def _as_nullable(series: pd.Series) -> pd.Series:
    """Return ``series`` with a dtype that can hold missing values (int -> Int64, bool -> boolean)."""
    if pd.api.types.is_bool_dtype(series.dtype) and not isinstance(series.dtype, pd.BooleanDtype):
        return series.astype("boolean")
    if pd.api.types.is_integer_dtype(series.dtype) and not isinstance(
        series.dtype, pd.api.extensions.ExtensionDtype
    ):
        return series.astype("Int64")
    return series


def suppression_mask(
    counts: Sequence[int] | np.ndarray,
    *,
    threshold: int,
    groups: Sequence[object] | np.ndarray | None = None,
    already_suppressed: Sequence[bool] | np.ndarray | None = None,
) -> np.ndarray:
    """Return which cells to suppress, as a boolean array, for plain arrays of counts.

    This is the engine of :func:`suppress_small_cells`; see there for the rules.

    Parameters
    ----------
    counts : array of int
        Non-negative counts, one per cell.
    threshold : int
        Smallest count that may be shown.
    groups : array, optional
        Group label of each cell; cells with the same label add up to a shown total. Without
        it, all cells form one group.
    already_suppressed : array of bool, optional
        Cells suppressed for another reason; they count as suppressed in their group.

    Returns
    -------
    numpy.ndarray of bool
        True where the cell must be hidden.
    """
    threshold = check_threshold(threshold)
    counts = np.asarray(counts, dtype=np.int64)
    mask = (counts >= 1) & (counts < threshold)
    if already_suppressed is not None:
        mask |= np.asarray(already_suppressed, dtype=bool)
    if groups is None:
        members = {None: np.arange(len(counts))}
    else:
        codes, _ = pd.factorize(pd.Series(list(groups), dtype=object), use_na_sentinel=False)
        members = {code: np.flatnonzero(codes == code) for code in np.unique(codes)}
    for positions in members.values():
        _complement(counts, mask, positions, threshold)
    return mask


def _complement(counts: np.ndarray, mask: np.ndarray, positions: np.ndarray, threshold: int) -> None:
    """Add complementary suppressions to one group, in place."""
    while True:
        hidden = positions[mask[positions]]
        if len(hidden) == 0:
            return
        shown = positions[~mask[positions]]
        if len(shown) == 0:
            return
        hidden_total = int(counts[hidden].sum())
        needs_more = len(hidden) == 1 or hidden_total < threshold
        if not needs_more:
            return
        positive = shown[counts[shown] > 0]
        if len(positive):
            # smallest positive count; ties go to the first row in frame order (stable sort)
            pick = positive[np.argsort(counts[positive], kind="stable")[0]]
        elif len(hidden) == 1:
            pick = shown[0]  # only zeros left: hide one so the lone cell is not the difference
        else:
            return  # nothing left that could add to the hidden total
        mask[pick] = True


def suppress_small_cells(
    frame: pd.DataFrame,
    *,
    count_column: str = "n",
    value_columns: Sequence[str] = (),
    threshold: int,
    within: Sequence[str] = (),
) -> pd.DataFrame:
    """Hide the rows of a grouped table that could identify fewer than ``threshold`` people.

    Parameters
    ----------
    frame : pandas.DataFrame
        A tidy table with one row per cell (group) and a count of the people in it.
    count_column : str
        Column with the number of respondents (or informants) behind each row.
    value_columns : sequence of str
        Columns computed from those people (means, shares, p-values, ...): hidden on
        suppressed rows.
    threshold : int
        Anonymity threshold: the smallest count that may be shown, an integer of at least 2
        (:func:`check_threshold`). Take it from ``programme.anonymity_threshold``.
    within : sequence of str
        Columns that define the groups of rows adding up to a total that is shown elsewhere
        (for example ``("pilot", "wave")`` for agency rows whose pilot total is shown). An
        empty sequence treats all rows as one group.

    Returns
    -------
    pandas.DataFrame
        A copy of ``frame`` with a boolean column ``suppressed`` (added, or combined with an
        existing ``suppressed`` column by logical or). On suppressed rows the count column and
        every value column are missing (``<NA>``/``NaN``); integer columns become nullable
        ``Int64`` so they can hold the gap. Row order and index are kept.

    Raises
    ------
    ValueError
        If a named column does not exist or ``threshold`` is not an integer >= 2.
    DataContractError
        If a count is missing (except on a row already flagged ``suppressed``), negative or
        not a whole number (the row is the frame's position + 2, as a spreadsheet would
        number it under a header).

    Notes
    -----
    *Primary suppression*: a row with ``1 <= count < threshold`` is suppressed. A row
    already flagged ``suppressed`` stays suppressed; if its count is already missing, it is
    taken as ``threshold`` in the sums below, so applying the function twice changes nothing.

    Counts of **0 are not suppressed**. An empty cell describes no person, so no one can be
    recognised from it; and since a suppressed cell is then known to be non-empty or a
    complement, hiding zeros would add no protection while hiding that, for example, no one
    chose "strongly disagree". Rows with a count of 0 carry no statistic anyway (a mean of no
    answers is missing).

    *Secondary suppression*, per group of rows sharing the ``within`` columns: whatever the
    shown rows, the sum of the suppressed rows is ``total - sum(shown)``. So (a) a group must
    never have exactly one suppressed row, and (b) the suppressed rows together must hold at
    least ``threshold`` units, or the derived sum is itself a disclosed small cell. While (a)
    or (b) fails, the row with the smallest positive count among the shown rows is suppressed
    too (ties: the first in frame order). If only zero rows remain and exactly one row is
    suppressed, a zero row is suppressed as its complement. After this step no suppressed
    count can be derived from the shown counts and the group total: at least two unknowns
    share the difference, which is at least 1.

    Limits: a group consisting of one row cannot be protected inside the group; its total is
    then itself below the threshold and must be suppressed wherever it is shown. Only one
    partition into groups (``within``) is protected per call; for tables with several
    overlapping totals, suppress each level and check the combination. The guarantee is
    against derivation by arithmetic from the published numbers (the reader knows the shown
    counts and the group total). A reader who also knows this selection rule, including its
    tie-break, can in rare configurations narrow a hidden pair further (for example two
    hidden cells of 4 beside a shown 5, where a complement larger than 5 is impossible);
    excluding that needs interval-based cell suppression (as in τ-ARGUS), which is beyond
    this function.

    References
    ----------
    Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte Nordholt, E.,
    Spicer, K. and de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley,
    chapter 5 ("Frequency tables"), sections 5.2 (threshold rule) and 5.3 (secondary
    suppression).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"agency": ["a", "b", "c"], "n": [3, 8, 12], "mean": [3.2, 4.1, 3.9]})
    >>> suppress_small_cells(frame, value_columns=["mean"], threshold=5)["suppressed"].tolist()
    [True, True, False]
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if isinstance(value_columns, str):
        value_columns = (value_columns,)
    if isinstance(within, str):
        within = (within,)
    threshold = check_threshold(threshold)
    missing = [c for c in [count_column, *value_columns, *within] if c not in frame.columns]
    if missing:
        raise ValueError(
            f"column(s) {missing} not in the frame; it has {list(frame.columns)}"
        )
    result = frame.copy()
    already = None
    if "suppressed" in result.columns:
        already = result["suppressed"].fillna(False).to_numpy(dtype=bool)
    counts = _counts_as_array(result, count_column, already, threshold)
    groups = None
    if within:
        keys = result[list(within)]
        groups = [tuple(row) for row in keys.itertuples(index=False)]
    mask = suppression_mask(counts, threshold=threshold, groups=groups, already_suppressed=already)
    hide = pd.Series(mask, index=result.index)
    for column in dict.fromkeys([count_column, *value_columns]):
        result[column] = _as_nullable(result[column]).mask(hide)
    result["suppressed"] = mask
    return result


def derivable_cells(counts: Sequence[int], suppressed: Sequence[bool]) -> list[int]:
    """Positions of suppressed cells that a reader could recover from the shown ones and the total.

    A reader who knows the group total and the shown counts knows the sum of the suppressed
    counts. A suppressed count is then recoverable exactly when it is the only suppressed cell
    in the group, or when the difference is 0 (every suppressed cell must be 0).

    Parameters
    ----------
    counts : sequence of int
        The true counts of one group.
    suppressed : sequence of bool
        Which cells are hidden.

    Returns
    -------
    list of int
        Positions of the hidden cells whose value is determined; empty when none is.
    """
    hidden = [i for i, flag in enumerate(suppressed) if flag]
    difference = sum(c for c, flag in zip(counts, suppressed) if flag)
    if len(hidden) == 1 or (hidden and difference == 0):
        return hidden
    return []


__all__ = ["check_threshold", "derivable_cells", "suppress_small_cells", "suppression_mask"]
