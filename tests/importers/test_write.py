"""Tests of evaluation.importers.write: an import written to (or merged into) survey/responses.csv."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from evaluation.errors import DataContractError
from evaluation.importers import ImportResult, import_survey, write_contract_responses

from .survey_exports import SX_DIR, SX_MAPPING, contract_items, problems_of


def _surveyxact_result() -> ImportResult:
    return import_survey(SX_DIR, format="surveyxact", mapping=SX_MAPPING, wave=2022,
                         items=contract_items(), encoding="cp1252")


# SX_EXPECTED in the contract's CSV form (data/README.md): ISO dates, empty cells for <NA>.
SX_CSV = (
    "respondent_id,wave,response_date,pilot,agency,Q01,Q02,Q03\n"
    "1001,2022,2022-10-14,stad,nav,3,9,\n"
    "1002,2022,2022-10-14,stad,skatteetaten,5,,\n"
    "1003,2022,2022-10-15,stad,politiet,9,1,\n"
    "1005,2022,2022-10-17,orkland,nav,2,4,\n"
)


def test_write_contract_responses_writes_the_contract_csv(tmp_path):
    path = write_contract_responses(_surveyxact_result(), tmp_path / "data")
    assert path == tmp_path / "data" / "survey" / "responses.csv"
    assert path.read_bytes() == SX_CSV.encode("utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["responses.csv"]


def test_written_responses_read_back_as_the_imported_frame(tmp_path):
    result = _surveyxact_result()
    path = write_contract_responses(result, tmp_path)
    back = pd.read_csv(path, dtype={"respondent_id": str})
    assert list(back["respondent_id"]) == ["1001", "1002", "1003", "1005"]
    for item in ("Q01", "Q02", "Q03"):
        assert list(back[item].astype("Int64")) == list(result.responses[item])


def test_write_merges_replacing_the_imported_wave_and_keeping_other_waves(tmp_path):
    survey = tmp_path / "survey"
    survey.mkdir()
    earlier_2021 = ["r-aa01,2021,2021-10-01,stad,nav,4,,2", "r-aa02,2021,2021-10-03,stad,nav,9,3,"]
    old_2022 = "r-old1,2022,2022-10-01,stad,nav,1,1,1"
    (survey / "responses.csv").write_text(
        "respondent_id,wave,response_date,pilot,agency,Q01,Q02,Q03\n"
        + "\n".join([earlier_2021[0], old_2022, earlier_2021[1]]) + "\n", encoding="utf-8")
    write_contract_responses(_surveyxact_result(), tmp_path)
    lines = (survey / "responses.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1:3] == earlier_2021
    assert old_2022 not in lines
    assert "\n".join(lines[3:]) + "\n" == SX_CSV.split("\n", 1)[1]


def test_write_refuses_other_item_columns_and_leaves_the_file_intact(tmp_path):
    survey = tmp_path / "survey"
    survey.mkdir()
    original = "respondent_id,wave,response_date,pilot,agency,Q01,Q04\nr1,2021,2021-10-01,stad,nav,4,\n"
    (survey / "responses.csv").write_text(original, encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        write_contract_responses(_surveyxact_result(), tmp_path)
    message = problems_of(error)[0].message
    assert "only in the file: Q04" in message and "only in the import: Q02, Q03" in message
    assert (survey / "responses.csv").read_text(encoding="utf-8") == original


def test_failed_write_leaves_the_earlier_file_and_no_temporary_file(tmp_path, monkeypatch):
    survey = tmp_path / "survey"
    survey.mkdir()
    original = ("respondent_id,wave,response_date,pilot,agency,Q01,Q02,Q03\n"
                "r1,2021,2021-10-01,stad,nav,4,,\n")
    (survey / "responses.csv").write_text(original, encoding="utf-8")

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_contract_responses(_surveyxact_result(), tmp_path)
    assert (survey / "responses.csv").read_text(encoding="utf-8") == original
    assert [p.name for p in survey.iterdir()] == ["responses.csv"]
