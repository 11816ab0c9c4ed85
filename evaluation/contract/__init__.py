"""The data contract: read a data folder, check every rule of ``data/README.md``, load it.

:func:`validate` reads every file of a data folder and returns *all* problems it finds, each
located as ``FILE:ROW:COLUMN``; :func:`load_data` validates, refuses invalid data with a
:class:`~evaluation.errors.DataContractError`, and returns an :class:`EvaluationData` with typed
frames, optionally cut to a phase's cut-off date.

Modules
-------
:mod:`~evaluation.contract.vocabulary`
    Closed value sets and id patterns, defined once.
:mod:`~evaluation.contract.programme`, :mod:`~evaluation.contract.programme_rules`
    ``programme.yaml``: the :class:`Programme` and the declarative rules of its sections.
:mod:`~evaluation.contract.columns`
    Reading a CSV file, and checking and converting its columns.
:mod:`~evaluation.contract.validation`
    The rules of each CSV file, the rules across files, and :func:`validate`.
:mod:`~evaluation.contract.narratives`
    The evaluators' optional text, ``narratives/<pilot|synthesis>-<phase>.<nb|en>.md``.
:mod:`~evaluation.contract.loading`
    :class:`EvaluationData`, :func:`load_data` and the phase cut.
"""

from __future__ import annotations

from evaluation import DEMO_DATA_DIR
from evaluation.contract.loading import EvaluationData, load_data
from evaluation.contract.programme import Programme
from evaluation.contract.validation import FILES, validate
from evaluation.contract.vocabulary import (
    ASSESSMENTS, BASELINE_ROLE, CHAIN_STAGES, DIRECTIONS, ID_PATTERN, ITEM_ID_PATTERN, MILESTONE_STATUSES,
    MUNICIPALITY_NUMBER_PATTERN, NATIONAL_GOAL_ID_PATTERN, OPAQUE_ID_PATTERN, RESERVED_PILOT_IDS, STAKEHOLDER_GROUPS,
    STATUSES,
)

__all__ = [
    "ASSESSMENTS", "BASELINE_ROLE", "CHAIN_STAGES", "DEMO_DATA_DIR", "DIRECTIONS", "FILES", "ID_PATTERN",
    "ITEM_ID_PATTERN", "MILESTONE_STATUSES", "MUNICIPALITY_NUMBER_PATTERN", "NATIONAL_GOAL_ID_PATTERN",
    "OPAQUE_ID_PATTERN", "RESERVED_PILOT_IDS", "STAKEHOLDER_GROUPS", "STATUSES", "EvaluationData", "Programme",
    "load_data", "validate",
]
