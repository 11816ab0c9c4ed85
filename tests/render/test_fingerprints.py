"""What a report is built from: digests, report views, and the up-to-date decision.

A report of a phase reads the data dated on or before the phase's cut-off in programme.yaml
(midterm 2022-12-31, final 2024-12-31); a pilot report reads its own pilot's rows, the shared
files whole and its own narratives, the synthesis every pilot (data/README.md, the report
chapters). Digests are checked against hashlib run directly on the files' bytes.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from evaluation.render.fingerprints import (NOT_READ_BY_REPORT, NOT_READ_IN_PHASE, RenderInputs, ReportView,
                                            changed_in_view, data_file_digests, disclosure_digest, notebook_digest,
                                            report_inputs, report_views, up_to_date)
from evaluation.render.jobs import ReportJob

from .helpers import change_every_file_of, edit_response, rewrite_csv, sha256

PHASES = ["midterm", "final"]


# --------------------------------------------------------------------------------------------
# Up-to-date decisions (no notebook runs)
# --------------------------------------------------------------------------------------------

JOB = ReportJob("pilot_report", "midterm", "stad")


@pytest.fixture
def built(tmp_path):
    """An output folder holding one built report, its manifest entry and the inputs it used."""
    out = tmp_path / "out"
    JOB.html_path(out).parent.mkdir(parents=True)
    JOB.html_path(out).write_text("<html></html>", encoding="utf-8")
    inputs = RenderInputs(data_dir=tmp_path / "data", data={"a.csv": "1" * 64, "b.csv": "2" * 64},
                          input_files=("a.csv", "b.csv"), source="s" * 64, environment="e" * 64,
                          notebooks={"pilot_report": "n" * 64})
    view = ReportView({"a.csv": "va", "b.csv": "vb"}, {"disclosure": "d"})
    entry = {"html": "midterm/stad.html", "inputs": report_inputs(JOB, inputs, view)}
    return out, inputs, entry


def changed(inputs: RenderInputs, **fields) -> RenderInputs:
    values = {name: getattr(inputs, name) for name in RenderInputs.__dataclass_fields__}
    values.update(fields)
    return RenderInputs(**values)


def test_a_report_whose_inputs_are_all_unchanged_is_up_to_date(built):
    out, inputs, entry = built
    assert up_to_date(JOB, entry, inputs, out) == ("skip", None)


@pytest.mark.parametrize("change, reason", [
    (lambda i: changed(i, notebooks={"pilot_report": "m" * 64}), "notebook changed"),
    (lambda i: changed(i, source="t" * 64), "package source changed"),
    (lambda i: changed(i, environment="f" * 64), "software versions changed"),
    (lambda i: changed(i, data_dir=i.data_dir.parent / "other"), "parameters changed"),
    (lambda i: changed(i, input_files=("a.csv", "b.csv", "c.csv")), "data files added: c.csv"),
    (lambda i: changed(i, input_files=("a.csv",)), "data files removed: b.csv"),
])
def test_a_change_to_any_input_makes_the_report_stale(built, change, reason):
    out, inputs, entry = built
    assert up_to_date(JOB, entry, change(inputs), out) == ("render", reason)


def test_a_report_in_another_language_is_stale_for_its_language(built):
    out, inputs, entry = built
    entry["inputs"]["parameters"]["lang"] = "en"
    assert up_to_date(JOB, entry, inputs, out) == ("render", "language changed")


def test_changed_data_bytes_leave_the_decision_to_the_phase_view(built):
    out, inputs, entry = built
    assert up_to_date(JOB, entry, changed(inputs, data={"a.csv": "1" * 64, "b.csv": "9" * 64}), out) == (
        "check", ["b.csv"])


def test_a_missing_report_file_an_old_manifest_or_a_failed_last_run_means_render(built):
    out, inputs, entry = built
    assert up_to_date(JOB, None, inputs, out) == ("render", "new")
    assert up_to_date(JOB, {"html": "midterm/stad.html", "data_version": "x"}, inputs, out) == ("render", "new")
    JOB.failed_path(out).write_text("{}", encoding="utf-8")
    assert up_to_date(JOB, entry, inputs, out) == ("render", "last run failed")
    JOB.failed_path(out).unlink()
    JOB.html_path(out).unlink()
    assert up_to_date(JOB, entry, inputs, out) == ("render", "report file missing")


# --------------------------------------------------------------------------------------------
# Fingerprints
# --------------------------------------------------------------------------------------------


def test_data_digests_are_the_sha256_of_every_file_and_skip_hidden_ones(demo_copy):
    (demo_copy / ".DS_Store").write_bytes(b"junk")
    digests = data_file_digests(demo_copy)
    expected = {}
    for root, _dirs, files in os.walk(demo_copy):
        for name in files:
            if not name.startswith("."):
                path = Path(root) / name
                expected[path.relative_to(demo_copy).as_posix()] = sha256(path)
    assert digests == expected
    assert "survey/responses.csv" in digests and ".DS_Store" not in digests


def test_notebook_digest_follows_the_code_and_tags_not_the_outputs(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("# Title")]
    path = tmp_path / "a.ipynb"
    nbformat.write(nb, path)
    before = notebook_digest(path)
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells[0].execution_count = 7
    nbformat.write(nb, path)
    assert notebook_digest(path) == before
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)
    tagged = notebook_digest(path)
    nb.cells[0].source = "x = 2"
    nbformat.write(nb, path)
    assert len({before, tagged, notebook_digest(path)}) == 3


def test_the_view_decides_which_changed_files_matter_and_the_disclosure_decisions_count_too(built):
    _out, _inputs, entry = built
    recorded = entry["inputs"]
    same = ReportView({"a.csv": "va", "b.csv": "vb"}, {"disclosure": "d"})
    assert changed_in_view(recorded, same, ["b.csv"]) == []
    assert changed_in_view(recorded, ReportView({"a.csv": "va", "b.csv": "vX"}, {"disclosure": "d"}),
                           ["b.csv"]) == ["b.csv"]
    # Another pilot's rows changed a decision about this report's cells: rendered, though its
    # own rows are the same.
    assert changed_in_view(recorded, ReportView({"a.csv": "va", "b.csv": "vb"}, {"disclosure": "e"}),
                           ["b.csv"]) == ["disclosure"]
    # An entry of schema 2 (a view of the whole phase, no disclosure digest) is not trusted.
    del recorded["derived"]
    assert changed_in_view(recorded, same, ["b.csv"]) == ["disclosure"]


# --------------------------------------------------------------------------------------------
# Report views of the demo data
# --------------------------------------------------------------------------------------------

FILES = ["survey/responses.csv", "survey/population.csv", "survey/items.csv", "interviews/interviews.csv",
         "interviews/segments.csv", "interviews/codebook.csv", "indicators/observations.csv", "milestones.csv",
         "assessments.csv", "programme.yaml", "narratives/stad-final.nb.md", "narratives/stad-midterm.nb.md",
         "narratives/orkland-final.nb.md", "narratives/synthesis-final.en.md"]
SUBJECTS = ["stad", "orkland", None]
REPORTS = {(phase, subject) for phase in PHASES for subject in SUBJECTS}


def views(data_dir: Path) -> dict:
    """(phase, subject) -> ReportView of every report of the demo's two phases."""
    return {(phase, subject): view for phase in PHASES
            for subject, view in report_views(data_dir, phase, FILES, SUBJECTS).items()}


