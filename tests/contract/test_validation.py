"""The CSV rules of the data contract (evaluation.contract.validation, .columns): every class of
problem is found, located (FILE:ROW:COLUMN) and explained.

Each test breaks one thing in a copy of the demo data and checks the exact location that an
analyst would look at: the line number as a text editor shows it (header = line 1) and the
column name. The expected line is computed by the test from the file it edited.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import DEMO, read_lines, write_lines
from evaluation.contract import load_data, validate

from .contract_edits import edit_cell, locations


def test_demo_data_is_valid():
    assert validate(DEMO) == []

def test_duplicate_respondent_id_in_a_wave_is_located(demo_copy):
    path = demo_copy / "survey/responses.csv"
    lines = read_lines(path)
    lines.append(lines[1])  # line 2 again, at the end
    write_lines(path, lines)
    problems = validate(demo_copy)
    assert ("survey/responses.csv", len(lines), "respondent_id") in locations(problems)
    message = next(str(p) for p in problems if p.row == len(lines))
    assert message.startswith(f"survey/responses.csv:{len(lines)}:respondent_id: duplicate")
    assert "first on line 2" in message and "expected" in message

def test_unknown_agency_for_the_pilot_is_located(demo_copy):
    path = demo_copy / "survey/responses.csv"
    edit_cell(path, 7, "agency", "tolletaten")
    assert ("survey/responses.csv", 7, "agency") in locations(validate(demo_copy))

def test_agency_of_another_pilot_is_rejected(demo_copy):
    path = demo_copy / "survey/responses.csv"
    frame = pd.read_csv(path, dtype=str)
    row = int(frame.index[frame["pilot"] == "stad"][0]) + 2
    edit_cell(path, row, "agency", "uit")  # UiT takes part in Narvik only
    problems = [p for p in validate(demo_copy) if p.row == row]
    assert any(p.column == "agency" and "does not take part in pilot 'stad'" in p.message for p in problems)

def test_unknown_pilot_is_located(demo_copy):
    edit_cell(demo_copy / "interviews/interviews.csv", 4, "pilot", "bodo")
    assert ("interviews/interviews.csv", 4, "pilot") in locations(validate(demo_copy))

def test_value_outside_the_scale_is_located(demo_copy):
    edit_cell(demo_copy / "survey/responses.csv", 10, "Q05", "7")
    problems = validate(demo_copy)
    assert ("survey/responses.csv", 10, "Q05") in locations(problems)
    assert any("outside the scale" in p.message and "1, 2, 3, 4, 5, 9" in p.expected for p in problems)

def test_text_in_a_code_column_is_located(demo_copy):
    edit_cell(demo_copy / "survey/responses.csv", 12, "Q01", "enig")
    assert ("survey/responses.csv", 12, "Q01") in locations(validate(demo_copy))

def test_decimal_comma_in_a_number_column_is_located(demo_copy):
    edit_cell(demo_copy / "indicators/observations.csv", 3, "value", "12,5")
    problems = validate(demo_copy)
    assert ("indicators/observations.csv", 3, "value") in locations(problems)
    assert any("decimal point" in p.expected for p in problems)

def test_impossible_date_is_located(demo_copy):
    edit_cell(demo_copy / "milestones.csv", 2, "due_date", "2022-02-30")
    problems = validate(demo_copy)
    assert ("milestones.csv", 2, "due_date") in locations(problems)
    assert any("impossible date" in p.message for p in problems)

def test_response_date_outside_its_wave_is_located(demo_copy):
    edit_cell(demo_copy / "survey/responses.csv", 5, "response_date", "2023-01-15")
    assert ("survey/responses.csv", 5, "response_date") in locations(validate(demo_copy))

def test_a_wave_straddling_a_phase_cut_off_is_refused_at_its_first_late_row(demo_copy):
    # Wave 2022 was answered 2022-10-04 .. 2022-10-24; a midterm cut-off inside that window
    # would let the midterm and final reports be differenced to one respondent's answers.
    programme = demo_copy / "programme.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace(
        "cutoff: 2022-12-31", "cutoff: 2022-10-15"), encoding="utf-8")
    rows = pd.read_csv(demo_copy / "survey/responses.csv", dtype=str)
    wave = rows[rows["wave"] == "2022"]
    early = wave["response_date"].iloc[0] <= "2022-10-15"
    expected = int(wave.index[(wave["response_date"] <= "2022-10-15") != early][0]) + 2
    problems = [p for p in validate(demo_copy) if p.column == "response_date"]
    assert [(p.file, p.row) for p in problems] == [("survey/responses.csv", expected)]
    assert str(problems[0]) == (
        f"survey/responses.csv:{expected}:response_date: wave 2022 has responses on both sides "
        "of the midterm cut-off 2022-10-15; expected every response of a wave on one side of "
        "each cut-off (move the cut-off or the wave)")


def test_each_wave_straddling_each_cut_off_is_refused_once_in_row_order(demo_copy):
    # Both cut-offs moved into a wave's answering window, and one 2021 response dated after the
    # midterm cut-off: three waves straddle a cut-off, wave 2022 and 2021 the same one.
    programme = demo_copy / "programme.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("cutoff: 2022-12-31", "cutoff: 2022-10-15")
                         .replace("cutoff: 2024-12-31", "cutoff: 2024-10-01"), encoding="utf-8")
    path = demo_copy / "survey/responses.csv"
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    late_2021 = int(rows.index[rows["wave"] == "2021"][-1])
    edit_cell(path, late_2021 + 2, "response_date", "2022-11-01")
    rows.loc[late_2021, "response_date"] = "2022-11-01"
    expected = []
    for phase, cutoff in (("midterm", "2022-10-15"), ("final", "2024-10-01")):
        lines = []
        for wave, group in rows.groupby("wave"):
            after = group["response_date"] > cutoff
            other_side = group.index[after != after.iloc[0]]
            if len(other_side):
                lines.append((int(other_side[0]) + 2, wave))
        expected += [(line, f"wave {wave} has responses on both sides of the {phase} cut-off {cutoff}")
                     for line, wave in sorted(lines)]
    assert len(expected) == 3 and {m.split()[1] for _, m in expected} == {"2021", "2022", "2024"}
    problems = [(p.row, p.message) for p in validate(demo_copy) if "both sides" in p.message]
    assert problems == expected


def test_a_wave_wholly_before_a_cut_off_is_accepted(demo_copy):
    programme = demo_copy / "programme.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace(
        "cutoff: 2022-12-31", "cutoff: 2022-10-24"), encoding="utf-8")  # the wave's last day
    assert validate(demo_copy) == []


def test_unknown_item_column_is_located(demo_copy):
    path = demo_copy / "survey/responses.csv"
    lines = read_lines(path)
    lines = [lines[0] + ",Q99"] + [line + "," for line in lines[1:]]
    write_lines(path, lines)
    assert ("survey/responses.csv", 1, "Q99") in locations(validate(demo_copy))

def test_missing_column_is_located(demo_copy):
    path = demo_copy / "interviews/segments.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns="assessment").to_csv(path, index=False)
    assert ("interviews/segments.csv", 1, "assessment") in locations(validate(demo_copy))

def test_missing_file_is_reported(demo_copy):
    (demo_copy / "survey/population.csv").unlink()
    assert ("survey/population.csv", None, None) in locations(validate(demo_copy))

def test_unknown_code_in_segments_is_located(demo_copy):
    edit_cell(demo_copy / "interviews/segments.csv", 8, "code", "no_such_code")
    assert ("interviews/segments.csv", 8, "code") in locations(validate(demo_copy))

def test_unknown_sub_goal_in_milestones_is_located(demo_copy):
    edit_cell(demo_copy / "milestones.csv", 3, "sub_goal", "stad-d9")
    assert ("milestones.csv", 3, "sub_goal") in locations(validate(demo_copy))

def test_duplicate_interview_id_is_located(demo_copy):
    path = demo_copy / "interviews/interviews.csv"
    lines = read_lines(path)
    first_id = lines[1].split(",")[0]
    edit_cell(path, 3, "interview_id", first_id)
    assert ("interviews/interviews.csv", 3, "interview_id") in locations(validate(demo_copy))

def test_wave_with_no_respondents_is_reported(demo_copy):
    path = demo_copy / "survey/responses.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[frame["wave"] != "2024"].to_csv(path, index=False)
    problems = validate(demo_copy)
    assert any(p.file == "survey/population.csv" and "no respondents" in p.message for p in problems)

def test_wrong_encoding_is_reported_with_the_line(demo_copy):
    path = demo_copy / "interviews/codebook.csv"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252"))  # "ø", "å" become single non-UTF-8 bytes
    problems = validate(demo_copy)
    assert problems[0].file == "interviews/codebook.csv"
    first_bad = next(i for i, line in enumerate(text.splitlines()) if any(ord(c) > 127 for c in line)) + 1
    assert problems[0].row == first_bad
    assert "UTF-8" in problems[0].expected

def test_a_byte_order_mark_is_accepted(demo_copy):
    path = demo_copy / "milestones.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert validate(demo_copy) == []


@pytest.mark.parametrize("file, column", [
    ("survey/items.csv", "item_id"), ("survey/responses.csv", "wave"), ("survey/population.csv", "agency"),
    ("interviews/interviews.csv", "interview_id"), ("interviews/interviews.csv", "date"),
    ("interviews/codebook.csv", "code"), ("indicators/observations.csv", "indicator_id"),
])
def test_a_missing_key_column_is_reported_not_a_crash(demo_copy, file, column):
    path = demo_copy / file
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=column).to_csv(path, index=False)
    assert (file, 1, column) in locations(validate(demo_copy))


def test_item_codes_with_spaces_a_decimal_comma_or_a_point_zero_are_read_as_codes(demo_copy):
    path = demo_copy / "survey/responses.csv"
    last = len(read_lines(path))
    for row, value in {2: " 3 ", 3: "3,0", 4: "   ", 5: "4.0", 6: "3", last: "2"}.items():
        edit_cell(path, row, "Q01", value)
    assert validate(demo_copy) == []
    codes = load_data(demo_copy).responses["Q01"]
    assert codes.iloc[[0, 1, 3, 4, last - 2]].tolist() == [3, 3, 4, 3, 2] and pd.isna(codes.iloc[2])


def test_cells_that_are_not_codes_of_the_scale_are_reported_item_by_item_in_row_order(demo_copy):
    path = demo_copy / "survey/responses.csv"
    last = len(read_lines(path))
    for row, value in {2: "2,5", 3: " x ", 4: "7", 5: "-1", 6: "2,5", last: "0"}.items():
        edit_cell(path, row, "Q02", value)
    edit_cell(path, last, "Q03", "enig")
    not_a_code = "expected a whole-number code of the item's scale, or an empty cell"
    outside = "expected one of 1, 2, 3, 4, 5, 9 or empty"
    assert [str(p) for p in validate(demo_copy)] == [
        f"survey/responses.csv:2:Q02: '2,5' is not a response code; {not_a_code}",
        f"survey/responses.csv:3:Q02: 'x' is not a response code; {not_a_code}",
        f"survey/responses.csv:6:Q02: '2,5' is not a response code; {not_a_code}",
        f"survey/responses.csv:4:Q02: code 7 is outside the scale; {outside}",
        f"survey/responses.csv:5:Q02: code -1 is outside the scale; {outside}",
        f"survey/responses.csv:{last}:Q02: code 0 is outside the scale; {outside}",
        f"survey/responses.csv:{last}:Q03: 'enig' is not a response code; {not_a_code}",
    ]


def test_response_dates_outside_their_waves_year_are_reported_in_row_order(demo_copy):
    path = demo_copy / "survey/responses.csv"
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    last = len(rows) + 1
    first_2024 = int(rows.index[rows["wave"] == "2024"][0]) + 2
    assert rows["wave"].iloc[[1, 2, -1]].tolist() == ["2021", "2021", "2024"]  # lines 3, 4 and the last
    edit_cell(path, 3, "response_date", "2021-12-31")  # still in its wave: not reported
    edit_cell(path, 4, "response_date", "2020-12-31")
    edit_cell(path, 5, "response_date", "2021-02-30")  # an impossible date: reported once, by its column
    edit_cell(path, last, "response_date", "2023-06-30")  # after the midterm cut-off, as its wave
    edit_cell(path, first_2024, "response_date", "2023-12-31")
    problems = [str(p) for p in validate(demo_copy) if p.column == "response_date"]
    assert problems == [
        "survey/responses.csv:5:response_date: '2021-02-30' is an impossible date; expected an ISO date such as "
        "2022-10-14",
        "survey/responses.csv:4:response_date: 2020-12-31 is not in wave 2021; expected a date in 2021",
        f"survey/responses.csv:{first_2024}:response_date: 2023-12-31 is not in wave 2024; expected a date in 2024",
        f"survey/responses.csv:{last}:response_date: 2023-06-30 is not in wave 2024; expected a date in 2024",
    ]


def test_every_response_without_a_population_row_is_reported_in_row_order(demo_copy):
    path = demo_copy / "survey/population.csv"
    population = pd.read_csv(path, dtype=str, keep_default_na=False)
    dropped = (population["pilot"] == "stad") & (population["agency"] == "nav") & (population["wave"] != "2024")
    population[~dropped].to_csv(path, index=False)  # stad/nav in 2021 and 2022
    responses = demo_copy / "survey/responses.csv"
    rows = pd.read_csv(responses, dtype=str, keep_default_na=False)
    stad_nav = rows.index[(rows["pilot"] == "stad") & (rows["agency"] == "nav") & (rows["wave"] != "2024")]
    edit_cell(responses, int(stad_nav[0]) + 2, "wave", "")  # an empty wave: its own problem only
    edit_cell(responses, int(stad_nav[1]) + 2, "agency", "uit")  # not an agency of stad: its own problem only
    expected = [(int(i) + 2, f"no population row for stad/nav in wave {rows['wave'][i]}") for i in stad_nav[2:]]
    assert {m[-4:] for _, m in expected} == {"2021", "2022"}
    problems = [(p.row, p.message) for p in validate(demo_copy) if p.message.startswith("no population row")]
    assert problems == expected
