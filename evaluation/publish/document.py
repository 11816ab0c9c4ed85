"""One rendered report as the publisher takes it, and the page that is printed to PDF.

:class:`ReportDocument` holds what every format is made from: the report's HTML (its title block
and its chapters), its headings, its figures' files and the facts of the front page. The render
pipeline builds it from the executed notebook (:func:`evaluation.render.run.render_one`); the
PDF, the Word document and the export pack are each a function of it, so they say the same as
the HTML report.

:func:`print_document` is the HTML page that Chromium prints: a front page, a table of contents
with page numbers, then the chapters, with the report's stylesheet (whose print rules set A4,
margins and page breaks) and the page rules that need the report's own words: the running
header (the report's title) and the page numbers ("side 3 av 31").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.html import FigureFiles, Heading, environment, toc_entries

PAGE_PLACEHOLDER = "00"
"""The page number of a heading in the first print, before its page is known: as wide as the
numbers that replace it, so that the table of contents keeps its length."""


@dataclass(frozen=True)
class ReportDocument:
    """A rendered report, as the publisher takes it.

    Attributes
    ----------
    lang : str
        ``nb`` or ``en``.
    title : str
        The report's title (its ``<h1>``), plain text.
    lead : str
        The report's title block as HTML (the ``<h1>``, demo banner and subtitle).
    rest : str
        The report's chapters as HTML (what follows the title block).
    headings : tuple of Heading
        Every heading the report displays, in order.
    facts : tuple of (str, str)
        The front page's facts, label and value, in the report's language.
    figures : tuple of FigureFiles
        The report's figures, in the order they appear.
    author : str
        The evaluator, for the document properties.
    """

    lang: str
    title: str
    lead: str = field(repr=False)
    rest: str = field(repr=False)
    headings: tuple[Heading, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    figures: tuple[FigureFiles, ...] = field(default=(), repr=False)
    author: str = ""

    @property
    def chapters(self) -> list[Heading]:
        """The chapters' headings (level 2), in order."""
        return [heading for heading in self.headings if heading.level == 2]


