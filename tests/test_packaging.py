"""Packaging: environment.yml and pyproject.toml declare the same dependencies; CI runs make test."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
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
    listed = {d for d in listed if re.split(r"[<>=!~]", d)[0] not in ("python", "pip")}  # not python-docx
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


def test_every_folder_of_the_package_is_listed_in_pyproject():
    # The package list is explicit (package-dir maps evaluation.notebooks and
    # evaluation.demo_data onto the top-level folders), so a new subpackage must be added by hand.
    setuptools = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    package = REPO / "evaluation"
    folders = {"evaluation"} | {"evaluation." + ".".join(p.relative_to(package).parts)
                                for p in package.rglob("*") if p.is_dir() and "__pycache__" not in p.parts}
    assert set(setuptools["packages"]) == folders | {"evaluation.notebooks", "evaluation.demo_data"}
    assert setuptools["package-dir"] == {"evaluation.notebooks": "notebooks", "evaluation.demo_data": "data/demo"}


def _wheel_environment(tmp_path):
    """A virtual environment with only the built wheel of the project installed.

    The dependencies come from the current environment through a ``.pth`` line naming its
    site-packages; ``.pth`` files inside that folder are not processed, so the current editable
    install stays invisible and ``evaluation`` can only come from the wheel.
    """
    import shutil
    import subprocess
    import sys
    import sysconfig

    source = tmp_path / "source"  # a copy, so the build leaves nothing behind in the checkout
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "reports", "build", "*.egg-info", "__pycache__", ".*cache", ".hypothesis"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(tmp_path / "dist")], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("statens_hus_evaluation-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet",
                    str(wheel)], check=True, capture_output=True)
    return python


@pytest.mark.notebook
def test_a_wheel_installed_without_the_checkout_validates_generates_and_renders_the_demo_data(tmp_path):
    import os
    import subprocess
    import sys

    from evaluation import KERNEL_NAME

    python = _wheel_environment(tmp_path)
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "JUPYTER_PATH")}
    # The new environment's kernel before any user-wide one; nbconvert's templates, installed with
    # the dependencies, from the current environment.
    env["JUPYTER_PATH"] = os.pathsep.join([str(python.parent.parent / "share" / "jupyter"),
                                           str(Path(sys.prefix) / "share" / "jupyter")])
    outside = tmp_path / "elsewhere"
    outside.mkdir()

    def run(*args):
        return subprocess.run([str(python), *args], cwd=outside, env=env, capture_output=True, text=True)

    located = run("-c", "import evaluation, evaluation.render.jobs as j; print(evaluation.__file__); "
                        "print(evaluation.DEMO_DATA_DIR); print(j.NOTEBOOK_DIR)")
    package = python.parent.parent.resolve()
    assert [Path(line).resolve().is_relative_to(package) for line in located.stdout.split()] == [True] * 3, located
    assert run("-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL_NAME).returncode == 0

    validated = run("-m", "evaluation", "validate")
    assert validated.returncode == 0, validated.stderr
    generated = run("-m", "evaluation", "demo-data", "--out", "generated")
    assert generated.returncode == 0, generated.stderr
    assert run("-m", "evaluation", "validate", "--data-dir", "generated").returncode == 0
    rendered = run("-m", "evaluation", "render", "--out", "OUT", "--pilot", "stad", "--phase", "midterm",
                   "--jobs", "1")
    assert rendered.returncode == 0, rendered.stdout + rendered.stderr
    assert "Stad" in (outside / "OUT" / "midterm" / "stad.html").read_text(encoding="utf-8")


def _locked() -> dict[str, str]:
    """``name -> version`` of requirements.lock for this interpreter (its markers evaluated)."""
    from packaging.markers import Marker

    pins = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith((" ", "#")):
            continue
        requirement, _, marker = line.partition(";")
        if marker.strip() and not Marker(marker.strip()).evaluate():
            continue
        name, version = requirement.strip().split("==")
        pins[_normalise(name)] = version
    return pins


def test_the_lock_file_pins_every_dependency_within_the_bounds_of_pyproject():
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = _locked()
    for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        requirement = Requirement(text)
        name = _normalise(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"requirements.lock pins {name}=={pins[name]}, outside {requirement.specifier}: run make lock")


def test_every_dependency_has_an_upper_bound():
    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for text in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        assert any(spec.operator in ("<", "<=", "==", "~=") for spec in Requirement(text).specifier), text


def test_make_setup_installs_the_lock_file_and_then_the_package_without_resolving_again():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("$(STAMP):"):].split("\n\n")[0]
    assert "$(LOCK)" in recipe.splitlines()[0] and "LOCK := requirements.lock" in makefile
    assert "pip install --quiet -r $(LOCK)" in recipe and "pip install --quiet --no-deps -e ." in recipe
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make lock" in readme[readme.index("## Working on the package"):]
