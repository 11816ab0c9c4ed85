"""An output folder that cannot be written stops the render with one clear line, exit code 2,
and nothing half-written: a file where the folder should be, a read-only folder, a full disk.

Root may write into a read-only folder and no test can fill a disk, so both are simulated where
the writing happens: a read-only folder refuses to create files in it (``os.open``, ``os.mkdir``
with ``EACCES``), a full disk fails the writer's flush (``os.fsync`` with ``ENOSPC``).
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from conftest import DEMO
from evaluation.cli import main
from evaluation.errors import OutputError
from evaluation.render.jobs import ReportJob
from evaluation.render.lifetime import RenderInterrupted
from evaluation.render.run import render_one, render_reports

from .helpers import notebook


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


def test_an_output_path_that_is_a_file_exits_2_and_leaves_the_file(tmp_path, capsys):
    out = tmp_path / "reports"
    out.write_text("not a folder", encoding="utf-8")
    assert main(["render", "--data-dir", str(DEMO), "--out", str(out)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.startswith(f"error: cannot write {out}: it is a file, not a folder")
    assert out.read_text(encoding="utf-8") == "not a folder"


@pytest.fixture
def read_only(monkeypatch):
    """Make every folder under a chosen one refuse new files and folders, as a read-only folder does."""
    folders: list[Path] = []
    real_open, real_mkdir = os.open, os.mkdir

    def refused(path) -> bool:
        return any(Path(path).resolve().is_relative_to(folder.resolve()) for folder in folders)

    def open_(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and refused(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    def mkdir(path, *args, **kwargs):
        if refused(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "mkdir", mkdir)
    return folders


def test_a_read_only_output_folder_exits_2_before_rendering_and_writes_nothing(tmp_path, capsys, read_only):
    out = tmp_path / "reports"
    out.mkdir()
    read_only.append(out)
    assert main(["render", "--data-dir", str(DEMO), "--out", str(out)]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "permission denied" in line and "choose another --out" in line
    assert files_under(out) == []


def full_disk(monkeypatch):
    """Every flush to disk fails as on a full disk."""
    def fsync(_descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync)


def test_a_full_disk_while_writing_the_manifest_stops_the_render_and_keeps_the_old_one(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    out.mkdir()
    manifest = {"schema": 2, "reports": {}}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    full_disk(monkeypatch)
    with pytest.raises(OutputError) as raised:
        render_reports([], data_dir=DEMO, out=out, progress=lambda line: None)  # only the manifest and index
    assert "no space left on the disk" in str(raised.value) and "\n" not in str(raised.value)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert files_under(out) == [".render.lock", "manifest.json"]  # no temporary file, no index


@pytest.mark.notebook
def test_a_full_disk_while_writing_a_report_raises_and_leaves_no_part_of_it(tmp_path, monkeypatch):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    notebook(notebooks / "pilot_report.ipynb", "print('a report')")
    out = tmp_path / "reports"
    out.mkdir()
    full_disk(monkeypatch)
    with pytest.raises(OutputError) as raised:
        render_one(ReportJob("pilot_report", "midterm", "stad"), data_dir=DEMO, out=out, notebook_dir=notebooks)
    assert str(raised.value).endswith("no space left on the disk; free some space (or choose another --out) "
                                      "and render again")
    assert files_under(out) == ["midterm"]  # no report, no notebook, no temporary folder or file


@pytest.mark.parametrize("error, code, words", [
    (OutputError("reports/midterm/stad.html", "no space left on the disk"), 2, "no space left on the disk"),
    (RenderInterrupted(15), 143, "render interrupted"),
    (KeyboardInterrupt(), 130, "render interrupted"),
])
def test_the_command_line_says_why_a_render_stopped_in_one_line(error, code, words, tmp_path, monkeypatch, capsys):
    import evaluation.render

    def render_reports(*args, **kwargs):
        raise error

    monkeypatch.setattr(evaluation.render, "render_reports", render_reports)
    assert main(["render", "--data-dir", str(DEMO), "--out", str(tmp_path / "out")]) == code
    assert words in one_error_line(capsys.readouterr().err)


def test_a_failed_reports_message_is_the_first_line_that_says_something():
    """matplotlib's mathtext errors start with an empty line: "ValueError: " said nothing."""
    from evaluation.render.run import _short_error

    error = ValueError("\n$_$\n^\nParseSyntaxException: Expected end of text")
    assert _short_error(error) == "ValueError: $_$"
    assert _short_error(ValueError("")) == "ValueError"
