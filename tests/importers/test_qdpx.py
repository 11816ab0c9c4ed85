"""Tests of the REFI-QDA reader (evaluation.importers.qdpx), on the hand-written project in
``tests/fixtures/qda/qdpx/`` (see ``qda_expected.py``)."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from evaluation.errors import DataContractError
from evaluation.importers import read_qdpx

from .qda_expected import QDPX, QUOTE_1, QUOTE_2, ROOT, assert_import


def build_qdpx(target: Path, project: str | None = None, *, sources: bool = True) -> Path:
    """Zip the fixture folder (optionally with a changed project.qde) into a .qdpx archive."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        text = project if project is not None else (QDPX / "project.qde").read_text(encoding="utf-8")
        archive.writestr("project.qde", text.encode("utf-8"))
        if sources:
            for path in sorted((QDPX / "Sources").iterdir()):
                archive.write(path, f"Sources/{path.name}")
    return target


def project_text() -> str:
    return (QDPX / "project.qde").read_text(encoding="utf-8")


QDPX_IDS = [
    "f6000000-0000-4000-8000-000000000001-1",
    "f6000000-0000-4000-8000-000000000002-1",
    "f6000000-0000-4000-8000-000000000004-1",  # one selection coded with two codes
    "f6000000-0000-4000-8000-000000000004-2",
    "f6000000-0000-4000-8000-000000000005-1",
]


def test_read_qdpx_maps_the_hand_written_project_onto_the_contract(tmp_path):
    result = read_qdpx(build_qdpx(tmp_path / "stad.qdpx"))
    assert_import(result, QDPX_IDS)


def test_read_qdpx_cuts_quotes_at_character_offsets_in_the_source_file(tmp_path):
    # the transcript has æ/ø/å before the selections: offsets count characters, not bytes
    transcript = (QDPX / "Sources" / "9F2C1A44-6B1E-4E0B-9C47-1D2A3B4C5D01.txt").read_text(
        encoding="utf-8")
    assert transcript[53:111] == QUOTE_1 and transcript[123:160] == QUOTE_2
    result = read_qdpx(build_qdpx(tmp_path / "stad.qdpx"))
    assert result.segments["quote"].iloc[0] == QUOTE_1


def test_read_qdpx_output_passes_the_contract_validator(tmp_path):
    from evaluation.contract import load_data

    data_dir = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "demo", data_dir)
    shutil.rmtree(data_dir / "interviews")
    result = read_qdpx(build_qdpx(tmp_path / "stad.qdpx"))
    result.to_csv(data_dir / "interviews")
    data = load_data(data_dir)
    assert list(data.segments["segment_id"]) == QDPX_IDS
    assert list(data.interviews["round"]) == ["midterm", "final"]
    assert data.segments["quote_approved"].tolist() == [True, False, True, True, False]


def test_read_qdpx_accepts_source_variables_instead_of_cases(tmp_path):
    text = project_text()
    start, end = text.index("<Cases>"), text.index("</Cases>") + len("</Cases>")
    variables = (
        '<VariableValue><VariableRef targetGUID="D4000000-0000-4000-8000-000000000002"/>'
        "<TextValue>stad</TextValue></VariableValue>"
        '<VariableValue><VariableRef targetGUID="D4000000-0000-4000-8000-000000000003"/>'
        "<DateValue>2024-03-05</DateValue></VariableValue>"
        '<VariableValue><VariableRef targetGUID="D4000000-0000-4000-8000-000000000004"/>'
        "<TextValue>Employees</TextValue></VariableValue>"
    )
    text = text[:start] + text[end:]
    # give only the second source its interview variables and drop the first source
    first = text.index('<TextSource guid="9F2C')
    second = text.index('<TextSource guid="7B3D')
    text = text[:first] + text[second:]
    text = text.replace("</TextSource>", variables + "</TextSource>")
    result = read_qdpx(build_qdpx(tmp_path / "s.qdpx", text))
    # no interview_id variable and a name that is not an id: the id is derived from the name,
    # i-<pilot>-<SHA-256 of the name, first 8 hex digits>; informants default to 1
    derived = "i-stad-" + hashlib.sha256(b"Intervju Stad 2").hexdigest()[:8]
    assert result.interviews.to_dict("records") == [{
        "interview_id": derived, "pilot": "stad", "date": pd.Timestamp("2024-03-05"),
        "stakeholder_group": "employees", "informants": 1}]
    assert result.segments["interview_id"].unique().tolist() == [derived]
    assert result.labels.to_dict("records") == [
        {"interview_id": derived, "label": "Intervju Stad 2", "id_from": "derived"}]


def test_read_qdpx_rejects_a_file_that_is_not_a_zip(tmp_path):
    path = tmp_path / "broken.qdpx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        read_qdpx(path)
    assert error.value.file == str(path) and "zip" in str(error.value)


