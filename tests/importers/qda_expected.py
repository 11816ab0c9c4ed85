"""Frames expected from the hand-written coding fixtures, shared by the REFI-QDA and Taguette tests.

The fixtures under ``tests/fixtures/qda/`` are written by hand to the formats' specifications:
``qdpx/project.qde`` follows the QDA-XML project schema (``urn:QDA-XML:project:1.0``,
Project-mrt2019.xsd, www.qdasoftware.org) with the transcript in ``qdpx/Sources/``; the Taguette
files follow Taguette's export code (``taguette/export.py``: highlights ``id, document, tag,
content``, one row per highlight and tag; codebook ``tag, parent, description, number of
highlights``). The expected frames below are written by hand from the fixtures; the selection
offsets in ``project.qde`` were found with ``str.index`` on the transcript text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evaluation.importers import QdaImport

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "qda"
QDPX = FIXTURES / "qdpx"
TAGUETTE = FIXTURES / "taguette"
ROOT = Path(__file__).resolve().parents[2]

QUOTE_1 = "Vi møtes nå hver måned, og det har gjort terskelen lavere."
QUOTE_2 = "Men IT-systemene snakker ikke sammen."
QUOTE_3 = "Det er vanskelig å rekruttere, men flere søker nå enn før."
QUOTE_4 = "Lokalene er ikke klare ennå."

EXPECTED_INTERVIEWS = pd.DataFrame({
    "interview_id": ["i-stad-0001", "i-stad-0002"],
    "pilot": ["stad", "stad"],
    "date": pd.to_datetime(["2022-09-20", "2024-03-05"]),
    "stakeholder_group": ["agency_management", "employees"],  # "Ledere i etatene", "Ansatte"
    "informants": [1, 3],
})
EXPECTED_CODEBOOK = pd.DataFrame({
    "code": ["felles_moteplasser", "collab_barriers", "recr_applicants", "colocation"],
    "theme": ["collaboration", "collaboration", "recruitment", "colocation"],
    "label_nb": ["Felles møteplasser", "collab_barriers", "recr_applicants", "colocation"],
    "label_en": ["Felles møteplasser", "collab_barriers", "recr_applicants", "colocation"],
    "description": ["Faste møter på tvers av etatene", "", "Antall og kvalifikasjoner blant søkere",
                    "Lokaler"],
})


def expected_segments(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "segment_id": ids,
        "interview_id": ["i-stad-0001", "i-stad-0001", "i-stad-0002", "i-stad-0002", "i-stad-0002"],
        "code": ["felles_moteplasser", "collab_barriers", "recr_applicants", "colocation",
                 "colocation"],
        "assessment": ["positive", "negative", "mixed", "mixed", "neutral"],  # "negativ" -> negative
        "quote": [QUOTE_1, QUOTE_2, QUOTE_3, QUOTE_3, QUOTE_4],
        "quote_approved": ["yes", "no", "yes", "yes", "no"],
    })


def assert_import(result: QdaImport, segment_ids: list[str]) -> None:
    pd.testing.assert_frame_equal(result.interviews, EXPECTED_INTERVIEWS, check_dtype=False)
    assert str(result.interviews["date"].dtype).startswith("datetime64")
    pd.testing.assert_frame_equal(result.segments, expected_segments(segment_ids), check_dtype=False)
    pd.testing.assert_frame_equal(result.codebook, EXPECTED_CODEBOOK, check_dtype=False)
