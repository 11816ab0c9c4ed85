"""Indicators against baseline and target, and milestones, as of a cut-off date.

An *indicator tracking table* in the style of USAID's Indicator Performance Tracking Table (IPTT):
per indicator and year the baseline, the target, the actual value, the actual as a share of the
target, the progress from baseline towards the target and the progress against the expected
straight-line path from the baseline year to the target year, with a status
(``achieved``, ``on_track``, ``at_risk``, ``off_track``, ``no_data``) by the thresholds in
``programme.yaml`` (``status_thresholds``).

Milestones are classified as ``completed_on_time``, ``completed_late``, ``overdue`` or
``not_yet_due`` as of the cut-off date.

Every function takes ``as_of`` (the phase's cut-off date) and ignores observations and milestone
completions dated after it, so a midterm report rerun after final data have arrived gives the same
numbers.

The functions take plain DataFrames in the shapes of the data contract (``data/README.md``):
``programme.indicators`` [pilot, indicator_id, name_nb, name_en, unit, direction, baseline_value,
baseline_year, target_value, target_year, sub_goal], ``observations`` [pilot, indicator_id, date,
value, source] and ``milestones`` [pilot, milestone_id, sub_goal, text_nb, text_en, due_date,
completed_date].
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from evaluation.contract.vocabulary import MILESTONE_STATUSES, STATUSES
from evaluation.errors import DataContractError, DataProblem


DEFAULT_THRESHOLDS = {"on_track": 0.9, "at_risk": 0.5}
"""Default thresholds on progress against the expected path (``programme.yaml`` may override)."""

PROGRAMME_FILE = "programme.yaml"
OBSERVATIONS_FILE = "indicators/observations.csv"
MILESTONES_FILE = "milestones.csv"

INDICATOR_COLUMNS = (
    "pilot", "indicator_id", "direction", "baseline_value", "baseline_year",
    "target_value", "target_year", "sub_goal",
)
OBSERVATION_COLUMNS = ("pilot", "indicator_id", "date", "value")
MILESTONE_COLUMNS = ("pilot", "milestone_id", "sub_goal", "due_date", "completed_date")

TRACKING_COLUMNS = [
    "pilot", "indicator_id", "sub_goal", "direction", "year", "date",
    "baseline_year", "baseline_value", "target_year", "target_value", "actual",
    "share_of_target", "progress", "expected_progress", "progress_vs_expected", "status",
]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def as_timestamp(as_of: object) -> pd.Timestamp:
    """Return ``as_of`` (a date, datetime, Timestamp or ISO string) as a midnight Timestamp.

    Raises
    ------
    ValueError
        If ``as_of`` is missing or not a date.
    """
    if as_of is None or (isinstance(as_of, float) and math.isnan(as_of)):
        raise ValueError("as_of must be a date (the phase's cut-off), not None")
    try:
        stamp = pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"as_of must be a date, got {as_of!r}") from exc
    if pd.isna(stamp):
        raise ValueError(f"as_of must be a date, got {as_of!r}")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.normalize()


def check_thresholds(thresholds: Mapping[str, float] | None) -> tuple[float, float]:
    """Return ``(on_track, at_risk)`` from a thresholds mapping, defaults filled in.

    Raises
    ------
    ValueError
        If a threshold is not a finite number, or ``at_risk`` exceeds ``on_track``.
    """
    merged = dict(DEFAULT_THRESHOLDS)
    if thresholds is not None:
        unknown = set(thresholds) - set(DEFAULT_THRESHOLDS)
        if unknown:
            raise ValueError(
                f"unknown status threshold(s) {sorted(unknown)}; expected 'on_track', 'at_risk'"
            )
        merged.update(thresholds)
    try:
        on_track, at_risk = float(merged["on_track"]), float(merged["at_risk"])
    except (TypeError, ValueError) as exc:
        raise ValueError(f"status thresholds must be numbers, got {merged!r}") from exc
    if not (math.isfinite(on_track) and math.isfinite(at_risk)):
        raise ValueError(f"status thresholds must be finite, got {merged!r}")
    if at_risk > on_track:
        raise ValueError(
            f"status threshold at_risk ({at_risk}) must not exceed on_track ({on_track})"
        )
    return on_track, at_risk


def _require_columns(frame: pd.DataFrame, columns, file: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame for {file}, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataContractError(
            [DataProblem(file, None, c, "column is missing", "the data contract's columns")
             for c in missing]
        )


def _file_row(index_value: object) -> int | None:
    """Line number in the file for a frame row whose index is the data-row position."""
    if isinstance(index_value, (int, np.integer)):
        return int(index_value) + 2
    return None


def _indicator_key(pilot: object, indicator_id: object) -> str:
    return f"pilots[{pilot}].indicators[{indicator_id}]"


def validate_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """Check indicator definitions and return them with numeric baseline and target columns.

    Parameters
    ----------
    indicators : pandas.DataFrame
        ``programme.indicators``: pilot, indicator_id, direction, baseline_value, baseline_year,
        target_value, target_year, sub_goal (other columns are kept).

    Returns
    -------
    pandas.DataFrame
        A copy with ``baseline_value`` and ``target_value`` as float and the years as int.

    Raises
    ------
    DataContractError
        Naming ``programme.yaml`` and the indicator's key path for every problem: a direction
        other than ``increase``/``decrease``, a missing or non-numeric baseline or target, a
        target equal to its baseline (progress would divide by zero), a target on the wrong side
        of the baseline for the direction, or a target year not after the baseline year.
    """
    _require_columns(indicators, INDICATOR_COLUMNS, PROGRAMME_FILE)
    out = indicators.copy()
    problems: list[DataProblem] = []
    baseline = pd.to_numeric(out["baseline_value"], errors="coerce").astype(float)
    target = pd.to_numeric(out["target_value"], errors="coerce").astype(float)
    base_year = pd.to_numeric(out["baseline_year"], errors="coerce")
    target_year = pd.to_numeric(out["target_year"], errors="coerce")
    for position, row in enumerate(out.itertuples(index=False)):
        key = _indicator_key(row.pilot, row.indicator_id)
        b, t = baseline.iloc[position], target.iloc[position]
        by, ty = base_year.iloc[position], target_year.iloc[position]
        if row.direction not in ("increase", "decrease"):
            problems.append(DataProblem(
                PROGRAMME_FILE, None, f"{key}.direction",
                f"direction is {row.direction!r}", "'increase' or 'decrease'"))
        if not math.isfinite(b):
            problems.append(DataProblem(
                PROGRAMME_FILE, None, f"{key}.baseline.value",
                f"baseline value {row.baseline_value!r} is not a number", "a number"))
        if not math.isfinite(t):
            problems.append(DataProblem(
                PROGRAMME_FILE, None, f"{key}.target.value",
                f"target value {row.target_value!r} is not a number", "a number"))
        if pd.isna(by) or pd.isna(ty) or by != int(by) or ty != int(ty):
            problems.append(DataProblem(
                PROGRAMME_FILE, None, f"{key}.target.year",
                f"baseline year {row.baseline_year!r} or target year {row.target_year!r} "
                "is not a year", "integer years"))
        elif ty <= by:
            problems.append(DataProblem(
                PROGRAMME_FILE, None, f"{key}.target.year",
                f"target year {int(ty)} is not after the baseline year {int(by)}",
                "a target year after the baseline year"))
        if math.isfinite(b) and math.isfinite(t):
            if t == b:
                problems.append(DataProblem(
                    PROGRAMME_FILE, None, f"{key}.target.value",
                    f"indicator {row.indicator_id}: target {t:g} equals its baseline, so "
                    "progress towards it is undefined",
                    "a target different from the baseline"))
            elif row.direction == "increase" and t < b:
                problems.append(DataProblem(
                    PROGRAMME_FILE, None, f"{key}.target.value",
                    f"indicator {row.indicator_id}: target {t:g} is below the baseline {b:g} "
                    "but the direction is 'increase'", "a target above the baseline"))
            elif row.direction == "decrease" and t > b:
                problems.append(DataProblem(
                    PROGRAMME_FILE, None, f"{key}.target.value",
                    f"indicator {row.indicator_id}: target {t:g} is above the baseline {b:g} "
                    "but the direction is 'decrease'", "a target below the baseline"))
    duplicated = out.duplicated(["pilot", "indicator_id"], keep="first")
    for row in out.loc[duplicated].itertuples(index=False):
        problems.append(DataProblem(
            PROGRAMME_FILE, None, _indicator_key(row.pilot, row.indicator_id),
            f"indicator id {row.indicator_id!r} is defined twice", "unique indicator ids"))
    if problems:
        raise DataContractError(problems)
    out["baseline_value"] = baseline.to_numpy()
    out["target_value"] = target.to_numpy()
    out["baseline_year"] = base_year.astype(int).to_numpy()
    out["target_year"] = target_year.astype(int).to_numpy()
    return out


def _clean_observations(observations: pd.DataFrame, indicators: pd.DataFrame,
                        as_of: pd.Timestamp) -> pd.DataFrame:
    _require_columns(observations, OBSERVATION_COLUMNS, OBSERVATIONS_FILE)
    obs = observations.copy()
    problems: list[DataProblem] = []
    dates = pd.to_datetime(obs["date"], errors="coerce")
    values = pd.to_numeric(obs["value"], errors="coerce").astype(float)
    known = set(zip(indicators["pilot"], indicators["indicator_id"]))
    for position, (index_value, row) in enumerate(obs.iterrows()):
        line = _file_row(index_value)
        if pd.isna(dates.iloc[position]):
            problems.append(DataProblem(OBSERVATIONS_FILE, line, "date",
                                        f"{row['date']!r} is not a date", "an ISO 8601 date"))
        if not math.isfinite(values.iloc[position]):
            problems.append(DataProblem(OBSERVATIONS_FILE, line, "value",
                                        f"{row['value']!r} is not a number", "a number"))
        if (row["pilot"], row["indicator_id"]) not in known:
            problems.append(DataProblem(
                OBSERVATIONS_FILE, line, "indicator_id",
                f"{row['indicator_id']!r} is not an indicator of pilot {row['pilot']!r}",
                "an indicator id defined for the pilot in programme.yaml"))
    if problems:
        raise DataContractError(problems)
    obs["date"] = dates.dt.normalize()
    obs["value"] = values
    obs = obs.loc[obs["date"] <= as_of]
    duplicated = obs.duplicated(["pilot", "indicator_id", "date"], keep="first")
    if duplicated.any():
        raise DataContractError([
            DataProblem(OBSERVATIONS_FILE, _file_row(i), "date",
                        f"a second value for {row['indicator_id']} on {row['date']:%Y-%m-%d}",
                        "one observation per indicator and date")
            for i, row in obs.loc[duplicated].iterrows()
        ])
    return obs


# --------------------------------------------------------------------------------------------
# progress and status
# --------------------------------------------------------------------------------------------
def expected_progress(year: float, *, baseline_year: float, target_year: float) -> float:
    """Share of the way from baseline to target expected by ``year`` on a straight-line path.

    Parameters
    ----------
    year : float
        Year of the observation.
    baseline_year, target_year : float
        Years of the baseline and of the target (target year after baseline year).

    Returns
    -------
    float
        ``(year - baseline_year) / (target_year - baseline_year)``, clipped to ``[0, 1]``: nothing
        is expected before the baseline year, and the full target from the target year on.

    Raises
    ------
    ValueError
        If the target year is not after the baseline year.
    """
    if not target_year > baseline_year:
        raise ValueError(
            f"target_year ({target_year}) must be after baseline_year ({baseline_year})"
        )
    share = (float(year) - float(baseline_year)) / (float(target_year) - float(baseline_year))
    return min(1.0, max(0.0, share))


def progress_from_baseline(actual: float, *, baseline: float, target: float) -> float:
    """Progress from baseline towards target, ``(actual - baseline) / (target - baseline)``.

    Direction-aware by construction: for a lower-is-better indicator the target is below the
    baseline, so a fall in the actual value gives positive progress.

    Returns
    -------
    float
        0 at the baseline, 1 at the target, above 1 beyond it, negative when the actual value has
        moved away from the target; NaN when ``actual`` is missing.

    Raises
    ------
    ValueError
        If the target equals the baseline (progress is undefined).
    """
    if target == baseline:
        raise ValueError(f"target ({target}) equals baseline ({baseline}); progress is undefined")
    if actual is None or pd.isna(actual):
        return math.nan
    return (float(actual) - float(baseline)) / (float(target) - float(baseline))


def indicator_status(
    progress: float,
    expected: float,
    *,
    thresholds: Mapping[str, float] | None = None,
) -> str:
    """Status of an indicator from its progress and the progress expected on the path.

    Parameters
    ----------
    progress : float
        Progress from baseline, ``(actual - baseline) / (target - baseline)``; NaN when there
        is no observation.
    expected : float
        Expected progress on the straight-line path at the observation's year, in ``[0, 1]``
        (see :func:`expected_progress`).
    thresholds : mapping, optional
        ``{"on_track": 0.9, "at_risk": 0.5}`` by default (``programme.status_thresholds``).

    Returns
    -------
    str
        One of ``achieved``, ``on_track``, ``at_risk``, ``off_track``, ``no_data``.

    Notes
    -----
    With progress :math:`p` and expected progress :math:`e`, the ratio :math:`r = p / e` is the
    progress against the expected path. The rule, applied in this order:

    1. no observation (:math:`p` missing) → ``no_data``;
    2. :math:`p \\ge 1` (the target is met or passed, in the indicator's direction) →
       ``achieved``;
    3. :math:`e = 0` (observation in or before the baseline year: nothing was expected yet) →
       ``on_track`` when :math:`p \\ge 0`, ``at_risk`` when the value has moved away from the
       target (:math:`p < 0`);
    4. :math:`r \\ge` ``on_track`` threshold → ``on_track``; :math:`r \\ge` ``at_risk``
       threshold → ``at_risk``; otherwise ``off_track``.

    References
    ----------
    USAID (2010). *Performance Monitoring & Evaluation TIPS No. 8: Baselines and Targets*, 2nd
    ed. Washington, DC: U.S. Agency for International Development.
    """
    on_track, at_risk = check_thresholds(thresholds)
    if progress is None or pd.isna(progress):
        return "no_data"
    progress = float(progress)
    expected = float(expected)
    if not 0.0 <= expected <= 1.0:
        raise ValueError(f"expected progress must lie in [0, 1], got {expected}")
    if progress >= 1.0:
        return "achieved"
    if expected == 0.0:
        return "on_track" if progress >= 0.0 else "at_risk"
    ratio = progress / expected
    if ratio >= on_track:
        return "on_track"
    if ratio >= at_risk:
        return "at_risk"
    return "off_track"


def indicator_tracking(
    observations: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    as_of: _dt.date | str,
    thresholds: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Indicator tracking table: per indicator and year, baseline, target, actual and progress.

    Parameters
    ----------
    observations : pandas.DataFrame
        ``indicators/observations.csv``: pilot, indicator_id, date, value (source is ignored).
    indicators : pandas.DataFrame
        ``programme.indicators``: pilot, indicator_id, direction, baseline_value, baseline_year,
        target_value, target_year, sub_goal.
    as_of : datetime.date or str
        Cut-off date; observations dated after it are ignored.
    thresholds : mapping, optional
        Status thresholds on progress against the expected path, default
        ``{"on_track": 0.9, "at_risk": 0.5}``.

    Returns
    -------
    pandas.DataFrame
        One row per indicator and year, sorted by pilot, indicator and year. The years are
        every year with an observation up to ``as_of`` and every year from the year after the
        baseline year to the year of ``as_of`` (a year without observation has ``actual``
        missing and status ``no_data``). Columns:

        - ``pilot``, ``indicator_id``, ``sub_goal``, ``direction`` -- from the definition;
        - ``year`` (int) -- calendar year;
        - ``date`` (datetime64) -- date of the observation used (the latest in the year on or
          before ``as_of``), NaT when there is none;
        - ``baseline_year``, ``baseline_value``, ``target_year``, ``target_value``;
        - ``actual`` (float) -- the observed value, NaN when there is none;
        - ``share_of_target`` (float) -- ``actual / target_value``, the IPTT's "percent of
          target" as a share (NaN when the target is 0);
        - ``progress`` (float) -- ``(actual - baseline) / (target - baseline)``;
        - ``expected_progress`` (float) -- the straight-line expectation for the year, in
          ``[0, 1]`` (:func:`expected_progress`);
        - ``progress_vs_expected`` (float) -- ``progress / expected_progress``, NaN when
          nothing is expected yet;
        - ``status`` (str) -- :func:`indicator_status`.

    Raises
    ------
    DataContractError
        For a bad indicator definition (``programme.yaml``, see :func:`validate_indicators`,
        including a target equal to its baseline) or a bad observation
        (``indicators/observations.csv``: row and column of a non-date, a non-number, an
        unknown indicator, or two values for one indicator and date).
    ValueError
        For a bad ``as_of`` or bad thresholds.

    Notes
    -----
    With baseline :math:`b` in year :math:`y_0`, target :math:`t` in year :math:`y_1` and actual
    :math:`a` in year :math:`y`:

    .. math::

        p = \\frac{a - b}{t - b}, \\qquad
        e = \\min\\left(1, \\max\\left(0, \\frac{y - y_0}{y_1 - y_0}\\right)\\right), \\qquad
        r = p / e.

    Because :math:`t - b` carries the indicator's direction, the same formula serves
    higher-is-better and lower-is-better indicators. Within a year the latest observation is
    used (the value at the end of the period, as registers report it).

    References
    ----------
    USAID (2010). *Performance Monitoring & Evaluation TIPS No. 8: Baselines and Targets*, 2nd
    ed. Washington, DC: U.S. Agency for International Development.

    USAID (2012). *Indicator Performance Tracking Table (IPTT) template*, ADS 203 additional help.
    Washington, DC: U.S. Agency for International Development.
    """
    cutoff = as_timestamp(as_of)
    check_thresholds(thresholds)
    defs = validate_indicators(indicators)
    obs = _clean_observations(observations, defs, cutoff)
    obs = obs.assign(year=obs["date"].dt.year.astype(int))
    latest = (obs.sort_values("date")
              .groupby(["pilot", "indicator_id", "year"], sort=False).tail(1)
              .set_index(["pilot", "indicator_id", "year"]))
    rows = []
    for d in defs.itertuples(index=False):
        observed = set(obs.loc[(obs["pilot"] == d.pilot) & (obs["indicator_id"] == d.indicator_id),
                               "year"])
        years = sorted(observed | set(range(d.baseline_year + 1, cutoff.year + 1)))
        for year in years:
            key = (d.pilot, d.indicator_id, year)
            if key in latest.index:
                date = latest.loc[key, "date"]
                actual = float(latest.loc[key, "value"])
            else:
                date, actual = pd.NaT, math.nan
            progress = progress_from_baseline(actual, baseline=d.baseline_value,
                                              target=d.target_value)
            expected = expected_progress(year, baseline_year=d.baseline_year,
                                         target_year=d.target_year)
            rows.append({
                "pilot": d.pilot,
                "indicator_id": d.indicator_id,
                "sub_goal": d.sub_goal,
                "direction": d.direction,
                "year": int(year),
                "date": date,
                "baseline_year": int(d.baseline_year),
                "baseline_value": float(d.baseline_value),
                "target_year": int(d.target_year),
                "target_value": float(d.target_value),
                "actual": actual,
                "share_of_target": (actual / d.target_value if d.target_value != 0
                                    else math.nan),
                "progress": progress,
                "expected_progress": expected,
                "progress_vs_expected": (progress / expected if expected > 0 else math.nan),
                "status": indicator_status(progress, expected, thresholds=thresholds),
            })
    frame = pd.DataFrame(rows, columns=TRACKING_COLUMNS)
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("year", "baseline_year", "target_year"):
        frame[column] = frame[column].astype(int)
    for column in ("baseline_value", "target_value", "actual", "share_of_target", "progress",
                   "expected_progress", "progress_vs_expected"):
        frame[column] = frame[column].astype(float)
    return frame.sort_values(["pilot", "indicator_id", "year"], ignore_index=True)


def current_indicator_status(
    observations: pd.DataFrame,
    indicators: pd.DataFrame,
    *,
    as_of: _dt.date | str,
    thresholds: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Status of every indicator at the cut-off: its latest observation on or before ``as_of``.

    Parameters
    ----------
    observations, indicators, as_of, thresholds
        As for :func:`indicator_tracking`.

    Returns
    -------
    pandas.DataFrame
        One row per indicator (all indicators in ``indicators``, sorted by pilot and indicator),
        with the columns of :func:`indicator_tracking`. The row is the tracking row of the latest
        year with an observation; an indicator without any observation up to ``as_of`` gets a
        row with ``year`` equal to the year of ``as_of``, missing actual and status ``no_data``.

    Notes
    -----
    The status is judged at the latest observation's year (registers often lag by a year), so
    the ``date`` column shows how recent the evidence is.
    """
    tracking = indicator_tracking(observations, indicators, as_of=as_of, thresholds=thresholds)
    cutoff = as_timestamp(as_of)
    observed = tracking.loc[tracking["actual"].notna()]
    latest = observed.groupby(["pilot", "indicator_id"], sort=False).tail(1)
    have = set(zip(latest["pilot"], latest["indicator_id"]))
    empty = []
    for d in validate_indicators(indicators).itertuples(index=False):
        if (d.pilot, d.indicator_id) in have:
            continue
        empty.append({
            "pilot": d.pilot, "indicator_id": d.indicator_id, "sub_goal": d.sub_goal,
            "direction": d.direction, "year": cutoff.year, "date": pd.NaT,
            "baseline_year": int(d.baseline_year), "baseline_value": float(d.baseline_value),
            "target_year": int(d.target_year), "target_value": float(d.target_value),
            "actual": math.nan, "share_of_target": math.nan, "progress": math.nan,
            "expected_progress": expected_progress(cutoff.year, baseline_year=d.baseline_year,
                                                   target_year=d.target_year),
            "progress_vs_expected": math.nan, "status": "no_data",
        })
    frame = pd.concat(
        [latest, pd.DataFrame(empty, columns=TRACKING_COLUMNS).astype(tracking.dtypes.to_dict())],
        ignore_index=True,
    )[TRACKING_COLUMNS]
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.sort_values(["pilot", "indicator_id"], ignore_index=True)


# --------------------------------------------------------------------------------------------
# milestones
# --------------------------------------------------------------------------------------------
def milestone_status(milestones: pd.DataFrame, *, as_of: _dt.date | str) -> pd.DataFrame:
    """Classify milestones as completed on time, completed late, overdue or not yet due.

    Parameters
    ----------
    milestones : pandas.DataFrame
        ``milestones.csv``: pilot, milestone_id, sub_goal, due_date, completed_date (empty or
        NaT while open); text columns are kept.
    as_of : datetime.date or str
        Cut-off date. A completion dated after it counts as open at the cut-off.

    Returns
    -------
    pandas.DataFrame
        One row per milestone, in input order, with the input columns plus:

        - ``completed_date`` (datetime64) -- NaT when open at the cut-off;
        - ``due_date`` (datetime64);
        - ``status`` (str) -- ``completed_on_time`` (completed on or before the due date),
          ``completed_late`` (completed after it), ``overdue`` (open and due before ``as_of``),
          ``not_yet_due`` (open and due on or after ``as_of``);
        - ``days_late`` (Int64) -- completion date minus due date for ``completed_late``,
          ``as_of`` minus due date for ``overdue``, 0 for ``completed_on_time``, <NA> for
          ``not_yet_due``.

    Raises
    ------
    DataContractError
        Naming ``milestones.csv``, the row and the column of a due date that is missing or not
        a date, or a completion date that is not a date.
    ValueError
        For a bad ``as_of``.
    """
    cutoff = as_timestamp(as_of)
    _require_columns(milestones, MILESTONE_COLUMNS, MILESTONES_FILE)
    out = milestones.copy()
    due = pd.to_datetime(out["due_date"], errors="coerce")
    done = pd.to_datetime(out["completed_date"].replace("", None), errors="coerce")
    problems = []
    for position, index_value in enumerate(out.index):
        line = _file_row(index_value)
        if pd.isna(due.iloc[position]):
            problems.append(DataProblem(MILESTONES_FILE, line, "due_date",
                                        f"{out['due_date'].iloc[position]!r} is not a date",
                                        "an ISO 8601 date"))
        raw_done = out["completed_date"].iloc[position]
        if pd.isna(done.iloc[position]) and not (pd.isna(raw_done) or raw_done == ""):
            problems.append(DataProblem(MILESTONES_FILE, line, "completed_date",
                                        f"{raw_done!r} is not a date",
                                        "an ISO 8601 date or empty while open"))
    if problems:
        raise DataContractError(problems)
    due = due.dt.normalize()
    done = done.dt.normalize()
    done = done.where(done <= cutoff)
    status = np.select(
        [done.notna() & (done <= due), done.notna() & (done > due), due < cutoff],
        ["completed_on_time", "completed_late", "overdue"],
        default="not_yet_due",
    )
    days = pd.Series(pd.NA, index=out.index, dtype="Int64")
    late = status == "completed_late"
    days[late] = (done[late] - due[late]).dt.days.astype("Int64")
    overdue = status == "overdue"
    days[overdue] = (cutoff - due[overdue]).dt.days.astype("Int64")
    days[status == "completed_on_time"] = 0
    out["due_date"] = due
    out["completed_date"] = done
    out["status"] = status.astype(object)
    out["days_late"] = days
    return out


__all__ = [
    "DEFAULT_THRESHOLDS",
    "MILESTONE_STATUSES",
    "STATUSES",
    "as_timestamp",
    "check_thresholds",
    "current_indicator_status",
    "expected_progress",
    "indicator_status",
    "indicator_tracking",
    "milestone_status",
    "progress_from_baseline",
    "validate_indicators",
]
