"""PDF/A-2u for the reports' PDFs: what Chromium leaves out, added; and a check of the result.

Chromium's PDF (Skia) already embeds every font as a subset with a ``ToUnicode`` map, uses no
encryption, JavaScript, LZW or external content, and is tagged. :func:`make_pdfa` adds what
PDF/A-2 (ISO 19005-2) asks beyond that, for conformance level u (every glyph maps to Unicode):

* XMP metadata in the catalog with the PDF/A identification (``pdfaid:part`` 2,
  ``pdfaid:conformance`` U), and the title, language, author, subject, creator tool, producer
  and dates, the same as in the document information dictionary (ISO 19005-2, 6.6.2-6.6.4);
* an output intent with an sRGB ICC profile (``GTS_PDFA1``), since pages use device RGB
  (6.2.3 and 6.2.4.3);
* the print flag, and no hidden flags, on every annotation (6.3.2).

:func:`pdfa_findings` checks a PDF against the rules of PDF/A-2u that can be checked by reading
its objects (listed in its docstring) plus the tagging the reports promise. It is not a full
validator: veraPDF, the reference validator, cannot be installed on these machines (it is
neither a Debian nor a PyPI package). A PDF without findings meets the rules listed; the rest of
ISO 19005-2 (for example the content of font programs and of colour profiles) is not checked.

References
----------
ISO 19005-2:2011, Document management -- Electronic document file format for long-term
preservation -- Part 2: Use of ISO 32000-1 (PDF/A-2). The rules are also in the veraPDF
validation profile for PDF/A-2 (https://docs.verapdf.org/validation/pdfa-parts-2-and-3/).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache

PDFA_PART = 2
PDFA_CONFORMANCE = "U"
CREATOR_TOOL = "Statens hus evaluation workbench"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"

_ANNOTATION_PRINT = 4
_ANNOTATION_HIDDEN = 1 | 2 | 32  # Invisible, Hidden, NoView


@dataclass(frozen=True)
class PdfaFinding:
    """One rule a PDF breaks.

    Attributes
    ----------
    rule : str
        The clause of ISO 19005-2 (or ``tagged`` for the reports' own promise of a tagged PDF).
    message : str
        What is wrong, and where.
    """

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile (made by LittleCMS through Pillow)."""
    from PIL import ImageCms

    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _pdf_date(moment: dt.datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def _mend_outline(document, titles) -> None:
    """Give bookmarks the text of their headings: Chromium drops the space where a heading
    wraps onto a second line ("samlet vurderingav")."""
    import re

    import pikepdf

    known = {re.sub(r"\s+", "", title): title for title in titles}
    outline = document.Root.get("/Outlines")
    stack = [outline.get("/First")] if outline is not None else []
    while stack:
        item = stack.pop()
        if item is None:
            continue
        key = re.sub(r"\s+", "", str(item.get("/Title", "")))
        if key in known:
            item.Title = pikepdf.String(known[key])
        stack.extend([item.get("/Next"), item.get("/First")])


def make_pdfa(pdf: bytes, *, title: str, lang: str, author: str, subject: str,
              moment: dt.datetime | None = None, headings: tuple[str, ...] = ()) -> tuple[bytes, int]:
    """Make a Chromium PDF PDF/A-2u: XMP metadata, sRGB output intent, printable annotations.

    Parameters
    ----------
    pdf : bytes
        The PDF as Chromium printed it.
    title, lang, author, subject : str
        Document title, language (BCP 47, ``nb`` or ``en``), author and subject.
    moment : datetime.datetime, optional
        Creation and modification time (default: now, UTC).
    headings : tuple of str
        The texts of the document's headings: a bookmark whose title equals one of them but for
        white space gets its text.

    Returns
    -------
    tuple
        The new PDF's bytes and its number of pages.
    """
    import pikepdf

    moment = (moment or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        producer = str(document.docinfo.get("/Producer", "Skia/PDF")) + f"; pikepdf {pikepdf.__version__}"
        for key in list(document.docinfo.keys()):  # Chromium's Creator is its user agent: replaced
            del document.docinfo[key]
        for key, value in (("/Title", title), ("/Author", author), ("/Subject", subject),
                           ("/Creator", CREATOR_TOOL), ("/Producer", producer),
                           ("/CreationDate", _pdf_date(moment)), ("/ModDate", _pdf_date(moment))):
            document.docinfo[key] = pikepdf.String(value)
        document.Root.Lang = pikepdf.String(lang)
        _mend_outline(document, headings)
        with document.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta.load_from_docinfo(document.docinfo, delete_missing=True)
            meta["dc:language"] = [lang]
            meta["pdfaid:part"] = str(PDFA_PART)
            meta["pdfaid:conformance"] = PDFA_CONFORMANCE
        profile = pikepdf.Stream(document, srgb_profile())
        profile.N = 3
        document.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String(OUTPUT_CONDITION), Info=pikepdf.String(OUTPUT_CONDITION),
            RegistryName=pikepdf.String("http://www.color.org"), DestOutputProfile=profile)])
        for page in document.pages:
            for annotation in page.obj.get("/Annots", []):
                flags = int(annotation.get("/F", 0))
                annotation.F = (flags | _ANNOTATION_PRINT) & ~_ANNOTATION_HIDDEN
        out = io.BytesIO()
        document.save(out, fix_metadata_version=False)
        return out.getvalue(), len(document.pages)


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------


