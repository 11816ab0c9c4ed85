"""Tests of evaluation.importers.responses (import_survey, with its mapping and readers): survey
exports as the tools write them -> survey/responses.csv.

Reference values are written by hand from the fixture files in tests/fixtures/exports/ (see
their README): every expected code below is read off the export and its mapping by eye, with
the reasoning in a comment. Byte offsets and line numbers of bad input are counted by hand and
cross-checked against the raw bytes. Workbooks and .sav files are written by the tests with
openpyxl and pyreadstat.write_sav, from the same hand-written values.
"""

from __future__ import annotations

import re
import csv
import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest
import yaml

from evaluation.errors import DataContractError
from evaluation.importers import ImportResult, import_survey, read_mapping
from .survey_exports import (
    FIXTURES, NA, NS_DATA, NS_DIR, NS_MAPPING, SX_DIR, SX_EXPECTED, SX_MAPPING, contract_items,
    expected_frame, line_of, problems_of, write_mapping,
)


# --------------------------------------------------------------------------------------------
# SurveyXact
# --------------------------------------------------------------------------------------------


def test_surveyxact_semicolon_cp1252_maps_codes_by_value_not_display_order():
    result = import_survey(SX_DIR, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                           items=contract_items(), encoding="cp1252")
    assert isinstance(result, ImportResult)
    pd.testing.assert_frame_equal(result.responses, expected_frame(SX_EXPECTED, 2022))


def test_surveyxact_vet_ikke_code_becomes_dont_know_never_a_scale_value():
    result = import_survey(SX_DIR, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                           items=contract_items(), encoding="cp1252")
    by_id = result.responses.set_index("respondent_id")
    # 1003 answered s_1_1 with code 5, labelled "Vet ikke" in labels.csv: don't know (9), not
    # level 5 ("Helt enig"), which a positional or pass-through reading would give.
    assert by_id.loc["1003", "Q01"] == 9
    assert by_id.loc["1001", "Q02"] == 9
    levels = result.responses[["Q01", "Q02"]].stack().dropna()
    assert set(levels) <= {1, 2, 3, 4, 5, 9}


def test_surveyxact_invited_employee_without_answers_is_left_out_with_a_warning():
    result = import_survey(SX_DIR, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                           items=contract_items(), encoding="cp1252")
    assert "1004" not in set(result.responses["respondent_id"])
    left_out = [w for w in result.warnings if "left out" in w]
    assert len(left_out) == 1 and "lines 5" in left_out[0]
    assert "1 item(s) not in the mapping have empty columns: Q03" in result.warnings


def test_surveyxact_without_encoding_names_file_line_column_and_byte():
    with pytest.raises(DataContractError) as error:
        import_survey(SX_DIR, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                      items=contract_items())
    problem = problems_of(error)[0]
    raw = (SX_DIR / "dataset.csv").read_bytes()
    # Counted by hand: the header is 63 characters + CRLF = 65 bytes; on line 2,
    # "1001;14.10.2022 09:31;1;1;6;5;Fint " is 35 bytes, so the "å" of "Fint å møtes"
    # (0xE5 in Windows-1252) is at byte offset 65 + 35 = 100, in column s_2.
    assert raw.index(b"\xe5") == 100
    assert problem.file.endswith("dataset.csv")
    assert (problem.row, problem.column) == (2, "s_2")
    assert "0xe5" in problem.message and "100" in problem.message
    assert "cp1252" in problem.expected


def test_surveyxact_tab_separated_utf16_is_recognised_without_encoding(tmp_path):
    # SurveyXact's other CSV form: the same tables, tab-separated, UTF-16 with byte-order mark.
    for name in ("dataset", "structure", "labels"):
        text = (SX_DIR / f"{name}.csv").read_bytes().decode("cp1252").replace(";", "\t")
        (tmp_path / f"{name}.csv").write_bytes(text.encode("utf-16"))
    assert (tmp_path / "dataset.csv").read_bytes()[:2] == b"\xff\xfe"
    result = import_survey(tmp_path / "dataset.csv", format="surveyxact", mapping=SX_MAPPING,
                           wave=2022, items=contract_items())
    pd.testing.assert_frame_equal(result.responses, expected_frame(SX_EXPECTED, 2022))


def test_surveyxact_explicit_single_byte_encoding_on_utf16_file_is_refused(tmp_path):
    for name in ("dataset", "structure", "labels"):
        text = (SX_DIR / f"{name}.csv").read_bytes().decode("cp1252").replace(";", "\t")
        (tmp_path / f"{name}.csv").write_bytes(text.encode("utf-16"))
    with pytest.raises(DataContractError) as error:
        import_survey(tmp_path, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                      items=contract_items(), encoding="cp1252")
    assert "UTF-16 byte-order mark" in problems_of(error)[0].message


