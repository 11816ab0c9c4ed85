"""What the readers of qualitative coding share: the result, ids, vocabulary and the code book.

Two formats are read, each in its own module:

* **REFI-QDA projects** (``.qdpx``), the exchange standard that NVivo, ATLAS.ti, MAXQDA and
  QualCoder export: :func:`evaluation.importers.qdpx.read_qdpx`.
* **Taguette** exports (highlights, codebook and a mapping from document to interview):
  :func:`evaluation.importers.taguette.read_taguette`.

Both return a :class:`QdaImport` with the three frames of the contract's ``interviews/``
folder (``interviews``, ``segments``, ``codebook``), which :meth:`QdaImport.to_csv` writes out.

How coding maps onto the contract
---------------------------------
* **Themes and codes.** A top-level code is a theme; the codes below it (at any depth) are the
  codes of that theme. A top-level code without sub-codes, or one applied directly, is also a
  code of its own theme. Ids are made from the names: lower case, ``æøå`` as ``ae, o, a``,
  other characters as ``_`` ("Felles møteplasser" becomes ``felles_moteplasser``); the name
  itself becomes ``label_nb`` and ``label_en``, the code's description ``description``. Name the
  top-level codes after the programme's ``interview_themes`` ids so that the data validate.
  A code that is only a container (``isCodable="false"``) is never a code of the codebook.
* **Assessment.** A code ``assessment`` (its name is set in the mapping) with the sub-codes
  ``positive``, ``negative``, ``mixed`` and ``neutral`` (or the bokmål ``positiv``,
  ``negativ``, ``blandet``, ``nøytral``, or names the mapping maps). A coded passage takes the
  assessment code applied to the same passage (the same span). A passage with theme codes but
  no assessment is an error, unless the mapping decides otherwise (``unassessed: neutral`` or
  ``skip``), which the import summary then counts.
* **Quote approval.** A code ``quote_approved`` (its name is set in the mapping) applied to a
  passage marks its text as approved by the informant; the passage's text is always carried
  in ``quote``, approved or not (reports show only approved ones).
* **Interviews.** In a REFI-QDA project, each case is an interview, with the variables
  ``pilot``, ``date``, ``stakeholder_group`` and optionally ``interview_id`` and
  ``informants`` (else 1) -- or the variables the mapping names, with the values it maps; its
  sources are the interview's transcripts. A case without a name (MAXQDA writes one per
  document that has variables) is labelled by its document's name; a source without a case may
  carry the variables itself. For Taguette, the document mapping gives them.
* **Segments.** One row per passage and code; passages coded with several codes give several
  rows, with the ids ``<passage>-1``, ``<passage>-2``, … (``segment_id`` is unique in the
  contract). Selections over the same span of the same source are one passage (QualCoder and
  MAXQDA write one selection per code).

Errors name the file and, for XML, the line and element (``project.qde`` inside the archive
is named ``ARCHIVE/project.qde``), or, for the Taguette files, the line and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evaluation.contract.vocabulary import ASSESSMENTS, ID_PATTERN, STAKEHOLDER_GROUPS
from evaluation.errors import DataContractError

INTERVIEW_COLUMNS = ("interview_id", "pilot", "date", "stakeholder_group", "informants")
SEGMENT_COLUMNS = ("segment_id", "interview_id", "code", "assessment", "quote", "quote_approved")
CODEBOOK_COLUMNS = ("code", "theme", "label_nb", "label_en", "description")
SUMMARY_COLUMNS = ("part", "count", "treatment")
"""Columns of :attr:`QdaImport.summary`."""
LABEL_COLUMNS = ("interview_id", "label", "id_from")
"""Columns of :attr:`QdaImport.labels`."""

_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


@dataclass(frozen=True)
class QdaImport:
    """Coding imported from a qualitative tool, in the shape of the contract's ``interviews/`` files.

    Attributes
    ----------
    interviews : pandas.DataFrame
        ``interview_id, pilot, date, stakeholder_group, informants``; ``date`` is
        ``datetime64``, ``informants`` an integer.
    segments : pandas.DataFrame
        ``segment_id, interview_id, code, assessment, quote, quote_approved``;
        ``quote_approved`` is ``"yes"`` or ``"no"`` as in the CSV file.
    codebook : pandas.DataFrame
        ``code, theme, label_nb, label_en, description``.
    source : str
        The file read.
    summary : pandas.DataFrame
        What the import left out, merged or decided, one row per kind: ``part`` (the element,
        such as ``Note`` or ``Set``), ``count`` (int) and ``treatment`` (what was done with it).
        Empty when everything was read as it is.
    labels : pandas.DataFrame
        How each interview was identified: ``interview_id``, ``label`` (the case's or document's
        name in the tool, which may name a person: it is shown to the analyst, never written to
        the data folder) and ``id_from`` (``variable``, ``name`` or ``derived``).
    """

    interviews: pd.DataFrame = field(repr=False)
    segments: pd.DataFrame = field(repr=False)
    codebook: pd.DataFrame = field(repr=False)
    source: str = ""
    summary: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(SUMMARY_COLUMNS)),
                                  repr=False)
    labels: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(LABEL_COLUMNS)),
                                 repr=False)

    def to_csv(self, directory: str | Path) -> list[Path]:
        """Write ``interviews.csv``, ``segments.csv`` and ``codebook.csv`` into ``directory``.

        ``directory`` is a data folder's ``interviews/`` folder (created if missing). Dates are
        written ISO 8601, booleans ``yes``/``no``, as the contract asks. Returns the paths.
        The files are overwritten with the import alone: to add interviews to a data folder,
        use :func:`evaluation.importers.write_contract_interviews` (``import-interviews``).
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        interviews = self.interviews.copy()
        interviews["date"] = pd.to_datetime(interviews["date"]).dt.strftime("%Y-%m-%d")
        paths = []
        for name, frame in (("interviews", interviews), ("segments", self.segments),
                            ("codebook", self.codebook)):
            path = directory / f"{name}.csv"
            frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            paths.append(path)
        return paths


