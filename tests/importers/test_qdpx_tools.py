"""REFI-QDA projects shaped as NVivo, ATLAS.ti, QualCoder and MAXQDA write them import fully.

The projects are written by ``refi_builder.py`` (its docstring lists each tool's shape) and
validated against the REFI-QDA Project schema (``tests/fixtures/qda/schema``, MIT licence) before
they are read. The expected frames are written out by hand from the builder's synthetic
interviews: code ids by the rule of :func:`evaluation.importers.make_id` applied by hand
("Søkere til stillinger" -> ``sokere_til_stillinger``), derived interview ids with hashlib.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
import xmlschema

from evaluation.cli import main
from evaluation.contract import validate
from evaluation.errors import DataContractError
from evaluation.importers import read_qdpx

from . import refi_builder
from .refi_builder import SCHEMA, build, project_xml

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
TOOLS = ["nvivo", "atlas", "qualcoder", "maxqda"]

LABELS = {  # the interviews' names in each tool: a case's name, or (no case, or no name) its document's
    "nvivo": ["Intervju 1 Stad", "Intervju 2 Stad"],
    "atlas": ["Stad 01.docx", "Stad 02.docx"],
    "qualcoder": ["Stad A", "Stad B"],
    "maxqda": ["Stad-intervju 1", "Stad-intervju 2"],
}
QUOTE_1 = "Vi møtes nå hver måned,\nog det har gjort terskelen lavere."  # spans a line break
QUOTE_2 = "Lokalene er ikke klare ennå."
QUOTE_3 = "Det er vanskelig å rekruttere, men flere søker nå enn før."
QUOTE_4 = "Vi deler kunnskap på tvers nå."


def derived(label: str) -> str:
    return "i-stad-" + hashlib.sha256(label.encode("utf-8")).hexdigest()[:8]


def expected_segments(tool: str) -> list[tuple]:
    """(interview label, code, assessment, quote, approved), in file order."""
    first, second = LABELS[tool]
    meeting = "manedlige_moter" if tool == "nvivo" else "felles_moteplasser"  # NVivo codes a sub-sub-code
    return [
        (first, meeting, "positive", QUOTE_1, "yes"),
        (first, "lokaler", "negative", QUOTE_2, "no"),
        (second, "sokere_til_stillinger", "mixed", QUOTE_3, "yes"),
        (second, "laering_pa_tvers", "positive", QUOTE_4, "no"),
        (second, "felles_moteplasser", "positive", QUOTE_4, "no"),
    ]


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("tools")
    return {tool: build(tool, folder) for tool in TOOLS}


@pytest.mark.parametrize("tool", TOOLS)
def test_the_fixture_project_is_valid_against_the_refi_qda_schema(projects, tool):
    schema = xmlschema.XMLSchema(str(SCHEMA))
    errors = [f"{e.path}: {e.reason}" for e in schema.iter_errors(project_xml(projects[tool][0]).decode("utf-8"))]
    assert errors == []


@pytest.mark.parametrize("tool", TOOLS)
def test_a_project_of_each_tool_gives_the_passages_assessments_and_approvals_it_recorded(projects, tool):
    path, mapping = projects[tool]
    result = read_qdpx(path, mapping=mapping)
    first, second = LABELS[tool]
    assert result.interviews.to_dict("records") == [
        {"interview_id": derived(first), "pilot": "stad", "date": pd.Timestamp("2024-03-05"),
         "stakeholder_group": "project_management", "informants": 1},
        {"interview_id": derived(second), "pilot": "stad", "date": pd.Timestamp("2024-04-10"),
         "stakeholder_group": "employees", "informants": 3},
    ]
    assert result.labels.to_dict("records") == [
        {"interview_id": derived(label), "label": label, "id_from": "derived"} for label in LABELS[tool]]
    label_of = {derived(label): label for label in LABELS[tool]}
    got = [(label_of[r.interview_id], r.code, r.assessment, r.quote, r.quote_approved)
           for r in result.segments.itertuples()]
    assert got == expected_segments(tool)
    assert result.segments["segment_id"].is_unique


def test_the_codebook_keeps_the_hierarchy_and_leaves_out_containers_and_control_codes(projects):
    result = read_qdpx(projects["nvivo"][0], mapping=projects["nvivo"][1])
    assert result.codebook[["code", "theme"]].to_dict("records") == [
        {"code": "felles_moteplasser", "theme": "collaboration"},
        {"code": "manedlige_moter", "theme": "collaboration"},
        {"code": "hindringer_for_samarbeid", "theme": "collaboration"},
        {"code": "laering_pa_tvers", "theme": "professional_environment"},
        {"code": "sokere_til_stillinger", "theme": "recruitment"},
        {"code": "lokaler", "theme": "colocation"},
    ]  # no assessment, approval or case codes; themes (top level, with sub-codes) are not codes
    atlas = read_qdpx(projects["atlas"][0], mapping=projects["atlas"][1])
    assert "collaboration" not in set(atlas.codebook["code"])  # isCodable="false": a container only


def summary(result) -> dict[str, int]:
    return dict(zip(result.summary["part"], result.summary["count"]))


def test_the_import_summary_counts_what_each_tool_wrote_that_is_not_imported(projects):
    counts = {tool: summary(read_qdpx(path, mapping=mapping)) for tool, (path, mapping) in projects.items()}
    # counted by hand from refi_builder.py
    assert counts["nvivo"]["Note"] == 1 and counts["nvivo"]["NoteRef of a source"] == 1
    assert counts["nvivo"]["Code of a case"] == 2
    assert counts["atlas"]["Set"] == 2 and counts["atlas"]["Note"] == 1
    # QualCoder: passages 1-4 have 3, 2, 3 and 3 selections (a code, the assessment, the approval)
    assert counts["qualcoder"]["PlainTextSelection over the span of another"] == 2 + 1 + 2 + 2
    assert counts["qualcoder"]["Note"] == 1 and counts["qualcoder"]["Description of a case"] == 2
    assert counts["maxqda"]["PlainTextSelection over the span of another"] == 7
    assert counts["maxqda"]["Case without a name"] == 2 and counts["maxqda"]["Set"] == 1
    assert counts["maxqda"]["PlainTextSelection without a code"] == 2
    assert counts["maxqda"]["memo of a selection"] == 2


def test_crlf_needs_a_decision_and_each_count_cuts_the_quotes_the_tool_meant(projects, tmp_path):
    nvivo, mapping = projects["nvivo"]
    without = tmp_path / "no-crlf.yaml"
    without.write_text(mapping.read_text(encoding="utf-8").replace("crlf_counts_as: 2\n", ""), encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        read_qdpx(nvivo, mapping=without)
    assert {p.column.split("[")[0] for p in error.value.problems} == {"TextSource"}
    assert "crlf_counts_as" in str(error.value) and "NVivo 14" in str(error.value)
    # ATLAS.ti counted CR LF as one character: read as two, every quote after the first line shifts
    atlas, atlas_mapping = projects["atlas"]
    wrong = tmp_path / "atlas-2.yaml"
    wrong.write_text(atlas_mapping.read_text(encoding="utf-8").replace("crlf_counts_as: 1", "crlf_counts_as: 2"),
                     encoding="utf-8")
    quotes = read_qdpx(atlas, mapping=wrong).segments["quote"].tolist()
    # the passage starts one CR early (a space, stripped) and ends two early: "...lavere." loses "e."
    assert quotes[0] == QUOTE_1[:-2]


def test_a_mapping_that_names_what_the_project_does_not_have_is_located_at_its_line(projects, tmp_path):
    path, _ = projects["maxqda"]
    mapping = tmp_path / "m.yaml"
    mapping.write_text("variables:\n  stakeholder_group: Gruppe\ncodes:\n  assessment: Vurdering\n"
                       "  approval: Sitat OK\n", encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        read_qdpx(path, mapping=mapping)
    assert {(p.file, p.row, p.column) for p in error.value.problems} == {
        (str(mapping), 2, "variables.stakeholder_group")}
    mapping.write_text("variables:\n  stakeholder_group: Informantgruppe\n  date: Intervjudato\n"
                       "codes:\n  assessment: Vurdering\n  approval: Sitat OK\n", encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        read_qdpx(path, mapping=mapping)
    assert (str(mapping), 6, "codes.approval") in {(p.file, p.row, p.column) for p in error.value.problems}


def test_an_unmapped_stakeholder_value_points_at_the_value_and_the_mapping(projects, tmp_path):
    path, mapping = projects["maxqda"]
    partial = tmp_path / "partial.yaml"
    partial.write_text(mapping.read_text(encoding="utf-8").replace("    ANSATT: employees\n", ""), encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        read_qdpx(path, mapping=partial)
    (problem,) = error.value.problems
    assert problem.file.endswith("maxqda.qdpx/project.qde") and problem.column == "VariableValue"
    assert "'Ansatt'" in problem.message and f"{partial}:" in problem.expected


def test_all_four_projects_import_into_the_demo_data_and_the_folder_validates(projects, tmp_path, capsys):
    data = shutil.copytree(DEMO, tmp_path / "data")
    for tool in TOOLS:
        path, mapping = projects[tool]
        assert main(["import-interviews", str(path), "--format", "qdpx", "--mapping", str(mapping),
                     "--out", str(data)]) == 0, capsys.readouterr()
    out = capsys.readouterr().out
    assert "'Intervju 1 Stad' (an id derived from the name)" in out
    assert "Case without a name: 2 (an interview labelled by the name of its document)" in out
    assert validate(data) == []
    interviews = pd.read_csv(data / "interviews" / "interviews.csv")
    new = {derived(label) for labels in LABELS.values() for label in labels}
    assert new <= set(interviews["interview_id"])
    segments = pd.read_csv(data / "interviews" / "segments.csv", keep_default_na=False)
    assert len(segments[segments["interview_id"].isin(new)]) == 4 * 5


@pytest.mark.notebook
def test_the_folder_with_all_four_projects_renders_the_stad_final_report(projects, tmp_path):
    data = shutil.copytree(DEMO, tmp_path / "data")
    for tool in TOOLS:
        path, mapping = projects[tool]
        assert main(["import-interviews", str(path), "--format", "qdpx", "--mapping", str(mapping),
                     "--out", str(data)]) == 0
    out = tmp_path / "reports"
    assert main(["render", "--data-dir", str(data), "--out", str(out), "--pilot", "stad", "--phase", "final",
                 "--jobs", "1"]) == 0
    assert list(out.rglob("*.html"))


def test_the_builder_counts_positions_as_each_tool_does():
    # an independent check of the fixtures: the NVivo file holds CR LF and counts it as two characters
    text = "\r\n".join(refi_builder.INTERVIEWS[0].lines)
    start = text.index("Vi møtes")
    assert text[start:start + len(QUOTE_1) + 1] == QUOTE_1.replace("\n", "\r\n")
