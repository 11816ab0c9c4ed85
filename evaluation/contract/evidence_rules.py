"""The ``evidence_rules`` of ``programme.yaml``: how the reports judge and present evidence.

Every value here changes what a reader sees — which survey change counts as important, which
estimate is marked "tolk med varsomhet", whether the finite-population correction applies —
so none has a default in code: ``programme.yaml`` gives them all, and a missing or malformed one
is a problem at its YAML line, with the recommended value and its source in the message.
"""

from __future__ import annotations

from dataclasses import dataclass

from evaluation.contract.programme_rules import Walk


@dataclass(frozen=True)
class EvidenceRules:
    """How evidence is judged and presented (``programme.yaml``: ``evidence_rules``).

    Attributes
    ----------
    minimal_important_change : float
        The smallest change of a survey index mean (in index points, on the items' response
        scale) that matters to the pilot. A change is judged by its confidence interval against
        this value, not by its p-value. Recommended: about half the standard deviation of the
        index at baseline (Norman, Sloan and Wyrwich 2003); for 1–5 indices with a standard
        deviation near 0.7 that is 0.3–0.35.
    caution_min_respondents : int
        An estimate from fewer respondents is shown marked "tolk med varsomhet" (interpret with
        caution). Recommended: 30, the minimum sample size of NCHS's presentation standard
        (Parker et al. 2017).
    caution_max_interval_width : float
        An estimate whose confidence interval is wider than this (in index points) is marked the
        same way, however many respondents it has.
    finite_population_correction : bool
        Whether weighted survey estimates apply the finite-population correction (the staff
        invited are the whole population) or treat respondents as a sample from an infinite
        population (wider intervals).
    interview_net_threshold : float
        Net assessment of an interview theme (share of interviews positive minus share negative)
        at or beyond which the interviews count as clear evidence for or against a sub-goal.
    completed_late_milestone : str
        What a milestone completed after its due date says about its sub-goal once it is done:
        ``on_track`` (recommended: the output exists; its delay showed as ``off_track`` at every
        cut-off while it was overdue and stays visible as days late) or ``no_data`` (it casts
        no vote, like a milestone not yet due). Lateness alone never makes a sub-goal at risk.

    References
    ----------
    Norman, G. R., Sloan, J. A. and Wyrwich, K. W. (2003). Interpretation of changes in
    health-related quality of life: the remarkable universality of half a standard deviation.
    *Medical Care*, 41(5), 582–592.

    Parker, J. D., Talih, M., Malec, D. J. et al. (2017). National Center for Health Statistics
    data presentation standards for proportions. *Vital and Health Statistics*, 2(175).
    """

    minimal_important_change: float
    caution_min_respondents: int
    caution_max_interval_width: float
    finite_population_correction: bool
    interview_net_threshold: float
    completed_late_milestone: str


COMPLETED_LATE_MILESTONE_CHOICES = ("on_track", "no_data")
"""Allowed values of ``evidence_rules.completed_late_milestone``."""

_RULES = {
    "minimal_important_change": (
        "number", "a positive number of index points, e.g. 0.3 (about half the baseline standard "
        "deviation, Norman et al. 2003)"),
    "caution_min_respondents": (
        "count", "an integer of at least 2, e.g. 30 (NCHS data presentation standards, Parker et al. 2017)"),
    "caution_max_interval_width": (
        "number", "a positive number of index points, e.g. 1.0"),
    "finite_population_correction": (
        "bool", "true (the invited staff are the population) or false"),
    "interview_net_threshold": (
        "share", "a number above 0 and at most 1, e.g. 0.2"),
    "completed_late_milestone": (
        "late_milestone", "on_track (a milestone done late counts as done) or no_data (it casts no vote)"),
}

EVIDENCE_RULES_EXAMPLE = ("evidence_rules: {minimal_important_change: 0.3, caution_min_respondents: 30, "
                          "caution_max_interval_width: 1.0, finite_population_correction: false, "
                          "interview_net_threshold: 0.2, completed_late_milestone: on_track}")


def read_evidence_rules(walk: Walk, raw: dict) -> EvidenceRules | None:
    """The ``evidence_rules`` mapping, every key required and checked.

    Returns ``None`` (with every problem logged at its line) when a key is missing or invalid.
    """
    given = raw.get("evidence_rules")
    if given is None:
        walk.add("evidence_rules", "evidence_rules", "missing", EVIDENCE_RULES_EXAMPLE)
        return None
    if not isinstance(given, dict):
        walk.add("evidence_rules", "evidence_rules", f"{given!r} is not a mapping", EVIDENCE_RULES_EXAMPLE)
        return None
    values, ok = {}, True
    for key, (kind, expected) in _RULES.items():
        path = f"evidence_rules.{key}"
        value = given.get(key)
        if value is None:
            walk.add("evidence_rules", path, "missing", expected)
            ok = False
        elif not _allowed(kind, value):
            walk.add(path, path, f"{value!r} is not allowed", expected)
            ok = False
        else:
            values[key] = value
    for key in sorted(set(given) - set(_RULES)):
        walk.add(f"evidence_rules.{key}", f"evidence_rules.{key}", "unknown key",
                 f"one of {', '.join(_RULES)}")
        ok = False
    if not ok:
        return None
    return EvidenceRules(
        minimal_important_change=float(values["minimal_important_change"]),
        caution_min_respondents=int(values["caution_min_respondents"]),
        caution_max_interval_width=float(values["caution_max_interval_width"]),
        finite_population_correction=bool(values["finite_population_correction"]),
        interview_net_threshold=float(values["interview_net_threshold"]),
        completed_late_milestone=str(values["completed_late_milestone"]),
    )


def _allowed(kind: str, value) -> bool:
    """Whether ``value`` is of ``kind``: number (> 0), count (int >= 2), share (0 < x <= 1), bool,
    or late_milestone (one of :data:`COMPLETED_LATE_MILESTONE_CHOICES`)."""
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "late_milestone":
        return isinstance(value, str) and value in COMPLETED_LATE_MILESTONE_CHOICES
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return False
    if kind == "count":
        return isinstance(value, int) and value >= 2
    if kind == "share":
        return 0 < value <= 1
    return 0 < value < float("inf")
