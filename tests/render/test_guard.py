"""The output folder's guard (evaluation.render.guard): reports made from the demo data never
overwrite reports made from real data, nor the reverse, unless the caller asks to replace them;
and an index of demo reports says they are synthetic.

No notebook runs here: :func:`render_reports` is given no reports to render, so a refusal (or a
render that proceeds) is seen in the manifest and the index alone. The command line's exit code
is checked in tests/test_cli.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import file_digests as digests
from conftest import folder_of_reports
from evaluation.errors import OtherDataInOutputError
from evaluation.render import render_reports
from evaluation.render.guard import guard_output

DEMO_IDENTITY = {"programme": "Pilot Statens hus", "synthetic": True}
REAL_IDENTITY = {"programme": "Pilot Statens hus 2", "synthetic": False}
BANNER = "Syntetiske demodata – ikke ekte resultater"


def render_nothing(out: Path, identity: dict, **options):
    return render_reports([], data_dir=out.parent, out=out, validated={"identity": identity},
                          inputs=None, input_files=[], progress=lambda line: None, **options)


@pytest.mark.parametrize(("recorded", "requested"), [(REAL_IDENTITY, DEMO_IDENTITY), (DEMO_IDENTITY, REAL_IDENTITY)],
                         ids=["demo-into-real", "real-into-demo"])
def test_rendering_other_data_into_a_folder_of_reports_is_refused_and_writes_nothing(tmp_path, recorded, requested):
    out = folder_of_reports(tmp_path / "out", recorded)
    before = digests(out)
    with pytest.raises(OtherDataInOutputError) as refused:
        render_nothing(out, requested)
    assert digests(out) == before
    kind = {True: "demo", False: "real"}
    assert str(refused.value) == (
        f"{out}/ holds reports of the {kind[recorded['synthetic']]} data {recorded['programme']!r}; you asked "
        f"to render the {kind[requested['synthetic']]} data {requested['programme']!r} into it -- use another "
        "--out, or --replace-reports to overwrite them")


def test_replace_reports_renders_into_it_and_the_folder_takes_the_new_identity(tmp_path):
    out = folder_of_reports(tmp_path / "out", REAL_IDENTITY)
    render_nothing(out, DEMO_IDENTITY, replace_reports=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_identity"] == DEMO_IDENTITY
    assert manifest["reports"] == {}  # the real report is no longer listed (its file stays)
    assert (out / "midterm/stad.html").exists()


@pytest.mark.parametrize("make", ["nonexistent", "empty", "same-data"])
def test_a_new_or_empty_folder_or_one_of_the_same_data_takes_the_render(tmp_path, make):
    out = tmp_path / "out"
    if make == "empty":
        out.mkdir()
    elif make == "same-data":
        folder_of_reports(out, DEMO_IDENTITY)
    render_nothing(out, DEMO_IDENTITY)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["data_identity"] == DEMO_IDENTITY


def test_a_folder_without_reports_or_of_unknown_data_is_not_guarded(tmp_path):
    guard_output({"reports": {"midterm/stad": {}}}, DEMO_IDENTITY, out=tmp_path, data_dir=tmp_path / "data")
    guard_output({"reports": {}, "data_identity": REAL_IDENTITY}, DEMO_IDENTITY, out=tmp_path)


def test_a_folder_made_before_identities_is_judged_by_the_data_folder_its_reports_name(tmp_path):
    legacy = {"reports": {"midterm/stad": {"inputs": {"parameters": {"data_dir": "/secure/real-2024"}}}}}
    guard_output(legacy, DEMO_IDENTITY, out=tmp_path, data_dir=Path("/secure/real-2024"))
    with pytest.raises(OtherDataInOutputError, match="holds reports of the data in the folder real-2024; you asked "
                                                     "to render the demo data 'Pilot Statens hus' into it"):
        guard_output(legacy, DEMO_IDENTITY, out=tmp_path, data_dir=Path("/repo/data/demo"))


def test_the_index_of_demo_reports_shows_the_banner_and_that_of_real_reports_does_not(tmp_path):
    demo = folder_of_reports(tmp_path / "demo", DEMO_IDENTITY)
    real = folder_of_reports(tmp_path / "real", REAL_IDENTITY)
    render_nothing(demo, DEMO_IDENTITY)
    render_nothing(real, REAL_IDENTITY)
    assert f'<p class="demo-banner">{BANNER}</p>' in (demo / "index.html").read_text(encoding="utf-8")
    assert 'class="demo-banner"' not in (real / "index.html").read_text(encoding="utf-8")
