"""The programme (``programme.yaml``): its configuration as tidy frames, and its parser.

:func:`parse_programme` checks the file against the tables of
:mod:`evaluation.contract.programme_rules` and builds a :class:`Programme`. The programme's phases
are the one source of phase ids: :attr:`Programme.phases`, :meth:`Programme.previous_phase`,
:attr:`Programme.wave_roles` and :attr:`Programme.comparisons` give every other layer what it
needs, so no module names ``midterm`` or ``final`` itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from evaluation.contract.goal_history import check_goal_history, check_indicator_history, goal_changes, in_force
from evaluation.contract.evidence_rules import EvidenceRules, read_evidence_rules
from evaluation.contract.problems import ProblemLog, read_yaml, yaml_line_index
from evaluation.contract.programme_rules import (
    AGENCIES, INDICATORS, INTERVIEW_THEMES, NATIONAL_GOALS, PHASES, PILOTS, SUB_GOALS, SURVEY_INDICES,
    PROGRAMME_NAMES, WAVE_FIELDS, Entry, Walk, check_results_chain,
)
from evaluation.contract.vocabulary import BASELINE_ROLE


@dataclass(frozen=True)
class Programme:
    """The programme as configured in ``programme.yaml``, as tidy frames.

    Attributes
    ----------
    name_nb, name_en : str
        The programme's name.
    anonymity_threshold : int
        The smallest group any report shows (required in ``programme.yaml``).
    status_thresholds : dict
        ``{"on_track": 0.9, "at_risk": 0.5}``: progress against the expected path at or above
        which an indicator is on track or at risk.
    evidence_rules : EvidenceRules
        How survey and interview evidence is judged and presented (required in
        ``programme.yaml``; :class:`~evaluation.contract.evidence_rules.EvidenceRules`).
    cutoffs : dict
        Phase id to cut-off date, in phase order.
    phase_names : dict
        Phase id to ``{"nb": name, "en": name}`` for the phases that ``programme.yaml`` names
        (``name_nb``, ``name_en``); the others are named by the translation table
        (:meth:`phase_name`).
    pilots : DataFrame
        pilot, name, municipality_number.
    agencies : DataFrame
        pilot, agency, name_nb, name_en (one row per agency taking part in a pilot).
    sub_goals : DataFrame
        pilot, sub_goal, text_nb, text_en, valid_from, valid_to, approved (datetime64, ``NaT``
        when not given), reason_nb, reason_en (str, empty when not given): every sub-goal the
        programme ever had (:mod:`evaluation.contract.goal_history`; use
        :meth:`sub_goals_in_force` for those of a date).
    sub_goal_successors : DataFrame
        pilot, sub_goal, successor: one row per ``replaced_by`` entry.
    indicator_successors : DataFrame
        pilot, indicator_id, successor: one row per indicator's ``replaced_by`` entry (an
        indicator whose measurement another indicator continues).
    sub_goal_links : DataFrame
        pilot, sub_goal, kind (``national_goal``, ``survey_index``, ``interview_theme``), target.
    indicators : DataFrame
        pilot, indicator_id, name_nb, name_en, unit, direction, baseline_value, baseline_year,
        target_value, target_year, sub_goal, valid_from, valid_to, approved, reason_nb, reason_en.
    national_goals : DataFrame
        national_goal, text_nb, text_en.
    waves : DataFrame
        wave, role (``baseline`` or a phase id).
    survey_indices : DataFrame
        index, label_nb, label_en.
    interview_themes : DataFrame
        theme, label_nb, label_en.
    results_chain : DataFrame
        pilot, stage, position, text_nb, text_en.
    results_chain_links : DataFrame
        pilot, stage, position, kind (``sub_goal`` or ``national_goal``), target.
    synthetic : bool
        True if ``programme.yaml`` says ``synthetic: true``: the data are made up (the bundled
        demo data), and every report made from them says so.
    """

    name_nb: str
    name_en: str
    anonymity_threshold: int
    status_thresholds: dict
    evidence_rules: EvidenceRules
    cutoffs: dict
    phase_names: dict
    pilots: pd.DataFrame = field(repr=False)
    agencies: pd.DataFrame = field(repr=False)
    sub_goals: pd.DataFrame = field(repr=False)
    sub_goal_links: pd.DataFrame = field(repr=False)
    indicators: pd.DataFrame = field(repr=False)
    national_goals: pd.DataFrame = field(repr=False)
    waves: pd.DataFrame = field(repr=False)
    survey_indices: pd.DataFrame = field(repr=False)
    interview_themes: pd.DataFrame = field(repr=False)
    results_chain: pd.DataFrame = field(repr=False)
    results_chain_links: pd.DataFrame = field(repr=False)
    synthetic: bool = False
    sub_goal_successors: pd.DataFrame = field(
        repr=False, default_factory=lambda: pd.DataFrame(columns=["pilot", "sub_goal", "successor"]))
    indicator_successors: pd.DataFrame = field(
        repr=False, default_factory=lambda: pd.DataFrame(columns=["pilot", "indicator_id", "successor"]))

    def sub_goals_in_force(self, pilot: str | None = None, *, as_of) -> pd.DataFrame:
        """The sub-goals that apply on ``as_of`` (both ends of a period inclusive).

        Parameters
        ----------
        pilot : str, optional
            A pilot id; all pilots when ``None``.
        as_of : date or Timestamp
            The day, such as a phase's cut-off (``programme.cutoffs[phase]``).

        Returns
        -------
        pandas.DataFrame
            The rows of :attr:`sub_goals` in force, in their order.

        Examples
        --------
        >>> from evaluation.contract import load_data
        >>> programme = load_data().programme
        >>> first = programme.phases[0]
        >>> programme.sub_goals_in_force("stad", as_of=programme.cutoffs[first])["sub_goal"].tolist()
        ['stad-d1', 'stad-d2', 'stad-d3']
        """
        goals = self.sub_goals if pilot is None else self.sub_goals.loc[self.sub_goals["pilot"] == pilot]
        return in_force(goals, as_of)

    def indicators_in_force(self, pilot: str | None = None, *, as_of) -> pd.DataFrame:
        """The indicators that apply on ``as_of`` (as :meth:`sub_goals_in_force`)."""
        frame = self.indicators if pilot is None else self.indicators.loc[self.indicators["pilot"] == pilot]
        return in_force(frame, as_of)

    @property
    def goal_changes(self) -> pd.DataFrame:
        """Every change to the sub-goals (:func:`evaluation.contract.goal_history.goal_changes`):
        pilot, sub_goal, change, successor, date, approved, reason_nb, reason_en,
        within_national_goals."""
        return goal_changes(self.sub_goals, self.sub_goal_successors, self.sub_goal_links)

    @property
    def pilot_ids(self) -> list[str]:
        """Pilot ids in configured order."""
        return list(self.pilots["pilot"])

    @property
    def phases(self) -> list[str]:
        """Phase ids in order of their cut-off dates.

        Examples
        --------
        >>> from evaluation.contract import load_data
        >>> load_data().programme.phases
        ['midterm', 'final']
        """
        return list(self.cutoffs)

    def previous_phase(self, phase: str) -> str | None:
        """The phase before ``phase``, or ``None`` for the first phase.

        Raises
        ------
        ValueError
            If ``phase`` is not a phase of the programme.

        Examples
        --------
        >>> from evaluation.contract import load_data
        >>> programme = load_data().programme
        >>> programme.previous_phase("final"), programme.previous_phase("midterm")
        ('midterm', None)
        """
        phases = self.phases
        if phase not in phases:
            raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(phases)}")
        position = phases.index(phase)
        return phases[position - 1] if position else None

    @property
    def wave_roles(self) -> tuple[str, ...]:
        """The roles a survey wave can have: ``baseline``, then the phase ids in order.

        Examples
        --------
        >>> from evaluation.contract import load_data
        >>> load_data().programme.wave_roles
        ('baseline', 'midterm', 'final')
        """
        return (BASELINE_ROLE, *self.phases)

    @property
    def comparisons(self) -> tuple[tuple[str, str], ...]:
        """Pairs of wave roles to compare: each phase against the baseline, then each phase
        against the phase before it.

        Examples
        --------
        >>> from evaluation.contract import load_data
        >>> load_data().programme.comparisons
        (('baseline', 'midterm'), ('baseline', 'final'), ('midterm', 'final'))
        """
        phases = self.phases
        return (tuple((BASELINE_ROLE, phase) for phase in phases)
                + tuple(zip(phases[:-1], phases[1:])))

    def phase_name(self, phase: str, lang: str) -> str:
        """The phase's name in ``lang``: its ``name_nb``/``name_en`` in ``programme.yaml``, else
        the translation table's ``phase.<id>``.

        Examples
        --------
        >>> from evaluation.contract import load_data
        >>> load_data().programme.phase_name("final", "nb")
        'Sluttevaluering'
        """
        from evaluation.i18n import t

        if phase not in self.cutoffs:
            raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(self.phases)}")
        names = self.phase_names.get(phase)
        return names[lang] if names else t(f"phase.{phase}", lang)

    def pilot_name(self, pilot: str) -> str:
        """The pilot's display name."""
        return str(self.pilots.set_index("pilot").loc[pilot, "name"])

    def wave_role(self, wave: int) -> str:
        """The role (``baseline`` or a phase id) of a survey wave."""
        return str(self.waves.set_index("wave").loc[wave, "role"])


