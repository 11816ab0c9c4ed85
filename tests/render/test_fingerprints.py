"""What a report is built from: digests, phase views, and the up-to-date decision.

A report of a phase reads the data dated on or before the phase's cut-off in programme.yaml
(midterm 2022-12-31, final 2024-12-31), and every report reads every contract file
(data/README.md). Digests are checked against hashlib run directly on the files' bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from evaluation.render.fingerprints import (RenderInputs, data_file_digests, notebook_digest, phase_view_digests,
                                            report_inputs, up_to_date)
from evaluation.render.jobs import ReportJob

from .helpers import edit_response, sha256

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
    entry = {"html": "midterm/stad.html", "inputs": report_inputs(JOB, inputs, {"a.csv": "va", "b.csv": "vb"})}
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


FILES = ["survey/responses.csv", "survey/items.csv", "programme.yaml", "narratives/stad-final.nb.md",
         "narratives/stad-midterm.nb.md", "narratives/synthesis-final.en.md"]


def test_a_response_after_the_midterm_cut_off_changes_only_the_final_view(demo_copy):
    before = {phase: phase_view_digests(demo_copy, phase, FILES) for phase in PHASES}
    edit_response(demo_copy, pilot="stad", year="2024")
    after = {phase: phase_view_digests(demo_copy, phase, FILES) for phase in PHASES}
    assert after["midterm"] == before["midterm"]
    assert after["final"]["survey/responses.csv"] != before["final"]["survey/responses.csv"]
    assert {f: v for f, v in after["final"].items() if f != "survey/responses.csv"} == {
        f: v for f, v in before["final"].items() if f != "survey/responses.csv"}


def test_a_response_before_the_midterm_cut_off_changes_both_views(demo_copy):
    before = {phase: phase_view_digests(demo_copy, phase, FILES) for phase in PHASES}
    edit_response(demo_copy, pilot="stad", year="2022")
    after = {phase: phase_view_digests(demo_copy, phase, FILES) for phase in PHASES}
    for phase in PHASES:
        assert after[phase]["survey/responses.csv"] != before[phase]["survey/responses.csv"]


def test_a_final_narrative_is_not_read_by_the_midterm_phase(demo_copy):
    views = phase_view_digests(demo_copy, "midterm", FILES)
    assert views["narratives/stad-final.nb.md"] == "not read in this phase"
    assert views["narratives/synthesis-final.en.md"] == "not read in this phase"
    assert views["narratives/stad-midterm.nb.md"] == "file:" + sha256(demo_copy / "narratives/stad-midterm.nb.md")
    assert views["programme.yaml"] == "file:" + sha256(demo_copy / "programme.yaml")