def _read_cp1252_table(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("cp1252")
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") if row]


def _surveyxact_workbook(path: Path, sheets=("Dataset", "Structure", "Labels")) -> Path:
    """The SurveyXact workbook form of the CSV fixture, with Excel's cell types."""
    from openpyxl import Workbook

    def cell(value: str):
        if value == "":
            return None
        if value.isdigit():
            return int(value)
        try:
            return dt.datetime.strptime(value, "%d.%m.%Y %H:%M")
        except ValueError:
            return value

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        rows = _read_cp1252_table(SX_DIR / f"{sheet.lower()}.csv")
        target = workbook.create_sheet(sheet)
        for row in rows:
            target.append([cell(v) for v in row])
    workbook.save(path)
    return path


def test_surveyxact_workbook_with_dataset_structure_and_labels_sheets(tmp_path):
    workbook = _surveyxact_workbook(tmp_path / "eksport.xlsx")
    result = import_survey(workbook, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                           items=contract_items())
    pd.testing.assert_frame_equal(result.responses, expected_frame(SX_EXPECTED, 2022))


def test_surveyxact_workbook_without_labels_sheet_is_refused(tmp_path):
    workbook = _surveyxact_workbook(tmp_path / "eksport.xlsx", sheets=("Dataset", "Structure"))
    with pytest.raises(DataContractError) as error:
        import_survey(workbook, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                      items=contract_items())
    problem = problems_of(error)[0]
    assert problem.file == str(workbook)
    assert "'Labels' is missing" in problem.message
    assert "'Dataset', 'Structure'" in problem.message
    assert "Labels" in problem.expected


def test_surveyxact_csv_folder_without_labels_file_is_refused(tmp_path):
    for name in ("dataset", "structure"):
        (tmp_path / f"{name}.csv").write_bytes((SX_DIR / f"{name}.csv").read_bytes())
    with pytest.raises(DataContractError) as error:
        import_survey(tmp_path, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                      encoding="cp1252")
    assert problems_of(error)[0].file == str(tmp_path / "labels.csv")


def test_surveyxact_mapping_vet_ikke_to_a_scale_level_is_refused_at_its_mapping_line(tmp_path):
    text = SX_MAPPING.read_text(encoding="utf-8").replace("5: dont_know", "5: 5")
    mapping = write_mapping(tmp_path, text)
    with pytest.raises(DataContractError) as error:
        import_survey(SX_DIR, format="surveyxact", mapping=mapping, wave=2022,
                      items=contract_items(), encoding="cp1252")
    problem = problems_of(error)[0]
    assert problem.file == str(mapping)
    assert problem.row == line_of(text, "5: 5")
    assert problem.column == "codes.agree5.5"
    assert "'Vet ikke'" in problem.message and "labels.csv" in problem.message
    assert "dont_know" in problem.expected


def test_surveyxact_decimal_comma_in_a_code_is_read_as_the_whole_number(tmp_path):
    # An export re-saved from Excel may write the codes of line 6 as "2,0" and "3,0".
    for name in ("structure", "labels"):
        (tmp_path / f"{name}.csv").write_bytes((SX_DIR / f"{name}.csv").read_bytes())
    raw = (SX_DIR / "dataset.csv").read_bytes()
    old = b"1005;17.10.2022 08:00;2;1;2;3;;1"
    assert old in raw
    (tmp_path / "dataset.csv").write_bytes(raw.replace(old, b"1005;17.10.2022 08:00;2;1;2,0;3,0;;1"))
    result = import_survey(tmp_path, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                           items=contract_items(), encoding="cp1252")
    pd.testing.assert_frame_equal(result.responses, expected_frame(SX_EXPECTED, 2022))


def test_surveyxact_code_not_declared_in_labels_is_refused(tmp_path):
    for name in ("structure", "labels"):
        (tmp_path / f"{name}.csv").write_bytes((SX_DIR / f"{name}.csv").read_bytes())
    raw = (SX_DIR / "dataset.csv").read_bytes()
    (tmp_path / "dataset.csv").write_bytes(raw.replace(b"1002;14.10.2022 10:02;1;2;4;",
                                                       b"1002;14.10.2022 10:02;1;2;7;"))
    with pytest.raises(DataContractError) as error:
        import_survey(tmp_path, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                      items=contract_items(), encoding="cp1252")
    problem = problems_of(error)[0]
    assert (problem.row, problem.column) == (3, "s_1_1")
    assert "code 7" in problem.message
    assert "1, 2, 3, 4, 5, 6" in problem.expected


def test_surveyxact_open_question_mapped_as_item_is_refused(tmp_path):
    text = SX_MAPPING.read_text(encoding="utf-8") + "  s_2: Q03\n"
    with pytest.raises(DataContractError) as error:
        import_survey(SX_DIR, format="surveyxact", mapping=write_mapping(tmp_path, text),
                      wave=2022, items=contract_items(), encoding="cp1252")
    problem = problems_of(error)[0]
    assert problem.column == "s_2" and "open (free-text)" in problem.message


def test_response_date_outside_the_wave_is_refused():
    with pytest.raises(DataContractError) as error:
        import_survey(SX_DIR, format="surveyxact", mapping=SX_MAPPING, wave=2023,
                      items=contract_items(), encoding="cp1252")
    problems = problems_of(error)
    # Lines 2, 3, 4 and 6 answered in October 2022 (line 5 never answered).
    assert [p.row for p in problems] == [2, 3, 4, 6]
    assert problems[0].column == "closetime"
    assert "2022-10-14 is not in wave 2023" in problems[0].message


# --------------------------------------------------------------------------------------------
# Nettskjema
# --------------------------------------------------------------------------------------------

# By hand from nettskjema/data-123456.csv with mapping.yaml (codes 1-5 are levels 1-5, 99
# "Vet ikke" -> 9, blank -> <NA>; $submission_id is the id; the date is the local date of
# $created; kommune and etat hold contract ids already):
NS_EXPECTED = [
    ("27685292", "2022-10-14", "stad", "nav", 4, 9, 3),
    ("27685302", "2022-10-14", "stad", "skatteetaten", 5, 2, NA),
    ("27685319", "2022-10-15", "stad", "politiet", NA, 1, 9),
    ("27685344", "2022-11-02", "stad", "nav", 1, 5, 5),
]


def test_nettskjema_csv_with_codebook_maps_to_the_contract():
    result = import_survey(NS_DATA, format="nettskjema", mapping=NS_MAPPING, wave=2022,
                           items=contract_items())
    pd.testing.assert_frame_equal(result.responses, expected_frame(NS_EXPECTED, 2022))
    assert result.warnings == ()


def test_nettskjema_line_numbers_count_a_quoted_comment_spanning_two_lines(tmp_path):
    # The comment of 27685319 spans lines 4-5, so 27685344 is on line 6 in a text editor.
    # Its trivsel.q3 = 7 is not an answer code of the codebook.
    text = NS_DATA.read_text(encoding="utf-8").replace("stad,nav,1,5,5,", "stad,nav,1,5,7,")
    (tmp_path / "data.csv").write_text(text, encoding="utf-8", newline="")
    with pytest.raises(DataContractError) as error:
        import_survey(tmp_path / "data.csv", format="nettskjema", mapping=NS_MAPPING, wave=2022,
                      items=contract_items())
    problem = problems_of(error)[0]
    assert (problem.row, problem.column) == (6, "trivsel.q3")
    assert line_of(text, "27685344") == 6
    assert "code 7" in problem.message and "codebook-123456.txt" in problem.message


def test_nettskjema_excel_export_gives_the_same_responses(tmp_path):
    from openpyxl import Workbook

    rows = list(csv.reader(io.StringIO(NS_DATA.read_text(encoding="utf-8"), newline="")))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Svar"
    for number, row in enumerate(rows):
        sheet.append([int(v) if number and v.isdigit() else (v or None) for v in row])
    workbook.save(tmp_path / "data-123456.xlsx")
    result = import_survey(tmp_path / "data-123456.xlsx", format="nettskjema", mapping=NS_MAPPING,
                           wave=2022, items=contract_items())
    pd.testing.assert_frame_equal(result.responses, expected_frame(NS_EXPECTED, 2022))


def test_nettskjema_code_missing_from_the_mapping_is_reported_with_its_cell(tmp_path):
    text = NS_MAPPING.read_text(encoding="utf-8").replace(", 99: dont_know", "")
    mapping = write_mapping(tmp_path, text)
    with pytest.raises(DataContractError) as error:
        import_survey(NS_DATA, format="nettskjema", mapping=mapping, wave=2022,
                      items=contract_items(), codebook=NS_DIR / "codebook-123456.txt")
    problems = problems_of(error)
    # 99 occurs on line 2 (samarbeid.q2) and on line 4 (trivsel.q3).
    assert [(p.row, p.column) for p in problems] == [(2, "samarbeid.q2"), (4, "trivsel.q3")]
    assert "code '99' is not mapped" in problems[0].message
    assert "codes.default" in problems[0].expected


def test_nettskjema_semicolon_report_without_delimiter_is_refused_with_a_hint(tmp_path):
    rows = list(csv.reader(io.StringIO(NS_DATA.read_text(encoding="utf-8"), newline="")))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    (tmp_path / "data.csv").write_text(buffer.getvalue(), encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        import_survey(tmp_path / "data.csv", format="nettskjema", mapping=NS_MAPPING, wave=2022)
    problem = problems_of(error)[0]
    assert problem.row == 1 and "';'" in problem.message
    assert "source.delimiter" in problem.expected
    # With the delimiter given, the report reads as the comma-separated export does.
    text = NS_MAPPING.read_text(encoding="utf-8").replace(
        "source:\n", 'source:\n  delimiter: ";"\n')
    mapping = write_mapping(tmp_path, text)
    (tmp_path / "codebook-123456.txt").write_bytes((NS_DIR / "codebook-123456.txt").read_bytes())
    result = import_survey(tmp_path / "data.csv", format="nettskjema", mapping=mapping, wave=2022,
                           items=contract_items())
    pd.testing.assert_frame_equal(result.responses, expected_frame(NS_EXPECTED, 2022))


def test_explicit_single_byte_encoding_on_a_utf8_file_is_refused():
    # data-123456.csv is UTF-8 ("møter"); reading it as cp1252 would give "mÃ¸ter".
    with pytest.raises(DataContractError) as error:
        import_survey(NS_DATA, format="nettskjema", mapping=NS_MAPPING, wave=2022,
                      encoding="cp1252")
    assert "the file is UTF-8" in problems_of(error)[0].message


def test_nettskjema_without_codebook_warns(tmp_path):
    text = NS_MAPPING.read_text(encoding="utf-8").replace("  codebook: codebook-123456.txt\n", "")
    result = import_survey(NS_DATA, format="nettskjema", mapping=write_mapping(tmp_path, text),
                           wave=2022, items=contract_items())
    pd.testing.assert_frame_equal(result.responses, expected_frame(NS_EXPECTED, 2022))
    assert any("codebook" in w for w in result.warnings)


# --------------------------------------------------------------------------------------------
# SPSS
# --------------------------------------------------------------------------------------------

SPSS_LABELS = {1.0: "Helt uenig", 2.0: "Uenig", 3.0: "Verken eller", 4.0: "Enig",
               5.0: "Helt enig", 8.0: "Vet ikke"}


def _write_sav(path: Path, sp1=(5.0, 8.0, 2.0, None)) -> Path:
    import pyreadstat

    frame = pd.DataFrame({
        "lopenr": ["n-01", "n-02", "n-03", "n-04"],
        "dato": [dt.date(2024, 3, 4), dt.date(2024, 3, 5), dt.date(2024, 3, 5), dt.date(2024, 3, 8)],
        "etat": [1.0, 2.0, 3.0, 1.0],
        "sp1": list(sp1),
        "sp2": [8.0, 8.0, 1.0, 4.0],
        "sp3": [None, 3.0, None, None],
    })
    pyreadstat.write_sav(
        frame, str(path),
        variable_value_labels={"etat": {1.0: "NAV", 2.0: "Skatteetaten", 3.0: "Politiet"},
                               "sp1": SPSS_LABELS, "sp2": SPSS_LABELS, "sp3": SPSS_LABELS},
        missing_ranges={"sp1": [8.0], "sp2": [8.0], "sp3": [8.0]},
        variable_format={"dato": "DATE11"})
    return path


def test_spss_declared_user_missing_dont_know_is_kept_and_mapped(tmp_path):
    import pyreadstat

    sav = _write_sav(tmp_path / "narvik-2024.sav")
    # The fixture really declares 8 user-missing: read the default way, it is lost as NaN.
    plain, _ = pyreadstat.read_sav(str(sav))
    assert pd.isna(plain.loc[1, "sp1"])
    result = import_survey(sav, format="spss", mapping=FIXTURES / "spss.yaml", wave=2024,
                           items=contract_items())
    # By hand: 8 "Vet ikke" -> 9, 1-5 -> 1-5, system-missing -> <NA>; etat 1 nav, 2
    # skatteetaten, 3 politiet; pilot is the constant narvik.
    expected = expected_frame([
        ("n-01", "2024-03-04", "narvik", "nav", 5, 9, NA),
        ("n-02", "2024-03-05", "narvik", "skatteetaten", 9, 9, 3),
        ("n-03", "2024-03-05", "narvik", "politiet", 2, 1, NA),
        ("n-04", "2024-03-08", "narvik", "nav", NA, 4, NA),
    ], 2024)
    pd.testing.assert_frame_equal(result.responses, expected)


def test_spss_user_missing_code_mapped_to_a_level_is_refused(tmp_path):
    sav = _write_sav(tmp_path / "narvik-2024.sav")
    text = (FIXTURES / "spss.yaml").read_text(encoding="utf-8").replace("8: dont_know", "8: 5")
    mapping = write_mapping(tmp_path, text)
    with pytest.raises(DataContractError) as error:
        import_survey(sav, format="spss", mapping=mapping, wave=2024, items=contract_items())
    messages = [p.message for p in problems_of(error)]
    assert any("labelled 'Vet ikke'" in m for m in messages)
    assert any("declared user-missing" in m for m in messages)
    assert {p.row for p in problems_of(error)} == {line_of(text, "8: 5")}


def test_spss_unmapped_code_is_located_by_case_number(tmp_path):
    # Case 3 answers sp1 with 7, which no code set maps (and which is no label either).
    sav = _write_sav(tmp_path / "narvik-2024.sav", sp1=(5.0, 8.0, 7.0, None))
    with pytest.raises(DataContractError) as error:
        import_survey(sav, format="spss", mapping=FIXTURES / "spss.yaml", wave=2024,
                      items=contract_items())
    problem = problems_of(error)[0]
    assert (problem.file, problem.row, problem.column) == (str(sav), 3, "sp1")
    assert "code '7' is not mapped" in problem.message


# --------------------------------------------------------------------------------------------
# Generic Excel
# --------------------------------------------------------------------------------------------

EXCEL_HEADER = ["id", "dato", "etat", "Q1", "Q2"]
EXCEL_ROWS = [
    ["L-01", dt.datetime(2022, 9, 20, 10, 15), "nav", 4, 9],
    ["L-02", "21.09.2022", "skatteetaten", 2, None],
    ["L-03", "2022-09-22", "nav", None, 5],
]


def _workbook(path: Path, rows, sheets=("Svar",)) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = sheets[0]
    for extra in sheets[1:]:
        workbook.create_sheet(extra)
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def test_excel_one_sheet_workbook_maps_to_the_contract(tmp_path):
    book = _workbook(tmp_path / "lyngdal.xlsx", [EXCEL_HEADER, *EXCEL_ROWS])
    result = import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022,
                           items=contract_items())
    # By hand: a date cell, a dd.mm.yyyy text and an ISO text are all dates; 9 -> 9
    # (don't know); Q03 is not in the workbook.
    expected = expected_frame([
        ("L-01", "2022-09-20", "lyngdal", "nav", 4, 9, NA),
        ("L-02", "2022-09-21", "lyngdal", "skatteetaten", 2, NA, NA),
        ("L-03", "2022-09-22", "lyngdal", "nav", NA, 5, NA),
    ], 2022)
    pd.testing.assert_frame_equal(result.responses, expected)


def test_excel_two_row_header_is_refused_at_row_2(tmp_path):
    texts = ["Løpenummer", "Dato", "Etat", "Jeg samarbeider ofte med andre etater",
             "Jeg trives i kontorfellesskapet"]
    book = _workbook(tmp_path / "to-rader.xlsx", [EXCEL_HEADER, texts, *EXCEL_ROWS])
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022,
                      items=contract_items())
    problems = problems_of(error)
    assert len(problems) == 1
    assert (problems[0].file, problems[0].row, problems[0].column) == (str(book), 2, "Svar!Q1")
    assert "two-row header" in problems[0].message
    assert "one header row" in problems[0].expected