def _fonts(document):
    """Every font dictionary used on a page (descendant fonts of Type0 included), once."""
    import pikepdf

    seen = {}
    for page in document.pages:
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        stack = [resources]
        while stack:
            res = stack.pop()
            for font in res.get("/Font", pikepdf.Dictionary()).values():
                seen.setdefault(font.objgen, font)
                for descendant in font.get("/DescendantFonts", []):
                    seen.setdefault(descendant.objgen, descendant)
            for xobject in res.get("/XObject", pikepdf.Dictionary()).values():
                if xobject.get("/Subtype") == pikepdf.Name.Form and "/Resources" in xobject:
                    stack.append(xobject.Resources)
    return list(seen.values())


def _check_fonts(document, findings: list) -> None:
    for font in _fonts(document):
        name = str(font.get("/BaseFont", font.get("/Subtype")))
        subtype = font.get("/Subtype")
        if subtype == "/Type3":
            continue
        if subtype != "/Type0":
            descriptor = font.get("/FontDescriptor")
            if descriptor is None or not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                findings.append(PdfaFinding("6.2.11.4.1", f"font {name} is not embedded"))
        if subtype in ("/Type0", "/TrueType", "/Type1") and "/ToUnicode" not in font:
            findings.append(PdfaFinding("6.2.11.7", f"font {name} has no ToUnicode map (level u)"))


def _check_metadata(document, findings: list) -> None:
    if "/Metadata" not in document.Root:
        findings.append(PdfaFinding("6.6.2.1", "the catalog has no XMP metadata stream"))
        return
    meta = document.open_metadata()
    if meta.get("pdfaid:part") != str(PDFA_PART) or meta.get("pdfaid:conformance") != PDFA_CONFORMANCE:
        findings.append(PdfaFinding("6.6.4", f"XMP does not identify PDF/A-{PDFA_PART}{PDFA_CONFORMANCE.lower()}"))
    title = str(document.docinfo.get("/Title", ""))
    if not title or meta.get("dc:title") != title:
        findings.append(PdfaFinding("6.6.3", "the title is missing or differs between Info and XMP"))
    intents = [i for i in document.Root.get("/OutputIntents", []) if i.get("/S") == "/GTS_PDFA1"]
    profile = intents[0].get("/DestOutputProfile") if len(intents) == 1 else None
    if profile is None or int(profile.get("/N", 0)) != 3:
        findings.append(PdfaFinding("6.2.3", "no single GTS_PDFA1 output intent with an RGB ICC profile"))


