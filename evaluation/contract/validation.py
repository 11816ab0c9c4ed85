"""The rules of the contract's CSV files, as tables, and :func:`validate`.

Each CSV file is described by a :class:`CsvFile`: its columns (kind, allowed values, references
to ``programme.yaml`` or to files read before it), the columns that identify a row, and the
named rules that compare it with other files (an agency must take part in the respondent's
pilot, a code must lie on the item's scale …). :func:`check_files` reads the files in the order
of :data:`CSV_FILES` and applies both; every problem is logged at ``FILE:ROW:COLUMN``.

Why not pandera: the checks here are mostly references *between* files, and the messages must
carry the line number an analyst sees in a text editor. The declarative tables below give both in
a few lines; a schema library would need the same code as custom checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable

import numpy as np
import pandas as pd

from evaluation import DEMO_DATA_DIR  # noqa: F401  (the example below)
from evaluation.contract.narratives import read_narratives
from evaluation.contract.columns import Column, check_columns, check_duplicates, read_csv, read_file_bytes
from evaluation.contract.problems import ProblemLog
from evaluation.contract.programme import Programme, parse_programme
from evaluation.contract.vocabulary import ASSESSMENTS, ITEM_ID_PATTERN, STAKEHOLDER_GROUPS, STATUSES
from evaluation.errors import DataContractError, DataProblem

FILES = {
    "programme": "programme.yaml",
    "items": "survey/items.csv",
    "scales": "survey/scales.csv",
    "responses": "survey/responses.csv",
    "population": "survey/population.csv",
    "interviews": "interviews/interviews.csv",
    "segments": "interviews/segments.csv",
    "codebook": "interviews/codebook.csv",
    "observations": "indicators/observations.csv",
    "milestones": "milestones.csv",
    "assessments": "assessments.csv",
}
"""Contract files, relative to the data folder. Narratives (``narratives/*.md``) are optional."""

RESPONSE_BASE_COLUMNS = ("respondent_id", "wave", "response_date", "pilot", "agency")
"""The columns of ``responses.csv`` before the one column per item."""


@dataclass
class Checked:
    """The state of one validation run, shared by the file rules.

    Attributes
    ----------
    data_dir : Path
        The folder read.
    programme : Programme
        The parsed ``programme.yaml``.
    problems : list of DataProblem
        Every problem found so far.
    frames : dict
        File name (a key of :data:`FILES`) to its checked, typed frame; ``None`` for a file that
        could not be read.
    scale_info : dict
        Scale id to ``{"min", "max", "dont_know", "codes"}``, from ``scales.csv``.
    item_ids : list of str
        The item ids of ``items.csv``.
    narratives : dict
        ``(subject, phase, lang)`` to the :class:`~evaluation.contract.narratives.Narrative` of
        ``narratives/<subject>-<phase>.<lang>.md``.
    narrative_files : list of Path
        The narrative files read.
    """

    data_dir: Path
    programme: Programme
    problems: list[DataProblem]
    frames: dict[str, pd.DataFrame | None] = field(default_factory=dict)
    scale_info: dict[str, dict] = field(default_factory=dict)
    item_ids: list[str] = field(default_factory=list)
    narratives: dict = field(default_factory=dict)
    narrative_files: list[Path] = field(default_factory=list)

    def log(self, name: str) -> ProblemLog:
        """A problem log for a contract file."""
        return ProblemLog(FILES[name], self.problems)

    def references(self) -> dict[str, tuple | None]:
        """The values each named reference allows, from the programme and the files read so far.

        A reference to a file that could not be read is ``None`` (not checked).
        """
        programme, frames = self.programme, self.frames
        interviews, codebook = frames.get("interviews"), frames.get("codebook")
        return {
            "pilots": tuple(programme.pilot_ids),
            "waves": tuple(programme.waves["wave"].astype(str)),
            "phases": tuple(programme.cutoffs),
            "survey_indices": tuple(programme.survey_indices["index"]),
            "interview_themes": tuple(programme.interview_themes["theme"]),
            "indicators": tuple(programme.indicators["indicator_id"]),
            "sub_goals": tuple(programme.sub_goals["sub_goal"]),
            "scales": tuple(self.scale_info) or None,
            "interview_ids": _column_values(interviews, "interview_id"),
            "codes": _column_values(codebook, "code"),
        }


def _column_values(frame: pd.DataFrame | None, column: str) -> tuple | None:
    """The values of a column of a file read before, or ``None`` if the file or column is missing."""
    if frame is None or column not in frame.columns:
        return None
    return tuple(frame[column])


FileRule = Callable[[Checked, pd.DataFrame], None]
"""A rule that compares a file with others: ``rule(checked, frame)``."""


@dataclass(frozen=True)
class CsvFile:
    """One CSV file of the contract.

    Attributes
    ----------
    name : str
        Its key in :data:`FILES`.
    columns : tuple of Column
        Its columns.
    keys : tuple of str
        The columns that identify a row (each combination once).
    what : str
        What a row is, in the message about a duplicate (``duplicate interview …``).
    rules : tuple of FileRule
        Rules across files, run in order after the columns are checked.
    extra_columns : bool
        Columns beyond ``columns`` are allowed (the item columns of ``responses.csv``).
    """

    name: str
    columns: tuple[Column, ...]
    keys: tuple[str, ...] = ()
    what: str = "row"
    rules: tuple[FileRule, ...] = ()
    extra_columns: bool = False


# --------------------------------------------------------------------------------------------
# Rules across files
# --------------------------------------------------------------------------------------------


def check_scale_levels(checked: Checked, scales: pd.DataFrame) -> None:
    """A scale's levels are at least two consecutive codes; at most one code is "vet ikke".

    Fills :attr:`Checked.scale_info`.
    """
    if not {"scale", "code", "dont_know"} <= set(scales.columns):
        return
    log = checked.log("scales")
    for scale, group in scales.dropna(subset=["code", "dont_know"]).groupby("scale", sort=False):
        levels = sorted(int(c) for c, dk in zip(group["code"], group["dont_know"]) if not dk)
        dont_know = [int(c) for c, dk in zip(group["code"], group["dont_know"]) if dk]
        first_row = int(group.index[0]) + 2
        if len(levels) < 2 or levels != list(range(levels[0], levels[0] + len(levels))):
            log.add(first_row, "code", f"the levels of scale {scale!r} are {levels}",
                    "at least two consecutive integer codes")
        if len(dont_know) > 1:
            log.add(first_row, "dont_know", f"scale {scale!r} has {len(dont_know)} don't-know codes",
                    "at most one code with dont_know = yes")
        if levels:
            checked.scale_info[str(scale)] = {"min": levels[0], "max": levels[-1],
                                              "dont_know": dont_know[0] if dont_know else None,
                                              "codes": set(levels) | set(dont_know)}


def check_item_ids(checked: Checked, items: pd.DataFrame) -> None:
    """Item ids can be column names. Fills :attr:`Checked.item_ids`."""
    if "item_id" not in items.columns:
        return
    log = checked.log("items")
    for position, item in enumerate(items["item_id"]):
        if item and not ITEM_ID_PATTERN.match(str(item)):
            log.add(position + 2, "item_id", f"{item!r} is not a valid item id",
                    "letters, digits and _, starting with a letter (such as Q01)")
    checked.item_ids = [str(i) for i in items["item_id"] if i]


def check_item_columns(checked: Checked, responses: pd.DataFrame) -> None:
    """The item columns of ``responses.csv`` are exactly the items of ``items.csv``."""
    log = checked.log("responses")
    for name in responses.columns:
        if name not in RESPONSE_BASE_COLUMNS and name not in checked.item_ids:
            log.add(1, name, "column is not an item of survey/items.csv",
                    "the columns " + ", ".join(RESPONSE_BASE_COLUMNS) + " and one per item")
    for item in checked.item_ids:
        if item not in responses.columns:
            log.add(1, item, "item column is missing", f"a column for item {item} (may be empty)")


def check_agency_of_pilot(checked: Checked, frame: pd.DataFrame, name: str) -> None:
    """Every agency of a row takes part in the row's pilot."""
    if not {"pilot", "agency"} <= set(frame.columns):
        return
    programme = checked.programme
    pilots = set(programme.pilot_ids)
    pilot_agencies = set(zip(programme.agencies["pilot"], programme.agencies["agency"]))
    log = checked.log(name)
    for position, (pilot, agency) in enumerate(zip(frame["pilot"], frame["agency"])):
        if pilot in pilots and agency and (pilot, agency) not in pilot_agencies:
            known = sorted(a for p, a in pilot_agencies if p == pilot)
            log.add(position + 2, "agency", f"agency {agency!r} does not take part in pilot {pilot!r}",
                    "one of " + ", ".join(known))


def check_response_codes(checked: Checked, responses: pd.DataFrame) -> None:
    """Every answer is a whole-number code of its item's scale, or empty.

    Converts the item columns of ``responses`` to nullable integer codes in place.
    """
    items = checked.frames.get("items")
    if items is None or not {"item_id", "scale"} <= set(items.columns):
        return
    log = checked.log("responses")
    scale_of = dict(zip(items["item_id"], items["scale"]))
    for item in checked.item_ids:
        if item in responses.columns:
            info = checked.scale_info.get(str(scale_of.get(item)))
            responses[item] = _item_codes(responses[item], item, info, log)


def _item_codes(cells: pd.Series, item: str, info: dict | None, log: ProblemLog) -> pd.Series:
    """One item column as nullable integer codes; logs cells that are not codes of the scale.

    A column holds a handful of distinct cells (the scale's codes and the empty cell): each is
    converted once, and the results are spread to the rows.
    """
    rows, distinct = cells.array.factorize(use_na_sentinel=False)
    values = pd.Series(distinct).astype(str)
    numbers = _finite_numbers(values.where(values.ne("")))
    retry = numbers.isna() & values.ne("")
    if retry.any():  # rare: spaces, a decimal comma or not a number; normalise only those cells
        values = values.where(~retry, values[retry].str.strip())
        numbers[retry] = _finite_numbers(values[retry].str.replace(",", ".", regex=False).where(values[retry].ne("")))
    empty = values.eq("").to_numpy()[rows]
    whole = (numbers.notna() & (numbers == np.floor(numbers))).to_numpy(dtype=bool)
    for position in np.flatnonzero(~empty & ~whole[rows]):
        log.add(int(position) + 2, item, f"{values.iloc[rows[position]]!r} is not a response code",
                "a whole-number code of the item's scale, or an empty cell")
    codes = pd.array(numbers.where(whole), dtype="Float64").astype("Int64").take(rows)
    if info:
        outside = whole & ~numbers.isin(info["codes"]).to_numpy(dtype=bool)
        for position in np.flatnonzero(outside[rows]):
            log.add(int(position) + 2, item, f"code {int(numbers.iloc[rows[position]])} is outside the scale",
                    f"one of {', '.join(str(c) for c in sorted(info['codes']))} or empty")
    return codes


def _finite_numbers(texts: pd.Series) -> pd.Series:
    """The numbers the cells hold; NaN for a cell that is not a finite number (pandas reads
    ``inf``, ``-Infinity`` and ``1e999`` as infinite numbers, and ``nan`` as NaN)."""
    numbers = pd.to_numeric(texts, errors="coerce")
    return numbers.where(np.isfinite(numbers))


def check_response_dates(checked: Checked, responses: pd.DataFrame) -> None:
    """A response date falls in the year of its wave."""
    if not {"response_date", "wave"} <= set(responses.columns):
        return
    log = checked.log("responses")
    known = responses["wave"].notna() & responses["response_date"].notna()
    rows, dates = responses["response_date"].array.factorize(use_na_sentinel=False)  # a few hundred days
    year_of = np.array([d.year if isinstance(d, dt.date) else None for d in dates], dtype=object)
    years = pd.Series(year_of[rows], index=responses.index, dtype=object)
    for position in np.flatnonzero((known & (years != responses["wave"])).to_numpy(dtype=bool)):
        wave, date = responses["wave"].iloc[position], responses["response_date"].iloc[position]
        log.add(int(position) + 2, "response_date", f"{date} is not in wave {wave}", f"a date in {wave}")


def check_waves_within_phases(checked: Checked, responses: pd.DataFrame) -> None:
    """Every response of a wave lies on one side of each phase's cut-off.

    A wave that straddles a cut-off would be shown by the earlier phase's report with part of
    its respondents and by the later one with all of them; the two means and counts together
    give the scores of the late respondents ((n+1)·m₂ − n·m₁ is one person's score). The
    problem is logged once per wave and cut-off, at the first row on the other side of the
    cut-off from the wave's first response.
    """
    if not {"response_date", "wave"} <= set(responses.columns):
        return
    log = checked.log("responses")
    rows, days = responses["response_date"].array.factorize(use_na_sentinel=False)  # a few hundred days
    is_day = np.array([isinstance(day, dt.date) for day in days], dtype=bool)
    dated = np.flatnonzero(responses["wave"].notna().to_numpy() & is_day[rows])  # the rows' positions
    waves = pd.Series(responses["wave"].to_numpy()[dated], index=dated)
    for phase, cutoff in checked.programme.cutoffs.items():
        after = np.array([is_a_day and day > cutoff for day, is_a_day in zip(days, is_day)], dtype=bool)
        after = pd.Series(after[rows[dated]], index=dated)
        crossing = after != after.groupby(waves, sort=False).transform("first")  # the side of the wave's first
        for position, wave in waves[crossing].groupby(waves[crossing], sort=False).head(1).items():  # once a wave
            log.add(int(position) + 2, "response_date",
                    f"wave {wave} has responses on both sides of the {phase} cut-off {cutoff}",
                    "every response of a wave on one side of each cut-off (move the cut-off or the wave)")


def check_invited(checked: Checked, population: pd.DataFrame) -> None:
    """At least one employee was invited, and at least as many as responded."""
    if not _counted(checked.frames.get("responses"), population):
        return
    responses = checked.frames["responses"]
    log = checked.log("population")
    counts = responses.groupby(["pilot", "agency", "wave"]).size()
    for position, row in population.iterrows():
        key = (row["pilot"], row["agency"], row["wave"])
        if isinstance(row["invited"], int) and row["invited"] < 1:
            log.add(int(position) + 2, "invited", f"{row['invited']} invited", "a positive number")
        elif isinstance(row["invited"], int) and counts.get(key, 0) > row["invited"]:
            log.add(int(position) + 2, "invited", f"{counts.get(key)} responses but only {row['invited']} invited",
                    "invited at least as many as responded")


def _counted(responses: pd.DataFrame | None, population: pd.DataFrame) -> bool:
    """Whether responses can be counted against the population (both files have their keys)."""
    keys = {"pilot", "agency", "wave"}
    return (responses is not None and keys <= set(responses.columns)
            and keys | {"invited"} <= set(population.columns))


def check_surveyed(checked: Checked, population: pd.DataFrame) -> None:
    """Every response has a population row, and every surveyed wave has responses."""
    if not _counted(checked.frames.get("responses"), population):
        return
    responses = checked.frames["responses"]
    programme = checked.programme
    pilot_agencies = set(zip(programme.agencies["pilot"], programme.agencies["agency"]))
    surveyed = set(zip(population["pilot"], population["agency"], population["wave"]))
    # each distinct (pilot, agency, wave) of the responses is looked up once
    rows = responses.groupby(["pilot", "agency", "wave"], sort=False, dropna=False).ngroup().to_numpy()
    distinct = responses[["pilot", "agency", "wave"]].iloc[np.unique(rows, return_index=True)[1]]
    keys = pd.MultiIndex.from_frame(distinct.astype(str))
    surveyed_keys = pd.MultiIndex.from_tuples([tuple(map(str, k)) for k in surveyed] or [("", "", "")])
    pairs = pd.MultiIndex.from_frame(distinct[["pilot", "agency"]].astype(str))
    known_pairs = pd.MultiIndex.from_tuples([tuple(map(str, k)) for k in pilot_agencies] or [("", "")])
    complete = distinct.notna().all(axis=1).to_numpy(dtype=bool)
    orphan = (complete & ~keys.isin(surveyed_keys) & pairs.isin(known_pairs))[rows]
    log = checked.log("responses")
    for position in np.flatnonzero(orphan):
        row = responses.iloc[position]
        log.add(int(position) + 2, "agency",
                f"no population row for {row['pilot']}/{row['agency']} in wave {row['wave']}",
                "a matching row in survey/population.csv")
    log = checked.log("population")
    for wave in sorted(set(population["wave"]) - set(responses["wave"]) - {None}):
        log.add(int(population.index[population["wave"] == wave][0]) + 2, "wave",
                f"wave {wave} has invited employees but no respondents",
                "responses for the wave in survey/responses.csv, or no population rows for it")


def check_interviews(checked: Checked, interviews: pd.DataFrame) -> None:
    """An interview has at least one informant and lies within the evaluation period."""
    if not {"informants", "date"} <= set(interviews.columns):
        return
    log = checked.log("interviews")
    cutoffs = checked.programme.cutoffs
    last_cutoff = max(cutoffs.values()) if cutoffs else None
    for position, row in interviews.iterrows():
        if isinstance(row["informants"], int) and row["informants"] < 1:
            log.add(int(position) + 2, "informants", f"{row['informants']} informants", "at least 1")
        if isinstance(row["date"], dt.date) and last_cutoff and row["date"] > last_cutoff:
            log.add(int(position) + 2, "date", f"{row['date']} is after the last cut-off {last_cutoff}",
                    "a date within the evaluation period")


def check_indicator_of_pilot(checked: Checked, observations: pd.DataFrame) -> None:
    """An observed indicator belongs to the row's pilot."""
    if not {"pilot", "indicator_id"} <= set(observations.columns):
        return
    indicators = checked.programme.indicators
    indicator_pilot = dict(zip(indicators["indicator_id"], indicators["pilot"]))
    pilots = set(checked.programme.pilot_ids)
    log = checked.log("observations")
    for position, (pilot, indicator) in enumerate(zip(observations["pilot"], observations["indicator_id"])):
        if indicator in indicator_pilot and pilot in pilots and indicator_pilot[indicator] != pilot:
            log.add(position + 2, "indicator_id", f"indicator {indicator!r} belongs to {indicator_pilot[indicator]!r}",
                    f"an indicator of pilot {pilot!r}")


def check_sub_goal_of_pilot(checked: Checked, frame: pd.DataFrame, name: str) -> None:
    """A row's sub-goal belongs to the row's pilot."""
    if not {"pilot", "sub_goal"} <= set(frame.columns):
        return
    sub_goals = checked.programme.sub_goals
    sub_goal_pilot = dict(zip(sub_goals["sub_goal"], sub_goals["pilot"]))
    pilots = set(checked.programme.pilot_ids)
    log = checked.log(name)
    for position, (pilot, goal) in enumerate(zip(frame["pilot"], frame["sub_goal"])):
        if goal in sub_goal_pilot and pilot in pilots and sub_goal_pilot[goal] != pilot:
            log.add(position + 2, "sub_goal", f"sub-goal {goal!r} belongs to pilot {sub_goal_pilot[goal]!r}",
                    f"a sub-goal of pilot {pilot!r}")


def check_observation_in_period(checked: Checked, observations: pd.DataFrame) -> None:
    """An observation is dated within its indicator's period (``valid_from``/``valid_to`` of
    ``programme.yaml``, both inclusive, either open)."""
    if not {"indicator_id", "date"} <= set(observations.columns):
        return
    periods = checked.programme.indicators.set_index("indicator_id")[["valid_from", "valid_to"]]
    log = checked.log("observations")
    for position, (indicator, date) in enumerate(zip(observations["indicator_id"], observations["date"])):
        if indicator not in periods.index or not isinstance(date, dt.date):
            continue
        start, end = periods.loc[indicator]
        day = pd.Timestamp(date)
        if (pd.notna(start) and day < start) or (pd.notna(end) and day > end):
            period = f"{'' if pd.isna(start) else start.date()}–{'' if pd.isna(end) else end.date()}"
            log.add(position + 2, "date", f"{date} is outside the period of indicator {indicator!r} ({period})",
                    "a date within the indicator's valid_from and valid_to")


def check_assessment_in_force(checked: Checked, assessments: pd.DataFrame) -> None:
    """An assessment's sub-goal is in force at its phase's cut-off."""
    if not {"phase", "sub_goal"} <= set(assessments.columns):
        return
    programme = checked.programme
    periods = programme.sub_goals.set_index("sub_goal")[["valid_from", "valid_to"]]
    log = checked.log("assessments")
    for position, (phase, goal) in enumerate(zip(assessments["phase"], assessments["sub_goal"])):
        if goal not in periods.index or phase not in programme.cutoffs:
            continue
        start, end = periods.loc[goal]
        day = pd.Timestamp(programme.cutoffs[phase])
        if (pd.notna(start) and day < start) or (pd.notna(end) and day > end):
            log.add(position + 2, "sub_goal",
                    f"sub-goal {goal!r} is not in force at the {phase} cut-off ({day.date()})",
                    "a sub-goal in force at the phase's cut-off (valid_from/valid_to in programme.yaml)")


def check_milestone_in_force(checked: Checked, milestones: pd.DataFrame) -> None:
    """A milestone does not fall due before its sub-goal applies. (One that falls due after its
    sub-goal was replaced follows it to the successors, :mod:`evaluation.goals.succession`.)"""
    if not {"sub_goal", "due_date"} <= set(milestones.columns):
        return
    starts = checked.programme.sub_goals.set_index("sub_goal")["valid_from"]
    log = checked.log("milestones")
    for position, (goal, due) in enumerate(zip(milestones["sub_goal"], milestones["due_date"])):
        if goal not in starts.index or pd.isna(due) or pd.isna(starts[goal]):
            continue
        if pd.Timestamp(due) < starts[goal]:
            log.add(position + 2, "due_date",
                    f"{pd.Timestamp(due).date()} is before sub-goal {goal!r} applies ({starts[goal].date()})",
                    "a due date on or after the sub-goal's valid_from, or a sub-goal in force then")


def _of(rule: Callable[[Checked, pd.DataFrame, str], None], name: str) -> FileRule:
    """A rule that takes the file's name, bound to one file."""
    return lambda checked, frame: rule(checked, frame, name)


# --------------------------------------------------------------------------------------------
# The files, in the order they are read (a file may refer to the files before it)
# --------------------------------------------------------------------------------------------

_PILOT = Column("pilot", "id", allowed="pilots")
_WAVE = Column("wave", "int", allowed="waves", allowed_text="a wave of programme.yaml")
_SUB_GOAL = Column("sub_goal", "id", allowed="sub_goals", allowed_text="a sub-goal of programme.yaml")

CSV_FILES = (
    CsvFile("scales", (Column("scale", "id"), Column("code", "int"), Column("label_nb"),
                       Column("label_en", optional=True), Column("dont_know", "bool")),
            keys=("scale", "code"), what="scale code", rules=(check_scale_levels,)),
    CsvFile("items", (Column("item_id", "text"),
                      Column("index", "id", allowed="survey_indices",
                             allowed_text="a survey_indices id of programme.yaml"),
                      Column("scale", "id", allowed="scales", allowed_text="a scale of survey/scales.csv"),
                      Column("reverse_keyed", "bool"), Column("text_nb"), Column("text_en", optional=True)),
            keys=("item_id",), what="item", rules=(check_item_ids,)),
    CsvFile("responses", (Column("respondent_id", "opaque_id"), _WAVE, Column("response_date", "date"),
                          _PILOT, Column("agency", "id")),
            keys=("wave", "respondent_id"), what="respondent in a wave", extra_columns=True,
            rules=(check_item_columns, _of(check_agency_of_pilot, "responses"), check_response_codes,
                   check_response_dates, check_waves_within_phases)),
    CsvFile("population", (_PILOT, Column("agency", "id"), _WAVE, Column("invited", "int")),
            keys=("pilot", "agency", "wave"), what="population row",
            rules=(_of(check_agency_of_pilot, "population"), check_invited, check_surveyed)),
    CsvFile("interviews", (Column("interview_id", "opaque_id"), _PILOT, Column("date", "date"),
                           Column("stakeholder_group", "enum", allowed=STAKEHOLDER_GROUPS),
                           Column("informants", "int")),
            keys=("interview_id",), what="interview", rules=(check_interviews,)),
    CsvFile("codebook", (Column("code", "id"),
                         Column("theme", "id", allowed="interview_themes",
                                allowed_text="an interview_themes id of programme.yaml"),
                         Column("label_nb"), Column("label_en", optional=True), Column("description", optional=True)),
            keys=("code",), what="code"),
    CsvFile("segments", (Column("segment_id", "opaque_id"),
                         Column("interview_id", "opaque_id", allowed="interview_ids",
                                allowed_text="an interview_id of interviews/interviews.csv"),
                         Column("code", "id", allowed="codes", allowed_text="a code of interviews/codebook.csv"),
                         Column("assessment", "enum", allowed=ASSESSMENTS), Column("quote", optional=True),
                         Column("quote_approved", "bool")),
            keys=("segment_id",), what="segment"),
    CsvFile("observations", (_PILOT, Column("indicator_id", "id", allowed="indicators",
                                            allowed_text="an indicator of programme.yaml"),
                             Column("date", "date"), Column("value", "float"), Column("source", optional=True)),
            keys=("indicator_id", "date"), what="observation",
            rules=(check_indicator_of_pilot, check_observation_in_period)),
    CsvFile("milestones", (_PILOT, Column("milestone_id", "id"), _SUB_GOAL, Column("text_nb"),
                           Column("text_en", optional=True), Column("due_date", "date"),
                           Column("completed_date", "date", optional=True)),
            keys=("milestone_id",), what="milestone",
            rules=(_of(check_sub_goal_of_pilot, "milestones"), check_milestone_in_force)),
    CsvFile("assessments", (_PILOT, Column("phase", "id", allowed="phases"), _SUB_GOAL,
                            Column("status", "enum", allowed=STATUSES),
                            Column("gas_score", "int", optional=True, allowed=("-2", "-1", "0", "1", "2"),
                                   allowed_text="an integer from -2 to 2"),
                            Column("rationale_nb"), Column("rationale_en", optional=True)),
            keys=("pilot", "phase", "sub_goal"), what="assessment",
            rules=(_of(check_sub_goal_of_pilot, "assessments"), check_assessment_in_force)),
)
"""Every CSV file of the contract with its columns, keys and rules, in reading order."""


def check_file(checked: Checked, spec: CsvFile) -> pd.DataFrame | None:
    """Read one CSV file, check its columns, keys and rules; ``None`` if it cannot be read."""
    log = checked.log(spec.name)
    raw = read_csv(checked.data_dir / FILES[spec.name], log)
    checked.frames[spec.name] = None
    if raw is None:
        return None
    frame = check_columns(raw, spec.columns, log, checked.references(), extra_columns=spec.extra_columns)
    if spec.keys:
        check_duplicates(frame, spec.keys, log, spec.what)
    checked.frames[spec.name] = frame
    for rule in spec.rules:
        rule(checked, frame)
    return frame


def check_folder(data_dir: Path) -> tuple[list[DataProblem], Checked | None]:
    """Check every file of a data folder.

    Returns
    -------
    problems : list of DataProblem
        Every problem found.
    checked : Checked or None
        The checked frames, when ``programme.yaml`` could be parsed.
    """
    problems: list[DataProblem] = []
    programme = _read_programme(data_dir, problems)
    if programme is None:
        return problems, None
    checked = Checked(data_dir, programme, problems)
    for spec in CSV_FILES:
        check_file(checked, spec)
    try:
        checked.narratives, checked.narrative_files = read_narratives(data_dir, programme)
    except DataContractError as error:
        problems.extend(error.problems)
    return problems, checked


def _read_programme(data_dir: Path, problems: list[DataProblem]) -> Programme | None:
    """Read and parse ``programme.yaml``; ``None`` (with problems) if the folder or file is unusable."""
    log = ProblemLog(FILES["programme"], problems)
    if not data_dir.is_dir():
        problems.append(DataProblem(str(data_dir), None, None,
                                    "is a file, not a folder" if data_dir.exists() else "data folder does not exist",
                                    "a folder laid out as in data/README.md"))
        return None
    raw = read_file_bytes(data_dir / FILES["programme"], log, what="the programme configuration (see data/README.md)")
    if raw is None:
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        log.add(None, None, f"not UTF-8 at byte {error.start}", "a UTF-8 text file")
        return None
    return parse_programme(text, log)


def validate(data_dir: str | Path) -> list[DataProblem]:
    """Check a data folder against the data contract.

    Parameters
    ----------
    data_dir : str or Path
        The data folder.

    Returns
    -------
    list of DataProblem
        Every problem found (empty when the folder is valid), each with file, row, column, what
        is wrong and what was expected.

    Examples
    --------
    >>> validate(DEMO_DATA_DIR)
    []
    """
    problems, _ = check_folder(Path(data_dir))
    return problems