def make_id(name: str) -> str:
    """Turn a code, theme or pilot name into a contract id (``[a-z0-9_-]``).

    Examples
    --------
    >>> make_id("Felles møteplasser")
    'felles_moteplasser'
    >>> make_id("collab_shared_meetings")
    'collab_shared_meetings'
    """
    text = str(name).strip()
    if ID_PATTERN.match(text):
        return text
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION).lower())
    text = text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9_-]+", "_", text).strip("_-")


def synonyms(kind: str, values: tuple[str, ...]) -> dict[str, str]:
    """Map ids and their bokmål/English labels (from the translation table) to the id."""
    from evaluation.i18n import LANGUAGES, translation_table

    table = translation_table()
    mapping = {value: value for value in values}
    for value in values:
        for lang in LANGUAGES:
            label = table.get(f"{kind}.{value}", {}).get(lang)
            if label:
                mapping[make_id(label)] = value
    return mapping


def stakeholder_group(value: str) -> str | None:
    """The stakeholder group an id or a bokmål/English label names, or ``None``."""
    return synonyms("stakeholder", STAKEHOLDER_GROUPS).get(make_id(value))


def assessment(value: str) -> str | None:
    """The assessment a code name names (its last part after ``.``, ``/`` or ``:``), or ``None``."""
    last = re.split(r"[./:]", str(value))[-1]
    return synonyms("assessment", ASSESSMENTS).get(make_id(last))


def parse_date(value: str, *, dotted: bool = False) -> dt.date | None:
    """The date ``value`` gives, or ``None``.

    ISO 8601: a date, or the date part of a date-time (REFI-QDA ``DateValue`` and
    ``DateTimeValue``); with ``dotted=True`` also the Norwegian ``dd.mm.yyyy`` that a tool's
    text variable may hold.

    Examples
    --------
    >>> parse_date("2022-09-20T10:15:00Z"), parse_date("20.09.2022", dotted=True), parse_date("20.09.2022")
    (datetime.date(2022, 9, 20), datetime.date(2022, 9, 20), None)
    """
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text) if dotted else None
    try:
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def parse_informants(value: object) -> int | None:
    """A positive whole number of informants, or ``None``."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if number != int(number) or number < 1:
        return None
    return int(number)


def frames(interviews: list[dict], segments: list[dict], codebook: list[dict],
           source: str, *, summary: list[dict] = (), labels: list[dict] = ()) -> QdaImport:
    """A :class:`QdaImport` from rows of the three frames (and of the summary and labels)."""
    interview_frame = pd.DataFrame(interviews, columns=list(INTERVIEW_COLUMNS))
    interview_frame["date"] = pd.to_datetime(interview_frame["date"])
    interview_frame["informants"] = interview_frame["informants"].astype("int64")
    return QdaImport(
        interviews=interview_frame,
        segments=pd.DataFrame(segments, columns=list(SEGMENT_COLUMNS)),
        codebook=pd.DataFrame(codebook, columns=list(CODEBOOK_COLUMNS)),
        source=source,
        summary=pd.DataFrame(list(summary), columns=list(SUMMARY_COLUMNS)).astype({"count": "int64"}),
        labels=pd.DataFrame(list(labels), columns=list(LABEL_COLUMNS)),
    )


def codebook_rows(nodes: list[dict], used: set[str], file: str, where) -> tuple[list[dict], dict]:
    """Codebook rows from code nodes ``{key, name, parent, description, has_children}``.

    A node with ``codable`` false (a container only) is not a code; a node with ``control``
    set (the assessment and approval codes) and everything below it is left out. Returns the
    rows and ``key -> code id`` for the codes of themes. Raises on id clashes.
    """
    by_key = {node["key"]: node for node in nodes}
    rows, code_of, seen = [], {}, {}
    for node in nodes:
        root = node
        depth = 0
        while root["parent"] is not None:
            root = by_key[root["parent"]]
            depth += 1
        if root.get("control") or node.get("control_below") or not node.get("codable", True):
            continue
        is_code = depth > 0 or not node["has_children"] or node["key"] in used
        if not is_code:
            continue
        code = make_id(node["name"])
        if not code:
            raise DataContractError.single(file, *where(node), f"code name {node['name']!r} "
                                           "gives an empty id", "a name with letters or digits")
        if code in seen:
            raise DataContractError.single(
                file, *where(node),
                f"code {node['name']!r} has the same id {code!r} as code {seen[code]!r}",
                "code names that differ after conversion to ids")
        seen[code] = node["name"]
        code_of[node["key"]] = code
        rows.append({"code": code, "theme": make_id(root["name"]), "label_nb": node["name"],
                     "label_en": node["name"], "description": node["description"]})
    return rows, code_of


def segment_rows(passage: str, interview_id: str, codes: list[str], assessment: str, quote: str,
                 approved: str) -> list[dict]:
    """One segment row per code of a coded passage, with the ids ``<passage>-1``, ``-2``, …"""
    return [{"segment_id": f"{passage}-{number}", "interview_id": interview_id, "code": code,
             "assessment": assessment, "quote": quote, "quote_approved": approved}
            for number, code in enumerate(codes, start=1)]
