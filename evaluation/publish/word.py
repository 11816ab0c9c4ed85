"""The Word document of a report (python-docx), for evaluators who finish their report in Word.

The document is built from the report's HTML, element by element, so it says what the report
says: the front page (title, demo banner, subtitle and the facts of the PDF's front page), a
table of contents field (Word fills it in when fields are updated), then the chapters. Headings
are Word's own heading styles (a chapter is "Heading 1", a section "Heading 2"), so the
navigation pane and the table of contents work; tables are real tables with a repeated header
row; figures are the 300-dpi PNG with the report's alt text (``descr``) and caption; quotes use
the "Quote" style; a link keeps its address in brackets. The document's language is set on its
default style and in its properties.
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

from evaluation.errors import MissingFigureFileError
from evaluation.publish.document import ReportDocument
from evaluation.publish.tables import parse_fragment, text_of

HEADING_LEVELS = {"h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 4}
"""Report heading to Word heading level: chapters are level 1."""

NOTE_CLASSES = {"note", "suppression-note", "caution-note", "small"}
FIGURE_WIDTH_CM = 16.0
LANGUAGE_TAGS = {"nb": "nb-NO", "en": "en-GB"}


class _Builder:
    """Walks the report's HTML and adds it to a python-docx document."""

    def __init__(self, doc, figures):
        self.doc = doc
        self.figures = list(figures)
        self.figure_number = 0
        self._style_ids: dict[str, str] = {}

    def paragraph(self, style: str | None = None, text: str = ""):
        """A new paragraph in ``style``, set by its id (python-docx's lookup by name is slow)."""
        paragraph = self.doc.add_paragraph(text)
        if style is not None:
            if style not in self._style_ids:
                self._style_ids[style] = self.doc.styles[style].style_id
            paragraph._p.get_or_add_pPr().style = self._style_ids[style]
        return paragraph

    def heading(self, text: str, level: int):
        return self.paragraph("Title" if level == 0 else f"Heading {level}", text)

    # ------------------------------------------------------------------ inline content
    def inline(self, paragraph, element, *, bold=False, italic=False, size=None) -> None:
        """Add an element's text and children as runs of ``paragraph``."""
        from docx.shared import Pt

        def run(text, b=bold, i=italic):
            if text:
                added = paragraph.add_run(re.sub(r"\s+", " ", text))
                added.bold, added.italic = b or None, i or None
                if size:
                    added.font.size = Pt(size)

        run(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                paragraph.add_run().add_break()
            elif tag in ("ul", "ol", "table", "figure", "p", "div"):
                pass  # blocks inside inline content are added by the block walker
            else:
                self.inline(paragraph, child, bold=bold or tag in ("strong", "b", "th"),
                            italic=italic or tag in ("em", "i"), size=size)
                href = child.get("href", "") if tag == "a" else ""
                if href.startswith(("http:", "https:", "mailto:")):
                    run(f" ({href})")
            if child.tail:
                run(child.tail)

    # ------------------------------------------------------------------ blocks
    def block(self, element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        classes = set(element.get("class", "").split())
        if tag in HEADING_LEVELS:
            heading = self.heading(text_of(element), HEADING_LEVELS[tag])
            if tag == "h2":
                heading.paragraph_format.page_break_before = True
        elif tag == "p":
            paragraph = self.paragraph()
            self.inline(paragraph, element, bold="demo-banner" in classes,
                        size=9 if classes & NOTE_CLASSES else None)
        elif tag in ("ul", "ol"):
            self.list(element, numbered=tag == "ol", depth=1)
        elif tag == "table":
            self.table(element)
        elif tag == "figure" and "report-figure" in classes:
            self.figure(element)
        elif tag == "blockquote":
            for child in element:
                paragraph = self.paragraph("Quote")
                self.inline(paragraph, child)
        elif tag == "figcaption":
            self.inline(self.paragraph("Caption"), element)
        elif tag in ("summary", "script", "style"):
            return
        else:  # div, section, nav, details, figure (quote, results chain), main
            for child in element:
                self.block(child)

    def list(self, element, *, numbered: bool, depth: int) -> None:
        style = ("List Number" if numbered else "List Bullet") + ("" if depth == 1 else f" {min(depth, 3)}")
        for item in element:
            if item.tag != "li":
                continue
            paragraph = self.paragraph(style)
            self.inline(paragraph, item)
            for child in item:
                if child.tag in ("ul", "ol"):
                    self.list(child, numbered=child.tag == "ol", depth=depth + 1)
                elif child.tag in ("h4", "h5", "h6", "p", "div", "table", "figure"):
                    self.block(child)

    def table(self, element) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        caption = element.find("caption")
        if caption is not None:
            self.inline(self.paragraph("Caption"), caption)
        rows = [row for row in element.iter("tr")]
        width = max((len([c for c in row if c.tag in ("th", "td")]) for row in rows), default=0)
        if not rows or not width:
            return
        table = self.doc.add_table(rows=len(rows), cols=width)
        if "Table Grid" not in self._style_ids:
            self._style_ids["Table Grid"] = self.doc.styles["Table Grid"].style_id
        table._tbl.tblPr.style = self._style_ids["Table Grid"]
        for row_element, row in zip(rows, table.rows):
            cells = row.cells
            for position, source in enumerate(c for c in row_element if c.tag in ("th", "td")):
                paragraph = cells[position].paragraphs[0]
                self.inline(paragraph, source, bold=source.tag == "th")
            if row_element.getparent() is not None and row_element.getparent().tag == "thead":
                header = OxmlElement("w:tblHeader")  # repeated on every page
                row._tr.get_or_add_trPr().append(header)
                header.set(qn("w:val"), "true")

    def figure(self, element) -> None:
        from docx.shared import Cm

        image = element.find(".//img")
        alt = image.get("alt", "") if image is not None else ""
        files = self.figures[self.figure_number] if self.figure_number < len(self.figures) else None
        self.figure_number += 1
        if files is None or files.alt_text != alt or not files.png_base64:
            # the HTML embeds the figure as SVG, which Word cannot take: the kernel's PNG is needed
            raise MissingFigureFileError(self.figure_number, "png", "Word document")
        png, dpi = base64.b64decode(files.png_base64), files.dpi
        from PIL import Image

        with Image.open(io.BytesIO(png)) as picture:
            natural_cm = picture.width / dpi * 2.54
        shape = self.doc.add_picture(io.BytesIO(png), width=Cm(min(natural_cm, FIGURE_WIDTH_CM)))
        properties = shape._inline.docPr
        properties.set("descr", alt)
        properties.set("title", alt[:250])
        caption = element.find("figcaption")
        if caption is not None:
            self.inline(self.paragraph("Caption"), caption)


def _set_language(doc, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = LANGUAGE_TAGS.get(lang, lang)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), tag)
    language.set(qn("w:eastAsia"), tag)
    doc.core_properties.language = tag


def _table_of_contents(doc, hint: str) -> None:
    """A TOC field of heading levels 1-2, and Word asked to update fields when it opens."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = doc.add_paragraph()
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), r'TOC \o "1-2" \h \z \u')
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = hint
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)


def write_docx(document: ReportDocument, path: Path, *, author: str, subject: str) -> Path:
    """Write a report as a Word document.

    Parameters
    ----------
    document : ReportDocument
        The report.
    path : Path
        The ``.docx`` to write.
    author, subject : str
        Document properties: the evaluator and a one-line description.

    Returns
    -------
    Path

    Raises
    ------
    MissingFigureFileError
        If a figure lacks its 300-dpi PNG (the report's kernel was not asked for it).
    """
    import docx

    from evaluation.i18n import t

    doc = docx.Document()
    _set_language(doc, document.lang)
    doc.core_properties.title = document.title
    doc.core_properties.author = author
    doc.core_properties.subject = subject
    builder = _Builder(doc, document.figures)
    lead = parse_fragment(document.lead)
    for element in lead:
        if element.tag == "h1":
            builder.heading(text_of(element), 0)
        else:
            builder.block(element)
    facts = doc.add_table(rows=len(document.facts), cols=2)
    for (label, value), row in zip(document.facts, facts.rows):
        cells = row.cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].paragraphs[0].add_run(value)
    # The contents' title is no heading: the headings are the report's own (the navigation pane).
    builder.paragraph("Subtitle", t("toc", document.lang)).paragraph_format.page_break_before = True
    _table_of_contents(doc, t("publish.docx.toc_hint", document.lang))
    for element in parse_fragment(document.rest):
        builder.block(element)
    doc.save(path)
    return Path(path)


__all__ = ["HEADING_LEVELS", "write_docx"]
