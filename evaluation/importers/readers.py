"""Readers for the survey tools' own export files, into one common :class:`SourceTable`.

Each reader keeps, for every row, the line number the analyst sees (a text editor's line for a
CSV file, the spreadsheet row for an Excel sheet, the case number of SPSS Data View for a
``.sav`` file), and, where the export declares them, the value labels and user-missing codes of
each column, so that a don't-know answer can be told from a scale value.

Text files are decoded without guessing: a byte-order mark (UTF-8 or UTF-16) or a BOM-less
UTF-16 file is recognised; any other file must be valid UTF-8 unless an encoding is given
explicitly (for example ``cp1252``, Windows-1252, in which SurveyXact writes its
semicolon-separated files). A file that is not valid in the encoding used is refused with the
byte offset and line of the first bad byte.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.errors import DataContractError, DataProblem

DONT_KNOW_LABEL = re.compile(
    r"\b(vet ikke|veit ikkje|vet ikkje|veit ikke|don'?t know|do not know)\b", re.IGNORECASE)
"""Value labels that mean "don't know" (bokmål, nynorsk, English)."""

_UTF8_NAMES = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
               "utf-32-le", "utf-32-be"}


@dataclass
class SourceTable:
    """One table of an export, with the line of every row and what the export declares.

    Attributes
    ----------
    file : str
        Path of the file, as shown in messages.
    header : list of str
        Column names.
    rows : list of (int, list)
        ``(line, cells)`` per data row; ``line`` is the line (CSV), spreadsheet row (Excel) or
        case number (SPSS) the analyst sees; cells are ``str``, numbers, dates or ``None``.
    sheet : str or None
        Worksheet name for an Excel source (columns are then reported as ``Sheet!column``).
    value_labels : dict
        Column -> {canonical code: label}, where the export declares labels.
    label_file : str
        Where the labels come from (for messages).
    declared_codes : dict
        Column -> the complete set of canonical codes the export declares for it (SurveyXact
        labels, Nettskjema codebook); a code outside it is refused.
    user_missing : dict
        Column -> list of ``(low, high)`` ranges declared user-missing (SPSS).
    open_columns : set of str
        Columns the export declares as open (free-text) questions.
    decimal : str
        Decimal separator of numbers written as text.
    case_numbers : bool
        Rows are numbered by case (SPSS), not by line.
    """

    file: str
    header: list[str]
    rows: list[tuple[int, list]]
    sheet: str | None = None
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    label_file: str = ""
    declared_codes: dict[str, set[str]] = field(default_factory=dict)
    user_missing: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    open_columns: set[str] = field(default_factory=set)
    decimal: str = "."
    case_numbers: bool = False
    encoding: str = ""

    def ref(self, column: str | None) -> str | None:
        """Column as shown in a message: ``Sheet!column`` for a worksheet."""
        if column is None:
            return None
        return f"{self.sheet}!{column}" if self.sheet else column

    def problem(self, row: int | None, column: str | None, message: str,
                expected: str = "") -> DataProblem:
        """A problem located in this table."""
        return DataProblem(self.file, row, self.ref(column), message, expected)


# --------------------------------------------------------------------------------------------
# Text files
# --------------------------------------------------------------------------------------------


def _bad_byte_problem(file: str, raw: bytes, start: int, encoding: str,
                      delimiter: str | None) -> DataProblem:
    line_start = raw.rfind(b"\n", 0, start) + 1
    line = raw[:start].count(b"\n") + 1
    column = None
    if delimiter is not None:
        header_end = raw.find(b"\n")
        header_text = raw[: header_end if header_end >= 0 else len(raw)].decode(
            "utf-8", errors="replace").strip("\r\ufeff")
        prefix = raw[line_start:start].decode("utf-8", errors="replace")
        try:
            header = next(csv.reader([header_text], delimiter=delimiter))
            fields = next(csv.reader([prefix + "x"], delimiter=delimiter))
            if line > 1 and len(fields) <= len(header):
                column = header[len(fields) - 1].strip()
        except (csv.Error, StopIteration):
            column = None
    if encoding in ("utf-8", "utf-8-sig"):
        message = (f"byte 0x{raw[start]:02x} at byte offset {start} is not valid UTF-8; "
                   "the file is in another encoding")
        expected = ("a UTF-8 file, or its encoding given explicitly: source.encoding in the "
                    "mapping or --encoding (cp1252 for a Windows-1252 export)")
    else:
        message = f"byte 0x{raw[start]:02x} at byte offset {start} is not valid {encoding}"
        expected = "the encoding the file was saved in"
    return DataProblem(file, line, column, message, expected)


def decode_text(path: Path, encoding: str | None = None, *,
                delimiter: str | None = None) -> tuple[str, str]:
    """Decode a text file without guessing silently.

    Parameters
    ----------
    path : Path
        The file.
    encoding : str, optional
        Explicit encoding (``cp1252``, ``utf-16``, ...). Without it, a UTF-8 or UTF-16
        byte-order mark is honoured, BOM-less UTF-16 is recognised by its zero bytes, and
        anything else must be valid UTF-8.
    delimiter : str, optional
        Field separator, only used to name the column of a bad byte.

    Returns
    -------
    (str, str)
        The text (without byte-order mark) and the encoding used.

    Raises
    ------
    DataContractError
        If the file is missing, is not valid in the encoding, or an explicit single-byte
        encoding is given for a file that is in fact UTF-8 (which would garble every æ, ø, å).
    """
    file = str(path)
    if not path.is_file():
        raise DataContractError.single(file, None, None, "file is missing",
                                       "the export file named here")
    raw = path.read_bytes()
    if encoding:
        name = codecs.lookup(encoding).name
        if name == "utf-8" and raw.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        for bom, kind in ((codecs.BOM_UTF8, "UTF-8"), (codecs.BOM_UTF16_LE, "UTF-16"),
                          (codecs.BOM_UTF16_BE, "UTF-16")):
            if raw.startswith(bom) and not name.startswith(kind.lower()):
                raise DataContractError.single(
                    file, 1, None, f"the file starts with a {kind} byte-order mark, but encoding "
                    f"{encoding} was given", f"no explicit encoding ({kind} is recognised by its mark)")
        try:
            text = raw.decode(name)
        except UnicodeDecodeError as error:
            raise DataContractError(
                [_bad_byte_problem(file, raw, error.start, name, delimiter)]) from None
        if name not in _UTF8_NAMES and not raw.isascii():
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                raise DataContractError.single(
                    file, None, None,
                    f"encoding {encoding} was given, but the file is UTF-8: its letters æ, ø, å "
                    "would be garbled", "no explicit encoding for a UTF-8 file")
        return text.lstrip("\ufeff"), name
    if raw.startswith(codecs.BOM_UTF8):
        name = "utf-8-sig"
    elif raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        name = "utf-16"
    elif len(raw) >= 4 and raw[1] == 0 and raw[3] == 0 and raw[0] != 0:
        name = "utf-16-le"
    elif len(raw) >= 4 and raw[0] == 0 and raw[2] == 0 and raw[1] != 0:
        name = "utf-16-be"
    else:
        name = "utf-8"
    try:
        text = raw.decode(name)
    except UnicodeDecodeError as error:
        raise DataContractError(
            [_bad_byte_problem(file, raw, error.start, name, delimiter)]) from None
    return text.lstrip("\ufeff"), name


def parse_delimited(text: str, file: str, *, delimiter: str, header: bool = True,
                    expected_delimiter_hint: bool = True) -> tuple[list[str], list[tuple[int, list]]]:
    """Split delimited text into a header and ``(line, cells)`` rows.

    Lines are counted as a text editor shows them, so a quoted cell that spans two lines moves
    the following rows down. Blank lines are skipped; a row with more or fewer fields than the
    header is refused.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    previous = 0
    try:
        for fields in reader:
            start = previous + 1
            previous = reader.line_num
            if not fields or all(f.strip() == "" for f in fields):
                continue
            records.append((start, fields))
    except csv.Error as error:
        if previous == 0 and expected_delimiter_hint:
            _delimiter_hint(file, 1, text.split("\n", 1)[0], delimiter)
        raise DataContractError.single(file, previous + 1, None, f"not a valid delimited file: {error}",
                                       "one record per line, quotes closed") from None
    if not header:
        return [], records
    if not records:
        raise DataContractError.single(file, 1, None, "the file is empty", "a header row and data rows")
    header_line, names = records[0]
    names = [n.strip() for n in names]
    if len(names) == 1 and expected_delimiter_hint:
        _delimiter_hint(file, header_line, names[0], delimiter)
    rows = records[1:]
    # SurveyXact writes a trailing empty column in structure.csv; drop nameless empty columns.
    while names and names[-1] == "" and all(len(r) < len(names) or r[len(names) - 1].strip() == ""
                                             for _, r in rows):
        names.pop()
        rows = [(line, r[: len(names)] if len(r) > len(names) else r) for line, r in rows]
    problems = []
    for line, cells in rows:
        if len(cells) != len(names):
            problems.append(DataProblem(
                file, line, None, f"the line has {len(cells)} fields but the header has {len(names)}",
                "the same number of fields on every line (is the delimiter right?)"))
    if problems:
        raise DataContractError(problems[:20])
    return names, [(line, [c if c.strip() != "" else None for c in cells]) for line, cells in rows]


