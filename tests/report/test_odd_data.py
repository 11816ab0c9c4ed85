"""Valid data that crashed a report: every report of such a folder is made.

Each case changes a copy of the demo data in a way the data contract allows and an analyst meets:
a pilot without survey rows, a phase with no survey wave, labels with ``$`` and markup. The
reports run as the notebooks run them, in this process (``tests/inline_report.py``).
"""

from __future__ import annotations

import html
import re
import shutil

import pandas as pd
import pytest

from conftest import DEMO
from evaluation.contract import validate
from inline_report import pilot_report, synthesis_report


@pytest.fixture(scope="module")
def no_survey_for_stad(tmp_path_factory):
    """The demo data without any survey row of Stad (no responses, no population)."""
    target = tmp_path_factory.mktemp("odd") / "data"
    shutil.copytree(DEMO, target)
    for name in ("survey/responses.csv", "survey/population.csv"):
        frame = pd.read_csv(target / name, dtype=str, keep_default_na=False)
        frame[frame["pilot"] != "stad"].to_csv(target / name, index=False)
    assert validate(target) == []
    return target


def test_a_pilot_without_survey_rows_gets_its_report(no_survey_for_stad):
    page = pilot_report(no_survey_for_stad, "stad", "midterm")
    # the key figures: no wave to name, no respondent, no response rate
    assert re.search(r'<th scope="row">Svar i spørreundersøkelsen –</th><td class="num">0</td></tr>'
                     r'<tr><th scope="row">Svarprosent –</th><td class="num">–</td>', page)


def test_the_synthesis_shows_a_pilot_without_survey_rows(no_survey_for_stad):
    assert "Stad" in synthesis_report(no_survey_for_stad, "midterm")


@pytest.fixture(scope="module")
def phase_without_wave(tmp_path_factory):
    """A third phase, after the final one, with no survey wave, interviews or assessments."""
    target = tmp_path_factory.mktemp("odd") / "data"
    shutil.copytree(DEMO, target)
    path = target / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- id: final\n  cutoff: 2024-12-31\n", "- id: final\n  cutoff: 2024-12-31\n"
                                 "- id: followup\n  cutoff: 2025-12-31\n  name_nb: Oppfølging\n"
                                 "  name_en: Follow-up\n"), encoding="utf-8")
    assert validate(target) == []
    return target


def test_a_phase_without_a_survey_wave_gets_its_reports(phase_without_wave):
    assert "<h1" in pilot_report(phase_without_wave, "narvik", "followup")
    assert "<h1" in synthesis_report(phase_without_wave, "followup")


LABEL = "Koster $5 og $10 <b>per</b> dag"


@pytest.fixture(scope="module")
def dollar_labels(tmp_path_factory):
    """An item text, a theme label and a survey index label with ``$`` pairs and markup."""
    target = tmp_path_factory.mktemp("odd") / "data"
    shutil.copytree(DEMO, target)
    items = pd.read_csv(target / "survey/items.csv", dtype=str, keep_default_na=False)
    items.loc[0, "text_nb"] = LABEL
    items.to_csv(target / "survey/items.csv", index=False)
    path = target / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("label_nb: Samarbeid på tvers\n", "label_nb: 'Samarbeid $\\x$ på tvers'\n", 1)
    text = text.replace("label_nb: Samarbeid på tvers av etater\n", "label_nb: 'Samarbeid $_$ etater'\n", 1)
    path.write_text(text, encoding="utf-8")
    assert validate(target) == []
    return target


def test_dollar_signs_and_markup_in_labels_reach_the_report_as_text(dollar_labels):
    page = pilot_report(dollar_labels, "stad", "midterm")
    assert html.escape(LABEL, quote=False) in page  # the item table: escaped, dollar signs kept
    assert "<b>per</b>" not in page
    assert "Samarbeid $\\x$ på tvers" in page


def test_dollar_signs_in_labels_do_not_stop_the_synthesis(dollar_labels):
    assert "Samarbeid $_$ etater" in synthesis_report(dollar_labels, "midterm")
