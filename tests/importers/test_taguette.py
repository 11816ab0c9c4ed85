"""Tests of the Taguette reader (evaluation.importers.taguette), on the hand-written exports in
``tests/fixtures/qda/taguette/`` (see ``qda_expected.py``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evaluation.errors import DataContractError
from evaluation.importers import read_taguette

from .qda_expected import TAGUETTE, assert_import


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