def _delimiter_hint(file: str, line: int, first_line: str, delimiter: str) -> None:
    """Refuse a header that is separated by another delimiter than the one in use."""
    if delimiter in first_line:
        return
    for other in (";", "\t", ","):
        if other != delimiter and other in first_line:
            shown = "tab" if other == "\t" else other
            raise DataContractError.single(
                file, line, None, f"the header is not separated by "
                f"{'tab' if delimiter == chr(9) else repr(delimiter)}; the file seems to be "
                f"separated by {shown!r}",
                f"fields separated by {'tab' if delimiter == chr(9) else repr(delimiter)} "
                f"(or set source.delimiter: {'tab' if other == chr(9) else repr(other)} "
                "in the mapping)")


def sniff_delimiter(text: str, default: str) -> str:
    """Field separator of a SurveyXact file: tab or semicolon, read off its first line."""
    first = text.split("\n", 1)[0]
    if "\t" in first:
        return "\t"
    if ";" in first:
        return ";"
    return default


def read_delimited(path: Path, *, encoding: str | None, delimiter: str, decimal: str,
                   sniff: bool = False) -> SourceTable:
    """Read a CSV (or tab-separated) export into a :class:`SourceTable`."""
    text, used = decode_text(path, encoding, delimiter=delimiter)
    if sniff:
        delimiter = sniff_delimiter(text, delimiter)
    header, rows = parse_delimited(text, str(path), delimiter=delimiter)
    return SourceTable(str(path), header, rows, decimal=decimal, encoding=used)


