"""The contract's vocabulary: every closed set of values and every id pattern, defined once.

Validation (:mod:`evaluation.contract`), the analyses, the importers and the reports all take
these from here, so an importer can never write a value that validation then refuses, and a new
stakeholder group or status is added in one place. Phases are not listed here: they are the
programme's own (``phases`` in ``programme.yaml``, see :class:`evaluation.contract.Programme`).
"""

from __future__ import annotations

import re

STAKEHOLDER_GROUPS = (
    "project_management", "steering_group", "agency_management",
    "employees", "municipality", "county",
)
"""Informant groups of an interview (``interviews.csv`` ``stakeholder_group``), in report order."""

ASSESSMENTS = ("positive", "negative", "mixed", "neutral")
"""Assessment of a coded interview segment (``segments.csv`` ``assessment``)."""

STATUSES = ("achieved", "on_track", "at_risk", "off_track", "insufficient_evidence", "no_data")
"""Status of a sub-goal or indicator: the four ordered statuses best first, then
``insufficient_evidence`` (there are data, but they cannot tell the ordered statuses apart, such
as a survey interval too wide to say whether the change matters) and ``no_data`` (nothing to
judge). Indicators never give ``insufficient_evidence``; the evaluators' ``assessments.csv`` may."""

MILESTONE_STATUSES = ("completed_on_time", "completed_late", "overdue", "not_yet_due")
"""Status of a milestone at a cut-off date."""

BASELINE_ROLE = "baseline"
"""The role of the survey wave before the pilot started; every other wave's role is a phase id
(see :attr:`evaluation.contract.Programme.wave_roles`)."""


CHAIN_STAGES = ("inputs", "activities", "outputs", "outcomes", "impacts")
"""The stages of a results chain (virkningskjede), in order."""

DIRECTIONS = ("increase", "decrease")
"""Which way an indicator should move."""

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
"""Ids chosen by the evaluation (pilots, agencies, sub-goals, codes, themes, interviews)."""

NATIONAL_GOAL_ID_PATTERN = re.compile(r"^N[0-9]+$")
"""National goal ids (``N1`` … ``N5``)."""

MUNICIPALITY_NUMBER_PATTERN = re.compile(r"^\d{4}$")
"""A Norwegian municipality number (``kommunenummer``): four digits, such as ``4649``."""

RESERVED_PILOT_IDS = ("synthesis", "index", "manifest")
"""Names a render gives its own outputs (``<phase>/synthesis.html``, ``index.html``,
``manifest.json``), which a pilot id must not take: a pilot's report is ``<phase>/<pilot>.html``."""

OPAQUE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
"""Ids that come from other systems (respondent ids, segment ids)."""

ITEM_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
"""Survey item ids (usable as column names)."""

__all__ = [
    "ASSESSMENTS", "BASELINE_ROLE", "CHAIN_STAGES", "DIRECTIONS", "ID_PATTERN", "ITEM_ID_PATTERN",
    "MILESTONE_STATUSES", "MUNICIPALITY_NUMBER_PATTERN", "NATIONAL_GOAL_ID_PATTERN", "OPAQUE_ID_PATTERN",
    "RESERVED_PILOT_IDS", "STAKEHOLDER_GROUPS", "STATUSES",
]
