"""Turn a survey tool's export into the contract's ``survey/responses.csv`` frame.

See :mod:`evaluation.importers` for the formats and the mapping file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evaluation.errors import DataContractError, DataProblem
from evaluation.importers.conversion import convert_table, item_info, shown
from evaluation.importers.mapping import SurveyMapping, read_mapping
from evaluation.importers.readers import (
    SourceTable,
    read_excel,
    read_nettskjema,
    read_spss,
    read_surveyxact,
)

FORMATS = ("nettskjema", "surveyxact", "spss", "excel")
"""Export formats :func:`import_survey` reads."""

BASE_COLUMNS = ("respondent_id", "wave", "response_date", "pilot", "agency")
"""Columns of ``survey/responses.csv`` before the item columns."""


@dataclass(frozen=True)
class ImportResult:
    """Survey responses read from an export, in the contract's shape.

    Attributes
    ----------
    responses : pandas.DataFrame
        One row per respondent, the columns of ``survey/responses.csv``:

        - ``respondent_id`` (str): the export's id, or ``r<wave>-<pilot>-<hash>`` (a hash of
          the export row and its line) when the mapping names no id column;
        - ``wave`` (int): the wave given to :func:`import_survey`;
        - ``response_date`` (datetime64[ns]): the day of the answer;
        - ``pilot``, ``agency`` (str): contract ids;
        - one column per item (``Q01`` ...), nullable ``Int64``: the scale level, the contract
          scale's don't-know code for "vet ikke", ``<NA>`` for no answer. Items come in the
          order of the contract items when they are given, else in the order of the mapping.
    warnings : tuple of str
        What the analyst should know but that did not stop the import (rows without any
        answer left out, items not in the export, generated ids). No personal data.
    source : str
        The export file (or folder) read.
    format : str
        Its format.
    wave : int
        The wave.
    """

    responses: pd.DataFrame
    warnings: tuple[str, ...] = ()
    source: str = ""
    format: str = ""
    wave: int = 0


def items_with_scales(items: pd.DataFrame, scales: pd.DataFrame) -> pd.DataFrame:
    """Add ``scale_min``, ``scale_max`` and ``dont_know_code`` to the contract items.

    For the command line, which imports into a data folder whose ``responses.csv`` may not
    exist yet (so :func:`evaluation.contract.load_data` cannot run): the same derived columns
    as ``load_data`` gives ``items``, from ``survey/items.csv`` and ``survey/scales.csv`` read
    as text.

    Parameters
    ----------
    items : pandas.DataFrame
        ``survey/items.csv``: at least ``item_id`` and ``scale``.
    scales : pandas.DataFrame
        ``survey/scales.csv``: ``scale``, ``code`` and ``dont_know`` (``yes``/``no`` or bool).

    Returns
    -------
    pandas.DataFrame
        ``items`` with ``scale_min`` and ``scale_max`` (smallest and largest code with
        ``dont_know = no``) and ``dont_know_code`` (the code with ``dont_know = yes``, or
        ``<NA>``), all nullable ``Int64``.

    Raises
    ------
    DataContractError
        If an item's scale is not in ``scales.csv`` or a code is not a whole number.
    """
    problems: list[DataProblem] = []
    levels: dict[str, list[int]] = {}
    dont_know: dict[str, int] = {}
    for line, row in enumerate(scales.to_dict("records"), start=2):
        try:
            code = int(str(row["code"]).strip())
        except ValueError:
            problems.append(DataProblem("survey/scales.csv", line, "code",
                                        f"{shown(row['code'])} is not a whole number",
                                        "a whole-number code"))
            continue
        flag = row["dont_know"]
        is_dont_know = flag if isinstance(flag, bool) else str(flag).strip().lower() == "yes"
        scale = str(row["scale"]).strip()
        levels.setdefault(scale, [])
        if is_dont_know:
            dont_know[scale] = code
        else:
            levels[scale].append(code)
    out = items.copy()
    for line, scale in enumerate(out["scale"], start=2):
        if str(scale) not in levels:
            problems.append(DataProblem("survey/items.csv", line, "scale",
                                        f"scale {scale!r} is not in survey/scales.csv",
                                        "a scale of survey/scales.csv"))
    if problems:
        raise DataContractError(problems)
    out["scale_min"] = pd.array([min(levels[str(s)], default=None) for s in out["scale"]],
                                dtype="Int64")
    out["scale_max"] = pd.array([max(levels[str(s)], default=None) for s in out["scale"]],
                                dtype="Int64")
    out["dont_know_code"] = pd.array([dont_know.get(str(s)) for s in out["scale"]], dtype="Int64")
    return out


def _whole_wave(wave: object) -> int:
    """The wave as an ``int``; a bad argument (not a whole number) is a ``ValueError``."""
    if isinstance(wave, bool) or not isinstance(wave, int):
        try:
            if isinstance(wave, bool) or float(wave) != int(wave):
                raise ValueError
            wave = int(wave)
        except (TypeError, ValueError):
            raise ValueError(f"wave must be a whole number such as 2022, not {wave!r}") from None
    return wave


def _check_mapping_fits(spec: SurveyMapping, fmt: str) -> None:
    """Refuse a mapping written for another format, or a codebook for a format that has none."""
    if spec.format is not None and spec.format != fmt:
        raise DataContractError([spec.problem(
            "format", f"the mapping is for format {spec.format!r}, not {fmt!r}",
            f"format: {fmt}, or the mapping written for this export")])
    if spec.codebook is not None and fmt != "nettskjema":
        raise DataContractError([spec.problem(
            "source.codebook", f"a codebook is only read for nettskjema exports, not {fmt}",
            "no source.codebook")])


def _read_source(source: Path, fmt: str, spec: SurveyMapping, encoding: str | None,
                 codebook: Path | None) -> SourceTable:
    """Read the export with the reader of its format."""
    if not source.exists():
        raise DataContractError.single(str(source), None, None, "the export is missing",
                                       "the path of the exported file (or SurveyXact folder)")
    decimal = spec.decimal or ("," if fmt == "surveyxact" else ".")
    if fmt == "surveyxact":
        return read_surveyxact(source, encoding=encoding, delimiter=spec.delimiter, decimal=decimal)
    if fmt == "nettskjema":
        return read_nettskjema(source, encoding=encoding, delimiter=spec.delimiter, decimal=decimal,
                               sheet=spec.sheet, codebook=codebook)
    if fmt == "spss":
        if source.suffix.lower() not in (".sav", ".zsav"):
            raise DataContractError.single(str(source), None, None, "not an SPSS .sav file",
                                           "a .sav file for --format spss")
        return read_spss(source, encoding=encoding)
    if source.suffix.lower() not in (".xlsx", ".xlsm"):
        raise DataContractError.single(str(source), None, None, "not an Excel workbook",
                                       "an .xlsx workbook for --format excel")
    return read_excel(source, sheet=spec.sheet, decimal=decimal)


def import_survey(
    source: str | Path,
    *,
    format: str,
    mapping: str | Path | dict,
    wave: int,
    items: pd.DataFrame | None = None,
    encoding: str | None = None,
    codebook: str | Path | None = None,
) -> ImportResult:
    """Read a survey export and map it to the contract's responses.

    Parameters
    ----------
    source : str or Path
        The export: a Nettskjema ``.csv`` or ``.xlsx``; a SurveyXact ``.xlsx`` workbook, or the
        folder (or ``dataset.csv``) of its three CSV files; an SPSS ``.sav`` file; a generic
        ``.xlsx`` workbook.
    format : {"nettskjema", "surveyxact", "spss", "excel"}
        The export's format.
    mapping : str, Path or dict
        The mapping file (YAML, see :mod:`evaluation.importers`), or its parsed content.
    wave : int
        The survey wave (a wave id of ``programme.yaml``, such as 2022) of every row.
    items : pandas.DataFrame, optional
        The contract items as :func:`evaluation.contract.load_data` returns them (``item_id``,
        ``scale``, ``scale_min``, ``scale_max``, ``dont_know_code``). With them, item ids,
        scale levels and the don't-know code are checked and taken from the contract, and the
        item columns follow the contract's order (items the export lacks are left empty).
    encoding : str, optional
        Text encoding of CSV files that have no byte-order mark and are not UTF-8 (``cp1252``);
        overrides ``source.encoding`` of the mapping. Never guessed.
    codebook : str or Path, optional
        Nettskjema codebook; overrides ``source.codebook`` of the mapping.

    Returns
    -------
    ImportResult
        ``responses`` with the columns ``respondent_id``, ``wave``, ``response_date``,
        ``pilot``, ``agency`` and one nullable ``Int64`` column per item; and ``warnings``.

    Raises
    ------
    ValueError
        For a bad argument (unknown format, a wave that is not a whole number).
    DataContractError
        For every problem in the export or the mapping, each located as ``FILE:ROW:COLUMN``
        with what was expected: a missing file or sheet, a wrong encoding, an unknown source
        column, a code the mapping does not map, text in a code column, a two-row header, a
        don't-know code mapped to a scale level, an impossible date, a duplicate respondent.

    Notes
    -----
    Codes are matched by value, never by position, so an export whose answer codes are not in
    display order (SurveyXact keeps the code an option got when it was created) maps
    correctly. A code the export labels "Vet ikke" (or declares user-missing, in SPSS) must be
    mapped to ``dont_know`` or ``missing``; mapping it to a scale level is refused. Rows
    without an answer to any mapped item (invited employees who never answered, which
    SurveyXact lists) are left out and counted in a warning. Free-text columns are never
    read into the contract.

    References
    ----------
    .. [1] NIFU, "readSX: Import Data Generated by SurveyXact", R package,
       https://github.com/NIFU-NO/readSX (the layout of SurveyXact's workbook and CSV exports).
    .. [2] A. M. Mowinckel, "nettskjemar: Connect to the 'nettskjema.no' API of the University
       of Oslo", R package, 2021, doi:10.5281/zenodo.4745481 (Nettskjema's export and codebook).
    .. [3] O. Fajardo, "pyreadstat", https://github.com/Roche/pyreadstat, ``read_sav`` and its
       ``user_missing`` argument.

    Examples
    --------
    With an analyst's own export and mapping (the files are the analyst's, so this is not run
    as a test; ``tests/importers/`` runs the same calls on the fixtures)::

        result = import_survey("eksport.xlsx", format="surveyxact",
                               mapping="mapping-2022.yaml", wave=2022)
        write_contract_responses(result, "data/real")
    """
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    wave = _whole_wave(wave)
    info = item_info(items)
    spec = read_mapping(mapping)
    source = Path(source)
    _check_mapping_fits(spec, format)
    codebook_path = Path(codebook) if codebook is not None else spec.codebook
    table = _read_source(source, format, spec, encoding or spec.encoding, codebook_path)
    responses, warnings = convert_table(table, spec, fmt=format, wave=wave, info=info,
                                        has_codebook=codebook_path is not None)
    return ImportResult(responses, warnings, str(source), format, wave)


__all__ = ["BASE_COLUMNS", "FORMATS", "ImportResult", "import_survey", "items_with_scales"]