# --------------------------------------------------------------------------------------------
# Excel workbooks
# --------------------------------------------------------------------------------------------


def open_workbook(path: Path):
    """Open an ``.xlsx`` workbook read-only (values, not formulas)."""
    file = str(path)
    if not path.is_file():
        raise DataContractError.single(file, None, None, "file is missing",
                                       "the export file named here")
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several unrelated types for a bad file
        raise DataContractError.single(
            file, None, None, f"not a readable Excel workbook ({type(error).__name__})",
            "an .xlsx workbook saved by Excel or the survey tool") from None


def find_sheet(workbook, wanted: str, file: str):
    """The sheet named ``wanted`` (case-insensitive), or a problem naming the sheets found."""
    for name in workbook.sheetnames:
        if name == wanted:
            return workbook[name]
    for name in workbook.sheetnames:
        if name.strip().lower() == wanted.lower():
            return workbook[name]
    raise DataContractError.single(
        file, None, None, f"sheet {wanted!r} is missing (the workbook has "
        + ", ".join(repr(n) for n in workbook.sheetnames) + ")",
        f"a sheet named {wanted!r}")


def sheet_rows(sheet) -> list[tuple[int, list]]:
    """All non-empty rows of a sheet as ``(spreadsheet row, cells)``; text cells stripped."""
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = []
        for value in values:
            if isinstance(value, str):
                value = value.strip() or None
            cells.append(value)
        if any(v is not None for v in cells):
            rows.append((number, cells))
    return rows


