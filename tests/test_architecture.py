"""The package's shape: its layers import only downwards, and no room grows too big to read.

The layers, from the bottom: the data contract and the small shared modules; the analyses
(statistics, survey, interviews, indicators, goals, privacy) and the importers; the figures and
HTML fragments; the report (what runs inside a report kernel); the formats a rendered report is
published in (PDF, Word, export pack); the render pipeline (what starts and drives kernels) and
the command line. A module may import its own layer and those below it,
never one above; in particular, nothing that runs inside a report imports the render pipeline.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "evaluation"

MAX_MODULE_LINES = 700
MAX_FUNCTION_LINES = 80  # code lines, the docstring not counted

LAYERS = {
    # top-level package or module: its layer (higher may import lower, never the reverse)
    "errors": 0, "files": 0, "i18n": 0, "contract": 0, "resources": 0,
    "privacy": 1, "stats": 1,
    "survey": 2, "disclosure": 2, "interviews": 2, "indicators": 2, "goals": 3, "importers": 2, "qda": 2, "demo": 2,
    "html": 3, "tables": 3, "plots": 4,
    "report": 5,
    "publish": 6,
    "render": 7,
    "cli": 8, "__main__": 9,
}


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _top(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _imported_tops(tree: ast.AST) -> set[str]:
    tops = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = node.module.split(".")
            if names[0] == "evaluation":
                if len(names) > 1:
                    tops.add(names[1])
                else:
                    tops.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names = alias.name.split(".")
                if names[0] == "evaluation" and len(names) > 1:
                    tops.add(names[1])
    return tops


def test_every_module_belongs_to_a_layer():
    unknown = {_top(p) for p in _modules()} - set(LAYERS) - {"__init__"}
    assert unknown == set(), f"add these modules to LAYERS: {sorted(unknown)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_its_own_layer_and_those_below(path):
    top = _top(path)
    if top == "__init__":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    upward = sorted(other for other in _imported_tops(tree) - {top}
                    if other in LAYERS and LAYERS[other] > LAYERS[top])
    assert upward == [], f"{path.relative_to(PACKAGE)} (layer {LAYERS[top]}) imports upwards: {upward}"


def test_nothing_that_runs_inside_a_report_imports_the_render_pipeline():
    for path in (PACKAGE / "report").rglob("*.py"):
        assert "render" not in _imported_tops(ast.parse(path.read_text(encoding="utf-8"))), path


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_longer_than_700_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines"


def _code_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = function.body
    start = body[0].lineno
    if (isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        if len(body) == 1:
            return 0
        start = body[1].lineno
    return function.end_lineno - start + 1


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_function_has_more_than_80_lines_of_code(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    long = [f"{node.name} ({_code_lines(node)} lines)" for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and _code_lines(node) > MAX_FUNCTION_LINES]
    assert long == [], f"{path.relative_to(PACKAGE)}: {long}"