def test_read_qdpx_rejects_an_archive_without_project_qde(tmp_path):
    path = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Sources/x.txt", "x")
    with pytest.raises(DataContractError) as error:
        read_qdpx(path)
    assert error.value.column == "project.qde"


def test_read_qdpx_names_the_line_of_malformed_xml(tmp_path):
    text = project_text().replace("</Users>", "</Userz>")
    path = build_qdpx(tmp_path / "bad.qdpx", text)
    with pytest.raises(DataContractError) as error:
        read_qdpx(path)
    line = project_text().splitlines().index("  </Users>") + 1
    assert error.value.file == f"{path}/project.qde" and error.value.row == line


def test_read_qdpx_names_the_element_of_an_unknown_code_reference(tmp_path):
    text = project_text().replace(
        '<CodeRef targetGUID="A1000000-0000-4000-8000-000000000003"/>',
        '<CodeRef targetGUID="A1000000-0000-4000-8000-0000000000FF"/>')
    with pytest.raises(DataContractError) as error:
        read_qdpx(build_qdpx(tmp_path / "bad.qdpx", text))
    lines = text.splitlines()
    line = next(number for number, source_line in enumerate(lines, 1) if "0000000000FF" in source_line)
    assert error.value.row == line
    assert error.value.column == "CodeRef[guid=A1000000-0000-4000-8000-0000000000FF]"


def test_read_qdpx_rejects_a_selection_outside_the_text(tmp_path):
    text = project_text().replace('startPosition="59" endPosition="87"',
                                  'startPosition="59" endPosition="870"')
    with pytest.raises(DataContractError) as error:
        read_qdpx(build_qdpx(tmp_path / "bad.qdpx", text))
    assert error.value.column == "PlainTextSelection[guid=F6000000-0000-4000-8000-000000000005]"
    assert "outside" in str(error.value)


def test_read_qdpx_rejects_a_missing_source_file(tmp_path):
    with pytest.raises(DataContractError) as error:
        read_qdpx(build_qdpx(tmp_path / "bad.qdpx", sources=False))
    assert "Sources/9F2C1A44-6B1E-4E0B-9C47-1D2A3B4C5D01.txt" in str(error.value)


def test_read_qdpx_requires_an_assessment_unless_the_mapping_decides(tmp_path):
    text = project_text().replace(
        '<Coding guid="F7000000-0000-4000-8000-00000000000B">\n'
        '          <CodeRef targetGUID="B2000000-0000-4000-8000-000000000005"/>\n'
        "        </Coding>", "")
    path = build_qdpx(tmp_path / "noassessment.qdpx", text)
    with pytest.raises(DataContractError) as error:
        read_qdpx(path)
    assert error.value.column == "PlainTextSelection[guid=F6000000-0000-4000-8000-000000000005]"
    assert "unassessed" in str(error.value)
    neutral = read_qdpx(path, mapping={"codes": {"unassessed": "neutral"}})
    assert neutral.segments["assessment"].iloc[-1] == "neutral"
    assert {"part": "coded passage without an assessment", "count": 1,
            "treatment": "assessed neutral, as the mapping says"} in neutral.summary.to_dict("records")
    skipped = read_qdpx(path, mapping={"codes": {"unassessed": "skip"}})
    assert skipped.segments["segment_id"].tolist() == QDPX_IDS[:-1]
    with pytest.raises(DataContractError) as error:
        read_qdpx(path, mapping={"codes": {"unassessed": "good"}})
    assert error.value.column == "codes.unassessed"


def test_read_qdpx_rejects_an_unknown_stakeholder_group(tmp_path):
    text = project_text().replace("<TextValue>employees</TextValue>",
                                  "<TextValue>journalists</TextValue>")
    with pytest.raises(DataContractError) as error:
        read_qdpx(build_qdpx(tmp_path / "bad.qdpx", text))
    assert "journalists" in str(error.value) and error.value.column == "VariableValue"


def test_read_qdpx_refuses_document_type_declarations(tmp_path):
    # entity expansion ("billion laughs") needs a DTD; a project file never has one
    text = project_text().replace(
        '<?xml version="1.0" encoding="utf-8"?>',
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE Project [<!ENTITY a "aaaa">]>')
    with pytest.raises(DataContractError) as error:
        read_qdpx(build_qdpx(tmp_path / "dtd.qdpx", text))
    assert error.value.row == 2


def test_read_qdpx_rejects_a_root_that_is_not_a_project(tmp_path):
    text = project_text().replace('<Project xmlns="urn:QDA-XML:project:1.0"',
                                  '<Project xmlns="urn:QDA-XML:codebook:1.0"')
    with pytest.raises(DataContractError) as error:
        read_qdpx(build_qdpx(tmp_path / "bad.qdpx", text))
    assert "Project" in str(error.value)