def read_sheet(path: Path, sheet, *, decimal: str, header: bool = True) -> SourceTable:
    """Read one worksheet into a :class:`SourceTable` (header in the first non-empty row)."""
    file = str(path)
    rows = sheet_rows(sheet)
    if not header:
        return SourceTable(file, [], rows, sheet=sheet.title, decimal=decimal)
    if not rows:
        raise DataContractError.single(file, 1, None, f"sheet {sheet.title!r} is empty",
                                       "a header row and data rows")
    header_line, names = rows[0]
    if header_line != 1:
        raise DataContractError.single(
            file, 1, None, f"the header of sheet {sheet.title!r} is on row {header_line}, not row 1",
            "the column names on row 1 and the first respondent on row 2")
    width = max(max((p for p, c in enumerate(cells) if c is not None), default=-1) + 1
                for _, cells in rows)
    header_names = ["" if n is None else str(n).strip() for n in names[:width]]
    header_names += [""] * (width - len(header_names))
    data = [(line, list(cells[:width]) + [None] * max(0, width - len(cells)))
            for line, cells in rows[1:]]
    return SourceTable(file, header_names, data, sheet=sheet.title, decimal=decimal)


def column_letter(number: int) -> str:
    """Spreadsheet letter of a 1-based column number (1 -> A, 27 -> AA)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --------------------------------------------------------------------------------------------
# Format-specific readers
# --------------------------------------------------------------------------------------------


def _canonical(value: object) -> str | None:
    """Canonical code of a label file's value (whole numbers without decimals)."""
    from evaluation.importers.mapping import code_key

    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", ".") if re.fullmatch(r"\s*\d+,0*\s*", value) else value
    try:
        return code_key(value)
    except ValueError:
        return str(value)


def read_surveyxact(source: Path, *, encoding: str | None, delimiter: str | None,
                    decimal: str) -> SourceTable:
    """Read a SurveyXact export: the workbook, or the three CSV files.

    The workbook has sheets ``Dataset`` (one row per respondent, header row), ``Structure``
    (one row per variable: ``questionName``, ``variableName``, ``questionType``, ``subType``,
    ``questionText``, ...) and ``Labels`` (no header: variable, value, label). The CSV form is
    the same three tables as ``dataset.csv``, ``structure.csv`` and ``labels.csv``, either
    semicolon-separated in Windows-1252 or tab-separated in UTF-16. Blank cells are missing
    answers; "Vet ikke" is an ordinary code declared in the labels.
    """
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        workbook = open_workbook(source)
        try:
            dataset_sheet = find_sheet(workbook, "Dataset", str(source))
            structure_sheet = find_sheet(workbook, "Structure", str(source))
            labels_sheet = find_sheet(workbook, "Labels", str(source))
            table = read_sheet(source, dataset_sheet, decimal=decimal)
            structure = read_sheet(source, structure_sheet, decimal=decimal)
            labels = read_sheet(source, labels_sheet, decimal=decimal, header=False)
        finally:
            workbook.close()
    else:
        folder = source if source.is_dir() else source.parent
        paths = {name: folder / f"{name}.csv" for name in ("dataset", "structure", "labels")}
        if source.is_file() and source.suffix.lower() == ".csv":
            paths["dataset"] = source
        for path in paths.values():
            if not path.is_file():
                raise DataContractError.single(
                    str(path), None, None, f"{path.name} is missing",
                    "the three SurveyXact files dataset.csv, structure.csv and labels.csv "
                    "side by side, or the SurveyXact workbook (.xlsx)")
        tables = {}
        for name, path in paths.items():
            text, used = decode_text(path, encoding, delimiter=delimiter or ";")
            sep = delimiter or sniff_delimiter(text, "\t" if used.startswith("utf-16") else ";")
            header, rows = parse_delimited(text, str(path), delimiter=sep, header=name != "labels",
                                           expected_delimiter_hint=name == "dataset")
            tables[name] = SourceTable(str(path), header, rows, decimal=decimal, encoding=used)
        table, structure, labels = tables["dataset"], tables["structure"], tables["labels"]

    lower = {name.lower(): position for position, name in enumerate(structure.header)}
    missing = [name for name in ("variableName", "questionType") if name.lower() not in lower]
    if missing:
        raise DataContractError.single(
            structure.file, 1, structure.ref(missing[0]), f"column {missing[0]!r} is missing",
            "the SurveyXact structure columns questionName, variableName, questionType, subType, "
            "questionText")
    var_at, type_at = lower["variablename"], lower["questiontype"]
    for _, cells in structure.rows:
        variable, kind = cells[var_at], cells[type_at]
        if variable is not None and isinstance(kind, str) and kind.strip().lower() == "open":
            table.open_columns.add(str(variable).strip())

    label_problems = []
    rows = labels.rows
    if rows and [str(c).strip().lower() for c in rows[0][1][:3] if c is not None] == \
            ["variablename", "value", "valuelabel"]:
        rows = rows[1:]
    for line, cells in rows:
        cells = list(cells) + [None] * (3 - len(cells))
        variable, value, label = cells[0], cells[1], cells[2]
        if variable is None or value is None:
            label_problems.append(labels.problem(
                line, None, "a label line without variable or value",
                "variable, value and label on every line"))
            continue
        code = _canonical(value)
        if code is None or not re.fullmatch(r"[+-]?\d+", code):
            label_problems.append(labels.problem(
                line, None, f"value {value!r} of {variable} is not a whole-number code",
                "SurveyXact's numeric codes"))
            continue
        name = str(variable).strip()
        table.value_labels.setdefault(name, {})[code] = "" if label is None else str(label).strip()
        table.declared_codes.setdefault(name, set()).add(code)
    if label_problems:
        raise DataContractError(label_problems[:20])
    table.label_file = labels.file + (f" (sheet {labels.sheet})" if labels.sheet else "")
    return table


