"""Tests of ``python -m evaluation import-interviews`` as one transaction: an import adds
interviews unless asked to replace, says what it changed, and on any problem changes no byte of
the data folder (the project standard "nothing is ever lost").

Expected counts are taken from the CSV files with the standard library's csv module, not from
the package.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from evaluation.cli import main
from evaluation.files import file_sha256

from .qda_expected import QDPX
from .test_qdpx import build_qdpx

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
TAGUETTE = QDPX.parent / "taguette"
NEW_IDS = {"i-stad-0001", "i-stad-0002"}  # the two cases of the fixture project


def _rows(folder: Path, name: str) -> list[dict]:
    with open(folder / "interviews" / f"{name}.csv", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): file_sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def data(tmp_path) -> Path:
    return shutil.copytree(DEMO, tmp_path / "data")


@pytest.fixture
def project(tmp_path) -> Path:
    return build_qdpx(tmp_path / "stad.qdpx")


def _import(project: Path, data: Path, *extra: str) -> int:
    return main(["import-interviews", str(project), "--format", "qdpx", "--out", str(data), *extra])


def test_an_import_keeps_every_existing_interview_and_adds_the_new_ones(data, project, capsys):
    before = {name: _rows(data, name) for name in ("interviews", "segments", "codebook")}
    assert _import(project, data) == 0
    after = {name: _rows(data, name) for name in ("interviews", "segments", "codebook")}
    for name in after:  # every old row is still there, unchanged, in its place
        assert after[name][:len(before[name])] == before[name]
    added = after["interviews"][len(before["interviews"]):]
    assert {row["interview_id"] for row in added} == NEW_IDS
    assert len(after["interviews"]) == len(before["interviews"]) + 2
    # the fixture project codes 5 passages-and-codes (see test_qdpx.QDPX_IDS)
    assert len(after["segments"]) == len(before["segments"]) + 5
    out = capsys.readouterr().out
    assert "stad / agency_management: add 1 interview(s) (2 segments)" in out
    assert "stad / employees: add 1 interview(s) (3 segments)" in out
    assert main(["validate", "--data-dir", str(data)]) == 0


def test_importing_the_same_project_twice_adds_nothing(data, project, capsys):
    assert _import(project, data) == 0
    digests = _digests(data)
    capsys.readouterr()
    assert _import(project, data) == 0
    assert _digests(data) == digests
    out = capsys.readouterr().out
    assert "total: add 0 interview(s)" in out and "2 interview(s) of the import were already" in out


def test_a_taguette_import_adds_its_interviews(data, capsys):
    before = len(_rows(data, "interviews"))
    code = main(["import-interviews", str(TAGUETTE / "highlights.csv"), "--format", "taguette",
                 "--codebook", str(TAGUETTE / "codebook.csv"), "--mapping", str(TAGUETTE / "mapping.csv"),
                 "--out", str(data)])
    assert code == 0, capsys.readouterr().err
    assert len(_rows(data, "interviews")) == before + 2


def test_taguette_without_its_codebook_and_mapping_is_wrong_usage(data, capsys):
    digests = _digests(data)
    assert main(["import-interviews", str(TAGUETTE / "highlights.csv"), "--format", "taguette",
                 "--out", str(data)]) == 2
    assert "--codebook and --mapping" in capsys.readouterr().err
    assert _digests(data) == digests


def test_an_existing_interview_with_other_coding_is_refused_and_nothing_changes(data, project, tmp_path, capsys):
    assert _import(project, data) == 0
    digests = _digests(data)
    # the same two interviews, coded differently in Taguette: other segments
    code = main(["import-interviews", str(TAGUETTE / "highlights.csv"), "--format", "taguette",
                 "--codebook", str(TAGUETTE / "codebook.csv"), "--mapping", str(TAGUETTE / "mapping.csv"),
                 "--out", str(data)])
    assert code == 1
    err = capsys.readouterr().err
    assert "interview i-stad-0001 is already in the folder" in err and "--replace" in err
    assert f"nothing in {data} was changed" in err
    assert _digests(data) == digests
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".data.import-")]


def test_replace_says_what_it_removes_and_removes_only_that(data, project, capsys):
    interviews = _rows(data, "interviews")
    segments = _rows(data, "segments")
    # the project's interviews are dated 2022-09-20 (midterm round) and 2024-03-05 (final round),
    # both of stad: --replace removes stad's interviews up to 2024-12-31, the final cut-off
    removed = {r["interview_id"] for r in interviews if r["pilot"] == "stad" and r["date"] <= "2024-12-31"}
    assert _import(project, data, "--replace") == 0
    out = capsys.readouterr().out
    lines = {m.group(1): (int(m.group(2)), int(m.group(3)))
             for m in re.finditer(r"stad / (\w+): remove (\d+) interview\(s\) \((\d+) segments\)", out)}
    assert sum(n for n, _ in lines.values()) == len(removed)
    assert sum(s for _, s in lines.values()) == sum(r["interview_id"] in removed for r in segments)
    after = _rows(data, "interviews")
    assert [r for r in after if r["interview_id"] not in NEW_IDS] == [
        r for r in interviews if r["interview_id"] not in removed]
    assert [r for r in _rows(data, "segments") if r["interview_id"] not in NEW_IDS] == [
        r for r in segments if r["interview_id"] not in removed]
    assert {r["interview_id"] for r in after} >= NEW_IDS
    assert len(_rows(data, "codebook")) >= len(list(csv.DictReader(open(DEMO / "interviews" / "codebook.csv",
                                                                        encoding="utf-8"))))


def test_an_import_that_would_make_the_folder_invalid_changes_nothing(data, tmp_path, capsys):
    text = (QDPX / "project.qde").read_text(encoding="utf-8")
    project = build_qdpx(tmp_path / "unknown.qdpx", text.replace("<TextValue>Stad</TextValue>",
                                                                 "<TextValue>Bergen</TextValue>"))
    digests = _digests(data)
    assert _import(project, data) == 1
    err = capsys.readouterr().err
    assert "bergen" in err and f"nothing in {data} was changed" in err
    assert _digests(data) == digests
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".data.import-")]


def test_a_code_with_another_theme_is_refused(data, tmp_path, capsys):
    text = (QDPX / "project.qde").read_text(encoding="utf-8")
    # collab_barriers is a collaboration code in the demo codebook; here it is moved under recruitment
    moved = text.replace('<Code guid="A1000000-0000-4000-8000-000000000003" name="collab_barriers" isCodable="true"/>\n'
                         '      </Code>', '</Code>')
    moved = moved.replace('<Code guid="A1000000-0000-4000-8000-000000000004" name="recruitment" isCodable="false">',
                          '<Code guid="A1000000-0000-4000-8000-000000000004" name="recruitment" isCodable="false">\n'
                          '        <Code guid="A1000000-0000-4000-8000-000000000003" name="collab_barriers" '
                          'isCodable="true"/>')
    assert moved != text
    digests = _digests(data)
    assert _import(build_qdpx(tmp_path / "moved.qdpx", moved), data) == 1
    assert "code collab_barriers has the theme collaboration here but recruitment" in capsys.readouterr().err
    assert _digests(data) == digests
