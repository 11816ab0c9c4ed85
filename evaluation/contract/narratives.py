"""The evaluators' written assessments: ``narratives/<pilot>-<phase>.yaml`` (optional)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from evaluation.contract.problems import ProblemLog
from evaluation.contract.programme import Programme
from evaluation.errors import DataContractError, DataProblem

NARRATIVE_NAME = re.compile(r"([a-z0-9_]+)-([a-z0-9_]+)\.yaml")
"""File name of a narrative: ``<pilot>-<phase>.yaml``."""


def read_narratives(data_dir: Path, programme: Programme) -> tuple[dict, list[Path]]:
    """Read every narrative of a data folder.

    Parameters
    ----------
    data_dir : Path
        The data folder; narratives are in its ``narratives/`` folder (which may be absent).
    programme : Programme
        Names the pilots and phases a file name may use.

    Returns
    -------
    narratives : dict
        ``(pilot, phase)`` to the file's content (``{"nb": {...}, "en": {...}}``).
    files : list of Path
        The files read.

    Raises
    ------
    DataContractError
        With every problem: a file name that is not ``<pilot>-<phase>.yaml``, bad encoding or
        YAML, a missing ``nb`` section.
    """
    narratives: dict = {}
    files: list[Path] = []
    folder = data_dir / "narratives"
    if not folder.is_dir():
        return narratives, files
    problems: list[DataProblem] = []
    for path in sorted(folder.glob("*.yaml")):
        log = ProblemLog(f"narratives/{path.name}", problems)
        match = NARRATIVE_NAME.fullmatch(path.name)
        if not match or match.group(1) not in programme.pilot_ids or match.group(2) not in programme.cutoffs:
            log.add(None, None, "file name is not <pilot>-<phase>.yaml",
                    "a pilot id and a phase id of programme.yaml, such as stad-midterm.yaml")
            continue
        content = _read_narrative(path, log)
        if content is None:
            continue
        if "nb" not in content:
            log.add(1, "nb", "missing", "a section nb with summary, strengths, weaknesses, recommendations")
            continue
        narratives[(match.group(1), match.group(2))] = content
        files.append(path)
    if problems:
        raise DataContractError(problems)
    return narratives, files


def _read_narrative(path: Path, log: ProblemLog) -> dict | None:
    """The YAML content of one narrative file; ``None`` (with a problem) if it cannot be read."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
    except UnicodeDecodeError as error:
        log.add(None, None, f"byte {error.start} is not UTF-8", "a UTF-8 text file")
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        log.add(mark.line + 1 if mark else None, None,
                f"YAML syntax error: {getattr(error, 'problem', None) or 'cannot be parsed'}",
                "valid YAML (check indentation, quotes and brackets)")
    return None