_HISTORY = ["valid_from", "valid_to", "approved", "reason_nb", "reason_en"]
"""The history columns of ``sub_goals`` and ``indicators``."""

_FRAME_COLUMNS = {
    "pilots": ["pilot", "name", "municipality_number"],
    "agencies": ["pilot", "agency", "name_nb", "name_en"],
    "sub_goals": ["pilot", "sub_goal", "text_nb", "text_en", *_HISTORY],
    "sub_goal_successors": ["pilot", "sub_goal", "successor"],
    "indicator_successors": ["pilot", "indicator_id", "successor"],
    "sub_goal_links": ["pilot", "sub_goal", "kind", "target"],
    "indicators": ["pilot", "indicator_id", "name_nb", "name_en", "unit", "direction",
                   "baseline_value", "baseline_year", "target_value", "target_year", "sub_goal", *_HISTORY],
    "results_chain": ["pilot", "stage", "position", "text_nb", "text_en"],
    "results_chain_links": ["pilot", "stage", "position", "kind", "target"],
}
"""Columns of the programme's per-pilot frames."""

_THRESHOLD_RULE = "an integer of at least 2"
_DEFAULT_STATUS_THRESHOLDS = {"on_track": 0.9, "at_risk": 0.5}


def parse_programme(text: str, log: ProblemLog) -> Programme | None:
    """Check and parse the text of ``programme.yaml``.

    Parameters
    ----------
    text : str
        The file's text.
    log : ProblemLog
        Receives every problem found.

    Returns
    -------
    Programme or None
        ``None`` when the text is not a YAML mapping. Otherwise the programme as far as it could
        be read, also when problems were logged (the other files are checked against it).
    """
    raw, lines = _load(text, log)
    if raw is None:
        return None
    walk = Walk(log, lines)
    threshold = _anonymity_threshold(walk, raw)
    thresholds = _status_thresholds(walk, raw)
    evidence_rules = read_evidence_rules(walk, raw)
    national = [entry for entry, _ in walk.entries(raw.get("national_goals"), "national_goals", NATIONAL_GOALS)]
    walk.known["national_goals"] = [n.id for n in national]
    cutoffs, phase_names = _phases(walk, raw)
    waves = _waves(walk, raw)
    labelled = {}
    for catalogue in (SURVEY_INDICES, INTERVIEW_THEMES, AGENCIES):
        labelled[catalogue.key] = [entry for entry, _ in walk.entries(raw.get(catalogue.key), catalogue.key, catalogue)]
        walk.known[catalogue.key] = [e.id for e in labelled[catalogue.key]]
    agency_entries = {a.id: a.data for a in labelled["agencies"]}
    rows: dict[str, list[dict]] = {name: [] for name in _FRAME_COLUMNS}
    for pilot in walk.catalogue(raw.get("pilots"), "pilots", PILOTS):
        for name, pilot_rows in _pilot(walk, pilot, agency_entries).items():
            rows[name] += pilot_rows
    frames = {name: pd.DataFrame(rows[name], columns=columns) for name, columns in _FRAME_COLUMNS.items()}
    for column in ("baseline_value", "target_value"):
        frames["indicators"][column] = frames["indicators"][column].astype(float)
    for column in ("baseline_year", "target_year"):
        frames["indicators"][column] = frames["indicators"][column].astype("Int64")
    for name in ("sub_goals", "indicators"):
        for column in _HISTORY[:3]:
            frames[name][column] = pd.to_datetime(frames[name][column])
    names, _ = walk.entry(_mapping(walk, raw, "programme", "{name_nb: TEXT, name_en: TEXT}"), "programme",
                          PROGRAMME_NAMES)
    return Programme(
        name_nb=names["name_nb"] or "Pilot Statens hus",
        name_en=names["name_en"] or names["name_nb"] or "Pilot Statens hus",
        anonymity_threshold=threshold,
        status_thresholds={k: float(v) for k, v in thresholds.items()},
        evidence_rules=evidence_rules,
        cutoffs=cutoffs,
        phase_names=phase_names,
        national_goals=_labels(national, "national_goal", ["text_nb", "text_en"]),
        waves=pd.DataFrame(waves, columns=["wave", "role"]).sort_values("wave", ignore_index=True),
        survey_indices=_labels(labelled["survey_indices"], "index", ["label_nb", "label_en"]),
        interview_themes=_labels(labelled["interview_themes"], "theme", ["label_nb", "label_en"]),
        **frames,
        synthetic=_synthetic(walk, raw),
    )