def _check_objects(document, findings: list) -> None:
    import pikepdf

    if document.is_encrypted:
        findings.append(PdfaFinding("6.1.3", "the file is encrypted"))
    if document.pdf_version > "1.7":
        findings.append(PdfaFinding("6.1.2", f"PDF version {document.pdf_version} is above 1.7"))
    if "/ID" not in document.trailer:
        findings.append(PdfaFinding("6.1.3", "the trailer has no file identifier (ID)"))
    names = document.Root.get("/Names", pikepdf.Dictionary())
    for key, rule in (("/JavaScript", "6.6.1"), ("/EmbeddedFiles", "6.8")):
        if key in names:
            findings.append(PdfaFinding(rule, f"the catalog's name tree has {key}"))
    for key in ("/AA", "/OCProperties"):
        if key in document.Root:
            findings.append(PdfaFinding("6.6.1" if key == "/AA" else "6.9", f"the catalog has {key}"))
    for obj in document.objects:
        if isinstance(obj, pikepdf.Stream):
            filters = obj.get("/Filter")
            listed = [filters] if isinstance(filters, pikepdf.Name) else list(filters or [])
            if pikepdf.Name.LZWDecode in listed:
                findings.append(PdfaFinding("6.1.7.2", f"object {obj.objgen} uses LZW"))
            if obj.get("/Subtype") == "/Image" and bool(obj.get("/Interpolate", False)):
                findings.append(PdfaFinding("6.2.8", f"image {obj.objgen} has Interpolate true"))
        elif isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/JavaScript":
            findings.append(PdfaFinding("6.6.1", f"object {obj.objgen} is a JavaScript action"))


def _check_annotations(document, findings: list) -> None:
    for number, page in enumerate(document.pages, start=1):
        if "/AA" in page.obj:
            findings.append(PdfaFinding("6.6.2", f"page {number} has additional actions (AA)"))
        for annotation in page.obj.get("/Annots", []):
            flags = int(annotation.get("/F", 0))
            if not flags & _ANNOTATION_PRINT or flags & _ANNOTATION_HIDDEN:
                findings.append(PdfaFinding("6.3.2", f"an annotation on page {number} is not printed or is hidden"))
            if annotation.get("/Subtype") not in ("/Link", "/Popup") and "/AP" not in annotation:
                findings.append(PdfaFinding("6.3.3", f"a {annotation.get('/Subtype')} annotation on page {number} "
                                                     "has no appearance"))


def _check_tagging(document, findings: list) -> None:
    mark = document.Root.get("/MarkInfo")
    if mark is None or not bool(mark.get("/Marked", False)) or "/StructTreeRoot" not in document.Root:
        findings.append(PdfaFinding("tagged", "the PDF is not tagged (MarkInfo, StructTreeRoot)"))
    if not str(document.Root.get("/Lang", "")):
        findings.append(PdfaFinding("tagged", "the catalog has no Lang"))
    preferences = document.Root.get("/ViewerPreferences")
    if preferences is None or not bool(preferences.get("/DisplayDocTitle", False)):
        findings.append(PdfaFinding("tagged", "the viewer is not told to show the title (DisplayDocTitle)"))


def pdfa_findings(pdf: bytes) -> list[PdfaFinding]:
    """Check a PDF against the PDF/A-2u rules that can be read from its objects.

    The rules checked (clauses of ISO 19005-2): not encrypted, a file identifier and a PDF
    version up to 1.7 (6.1.2, 6.1.3); no LZW (6.1.7.2); a single ``GTS_PDFA1`` output intent
    with an RGB ICC profile (6.2.3); no interpolated images (6.2.8); every font embedded
    (6.2.11.4.1) with a ``ToUnicode`` map (6.2.11.7, level u); annotations printed and not
    hidden (6.3.2), with an appearance unless links (6.3.3); no JavaScript and no additional
    actions (6.6.1, 6.6.2); XMP metadata in the catalog (6.6.2.1) naming PDF/A-2u (6.6.4) with
    the title of the document information (6.6.3); no embedded files (6.8) and no optional
    content (6.9). Besides, what the reports promise of an accessible PDF: tagged (``MarkInfo``,
    a structure tree), ``Lang`` set, and the title shown by viewers (``DisplayDocTitle``).

    Parameters
    ----------
    pdf : bytes
        The PDF.

    Returns
    -------
    list of PdfaFinding
        Empty if every rule checked is met.
    """
    import pikepdf

    findings: list[PdfaFinding] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        _check_objects(document, findings)
        _check_metadata(document, findings)
        _check_fonts(document, findings)
        _check_annotations(document, findings)
        _check_tagging(document, findings)
    return findings


__all__ = ["CREATOR_TOOL", "PDFA_CONFORMANCE", "PDFA_PART", "PdfaFinding", "make_pdfa", "pdfa_findings",
           "srgb_profile"]
