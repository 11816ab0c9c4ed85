"""Loading a validated data folder: :class:`EvaluationData`, :func:`load_data` and the phase cut.

:func:`load_data` validates a data folder (:func:`~evaluation.contract.validation.check_folder`),
refuses invalid data with a :class:`~evaluation.errors.DataContractError`, and returns typed
frames, optionally cut to a phase's cut-off date so that a phase's report gives the same numbers
after later data have arrived.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evaluation import DEMO_DATA_DIR
from evaluation.contract.programme import Programme
from evaluation.contract.validation import FILES, Checked, check_folder
from evaluation.errors import DataContractError


@dataclass(frozen=True)
class EvaluationData:
    """A validated data folder, typed, optionally cut to a phase.

    Attributes
    ----------
    data_dir : Path
        The folder read.
    phase : str or None
        The phase whose cut-off was applied, or ``None`` for all data.
    cutoff : datetime.date or None
        The cut-off date applied.
    programme : Programme
        The configuration.
    items, scales, responses, population, interviews, segments, codebook, observations,
    milestones, assessments : DataFrame
        The contract files (see ``data/README.md``). ``items`` gains ``scale_min``,
        ``scale_max`` and ``dont_know_code``; ``interviews`` gains ``round`` (the phase an
        interview belongs to by its date); item columns of ``responses`` are nullable integer
        codes (``<NA>`` not answered; the scale's ``dont_know_code`` means "vet ikke").
    narratives : dict
        ``(subject, phase, lang) ->`` :class:`~evaluation.contract.narratives.Narrative`, from
        ``narratives/<subject>-<phase>.<lang>.md`` (subject a pilot id or ``synthesis``).
    input_files : tuple of Path
        Every file read, for provenance.
    """

    data_dir: Path
    phase: str | None
    cutoff: dt.date | None
    programme: Programme
    items: pd.DataFrame = field(repr=False)
    scales: pd.DataFrame = field(repr=False)
    responses: pd.DataFrame = field(repr=False)
    population: pd.DataFrame = field(repr=False)
    interviews: pd.DataFrame = field(repr=False)
    segments: pd.DataFrame = field(repr=False)
    codebook: pd.DataFrame = field(repr=False)
    observations: pd.DataFrame = field(repr=False)
    milestones: pd.DataFrame = field(repr=False)
    assessments: pd.DataFrame = field(repr=False)
    narratives: dict = field(repr=False, default_factory=dict)
    input_files: tuple = field(repr=False, default=())

    @property
    def item_ids(self) -> list[str]:
        """Item ids in the order of ``items.csv``."""
        return list(self.items["item_id"])

    @property
    def anonymity_threshold(self) -> int:
        """The programme's anonymity threshold."""
        return self.programme.anonymity_threshold

    def for_pilot(self, frame_name: str, pilot: str) -> pd.DataFrame:
        """Rows of one contract frame that belong to ``pilot``."""
        frame = getattr(self, frame_name)
        if frame_name == "segments":
            ids = self.interviews.loc[self.interviews["pilot"] == pilot, "interview_id"]
            return frame[frame["interview_id"].isin(ids)]
        return frame[frame["pilot"] == pilot]


def load_data(data_dir: str | Path = DEMO_DATA_DIR, *, phase: str | None = None) -> EvaluationData:
    """Validate and load a data folder, optionally cut to a phase's cut-off date.

    Parameters
    ----------
    data_dir : str or Path
        The data folder (default: the bundled demo data).
    phase : str, optional
        A phase id of ``programme.yaml`` (``midterm``, ``final``). When given, only rows dated on
        or before the phase's cut-off are kept: survey responses (``response_date``), interviews
        (``date``) and their segments, indicator observations (``date``), and milestone
        completions (a completion after the cut-off is treated as still open), so that a midterm
        report gives the same numbers after later data have arrived. Population rows of waves
        after the cut-off are dropped with them, and so are assessments and narratives of later
        phases.

    Returns
    -------
    EvaluationData

    Raises
    ------
    DataContractError
        If the folder breaks the contract; it carries every problem found.

    Examples
    --------
    >>> data = load_data(phase="midterm")
    >>> sorted(data.responses["wave"].unique().tolist())
    [2021, 2022]
    """
    return load_phases(data_dir, [phase])[phase]


def load_phases(data_dir: str | Path = DEMO_DATA_DIR, phases=None) -> dict:
    """Validate and load a data folder once, cut to each of several phases.

    Parameters
    ----------
    data_dir : str or Path
        The data folder (default: the bundled demo data).
    phases : sequence, optional
        Phase ids of ``programme.yaml``, or ``None`` for the data not cut; by default every
        phase of the programme.

    Returns
    -------
    dict
        Phase id (or ``None``) to :class:`EvaluationData`: for each, what
        ``load_data(data_dir, phase=phase)`` gives, the folder read and validated only once.

    Raises
    ------
    DataContractError
        If the folder breaks the contract, or a phase is not the programme's.

    Examples
    --------
    >>> data = load_phases()
    >>> list(data) == load_data().programme.phases
    True
    >>> [sorted(d.responses["wave"].unique().tolist()) for d in data.values()]
    [[2021, 2022], [2021, 2022, 2024]]
    """
    data_dir = Path(data_dir)
    problems, checked = check_folder(data_dir)
    if problems or checked is None:
        raise DataContractError(problems)
    programme = checked.programme
    phases = list(programme.phases) if phases is None else list(phases)
    for phase in phases:
        if phase is not None and phase not in programme.cutoffs:
            raise DataContractError.single(FILES["programme"], None, "phases", f"unknown phase {phase!r}",
                                           "one of " + ", ".join(programme.cutoffs))
    typed = _typed_frames(checked)
    return {phase: _phase_data(data_dir, checked, typed, phase) for phase in phases}


def _phase_data(data_dir: Path, checked: Checked, typed: dict, phase: str | None) -> EvaluationData:
    """The data of a checked folder (``typed``: its typed frames) cut to ``phase`` (or not cut)."""
    programme = checked.programme
    frames, narratives, cutoff = typed, checked.narratives, None
    if phase is not None:
        cutoff = programme.cutoffs[phase]
        frames = cut_to_phase(frames, programme, phase)
        later = _later_phases(programme, phase)
        narratives = {k: v for k, v in narratives.items() if k[1] not in later}
    read = {data_dir / narrative.file for narrative in narratives.values()}
    input_files = tuple(data_dir / f for f in FILES.values()) + tuple(
        path for path in checked.narrative_files if path in read)
    return EvaluationData(
        data_dir=data_dir, phase=phase, cutoff=cutoff, programme=programme,
        **{name: frame.reset_index(drop=True) for name, frame in frames.items()},
        narratives=narratives, input_files=input_files,
    )


def cut_data(data: EvaluationData, phase: str) -> EvaluationData:
    """All the data of a folder (:func:`load_data` without a phase) cut to a phase's cut-off, as
    ``load_data(data_dir, phase=phase)`` gives them, without reading and validating the folder
    again.

    Parameters
    ----------
    data : EvaluationData
        Data not cut to a phase.
    phase : str
        A phase id of ``programme.yaml``.

    Returns
    -------
    EvaluationData

    Raises
    ------
    EvaluationError
        If the data are already cut to a phase, or the phase is unknown.

    Examples
    --------
    >>> data = load_data()
    >>> first = data.programme.phases[0]
    >>> cut_data(data, first).responses.equals(load_data(phase=first).responses)
    True
    """
    from dataclasses import replace

    from evaluation.errors import EvaluationError

    if data.phase is not None:
        raise EvaluationError(f"the data are already cut to phase {data.phase!r}")
    programme = data.programme
    if phase not in programme.cutoffs:
        raise EvaluationError(f"unknown phase {phase!r}; expected one of {', '.join(programme.cutoffs)}")
    frames = {name: getattr(data, name) for name in _FRAMES}
    frames = cut_to_phase(frames, programme, phase)
    later = _later_phases(programme, phase)
    narratives = {k: v for k, v in data.narratives.items() if k[1] not in later}
    dropped = {data.data_dir / narrative.file for k, narrative in data.narratives.items() if k not in narratives}
    return replace(data, phase=phase, cutoff=programme.cutoffs[phase],
                   **{name: frame.reset_index(drop=True) for name, frame in frames.items()},
                   narratives=narratives, input_files=tuple(p for p in data.input_files if p not in dropped))


_FRAMES = ("items", "scales", "responses", "population", "interviews", "segments", "codebook", "observations",
           "milestones", "assessments")
"""The contract frames of :class:`EvaluationData`."""


def _to_datetime(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy of ``frame`` with ``columns`` (``datetime.date`` or ``None``) as ``datetime64[ns]``."""
    frame = frame.copy()
    for column in columns:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    return frame


def _typed_frames(checked: Checked) -> dict[str, pd.DataFrame]:
    """The checked frames with their final dtypes and derived columns."""
    frames, scale_info = checked.frames, checked.scale_info
    items = frames["items"].copy()
    items["scale_min"] = pd.array([scale_info[s]["min"] for s in items["scale"]], dtype="Int64")
    items["scale_max"] = pd.array([scale_info[s]["max"] for s in items["scale"]], dtype="Int64")
    items["dont_know_code"] = pd.array([scale_info[s]["dont_know"] for s in items["scale"]], dtype="Int64")
    items["reverse_keyed"] = items["reverse_keyed"].astype(bool)
    items["text_en"] = items["text_en"].where(items["text_en"].notna(), items["text_nb"])
    scales = frames["scales"].copy()
    scales["code"] = scales["code"].astype(int)
    scales["dont_know"] = scales["dont_know"].astype(bool)
    responses = _to_datetime(frames["responses"], "response_date")
    responses["wave"] = responses["wave"].astype(int)
    population = frames["population"].copy()
    population[["wave", "invited"]] = population[["wave", "invited"]].astype(int)
    interviews = _to_datetime(frames["interviews"], "date")
    interviews["informants"] = interviews["informants"].astype(int)
    interviews["round"] = interview_rounds(interviews["date"], checked.programme)
    segments = frames["segments"].copy()
    segments["quote"] = segments["quote"].fillna("")
    segments["quote_approved"] = segments["quote_approved"].astype(bool)
    observations = _to_datetime(frames["observations"], "date")
    observations["value"] = observations["value"].astype(float)
    milestones = _to_datetime(frames["milestones"], "due_date", "completed_date")
    assessments = frames["assessments"].copy()
    assessments["gas_score"] = pd.array(assessments["gas_score"], dtype="Int64")
    return {"items": items, "scales": scales, "responses": responses, "population": population,
            "interviews": interviews, "segments": segments, "codebook": frames["codebook"],
            "observations": observations, "milestones": milestones, "assessments": assessments}


def interview_rounds(dates: pd.Series, programme: Programme) -> list[str]:
    """The round of each interview: the first phase whose cut-off is on or after its date (the
    last phase for a later date)."""
    cutoffs = [(phase_id, pd.Timestamp(c)) for phase_id, c in programme.cutoffs.items()]

    def round_of(date: pd.Timestamp) -> str:
        for phase_id, cutoff in cutoffs:
            if date <= cutoff:
                return phase_id
        return cutoffs[-1][0]

    return [round_of(d) for d in dates]


def _later_phases(programme: Programme, phase: str) -> list[str]:
    """The phases after ``phase``."""
    phases = programme.phases
    return phases[phases.index(phase) + 1:]


def cut_to_phase(frames: dict[str, pd.DataFrame], programme: Programme, phase: str) -> dict[str, pd.DataFrame]:
    """Keep only what is known at a phase's cut-off.

    Parameters
    ----------
    frames : dict of DataFrame
        The typed contract frames (as :class:`EvaluationData` holds them).
    programme : Programme
        Gives the phase's cut-off date and the later phases.
    phase : str
        A phase id.

    Returns
    -------
    dict of DataFrame
        Responses, interviews and observations dated on or before the cut-off; the segments of
        the interviews kept; population rows of waves up to the cut-off's year; milestones with a
        completion after the cut-off reopened; no assessments of later phases.
    """
    cutoff = programme.cutoffs[phase]
    limit = pd.Timestamp(cutoff)
    frames = dict(frames)
    responses, interviews = frames["responses"], frames["interviews"]
    frames["responses"] = responses[responses["response_date"] <= limit]
    frames["population"] = frames["population"][frames["population"]["wave"] <= cutoff.year]
    frames["interviews"] = interviews = interviews[interviews["date"] <= limit]
    frames["segments"] = frames["segments"][frames["segments"]["interview_id"].isin(interviews["interview_id"])]
    frames["observations"] = frames["observations"][frames["observations"]["date"] <= limit]
    milestones = frames["milestones"].copy()
    milestones.loc[milestones["completed_date"] > limit, "completed_date"] = pd.NaT
    frames["milestones"] = milestones
    assessments = frames["assessments"]
    frames["assessments"] = assessments[~assessments["phase"].isin(_later_phases(programme, phase))]
    return frames