def _load(text: str, log: ProblemLog) -> tuple[dict | None, dict[str, int]]:
    """The YAML mapping and its key lines; ``None`` (with a problem) if it is not one, or if
    it cannot be parsed or gives a key twice (:func:`~evaluation.contract.problems.read_yaml`)."""
    raw, node = read_yaml(text, log, expected="valid YAML (check indentation and quoting)")
    if node is None:
        return None, {}
    if not isinstance(raw, dict):
        log.add(1, None, "the file is not a YAML mapping", "keys such as pilots, phases, waves")
        return None, {}
    return raw, yaml_line_index(node)


def _mapping(walk: Walk, raw: dict, key: str, expected: str) -> dict:
    """A top-level mapping (empty when absent); a problem if it is something else."""
    value = raw.get(key) or {}
    if not isinstance(value, dict):
        walk.add(key, key, f"{value!r} is not a mapping", expected)
        return {}
    return value


def _anonymity_threshold(walk: Walk, raw: dict) -> int | None:
    """The anonymity threshold, which must be given: it decides what a reader sees.

    ``None`` when it is missing or not allowed (a problem is logged, so no report is made).
    """
    threshold = raw.get("anonymity_threshold")
    if threshold is None:
        walk.add("anonymity_threshold", "anonymity_threshold", "missing", _THRESHOLD_RULE)
        return None
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 2:
        walk.add("anonymity_threshold", "anonymity_threshold", f"{threshold!r} is not allowed", _THRESHOLD_RULE)
        return None
    return threshold