def test_excel_group_titles_over_the_column_names_are_refused_as_two_row_header(tmp_path):
    groups = ["Bakgrunn", None, None, "Samarbeid", None]
    book = _workbook(tmp_path / "grupper.xlsx", [groups, EXCEL_HEADER, *EXCEL_ROWS])
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022)
    problem = problems_of(error)[0]
    assert problem.row == 2 and "two-row header" in problem.message
    assert problem.column == "Svar!column B"


def test_excel_text_in_a_code_column_is_refused_with_file_row_and_column(tmp_path):
    rows = [EXCEL_HEADER, EXCEL_ROWS[0], ["L-02", "21.09.2022", "skatteetaten", "Helt enig", 2],
            EXCEL_ROWS[2]]
    book = _workbook(tmp_path / "tekst.xlsx", rows)
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022,
                      items=contract_items())
    problems = problems_of(error)
    assert len(problems) == 1
    assert (problems[0].file, problems[0].row, problems[0].column) == (str(book), 3, "Svar!Q1")
    assert "text in a code column: 'Helt enig'" in problems[0].message
    assert "numeric answer code (1, 2, 3, 4, 5, 9)" in problems[0].expected
    assert str(problems[0]).startswith(f"{book}:3:Svar!Q1: text in a code column")


def test_excel_workbook_with_several_sheets_needs_the_sheet_named(tmp_path):
    book = _workbook(tmp_path / "flere.xlsx", [EXCEL_HEADER, *EXCEL_ROWS], sheets=("Svar", "Notater"))
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022)
    assert "2 sheets" in problems_of(error)[0].message
    text = (FIXTURES / "excel.yaml").read_text(encoding="utf-8") + "source:\n  sheet: Svar\n"
    result = import_survey(book, format="excel", mapping=write_mapping(tmp_path, text), wave=2022,
                           items=contract_items())
    assert list(result.responses["respondent_id"]) == ["L-01", "L-02", "L-03"]


