"""The balance of assessments per theme, and the change in theme prevalence between rounds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaluation.contract.vocabulary import ASSESSMENTS
from evaluation.errors import InsufficientDataError
from evaluation.interviews.inputs import (
    check_interviews,
    check_level,
    check_references,
    check_segments,
    level_values,
    normalise_by,
    round_order,
    sort_groups,
    suppress,
    with_level,
)
from evaluation.privacy import check_threshold
from evaluation.stats import holm_adjust


def assessment_balance(
    segments: pd.DataFrame,
    *,
    interviews: pd.DataFrame | None = None,
    by: str | Sequence[str] | None = None,
    level: str = "theme",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
    threshold: int,
) -> pd.DataFrame:
    """Interviews that assess each theme (or code) positively, negatively, mixed or neutrally, and a net score.

    Each interview that raises a theme casts one vote for it, derived from its assessed
    passages on the theme (see Notes), so a talkative informant counts once, as every other.
    The passages themselves are counted by :func:`code_frequencies` (``references``).

    Parameters
    ----------
    segments : pandas.DataFrame
        ``interviews/segments.csv`` (plus ``theme`` if no codebook is given).
    interviews : pandas.DataFrame, optional
        ``interviews/interviews.csv``; required when ``by`` is given.
    by : str, sequence of str or None
        Interview columns to break down by (for example ``"stakeholder_group"``); ``None``
        for all interviews of ``segments`` together.
    level : {"theme", "code"}
        Count per theme (default) or per code.
    codebook : pandas.DataFrame, optional
        ``interviews/codebook.csv``; when given every theme/code gets a row, in its order.
    include : sequence of str, optional
        Only these themes/codes, in this order.
    threshold : int
        Anonymity threshold; groups of ``by`` with fewer interviews are suppressed.

    Returns
    -------
    pandas.DataFrame
        One row per (group and) theme/code, with columns: the ``by`` columns and
        ``n_interviews`` (interviews in the group) when ``by`` is given; ``theme`` or ``code``;
        ``positive``, ``negative``, ``mixed``, ``neutral`` (interviews whose vote on the
        theme is that assessment); ``total`` (their sum: the interviews raising the theme);
        ``net_score`` (see Notes; missing when ``total`` is 0); ``suppressed`` (bool; counts
        and score missing where true).

    Notes
    -----
    **One vote per interview and theme.** Let :math:`p_i`, :math:`n_i` and :math:`m_i` be the
    numbers of distinct positive, negative and mixed passages of interview :math:`i` coded
    with the theme. The interview's vote is

    * *positive* if :math:`p_i > n_i`, *negative* if :math:`n_i > p_i`;
    * *mixed* if :math:`p_i = n_i` and the interview has at least one positive, negative or
      mixed passage on the theme (both sides equally often, or only mixed passages);
    * *neutral* if every passage on the theme is neutral.

    A mixed passage weighs as much on either side, so it never tips the vote. The net score
    is the balance statistic over the interviews that raise the theme, as a share,

    .. math:: net = \\frac{positive - negative}{positive + negative + mixed + neutral},

    which lies in [-1, 1]: +1 when every interview leans positive, -1 when every one leans
    negative; mixed and neutral interviews pull it towards 0.

    Counting interviews rather than passages keeps the unit of the statistic the unit that was
    sampled: the balance of business tendency surveys is the share of *respondents* answering
    up minus the share answering down, each respondent once (OECD 2003), and the
    "quasi-statistics" of qualitative research count how many informants hold a view, not how
    often it was said (Maxwell 2010). Counted per passage, an informant who returns to a
    theme six times would outweigh five who mention it once.

    References
    ----------
    OECD (2003). *Business Tendency Surveys: A Handbook*. Paris: OECD Publishing (the balance
    as the difference between the shares of respondents answering positively and negatively).

    Maxwell, J. A. (2010). Using numbers in qualitative research. *Qualitative Inquiry*, 16(6),
    475-482. https://doi.org/10.1177/1077800410364740

    Examples
    --------
    On the demo data (the midterm phase), the assessments per theme of Stad's interviews:

    >>> from evaluation.contract import load_data
    >>> data = load_data(phase="midterm")
    >>> stad = data.interviews[data.interviews["pilot"] == "stad"]
    >>> table = assessment_balance(data.segments[data.segments["interview_id"].isin(stad["interview_id"])],
    ...                            codebook=data.codebook, threshold=data.anonymity_threshold)
    >>> list(table.columns)
    ['theme', 'positive', 'negative', 'mixed', 'neutral', 'total', 'net_score', 'suppressed']
    >>> bool((table["total"] <= len(stad)).all())
    True
    """
    threshold = check_threshold(threshold)
    level = check_level(level)
    by = normalise_by(by)
    check_segments(segments)
    frame = with_level(segments, level, codebook)
    values = level_values(frame, level, codebook, include)
    frame, grid = _balance_grid(frame.drop_duplicates(["segment_id", level]), segments,
                                interviews, by, level, values)
    result = _balance_counts(_interview_votes(frame, [*by, level]), grid, [*by, level])
    if by:
        result["n_interviews"] = result["n_interviews"].astype("Int64")
        result = result[[*by, "n_interviews", level, *ASSESSMENTS, "total", "net_score"]]
        result = suppress(result, count_column="n_interviews",
                          value_columns=(*ASSESSMENTS, "total", "net_score"),
                          threshold=threshold, within=(*by[:-1], level))
    else:
        result = result[[level, *ASSESSMENTS, "total", "net_score"]]
        result["suppressed"] = False
    return result.reset_index(drop=True)


def _balance_grid(frame: pd.DataFrame, segments: pd.DataFrame, interviews: pd.DataFrame | None,
                  by: tuple[str, ...], level: str,
                  values: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The segments with their interview's ``by`` columns, and the (group x) theme/code grid
    with ``n_interviews`` per group when ``by`` is given."""
    if by:
        if interviews is None:
            raise ValueError("by needs interviews=... to find each segment's group")
        check_interviews(interviews, by)
        check_references(segments, interviews)
        frame = frame.merge(interviews[["interview_id", *by]], on="interview_id", how="left")
        groups = sort_groups(interviews.groupby(list(by), sort=False, dropna=False).size()
                             .rename("n_interviews").reset_index(), by,
                             rounds=round_order(interviews))
        grid = groups.merge(pd.DataFrame({level: values}), how="cross")
    else:
        grid = pd.DataFrame({level: values})
    return frame, grid


