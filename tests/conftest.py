"""Shared fixtures: a writable copy of the demo data, and helpers to break it on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "data" / "demo"


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
