"""Collecting the problems of one contract file, and locating YAML keys by line.

Every check of the contract adds to one list of :class:`~evaluation.errors.DataProblem`, so that
validation reports all problems at once; a :class:`ProblemLog` fixes the file name for the checks
of one file.
"""

from __future__ import annotations

import yaml

from evaluation.errors import DataProblem


class ProblemLog:
    """Collects the problems of one file into a shared list.

    Parameters
    ----------
    file : str
        The file, relative to the data folder (``survey/responses.csv``).
    problems : list of DataProblem
        The list every problem is appended to.
    """

    def __init__(self, file: str, problems: list[DataProblem]):
        self.file = file
        self.problems = problems

    def add(self, row: int | None, column: str | None, message: str, expected: str = "") -> None:
        """Record one problem at ``FILE:ROW:COLUMN``."""
        self.problems.append(DataProblem(self.file, row, column, message, expected))


def yaml_line_index(node, path: str = "") -> dict[str, int]:
    """Map each key path of a composed YAML node tree to its (1-based) line number.

    Key paths join mapping keys with ``.`` and sequence positions with ``[n]``
    (``pilots[0].sub_goals[1].id``).
    """
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            lines[child] = key.start_mark.line + 1
            lines.update({k: v for k, v in yaml_line_index(value, child).items() if k != child})
    elif isinstance(node, yaml.SequenceNode):
        for position, value in enumerate(node.value):
            lines.update(yaml_line_index(value, f"{path}[{position}]"))
    return lines
