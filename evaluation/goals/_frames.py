"""Column checks shared by the goal-attainment functions."""

from __future__ import annotations

import pandas as pd

from evaluation.errors import DataContractError, DataProblem

ASSESSMENTS_FILE = "assessments.csv"
"""The data contract's file of the evaluators' judgements."""

_CONTRACT_FILES = ("programme.yaml", ASSESSMENTS_FILE)


def require(frame: pd.DataFrame, columns, what: str) -> None:
    """Check that ``frame`` has ``columns``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The frame to check.
    columns : iterable of str
        Columns it must have.
    what : str
        What the frame is: a contract file's name (``programme.yaml``, ``assessments.csv``) or
        a description of the argument.

    Raises
    ------
    DataContractError
        When a contract file's column is missing (naming file and column).
    ValueError
        When ``frame`` is no DataFrame, or an argument frame lacks a column.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame for {what}, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if not missing:
        return
    if what in _CONTRACT_FILES:
        raise DataContractError([DataProblem(what, None, c, "column is missing",
                                             "the data contract's columns") for c in missing])
    raise ValueError(f"the {what} frame lacks column(s) {missing}")
