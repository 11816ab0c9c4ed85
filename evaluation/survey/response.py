"""Response rates: invited, responded and the rate per group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from evaluation.errors import DataContractError, DataProblem
from evaluation.privacy import suppress_small_cells
from evaluation.survey.inputs import (
    POPULATION_FILE,
    apply_plan,
    as_columns,
    check_by,
    default_within,
    require_columns,
)

if TYPE_CHECKING:
    from evaluation.disclosure import DisclosurePlan


def response_rates(
    population: pd.DataFrame,
    responses: pd.DataFrame,
    *,
    by: str | Sequence[str] = ("pilot", "wave", "agency"),
    threshold: int,
    within: Sequence[str] | None = None,
    plan: DisclosurePlan | None = None,
) -> pd.DataFrame:
    """Invited, responded and response rate per group.

    Parameters
    ----------
    population : pandas.DataFrame
        ``survey/population.csv``: ``pilot, agency, wave, invited``.
    responses : pandas.DataFrame
        Wide responses (only ``by`` columns are used).
    by : str or sequence of str
        Grouping columns, a subset of ``pilot, agency, wave``, outermost first; by default
        ``("pilot", "wave", "agency")``.
    threshold : int
        Anonymity threshold: a group with fewer respondents has ``responded`` and ``rate``
        suppressed (``invited`` is the agency's own staff count and stays shown).
    within : sequence of str, optional
        Secondary-suppression groups; by default all of ``by`` but the last (a ``wave``
        column always separates groups: waves are not parts of one total).
    plan : evaluation.disclosure.DisclosurePlan, optional
        The render's disclosure plan: the rows of the cells it hides are suppressed, and it
        replaces this table's own complementary suppression (``within`` is then not used).
        The rows must name their pilot and wave (group by them, or pass responses of one).

    Returns
    -------
    pandas.DataFrame
        One row per group present in ``population``: the ``by`` columns, ``invited``,
        ``responded``, ``rate`` (``responded / invited``), ``suppressed``.

    Raises
    ------
    DataContractError
        If responses come from a group not in the population file, or a group has more
        responses than invited employees.
    ValueError
        If ``by`` names a column not in both frames.

    Notes
    -----
    The rate is the share of invited employees who answered (AAPOR response rate RR1 when
    every returned questionnaire counts as a response).

    References
    ----------
    The American Association for Public Opinion Research (2023). *Standard Definitions: Final
    Dispositions of Case Codes and Outcome Rates for Surveys* (10th ed.). AAPOR.
    """
    by = as_columns(by, "by")
    if not by:
        raise ValueError("by must name at least one column")
    require_columns(population, ["invited", *by], POPULATION_FILE)
    check_by(responses, by)
    result = _invited_and_responded(population, responses, by)
    result["rate"] = np.where(result["invited"] > 0,
                              result["responded"] / result["invited"].where(result["invited"] > 0),
                              np.nan)
    result = result.reset_index()
    if plan is not None:
        return apply_plan(result, plan, responses, count_column="responded",
                          value_columns=["rate"], threshold=threshold)
    return suppress_small_cells(
        result, count_column="responded", value_columns=["rate"], threshold=threshold,
        within=default_within(by, within, []),
    )


def _invited_and_responded(population: pd.DataFrame, responses: pd.DataFrame,
                           by: list[str]) -> pd.DataFrame:
    """``invited`` and ``responded`` per group of ``by`` (the index), checked against each other.

    Raises DataContractError for responses from a group without a population row, or more
    responses than invited employees.
    """
    invited = population.groupby(by, sort=True, dropna=False)["invited"].sum()
    responded = responses.groupby(by, sort=True, dropna=False).size()
    unknown = responded.index.difference(invited.index)
    if len(unknown):
        raise DataContractError([
            DataProblem(POPULATION_FILE, None, ",".join(by),
                        f"no invited count for {dict(zip(by, key if isinstance(key, tuple) else (key,)))}",
                        "a population row for every group that answered")
            for key in unknown
        ])
    result = invited.rename("invited").to_frame()
    result["responded"] = responded.reindex(result.index).fillna(0).astype(int)
    over = result[result["responded"] > result["invited"]]
    if len(over):
        raise DataContractError([
            DataProblem(POPULATION_FILE, None, "invited",
                        f"{row.responded} responses but {row.invited} invited for "
                        f"{dict(zip(by, key if isinstance(key, tuple) else (key,)))}",
                        "invited at least the number of responses")
            for key, row in over.iterrows()
        ])
    return result


__all__ = ["response_rates"]
