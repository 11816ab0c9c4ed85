"""The disclosure plan: which survey cells a render hides, decided once for every table.

:func:`evaluation.privacy.suppress_small_cells` protects one table at a time. A report, and the
reports of one phase side by side, show the same people in several linked tables: the response
rates by agency, the agency rows of the index comparison, the pilot totals of the method
chapter, the key figures, the synthesis. A cell hidden in one table but recoverable from
another (``pilot total - shown agencies``; ``pilot n·mean - shown agencies' n·mean``) is not
hidden. :func:`disclosure_plan` therefore decides *once* per data set (cut to a phase) which
survey cells are hidden, from the counts of the people behind them, and returns a
:class:`DisclosurePlan` that every table, chart, sentence and key figure consults (the report
context builds it once: :attr:`evaluation.report.context.ReportContext.disclosure`; the survey
functions take it as ``plan=``).

The cells are *(pilot, agency, wave)*; their size is counted in people, never in answers on the
scale: a respondent who answered only "vet ikke" (don't know) is a respondent.

1. *Pilot-waves.* A pilot whose wave has 1 to ``threshold - 1`` respondents is hidden as a
   whole (every table of every report), together with all its agency rows.
2. *Primary suppression of agencies.* An agency is hidden in a pilot-wave when any people count
   the reports show for it is 1 to ``threshold - 1``: its respondents, its respondents with a
   score on an index (one count per index), its respondents to an item (on the scale or "vet
   ikke", one count per item).
3. *Complementary suppression of agencies.* Within each pilot and wave with a hidden agency,
   further agencies are hidden, smallest first (by the smallest of their counts), until at
   least two are hidden **and** the hidden agencies together hold at least ``threshold`` people
   in every count (tested on the sum of each hidden agency's smallest count, a lower bound).
   The pilot's total, and its n·mean, minus the shown agencies then describe a group of at
   least ``threshold`` people from at least two offices. If that cannot be reached, every agency
   row of the pilot-wave is hidden (the pilot total stays).
4. *Waves stand alone.* Waves are separate cross-sections, not parts of one total: a small
   wave never hides another wave.
5. *Programme totals.* The synthesis' method chapter shows the respondents of all pilots per
   wave; that total is hidden when the hidden pilots of the wave are one, or hold fewer than
   ``threshold`` respondents together.

Counts of 0 are not suppressed (an empty cell describes no one), as in
:mod:`evaluation.privacy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evaluation.privacy import check_threshold
from evaluation.survey.indices import index_scores
from evaluation.survey.inputs import item_meta, item_values, require_columns

_KEYS = ["pilot", "wave", "agency"]


@dataclass(frozen=True, eq=False)
class DisclosurePlan:
    """Which survey cells a render hides (see :func:`disclosure_plan`).

    Attributes
    ----------
    threshold : int
        The anonymity threshold the plan was made for.
    complementary : bool
        Whether complementary suppression was applied (``False`` only in tests, as a negative
        control).
    cells : pandas.DataFrame
        One row per pilot, wave and agency: ``pilot, wave, agency, respondents, min_count``
        (the smallest people count the reports show for the agency), ``hidden``, ``reason``
        (``""``, ``"pilot"``, ``"primary"``, ``"complementary"`` or ``"all"``).
    pilot_waves : pandas.DataFrame
        One row per pilot and wave: ``pilot, wave, respondents, hidden``.
    hidden_agencies : frozenset of (pilot, wave, agency)
        The hidden agency cells.
    hidden_pilot_waves : frozenset of (pilot, wave)
        The pilot-waves hidden as a whole.
    hidden_totals : frozenset of wave
        Waves whose total over all pilots must not be shown.
    """

    threshold: int
    complementary: bool
    cells: pd.DataFrame = field(repr=False)
    pilot_waves: pd.DataFrame = field(repr=False)
    hidden_agencies: frozenset = field(repr=False)
    hidden_pilot_waves: frozenset = field(repr=False)
    hidden_totals: frozenset = field(repr=False)

    def pilot_hidden(self, pilot, wave) -> bool:
        """Whether the pilot's wave is hidden as a whole."""
        return (pilot, _wave(wave)) in self.hidden_pilot_waves

    def agency_hidden(self, pilot, wave, agency) -> bool:
        """Whether the agency's row in the pilot-wave is hidden."""
        return (pilot, _wave(wave), agency) in self.hidden_agencies or self.pilot_hidden(pilot, wave)

    def total_hidden(self, wave) -> bool:
        """Whether the respondents of all pilots together in ``wave`` must be hidden."""
        return _wave(wave) in self.hidden_totals

    def hidden_mask(self, frame: pd.DataFrame, responses: pd.DataFrame | None = None) -> np.ndarray:
        """Which rows of a grouped survey table the plan hides, as a boolean array.

        Parameters
        ----------
        frame : pandas.DataFrame
            A table with one row per group. Its ``pilot`` and ``wave`` columns name the
            pilot-wave; when a column is missing, the one value of ``responses`` is used. With
            an ``agency`` column the rows are agency rows, otherwise pilot rows.
        responses : pandas.DataFrame, optional
            The responses the table was computed from, for a pilot or wave it was not grouped by.

        Returns
        -------
        numpy.ndarray of bool

        Raises
        ------
        ValueError
            If the pilot or wave of the rows cannot be told (not a column, and the responses
            hold several).
        """
        pilots = _column_or_single(frame, responses, "pilot")
        waves = _column_or_single(frame, responses, "wave")
        if "agency" in frame.columns:
            return np.array([self.agency_hidden(p, w, a)
                             for p, w, a in zip(pilots, waves, frame["agency"])], dtype=bool)
        return np.array([self.pilot_hidden(p, w) for p, w in zip(pilots, waves)], dtype=bool)