def test_unknown_source_column_is_reported_at_the_export_header_with_the_mapping_line(tmp_path):
    text = (FIXTURES / "excel.yaml").read_text(encoding="utf-8").replace("  Q2: Q02", "  Q7: Q02")
    mapping = write_mapping(tmp_path, text)
    book = _workbook(tmp_path / "lyngdal.xlsx", [EXCEL_HEADER, *EXCEL_ROWS])
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=mapping, wave=2022, items=contract_items())
    problem = problems_of(error)[0]
    assert (problem.file, problem.row, problem.column) == (str(book), 1, "Svar!Q7")
    assert f"{mapping}:{line_of(text, 'Q7: Q02')}" in problem.message
    assert "'Q1', 'Q2'" in problem.expected


def test_duplicate_respondent_id_is_refused(tmp_path):
    rows = [EXCEL_HEADER, EXCEL_ROWS[0], EXCEL_ROWS[1], ["L-01", "2022-09-22", "nav", 3, 3]]
    book = _workbook(tmp_path / "dobbel.xlsx", rows)
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022,
                      items=contract_items())
    problem = problems_of(error)[0]
    assert (problem.row, problem.column) == (4, "Svar!id")
    assert "first on line 2" in problem.message


def test_respondent_id_that_is_an_email_address_is_refused_without_repeating_it(tmp_path):
    rows = [EXCEL_HEADER, ["kari.nordmann@nav.no", "2022-09-20", "nav", 4, 4]]
    book = _workbook(tmp_path / "epost.xlsx", rows)
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022,
                      items=contract_items())
    assert "not an opaque id" in problems_of(error)[0].message
    assert "kari" not in str(error.value)


