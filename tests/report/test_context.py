"""The report context binds data, pilot, phase, language and threshold once for every chapter."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.errors import EvaluationError
from evaluation.goals import goal_attainment
from evaluation.report import ReportContext, open_report


@pytest.fixture(scope="module")
def midterm_data():
    return load_data(DEMO, phase="midterm")


def test_context_binds_language_and_the_programmes_threshold(midterm_data):
    ctx = ReportContext(midterm_data, pilot="stad", phase="midterm", lang="en")
    assert ctx.lang == "en"
    assert ctx.threshold == midterm_data.programme.anonymity_threshold == 5
    assert ctx.t("status.on_track") == "On track"
    assert ctx.t("suppressed_note", threshold=ctx.threshold) == "fewer than 5 responses"
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.lang = "nb"


def test_formatters_give_a_decimal_comma_and_norwegian_dates_in_bokmal(midterm_data):
    ctx = ReportContext(midterm_data, pilot="stad", phase="midterm")
    assert ctx.lang == "nb"
    assert ctx.number(1234.567, decimals=2) == "1\u00a0234,57"
    assert ctx.number(-0.25, decimals=2) == "\u22120,25"
    assert ctx.number(None) == "–"
    assert ctx.percent(0.625, decimals=1) == "62,5\u00a0%"
    assert ctx.date(dt.date(2022, 12, 31)) == "31. desember 2022"
    assert ctx.pick({"text_nb": "tekst", "text_en": ""}, "text") == "tekst"
    assert ctx.status("on_track") == "I rute ▲" and ctx.status(None) == "–"


def test_formatters_follow_english_conventions_in_english(midterm_data):
    ctx = ReportContext(midterm_data, pilot="stad", phase="midterm", lang="en")
    assert ctx.number(1234.567, decimals=2) == "1,234.57"
    assert ctx.percent(0.625, decimals=1) == "62.5%"
    assert ctx.date(dt.date(2022, 12, 31)) == "31 December 2022"
    assert ctx.pick({"text_nb": "tekst", "text_en": "text"}, "text") == "text"


def test_an_unknown_pilot_phase_or_language_is_refused(midterm_data):
    with pytest.raises(EvaluationError, match="unknown pilot 'oslo'"):
        ReportContext(midterm_data, pilot="oslo", phase="midterm")
    with pytest.raises(EvaluationError, match="unknown language"):
        ReportContext(midterm_data, pilot="stad", phase="midterm", lang="de")
    with pytest.raises(EvaluationError, match="cut to phase 'midterm'"):
        ReportContext(midterm_data, pilot="stad", phase="final")


def test_goal_attainment_is_computed_once_per_report_for_its_pilot(midterm_data):
    ctx = ReportContext(midterm_data, pilot="orkland", phase="midterm")
    assert ctx.attainment is ctx.attainment
    anew = goal_attainment(midterm_data, phase="midterm", threshold=5, pilots=["orkland"])
    pd.testing.assert_frame_equal(ctx.attainment.overview, anew.overview)
    synthesis = ReportContext(midterm_data, pilot=None, phase="midterm")
    assert set(synthesis.attainment.overview["pilot"]) == set(midterm_data.programme.pilot_ids)


def test_open_report_loads_the_phase_and_records_the_parameters():
    ctx = open_report(DEMO, pilot="all", phase="midterm", lang="en")
    assert ctx.pilot is None and ctx.data.phase == "midterm"
    assert ctx.parameters == {"pilot": "all", "phase": "midterm", "lang": "en",
                              "data_dir": DEMO.resolve().name}
    assert ctx.pilot_name == ctx.programme.name_en


def test_the_narrative_is_the_reports_own_in_its_language(midterm_data):
    ctx = ReportContext(midterm_data, pilot="stad", phase="midterm", lang="en")
    assert ctx.narrative() is midterm_data.narratives[("stad", "midterm", "en")]
    synthesis = ReportContext(midterm_data, pilot=None, phase="midterm")
    assert synthesis.narrative() is midterm_data.narratives[("synthesis", "midterm", "nb")]
    assert synthesis.narrative("stad") is midterm_data.narratives[("stad", "midterm", "nb")]


def test_an_english_report_falls_back_to_the_bokmal_narrative(demo_copy):
    (demo_copy / "narratives/orkland-final.en.md").unlink()
    data = load_data(demo_copy, phase="final")
    ctx = ReportContext(data, pilot="orkland", phase="final", lang="en")
    assert ctx.narrative() is data.narratives[("orkland", "final", "nb")]
    assert ctx.narrative().lang == "nb"
    assert ReportContext(data, pilot="stad", phase="final", lang="en").narrative().lang == "en"


def test_a_pilot_without_a_narrative_has_none(demo_copy):
    for lang in ("nb", "en"):
        (demo_copy / f"narratives/narvik-midterm.{lang}.md").unlink()
    data = load_data(demo_copy, phase="midterm")
    assert ReportContext(data, pilot="narvik", phase="midterm", lang="en").narrative() is None


def test_a_report_reads_the_narratives_of_its_own_pilot_and_phase(midterm_data):
    names = {path.name for path in ReportContext(midterm_data, pilot="stad", phase="midterm").input_files
             if path.parent.name == "narratives"}
    assert names == {"stad-midterm.nb.md", "stad-midterm.en.md"}
    synthesis = {path.name for path in ReportContext(midterm_data, pilot=None, phase="midterm").input_files
                 if path.parent.name == "narratives"}
    assert synthesis == {f"{subject}-midterm.{lang}.md" for lang in ("nb", "en")
                         for subject in ("stad", "orkland", "narvik", "lyngdal", "synthesis")}
