"""Tests of co-occurrence and the c-coefficient (evaluation.interviews.cooccurrence).

The small example (tests/interviews/conftest.py) is counted by hand; the counts are written next
to each test. Other reference values: the c-coefficient example of the ATLAS.ti manual, and
Fisher's exact test on R's ``TeaTasting`` table, computed by hand from the hypergeometric
distribution.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import interviews as iv

from .helpers import cell


def test_cooccurrence_by_interview_counts_and_c_coefficient(segments):
    result = iv.cooccurrence(segments, unit="interview")
    # by hand: c1 in {i1, i2, i5}, c2 in {i1, i4}, c3 in {i1, i3, i4}
    # c1&c2 = {i1}: c = 1 / (3 + 2 - 1); c1&c3 = {i1}: 1 / (3 + 3 - 1); c2&c3 = {i1, i4}: 2 / 3
    expected = {("c1", "c2"): (3, 2, 1, 1 / 4), ("c1", "c3"): (3, 3, 1, 1 / 5),
                ("c2", "c3"): (2, 3, 2, 2 / 3), ("c1", "c1"): (3, 3, 3, 1.0)}
    for (a, b), (n_a, n_b, n_ab, c) in expected.items():
        row = cell(result, code_a=a, code_b=b)
        assert (row["n_a"], row["n_b"], row["n_ab"]) == (n_a, n_b, n_ab)
        assert row["c_coefficient"] == pytest.approx(c)


def test_cooccurrence_of_themes(segments, codebook):
    result = iv.cooccurrence(segments, unit="interview", level="theme", codebook=codebook)
    # by hand: A in {i1, i2, i4, i5}, B in {i1, i3, i4}; both {i1, i4}: c = 2 / (4 + 3 - 2)
    row = cell(result, theme_a="A", theme_b="B")
    assert (row["n_a"], row["n_b"], row["n_ab"]) == (4, 3, 2)
    assert row["c_coefficient"] == pytest.approx(2 / 5)


def test_cooccurrence_c_coefficient_reproduces_the_atlas_ti_manual_example():
    # ATLAS.ti 22 Windows manual, "Code Co-occurrence Coefficient": "if you had coded 100
    # quotations with code 'A' and 10 with code 'B', and you have 5 co-occurrences, then the
    # c-coefficient is: c = 5/(100 + 10 - 5) = 5/105 = 0.048"
    a = [(f"q{i}", "A") for i in range(100)]
    b = [(f"q{i}", "B") for i in range(95, 105)]
    rows = a + b
    segments = pd.DataFrame({
        "segment_id": [q for q, _ in rows], "interview_id": ["i1"] * len(rows),
        "code": [code for _, code in rows], "assessment": ["neutral"] * len(rows),
    })
    row = cell(iv.cooccurrence(segments, unit="segment"), code_a="A", code_b="B")
    assert (row["n_a"], row["n_b"], row["n_ab"]) == (100, 10, 5)
    assert row["c_coefficient"] == pytest.approx(5 / 105)
    assert round(row["c_coefficient"], 3) == 0.048


def test_cooccurrence_matrix_is_symmetric(segments):
    for unit in ("segment", "interview"):
        result = iv.cooccurrence(segments, unit=unit)
        matrix = result.pivot(index="code_a", columns="code_b", values="n_ab")
        np.testing.assert_array_equal(matrix.to_numpy(), matrix.to_numpy().T)
        c = result.pivot(index="code_a", columns="code_b", values="c_coefficient")
        np.testing.assert_allclose(c.to_numpy(), c.to_numpy().T)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["a", "b", "c", "d"])),
                min_size=1, max_size=40))
def test_cooccurrence_equals_jaccard_of_unit_sets_and_is_symmetric(pairs):
    segments = pd.DataFrame({
        "segment_id": [f"p{unit}" for unit, _ in pairs],
        "interview_id": [f"i{unit % 3}" for unit, _ in pairs],
        "code": [code for _, code in pairs], "assessment": ["neutral"] * len(pairs),
    })
    result = iv.cooccurrence(segments, unit="segment")
    # independent computation with Python sets: Jaccard |A & B| / |A | B|
    sets = {}
    for unit, code in pairs:
        sets.setdefault(code, set()).add(f"p{unit}")
    for a, b in itertools.product(sets, repeat=2):
        row = cell(result, code_a=a, code_b=b)
        assert row["n_ab"] == len(sets[a] & sets[b])
        assert row["c_coefficient"] == pytest.approx(len(sets[a] & sets[b]) / len(sets[a] | sets[b]))
        mirror = cell(result, code_a=b, code_b=a)
        assert (mirror["n_ab"], mirror["c_coefficient"]) == (row["n_ab"], row["c_coefficient"])


def test_cooccurrence_rejects_unknown_unit(segments):
    with pytest.raises(ValueError):
        iv.cooccurrence(segments, unit="document")