def changed_reports(before: dict, after: dict) -> set:
    return {key for key in before if before[key] != after[key]}


def test_a_pilots_answer_after_the_midterm_cut_off_is_seen_by_its_final_report_and_the_synthesis(demo_copy):
    before = views(demo_copy)
    edit_response(demo_copy, pilot="stad", year="2024")
    after = views(demo_copy)
    assert changed_reports(before, after) == {("final", "stad"), ("final", None)}
    assert after[("final", "stad")].files["survey/responses.csv"] != before[("final", "stad")].files[
        "survey/responses.csv"]
    changed = {rel for rel in FILES if after[("final", "stad")].files[rel] != before[("final", "stad")].files[rel]}
    assert changed == {"survey/responses.csv"}


def test_a_pilots_answer_before_the_midterm_cut_off_is_seen_by_its_reports_and_both_syntheses(demo_copy):
    before = views(demo_copy)
    edit_response(demo_copy, pilot="stad", year="2022")
    assert changed_reports(before, views(demo_copy)) == {(phase, subject) for phase in PHASES
                                                         for subject in ("stad", None)}


def test_other_pilots_rows_in_every_table_are_not_seen_by_a_pilot_report(demo_copy):
    """Orkland's rows change in every file with pilot rows (and its interviews' segments, its
    narrative), move before Stad's, and its 2022 wave shrinks below the anonymity threshold, so
    that the disclosure plan hides it and the synthesis' 2022 total over the pilots."""
    before = views(demo_copy)
    change_every_file_of(demo_copy, "orkland")
    after = views(demo_copy)
    assert changed_reports(before, after) == {(phase, subject) for phase in PHASES for subject in ("orkland", None)}
    for phase in PHASES:  # the synthesis' disclosure decisions changed, Stad's did not
        assert after[(phase, None)].derived != before[(phase, None)].derived
        assert after[(phase, "stad")].derived == before[(phase, "stad")].derived
    assert after[("final", "stad")].files["narratives/orkland-final.nb.md"] == NOT_READ_BY_REPORT