def read_nettskjema(source: Path, *, encoding: str | None, delimiter: str | None,
                    decimal: str, sheet: str | None, codebook: Path | None) -> SourceTable:
    """Read a Nettskjema export (CSV or Excel) and, if given, its codebook.

    The data have one row per submission; ``$submission_id`` and ``$created`` are Nettskjema's
    own columns; with the codebook switched on, every question column is named by its codebook
    code and holds the codebook's answer codes.
    """
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        workbook = open_workbook(source)
        try:
            chosen = find_sheet(workbook, sheet, str(source)) if sheet else workbook.worksheets[0]
            table = read_sheet(source, chosen, decimal=decimal)
        finally:
            workbook.close()
    else:
        table = read_delimited(source, encoding=encoding, delimiter=delimiter or ",", decimal=decimal)
    if codebook is not None:
        labels = read_nettskjema_codebook(codebook, encoding=None)
        for column, codes in labels.items():
            table.value_labels[column] = codes
            table.declared_codes[column] = set(codes)
        table.label_file = str(codebook)
    return table


def read_nettskjema_codebook(path: Path, *, encoding: str | None = None) -> dict[str, dict[str, str]]:
    """Read a Nettskjema codebook: question code -> {answer code: answer text}.

    Two forms are accepted:

    * the codebook text file Nettskjema writes (``codebook-<form>-<date>.txt``): lines starting
      with ``*`` are headings; each question is a block ``code<TAB>text``, its answer options
      follow as ``code<TAB>text`` lines after one blank line, and blocks are separated by two
      or more blank lines;
    * a table (CSV with comma, semicolon or tab, or ``.xlsx``) with the columns
      ``element_code``, ``answer_code`` and ``answer_text``, one row per answer option (the
      long form of the codebook that the R package *nettskjemar* writes).
    """
    file = str(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        workbook = open_workbook(path)
        try:
            table = read_sheet(path, workbook.worksheets[0], decimal=".")
        finally:
            workbook.close()
        return _codebook_from_table(table)
    text, _ = decode_text(path, encoding)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lstrip().startswith("*"):
        return _codebook_from_text(text, file)
    for sep in ("\t", ";", ","):
        names = [n.strip().lower() for n in first.split(sep)]
        if {"element_code", "answer_code"} <= set(names):
            header, rows = parse_delimited(text, file, delimiter=sep)
            return _codebook_from_table(SourceTable(file, header, rows))
    raise DataContractError.single(
        file, 1, None, "not a Nettskjema codebook",
        "Nettskjema's codebook text file, or a table with columns element_code, answer_code, "
        "answer_text")


def _codebook_from_table(table: SourceTable) -> dict[str, dict[str, str]]:
    lower = {name.lower(): position for position, name in enumerate(table.header)}
    for needed in ("element_code", "answer_code"):
        if needed not in lower:
            raise DataContractError.single(table.file, 1, table.ref(needed),
                                           f"column {needed!r} is missing",
                                           "columns element_code, answer_code, answer_text")
    text_at = lower.get("answer_text")
    result: dict[str, dict[str, str]] = {}
    for _, cells in table.rows:
        element, answer = cells[lower["element_code"]], cells[lower["answer_code"]]
        if element is None or answer is None:
            continue
        label = "" if text_at is None or cells[text_at] is None else str(cells[text_at])
        result.setdefault(str(element).strip(), {})[_canonical(answer)] = label.strip()
    return result


def _codebook_from_text(text: str, file: str) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    current: str | None = None
    blank_run = 2
    for line in text.splitlines():
        if not line.strip():
            blank_run += 1
            continue
        if line.lstrip().startswith("*"):
            blank_run = 2
            continue
        code, _, label = line.partition("\t")
        code, label = code.strip(), label.strip()
        if blank_run >= 2 or current is None:
            current = code
            result.setdefault(current, {})
        else:
            result[current][_canonical(code)] = label
        blank_run = 0
    if not result:
        raise DataContractError.single(file, None, None, "the codebook has no questions",
                                       "question blocks of code<TAB>text lines")
    return result


def read_spss(source: Path, *, encoding: str | None) -> SourceTable:
    """Read an SPSS ``.sav`` file with its user-missing values kept.

    ``pyreadstat.read_sav(..., user_missing=True)`` returns a declared user-missing value (a
    don't-know code such as 8 or 9) as its code instead of turning it into an empty cell, and
    lists the declarations in ``meta.missing_ranges``; value labels come from
    ``meta.variable_value_labels``. Rows are numbered by case, as in SPSS Data View.
    """
    file = str(source)
    if not source.is_file():
        raise DataContractError.single(file, None, None, "file is missing", "the .sav file named here")
    import math

    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(source), user_missing=True, encoding=encoding)
    except Exception as error:  # pyreadstat raises ReadstatError / PyreadstatError / OSError
        raise DataContractError.single(
            file, None, None, f"not a readable SPSS .sav file ({error})",
            "a .sav file saved by SPSS, PSPP or the survey tool") from None
    header = [str(c) for c in frame.columns]
    rows = []
    for case, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        cells = []
        for value in values:
            if value is None or (isinstance(value, float) and math.isnan(value)):
                value = None
            elif isinstance(value, str):
                value = value.strip() or None
            elif hasattr(value, "item") and not hasattr(value, "date"):
                value = value.item()
            cells.append(value)
        rows.append((case, cells))
    table = SourceTable(file, header, rows, decimal=".", case_numbers=True, encoding=encoding or "")
    for column, labels in (meta.variable_value_labels or {}).items():
        table.value_labels[str(column)] = {_canonical(k): str(v) for k, v in labels.items()}
    for column, ranges in (meta.missing_ranges or {}).items():
        spans = []
        for span in ranges:
            low, high = span.get("lo"), span.get("hi")
            if isinstance(low, (int, float)) and isinstance(high, (int, float)):
                spans.append((float(low), float(high)))
        if spans:
            table.user_missing[str(column)] = spans
    table.label_file = file
    return table


def read_excel(source: Path, *, sheet: str | None, decimal: str) -> SourceTable:
    """Read a generic one-sheet workbook (or the sheet named ``sheet``)."""
    workbook = open_workbook(source)
    try:
        if sheet:
            chosen = find_sheet(workbook, sheet, str(source))
        else:
            if len(workbook.sheetnames) != 1:
                raise DataContractError.single(
                    str(source), None, None,
                    f"the workbook has {len(workbook.sheetnames)} sheets ("
                    + ", ".join(repr(n) for n in workbook.sheetnames) + ")",
                    "one sheet, or the sheet to read named in source.sheet")
            chosen = workbook.worksheets[0]
        return read_sheet(source, chosen, decimal=decimal)
    finally:
        workbook.close()


__all__ = [
    "DONT_KNOW_LABEL",
    "SourceTable",
    "decode_text",
    "parse_delimited",
    "read_delimited",
    "read_excel",
    "read_nettskjema",
    "read_nettskjema_codebook",
    "read_spss",
    "read_surveyxact",
]