def read_programme_yaml(data_dir: str | Path) -> dict:
    """The data folder's ``programme.yaml`` as plain YAML (validated by the render before), read
    with libyaml where it is installed (a tenth of the time)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((Path(data_dir) / "programme.yaml").read_text(encoding="utf-8"), Loader=loader) or {}


def narrative_front_matter(data_dir: str | Path, *, subject: str, phase: str, lang: str) -> dict:
    """The front matter of the report's narrative (``narratives/<subject>-<phase>.<lang>.md``,
    else the bokmål one): ``evaluator``, ``client``, ``version``, ``date``; empty without one.

    The render has validated the data folder, narratives included
    (:mod:`evaluation.contract.narratives`), so the block between the ``---`` lines is read as it is.
    """
    import yaml

    from evaluation.contract.narratives import FOLDER, narrative_file_name

    for language in dict.fromkeys((lang, "nb")):
        path = Path(data_dir) / FOLDER / narrative_file_name(subject, phase, language)
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        if lines and lines[0].strip() == "---" and "---" in (line.strip() for line in lines[1:]):
            end = next(i for i, line in enumerate(lines[1:], 1) if line.strip() == "---")
            return yaml.safe_load("\n".join(lines[1:end])) or {}
        return {}
    return {}


def evaluator_name(data_dir: str | Path, *, subject: str, phase: str, lang: str) -> str:
    """The evaluator named in the report's narrative front matter, or empty (the PDF's author)."""
    return str(narrative_front_matter(data_dir, subject=subject, phase=phase, lang=lang).get("evaluator") or "")


def front_page_facts(data_dir: str | Path, *, pilot: str | None, phase: str, lang: str, data_version: str,
                     today: dt.date | None = None) -> tuple[tuple[str, str], ...]:
    """The facts the printed front page adds to the report's title block: pilot, phase, the date
    it was printed and the version of the workbench and the data.

    The title block itself (:func:`evaluation.report.title_block`) already gives the client,
    evaluator, date and version of the evaluators' text (their narrative's front matter) and the
    date the data run to, so they are not repeated here.

    Parameters
    ----------
    data_dir : str or Path
        The data folder (validated).
    pilot : str or None
        Pilot id, ``None`` for the synthesis.
    phase : str
        Phase id.
    lang : {"nb", "en"}
        Language.
    data_version : str
        The data's fingerprint, as on the index page.
    today : datetime.date, optional
        The date of printing (default: today).

    Returns
    -------
    tuple of (str, str)
        Label and value, in the order shown.

    Examples
    --------
    >>> from evaluation import DEMO_DATA_DIR
    >>> from evaluation.contract import load_data
    >>> first = load_data().programme.phases[0]
    >>> facts = dict(front_page_facts(DEMO_DATA_DIR, pilot="stad", phase=first, lang="nb",
    ...                               data_version="abc", today=dt.date(2023, 1, 31)))
    >>> facts["Pilot"], facts["Fase"], facts["Skrevet ut"]
    ('Stad', 'Midtveisevaluering', '31. januar 2023')
    """
    from evaluation import __version__
    from evaluation.i18n import format_date, t

    raw = read_programme_yaml(data_dir)
    phase_entry = next(entry for entry in raw.get("phases", []) if str(entry.get("id")) == phase)
    phase_name = phase_entry.get(f"name_{lang}") or t(f"phase.{phase}", lang)
    if pilot is None:
        pilot_name = t("publish.front.pilots_all", lang)
    else:
        pilot_name = next(str(entry.get("name") or pilot) for entry in raw.get("pilots", [])
                          if str(entry.get("id")) == pilot)
    return (
        (t("publish.front.pilot", lang), pilot_name),
        (t("publish.front.phase", lang), phase_name),
        (t("publish.front.printed", lang), format_date(today or dt.date.today(), lang)),
        (t("publish.front.version", lang), t("publish.front.version_text", lang, package=__version__,
                                               data=data_version)),
    )


def css_string(text: str) -> str:
    """``text`` as a CSS string literal, safe inside a ``<style>`` element.

    Quotes, backslashes, angle brackets, ampersands and control characters are written as CSS
    escapes (``\\22 ``), so the text can neither end the string nor the element.

    Examples
    --------
    >>> css_string('Mål "A" & </style>')
    '"Mål \\\\22 A\\\\22  \\\\26  \\\\3c /style\\\\3e "'
    """
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>&' or ord(char) < 32 or ord(char) == 127 else char
                      for char in text)
    return f'"{escaped}"'


def page_css(*, lang: str, running_header: str) -> str:
    """The page rules that carry the report's own words: running header and page numbers.

    Every page but the front page has the report's title at the top left and "side N av M"
    (``publish.page_of``) at the bottom right; the style of those margin boxes is in
    ``report.css``.
    """
    from evaluation.i18n import t

    template = t("publish.page_of", lang, page="\0page\0", pages="\0pages\0")
    parts = []
    for piece in template.split("\0"):
        if piece in ("page", "pages"):
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return ("@page { @top-left { content: " + css_string(running_header) + "; } "
            "@bottom-right { content: " + " ".join(parts) + "; } }\n"
            "@page :first { @top-left { content: none; } @bottom-right { content: none; } }")


def print_document(document: ReportDocument, *, pages: Mapping[str, int] | None = None,
                   toc_title: str) -> str:
    """The HTML page that is printed to PDF (``templates/print.html.j2``).

    Parameters
    ----------
    document : ReportDocument
        The report.
    pages : mapping, optional
        Anchor of each heading in the table of contents to its page; missing pages (the first
        print) are shown as :data:`PAGE_PLACEHOLDER`.
    toc_title : str
        The table of contents' title.

    Returns
    -------
    str
        A complete page: front page (the title block and a table of facts), table of contents
        with page numbers, then the chapters.
    """
    from markupsafe import Markup

    class _Pages(dict):
        def __missing__(self, anchor):
            return PAGE_PLACEHOLDER

    return environment().get_template("print.html.j2").render(
        lang=document.lang, title=document.title,
        page_css=Markup(page_css(lang=document.lang, running_header=document.title)),
        front={"lead": Markup(document.lead), "facts": [{"label": k, "value": v} for k, v in document.facts]},
        toc={"title": toc_title, "entries": toc_entries(document.headings)},
        pages=_Pages(pages or {}), rest=Markup(open_figure_data(document.rest)))


def open_figure_data(body: str) -> str:
    """The report's HTML with every figure's data table open: on screen a reader opens it, on
    paper nobody can, so the printed report shows them all (the summary line is hidden in print)."""
    return body.replace('<details class="figure-data">', '<details class="figure-data" open>')


def toc_anchors(headings: Sequence[Heading]) -> list[str]:
    """The anchors of the headings listed in the table of contents, in order."""
    anchors = []
    for entry in toc_entries(headings):
        if entry.heading is not None:
            anchors.append(entry.heading.anchor)
        anchors.extend(section.anchor for section in entry.sections)
    return anchors


__all__ = [
    "PAGE_PLACEHOLDER",
    "ReportDocument",
    "css_string",
    "evaluator_name",
    "front_page_facts",
    "narrative_front_matter",
    "open_figure_data",
    "page_css",
    "print_document",
    "read_programme_yaml",
    "toc_anchors",
]
