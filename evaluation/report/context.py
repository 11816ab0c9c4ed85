"""The report context: what one report is about, bound once and handed to every chapter.

A notebook opens a report with :func:`open_report` and passes the :class:`ReportContext` it
returns to the frame (:mod:`evaluation.report.frame`) and to every chapter
(:mod:`evaluation.report.chapters`). The context carries the data cut to the phase, the pilot,
the phase, the language and the anonymity threshold, and formats text, numbers and dates in its
language, so no chapter passes a language or a threshold by hand.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from evaluation.contract import DEMO_DATA_DIR, EvaluationData, load_data
from evaluation.contract.narratives import SYNTHESIS, Narrative
from evaluation.disclosure import DisclosurePlan
from evaluation.errors import EvaluationError
from evaluation.i18n import check_language, format_date, format_number, format_percent, pick, t, translation_table
from evaluation.plots.base import STATUS_STYLE
from evaluation.report.analyses import PhaseAnalyses, complementary_suppression, shared_analyses


@dataclass(frozen=True)
class ReportContext:
    """What a report is about, and how it speaks to its reader.

    Attributes
    ----------
    data : EvaluationData
        The data, cut to the phase.
    pilot : str or None
        Pilot id, or ``None`` for the cross-pilot synthesis.
    phase : str
        Phase id.
    lang : str
        ``nb`` or ``en``.
    parameters : dict
        The notebook's parameters, for the provenance appendix (the data folder by its name
        only: a full path can reveal a secure server's layout).
    started : datetime
        When the report run started (UTC), for the provenance appendix.
    threshold : int
        The programme's anonymity threshold (set from the data, not passed).
    shared : PhaseAnalyses, optional
        The phase's analyses computed before the report opened, for these very ``data``
        (:func:`evaluation.report.analyses.shared_analyses`); by default the report computes its
        own (:attr:`analyses`).

    Raises
    ------
    EvaluationError
        For an unknown language, pilot or phase, data cut to another phase, or shared analyses
        of other data.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> ctx = ReportContext(load_data(phase="midterm"), pilot="stad", phase="midterm")
    >>> ctx.threshold, ctx.number(1234.5, decimals=1), ctx.t("status.on_track")
    (5, '1\\xa0234,5', 'I rute')
    """

    data: EvaluationData = field(repr=False)
    pilot: str | None
    phase: str
    lang: str = "nb"
    parameters: dict = field(default_factory=dict)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    shared: PhaseAnalyses | None = field(default=None, repr=False, compare=False)
    threshold: int = field(init=False)

    def __post_init__(self) -> None:
        check_language(self.lang)
        programme = self.data.programme
        if self.pilot is not None and self.pilot not in programme.pilot_ids:
            raise EvaluationError(
                f"unknown pilot {self.pilot!r}; expected one of {', '.join(programme.pilot_ids)}"
            )
        if self.phase not in programme.cutoffs:
            raise EvaluationError(
                f"unknown phase {self.phase!r}; expected one of {', '.join(programme.cutoffs)}"
            )
        if self.data.phase is not None and self.data.phase != self.phase:
            raise EvaluationError(
                f"the data are cut to phase {self.data.phase!r}, not to {self.phase!r}"
            )
        if self.shared is not None and self.shared.data is not self.data:
            raise EvaluationError("the shared analyses were computed from other data than the report's")
        object.__setattr__(self, "threshold", int(programme.anonymity_threshold))

    # ----------------------------------------------------------------------------- the subject
    @property
    def programme(self):
        """The programme configuration."""
        return self.data.programme

    @property
    def pilot_name(self) -> str:
        """The pilot's display name (or the programme's for the synthesis)."""
        if self.pilot is None:
            return self.programme.name_nb if self.lang == "nb" else self.programme.name_en
        return self.programme.pilot_name(self.pilot)

    @property
    def sub_goals(self):
        """The sub-goals in force at the phase's cut-off: the report's pilot's (every pilot's for
        the synthesis), in ``programme.yaml`` order
        (:meth:`evaluation.contract.programme.Programme.sub_goals_in_force`)."""
        return self.programme.sub_goals_in_force(self.pilot, as_of=self.programme.cutoffs[self.phase])

    @property
    def indicators(self):
        """The indicators in force at the phase's cut-off (as :attr:`sub_goals`)."""
        return self.programme.indicators_in_force(self.pilot, as_of=self.programme.cutoffs[self.phase])

    @property
    def previous_phase(self) -> str | None:
        """The programme's phase before the report's (``None`` for the first phase)."""
        return self.programme.previous_phase(self.phase)

    @cached_property
    def analyses(self) -> PhaseAnalyses:
        """The analyses of the report's phase (:class:`evaluation.report.analyses.PhaseAnalyses`):
        the shared ones it was opened with, or its own, so that each is computed once per report
        (at most) and every chapter that shows it gets the same result.

        Shared analyses made with another complementary-suppression setting than the one in
        force (:func:`evaluation.report.analyses.complementary_suppression`) are not used.
        """
        complementary = complementary_suppression()
        if self.shared is not None and self.shared.complementary == complementary:
            return self.shared
        return PhaseAnalyses(self.data, complementary=complementary)

    @property
    def disclosure(self) -> DisclosurePlan:
        """The render's survey disclosure plan (:func:`evaluation.disclosure.disclosure_plan`).

        Made once per phase from the data cut to the phase (every pilot, so a pilot report
        and the synthesis of one phase hide the same cells) and consulted by every table,
        chart, sentence and key figure with survey counts
        (:attr:`evaluation.report.analyses.PhaseAnalyses.plan`; complementary suppression is
        on unless a test turns it off, see
        :func:`evaluation.report.analyses.complementary_suppression`).
        """
        return self.analyses.plan

    @property
    def attainment(self):
        """Goal attainment of the report's pilot (all pilots for the synthesis) in its phase.

        :func:`evaluation.goals.goal_attainment`, computed once per phase's analyses
        (:meth:`evaluation.report.analyses.PhaseAnalyses.attainment`) and shared by the
        chapters that show it.
        """
        return self.analyses.attainment(None if self.pilot is None else (self.pilot,))

    def survey_comparisons(self, *, weighted: bool = True):
        """The report's pilot's index changes between waves
        (:meth:`evaluation.report.analyses.PhaseAnalyses.comparison`), computed once per report
        and shared by the survey chapter, the key findings and goal attainment."""
        return self.analyses.comparison(self.pilot, weighted=weighted)

    @property
    def input_files(self) -> tuple:
        """The data files the report reads: the contract's files and the narratives of its own
        phase (of its pilot; the synthesis' and every pilot's for the synthesis)."""
        others = {self.data.data_dir / narrative.file for narrative in self.data.narratives.values()
                  if narrative.phase != self.phase
                  or self.pilot not in (None, narrative.subject)}
        return tuple(Path(path) for path in self.data.input_files if Path(path) not in others)

    def narrative(self, subject: str | None = None) -> Narrative | None:
        """The evaluators' narrative (:class:`evaluation.contract.narratives.Narrative`) in the phase.

        Parameters
        ----------
        subject : str, optional
            A pilot id or ``"synthesis"``; by default the report's own (its pilot, or the
            synthesis for the synthesis report).

        Returns
        -------
        Narrative or None
            ``narratives/<subject>-<phase>.<lang>.md`` in the report's language; for an English
            report without an English narrative, the bokmål one (its ``lang`` says which it
            is); ``None`` when there is none.

        Examples
        --------
        >>> from evaluation.contract import load_data
        >>> ctx = ReportContext(load_data(phase="final"), pilot="orkland", phase="final", lang="en")
        >>> ctx.narrative().lang, ctx.narrative("synthesis").subject
        ('en', 'synthesis')
        """
        subject = subject or (SYNTHESIS if self.pilot is None else self.pilot)
        narratives = self.data.narratives
        return narratives.get((subject, self.phase, self.lang)) or narratives.get((subject, self.phase, "nb"))

    # ------------------------------------------------------------------ text in the language
    def phase_name(self, phase: str | None = None) -> str:
        """The name of a phase (the report's by default) in the report's language."""
        return self.programme.phase_name(phase or self.phase, self.lang)

    def wave_role_name(self, role: str) -> str:
        """The name of a survey wave's role (``baseline`` or a phase) in the report's language:
        the translation table's ``wave.<role>``, else the programme's name of the phase."""
        if f"wave.{role}" in translation_table():
            return self.t(f"wave.{role}")
        return self.programme.phase_name(role, self.lang)

    def t(self, key: str, **values: object) -> str:
        """Translate ``key`` into the report's language (:func:`evaluation.i18n.t`)."""
        return t(key, self.lang, **values)

    def number(self, value, *, decimals: int = 0) -> str:
        """A number for the reader (:func:`evaluation.i18n.format_number`)."""
        return format_number(value, self.lang, decimals=decimals)

    def signed(self, value, *, decimals: int = 2) -> str:
        """A change with its sign: "+0,25", "−0,10", "0" (no sign when it rounds to zero); "–"
        when missing."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            return "–"
        if math.isnan(number):
            return "–"
        text = self.number(number, decimals=decimals)
        return "+" + text if round(number, decimals) > 0 else text

    def count(self, value) -> str:
        """A count of people (interviews, informants, respondents) for the reader: hidden as the
        suppression mark when it is above 0 but below the anonymity threshold."""
        if 0 < int(value) < self.threshold:
            return self.t("suppressed_mark")
        return self.number(value)

    def percent(self, share, *, decimals: int = 0) -> str:
        """A share in [0, 1] as a percentage (:func:`evaluation.i18n.format_percent`)."""
        return format_percent(share, self.lang, decimals=decimals)

    def date(self, value) -> str:
        """A date for the reader (:func:`evaluation.i18n.format_date`)."""
        return format_date(value, self.lang)

    def pick(self, record: dict, field_name: str) -> str:
        """A data record's own text in the language (:func:`evaluation.i18n.pick`)."""
        return pick(record, field_name, self.lang)

    def status(self, status: object) -> str:
        """A status as text plus symbol, so colour never carries the meaning alone; else "–"."""
        if not isinstance(status, str) or status not in STATUS_STYLE:
            return "–"
        return f"{self.t('status.' + status)} {STATUS_STYLE[status]['symbol']}"


