"""Reader of REFI-QDA projects (``.qdpx``), mapped onto the contract's ``interviews/`` files.

A REFI-QDA project is the exchange standard that NVivo, ATLAS.ti, MAXQDA and QualCoder export:
a zip archive holding ``project.qde`` (XML in the namespace ``urn:QDA-XML:project:1.0``) and the
transcripts in its ``sources/`` folder. :func:`read_qdpx` reads the code book (with its
hierarchy), the cases and their variables, the text sources and their coded selections; how
coding maps onto the contract is described in :mod:`evaluation.importers.qda`, what the import
cannot guess is said in a mapping file (:mod:`evaluation.importers.qda_mapping`), and the
archive itself is opened defensively (:mod:`evaluation.importers.qdpx_archive`).

Errors name ``ARCHIVE/project.qde``, the XML line and the element (with its guid); an unsafe or
damaged archive gets an :class:`~evaluation.errors.ArchiveError` naming the archive and member.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.parsers import expat

from evaluation.errors import ArchiveError, DataContractError
from evaluation.importers.qda import QdaImport
from evaluation.importers.qda_mapping import QdaMapping, read_qda_mapping
from evaluation.importers.qdpx_archive import MAX_MEMBER_BYTES, ProjectArchive, unsafe_path
from evaluation.importers.qdpx_project import QdpxProject

NAMESPACE = "urn:QDA-XML:project:1.0"
"""XML namespace of a REFI-QDA project file (``project.qde``)."""


def read_qdpx(
    path: str | Path,
    *,
    mapping: str | Path | dict | QdaMapping | None = None,
    max_member_bytes: int = MAX_MEMBER_BYTES,
) -> QdaImport:
    """Read a REFI-QDA project (``.qdpx``) into the contract's interview frames.

    Parameters
    ----------
    path : str or Path
        The ``.qdpx`` file (a zip archive with ``project.qde`` and ``sources/``).
    mapping : str, Path, dict or QdaMapping, optional
        The interview mapping (a YAML file, see :mod:`evaluation.importers.qda_mapping`): which
        variables hold the interview attributes and how their values map onto the contract,
        which codes are the assessment and approval codes, what an unassessed passage is, and
        how the tool counted CR LF line breaks. Without it the conventions apply.
    max_member_bytes : int
        Largest archive member read (decompressed); larger ones are refused.

    Returns
    -------
    QdaImport
        ``interviews``, ``segments`` and ``codebook`` (see :mod:`evaluation.importers.qda`),
        the ``summary`` of what was left out, merged or decided, and the ``labels`` of the
        interviews. Segments follow the order of the sources and passages in the file.

    Raises
    ------
    ArchiveError
        If the archive is missing, not a zip archive, empty or truncated, has no
        ``project.qde``, or holds an unsafe (a path leaving the archive), oversized, encrypted
        or damaged member; the error names the archive and the member.
    DataContractError
        If the XML is malformed or declares a DTD (so no entity is ever expanded), a reference
        in it is broken, an interview attribute, a selection's position or an assessment is
        missing or invalid, or the mapping does not fit the project. The error names
        ``ARCHIVE/project.qde``, the XML line and the element (with its guid), or the mapping's
        line.

    Notes
    -----
    **Positions.** Selections are ``PlainTextSelection`` elements of ``TextSource``\\ s; their
    ``startPosition`` and ``endPosition`` are zero-based character offsets into the source's
    plain text, the end exclusive (the passage is ``text[start:end]``), as the standard says.
    The plain text is the source's ``PlainTextContent`` or the archive file its
    ``plainTextPath`` names as ``internal://NAME`` (``sources/NAME`` or ``Sources/NAME``, in
    any letter case; a ``richTextPath`` twin is never read and need not be in the archive). A
    file is UTF-8 (or UTF-16 with its byte-order mark); a byte-order mark is not part of the
    text and is never counted. A CR LF line break is two characters of the plain text, which is
    how the standard and NVivo count; ATLAS.ti counts it as one. Since the two cannot be told
    apart from the file, a transcript with CR LF line breaks before a coded passage needs
    ``crlf_counts_as: 2`` or ``1`` in the mapping (with 1, each CR LF is read as one line
    break). Inline ``PlainTextContent`` has no CR LF: XML parsing turns it into LF (XML 1.0,
    section 2.11). Quotes keep their line breaks as LF.

    **Passages.** Selections over the same span of the same source are one passage with all
    their codes (QualCoder and MAXQDA write one selection per code). A passage's interview is
    the case that refers to the selection (``SelectionRef``), or the case whose code (NVivo
    writes cases as codes too) covers the passage, or the case of its source (``SourceRef``),
    or the interview variables of the source itself.

    **Interviews.** Each case is an interview. Its id is the ``interview_id`` variable if there
    is one, else the case name if that is a valid contract id, else derived from the case's
    label: ``i-<pilot>-<8 hex digits of the SHA-256 of the label>``, stable across exports.
    The label is the case name, or for a case without a name (MAXQDA) the names of its
    documents; it is kept in :attr:`QdaImport.labels`, never written to the data folder.

    **Left out** (and counted in the summary): notes and memos, sets (code and document
    groups), links, graphs, picture, PDF, audio and video sources, codings of whole sources,
    selections without codes, and selections coded only with assessment or approval codes.

    References
    ----------
    REFI (Rotterdam Exchange Format Initiative) (2019). *QDA-XML Project exchange standard,
    version 1.0* (``Project-mrt2019.xsd``) and *REFI-QDA Standard 1.5*.
    https://www.qdasoftware.org

    Examples
    --------
    >>> import tempfile, zipfile
    >>> qde = (f'<Project xmlns="{NAMESPACE}" name="p"><CodeBook><Codes>'
    ...        '<Code guid="a0000000-0000-4000-8000-000000000001" name="colocation" isCodable="true"/>'
    ...        '</Codes></CodeBook></Project>')
    >>> path = tempfile.mkdtemp() + "/p.qdpx"
    >>> with zipfile.ZipFile(path, "w") as archive:
    ...     archive.writestr("project.qde", qde)
    >>> read_qdpx(path).codebook[["code", "theme"]].to_dict("records")  # a top-level code is its own theme
    [{'code': 'colocation', 'theme': 'colocation'}]
    """
    file = str(path)
    mapping = read_qda_mapping(mapping)
    with ProjectArchive(path, max_member_bytes=max_member_bytes) as archive:
        info = archive.find("project.qde")
        if info is None:
            raise ArchiveError(file, "project.qde", "the archive has no project.qde",
                               "project.qde at the root of the .qdpx archive")
        xml = _Xml(archive.read(info), f"{file}/project.qde")
        project = QdpxProject(xml, mapping, lambda element, text_path: _source_text(archive, xml, element, text_path))
        return project.read(file)


def _source_text(archive: ProjectArchive, xml: _Xml, element, text_path: str) -> str:
    """The text of the archive file that a ``plainTextPath`` (``internal://NAME``) names."""
    if not text_path.lower().startswith("internal://"):
        raise xml.error(element, f"plainTextPath {text_path!r} is outside the archive",
                        "internal://NAME (a file in the archive's sources folder) "
                        "or a PlainTextContent element")
    name = text_path[len("internal://"):].lstrip("/")
    why = unsafe_path(name)
    if why is not None:
        raise ArchiveError(archive.file, text_path,
                           f"plainTextPath (project.qde line {xml.line(element)}) is unsafe: {why}",
                           "internal://NAME, a file in the archive's sources folder")
    for candidate in (f"sources/{name}", name):
        info = archive.find(candidate)
        if info is not None:
            raw = archive.read(info)
            try:
                if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                    return raw.decode("utf-16")
                return raw.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise xml.error(element, f"{info.filename} is not UTF-8 text (byte offset {error.start})",
                                "a UTF-8 plain text file") from None
    raise xml.error(element, f"Sources/{name} is not in the archive", "the file plainTextPath names")


class _Xml:
    """``project.qde`` parsed with element line numbers (for error messages)."""

    def __init__(self, data: bytes, file: str):
        self.file = file
        self.lines: dict[int, int] = {}
        builder = ET.TreeBuilder()
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True

        def qualified(name: str) -> str:
            return "{" + name if "}" in name else name

        def start(name, attributes):
            element = builder.start(qualified(name),
                                    {qualified(k): v for k, v in attributes.items()})
            self.lines[id(element)] = parser.CurrentLineNumber

        def doctype(*_):
            raise DataContractError.single(file, parser.CurrentLineNumber, "DOCTYPE",
                                           "document type declarations are not allowed",
                                           "a REFI-QDA project.qde without a DTD")

        parser.StartElementHandler = start
        parser.EndElementHandler = lambda name: builder.end(qualified(name))
        parser.CharacterDataHandler = builder.data
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        try:
            parser.Parse(data, True)
        except expat.ExpatError as error:
            raise DataContractError.single(file, error.lineno, None,
                                           f"not well-formed XML: {expat.ErrorString(error.code)}",
                                           "a REFI-QDA project.qde XML document") from None
        self.root = builder.close()
        tag = self.root.tag
        self.ns = tag[1:].split("}")[0] if tag.startswith("{") else ""
        if tag.rsplit("}", 1)[-1] != "Project" or self.ns not in (NAMESPACE, ""):
            raise DataContractError.single(file, self.line(self.root), tag,
                                           "root element is not a REFI-QDA Project",
                                           f"<Project xmlns=\"{NAMESPACE}\">")

    def q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}" if self.ns else local

    def line(self, element) -> int | None:
        return self.lines.get(id(element))

    def where(self, element) -> tuple[int | None, str]:
        local = element.tag.rsplit("}", 1)[-1]
        guid = element.get("guid") or element.get("targetGUID")
        return self.line(element), f"{local}[guid={guid}]" if guid else local

    def error(self, element, message: str, expected: str = "") -> DataContractError:
        return DataContractError.single(self.file, *self.where(element), message, expected)

    def children(self, element, local: str) -> list:
        return element.findall(self.q(local)) if element is not None else []

    def text(self, element, local: str) -> str:
        child = element.find(self.q(local)) if element is not None else None
        return (child.text or "").strip() if child is not None else ""

    def required(self, element, attribute: str) -> str:
        value = element.get(attribute)
        if value is None or not value.strip():
            raise self.error(element, f"attribute {attribute!r} is missing",
                             f"a {attribute} attribute (REFI-QDA project schema)")
        return value




__all__ = ["NAMESPACE", "read_qdpx"]
