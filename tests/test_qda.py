"""Tests of the REFI-QDA and Taguette readers (evaluation.qda).

The fixtures under ``tests/fixtures/qda/`` are written by hand to the formats' specifications:
``qdpx/project.qde`` follows the QDA-XML project schema (``urn:QDA-XML:project:1.0``,
Project-mrt2019.xsd, www.qdasoftware.org) with the transcript in ``qdpx/Sources/``; the Taguette
files follow Taguette's export code (``taguette/export.py``: highlights ``id, document, tag,
content``, one row per highlight and tag; codebook ``tag, parent, description, number of
highlights``). The expected frames below are written by hand from the fixtures; the selection
offsets in ``project.qde`` were found with ``str.index`` on the transcript text.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from evaluation.errors import DataContractError
from evaluation.qda import QdaImport, make_id, read_qdpx, read_taguette

FIXTURES = Path(__file__).parent / "fixtures" / "qda"
QDPX = FIXTURES / "qdpx"
TAGUETTE = FIXTURES / "taguette"
ROOT = Path(__file__).resolve().parents[1]

QUOTE_1 = "Vi møtes nå hver måned, og det har gjort terskelen lavere."
QUOTE_2 = "Men IT-systemene snakker ikke sammen."
QUOTE_3 = "Det er vanskelig å rekruttere, men flere søker nå enn før."
QUOTE_4 = "Lokalene er ikke klare ennå."

EXPECTED_INTERVIEWS = pd.DataFrame({
    "interview_id": ["i-stad-0001", "i-stad-0002"],
    "pilot": ["stad", "stad"],
    "date": pd.to_datetime(["2022-09-20", "2024-03-05"]),
    "stakeholder_group": ["agency_management", "employees"],  # "Ledere i etatene", "Ansatte"
    "informants": [1, 3],
})
EXPECTED_CODEBOOK = pd.DataFrame({
    "code": ["felles_moteplasser", "collab_barriers", "recr_applicants", "colocation"],
    "theme": ["collaboration", "collaboration", "recruitment", "colocation"],
    "label_nb": ["Felles møteplasser", "collab_barriers", "recr_applicants", "colocation"],
    "label_en": ["Felles møteplasser", "collab_barriers", "recr_applicants", "colocation"],
    "description": ["Faste møter på tvers av etatene", "", "Antall og kvalifikasjoner blant søkere",
                    "Lokaler"],
})


def expected_segments(ids: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "segment_id": ids,
        "interview_id": ["i-stad-0001", "i-stad-0001", "i-stad-0002", "i-stad-0002", "i-stad-0002"],
        "code": ["felles_moteplasser", "collab_barriers", "recr_applicants", "colocation",
                 "colocation"],
        "assessment": ["positive", "negative", "mixed", "mixed", "neutral"],  # "negativ" -> negative
        "quote": [QUOTE_1, QUOTE_2, QUOTE_3, QUOTE_3, QUOTE_4],
        "quote_approved": ["yes", "no", "yes", "yes", "no"],
    })


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


def assert_import(result: QdaImport, segment_ids: list[str]) -> None:
    pd.testing.assert_frame_equal(result.interviews, EXPECTED_INTERVIEWS, check_dtype=False)
    assert str(result.interviews["date"].dtype).startswith("datetime64")
    pd.testing.assert_frame_equal(result.segments, expected_segments(segment_ids), check_dtype=False)
    pd.testing.assert_frame_equal(result.codebook, EXPECTED_CODEBOOK, check_dtype=False)


# --------------------------------------------------------------------------------------------
# REFI-QDA
# --------------------------------------------------------------------------------------------

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
    # no interview_id variable: the source's name is the interview id; informants default to 1
    assert result.interviews.to_dict("records") == [{
        "interview_id": "Intervju Stad 2", "pilot": "stad", "date": pd.Timestamp("2024-03-05"),
        "stakeholder_group": "employees", "informants": 1}]
    assert result.segments["interview_id"].unique().tolist() == ["Intervju Stad 2"]


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
    line = next(i for i, l in enumerate(lines, 1) if "0000000000FF" in l)
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


def test_read_qdpx_requires_an_assessment_unless_a_default_is_given(tmp_path):
    text = project_text().replace(
        '<Coding guid="F7000000-0000-4000-8000-00000000000B">\n'
        '          <CodeRef targetGUID="B2000000-0000-4000-8000-000000000005"/>\n'
        "        </Coding>", "")
    path = build_qdpx(tmp_path / "noassessment.qdpx", text)
    with pytest.raises(DataContractError) as error:
        read_qdpx(path)
    assert error.value.column == "PlainTextSelection[guid=F6000000-0000-4000-8000-000000000005]"
    assert read_qdpx(path, default_assessment="neutral").segments["assessment"].iloc[-1] == "neutral"
    with pytest.raises(ValueError):
        read_qdpx(path, default_assessment="good")


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


# --------------------------------------------------------------------------------------------
# Taguette
# --------------------------------------------------------------------------------------------

TAGUETTE_IDS = ["tg-1-1", "tg-2-1", "tg-3-1", "tg-3-2", "tg-4-1"]


def test_read_taguette_csv_maps_the_hand_written_export_onto_the_contract():
    result = read_taguette(TAGUETTE / "highlights.csv", TAGUETTE / "codebook.csv",
                           TAGUETTE / "mapping.csv")
    assert_import(result, TAGUETTE_IDS)


def _csv_to_xlsx(source: Path, target: Path, sheet: str) -> Path:
    from openpyxl import Workbook

    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        worksheet.append([int(v) if c in ("id", "number of highlights") and v else v
                          for c, v in zip(frame.columns, row)])
    workbook.save(target)
    return target


def test_read_taguette_xlsx_gives_the_same_frames(tmp_path):
    highlights = _csv_to_xlsx(TAGUETTE / "highlights.csv", tmp_path / "highlights.xlsx", "highlights")
    codebook = _csv_to_xlsx(TAGUETTE / "codebook.csv", tmp_path / "codebook.xlsx", "codebook")
    result = read_taguette(highlights, codebook, TAGUETTE / "mapping.csv")
    assert_import(result, TAGUETTE_IDS)


def test_read_taguette_names_the_line_of_an_unknown_tag(tmp_path):
    text = (TAGUETTE / "highlights.csv").read_text(encoding="utf-8").replace(
        "2,Intervju Stad 1,collab_barriers", "2,Intervju Stad 1,collab_barrier")
    path = tmp_path / "highlights.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        read_taguette(path, TAGUETTE / "codebook.csv", TAGUETTE / "mapping.csv")
    # the changed row is the fourth data row: line 5 (header on line 1)
    assert (error.value.file, error.value.row, error.value.column) == (str(path), 5, "tag")


def test_read_taguette_rejects_a_document_missing_from_the_mapping(tmp_path):
    mapping = pd.read_csv(TAGUETTE / "mapping.csv").iloc[:1]
    with pytest.raises(DataContractError) as error:
        read_taguette(TAGUETTE / "highlights.csv", TAGUETTE / "codebook.csv", mapping)
    assert error.value.column == "document" and error.value.row == 7
    assert "Intervju Stad 2" in str(error.value)


def test_read_taguette_checks_the_mapping(tmp_path):
    mapping = pd.read_csv(TAGUETTE / "mapping.csv", dtype=str)
    mapping.loc[1, "stakeholder_group"] = "press"
    mapping.loc[0, "date"] = "20.09.2022"
    with pytest.raises(DataContractError) as error:
        read_taguette(TAGUETTE / "highlights.csv", TAGUETTE / "codebook.csv", mapping)
    where = {(p.row, p.column) for p in error.value.problems}
    assert where == {(2, "date"), (3, "stakeholder_group")}


def test_read_taguette_rejects_two_assessments_on_one_highlight(tmp_path):
    text = (TAGUETTE / "highlights.csv").read_text(encoding="utf-8") + (
        "4,Intervju Stad 2,positive,Lokalene er ikke klare ennå.\n")
    path = tmp_path / "highlights.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        read_taguette(path, TAGUETTE / "codebook.csv", TAGUETTE / "mapping.csv")
    assert "several assessments" in str(error.value) and error.value.row == 11


def test_read_taguette_rejects_a_cycle_in_the_tag_tree(tmp_path):
    codebook = pd.read_csv(TAGUETTE / "codebook.csv", dtype=str, keep_default_na=False)
    codebook.loc[0, "parent"] = "Felles møteplasser"
    with pytest.raises(DataContractError) as error:
        read_taguette(TAGUETTE / "highlights.csv", codebook, TAGUETTE / "mapping.csv")
    assert error.value.column == "parent"


def test_make_id_turns_names_into_contract_ids():
    assert make_id("Felles møteplasser") == "felles_moteplasser"
    assert make_id("Ærlig talt: Økonomi/Åpenhet") == "aerlig_talt_okonomi_apenhet"
    assert make_id("collab_barriers") == "collab_barriers"
