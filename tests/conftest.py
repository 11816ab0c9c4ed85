"""Shared fixtures: a writable copy of the demo data, and helpers to break it on purpose."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from evaluation.html import FIGURE_FILES_ENV

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "data" / "demo"

# Reports made in the test process (tests/inline_report.py) or by papermill directly make no figure
# files beside the HTML, as in an HTML-only render (the HTML is the same either way); the tests
# of those files ask for them, and a render sets the variable for its own kernels.
os.environ.setdefault(FIGURE_FILES_ENV, "")


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A fresh, writable copy of the bundled demo data folder."""
    target = tmp_path / "data"
    shutil.copytree(DEMO, target)
    return target


def read_lines(path: Path) -> list[str]:
    """The lines of a text file, without line endings."""
    return path.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, lines: list[str]) -> None:
    """Write lines back with Unix line endings."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def folder_of_reports(out: Path, identity: dict) -> Path:
    """An output folder with one report made from data of ``identity``, as a render leaves it."""
    (out / "midterm").mkdir(parents=True)
    (out / "midterm/stad.html").write_text("<p>a real report</p>", encoding="utf-8")
    manifest = {"schema": 2, "data_identity": identity, "reports": {"midterm/stad": {
        "phase": "midterm", "pilot": "stad", "lang": "nb", "notebook": "pilot_report",
        "html": "midterm/stad.html", "data_version": "2d6304eca141", "generated": "2026-01-02T03:04:05Z"}}}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


def file_digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, computed with hashlib directly."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory) -> Path:
    """Every demo report rendered once per test session: all pilots and the synthesis in both
    phases in bokmål, and Stad's two reports in English. Tests that read rendered HTML share it."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("demo-reports")
    for extra in ([], ["--lang", "en", "--pilot", "stad"]):
        result = subprocess.run([sys.executable, "-m", "evaluation", "render", "--data-dir", str(DEMO),
                                 "--out", str(out), *extra], capture_output=True, text=True)
        assert result.returncode == 0, f"render {extra} failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    return out


def pytest_collection_modifyitems(items):
    """A test that reads the rendered demo reports executes notebooks, whatever its module."""
    for item in items:
        if "demo_reports" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.notebook)