def _interview_votes(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One row per ``keys`` x interview: the interview's vote (column ``assessment``).

    ``frame`` holds distinct passages (``segment_id``, ``interview_id``, ``assessment`` and
    the ``keys`` columns); the rule is that of :func:`assessment_balance` (Notes).
    """
    keys = list(keys)
    per = (
        frame.groupby([*keys, "interview_id", "assessment"], sort=False, dropna=False)["segment_id"]
        .nunique().unstack("assessment").reindex(columns=list(ASSESSMENTS)).fillna(0)
    )
    positive, negative, mixed = per["positive"], per["negative"], per["mixed"]
    vote = np.select([positive > negative, negative > positive, positive + mixed > 0],
                     ["positive", "negative", "mixed"], default="neutral")
    return per.index.to_frame(index=False).assign(assessment=vote)


def _balance_counts(votes: pd.DataFrame, grid: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``grid`` with the interviews per vote, their ``total`` and the ``net_score``."""
    counts = (
        votes.groupby([*keys, "assessment"], sort=False, dropna=False)["interview_id"].nunique()
        .unstack("assessment").reindex(columns=list(ASSESSMENTS)).reset_index()
    )
    result = grid.merge(counts, on=keys, how="left")
    for assessment in ASSESSMENTS:
        result[assessment] = result[assessment].fillna(0).astype("Int64")
    result["total"] = result[list(ASSESSMENTS)].sum(axis=1).astype("Int64")
    total = result["total"].astype("Float64")
    net = (result["positive"].astype("Float64") - result["negative"].astype("Float64")) / total
    result["net_score"] = net.where(total > 0, pd.NA)
    return result


def theme_change(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    *,
    by: str | Sequence[str] = "pilot",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
    rounds: tuple[str, str],
    threshold: int,
) -> pd.DataFrame:
    """Prevalence of each theme in two interview rounds, its change and Fisher's test, Holm-adjusted.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``interviews/segments.csv`` (plus ``theme`` if no codebook is given).
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` with the derived ``round`` column (the phase of each
        interview, see :func:`assign_rounds`) and the ``by`` columns.
    by : str or sequence of str
        Groups to compare within; ``"pilot"`` by default.
    codebook : pandas.DataFrame, optional
        ``interviews/codebook.csv``; gives the themes and their order.
    include : sequence of str, optional
        Only these themes, in this order.
    rounds : (str, str)
        The earlier and the later round (phase ids, such as the report's previous phase and its
        own); interviews of other rounds are left out.
    threshold : int
        Anonymity threshold: a row is suppressed when either round has fewer interviews.

    Returns
    -------
    pandas.DataFrame
        One row per group and theme, with columns: the ``by`` columns; ``theme``;
        ``from_round`` and ``to_round`` (the two rounds); ``n_from``, ``coded_from``,
        ``share_from`` (interviews of the earlier round, those mentioning the theme, and the
        share); ``n_to``, ``coded_to``, ``share_to`` (the same for the later round);
        ``change`` (``share_to - share_from``, a difference of shares); ``p_value``
        (Fisher's exact test, two-sided, unadjusted); ``p_value_adjusted`` (Holm's adjustment
        of ``p_value`` over the themes of the group, see Notes); ``suppressed`` (bool; all
        counts, shares, change and both p-values missing where true).

    Raises
    ------
    InsufficientDataError
        If ``interviews`` has no interview from one of the rounds.

    Notes
    -----
    Prevalence is the share of a round's interviews that mention the theme (at least one
    segment coded with one of its codes). The p-value is from Fisher's exact test of the 2x2
    table (round x mentioned / not mentioned), two-sided: the sum of the hypergeometric
    probabilities of all tables with the same margins that are no more probable than the
    observed one (``scipy.stats.fisher_exact``, the definition of R's ``fisher.test``). It
    treats interviews as independent, which re-interviewed informants are not; read it as a
    guide to which changes are larger than chance would easily give, not as a formal test.

    A report reads the changes of all themes at once, so the p-values are adjusted for the
    number of themes by Holm's step-down method (:func:`evaluation.stats.holm_adjust`, R's
    ``p.adjust(p, "holm")``), which controls the family-wise error rate under any dependence
    between the tests. The family is one comparison: the themes of one group of ``by`` (one
    pilot) between the two ``rounds``; suppressed rows are not part of it. The survey's wave
    comparisons are adjusted in the same way (:func:`evaluation.survey.compare_waves`).

    References
    ----------
    Fisher, R. A. (1935). The logic of inductive inference. *Journal of the Royal Statistical
    Society*, 98(1), 39-82. https://doi.org/10.2307/2342435

    Agresti, A. (2013). *Categorical Data Analysis* (3rd ed.), section 3.5. Hoboken, NJ: Wiley.

    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics*, 6(2), 65-70.

    Examples
    --------
    On the demo data, Narvik's themes from the midterm to the final round:

    >>> from evaluation.contract import load_data
    >>> data = load_data(phase="final")
    >>> narvik = data.interviews[data.interviews["pilot"] == "narvik"]
    >>> table = theme_change(data.segments[data.segments["interview_id"].isin(narvik["interview_id"])],
    ...                      narvik, codebook=data.codebook, rounds=("midterm", "final"),
    ...                      threshold=data.anonymity_threshold)
    >>> int(table["n_from"].iloc[0]), int(table["n_to"].iloc[0])
    (21, 22)
    >>> bool((table["p_value_adjusted"] >= table["p_value"]).all())
    True
    """
    threshold = check_threshold(threshold)
    by = normalise_by(by)
    if not by:
        raise ValueError("by must name at least one column")
    check_segments(segments)
    check_interviews(interviews, (*by, "round"))
    check_references(segments, interviews)
    rounds = _check_rounds(interviews, rounds)
    interviews = interviews.loc[interviews["round"].isin(rounds)]
    frame = with_level(segments, "theme", codebook)
    frame = frame.loc[frame["interview_id"].isin(interviews["interview_id"])]
    themes = level_values(frame, "theme", codebook, include)
    result = _round_counts(frame, interviews, by, themes, rounds)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_from = result["coded_from"] / result["n_from"].where(result["n_from"] > 0)
        share_to = result["coded_to"] / result["n_to"].where(result["n_to"] > 0)
    result["share_from"] = share_from.astype("Float64")
    result["share_to"] = share_to.astype("Float64")
    result["change"] = (share_to - share_from).astype("Float64")
    result["p_value"] = pd.array(_fisher_p_values(result), dtype="Float64")
    suppressed = (result["n_from"] < threshold) | (result["n_to"] < threshold)
    result["from_round"], result["to_round"] = rounds
    result = result[[*by, "theme", "from_round", "to_round", "n_from", "coded_from", "share_from",
                     "n_to", "coded_to", "share_to", "change", "p_value"]]
    for column in ("n_from", "coded_from", "n_to", "coded_to"):
        result[column] = result[column].astype("Int64")
    hidden = ["n_from", "coded_from", "share_from", "n_to", "coded_to", "share_to", "change",
              "p_value"]
    result.loc[suppressed, hidden] = pd.NA
    result["p_value_adjusted"] = pd.array(_holm_by_group(result, by), dtype="Float64")
    result["suppressed"] = suppressed.to_numpy()
    return result.reset_index(drop=True)


def _check_rounds(interviews: pd.DataFrame, rounds: tuple[str, str]) -> tuple[str, str]:
    """The two rounds as a tuple; raise unless both are given, differ and have interviews."""
    rounds = tuple(rounds)
    if len(rounds) != 2 or rounds[0] == rounds[1] or not all(isinstance(r, str) for r in rounds):
        raise ValueError(f"rounds must be two different phase ids (earlier, later), got {rounds!r}")
    present = set(interviews["round"].tolist())
    missing = [r for r in rounds if r not in present]
    if missing:
        raise InsufficientDataError(
            f"theme_change needs interviews from both rounds; none from {', '.join(missing)}"
        )
    return rounds


def _round_counts(frame: pd.DataFrame, interviews: pd.DataFrame, by: tuple[str, ...],
                  themes: list[str], rounds: tuple[str, str]) -> pd.DataFrame:
    """Every group x theme with ``n_from``, ``n_to`` (interviews of the earlier and the later
    round) and ``coded_from``, ``coded_to`` (those mentioning the theme), as int64."""
    ivs = interviews[["interview_id", *by, "round"]]
    frame = frame[["interview_id", "theme"]].drop_duplicates().merge(ivs, on="interview_id")
    groups = sort_groups(ivs[list(by)].drop_duplicates(), by, rounds=round_order(interviews))
    grid = groups.merge(pd.DataFrame({"theme": themes}), how="cross")
    names = {rounds[0]: "from", rounds[1]: "to"}
    n = (ivs.groupby([*by, "round"], sort=False).size().unstack("round")
         .reindex(columns=list(rounds)).rename(columns=names))
    n = n.fillna(0).add_prefix("n_").reset_index()
    coded = (frame.groupby([*by, "theme", "round"], sort=False)["interview_id"].nunique()
             .unstack("round").reindex(columns=list(rounds)).rename(columns=names).fillna(0)
             .add_prefix("coded_").reset_index())
    result = grid.merge(n, on=list(by), how="left").merge(coded, on=[*by, "theme"], how="left")
    for column in ("n_from", "n_to", "coded_from", "coded_to"):
        result[column] = result[column].fillna(0).astype("int64")
    return result


def _holm_by_group(result: pd.DataFrame, by: tuple[str, ...]) -> np.ndarray:
    """Holm-adjusted ``p_value`` within each group of ``by`` (missing p-values, as those of
    suppressed rows, are outside the family and stay missing)."""
    p_values = result["p_value"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    adjusted = np.full(len(result), np.nan)
    for positions in result.groupby(list(by), sort=False, dropna=False).indices.values():
        adjusted[positions] = holm_adjust(p_values[positions])
    return adjusted


def _fisher_p_values(counts: pd.DataFrame) -> list[float]:
    """Two-sided Fisher's exact p of each row's 2x2 table (round x mentioned); NaN when a
    round has no interview."""
    from scipy.stats import fisher_exact

    p_values = []
    for row in counts.itertuples(index=False):
        a, b = row.coded_from, row.n_from - row.coded_from
        c, d = row.coded_to, row.n_to - row.coded_to
        if row.n_from == 0 or row.n_to == 0:
            p_values.append(np.nan)
        else:
            p_values.append(float(fisher_exact([[a, b], [c, d]], alternative="two-sided").pvalue))
    return p_values

__all__ = ["assessment_balance", "theme_change"]
