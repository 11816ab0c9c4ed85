"""Employee-survey analysis: Likert distributions, item and index statistics, reliability, change.

Responses arrive wide, one column per item (``Q01`` …), holding the raw code of the item's scale
as a nullable integer: ``<NA>`` is *not answered*, the scale's ``dont_know_code`` is *"vet
ikke"* (don't know). A don't-know answer is never a scale value: it is counted on its own
(``n_dont_know``) and left out of every base, share and mean. Reverse-keyed items are scored
``scale_min + scale_max - code`` before they enter an index or a reliability analysis.

Every grouped output carries its number of respondents and a ``suppressed`` flag: groups below
the anonymity threshold (``programme.anonymity_threshold``, a required ``threshold=`` argument)
are hidden, together with the complementary cells that would let a reader recover them by
subtraction (see :mod:`evaluation.privacy`). Suppression counts people: a respondent who answered
only "vet ikke" counts. In a report, every function takes the render's disclosure plan
(``plan=``, :mod:`evaluation.disclosure`) instead, so that all linked tables hide the same
(pilot, agency, wave) cells; waves never hide each other.

The frames are computed with the general statistics of :mod:`evaluation.stats`. Modules:

* :mod:`evaluation.survey.inputs` — file names, item metadata and values, grouping helpers;
* :mod:`evaluation.survey.items` — :func:`likert_distribution`, :func:`item_summary`;
* :mod:`evaluation.survey.indices` — :func:`index_scores`, :func:`index_summary`,
  :func:`scored_items`, :func:`index_reliability`;
* :mod:`evaluation.survey.response` — :func:`response_rates`;
* :mod:`evaluation.survey.waves` — :func:`compare_waves`, :func:`compare_agency_changes`;
* :mod:`evaluation.survey.weighting` — post-stratification by agency to the invited staff:
  :func:`agency_weights`, :func:`weighted_index_means`, :func:`weighted_change`.
"""

from evaluation.survey.indices import (
    ReliabilityTable,
    index_reliability,
    index_scores,
    index_summary,
    scored_items,
)
from evaluation.survey.items import item_summary, likert_distribution
from evaluation.survey.response import response_rates
from evaluation.survey.waves import compare_agency_changes, compare_waves
from evaluation.survey.weighting import agency_weights, weighted_change, weighted_index_means

__all__ = [
    "ReliabilityTable",
    "compare_agency_changes",
    "compare_waves",
    "index_reliability",
    "index_scores",
    "index_summary",
    "item_summary",
    "likert_distribution",
    "response_rates",
    "scored_items",
    "agency_weights",
    "weighted_change",
    "weighted_index_means",
]
