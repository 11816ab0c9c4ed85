"""Tests of evaluation.files: atomic writes keep the permissions a normally written file gets."""

from __future__ import annotations

import os
import stat

import pytest

from evaluation.files import atomic_write_text

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture
def umask():
    """Set the process umask for one test, and restore it after."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield lambda value: os.umask(value)
    os.umask(saved)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_the_mode_the_umask_gives_new_files(tmp_path, umask, mask, expected):
    umask(mask)
    atomic_write_text(tmp_path / "report.html", "<p>hei</p>")
    # the same as a file written the ordinary way under the same umask
    (tmp_path / "plain.txt").write_text("hei", encoding="utf-8")
    assert _mode(tmp_path / "report.html") == expected == _mode(tmp_path / "plain.txt")


def test_a_replaced_file_keeps_its_mode(tmp_path, umask):
    umask(0o022)
    path = tmp_path / "responses.csv"
    path.write_text("old\n", encoding="utf-8")
    os.chmod(path, 0o640)
    atomic_write_text(path, "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert _mode(path) == 0o640


def test_no_temporary_file_is_left_behind(tmp_path):
    atomic_write_text(tmp_path / "a" / "b.txt", "x")
    assert [p.name for p in (tmp_path / "a").iterdir()] == ["b.txt"]
