"""Packaging: environment.yml and pyproject.toml declare the same dependencies; CI runs make test."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import REPO


def _normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement).lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_normalise(r) for r in project["dependencies"]}
    declared |= {_normalise(r) for r in project["optional-dependencies"]["test"]}
    environment = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    listed = {_normalise(d) for d in environment["dependencies"] if isinstance(d, str)}
    listed = {d for d in listed if not d.startswith(("python", "pip"))}
    assert listed == declared


def test_ci_runs_exactly_the_readme_test_command():
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test" in ci and "make test" in readme and "make reports" in readme
    commands = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert commands[-1].strip() == "make test"


def test_notebooks_are_committed_without_outputs():
    import json

    for path in (REPO / "notebooks").glob("*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, path.name
        assert notebook["metadata"]["kernelspec"]["name"] == "statens-hus-eval", path.name


def test_importing_the_package_stays_light():
    import subprocess
    import sys

    code = ("import sys, evaluation, evaluation.cli; "
            "heavy = [m for m in ('pandas', 'matplotlib', 'scipy', 'nbformat', 'papermill') if m in sys.modules]; "
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
