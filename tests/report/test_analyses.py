"""The analyses a phase's reports share are computed once, and give the same reports as computing
them in each report.

The reference is a report made with nothing shared (an empty store, as in a fresh kernel or
JupyterLab): the same notebook cells, run in this process (``tests/inline_report.py``). The shared
path is the one a render's warm process takes before it forks a report's kernel:
:func:`evaluation.report.analyses.prepare`, then the notebook.
"""

from __future__ import annotations

import dataclasses
import re
import shutil

import pandas as pd
import pytest

from conftest import DEMO
from evaluation import survey
from evaluation.contract import load_data
from evaluation.errors import DataContractError
from evaluation.goals import goal_attainment
from evaluation.report import analyses as shared_store
from evaluation.report import context as report_context
from evaluation.report import open_report
from evaluation.contract.loaded import LoadedFolder, data_digest, load_folder
from evaluation.report.analyses import PhaseAnalyses, prepare, shared_analyses
from evaluation.render.warm import _prepare_analyses
from inline_report import pilot_report, synthesis_report

RUN_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")


def without_run_time(page: str) -> str:
    """A report with its run timestamp (provenance appendix) blanked out: the one part that differs."""
    assert len(RUN_TIME.findall(page)) == 1
    return RUN_TIME.sub("<run time>", page)


@pytest.fixture(autouse=True)
def empty_store():
    """Every test starts, and leaves, with nothing shared in this process."""
    shared_store._SHARED.clear()
    yield
    shared_store._SHARED.clear()


@pytest.fixture
def no_loading_in_the_report(monkeypatch):
    """The report may not load the data itself: it must take the shared data."""
    def refuse(*args, **kwargs):
        raise AssertionError("the report loaded the data itself")

    monkeypatch.setattr(report_context, "load_data", refuse)


@pytest.fixture
def comparison_calls(monkeypatch) -> list:
    """The ``weighted`` argument of every call to :func:`evaluation.survey.compare_waves`."""
    calls: list = []
    real = survey.compare_waves

    def counting(*args, **kwargs):
        calls.append(kwargs["weighted"])
        return real(*args, **kwargs)

    monkeypatch.setattr(survey, "compare_waves", counting)
    return calls


def edit_one_answer(data_dir) -> None:
    """Change one survey answer (the last respondent's first item between 2 and 4) in place."""
    path = data_dir / "survey/responses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    item = header.index("Q01")
    for position in range(len(lines) - 1, 0, -1):
        cells = lines[position].split(",")
        if cells[item] in ("2", "3"):
            cells[item] = "3" if cells[item] == "2" else "2"
            lines[position] = ",".join(cells)
            break
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------
# The same reports
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("pilot", "phase"), [("stad", "final"), (None, "final"), ("orkland", "midterm")],
                         ids=["stad-final", "synthesis-final", "orkland-midterm"])
def test_a_report_made_from_shared_analyses_is_the_report_made_without(pilot, phase, monkeypatch):
    def report() -> str:
        if pilot is None:
            return synthesis_report(DEMO, phase)
        return pilot_report(DEMO, pilot, phase)

    alone = report()
    for other in ("stad", "narvik", None):  # the warm process prepares the reports in render order
        assert prepare(str(DEMO), phase=phase, pilot=other) is not None
    monkeypatch.setattr(report_context, "load_data", lambda *a, **k: pytest.fail("loaded the data again"))
    shared = report()
    assert without_run_time(shared) == without_run_time(alone)


def test_the_shared_analyses_are_those_a_report_computes_for_itself():
    prepared = prepare(str(DEMO), phase="final", pilot="stad")
    alone = PhaseAnalyses(load_data(DEMO, phase="final"))
    pd.testing.assert_frame_equal(prepared.comparison("stad", weighted=True), alone.comparison("stad", weighted=True))
    for pilots, phase in [(("stad",), "final"), (("stad",), "midterm"), (None, "final")]:
        for frame in ("tracking", "indicators", "milestones", "evidence", "overview"):
            pd.testing.assert_frame_equal(getattr(prepared.attainment(pilots, phase=phase), frame),
                                          getattr(alone.attainment(pilots, phase=phase), frame))


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_goal_attainment_with_the_chapters_comparisons_equals_goal_attainment_computing_its_own(phase):
    data = load_data(DEMO, phase=phase)
    analyses = PhaseAnalyses(data)
    own = goal_attainment(data, phase=phase, threshold=analyses.threshold, plan=analyses.plan)
    given = goal_attainment(data, phase=phase, threshold=analyses.threshold, plan=analyses.plan,
                            comparisons=lambda pilot: analyses.comparison(pilot, weighted=True))
    for frame in ("tracking", "indicators", "milestones", "evidence", "overview"):
        pd.testing.assert_frame_equal(getattr(given, frame), getattr(own, frame))


# --------------------------------------------------------------------------------------------
# Computed once
# --------------------------------------------------------------------------------------------


