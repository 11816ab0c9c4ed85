"""The reports to render, their outcomes, and the order they may run in.

One report is one notebook run: ``notebooks/pilot_report.ipynb`` per pilot and phase, and
``notebooks/synthesis_report.ipynb`` per phase. A synthesis starts only when the pilot reports
of its phase (and language) are done.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evaluation.errors import EvaluationError
from evaluation.resources import notebook_dir

NOTEBOOK_DIR = notebook_dir()
"""The report notebooks (templates, committed without outputs); see `evaluation.resources`."""


@dataclass(frozen=True)
class ReportJob:
    """One report to render.

    Attributes
    ----------
    notebook : str
        ``pilot_report`` or ``synthesis_report``.
    phase : str
        Phase id.
    pilot : str or None
        Pilot id, ``None`` for the synthesis.
    lang : str
        ``nb`` or ``en``.
    """

    notebook: str
    phase: str
    pilot: str | None
    lang: str = "nb"

    @property
    def stem(self) -> str:
        """File stem: the pilot id or ``synthesis``, with ``.en`` for English."""
        base = self.pilot or "synthesis"
        return base if self.lang == "nb" else f"{base}.{self.lang}"

    @property
    def name(self) -> str:
        """``<phase>/<stem>``, the report's name in messages and in the manifest."""
        return f"{self.phase}/{self.stem}"

    def html_path(self, out: Path) -> Path:
        """Where the report's HTML goes."""
        return out / self.phase / f"{self.stem}.html"

    def notebook_path(self, out: Path) -> Path:
        """Where the executed notebook goes."""
        return out / self.phase / f"{self.stem}.ipynb"

    def failed_path(self, out: Path) -> Path:
        """Where the executed notebook of a failed run goes."""
        return out / self.phase / f"{self.stem}.failed.ipynb"

    def parameters(self, data_dir: Path) -> dict:
        """The notebook's parameters."""
        params = {"phase": self.phase, "data_dir": str(data_dir), "lang": self.lang}
        if self.pilot is not None:
            params = {"pilot": self.pilot, **params}
        return params

    def waits_for(self, other: ReportJob) -> bool:
        """Whether this report may start only after ``other``: a synthesis waits for the pilot
        reports of its phase and language."""
        return (self.pilot is None and other.pilot is not None and other.phase == self.phase
                and other.lang == self.lang)


@dataclass(frozen=True)
class RenderedReport:
    """Outcome of one report: rendered, failed, or skipped because nothing it reads changed.

    Attributes
    ----------
    job : ReportJob
    ok : bool
        False if the notebook or the export failed.
    seconds : float
        Wall time of the run (0 for a skipped report).
    html_path, notebook_path : Path or None
        The report and the executed notebook (of a failed run: the ``.failed.ipynb``).
    error : str
        One line: the error's name and message.
    skipped : bool
        True if the report was up to date and not rendered.
    reason : str
        Why it was rendered (``new``, ``data changed: survey/responses.csv``, ...).
    files : dict
        The formats made beside the HTML: format to path relative to the output folder.
    """

    job: ReportJob
    ok: bool
    seconds: float
    html_path: Path | None = None
    notebook_path: Path | None = None
    error: str = ""
    skipped: bool = False
    reason: str = ""
    files: dict = field(default_factory=dict)


@dataclass
class RenderSummary:
    """Outcome of a whole render: every report, and the index."""

    reports: list[RenderedReport] = field(default_factory=list)
    index_path: Path | None = None
    seconds: float = 0.0
    workers: int = 0

    @property
    def failures(self) -> list[RenderedReport]:
        """The reports that failed."""
        return [r for r in self.reports if not r.ok]

    @property
    def rendered(self) -> list[RenderedReport]:
        """The reports rendered in this run (successfully)."""
        return [r for r in self.reports if r.ok and not r.skipped]

    @property
    def skipped(self) -> list[RenderedReport]:
        """The reports that were up to date."""
        return [r for r in self.reports if r.skipped]


def plan_reports(*, phases: list[str], pilots: list[str], lang: str = "nb", synthesis: bool = True,
                 notebook_dir: Path = NOTEBOOK_DIR) -> list[ReportJob]:
    """The reports to render: each pilot in each phase, then each phase's synthesis.

    Parameters
    ----------
    phases, pilots : list of str
        Phase and pilot ids to render.
    lang : {"nb", "en"}
        Language.
    synthesis : bool
        Include the cross-pilot synthesis of each phase (if its notebook exists).
    notebook_dir : Path
        Folder of the report notebooks.

    Returns
    -------
    list of ReportJob
        In the order given: phases, then pilots within a phase; the syntheses last.
    """
    jobs = [ReportJob("pilot_report", phase, pilot, lang) for phase in phases for pilot in pilots]
    if synthesis and (Path(notebook_dir) / "synthesis_report.ipynb").exists():
        jobs += [ReportJob("synthesis_report", phase, None, lang) for phase in phases]
    return jobs


def run_in_dependency_order(jobs: list[ReportJob], submit, *, capacity: int, on_done) -> None:
    """Run jobs with at most ``capacity`` at a time, each synthesis after its phase's pilots.

    Parameters
    ----------
    jobs : list of ReportJob
        In the order to start them (a synthesis that is ready goes first).
    submit : callable
        ``submit(job) -> concurrent.futures.Future``.
    capacity : int
        Jobs in flight at once (the number of workers: keeping the queue short lets a
        synthesis start as soon as its pilots are done).
    on_done : callable
        ``on_done(job, future)``, called as each job finishes, in the order they finish.

    Raises
    ------
    EvaluationError
        If some jobs wait for reports that never run.
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    pending = list(jobs)
    blockers = {job: {other for other in jobs if job.waits_for(other)} for job in jobs}
    running: dict = {}
    while pending or running:
        ready = [job for job in pending if not blockers[job]]
        ready.sort(key=lambda job: job.pilot is not None)  # stable: synthesis first once ready
        for job in ready[: max(capacity - len(running), 0)]:
            pending.remove(job)
            running[submit(job)] = job
        if not running:
            raise EvaluationError("report dependencies cannot be met: " + ", ".join(j.name for j in pending))
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in sorted(finished, key=lambda f: jobs.index(running[f])):
            job = running.pop(future)
            for waiting in blockers.values():
                waiting.discard(job)
            on_done(job, future)