def test_impossible_and_ambiguous_dates_are_refused(tmp_path):
    rows = [EXCEL_HEADER, ["L-01", "30.02.2022", "nav", 4, 4], ["L-02", "09/21/2022", "nav", 4, 4]]
    book = _workbook(tmp_path / "datoer.xlsx", rows)
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022,
                      items=contract_items())
    first, second = problems_of(error)
    assert (first.row, first.column) == (2, "Svar!dato") and "impossible date" in first.message
    assert second.row == 3 and "source.date_format" in second.expected


def test_agency_that_is_not_a_contract_id_is_refused(tmp_path):
    rows = [EXCEL_HEADER, ["L-01", "2022-09-20", "Statens vegvesen", 4, 4]]
    book = _workbook(tmp_path / "etat.xlsx", rows)
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022,
                      items=contract_items())
    problem = problems_of(error)[0]
    assert (problem.row, problem.column) == (2, "Svar!etat")
    assert "values.agency" in problem.expected


# --------------------------------------------------------------------------------------------
# The mapping file
# --------------------------------------------------------------------------------------------


def test_yaml_syntax_error_is_reported_with_the_mapping_line(tmp_path):
    text = "format: excel\ncolumns:\n  respondent_id: id\n    response_date: dato\n"
    mapping = write_mapping(tmp_path, text)
    with pytest.raises(DataContractError) as error:
        read_mapping(mapping)
    problem = problems_of(error)[0]
    # Line 4 indents a key under a plain value: the parser stops there.
    assert (problem.file, problem.row) == (str(mapping), 4)
    assert "YAML syntax error" in problem.message


