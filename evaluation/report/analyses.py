"""The analyses the reports of one phase share, each computed once.

A :class:`PhaseAnalyses` holds the data of one data folder cut to one phase, and computes on
first request, then keeps: the disclosure plan, each pilot's survey comparisons and goal
attainment. A report's :class:`~evaluation.report.context.ReportContext` asks it for them, so a
chapter that needs the survey chapter's comparisons (the key findings, the survey evidence of
goal attainment) gets the very same frame instead of computing it again.

A render computes them once per phase, in the warm process before it forks a report's kernel
(:func:`prepare`, called by :mod:`evaluation.render.warm`): the forked kernel inherits them, and
:func:`~evaluation.report.context.open_report` takes them (:func:`shared_analyses`) only if the
data folder's content is still, byte for byte, the one they were computed from
(:func:`data_digest`), so changed data never get stale analyses. A report opened on its own
(papermill by hand, JupyterLab, a fresh kernel) has none and computes what it needs itself; the
two give the same report.

Every result is shared: callers must not change a frame they get (make a copy first).
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

from evaluation.contract.loaded import LoadedFolder, data_digest

UNSAFE_NO_COMPLEMENTARY = "EVALUATION_UNSAFE_NO_COMPLEMENTARY"
"""The environment variable that turns complementary suppression off (see
:func:`complementary_suppression`)."""


def complementary_suppression(environ=None) -> bool:
    """Whether the disclosure plan suppresses complementary cells (it always should).

    The environment variable ``EVALUATION_UNSAFE_NO_COMPLEMENTARY=1`` turns complementary
    suppression off. It is a **test-only negative control**: it lets a disclosure checker show
    that it finds the leak that complementary suppression closes. Never set it when rendering
    reports for readers. This is the one place that reads it.

    Parameters
    ----------
    environ : mapping, optional
        The environment to read (default: this process's).
    """
    environ = os.environ if environ is None else environ
    return environ.get(UNSAFE_NO_COMPLEMENTARY, "") != "1"





class PhaseAnalyses:
    """The analyses of one phase's data, each computed on first request and kept.

    Parameters
    ----------
    data : EvaluationData
        The data cut to a phase (:func:`evaluation.contract.load_data` with ``phase``).
    complementary : bool
        Whether the disclosure plan suppresses complementary cells (see
        :func:`complementary_suppression`).

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> analyses = PhaseAnalyses(load_data(phase=load_data().programme.phases[0]))
    >>> analyses.comparison("stad", weighted=True) is analyses.comparison("stad", weighted=True)
    True
    """

    def __init__(self, data, *, complementary: bool = True):
        self.data = data
        self.complementary = complementary
        self.threshold = int(data.programme.anonymity_threshold)
        self._comparisons: dict = {}
        self._attainment: dict = {}

    @property
    def phase(self) -> str | None:
        """The phase the data are cut to."""
        return self.data.phase

    @cached_property
    def plan(self):
        """The phase's survey disclosure plan (:func:`evaluation.disclosure.disclosure_plan`),
        over every pilot, so a pilot report and the synthesis hide the same cells."""
        from evaluation.disclosure import disclosure_plan

        data = self.data
        return disclosure_plan(data.responses, data.items, data.population, threshold=self.threshold,
                               complementary=self.complementary)

    def comparison(self, pilot: str, *, weighted: bool):
        """A pilot's index changes between waves (:func:`evaluation.survey.compare_waves`).

        The pilot's responses, weighted by agency or not, with the programme's evidence rules,
        the anonymity threshold, the disclosure plan and intervals at
        :data:`evaluation.goals.attainment.SURVEY_CONFIDENCE_LEVEL`: the survey chapter's
        comparisons, and those the survey evidence of goal attainment is judged by.
        """
        key = (pilot, bool(weighted))
        if key not in self._comparisons:
            from evaluation.goals.attainment import SURVEY_CONFIDENCE_LEVEL
            from evaluation.survey import compare_waves

            data, programme = self.data, self.data.programme
            self._comparisons[key] = compare_waves(
                data.for_pilot("responses", pilot), data.items, programme.waves,
                comparisons=programme.comparisons, population=data.population, weighted=weighted,
                rules=programme.evidence_rules, threshold=self.threshold,
                confidence_level=SURVEY_CONFIDENCE_LEVEL, plan=self.plan)
        return self._comparisons[key]

    def attainment(self, pilots=None, *, phase: str | None = None):
        """Goal attainment (:func:`evaluation.goals.goal_attainment`) of some pilots in a phase.

        Parameters
        ----------
        pilots : sequence of str, optional
            Pilots (all by default).
        phase : str, optional
            The phase (default: the data's); an earlier phase is computed from these data cut
            again at its cut-off, with this phase's disclosure plan.

        Notes
        -----
        In the data's own phase, the survey evidence reuses :meth:`comparison` (weighted), which
        is the computation goal attainment makes itself for those responses.
        """
        from evaluation.goals import goal_attainment

        phase = phase or self.phase
        key = (None if pilots is None else tuple(pilots), phase)
        if key not in self._attainment:
            shared = {"comparisons": lambda pilot: self.comparison(pilot, weighted=True)} if phase == self.phase else {}
            self._attainment[key] = goal_attainment(
                self.data, phase=phase, threshold=self.threshold,
                pilots=None if pilots is None else list(pilots), plan=self.plan, **shared)
        return self._attainment[key]


_SHARED: dict = {}
"""The analyses :func:`prepare` computed in this process: ``(data_dir, phase, complementary)``
to ``(digest, PhaseAnalyses)``."""


def _load_every_phase(data_dir: str, complementary: bool, loaded: str | Path | None = None) -> None:
    """Load a data folder once, cut to each phase of its programme, and keep each phase's data
    (nothing if it cannot be loaded, or changes while it is read). ``loaded``: a file where the
    render saved the folder it has loaded already (:meth:`LoadedFolder.save`), used if it is
    still the folder's content."""
    from evaluation.contract.loading import cut_data, load_phases

    before = data_digest(data_dir)
    folder = LoadedFolder.read(loaded) if loaded else None
    data = folder.for_folder(data_dir) if folder is not None and folder.digest == before else None
    try:
        every = (load_phases(data_dir) if data is None
                 else {phase: cut_data(data, phase) for phase in data.programme.phases})
    except Exception:  # noqa: BLE001 - the report loads the data itself and reports the error
        return
    if data_digest(data_dir) != before:
        return
    for phase, data in every.items():
        _SHARED[(data_dir, phase, complementary)] = (before, PhaseAnalyses(data, complementary=complementary))


def prepare(data_dir: str, *, phase: str, pilot: str | None, environ=None,
            loaded: str | Path | None = None) -> PhaseAnalyses | None:
    """Compute the shared analyses a report will ask for, and keep them in this process.

    The render's warm process calls this before it forks the kernel of a report (see
    :mod:`evaluation.render.warm`), so that the kernel, and every kernel forked later for the same
    phase, finds them (:func:`shared_analyses`). The data are loaded once per data folder and
    phase; the disclosure plan, then the report's pilot's survey comparisons and goal attainment
    (for the phase, and for the phase before it), or for the synthesis the attainment of every
    pilot, are computed unless already kept.

    Parameters
    ----------
    data_dir : str
        The data folder, as the report's notebook gets it (its ``data_dir`` parameter).
    phase : str
        The report's phase.
    pilot : str or None
        The report's pilot; ``None`` for the synthesis.
    environ : mapping, optional
        The report kernel's environment (default: this process's), for
        :func:`complementary_suppression`.
    loaded : str or Path, optional
        A file where the render saved the data folder it has validated and loaded already
        (:meth:`LoadedFolder.save`): used instead of reading and validating the folder again if
        the folder still holds the same bytes.

    Returns
    -------
    PhaseAnalyses or None
        ``None`` if the data could not be loaded, or changed while loading: the report then
        loads them itself, and reports the error as without this.
    """
    from evaluation.contract import DEMO_DATA_DIR

    data_dir = str(data_dir or DEMO_DATA_DIR)
    complementary = complementary_suppression(environ)
    key = (data_dir, phase, complementary)
    analyses = shared_analyses(data_dir, phase=phase, complementary=complementary)
    if analyses is None:
        _SHARED.pop(key, None)
        _load_every_phase(data_dir, complementary, loaded)
        analyses = _SHARED.get(key, (None, None))[1]
        if analyses is None:
            return None
    analyses.plan  # noqa: B018 - computed now, to be inherited
    if pilot is None:
        analyses.attainment()
    elif pilot in analyses.data.programme.pilot_ids:
        if not analyses.data.for_pilot("responses", pilot).empty:
            analyses.comparison(pilot, weighted=True)
        analyses.attainment((pilot,))
        previous = analyses.data.programme.previous_phase(phase)
        if previous is not None:
            analyses.attainment((pilot,), phase=previous)
    return analyses


def shared_analyses(data_dir: str, *, phase: str, complementary: bool = True) -> PhaseAnalyses | None:
    """The analyses :func:`prepare` kept for this data folder and phase, if the folder's content
    is still the one they were computed from (:func:`data_digest`); else ``None``."""
    from evaluation.contract import DEMO_DATA_DIR

    if not _SHARED:
        return None
    entry = _SHARED.get((str(data_dir or DEMO_DATA_DIR), phase, complementary))
    if entry is None:
        return None
    digest, analyses = entry
    try:
        return analyses if data_digest(data_dir or DEMO_DATA_DIR) == digest else None
    except OSError:
        return None


__all__ = ["PhaseAnalyses", "complementary_suppression", "prepare", "shared_analyses"]
