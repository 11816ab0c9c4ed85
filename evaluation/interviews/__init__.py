"""Interview analysis: from coded segments to the matrices qualitative tools give.

Evaluators code interview transcripts in a qualitative tool (NVivo, ATLAS.ti, MAXQDA, QualCoder,
Taguette). The contract's ``interviews/interviews.csv``, ``interviews/segments.csv`` and
``interviews/codebook.csv`` (or an import with :func:`evaluation.importers.read_qdpx` /
:func:`evaluation.importers.read_taguette`) hold that coding; the functions here turn it into

* theme and code frequencies by stakeholder group (NVivo's matrix coding query):
  :func:`code_frequencies`;
* code co-occurrence counts and ATLAS.ti's c-coefficient: :func:`cooccurrence`;
* the balance of positive and negative assessments per theme, one vote per interview:
  :func:`assessment_balance`;
* the framework matrix of interviews (or groups) by themes: :func:`framework_matrix`;
* the change in theme prevalence between two rounds, Fisher's test Holm-adjusted over the
  themes: :func:`theme_change`;
* approved quotes, attributed by stakeholder group only: :func:`select_quotes`.

Modules: :mod:`~evaluation.interviews.inputs` (files, checks, themes and rounds),
:mod:`~evaluation.interviews.counts` (interview counts, frequencies, framework matrix),
:mod:`~evaluation.interviews.cooccurrence`, :mod:`~evaluation.interviews.assessments`
(assessment balance, theme change) and :mod:`~evaluation.interviews.quotes` (quotes, pooling).

Conventions
-----------
A *segment* is one coded passage. Rows of ``segments`` that share a ``segment_id`` are one
passage coded with several codes, and :func:`cooccurrence` with ``unit="segment"`` counts such
passages. The contract keeps ``segment_id`` unique (the importers give a passage coded with
several codes the ids ``<passage>-1``, ``<passage>-2``, ...), so on contract data codes co-occur
by interview (``unit="interview"``), which is what the report uses. A *reference* is a
distinct segment coded with a code (or with any code of a theme), as NVivo counts "coding
references"; an interview *mentions* a code when at least one of its segments is coded with it.

Privacy: every count broken down by stakeholder group goes through
:func:`evaluation.privacy.suppress_small_cells`: a group with fewer interviews than the anonymity
threshold (a required ``threshold=`` argument, ``programme.anonymity_threshold``) is never shown,
and secondary suppression stops it being recovered by subtraction from a total. A quote is
attributed by stakeholder group only, and only when that attribution does not narrow its speaker
to fewer interviews than the threshold.

Row numbers in error messages are the line numbers of the contract file (header = line 1, first
data row = line 2), assuming the frame is in file order.
"""

from evaluation.contract.vocabulary import ASSESSMENTS, STAKEHOLDER_GROUPS
from evaluation.interviews.assessments import assessment_balance, theme_change
from evaluation.interviews.cooccurrence import cooccurrence
from evaluation.interviews.counts import code_frequencies, framework_matrix, interview_counts
from evaluation.interviews.inputs import LEVELS, assign_rounds, attach_themes, round_order
from evaluation.interviews.quotes import pool_rounds, pool_small_groups, round_group_counts, select_quotes

__all__ = [
    "ASSESSMENTS",
    "LEVELS",
    "STAKEHOLDER_GROUPS",
    "assessment_balance",
    "assign_rounds",
    "attach_themes",
    "code_frequencies",
    "cooccurrence",
    "framework_matrix",
    "interview_counts",
    "pool_rounds",
    "pool_small_groups",
    "round_group_counts",
    "select_quotes",
    "round_order",
    "theme_change",
]