def data_folder_name(data_dir: str | Path) -> str:
    """The data folder as a report may name it: its last component only, never the full path."""
    return Path(data_dir).resolve().name if str(data_dir) else ""


def open_report(
    data_dir: str | Path | None = None, *, pilot: str | None, phase: str, lang: str = "nb"
) -> ReportContext:
    """Validate and load the data for one report (or take the render's shared analyses).

    In a report kernel forked by a render, the data and the analyses the reports of the phase
    share were computed before the kernel started (:func:`evaluation.report.analyses.prepare`);
    they are used if the data folder is still byte for byte the one they were computed from.
    Otherwise (and for a report opened on its own) the data are validated and loaded here.

    Parameters
    ----------
    data_dir : str or Path, optional
        Data folder; the bundled demo data when ``None`` or empty.
    pilot : str or None
        Pilot id; ``None`` (or ``"all"``) for the synthesis report.
    phase : str
        ``midterm`` or ``final`` (a phase of ``programme.yaml``).
    lang : {"nb", "en"}
        Language of the report.

    Returns
    -------
    ReportContext

    Raises
    ------
    DataContractError
        If the data break the contract.
    EvaluationError
        If the pilot or language is unknown.
    """
    check_language(lang)
    shared = shared_analyses(data_dir or DEMO_DATA_DIR, phase=phase, complementary=complementary_suppression())
    data = shared.data if shared is not None else load_data(data_dir or DEMO_DATA_DIR, phase=phase)
    if pilot in ("", "all"):
        pilot = None
    parameters = {"pilot": pilot or "all", "phase": phase, "lang": lang,
                  "data_dir": data_folder_name(data_dir or DEMO_DATA_DIR)}
    return ReportContext(data=data, pilot=pilot, phase=phase, lang=lang, parameters=parameters, shared=shared)


__all__ = ["ReportContext", "data_folder_name", "open_report"]
