"""Importers: turn the tools' own exports into the contract's files.

Interview coding from qualitative analysis tools becomes ``interviews/``:
:func:`~evaluation.importers.qdpx.read_qdpx` reads a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA,
QualCoder) with an optional interview mapping file (:mod:`~evaluation.importers.qda_mapping`),
:func:`~evaluation.importers.taguette.read_taguette` a Taguette export; both return a
:class:`~evaluation.importers.qda.QdaImport` (see :mod:`evaluation.importers.qda`), which
:func:`write_contract_interviews` merges into a data folder as one transaction (see
:mod:`evaluation.importers.interviews`; ``python -m evaluation import-interviews``). The rest of
this page is about survey exports, which become ``survey/responses.csv``.

Evaluators do not get data in the contract's shape. :func:`import_survey` reads an export as the
tool wrote it, maps it with a small YAML *mapping file* to the contract (``data/README.md``), and
refuses anything it cannot map with certainty; :func:`write_contract_responses` writes (or
merges) the result into a data folder, atomically::

    from evaluation.importers import import_survey, write_contract_responses
    result = import_survey("eksport-2022.xlsx", format="surveyxact",
                           mapping="mapping-2022.yaml", wave=2022, items=data.items)
    write_contract_responses(result, "data/real")

Formats
-------
``nettskjema``
    Nettskjema's CSV export (comma-separated, UTF-8; ``source.delimiter: ";"`` for the
    semicolon-separated report) or its Excel export (first sheet, or ``source.sheet``), with the
    codebook switched on so that columns are named by codebook codes and hold answer codes.
    ``$submission_id`` and ``$created`` are used as respondent id and response date unless the
    mapping says otherwise. The codebook (``source.codebook``) is Nettskjema's codebook text
    file or a table with columns ``element_code``, ``answer_code``, ``answer_text``; with it,
    every answer code is checked against the codebook.
``surveyxact``
    SurveyXact's workbook with the sheets ``Dataset``, ``Structure`` and ``Labels``, or its three
    CSV files ``dataset.csv``, ``structure.csv``, ``labels.csv`` (give the folder or
    ``dataset.csv``): semicolon-separated in Windows-1252 (give ``encoding: cp1252``) or
    tab-separated in UTF-16 (recognised by its byte-order mark). Only blank cells are missing;
    "Vet ikke" is an ordinary code (for example 6) declared in ``Labels``, so the mapping must map
    it to ``dont_know``: mapping a code labelled "Vet ikke" to a scale level is refused. Codes
    are matched by value, not by position, so codes that are not in display order are safe.
    Numbers may have a decimal comma (``source.decimal`` is ``","`` for this format).
``spss``
    An SPSS ``.sav`` file, read with ``pyreadstat.read_sav(path, user_missing=True)`` so that a
    declared user-missing don't-know code (say 8 "Vet ikke") is kept as its code and mapped,
    never silently turned into "not answered". A user-missing code mapped to a scale level is
    refused. ROW in messages is the case number of SPSS Data View.
``excel``
    A generic workbook with one sheet (or the sheet in ``source.sheet``): column names on row 1,
    one respondent per row from row 2. A second header row (question texts under the names, or
    group titles over them) is refused with a message.

Text files are never decoded by guessing: a UTF-8 or UTF-16 byte-order mark, or BOM-less
UTF-16, is recognised; anything else must be valid UTF-8 unless the encoding is given
(``source.encoding`` or ``encoding=``), and a file that is not valid is refused with the byte
offset and line of the first bad byte.

The mapping file
----------------
A YAML file, one per export layout (it can be reused for every wave of the same
questionnaire)::

    # mapping-2022.yaml: SurveyXact export of the employee survey, wave 2022
    format: surveyxact              # optional; when given it must match --format
    source:                         # optional: how to read the export
      encoding: cp1252              # text files without BOM that are not UTF-8
      delimiter: ";"                # CSV field separator (";", ",", or the word tab)
      decimal: ","                  # decimal separator of numbers written as text
      sheet: Data                   # worksheet to read (excel, nettskjema .xlsx)
      codebook: kodebok.txt         # nettskjema only; relative to this file
      date_format: "%d.%m.%Y %H:%M" # only if dates are neither ISO 8601 nor dd.mm.yyyy
    columns:                        # contract column: source column
      respondent_id: respondentid   # optional; without it ids are r<wave>-<pilot>-<hash>
      response_date: closetime
      pilot: b_kommune
      agency: b_etat
    constants:                      # instead of a column: one value for every row
      pilot: stad                   # (pilot, agency: contract ids; response_date: a date)
    values:                         # recode background values into contract ids
      pilot: {1: stad, 2: orkland, 3: narvik, 4: lyngdal}
      agency: {1: nav, 2: skatteetaten, 3: politiet}
    codes:                          # named code sets: source code: scale level,
      agree5:                       #   dont_know ("vet ikke") or missing (left empty)
        1: 1
        2: 2
        6: 3                        # an option added later keeps its code 6
        3: 4
        4: 5
        5: dont_know
    items:                          # source column: item id of survey/items.csv
      s_1_1: Q01
      s_1_2: {item: Q02, codes: agree5}

An item uses the code set named on it (``codes:``); else the set named after the item's scale
in ``survey/items.csv``, else the set named ``default``, else the only set. ``dont_know`` becomes
the don't-know code of the item's contract scale (``dont_know = yes`` in ``scales.csv``); when no
contract items are given, the mapping must say it with a top-level ``dont_know_code: 9``.
Unknown keys are refused, so a typo cannot be ignored silently.

Rules the import enforces, each failure reported as ``FILE:ROW:COLUMN: what is wrong; expected
...`` (for a worksheet, COLUMN is ``Sheet!column``; for the mapping, ROW is its line and COLUMN
the key path): every source column named in the mapping exists; every non-blank answer is a
code of its code set (text such as "Helt enig" in a code column is refused); a code the export
labels "Vet ikke" or declares user-missing is not mapped to a scale level; levels lie on the
item's scale; respondent ids are opaque (no spaces or ``@``) and unique; dates are real dates in
the wave's year; pilot and agency are contract ids. Rows without an answer to any mapped item
(SurveyXact lists invited employees who never answered) are left out with a warning. Free-text
columns are never imported.
"""

from evaluation.importers.interviews import (
    InterviewsMerge,
    commit_interviews,
    merge_interviews,
    write_contract_interviews,
)
from evaluation.importers.mapping import SurveyMapping, read_mapping
from evaluation.importers.qda import QdaImport, make_id
from evaluation.importers.qda_mapping import QdaMapping, read_qda_mapping
from evaluation.importers.qdpx import read_qdpx
from evaluation.importers.responses import (
    BASE_COLUMNS,
    FORMATS,
    ImportResult,
    import_survey,
    items_with_scales,
)
from evaluation.importers.taguette import read_taguette
from evaluation.importers.write import (
    ResponsesMerge,
    commit_responses,
    merge_responses,
    write_contract_responses,
)

__all__ = [
    "BASE_COLUMNS",
    "FORMATS",
    "ImportResult",
    "InterviewsMerge",
    "QdaImport",
    "QdaMapping",
    "SurveyMapping",
    "import_survey",
    "items_with_scales",
    "make_id",
    "read_mapping",
    "read_qda_mapping",
    "read_qdpx",
    "read_taguette",
    "write_contract_responses",
    "ResponsesMerge",
    "commit_responses",
    "merge_responses",
    "commit_interviews",
    "merge_interviews",
    "write_contract_interviews",
]