def _synthetic(walk: Walk, raw: dict) -> bool:
    """``synthetic: true`` marks made-up data (the demo); missing means real data."""
    synthetic = raw.get("synthetic", False)
    if not isinstance(synthetic, bool):
        walk.add("synthetic", "synthetic", f"{synthetic!r} is not true or false",
                 "true for synthetic (demo) data, false or left out for real data")
        return False
    return synthetic


def _status_thresholds(walk: Walk, raw: dict) -> dict:
    """The status thresholds (defaults 0.9 and 0.5): numbers, in order."""
    thresholds = dict(_DEFAULT_STATUS_THRESHOLDS)
    given = _mapping(walk, raw, "status_thresholds", "{on_track: NUMBER, at_risk: NUMBER}")
    for key, value in given.items():
        if key not in thresholds:
            walk.add(f"status_thresholds.{key}", f"status_thresholds.{key}", f"unknown key {key!r}",
                     "on_track and at_risk")
            return dict(_DEFAULT_STATUS_THRESHOLDS)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            walk.add(f"status_thresholds.{key}", f"status_thresholds.{key}", f"{value!r} is not a number", "a number")
            return dict(_DEFAULT_STATUS_THRESHOLDS)
    thresholds.update(given)
    if not (0 <= float(thresholds["at_risk"]) <= float(thresholds["on_track"]) <= 1.5):
        walk.add("status_thresholds", "status_thresholds", "thresholds out of order",
                 "0 <= at_risk <= on_track")
    return thresholds


def _phases(walk: Walk, raw: dict) -> tuple[dict, dict]:
    """Phase id to cut-off date (the cut-offs must be in phase order), and to its names."""
    cutoffs, names = {}, {}
    phases = walk.entries(raw.get("phases"), "phases", PHASES)
    walk.known["wave_roles"] = (BASELINE_ROLE, *dict.fromkeys(entry.id for entry, _ in phases))
    for entry, values in phases:
        if values["cutoff"] is not None:
            cutoffs[entry.id] = values["cutoff"]
        given = {lang: entry.data.get(f"name_{lang}") for lang in ("nb", "en")}
        if all(isinstance(name, str) and name.strip() for name in given.values()):
            names[entry.id] = {lang: name.strip() for lang, name in given.items()}
    if list(cutoffs.values()) != sorted(cutoffs.values()):
        walk.add("phases", "phases", "phases are not in order of their cut-off dates",
                 "each phase's cut-off after the previous one's")
    return cutoffs, names