def test_one_report_compares_the_survey_waves_once_per_weighting_and_cut(comparison_calls):
    pilot_report(DEMO, "stad", "final")
    # weighted up to the final cut-off (survey chapter, key findings, sensitivity appendix and the
    # survey evidence of goal attainment share it), unweighted (sensitivity appendix), and weighted
    # up to the midterm cut-off (goal attainment at midterm, for the status change since then)
    assert sorted(comparison_calls) == [False, True, True]


def test_a_report_with_shared_analyses_compares_only_what_no_other_report_needs(comparison_calls,
                                                                               no_loading_in_the_report):
    prepare(str(DEMO), phase="final", pilot="stad")
    assert sorted(comparison_calls) == [True, True]  # final and midterm cut-off, weighted
    comparison_calls.clear()
    pilot_report(DEMO, "stad", "final")
    assert comparison_calls == [False]  # the sensitivity appendix's unweighted comparison


def test_the_synthesis_reuses_the_pilots_comparisons_the_warm_process_kept(comparison_calls):
    pilots = load_data(DEMO).programme.pilot_ids
    for pilot in pilots:
        prepare(str(DEMO), phase="final", pilot=pilot)
    comparison_calls.clear()
    prepare(str(DEMO), phase="final", pilot=None)
    assert comparison_calls == []


def test_the_warm_process_reads_and_validates_the_folder_once_for_every_report(monkeypatch):
    from evaluation.contract import loading

    programme = load_data(DEMO).programme
    checks: list = []
    real = loading.check_folder
    monkeypatch.setattr(loading, "check_folder", lambda folder: checks.append(folder) or real(folder))
    for phase in programme.phases:
        for pilot in [*programme.pilot_ids, None]:
            assert prepare(str(DEMO), phase=phase, pilot=pilot) is not None
    assert len(checks) == 1


def assert_same_data(got, expected) -> None:
    """Two :class:`EvaluationData` alike: every frame, the programme, narratives and paths."""
    from evaluation.contract.loading import _FRAMES

    for name in _FRAMES:
        pd.testing.assert_frame_equal(getattr(got, name), getattr(expected, name), obj=name)
    assert (got.data_dir, got.phase, got.cutoff, got.input_files) == (
        expected.data_dir, expected.phase, expected.cutoff, expected.input_files)
    assert got.narratives == expected.narratives
    for field in dataclasses.fields(expected.programme):
        value, other = getattr(got.programme, field.name), getattr(expected.programme, field.name)
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, other, obj=f"programme.{field.name}")
        else:
            assert value == other, field.name


@pytest.fixture
def no_validation(monkeypatch) -> None:
    """Reading and validating a data folder fails the test."""
    from evaluation.contract import loading

    monkeypatch.setattr(loading, "check_folder", lambda folder: pytest.fail(f"validated {folder} again"))


def test_the_warm_process_takes_the_folder_the_render_loaded_instead_of_reading_it_again(tmp_path, monkeypatch):
    saved = load_folder(DEMO).save(tmp_path / "loaded.pickle")
    phases = load_data(DEMO).programme.phases
    expected = {phase: load_data(DEMO, phase=phase) for phase in phases}
    from evaluation.contract import loading

    monkeypatch.setattr(loading, "check_folder", lambda folder: pytest.fail(f"validated {folder} again"))
    for phase in phases:
        analyses = prepare(str(DEMO), phase=phase, pilot="stad", loaded=saved)
        assert analyses is not None
        assert_same_data(analyses.data, expected[phase])


def test_a_report_made_from_the_loaded_folder_is_the_report_made_without(tmp_path, monkeypatch):
    alone = pilot_report(DEMO, "stad", "final")
    saved = load_folder(DEMO).save(tmp_path / "loaded.pickle")
    from evaluation.contract import loading

    monkeypatch.setattr(loading, "check_folder", lambda folder: pytest.fail(f"validated {folder} again"))
    assert prepare(str(DEMO), phase="final", pilot="stad", loaded=saved) is not None
    monkeypatch.setattr(report_context, "load_data", lambda *a, **k: pytest.fail("loaded the data again"))
    assert without_run_time(pilot_report(DEMO, "stad", "final")) == without_run_time(alone)


def test_a_loaded_folder_whose_files_changed_since_is_not_used(demo_copy, tmp_path):
    saved = load_folder(demo_copy).save(tmp_path / "loaded.pickle")
    edit_one_answer(demo_copy)
    analyses = prepare(str(demo_copy), phase="final", pilot="stad", loaded=saved)
    assert_same_data(analyses.data, load_data(demo_copy, phase="final"))
    assert not LoadedFolder.read(saved).is_current()


def test_a_loaded_folder_of_the_same_bytes_elsewhere_is_not_used(demo_copy, tmp_path):
    saved = load_folder(DEMO).save(tmp_path / "loaded.pickle")
    assert data_digest(demo_copy) == data_digest(DEMO)
    analyses = prepare(str(demo_copy), phase="final", pilot="stad", loaded=saved)
    assert_same_data(analyses.data, load_data(demo_copy, phase="final"))  # its own paths, read from its own files


def test_an_unreadable_loaded_file_means_reading_the_folder(tmp_path):
    garbage = tmp_path / "loaded.pickle"
    garbage.write_bytes(b"not a pickle")
    assert LoadedFolder.read(garbage) is None and LoadedFolder.read(tmp_path / "missing") is None
    analyses = prepare(str(DEMO), phase="final", pilot="stad", loaded=garbage)
    assert_same_data(analyses.data, load_data(DEMO, phase="final"))