def test_misspelt_mapping_key_is_refused_not_ignored(tmp_path):
    text = (FIXTURES / "excel.yaml").read_text(encoding="utf-8").replace("constants:", "konstanter:")
    mapping = write_mapping(tmp_path, text)
    with pytest.raises(DataContractError) as error:
        read_mapping(mapping)
    problem = problems_of(error)[0]
    assert (problem.row, problem.column) == (line_of(text, "konstanter:"), "konstanter")
    assert "unknown key" in problem.message


def test_duplicate_key_in_the_mapping_is_refused(tmp_path):
    text = "codes:\n  agree5: {1: 1, 2: 2, 1: 3}\nitems:\n  Q1: Q01\n"
    with pytest.raises(DataContractError) as error:
        read_mapping(write_mapping(tmp_path, text))
    assert problems_of(error)[0].row == 2 and "duplicate key" in problems_of(error)[0].message


def test_item_not_in_the_contract_is_refused_at_its_mapping_line(tmp_path):
    text = (FIXTURES / "excel.yaml").read_text(encoding="utf-8").replace("Q2: Q02", "Q2: Q12")
    mapping = write_mapping(tmp_path, text)
    book = _workbook(tmp_path / "lyngdal.xlsx", [EXCEL_HEADER, *EXCEL_ROWS])
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=mapping, wave=2022, items=contract_items())
    problem = problems_of(error)[0]
    assert (problem.file, problem.row, problem.column) == (str(mapping), line_of(text, "Q2: Q12"),
                                                           "items.Q2")
    assert "Q12 is not in survey/items.csv" in problem.message


