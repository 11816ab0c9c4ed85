"""Quotes and pooling: approved quotes attributed by group only, small groups pooled.

The pooling decision is made once per pilot and interview round (:func:`pool_rounds`); every
chapter that counts interviews by stakeholder group, and the attribution of quotes, follow it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaluation.contract.vocabulary import STAKEHOLDER_GROUPS
from evaluation.interviews.counts import interview_counts
from evaluation.interviews.inputs import (
    SEGMENTS_FILE,
    check_interviews,
    check_segments,
    level_values,
    parse_approved,
    require_columns,
    round_order,
    sort_groups,
    with_level,
)
from evaluation.privacy import check_threshold


def _truncate(text: str, max_chars: int) -> tuple[str, bool]:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= max_chars:
        return text, False
    cut = text[: max_chars - 1]  # room for the ellipsis
    if not text[max_chars - 1].isspace():  # the cut falls inside a word: drop that word
        space = cut.rfind(" ")
        if space > max_chars // 2:
            cut = cut[:space]
    return cut.rstrip(" ,;:.–-") + "…", True


def _pooled_groups(interviews: pd.DataFrame, column: str, threshold: int) -> set:
    sizes = interviews.groupby(column, sort=False).size().sort_values(kind="stable")
    if int(sizes.sum()) < threshold:
        return set(sizes.index)
    pooled = {group for group, size in sizes.items() if size < threshold}
    if not pooled:
        return pooled
    pooled_size = int(sizes[list(pooled)].sum())
    for group, size in sizes.items():  # ascending: add the next smallest until the pool is large
        if pooled_size >= threshold:
            break
        if group not in pooled:
            pooled.add(group)
            pooled_size += int(size)
    return pooled


def pool_small_groups(
    interviews: pd.DataFrame,
    *,
    column: str = "stakeholder_group",
    threshold: int,
    pooled_value: str = "other",
) -> pd.DataFrame:
    """Merge the groups with fewer interviews than the threshold into one pooled group.

    With five or six stakeholder groups and a few interviews each, most groups of a pilot fall
    below the anonymity threshold, and suppression alone would hide most of a table. Pooling
    them ("other groups") shows what they said together without showing any small group.

    Parameters
    ----------
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` (``interview_id`` and ``column``).
    column : str
        Column whose values are the groups; ``"stakeholder_group"`` by default.
    threshold : int
        Anonymity threshold.
    pooled_value : str
        Value given to the pooled groups.

    Returns
    -------
    pandas.DataFrame
        A copy of ``interviews`` in which ``column`` is ``pooled_value`` for the pooled groups.
        The list of pooled groups is ``frame.attrs["pooled_groups"]`` (a tuple).

    Notes
    -----
    Groups with fewer than ``threshold`` interviews are pooled. If the pool then still has
    fewer than ``threshold`` interviews, the next smallest groups join it until it has at
    least ``threshold`` (otherwise the pool would be a small cell itself, and "pooled" could
    be read as "that one small group" by elimination). If all interviews together are fewer
    than ``threshold``, every group is pooled, and the pool must be suppressed wherever it is
    counted (the functions of this module do).
    """
    threshold = check_threshold(threshold)
    check_interviews(interviews, (column,))
    pooled = _pooled_groups(interviews, column, threshold)
    result = interviews.copy()
    result[column] = [pooled_value if value in pooled else value for value in interviews[column]]
    order = {g: i for i, g in enumerate(STAKEHOLDER_GROUPS)}
    result.attrs["pooled_groups"] = tuple(sorted(pooled, key=lambda g: (order.get(g, len(order)), str(g))))
    return result


def pool_rounds(
    interviews: pd.DataFrame,
    *,
    threshold: int,
    column: str = "stakeholder_group",
    pooled_value: str = "other",
) -> pd.DataFrame:
    """:func:`pool_small_groups` within each pilot and interview round.

    Each round is reported whole and on its own (a report shows its own phase's round; a later
    report does not add to an earlier one's counts), so the groups are pooled per round: a
    group is shown in a round only if it has at least ``threshold`` interviews in that round.

    Parameters
    ----------
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` with the derived ``round`` column (and ``pilot``, when
        there are several pilots).
    threshold : int
        Anonymity threshold.
    column, pooled_value : str
        As for :func:`pool_small_groups`.

    Returns
    -------
    pandas.DataFrame
        A copy of ``interviews`` (same index) with ``column`` pooled within each pilot and
        round; ``frame.attrs["pooled_groups"]`` maps ``(pilot, round)`` (``pilot`` is ``None``
        without a ``pilot`` column) to the tuple of pooled groups.
    """
    threshold = check_threshold(threshold)
    check_interviews(interviews, (column, "round"))
    keys = ["pilot", "round"] if "pilot" in interviews.columns else ["round"]
    result = interviews.copy()
    pooled_groups = {}
    for key, part in interviews.groupby(keys, sort=False):
        key = key if len(keys) == 2 else (None, key[0])
        pooled = pool_small_groups(part, column=column, threshold=threshold,
                                   pooled_value=pooled_value)
        result.loc[part.index, column] = pooled[column]
        pooled_groups[tuple(key)] = pooled.attrs["pooled_groups"]
    result.attrs["pooled_groups"] = pooled_groups
    return result


def round_group_counts(interviews: pd.DataFrame, *, threshold: int) -> pd.DataFrame:
    """Interviews and informants per round and stakeholder group, pooled as in the chapters.

    Parameters
    ----------
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` with ``round`` (one pilot, or several for a synthesis).
    threshold : int
        Anonymity threshold.

    Returns
    -------
    pandas.DataFrame
        Columns ``round``, ``stakeholder_group`` (``"other"`` for the pooled groups),
        ``interviews``, ``informants`` (nullable integers, missing where suppressed) and
        ``suppressed`` (bool), rounds in time order and groups in the contract's order.

    Notes
    -----
    Groups are pooled per pilot and round (:func:`pool_rounds`) and counted per pilot and
    round (:func:`evaluation.interviews.interview_counts`, which suppresses a pool that is
    still below the threshold). Across pilots the counts are summed; a sum with a suppressed
    part is suppressed as a whole, so no hidden pilot count can be worked out from it.
    """
    columns = ["round", "stakeholder_group", "interviews", "informants", "suppressed"]
    pooled = pool_rounds(interviews, threshold=threshold)
    keys = ["pilot", "round"] if "pilot" in pooled.columns else ["round"]
    parts = [interview_counts(part, by="stakeholder_group", threshold=threshold).assign(round=key[-1])
             for key, part in pooled.groupby(keys, sort=False)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    counts = pd.concat(parts, ignore_index=True)
    result = counts.groupby(["round", "stakeholder_group"], sort=False).agg(
        interviews=("interviews", lambda s: s.sum() if s.notna().all() else pd.NA),
        informants=("informants", lambda s: s.sum() if s.notna().all() else pd.NA),
        suppressed=("suppressed", "any"),
    ).reset_index()
    result[["interviews", "informants"]] = result[["interviews", "informants"]].astype("Int64")
    return sort_groups(result, ["round", "stakeholder_group"], rounds=round_order(interviews))[columns]


def select_quotes(
    segments: pd.DataFrame,
    *,
    interviews: pd.DataFrame,
    theme: str | Sequence[str] | None = None,
    codebook: pd.DataFrame | None = None,
    max_chars: int = 300,
    max_per_theme: int | None = 3,
    threshold: int,
) -> pd.DataFrame:
    """Approved quotes, attributed by stakeholder group only, as plain text.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``interviews/segments.csv`` with ``quote`` and ``quote_approved`` (``yes``/``no`` or
        booleans; missing means not approved).
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` of the report's scope (for example one pilot): gives each
        quote's stakeholder group and the group sizes that decide whether the group may be
        named, and the dates (newest quotes first).
    theme : str, sequence of str or None
        Only quotes on these themes.
    codebook : pandas.DataFrame, optional
        ``interviews/codebook.csv``; needed unless ``segments`` has a ``theme`` column.
    max_chars : int
        Longest quote in characters; longer ones are cut at a word and end in "…".
    max_per_theme : int or None
        Most quotes per theme (``None`` for all), taken in turn from the stakeholder groups
        so that one group does not fill the list.
    threshold : int
        Anonymity threshold.

    Returns
    -------
    pandas.DataFrame
        One row per quote, with columns ``theme``, ``code``, ``stakeholder_group`` (missing
        when the group may not be named, see Notes), ``quote`` (plain text, whitespace
        collapsed, cut to ``max_chars``; :func:`evaluation.html.quote` escapes it for a report)
        and ``truncated`` (bool). No interview id, agency, name or date is returned.

    Notes
    -----
    Only segments with ``quote_approved`` true and a non-empty ``quote`` are used; unapproved
    text never appears. The same words are quoted once (under the first theme in codebook
    order), even when several segments carry them.

    A quote is attributed to its stakeholder group only when that does not narrow its speaker
    to fewer than ``threshold`` interviews. Groups with fewer interviews than the threshold are
    pooled as unnamed; if the pooled groups together still have fewer than the threshold, the
    next smallest groups are pooled too (so "unnamed" cannot be read as one small group by
    elimination). If all interviews together are fewer than the threshold, no quote is returned.
    """
    threshold = check_threshold(threshold)
    _check_quote_options(max_chars, max_per_theme)
    check_segments(segments)
    require_columns(segments, ("quote", "quote_approved"), SEGMENTS_FILE)
    check_interviews(interviews, ("stakeholder_group",))
    columns = ["theme", "code", "stakeholder_group", "quote", "truncated"]
    frame = _approved_quotes(segments, interviews)
    named = set(interviews["stakeholder_group"]) - _pooled_groups(
        interviews, "stakeholder_group", threshold)
    if frame.empty or not len(interviews) or int(len(interviews)) < threshold:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}).astype(
            {"truncated": bool})
    frame = with_level(frame, "theme", codebook)
    if theme is not None:
        wanted = [theme] if isinstance(theme, str) else list(theme)
        frame = frame[frame["theme"].isin(wanted)]
    frame = _in_turn(frame, interviews, codebook)
    if max_per_theme is not None:
        frame = frame.groupby("theme", sort=False).head(max_per_theme)
    cut = [_truncate(q, int(max_chars)) for q in frame["quote"].tolist()]
    result = pd.DataFrame(
        {
            "theme": frame["theme"].tolist(),
            "code": frame["code"].tolist(),
            "stakeholder_group": [g if g in named else None for g in frame["stakeholder_group"]],
            "quote": [q for q, _ in cut],
            "truncated": [t for _, t in cut],
        }
    )
    result["stakeholder_group"] = result["stakeholder_group"].astype("object")
    return result


def _check_quote_options(max_chars: object, max_per_theme: object) -> None:
    if not isinstance(max_chars, (int, np.integer)) or max_chars < 20:
        raise ValueError(f"max_chars must be an integer of at least 20, got {max_chars!r}")
    if max_per_theme is not None and (not isinstance(max_per_theme, (int, np.integer))
                                      or max_per_theme < 1):
        raise ValueError(f"max_per_theme must be a positive integer or None, got {max_per_theme!r}")


def _approved_quotes(segments: pd.DataFrame, interviews: pd.DataFrame) -> pd.DataFrame:
    """Segments of ``interviews`` with an approved, non-empty quote."""
    approved = parse_approved(segments["quote_approved"])
    frame = segments[approved.to_numpy()]
    frame = frame[frame["interview_id"].isin(set(interviews["interview_id"].tolist()))]
    text = frame["quote"].astype("object")
    return frame[text.map(lambda q: isinstance(q, str) and q.strip() != "").to_numpy()]


def _in_turn(frame: pd.DataFrame, interviews: pd.DataFrame,
             codebook: pd.DataFrame | None) -> pd.DataFrame:
    """Quotes in codebook theme order, newest first, taken in turn from the stakeholder groups,
    each distinct text once."""
    keep = ["interview_id", "stakeholder_group"] + (["date"] if "date" in interviews.columns else [])
    frame = frame.assign(__order=np.arange(len(frame))).merge(
        interviews[keep], on="interview_id", how="left")
    frame = frame.drop_duplicates(["segment_id", "theme"])
    if "date" in frame.columns:
        frame = frame.assign(__date=pd.to_datetime(frame["date"]))
        frame = frame.sort_values(["__date", "__order"], ascending=[False, True], kind="stable")
    else:
        frame = frame.sort_values("__order", kind="stable")
    frame = frame.assign(__turn=frame.groupby(["theme", "stakeholder_group"], sort=False).cumcount())
    theme_order = level_values(frame, "theme", codebook, None)
    frame = frame.assign(__theme=frame["theme"].map({t: i for i, t in enumerate(theme_order)}))
    frame = frame.sort_values(["__theme", "__turn"], kind="stable")
    frame = frame.assign(__text=frame["quote"].map(lambda q: re.sub(r"\s+", " ", q).strip()))
    return frame.drop_duplicates("__text")  # the same words are quoted once

__all__ = ["pool_rounds", "pool_small_groups", "round_group_counts", "select_quotes"]