def test_a_shared_file_is_seen_by_every_report(demo_copy):
    before = views(demo_copy)

    def reword_first_item(header, rows):
        rows[0][header.index("text_en")] += " (reworded)"
    rewrite_csv(demo_copy / "survey/items.csv", reword_first_item)
    after_items = views(demo_copy)
    assert changed_reports(before, after_items) == REPORTS

    def relabel_first_code(header, rows):
        rows[0][header.index("label_en")] += " (relabelled)"
    rewrite_csv(demo_copy / "interviews/codebook.csv", relabel_first_code)
    assert changed_reports(after_items, views(demo_copy)) == REPORTS


def test_a_pilot_report_reads_only_its_own_narratives_of_its_phase(demo_copy):
    seen = views(demo_copy)
    stad_midterm, stad_final, synthesis = seen[("midterm", "stad")], seen[("final", "stad")], seen[("final", None)]
    assert stad_midterm.files["narratives/stad-final.nb.md"] == NOT_READ_IN_PHASE
    assert stad_midterm.files["narratives/synthesis-final.en.md"] == NOT_READ_IN_PHASE
    assert stad_midterm.files["narratives/stad-midterm.nb.md"] == "file:" + sha256(
        demo_copy / "narratives/stad-midterm.nb.md")
    assert stad_final.files["narratives/stad-midterm.nb.md"] == NOT_READ_BY_REPORT
    assert stad_final.files["narratives/synthesis-final.en.md"] == NOT_READ_BY_REPORT
    assert stad_final.files["narratives/stad-final.nb.md"] == "file:" + sha256(
        demo_copy / "narratives/stad-final.nb.md")
    assert synthesis.files["narratives/orkland-final.nb.md"] == "file:" + sha256(
        demo_copy / "narratives/orkland-final.nb.md")
    assert stad_final.files["programme.yaml"] == "file:" + sha256(demo_copy / "programme.yaml")


def test_the_disclosure_digest_covers_exactly_the_decisions_about_the_reports_pilot():
    """Without complementary suppression (the test-only negative control) the plan hides fewer
    agencies of every demo pilot. A plan whose other pilots' cells are those of the unsafe plan
    gives a pilot the same digest; its own cells changed give it another. The synthesis'
    digest covers every decision."""
    from evaluation.contract import load_data
    from evaluation.disclosure import disclosure_plan

    data = load_data(phase="midterm")
    safe = disclosure_plan(data.responses, data.items, data.population, threshold=5)
    unsafe = disclosure_plan(data.responses, data.items, data.population, threshold=5, complementary=False)
    differ = {pilot for pilot in data.programme.pilot_ids if not safe.cells[safe.cells["pilot"] == pilot]
              .reset_index(drop=True).equals(unsafe.cells[unsafe.cells["pilot"] == pilot].reset_index(drop=True))}
    assert differ  # the demo's pilots all have a small agency
    for pilot in data.programme.pilot_ids:
        # complementary=False is part of every digest; compare the cells alone through a plan
        # that differs from `safe` only in the other pilots' cells.
        mixed = replace(safe, cells=pd.concat([safe.cells[safe.cells["pilot"] == pilot],
                                               unsafe.cells[unsafe.cells["pilot"] != pilot]]))
        assert disclosure_digest(mixed, pilot) == disclosure_digest(safe, pilot)
        assert (disclosure_digest(mixed, None) == disclosure_digest(safe, None)) == (differ <= {pilot})
    for pilot in differ:
        mixed = replace(safe, cells=pd.concat([unsafe.cells[unsafe.cells["pilot"] == pilot],
                                               safe.cells[safe.cells["pilot"] != pilot]]))
        assert disclosure_digest(mixed, pilot) != disclosure_digest(safe, pilot)


def test_a_pilots_view_of_a_table_is_the_digest_of_the_rows_the_reports_select_for_it(demo_copy):
    """The reports select a pilot's rows with EvaluationData.for_pilot (segments by their
    interview's pilot); the view digests exactly those rows, from hashes of the whole table."""
    from evaluation.contract import load_data
    from evaluation.render.fingerprints import _frame_digest

    tables = {"survey/responses.csv": "responses", "survey/population.csv": "population",
              "interviews/interviews.csv": "interviews", "interviews/segments.csv": "segments",
              "indicators/observations.csv": "observations", "milestones.csv": "milestones",
              "assessments.csv": "assessments"}
    data = load_data(demo_copy, phase="final")
    seen = report_views(demo_copy, "final", list(tables), data.programme.pilot_ids)
    for pilot in data.programme.pilot_ids:
        for rel, name in tables.items():
            rows = data.for_pilot(name, pilot)
            assert 0 < len(rows) < len(getattr(data, name))
            assert seen[pilot].files[rel] == f"rows of {pilot}:" + _frame_digest(rows)