def _waves(walk: Walk, raw: dict) -> list[dict]:
    """The survey waves: a year and a role each, exactly one baseline, each year once."""
    waves = []
    given = raw.get("waves") or []
    if not isinstance(given, list):
        walk.add("waves", "waves", f"{given!r} is not a list", "a list of waves with id and role")
        given = []
    for position, entry in enumerate(given):
        values, valid = walk.entry(entry, f"waves[{position}]", WAVE_FIELDS)
        if valid:
            waves.append({"wave": values["id"], "role": values["role"]})
    if not waves:
        walk.add("waves", "waves", "no survey waves defined", "a list of waves with id and role")
    elif sum(w["role"] == BASELINE_ROLE for w in waves) != 1:
        walk.add("waves", "waves", "there must be exactly one baseline wave", "one wave with role baseline")
    if len({w["wave"] for w in waves}) != len(waves):
        walk.add("waves", "waves", "duplicate wave id", "each wave year once")
    return waves


def _pilot(walk: Walk, pilot: Entry, agency_entries: dict[str, dict]) -> dict[str, list[dict]]:
    """Check one pilot with its sub-goals, indicators and results chain; return its frame rows."""
    walk.owner = pid = pilot.id
    values, _ = walk.entry(pilot.data, pilot.path, PILOTS.rules, pilot)
    rows: dict[str, list[dict]] = {
        "pilots": [{"pilot": pid, "name": values["name"] or pid,
                    "municipality_number": values["municipality_number"]}],
        "agencies": [], "sub_goals": [], "sub_goal_links": [], "indicators": [], "sub_goal_successors": [],
        "indicator_successors": []}
    for agency in values["agencies"]:
        entry = agency_entries.get(agency, {})
        rows["agencies"].append({"pilot": pid, "agency": agency, "name_nb": entry.get("name_nb", agency),
                                 "name_en": entry.get("name_en", entry.get("name_nb", agency))})
    sub_goals = walk.entries(pilot.data.get("sub_goals"), f"{pilot.path}.sub_goals", SUB_GOALS)
    for goal, goal_values in sub_goals:
        rows["sub_goals"].append({"pilot": pid, "sub_goal": goal.id, "text_nb": goal.data.get("text_nb", ""),
                                  "text_en": goal.data.get("text_en") or goal.data.get("text_nb", ""),
                                  **_history(goal_values)})
        rows["sub_goal_successors"] += [{"pilot": pid, "sub_goal": goal.id, "successor": successor}
                                        for successor in goal_values.get("replaced_by") or []]
        rows["sub_goal_links"] += [{"pilot": pid, "sub_goal": goal.id, "kind": kind, "target": target}
                                   for kind, key in (("national_goal", "national_goals"),
                                                     ("survey_index", "survey_indices"),
                                                     ("interview_theme", "interview_themes"))
                                   for target in goal_values[key]]
    walk.known["sub_goals"] = [goal.id for goal, _ in sub_goals]
    check_goal_history(walk, sub_goals)
    indicators = walk.entries(pilot.data.get("indicators"), f"{pilot.path}.indicators", INDICATORS)
    rows["indicators"] = [_indicator_row(pid, indicator, values) for indicator, values in indicators]
    rows["indicator_successors"] = [{"pilot": pid, "indicator_id": indicator.id, "successor": successor}
                                    for indicator, values in indicators
                                    for successor in values.get("replaced_by") or []]
    check_indicator_history(walk, indicators, sub_goals)
    rows["results_chain"], rows["results_chain_links"] = check_results_chain(walk, pilot)
    return rows


def _indicator_row(pilot: str, indicator: Entry, values: dict) -> dict:
    """The ``indicators`` row of a checked indicator (``None`` for values that did not check)."""
    data, iid = indicator.data, indicator.id
    baseline, target = values.get("baseline") or {}, values.get("target") or {}
    return {"pilot": pilot, "indicator_id": iid, "name_nb": data.get("name_nb", iid),
            "name_en": data.get("name_en") or data.get("name_nb", iid),
            "unit": str(data.get("unit", "")), "direction": values["direction"],
            "baseline_value": baseline.get("value"), "baseline_year": baseline.get("year"),
            "target_value": target.get("value"), "target_year": target.get("year"),
            "sub_goal": values["sub_goal"], **_history(values)}


def _history(values: dict) -> dict:
    """The history columns of a checked sub-goal or indicator."""
    return {"valid_from": values.get("valid_from"), "valid_to": values.get("valid_to"),
            "approved": values.get("approved"), "reason_nb": values.get("reason_nb") or "",
            "reason_en": values.get("reason_en") or values.get("reason_nb") or ""}


def _labels(entries: list[Entry], key_name: str, fields: list[str]) -> pd.DataFrame:
    """A frame of ids and labels; a missing label falls back to the first label, then the id."""
    return pd.DataFrame([{key_name: e.id, **{f: e.data.get(f) or e.data.get(fields[0], e.id) for f in fields}}
                         for e in entries], columns=[key_name, *fields])