def test_level_outside_the_contract_scale_is_refused(tmp_path):
    text = (FIXTURES / "excel.yaml").read_text(encoding="utf-8").replace("5: 5", "5: 6")
    mapping = write_mapping(tmp_path, text)
    book = _workbook(tmp_path / "lyngdal.xlsx", [EXCEL_HEADER, *EXCEL_ROWS])
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=mapping, wave=2022, items=contract_items())
    problem = problems_of(error)[0]
    assert problem.column == "codes.agree5.5" and "outside the scale of Q01 (1–5)" in problem.message


def test_dont_know_without_contract_items_needs_the_dont_know_code(tmp_path):
    book = _workbook(tmp_path / "lyngdal.xlsx", [EXCEL_HEADER, *EXCEL_ROWS])
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022)
    assert "don't-know code is unknown" in problems_of(error)[0].message
    text = (FIXTURES / "excel.yaml").read_text(encoding="utf-8") + "dont_know_code: 8\n"
    result = import_survey(book, format="excel", mapping=write_mapping(tmp_path, text), wave=2022)
    # Without contract items the columns are the mapped items only, in mapping order, and
    # source code 9 ("dont_know") becomes the given contract code 8.
    assert list(result.responses.columns) == ["respondent_id", "wave", "response_date", "pilot",
                                              "agency", "Q01", "Q02"]
    assert result.responses.loc[0, "Q02"] == 8


def test_mapping_for_another_format_is_refused(tmp_path):
    with pytest.raises(DataContractError) as error:
        import_survey(SX_DIR, format="nettskjema", mapping=SX_MAPPING, wave=2022)
    problem = problems_of(error)[0]
    assert problem.column == "format" and problem.row == line_of(SX_MAPPING.read_text(), "format:")


def test_mapping_given_as_a_dict_reads_like_the_file():
    mapping = yaml.safe_load(SX_MAPPING.read_text(encoding="utf-8"))
    result = import_survey(SX_DIR, format="surveyxact", mapping=mapping, wave=2022,
                           items=contract_items(), encoding="cp1252")
    pd.testing.assert_frame_equal(result.responses, expected_frame(SX_EXPECTED, 2022))


def test_bad_arguments_raise_value_error():
    with pytest.raises(ValueError, match="unknown format"):
        import_survey(SX_DIR, format="qualtrics", mapping=SX_MAPPING, wave=2022)
    with pytest.raises(ValueError, match="whole number"):
        import_survey(SX_DIR, format="surveyxact", mapping=SX_MAPPING, wave="tjueto")
    with pytest.raises(ValueError, match="item_id"):
        import_survey(SX_DIR, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                      items=pd.DataFrame({"id": ["Q01"]}))


# --------------------------------------------------------------------------------------------
# More shapes of real exports
# --------------------------------------------------------------------------------------------


def test_export_without_any_answering_respondent_is_refused(tmp_path):
    rows = [EXCEL_HEADER, ["L-01", "2022-09-20", "nav", None, None]]
    book = _workbook(tmp_path / "tom.xlsx", rows)
    with pytest.raises(DataContractError) as error:
        import_survey(book, format="excel", mapping=FIXTURES / "excel.yaml", wave=2022,
                      items=contract_items())
    problem = problems_of(error)[0]
    assert problem.file == str(book) and "no respondent" in problem.message


def test_without_an_id_column_ids_are_made_from_wave_pilot_and_row_with_a_warning(tmp_path):
    text = (FIXTURES / "excel.yaml").read_text(encoding="utf-8").replace("  respondent_id: id\n", "")
    book = _workbook(tmp_path / "lyngdal.xlsx", [EXCEL_HEADER, *EXCEL_ROWS])
    result = import_survey(book, format="excel", mapping=write_mapping(tmp_path, text), wave=2022,
                           items=contract_items())
    ids = list(result.responses["respondent_id"])
    pilots = list(result.responses["pilot"])
    # r<wave>-<pilot>-<10 hex digits>, one per row (rows 2, 3 and 4 of the sheet), all different
    assert all(re.fullmatch(rf"r2022-{p}-[0-9a-f]{{10}}", i) for i, p in zip(ids, pilots, strict=True)), ids
    assert len(set(ids)) == 3
    again = import_survey(book, format="excel", mapping=write_mapping(tmp_path, text), wave=2022,
                          items=contract_items())
    assert list(again.responses["respondent_id"]) == ids  # stable: the same row gets the same id
    assert any("no respondent id column" in w for w in result.warnings)


