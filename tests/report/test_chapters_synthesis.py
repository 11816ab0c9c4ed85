"""The synthesis chapters on the demo data: every pilot against every national goal."""

from __future__ import annotations

import re

import pytest

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.report import ReportContext, index_comparison, national_goals_matrix


@pytest.fixture(scope="module")
def final_synthesis():
    return ReportContext(load_data(DEMO, phase="final"), pilot=None, phase="final")


def test_national_goals_matrix_has_every_pilot_and_goal(final_synthesis):
    markup = str(national_goals_matrix(final_synthesis))
    for name in ("Stad", "Orkland", "Narvik", "Lyngdal", "Alle piloter"):
        assert f'<th scope="row">{name}</th>' in markup
    for goal in ("N1", "N2", "N3", "N4", "N5"):
        assert f'<th scope="col">{goal}</th>' in markup
    # Stad links no sub-goal to N5 in programme.yaml: a dash in its row
    stad_row = re.search(r'<th scope="row">Stad</th>(.*?)</tr>', markup).group(1)
    assert stad_row.endswith("<td>–</td>")


def test_index_comparison_is_a_figure_with_alt_text_and_its_data_table(final_synthesis):
    markup = str(index_comparison(final_synthesis))
    assert markup.startswith("<p>") and markup.count('<figure class="report-figure">') == 1
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" width="\d+" height="\d+" alt="[^"]{20,}"', markup)
    assert '<details class="figure-data"' in markup