def test_a_folder_loaded_by_a_relative_path_gives_the_data_of_the_absolute_one(monkeypatch):
    monkeypatch.chdir(DEMO.parent)
    relative = load_folder(DEMO.name)
    assert relative.is_current()
    assert_same_data(relative.for_folder(DEMO.resolve()), load_data(DEMO.resolve()))
    assert relative.for_folder(DEMO.parent) is None


def test_a_folder_that_changes_while_it_is_loaded_is_never_current(demo_copy, monkeypatch):
    from evaluation.contract import loading

    real = loading.check_folder

    def edit_while_reading(folder):
        result = real(folder)
        edit_one_answer(demo_copy)
        return result

    monkeypatch.setattr(loading, "check_folder", edit_while_reading)
    loaded = load_folder(demo_copy)
    assert loaded.digest == "" and not loaded.is_current()


def test_the_report_context_shares_its_analyses_between_chapters():
    ctx = open_report(DEMO, pilot="stad", phase="midterm")
    assert ctx.survey_comparisons(weighted=True) is ctx.survey_comparisons(weighted=True)
    assert ctx.attainment is ctx.attainment
    assert ctx.disclosure is ctx.analyses.plan


# --------------------------------------------------------------------------------------------
# Never stale, never hiding an error
# --------------------------------------------------------------------------------------------


def test_a_report_opened_on_its_own_computes_its_analyses_itself():
    ctx = open_report(DEMO, pilot="stad", phase="final")
    assert ctx.shared is None and shared_analyses(str(DEMO), phase="final") is None


def test_a_changed_data_folder_gets_no_stale_analyses(demo_copy):
    prepared = prepare(str(demo_copy), phase="final", pilot="stad")
    before = data_digest(demo_copy)
    edit_one_answer(demo_copy)
    assert data_digest(demo_copy) != before
    assert shared_analyses(str(demo_copy), phase="final") is None
    ctx = open_report(str(demo_copy), pilot="stad", phase="final")
    assert ctx.shared is None
    fresh = load_data(demo_copy, phase="final")
    pd.testing.assert_frame_equal(ctx.data.responses, fresh.responses)
    assert not ctx.data.responses.equals(prepared.data.responses)
    # the warm process, asked again, loads the changed folder
    again = prepare(str(demo_copy), phase="final", pilot="stad")
    assert again is not prepared and again.data.responses.equals(fresh.responses)


@pytest.mark.parametrize("change", ["a file added", "a file removed"])
def test_a_narrative_added_or_removed_changes_the_digest(demo_copy, change):
    before = data_digest(demo_copy)
    if change == "a file added":
        shutil.copy(demo_copy / "narratives/stad-final.nb.md", demo_copy / "narratives/notes.md")
    else:
        (demo_copy / "narratives/stad-final.en.md").unlink()
    assert data_digest(demo_copy) != before


def test_shared_analyses_are_kept_per_data_folder_phase_and_suppression_setting(demo_copy):
    prepare(str(DEMO), phase="final", pilot="stad")
    # the folder is loaded once for every phase: each phase has its own data and analyses
    phases = {phase: shared_analyses(str(DEMO), phase=phase) for phase in ("midterm", "final")}
    assert {phase: analyses.phase for phase, analyses in phases.items()} == {"midterm": "midterm", "final": "final"}
    assert shared_analyses(str(demo_copy), phase="final") is None  # the same bytes elsewhere: not shared
    assert shared_analyses(str(DEMO), phase="final", complementary=False) is None
    unsafe = prepare(str(DEMO), phase="final", pilot="stad", environ={"EVALUATION_UNSAFE_NO_COMPLEMENTARY": "1"})
    assert unsafe.complementary is False
    assert shared_analyses(str(DEMO), phase="final") is not unsafe


def test_a_data_error_is_reported_by_the_report_as_without_sharing(demo_copy):
    (demo_copy / "milestones.csv").write_text("not,the,contract\n", encoding="utf-8")
    with pytest.raises(DataContractError) as alone:
        open_report(str(demo_copy), pilot="stad", phase="final")
    assert prepare(str(demo_copy), phase="final", pilot="stad") is None
    with pytest.raises(DataContractError) as after:
        open_report(str(demo_copy), pilot="stad", phase="final")
    assert str(after.value) == str(alone.value)


def test_the_warm_process_prepares_the_report_a_request_names_and_survives_a_bad_request(tmp_path):
    _prepare_analyses({"argv": [], "env": {}, "prepare": {"data_dir": str(DEMO), "phase": "midterm",
                                                          "pilot": "lyngdal"}})
    assert shared_analyses(str(DEMO), phase="midterm") is not None
    _prepare_analyses({"argv": [], "env": {}, "prepare": {"data_dir": str(tmp_path), "phase": "midterm"}})
    _prepare_analyses({"argv": [], "env": {}, "prepare": "not a report"})
    assert shared_analyses(str(tmp_path), phase="midterm") is None
