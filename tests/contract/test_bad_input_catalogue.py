"""A catalogue of bad input, across every contract file and import format.

Each case breaks one thing in a copy of the demo data (or feeds a broken export to
``import-survey``) and checks what an analyst sees: exit code 1, a message of the form
``FILE:ROW:COLUMN: what is wrong; expected …`` at the right place, and no report written.
Expected rows are line numbers as a text editor shows them (header = line 1), worked out by the
test from the file it edited.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from conftest import REPO, read_lines, write_lines
from evaluation.cli import main

MESSAGE = re.compile(r"^(?P<file>[^:\n]+):(?P<row>\d*):(?P<column>[^:\n]*): (?P<what>.+); expected (?P<expected>.+)$")
EXPORTS = REPO / "tests" / "fixtures" / "exports"


def set_cell(path: Path, line: int, column: str, value: str) -> None:
    lines = read_lines(path)
    header = next(csv.reader([lines[0]]))
    fields = next(csv.reader([lines[line - 1]]))
    fields[header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    lines[line - 1] = buffer.getvalue()
    write_lines(path, lines)


def first_line(path: Path, predicate) -> int:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    return next(i for i, row in enumerate(rows) if predicate(row)) + 2


def yaml_line(path: Path, text: str, after: str | None = None) -> int:
    lines = read_lines(path)
    start = 0 if after is None else next(i for i, line in enumerate(lines) if after in line)
    return next(i for i in range(start, len(lines)) if text in lines[i]) + 1


# --- the cases: each breaks the folder and returns (file, row, column) of the expected message ---

def missing_file(d):
    (d / "survey/population.csv").unlink()
    return "survey/population.csv", None, None


def missing_column(d):
    path = d / "interviews/interviews.csv"
    lines = read_lines(path)
    write_lines(path, [",".join(line.split(",")[:-1]) for line in lines])  # drop 'informants'
    return "interviews/interviews.csv", 1, "informants"


def unknown_pilot(d):
    set_cell(d / "indicators/observations.csv", 5, "pilot", "bodo")
    return "indicators/observations.csv", 5, "pilot"


def unknown_agency(d):
    set_cell(d / "survey/population.csv", 3, "agency", "tolletaten")
    return "survey/population.csv", 3, "agency"


def unknown_item_column(d):
    path = d / "survey/responses.csv"
    lines = read_lines(path)
    write_lines(path, [lines[0] + ",Q21"] + [line + ",3" for line in lines[1:]])
    return "survey/responses.csv", 1, "Q21"


def unknown_interview_code(d):
    set_cell(d / "interviews/segments.csv", 11, "code", "collab_coffee")
    return "interviews/segments.csv", 11, "code"


def unknown_sub_goal(d):
    set_cell(d / "assessments.csv", 4, "sub_goal", "stad-d7")
    return "assessments.csv", 4, "sub_goal"


def unknown_index_in_items(d):
    set_cell(d / "survey/items.csv", 6, "index", "wellbeing")
    return "survey/items.csv", 6, "index"


def unknown_wave(d):
    set_cell(d / "survey/responses.csv", 9, "wave", "2023")
    return "survey/responses.csv", 9, "wave"


def duplicate_respondent(d):
    path = d / "survey/responses.csv"
    lines = read_lines(path)
    lines.append(lines[20])
    write_lines(path, lines)
    return "survey/responses.csv", len(lines), "respondent_id"


def duplicate_segment_id(d):
    path = d / "interviews/segments.csv"
    lines = read_lines(path)
    set_cell(path, 30, "segment_id", next(csv.reader([lines[1]]))[0])
    return "interviews/segments.csv", 30, "segment_id"


def duplicate_assessment(d):
    path = d / "assessments.csv"
    lines = read_lines(path)
    lines.append(lines[1])
    write_lines(path, lines)
    return "assessments.csv", len(lines), "sub_goal"


def value_outside_scale(d):
    set_cell(d / "survey/responses.csv", 40, "Q12", "0")
    return "survey/responses.csv", 40, "Q12"


def text_in_code_column(d):
    set_cell(d / "survey/responses.csv", 41, "Q02", "Helt enig")
    return "survey/responses.csv", 41, "Q02"


def text_in_number_column(d):
    set_cell(d / "survey/population.csv", 8, "invited", "tolv")
    return "survey/population.csv", 8, "invited"


def decimal_comma(d):
    set_cell(d / "indicators/observations.csv", 6, "value", "3,4")
    return "indicators/observations.csv", 6, "value"


def impossible_date(d):
    set_cell(d / "interviews/interviews.csv", 5, "date", "2022-13-01")
    return "interviews/interviews.csv", 5, "date"


def date_outside_wave(d):
    set_cell(d / "survey/responses.csv", 2, "response_date", "2020-10-01")
    return "survey/responses.csv", 2, "response_date"


def wave_straddling_a_cut_off(d):
    programme = d / "programme.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace(
        "cutoff: 2022-12-31", "cutoff: 2022-10-15"), encoding="utf-8")
    path = d / "survey/responses.csv"
    first = next(r for r in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
                 if r["wave"] == "2022")
    early = first["response_date"] <= "2022-10-15"
    return "survey/responses.csv", first_line(
        path, lambda r: r["wave"] == "2022" and (r["response_date"] <= "2022-10-15") != early), "response_date"


def interview_after_last_cut_off(d):
    set_cell(d / "interviews/interviews.csv", 6, "date", "2025-03-01")
    return "interviews/interviews.csv", 6, "date"


def wave_without_respondents(d):
    path = d / "survey/responses.csv"
    lines = read_lines(path)
    write_lines(path, [lines[0]] + [line for line in lines[1:] if next(csv.reader([line]))[1] != "2022"])
    return "survey/population.csv", first_line(d / "survey/population.csv", lambda r: r["wave"] == "2022"), "wave"


def more_responses_than_invited(d):
    path = d / "survey/population.csv"
    line = first_line(path, lambda r: r["pilot"] == "narvik" and r["agency"] == "nav" and r["wave"] == "2021")
    set_cell(path, line, "invited", "3")
    return "survey/population.csv", line, "invited"


def unknown_assessment(d):
    set_cell(d / "interviews/segments.csv", 12, "assessment", "very positive")
    return "interviews/segments.csv", 12, "assessment"


def bad_approval_flag(d):
    set_cell(d / "interviews/segments.csv", 13, "quote_approved", "ja")
    return "interviews/segments.csv", 13, "quote_approved"


def unknown_stakeholder_group(d):
    set_cell(d / "interviews/interviews.csv", 7, "stakeholder_group", "mayor")
    return "interviews/interviews.csv", 7, "stakeholder_group"


def unknown_status(d):
    set_cell(d / "assessments.csv", 3, "status", "great")
    return "assessments.csv", 3, "status"


def gas_score_out_of_range(d):
    set_cell(d / "assessments.csv", 5, "gas_score", "3")
    return "assessments.csv", 5, "gas_score"


def indicator_of_another_pilot(d):
    line = first_line(d / "indicators/observations.csv", lambda r: r["indicator_id"] == "narvik-i1")
    set_cell(d / "indicators/observations.csv", line, "pilot", "stad")
    return "indicators/observations.csv", line, "indicator_id"


def target_equal_to_baseline(d):
    path = d / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("id: orkland-i2")
    target = text.index("value: 9.0", start)
    path.write_text(text[:target] + "value: 14.0" + text[target + len("value: 9.0"):], encoding="utf-8")
    return ("programme.yaml", yaml_line(path, "value: 14.0", after="id: orkland-i2") + 3,
            "pilots[1].indicators[1].target.value")


def unknown_national_goal(d):
    path = d / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - N5\n", "  - N9\n", 1), encoding="utf-8")
    return "programme.yaml", yaml_line(path, "- N9"), None


def yaml_syntax_error(d):
    path = d / "programme.yaml"
    lines = read_lines(path)
    at = next(i for i, line in enumerate(lines) if line.startswith("anonymity_threshold"))
    lines[at] = "anonymity_threshold: [5"
    write_lines(path, lines)
    return "programme.yaml", None, None


def wrong_encoding(d):
    path = d / "survey/items.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252"))
    bad = next(i for i, line in enumerate(text.splitlines()) if any(ord(c) > 127 for c in line)) + 1
    return "survey/items.csv", bad, None


def misspelt_narrative_section(d):
    path = d / "narratives/stad-midterm.nb.md"
    lines = read_lines(path)
    at = lines.index("## Konklusjoner")
    lines[at] = "## Konklusjon"
    write_lines(path, lines)
    return "narratives/stad-midterm.nb.md", at + 1, "1"


def raw_html_in_a_narrative(d):
    path = d / "narratives/synthesis-final.en.md"
    lines = read_lines(path)
    at = lines.index("## Conclusions") + 2
    lines[at] = "Read <script>alert(1)</script> " + lines[at]
    write_lines(path, lines)
    return "narratives/synthesis-final.en.md", at + 1, "6"


def narrative_in_the_old_yaml_format(d):
    (d / "narratives/stad-midterm.yaml").write_text("nb:\n  summary: Kort\n", encoding="utf-8")
    return "narratives/stad-midterm.yaml", None, None


# --- issue 16: valid-looking data that crashed instead of getting a message ------------------

def duplicate_key_in_programme(d):
    path = d / "programme.yaml"
    line = yaml_line(path, "anonymity_threshold:")
    lines = read_lines(path)
    lines.insert(line, "anonymity_threshold: 2")  # the last one silently won: a lower threshold
    write_lines(path, lines)
    return "programme.yaml", line + 1, "anonymity_threshold"


def duplicate_key_in_a_narratives_front_matter(d):
    path = d / "narratives/stad-midterm.nb.md"
    line = yaml_line(path, "version:")
    lines = read_lines(path)
    lines.insert(line, 'version: "0.9"')
    write_lines(path, lines)
    return "narratives/stad-midterm.nb.md", line + 1, "version"


def cut_off_with_a_time_of_day(d):
    path = d / "programme.yaml"
    line = yaml_line(path, "cutoff: 2022-12-31")
    write_lines(path, [text.replace("cutoff: 2022-12-31", "cutoff: 2022-12-31 12:00:00") for text in read_lines(path)])
    return "programme.yaml", line, "phases[0].cutoff"


def wrong_type_for_a_label(d):
    path = d / "programme.yaml"
    line = yaml_line(path, "label_en:", after="interview_themes:")
    lines = read_lines(path)
    lines[line - 1] = "  label_en: [Collaboration]"
    write_lines(path, lines)
    return "programme.yaml", line, "interview_themes[0].label_en"


def wrong_type_for_a_list(d):
    path = d / "programme.yaml"
    line = yaml_line(path, "waves:")
    lines = read_lines(path)
    end = yaml_line(path, "survey_indices:")
    write_lines(path, lines[:line - 1] + ["waves: 2021"] + lines[end - 1:])
    return "programme.yaml", line, "waves"


def wrong_type_for_a_results_chain_stage(d):
    path = d / "programme.yaml"
    line = yaml_line(path, "inputs:", after="results_chain:")
    lines = read_lines(path)
    end = next(i for i in range(line, len(lines)) if not lines[i].startswith(("    -", "      ")))
    write_lines(path, lines[:line - 1] + ["    inputs: 3"] + lines[end:])
    return "programme.yaml", line, "pilots[0].results_chain.inputs"


def pilot_called_synthesis(d):
    path = d / "programme.yaml"
    line = yaml_line(path, "- id: orkland")
    for file in [path, *d.rglob("*.csv")]:
        file.write_text(file.read_text(encoding="utf-8").replace("orkland", "synthesis"), encoding="utf-8")
    for narrative in (d / "narratives").glob("orkland-*"):
        narrative.rename(narrative.with_name(narrative.name.replace("orkland", "synthesis")))
    return "programme.yaml", line, "pilots[1].id"


def folder_where_a_file_should_be(d):
    (d / "milestones.csv").unlink()
    (d / "milestones.csv").mkdir()
    return "milestones.csv", None, None


def csv_saved_by_norwegian_excel(d):
    path = d / "indicators/observations.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(
        [[re.sub(r"^(\d+)\.(\d+)$", r"\1,\2", cell) for cell in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return "indicators/observations.csv", 1, None


CASES = [missing_file, missing_column, unknown_pilot, unknown_agency, unknown_item_column,
         unknown_interview_code, unknown_sub_goal, unknown_index_in_items, unknown_wave,
         duplicate_respondent, duplicate_segment_id, duplicate_assessment, value_outside_scale,
         text_in_code_column, text_in_number_column, decimal_comma, impossible_date,
         date_outside_wave, wave_straddling_a_cut_off, interview_after_last_cut_off, wave_without_respondents,
         more_responses_than_invited, unknown_assessment, bad_approval_flag,
         unknown_stakeholder_group, unknown_status, gas_score_out_of_range,
         indicator_of_another_pilot, target_equal_to_baseline, unknown_national_goal,
         yaml_syntax_error, wrong_encoding, misspelt_narrative_section, raw_html_in_a_narrative,
         narrative_in_the_old_yaml_format,
         duplicate_key_in_programme, duplicate_key_in_a_narratives_front_matter, cut_off_with_a_time_of_day,
         wrong_type_for_a_label, wrong_type_for_a_list, wrong_type_for_a_results_chain_stage, pilot_called_synthesis,
         folder_where_a_file_should_be, csv_saved_by_norwegian_excel]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_contract_data_is_refused_with_a_located_message(case, demo_copy, tmp_path, capsys):
    file, row, column = case(demo_copy)
    out = tmp_path / "reports"
    assert main(["validate", "--data-dir", str(demo_copy)]) == 1
    validate_err = capsys.readouterr().err
    assert main(["render", "--data-dir", str(demo_copy), "--out", str(out)]) == 1
    render_err = capsys.readouterr().err
    assert not out.exists() or not list(out.rglob("*.html")), "a report was written from bad data"
    for stderr in (validate_err, render_err):
        messages = [MESSAGE.match(line) for line in stderr.splitlines()]
        located = [m for m in messages if m and m["file"] == file
                   and (row is None or m["row"] == str(row))
                   and (column is None or m["column"] == column)]
        assert located, f"no message at {file}:{row}:{column} in:\n{stderr}"


# --- import formats: the export is refused, the data folder is left as it was ----------------

def _two_row_header(tmp: Path) -> tuple[list[str], str]:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["respondentid", "closetime", "b_kommune", "b_etat", "s_1_1", "s_1_2"])
    sheet.append(["Respondent", "Tidspunkt", "Kommune", "Etat", "Jeg samarbeider ofte …", "Jeg vet hvem …"])
    sheet.append(["r1", "2022-10-10", 1, 1, 4, 5])
    path = tmp / "export.xlsx"
    book.save(path)
    return [str(path), "--format", "excel", "--mapping", str(EXPORTS / "excel.yaml")], "export.xlsx"


def _undeclared_encoding(tmp: Path) -> tuple[list[str], str]:
    return [str(EXPORTS / "surveyxact_csv"), "--format", "surveyxact",
            "--mapping", str(EXPORTS / "surveyxact.yaml")], "dataset.csv"


def _wrong_format_for_mapping(tmp: Path) -> tuple[list[str], str]:
    return [str(EXPORTS / "surveyxact_csv"), "--format", "spss",
            "--mapping", str(EXPORTS / "surveyxact.yaml")], "surveyxact.yaml"


def _unmapped_code(tmp: Path) -> tuple[list[str], str]:
    text = (EXPORTS / "surveyxact.yaml").read_text(encoding="utf-8")
    mapping = tmp / "mapping.yaml"
    mapping.write_text(re.sub(r"\n\s+6: 3[^\n]*\n", "\n", text, count=1), encoding="utf-8")
    assert mapping.read_text(encoding="utf-8") != text
    return [str(EXPORTS / "surveyxact_csv"), "--format", "surveyxact", "--mapping", str(mapping),
            "--encoding", "cp1252"], "dataset.csv"


IMPORT_CASES = [_two_row_header, _undeclared_encoding, _wrong_format_for_mapping, _unmapped_code]


@pytest.mark.parametrize("case", IMPORT_CASES, ids=[c.__name__.strip("_") for c in IMPORT_CASES])
def test_bad_exports_are_refused_and_leave_the_data_folder_intact(case, demo_copy, tmp_path, capsys):
    before = (demo_copy / "survey/responses.csv").read_bytes()
    args, file_name = case(tmp_path)
    code = main(["import-survey", *args, "--wave", "2022", "--out", str(demo_copy)])
    stderr = capsys.readouterr().err
    assert code == 1
    messages = [MESSAGE.match(line) for line in stderr.splitlines()]
    assert any(m and Path(m["file"]).name == file_name for m in messages), stderr
    assert (demo_copy / "survey/responses.csv").read_bytes() == before


def test_import_with_replace_replaces_only_the_imported_pilots_rows_of_the_wave(demo_copy, capsys):
    def count(pilot: str, wave: str) -> int:
        with open(demo_copy / "survey/responses.csv", encoding="utf-8") as stream:
            return sum(1 for r in csv.DictReader(stream) if r["pilot"] == pilot and r["wave"] == wave)

    narvik_before = count("narvik", "2022")
    code = main(["import-survey", str(EXPORTS / "surveyxact_csv"), "--format", "surveyxact",
                 "--mapping", str(EXPORTS / "surveyxact.yaml"), "--encoding", "cp1252",
                 "--wave", "2022", "--out", str(demo_copy), "--replace"])
    out = capsys.readouterr()
    assert code == 0, out.err
    # the fixture has four answering respondents, all in Stad or Orkland (lines 2-4 and 6 of dataset.csv)
    assert count("narvik", "2022") == narvik_before > 0
    assert count("stad", "2022") + count("orkland", "2022") == 4
    assert "valid" in out.out


def test_catalogue_has_at_least_25_kinds():
    assert len(CASES) + len(IMPORT_CASES) >= 25
