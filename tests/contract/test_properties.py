"""Property-based tests of the data contract: whatever an analyst (or a spreadsheet) does to a data
folder, validation either passes or lists located problems -- it never raises anything else.

The folders are the demo data with one to three changes drawn from ``mutations.py``: values of
other types anywhere in ``programme.yaml``, keys given twice, odd ids, cut-offs with a time of
day, cells with markup and ``$``, Excel's trailing empty rows and semicolons, folders where files
should be, narratives of the wrong shape. A folder that passes must load in every phase.

The draws are fixed (``derandomize=True``, no example database), so a failure shows on every
run and every machine; the budget keeps this file to about 20 seconds.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEMO, read_lines
from evaluation.contract import FILES, load_data, validate
from evaluation.contract.problems import ProblemLog
from evaluation.contract.programme import parse_programme
from evaluation.errors import DataProblem

from .mutations import ANY_MUTATION, PROGRAMME_PATHS, ODD_YAML, Mutation, mutated_folder, set_yaml

FIXED = settings(derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KNOWN_FILES = {*FILES.values(), "narratives"}


def assert_located(problem: DataProblem, folder: Path) -> None:
    """One problem as the contract promises it: a file of the folder, a line or none, a column
    or none, a message on one line."""
    assert isinstance(problem, DataProblem)
    assert problem.file in KNOWN_FILES or problem.file.startswith("narratives/") or problem.file == str(folder)
    assert problem.row is None or (isinstance(problem.row, int) and problem.row >= 1)
    assert problem.column is None or isinstance(problem.column, str)
    assert isinstance(problem.message, str) and problem.message.strip()
    assert "\n" not in str(problem)


@settings(FIXED, max_examples=45)
@given(st.lists(ANY_MUTATION, min_size=1, max_size=3))
def test_validation_passes_or_lists_located_problems(mutations):
    with tempfile.TemporaryDirectory() as tmp:
        folder = mutated_folder(Path(tmp) / "data", mutations)
        problems = validate(folder)
        for problem in problems:
            assert_located(problem, folder)
        if not problems:  # valid: every phase's view loads
            data = load_data(folder)
            for phase in data.programme.phases:
                load_data(folder, phase=phase)


@settings(FIXED, max_examples=150)
@given(st.sampled_from(PROGRAMME_PATHS), ODD_YAML)
def test_any_value_anywhere_in_programme_yaml_is_read_or_located(path, value):
    """``programme.yaml`` alone, so that many more values and places are tried in the time."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "programme.yaml"
        target.write_text((DEMO / "programme.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        set_yaml(Path(tmp), target, path, value)
        problems: list[DataProblem] = []
        parse_programme(target.read_text(encoding="utf-8"), ProblemLog("programme.yaml", problems))
    for problem in problems:
        assert_located(problem, Path(tmp))


def test_the_mutations_reach_every_kind_of_file():
    """The strategies name places that exist: a drawn change does change the folder."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = mutated_folder(Path(tmp) / "data", [Mutation("excel_rows", "milestones.csv"),
                                                     Mutation("set_yaml", "programme.yaml",
                                                              (("anonymity_threshold",), "fem"))])
        text = (folder / "milestones.csv").read_text(encoding="utf-8")
        assert text.endswith(",,,,,,\n,,,,,,\n,,,,,,\n")
        line = next(number for number, text in enumerate(read_lines(folder / "programme.yaml"), start=1)
                    if text.startswith("anonymity_threshold:"))
        assert [str(p) for p in validate(folder)] == [
            f"programme.yaml:{line}:anonymity_threshold: 'fem' is not allowed; expected an integer of at least 2"]
