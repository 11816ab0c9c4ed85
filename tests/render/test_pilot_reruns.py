"""Per-pilot incremental reruns of the real reports are sound: a report that is skipped is the
report a fresh render would make.

The reference is an independent path: a forced render of the skipped reports from the changed
data into an empty folder. The changed data change another pilot's rows in every file that has
them, move them before the first pilot's rows, and shrink that pilot's 2022 survey wave below
the anonymity threshold, so that the disclosure plan hides it and the synthesis' total over the
pilots (:func:`tests.render.helpers.change_every_file_of`). A skipped report's page may differ
from the fresh one only in run metadata: the run time and, in the provenance appendix, the
SHA-256 of the files whose bytes changed (a skipped report names the files it was made from).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evaluation.render.jobs import plan_reports
from evaluation.render import check_data, render_reports

from .helpers import change_every_file_of, edit_response, sha256

RUN_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")
PHASES = ["midterm", "final"]
PILOTS = ["stad", "orkland"]
CHANGED_FILES = ["survey/population.csv", "survey/responses.csv", "interviews/interviews.csv",
                 "interviews/segments.csv", "indicators/observations.csv", "milestones.csv", "assessments.csv",
                 "narratives/orkland-final.nb.md"]


def render(data_dir: Path, out: Path, *, pilots=PILOTS, **options):
    """What the command line does (HTML only): check the data, then render."""
    checked = check_data(data_dir, out=out)
    jobs = plan_reports(phases=PHASES, pilots=pilots)
    summary = render_reports(jobs, data_dir=data_dir, out=out, inputs=checked.inputs, validated=checked.validated,
                             progress=lambda line: None, **options)
    assert not summary.failures, [f.error for f in summary.failures]
    return summary


def names(reports) -> set:
    return {report.job.name for report in reports}


def recorded(out: Path, name: str) -> dict:
    """What the manifest says a report sees: per file its view, and the derived digests."""
    inputs = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][name]["inputs"]
    return {"views": {rel: item["view"] for rel, item in inputs["data"].items()}, "derived": inputs["derived"]}


@pytest.fixture(scope="module")
def reruns(tmp_path_factory) -> dict:
    """The demo's Stad and Orkland reports and the syntheses, rendered; then rendered again after
    one Stad answer of 2024 changed, after one of 2022 changed, and after Orkland's rows changed
    in every file (:func:`change_every_file_of`). Then Stad's reports rendered afresh from the
    final data into an empty folder, as the reference."""
    import shutil

    from conftest import DEMO

    root = tmp_path_factory.mktemp("pilot-reruns")
    data, out = root / "data", root / "out"
    shutil.copytree(DEMO, data)
    runs = {"first": render(data, out)}
    edit_response(data, pilot="stad", year="2024")
    runs["stad 2024"] = render(data, out)
    edit_response(data, pilot="stad", year="2022")
    runs["stad 2022"] = render(data, out)
    stad = {name: recorded(out, name) for name in ("midterm/stad", "final/stad")}
    before_bytes = {rel: sha256(data / rel) for rel in CHANGED_FILES}
    change_every_file_of(data, "orkland")
    runs["orkland"] = render(data, out)
    runs["fresh"] = render(data, root / "fresh", pilots=["stad"], force=True)
    return {"runs": runs, "data": data, "out": out, "fresh": root / "fresh", "stad": stad,
            "before_bytes": before_bytes}


@pytest.mark.notebook
def test_one_pilots_answer_re_renders_exactly_the_reports_that_read_it(reruns):
    """The targets of the per-pilot rerun: one Stad answer of 2024 re-renders Stad's final
    report and the final synthesis; one of 2022 both of Stad's reports and both syntheses."""
    runs = reruns["runs"]
    assert len(runs["first"].rendered) == 6
    assert names(runs["stad 2024"].rendered) == {"final/stad", "final/synthesis"}
    assert {r.reason for r in runs["stad 2024"].rendered} == {"data changed: survey/responses.csv"}
    assert names(runs["stad 2022"].rendered) == {"midterm/stad", "final/stad", "midterm/synthesis",
                                                 "final/synthesis"}
    assert names(runs["stad 2022"].skipped) == {"midterm/orkland", "final/orkland"}


@pytest.mark.notebook
def test_another_pilots_new_data_leave_a_pilot_report_as_a_fresh_render_makes_it(reruns):
    runs, data, out = reruns["runs"], reruns["data"], reruns["out"]
    assert names(runs["orkland"].rendered) == {"midterm/orkland", "final/orkland", "midterm/synthesis",
                                               "final/synthesis"}
    assert names(runs["orkland"].skipped) == {"midterm/stad", "final/stad"}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, seen in reruns["stad"].items():  # Stad's digests stay; the new bytes are noted
        assert recorded(out, name) == seen
        assert manifest["reports"][name]["inputs"]["data"]["survey/responses.csv"]["sha256"] == sha256(
            data / "survey/responses.csv")
    assert {"midterm/stad", "final/stad"} <= names(runs["fresh"].rendered)
    for phase in PHASES:
        kept = (out / phase / "stad.html").read_text(encoding="utf-8")
        made = (reruns["fresh"] / phase / "stad.html").read_text(encoding="utf-8")
        for rel, old in reruns["before_bytes"].items():  # the provenance names the bytes each was made from
            new = sha256(data / rel)
            if f">{rel}<" in kept:
                assert old in kept and new in made and old != new
                kept = kept.replace(old, new)
        assert RUN_TIME.sub("<run time>", kept) == RUN_TIME.sub("<run time>", made)