def test_code_mapped_to_missing_is_left_empty(tmp_path):
    # "Ønsker ikke å svare" (code 7) is not an answer: mapped to missing, it is an empty cell.
    text = (FIXTURES / "excel.yaml").read_text(encoding="utf-8").replace(
        "9: dont_know}", "9: dont_know, 7: missing}")
    rows = [EXCEL_HEADER, ["L-01", "2022-09-20", "nav", 7, 3]]
    book = _workbook(tmp_path / "lyngdal.xlsx", rows)
    result = import_survey(book, format="excel", mapping=write_mapping(tmp_path, text), wave=2022,
                           items=contract_items())
    assert pd.isna(result.responses.loc[0, "Q01"]) and result.responses.loc[0, "Q02"] == 3


def test_nettskjema_codebook_as_a_table_of_element_and_answer_codes(tmp_path):
    # The long codebook table (element_code, answer_code, answer_text), tab-separated, as the
    # R package nettskjemar writes it; 99 is missing from trivsel.q3 here, so line 4 fails.
    lines = ["element_code\tanswer_code\tanswer_text"]
    for element in ("samarbeid.q1", "samarbeid.q2", "trivsel.q3"):
        codes = ["1", "2", "3", "4", "5"] + (["99"] if element != "trivsel.q3" else [])
        lines += [f"{element}\t{code}\tsvar {code}" for code in codes]
    (tmp_path / "kodebok.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        import_survey(NS_DATA, format="nettskjema", mapping=NS_MAPPING, wave=2022,
                      items=contract_items(), codebook=tmp_path / "kodebok.tsv")
    problem = problems_of(error)[0]
    assert (problem.row, problem.column) == (4, "trivsel.q3") and "code 99" in problem.message


def test_utf8_byte_order_mark_is_recognised(tmp_path):
    # Excel's "CSV UTF-8" starts the file with EF BB BF.
    (tmp_path / "data.csv").write_bytes(b"\xef\xbb\xbf" + NS_DATA.read_bytes())
    (tmp_path / "codebook-123456.txt").write_bytes((NS_DIR / "codebook-123456.txt").read_bytes())
    (tmp_path / "mapping.yaml").write_bytes(NS_MAPPING.read_bytes())
    result = import_survey(tmp_path / "data.csv", format="nettskjema",
                           mapping=tmp_path / "mapping.yaml", wave=2022, items=contract_items())
    pd.testing.assert_frame_equal(result.responses, expected_frame(NS_EXPECTED, 2022))


def test_utf16_without_byte_order_mark_is_recognised_by_its_zero_bytes(tmp_path):
    for name in ("dataset", "structure", "labels"):
        text = (SX_DIR / f"{name}.csv").read_bytes().decode("cp1252").replace(";", "\t")
        (tmp_path / f"{name}.csv").write_bytes(text.encode("utf-16-le"))
    assert (tmp_path / "dataset.csv").read_bytes()[:4] == b"r\x00e\x00"
    result = import_survey(tmp_path, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                           items=contract_items())
    pd.testing.assert_frame_equal(result.responses, expected_frame(SX_EXPECTED, 2022))


def test_items_with_scales_derives_levels_and_dont_know_code_from_the_csv_files():
    from evaluation.importers import items_with_scales

    items = pd.DataFrame({"item_id": ["Q01", "Q02"], "scale": ["agree5", "yesno"]})
    scales = pd.DataFrame({
        "scale": ["agree5"] * 6 + ["yesno"] * 2,
        "code": ["1", "2", "3", "4", "5", "9", "0", "1"],
        "dont_know": ["no"] * 5 + ["yes", "no", "no"],
    })
    out = items_with_scales(items, scales)
    # By hand: agree5 has levels 1-5 and "vet ikke" 9; yesno has levels 0-1 and none.
    assert list(out["scale_min"]) == [1, 0]
    assert list(out["scale_max"]) == [5, 1]
    assert out.loc[0, "dont_know_code"] == 9 and pd.isna(out.loc[1, "dont_know_code"])
    with pytest.raises(DataContractError) as error:
        items_with_scales(pd.DataFrame({"item_id": ["Q03"], "scale": ["freq4"]}), scales)
    assert (problems_of(error)[0].file, problems_of(error)[0].row) == ("survey/items.csv", 2)
