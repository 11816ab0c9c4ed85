"""Tests of evaluation.importers.write: an import merged into survey/responses.csv (the content;
the transaction and the command are in test_transactions.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from evaluation.errors import DataContractError
from evaluation.importers import ImportResult, import_survey, merge_responses, write_contract_responses

from .survey_exports import SX_DIR, SX_MAPPING, contract_items, problems_of
from .test_transactions import DEMO, contract_result


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


def test_merge_into_an_empty_folder_is_the_contract_csv(tmp_path):
    merge = merge_responses(_surveyxact_result(), tmp_path / "data")
    assert merge.path == tmp_path / "data" / "survey" / "responses.csv"
    assert merge.text == SX_CSV
    assert not (tmp_path / "data").exists()  # a merge writes nothing


def test_merged_responses_read_back_as_the_imported_frame(tmp_path):
    result = _surveyxact_result()
    path = tmp_path / "responses.csv"
    path.write_text(merge_responses(result, tmp_path / "data").text, encoding="utf-8")
    back = pd.read_csv(path, dtype={"respondent_id": str})
    assert list(back["respondent_id"]) == ["1001", "1002", "1003", "1005"]
    for item in ("Q01", "Q02", "Q03"):
        assert list(back[item].astype("Int64")) == list(result.responses[item])


def test_merge_with_replace_replaces_the_imported_wave_and_keeps_other_waves(tmp_path):
    survey = tmp_path / "survey"
    survey.mkdir()
    earlier_2021 = ["r-aa01,2021,2021-10-01,stad,nav,4,,2", "r-aa02,2021,2021-10-03,stad,nav,9,3,"]
    old_2022 = "r-old1,2022,2022-10-01,stad,nav,1,1,1"
    (survey / "responses.csv").write_text(
        "respondent_id,wave,response_date,pilot,agency,Q01,Q02,Q03\n"
        + "\n".join([earlier_2021[0], old_2022, earlier_2021[1]]) + "\n", encoding="utf-8")
    merge = merge_responses(_surveyxact_result(), tmp_path, replace=True)
    lines = merge.text.splitlines()
    assert lines[1:3] == earlier_2021
    assert old_2022 not in lines
    assert "\n".join(lines[3:]) + "\n" == SX_CSV.split("\n", 1)[1]


def test_merge_refuses_other_item_columns_and_leaves_the_file_intact(tmp_path):
    survey = tmp_path / "survey"
    survey.mkdir()
    original = "respondent_id,wave,response_date,pilot,agency,Q01,Q04\nr1,2021,2021-10-01,stad,nav,4,\n"
    (survey / "responses.csv").write_text(original, encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        merge_responses(_surveyxact_result(), tmp_path)
    message = problems_of(error)[0].message
    assert "only in the file: Q04" in message and "only in the import: Q02, Q03" in message
    assert (survey / "responses.csv").read_text(encoding="utf-8") == original


def test_failed_write_leaves_the_earlier_file_and_no_temporary_file(demo_copy, monkeypatch):
    survey = demo_copy / "survey"
    original = (survey / "responses.csv").read_bytes()
    names = sorted(p.name for p in demo_copy.parent.iterdir())
    real_replace = os.replace

    def broken_replace(source, target):
        if Path(target) == survey / "responses.csv":
            raise OSError("disk full")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_contract_responses(contract_result(), demo_copy)
    assert (survey / "responses.csv").read_bytes() == original
    assert sorted(p.name for p in survey.iterdir()) == sorted(p.name for p in (DEMO / "survey").iterdir())
    assert sorted(p.name for p in demo_copy.parent.iterdir()) == names  # no temporary copy left