def _wave(wave):
    try:
        return int(wave)
    except (TypeError, ValueError):
        return wave


def _column_or_single(frame: pd.DataFrame, responses: pd.DataFrame | None, column: str) -> list:
    if column in frame.columns:
        return list(frame[column])
    values = [] if responses is None or column not in responses.columns else \
        list(pd.unique(responses[column]))
    if len(values) != 1:
        raise ValueError(f"the rows have no {column!r} column and the responses do not hold "
                         f"exactly one {column}: group by {column!r} to apply a disclosure plan")
    return [values[0]] * len(frame)


def people_counts(responses: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Every people count the reports show per pilot, wave and agency.

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide responses with ``pilot, wave, agency`` and the item columns.
    items : pandas.DataFrame
        The survey items (``survey/items.csv``).

    Returns
    -------
    pandas.DataFrame
        One row per pilot, wave and agency that answered: ``pilot, wave, agency, respondents``
        (everyone who answered, "vet ikke" included), one column ``index:<id>`` per index
        (respondents with a score, :func:`evaluation.survey.index_scores`) and one column
        ``item:<id>`` per item (respondents who answered it on the scale or "vet ikke").
    """
    require_columns(responses, _KEYS, "survey/responses.csv")
    frame = responses.reset_index(drop=True)
    meta = item_meta(items)
    values = item_values(frame, meta)
    counted = frame[_KEYS].copy()
    counted["respondents"] = 1
    for item_id, (scale_values, dont_know) in values.items():
        counted[f"item:{item_id}"] = (~np.isnan(scale_values) | dont_know).astype(int)
    scores = index_scores(frame[[*_KEYS, *meta["item_id"]]], items)
    for index, part in scores.groupby("index", sort=False):
        counted[f"index:{index}"] = part["score"].notna().to_numpy().astype(int)
    columns = ["respondents", *[c for c in counted.columns if c.startswith("index:")],
               *[c for c in counted.columns if c.startswith("item:")]]
    return counted.groupby(_KEYS, sort=True)[columns].sum().reset_index()


def disclosure_plan(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    population: pd.DataFrame | None = None,
    *,
    threshold: int,
    complementary: bool = True,
) -> DisclosurePlan:
    """Decide once which survey cells (pilot, agency, wave) every table of a render hides.

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide responses (``survey/responses.csv``), cut to the report's phase, all pilots.
    items : pandas.DataFrame
        The survey items.
    population : pandas.DataFrame, optional
        ``survey/population.csv``; its agencies without respondents become cells with 0
        respondents (shown, unless every agency row of their pilot-wave is hidden).
    threshold : int
        The anonymity threshold (``programme.anonymity_threshold``), required.
    complementary : bool
        Apply complementary suppression (rules 3 and 5 of the module). **Only tests turn it
        off**, as a negative control that shows a disclosure checker finds the leak.

    Returns
    -------
    DisclosurePlan

    Notes
    -----
    The rules are listed in the module docstring. They follow the usual two-step scheme of
    cell suppression: primary suppression of cells below a threshold, then secondary
    (complementary) suppression of further cells so that no primary cell can be derived from
    the published margins (Hundepool et al. 2012, ch. 4). For linked tables (several tables
    sharing cells and margins) the general solution is a joint suppression over all of them,
    such as the Gaussian elimination of Langsrud (2024), implemented in Statistics Norway's R
    package ``GaussSuppression``. This plan makes one simplification that keeps every linked
    table consistent without solving the joint problem: the unit of suppression is a whole
    agency row of a pilot-wave, hidden in *every* table at once; its size is the smallest of
    the people counts any table shows for it; and the only margin is the pilot-wave total
    (and, in the synthesis, the total over pilots). With at least two hidden rows whose
    smallest counts sum to at least the threshold, any difference a reader can form (a count,
    or ``n·mean``, which is additive) describes at least ``threshold`` people from at least two
    offices. Waves are independent cross-sections and are never linked to each other.

    References
    ----------
    Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte Nordholt, E.,
    Spicer, K. and de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley, chapter 4
    (magnitude tables: primary and secondary suppression).

    Langsrud, Ø. (2024). Secondary cell suppression by Gaussian elimination: an algorithm
    suitable for handling issues with zeros and singletons. *Journal of Official Statistics*
    (2024). Implemented in Statistics Norway's R package ``GaussSuppression``.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> data = load_data(phase="midterm")
    >>> plan = disclosure_plan(data.responses, data.items, data.population,
    ...                        threshold=data.programme.anonymity_threshold)
    >>> plan.agency_hidden("stad", 2022, "statens_vegvesen")
    True
    """
    threshold = check_threshold(threshold)
    counts = people_counts(responses, items)
    kinds = [c for c in counts.columns if c not in _KEYS]
    matrix = counts[kinds].to_numpy(dtype=np.int64)
    counts["min_count"] = matrix.min(axis=1) if len(counts) else 0
    counts["primary"] = ((matrix >= 1) & (matrix < threshold)).any(axis=1)
    cells = counts[[*_KEYS, "respondents", "min_count", "primary"]]
    if population is not None and len(population):
        cells = _with_population(cells, population)
    cells = cells.sort_values(_KEYS, kind="stable").reset_index(drop=True)
    cells["wave"] = cells["wave"].map(_wave)
    pilot_waves = cells.groupby(["pilot", "wave"], sort=True)["respondents"].sum().reset_index()
    pilot_waves["hidden"] = (pilot_waves["respondents"] >= 1) & (pilot_waves["respondents"] < threshold)
    hidden_pw = {(p, w) for p, w, h in pilot_waves[["pilot", "wave", "hidden"]].itertuples(index=False) if h}
    reasons = pd.Series("", index=cells.index, dtype=object)
    for (pilot, wave), part in cells.groupby(["pilot", "wave"], sort=True):
        if (pilot, wave) in hidden_pw:
            reasons[part.index] = "pilot"
        else:
            reasons[part.index] = _agency_reasons(part, threshold, complementary)
    cells = cells.drop(columns="primary").assign(hidden=reasons != "", reason=reasons)
    hidden = frozenset((p, w, a) for p, w, a, h in
                       cells[[*_KEYS, "hidden"]].itertuples(index=False) if h)
    return DisclosurePlan(
        threshold=threshold, complementary=complementary, cells=cells, pilot_waves=pilot_waves,
        hidden_agencies=hidden, hidden_pilot_waves=frozenset(hidden_pw),
        hidden_totals=_hidden_totals(pilot_waves, threshold) if complementary else frozenset(),
    )


def _with_population(cells: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Add the population's agencies without respondents as cells of 0."""
    keys = population[_KEYS].drop_duplicates().copy()
    keys["wave"] = keys["wave"].map(_wave)
    present = cells.assign(wave=cells["wave"].map(_wave))
    merged = keys.merge(present, on=_KEYS, how="outer")
    merged["respondents"] = merged["respondents"].fillna(0).astype(int)
    merged["min_count"] = merged["min_count"].fillna(0).astype(int)
    merged["primary"] = merged["primary"].astype("boolean").fillna(False).astype(bool)
    return merged


def _agency_reasons(part: pd.DataFrame, threshold: int, complementary: bool) -> list[str]:
    """Why each agency row of one shown pilot-wave is hidden (``""`` when shown)."""
    reasons = {i: "primary" if flag else "" for i, flag in part["primary"].items()}
    if not complementary or not any(reasons.values()):
        return [reasons[i] for i in part.index]
    # smallest first; agencies whose smallest count is 0 add nothing to the hidden sum: last
    candidates = sorted(
        (i for i in part.index if not reasons[i] and part.at[i, "respondents"] > 0),
        key=lambda i: (part.at[i, "min_count"] == 0, part.at[i, "min_count"],
                       part.at[i, "respondents"], str(part.at[i, "agency"])))
    while True:
        hidden = [i for i in part.index if reasons[i]]
        if len(hidden) >= 2 and part.loc[hidden, "min_count"].sum() >= threshold:
            break
        if not candidates:
            reasons = {i: reasons[i] or "all" for i in part.index}
            break
        reasons[candidates.pop(0)] = "complementary"
    return [reasons[i] for i in part.index]


def _hidden_totals(pilot_waves: pd.DataFrame, threshold: int) -> frozenset:
    """Waves whose all-pilot total would reveal a hidden pilot-wave by subtraction."""
    waves = set()
    for wave, part in pilot_waves.groupby("wave", sort=True):
        hidden = part[part["hidden"]]
        if len(hidden) and (len(hidden) < 2 or hidden["respondents"].sum() < threshold):
            waves.add(wave)
    return frozenset(waves)


__all__ = ["DisclosurePlan", "disclosure_plan", "people_counts"]
