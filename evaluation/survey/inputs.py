"""Survey inputs: the contract's file names, item metadata, item values and grouping helpers.

Responses arrive wide, one column per item (``Q01`` …), holding the raw code of the item's scale
as a nullable integer: ``<NA>`` is *not answered*, the scale's ``dont_know_code`` is *"vet
ikke"* (don't know). :func:`item_values` turns them into scale values with "vet ikke" apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaluation.errors import DataContractError, DataProblem
from evaluation.privacy import suppress_small_cells

ITEMS_FILE = "survey/items.csv"
RESPONSES_FILE = "survey/responses.csv"
POPULATION_FILE = "survey/population.csv"

_ITEM_COLUMNS = ("item_id", "index", "scale_min", "scale_max", "dont_know_code")


def as_columns(value: str | Sequence[str] | None, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return list(value)
    except TypeError:
        raise ValueError(f"{name} must be a column name or a sequence of them") from None


def require_columns(frame: pd.DataFrame, columns: Sequence[str], file: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataContractError(
            [DataProblem(file, None, c, "column is missing", "the column of the data contract")
             for c in missing]
        )


def check_by(frame: pd.DataFrame, by: list[str]) -> None:
    missing = [c for c in by if c not in frame.columns]
    if missing:
        raise ValueError(f"grouping column(s) {missing} not in the responses; they have "
                         f"{[c for c in frame.columns]}")


def item_meta(items: pd.DataFrame) -> pd.DataFrame:
    """Validated item metadata, one row per item, in file order."""
    require_columns(items, _ITEM_COLUMNS, ITEMS_FILE)
    meta = items.reset_index(drop=True).copy()
    problems = []
    for position, row in meta.iterrows():
        line = int(position) + 2
        for column in ("scale_min", "scale_max"):
            if pd.isna(row[column]):
                problems.append(DataProblem(ITEMS_FILE, line, column, "missing scale bound",
                                            "the scale's smallest and largest level"))
        if not (pd.isna(row["scale_min"]) or pd.isna(row["scale_max"])) and (
            row["scale_min"] >= row["scale_max"]
        ):
            problems.append(DataProblem(ITEMS_FILE, line, "scale_max",
                                        "scale has fewer than two levels",
                                        "scale_max greater than scale_min"))
    if meta["item_id"].duplicated().any():
        position = int(np.flatnonzero(meta["item_id"].duplicated().to_numpy())[0])
        problems.append(DataProblem(ITEMS_FILE, position + 2, "item_id", "duplicate item id",
                                    "each item once"))
    if problems:
        raise DataContractError(problems)
    if "reverse_keyed" not in meta.columns:
        meta["reverse_keyed"] = False
    meta["reverse_keyed"] = meta["reverse_keyed"].fillna(False).astype(bool)
    meta["scale_min"] = meta["scale_min"].astype(int)
    meta["scale_max"] = meta["scale_max"].astype(int)
    return meta


def item_values(responses: pd.DataFrame, meta: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per item: (scale values as float with NaN for missing/don't know, don't-know mask).

    Raises DataContractError listing every code outside the item's scale.
    """
    require_columns(responses, list(meta["item_id"]), RESPONSES_FILE)
    result = {}
    problems: list[DataProblem] = []
    for row in meta.itertuples(index=False):
        raw = pd.to_numeric(responses[row.item_id], errors="coerce").astype("Float64")
        values = raw.to_numpy(dtype=float, na_value=np.nan)
        present = ~np.isnan(values)
        dont_know = np.zeros(len(values), dtype=bool)
        if not pd.isna(row.dont_know_code):
            dont_know = present & (values == float(row.dont_know_code))
        on_scale = present & (values >= row.scale_min) & (values <= row.scale_max) & (
            values == np.round(values)
        )
        bad = present & ~on_scale & ~dont_know
        # a non-numeric cell (coerced to NaN) is also a contract violation
        text_bad = responses[row.item_id].notna().to_numpy() & ~present
        for position in np.flatnonzero(bad | text_bad)[:20]:
            problems.append(DataProblem(
                RESPONSES_FILE, int(position) + 2, row.item_id,
                f"code {responses[row.item_id].iloc[position]!r} is not on the item's scale",
                f"an integer from {row.scale_min} to {row.scale_max}"
                + ("" if pd.isna(row.dont_know_code) else f" or {int(row.dont_know_code)} (vet ikke)")
                + ", or empty",
            ))
        scale_values = np.where(on_scale, values, np.nan)
        result[row.item_id] = (scale_values, dont_know)
    if problems:
        raise DataContractError(problems)
    return result


def iter_groups(frame: pd.DataFrame, by: list[str]):
    """Yield ``(key_tuple, positions)`` for each group in sorted order."""
    if not by:
        yield (), np.arange(len(frame))
        return
    grouped = frame.reset_index(drop=True).groupby(by, sort=True, dropna=False, observed=True)
    for key, positions in grouped.indices.items():
        key = key if isinstance(key, tuple) else (key,)
        yield key, np.asarray(positions)


def default_within(by: list[str], within: Sequence[str] | None, lead: Sequence[str]) -> list[str]:
    """The groups of rows that add up to a shown total: ``lead`` and all of ``by`` but the last.

    Waves are independent cross-sections, never parts of one total, so a ``wave`` column is
    always part of the groups: a small wave never makes another wave's row hidden.
    """
    if within is not None:
        return [*lead, *as_columns(within, "within")]
    groups = [*lead, *by[:-1]]
    if "wave" in by and "wave" not in groups:
        groups.append("wave")
    return groups


def apply_plan(frame: pd.DataFrame, plan, responses: pd.DataFrame, *, count_column: str,
               value_columns: Sequence[str], threshold: int) -> pd.DataFrame:
    """Suppress ``frame`` as a disclosure plan decides, plus each row's own small count.

    The plan (:class:`evaluation.disclosure.DisclosurePlan`) hides its cells and has made the
    complementary suppressions across every linked table, so this table adds none: each row
    is its own group for :func:`evaluation.privacy.suppress_small_cells` (primary only).
    """
    result = frame.copy()
    result["suppressed"] = plan.hidden_mask(result, responses)
    result["_row"] = np.arange(len(result))
    result = suppress_small_cells(result, count_column=count_column, value_columns=value_columns,
                                  threshold=threshold, within=["_row"])
    return result.drop(columns="_row")


__all__ = [
    "ITEMS_FILE",
    "POPULATION_FILE",
    "RESPONSES_FILE",
    "apply_plan",
    "as_columns",
    "check_by",
    "default_within",
    "item_meta",
    "item_values",
    "iter_groups",
    "require_columns",
]
