"""The evaluators' own text: ``narratives/<subject>-<phase>.<lang>.md`` (optional).

Evaluators write, the workbench places: per pilot and phase, and for the cross-pilot synthesis,
the evaluators write their summary, assessments, conclusions and recommendations as a Markdown
file with fixed section headings, in bokmål (required) and optionally in English. The report
puts each section where it belongs (:mod:`evaluation.report.narrative` renders it).

A narrative file is validated strictly, because a misspelt heading would otherwise become an
empty chapter that nobody notices: an unknown, misspelt, duplicate or missing section, a
level-1 heading, text before the first section, an unknown sub-goal, raw HTML, an image, a bad
front-matter key or value, or a bad file name is a :class:`~evaluation.errors.DataProblem` at
``FILE:LINE:COLUMN`` (the column a character position; a front-matter key path in the front
matter), saying what was expected.

The format (``data/README.md`` has an example)::

    ---
    evaluator: Evalueringsteamet
    client: Kommunal- og distriktsdepartementet
    version: "1.0"
    date: 2025-02-14
    ---
    ## Sammendrag
    ...
    ## Delmål stad-d1
    ...

The Markdown is CommonMark, parsed by markdown-it-py. Inside a section: paragraphs, lists,
emphasis, block quotes, code, level-3 and deeper headings, and links (a report shows a link as
its text followed by the address, since the ministry reads offline and on paper).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from evaluation.contract.problems import ProblemLog, log_duplicate_keys, yaml_line_index
from evaluation.contract.programme import Programme
from evaluation.errors import DataContractError, DataProblem

FOLDER = "narratives"
"""The folder of the narratives, in the data folder."""

SYNTHESIS = "synthesis"
"""The subject of the cross-pilot synthesis' narrative (a pilot narrative's subject is its id)."""

LANGUAGES = ("nb", "en")
"""The languages a narrative is written in; bokmål is required, English optional."""

SECTIONS = {
    "pilot": {
        "summary": {"nb": "Sammendrag", "en": "Summary"},
        "background": {"nb": "Bakgrunn", "en": "Background"},
        "assessments": {"nb": "Vurderinger", "en": "Assessments"},
        "conclusions": {"nb": "Konklusjoner", "en": "Conclusions"},
        "recommendations": {"nb": "Anbefalinger", "en": "Recommendations"},
    },
    SYNTHESIS: {
        "summary": {"nb": "Sammendrag", "en": "Summary"},
        "what_worked": {"nb": "Hva virket hvor og hvorfor", "en": "What worked where and why"},
        "lessons": {"nb": "Lærdommer på tvers av pilotene", "en": "Lessons across the pilots"},
        "conclusions": {"nb": "Konklusjoner", "en": "Conclusions"},
        "recommendations": {"nb": "Anbefalinger", "en": "Recommendations"},
    },
}
"""Section key -> heading per language, for a pilot narrative and for the synthesis, in the order
a narrative lists them. A pilot narrative may also have one section per sub-goal (below)."""

SUB_GOAL_HEADING = {"nb": "Delmål", "en": "Sub-goal"}
"""A pilot narrative's section on one sub-goal is headed ``## Delmål <id>`` (``## Sub-goal <id>``);
its key is the sub-goal id."""

REQUIRED = {
    "pilot": ("summary", "assessments", "conclusions", "recommendations"),
    SYNTHESIS: ("summary", "conclusions", "recommendations"),
}
"""The sections every narrative of a kind must have."""

FRONT_MATTER = {
    "evaluator": "the evaluator, such as the evaluating organisation",
    "client": "the client, such as Kommunal- og distriktsdepartementet",
    "version": 'the report version as text, such as "1.0"',
    "date": "the report date, ISO 8601 (2025-02-14)",
}
"""The keys the front matter may have (all optional) and what each holds."""


@dataclass(frozen=True)
class Narrative:
    """One narrative file: the evaluators' text of a pilot (or the synthesis) in a phase.

    Attributes
    ----------
    subject : str
        Pilot id, or ``"synthesis"``.
    phase : str
        Phase id.
    lang : str
        ``nb`` or ``en``: the language the text is written in.
    front_matter : dict
        ``evaluator``, ``client``, ``version`` (str) and ``date`` (:class:`datetime.date`), those
        the file gives.
    sections : dict of str to str
        Section key (``summary``, ``assessments``, ... or a sub-goal id) to its Markdown source,
        without the heading, in the order of the file.
    lines : dict of str to int
        Section key to the line of its heading in the file (1-based).
    file : str
        The file, relative to the data folder (``narratives/stad-final.nb.md``).

    Examples
    --------
    >>> narrative = parse_narrative(
    ...     "## Sammendrag\\nKort.\\n\\n## Vurderinger\\nGod.\\n\\n## Konklusjoner\\nJa.\\n\\n"
    ...     "## Anbefalinger\\n- Fortsett.\\n", subject="stad", phase="final", lang="nb")
    >>> narrative.sections["recommendations"], narrative.lines["assessments"]
    ('- Fortsett.', 4)
    """

    subject: str
    phase: str
    lang: str
    front_matter: dict[str, str | dt.date] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    file: str = ""

    @property
    def kind(self) -> str:
        """``"pilot"`` or ``"synthesis"``: which set of sections the narrative has."""
        return SYNTHESIS if self.subject == SYNTHESIS else "pilot"

    @property
    def sub_goals(self) -> list[str]:
        """The sub-goal ids that have a section, in the order of the file."""
        return [key for key in self.sections if key not in SECTIONS[self.kind]]

    def heading(self, key: str, lang: str | None = None) -> str:
        """The heading of a section (without ``##``) in ``lang`` (the narrative's by default)."""
        return section_heading(self.kind, key, lang or self.lang)


def section_heading(kind: str, key: str, lang: str) -> str:
    """The heading of a section of a narrative, without ``##``.

    Parameters
    ----------
    kind : {"pilot", "synthesis"}
        The kind of narrative.
    key : str
        A section key of :data:`SECTIONS`, or (pilot narratives) a sub-goal id.
    lang : {"nb", "en"}
        The language.

    Examples
    --------
    >>> section_heading("pilot", "conclusions", "nb"), section_heading("pilot", "stad-d1", "en")
    ('Konklusjoner', 'Sub-goal stad-d1')
    """
    if kind not in SECTIONS or lang not in LANGUAGES:
        raise ValueError(f"unknown kind {kind!r} or language {lang!r}")
    if key in SECTIONS[kind]:
        return SECTIONS[kind][key][lang]
    if kind == SYNTHESIS:
        raise ValueError(f"the synthesis has no section {key!r}")
    return f"{SUB_GOAL_HEADING[lang]} {key}"


def narrative_file_name(subject: str, phase: str, lang: str) -> str:
    """The file name of a narrative: ``<subject>-<phase>.<lang>.md``."""
    return f"{subject}-{phase}.{lang}.md"


def narrative_key(path: str | Path, programme: Programme) -> tuple[str, str, str] | None:
    """``(subject, phase, lang)`` of a narrative file, from its name; ``None`` if it is none.

    Parameters
    ----------
    path : str or Path
        The file, relative to the data folder (``narratives/stad-final.nb.md``).
    programme : Programme
        Names the pilots and phases.
    """
    path = Path(path)
    if path.parent.name != FOLDER:
        return None
    return _valid_names(programme).get(path.name)


def _valid_names(programme: Programme) -> dict[str, tuple[str, str, str]]:
    """Every valid narrative file name of the programme to its ``(subject, phase, lang)``."""
    return {narrative_file_name(subject, phase, lang): (subject, phase, lang)
            for subject in [*programme.pilot_ids, SYNTHESIS] for phase in programme.phases
            for lang in LANGUAGES}


@cache
def markdown_parser():
    """The Markdown parser of narratives: markdown-it-py's CommonMark preset.

    Raw HTML is parsed (``html=True``) only so that validation can find it and refuse it; the
    renderer (:mod:`evaluation.report.narrative`) never passes any markup through.
    """
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True})


# ------------------------------------------------------------------------------------ reading
def read_narratives(data_dir: str | Path, programme: Programme) -> tuple[dict, list[Path]]:
    """Read and validate every narrative of a data folder.

    Parameters
    ----------
    data_dir : str or Path
        The data folder; narratives are in its ``narratives/`` folder (which may be absent).
    programme : Programme
        Names the pilots, their sub-goals and the phases.

    Returns
    -------
    narratives : dict
        ``(subject, phase, lang)`` to its :class:`Narrative`; subject is a pilot id or
        ``"synthesis"``.
    files : list of Path
        The files read, in name order.

    Raises
    ------
    DataContractError
        With every problem of every file (see :func:`parse_narrative`), and for a file name that
        is not ``<pilot|synthesis>-<phase>.<nb|en>.md``, a narrative in the old YAML format, an
        ``.en.md`` without its ``.nb.md``, or a file that is not UTF-8. Hidden files (``.*``) are
        ignored.

    Examples
    --------
    >>> from evaluation.contract import DEMO_DATA_DIR, load_data
    >>> narratives, files = read_narratives(DEMO_DATA_DIR, load_data().programme)
    >>> narratives[("synthesis", "final", "en")].heading("lessons")
    'Lessons across the pilots'
    """
    data_dir = Path(data_dir)
    narratives: dict = {}
    files: list[Path] = []
    folder = data_dir / FOLDER
    if folder.exists() and not folder.is_dir():
        raise DataContractError.single(FOLDER, None, None, "is a file, not a folder",
                                       "a folder of narratives (<pilot|synthesis>-<phase>.<nb|en>.md), or none")
    if not folder.is_dir():
        return narratives, files
    problems: list[DataProblem] = []
    names = _valid_names(programme)
    # a phase's narrative speaks of the sub-goals in force at its cut-off
    goals = {phase: programme.sub_goals_in_force(as_of=cutoff).groupby("pilot")["sub_goal"].apply(list).to_dict()
             for phase, cutoff in programme.cutoffs.items()}
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        log = ProblemLog(f"{FOLDER}/{path.name}", problems)
        if path.name in names and path.is_dir():
            log.add(None, None, "is a folder, not a file", "a Markdown file")
            continue
        if path.name not in names or not path.is_file():
            _bad_name(path.name, names, log)
            continue
        subject, phase, lang = names[path.name]
        if lang != "nb" and not (folder / narrative_file_name(subject, phase, "nb")).is_file():
            log.add(None, None, "an English narrative without the bokmål one",
                    f"{narrative_file_name(subject, phase, 'nb')} beside it (bokmål is required, English optional)")
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            log.add(None, None, f"byte {error.start} is not UTF-8", "a UTF-8 text file")
            continue
        except OSError as error:
            log.add(None, None, f"cannot be read: {error.strerror or error}", "a readable file (check its permissions)")
            continue
        try:
            narratives[(subject, phase, lang)] = parse_narrative(
                text, subject=subject, phase=phase, lang=lang, sub_goals=goals[phase].get(subject, ()), file=log.file)
        except DataContractError as error:
            problems.extend(error.problems)
            continue
        files.append(path)
    if problems:
        raise DataContractError(problems)
    return narratives, files


def _bad_name(name: str, names: dict, log: ProblemLog) -> None:
    """Record the problem of a file in ``narratives/`` whose name is not a narrative's."""
    stem = name.rsplit(".", 1)[0]
    if name.endswith((".yaml", ".yml")):
        target = f"{stem}.nb.md" if f"{stem}.nb.md" in names else "<pilot>-<phase>.nb.md"
        log.add(None, None, "narratives are Markdown files now; the YAML format (summary, strengths, weaknesses, "
                "recommendations) is no longer read",
                f"{target} with the sections ## Sammendrag, ## Vurderinger, ## Konklusjoner and ## Anbefalinger "
                "(see data/README.md), and this file removed")
        return
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.8)
    log.add(None, None, "file name is not <pilot|synthesis>-<phase>.<nb|en>.md",
            f"such as {close[0]}" if close else
            "a pilot id of programme.yaml or synthesis, a phase id and a language, such as synthesis-final.nb.md")


# ------------------------------------------------------------------------------------ parsing
def parse_narrative(text: str, *, subject: str, phase: str, lang: str, sub_goals: Iterable[str] = (),
                    file: str = "") -> Narrative:
    """Parse and validate the text of one narrative file.

    Parameters
    ----------
    text : str
        The file's text.
    subject : str
        Pilot id, or ``"synthesis"``.
    phase : str
        Phase id.
    lang : {"nb", "en"}
        The language the file is written in: it decides the section headings.
    sub_goals : iterable of str
        The pilot's sub-goal ids (programme.yaml): the ids a ``## Delmål <id>`` section may name.
    file : str
        The file as problems name it (default ``narratives/<subject>-<phase>.<lang>.md``).

    Returns
    -------
    Narrative

    Raises
    ------
    DataContractError
        With every problem found, each at ``FILE:LINE:COLUMN``: a front matter that is not
        closed, not YAML, with an unknown key or a value of the wrong type; a level-1 heading;
        text before the first section; an unknown, misspelt or duplicate section heading (with
        the closest valid heading suggested); an unknown sub-goal; an empty section; a missing
        required section; raw HTML; an image.

    Examples
    --------
    >>> parse_narrative("## Sammendrag\\nKort.\\n## Konklusjon\\nJa.\\n", subject="stad",
    ...                 phase="final", lang="nb")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    evaluation.errors.DataContractError: narratives/stad-final.nb.md:3:1: unknown section heading \
"## Konklusjon"; expected a section heading such as ## Konklusjoner
    ...
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    problems: list[DataProblem] = []
    log = ProblemLog(file or f"{FOLDER}/{narrative_file_name(subject, phase, lang)}", problems)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front_matter, body, offset = _front_matter(text, log)
    kind = SYNTHESIS if subject == SYNTHESIS else "pilot"
    lines = body.split("\n")
    tokens = markdown_parser().parse(body)
    starts = _section_starts(tokens, lines, kind=kind, lang=lang, sub_goals=list(sub_goals), log=log, offset=offset)
    _refuse_markup(tokens, lines, log, offset)
    sections, section_lines = {}, {}
    for position, (key, heading_start, content_start) in enumerate(starts):
        end = starts[position + 1][1] if position + 1 < len(starts) else len(lines)
        if key is None:
            continue
        source = "\n".join(lines[content_start:end]).strip("\n")
        if not source.strip():
            log.add(heading_start + offset + 1, "1", f"section ## {section_heading(kind, key, lang)} is empty",
                    "the evaluators' text under the heading (or leave the section out if it is optional)")
        sections[key], section_lines[key] = source, heading_start + offset + 1
    missing = [key for key in REQUIRED[kind] if key not in sections]
    if missing:
        log.add(None, None, "missing section " + ", ".join(f"## {SECTIONS[kind][key][lang]}" for key in missing),
                "the required sections " + ", ".join(f"## {SECTIONS[kind][key][lang]}" for key in REQUIRED[kind]))
    if problems:
        raise DataContractError(sorted(problems, key=lambda problem: problem.row or len(lines) + offset + 1))
    return Narrative(subject=subject, phase=phase, lang=lang, front_matter=front_matter, sections=sections,
                     lines=section_lines, file=log.file)


def _front_matter(text: str, log: ProblemLog) -> tuple[dict, str, int]:
    """The front matter (checked), the Markdown after it, and how many lines it took.

    The front matter is optional: YAML between a first line ``---`` and the next line ``---``.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return {}, text, 0
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        log.add(1, "1", "front matter is not closed", "a line --- after the front matter's last line")
        return {}, "\n".join(lines[1:]), 1
    raw = "\n".join(lines[1:close])
    body = "\n".join(lines[close + 1:])
    try:
        node = yaml.compose(raw, Loader=yaml.BaseLoader)
        content = yaml.load(raw, Loader=yaml.BaseLoader)  # every scalar as text, as written
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        log.add(mark.line + 2 if mark else 1, None,
                f"front matter is not YAML: {getattr(error, 'problem', None) or 'cannot be parsed'}",
                "key: value lines (evaluator, client, version, date)")
        return {}, body, close + 1
    if content is None:
        return {}, body, close + 1
    if log_duplicate_keys(node, log, first_line=2):  # the last of two keys would silently win
        return {}, body, close + 1
    if not isinstance(content, dict):
        log.add(2, None, "front matter is not a mapping", "key: value lines (evaluator, client, version, date)")
        return {}, body, close + 1
    return _checked_front_matter(content, yaml_line_index(node), log), body, close + 1


def _checked_front_matter(content: dict, key_lines: dict, log: ProblemLog) -> dict:
    """The front matter's known keys with typed values; a problem for each bad key or value."""
    checked: dict = {}
    for key, value in content.items():
        line = key_lines.get(str(key), 0) + 1  # the YAML starts on the file's line 2
        if key not in FRONT_MATTER:
            close = difflib.get_close_matches(str(key), list(FRONT_MATTER), n=1)
            log.add(line, str(key), f"unknown front-matter key {key!r}",
                    f"{close[0]}" if close else "one of " + ", ".join(FRONT_MATTER))
        elif not isinstance(value, str) or not value.strip():
            log.add(line, key, "not a single text value" if value else "empty", FRONT_MATTER[key])
        elif key == "date":
            try:
                checked[key] = dt.date.fromisoformat(value.strip())
            except ValueError:
                log.add(line, key, f"{value!r} is not a date", FRONT_MATTER[key])
        else:
            checked[key] = value.strip()
    return checked


def _section_starts(tokens, lines: list[str], *, kind: str, lang: str, sub_goals: list[str], log: ProblemLog,
                    offset: int) -> list[tuple[str | None, int, int]]:
    """``(key, heading line, first content line)`` of every level-2 heading (0-based lines of the
    body; key ``None`` for a heading that is not a section); a problem for each bad heading and
    for text before the first section."""
    headings = {section_heading(kind, key, lang): key for key in SECTIONS[kind]}
    if kind == "pilot":
        headings.update({section_heading(kind, goal, lang): goal for goal in sub_goals})
    starts: list[tuple[str | None, int, int]] = []
    seen: dict[str, int] = {}
    for position, token in enumerate(tokens):
        if token.map is None or token.nesting == -1:
            continue
        line = token.map[0] + offset + 1
        if token.type == "heading_open" and token.tag == "h1":
            log.add(line, "1", "a level-1 heading (# …)",
                    "level-2 section headings such as ## " + SECTIONS[kind]["summary"][lang]
                    + " (the report writes its own title)")
        elif token.type == "heading_open" and token.tag == "h2" and token.level == 0:
            text = " ".join(tokens[position + 1].content.split())
            key = headings.get(text)
            if key is None:
                _unknown_heading(text, headings, kind=kind, lang=lang, sub_goals=sub_goals, log=log, line=line)
            elif key in seen:
                log.add(line, "1", f"section ## {text} appears twice",
                        f"one section ## {text} (the first is on line {seen[key]})")
                key = None
            else:
                seen[key] = line
            starts.append((key, token.map[0], token.map[1]))
        elif token.type == "heading_open" and token.tag == "h2":
            log.add(line, "1", "a section heading (##) inside a list or quote",
                    "## at the start of a line, or ### for a heading inside a section")
        elif not starts and token.level == 0:
            log.add(line, "1", "text before the first section",
                    f"the text under a section heading such as ## {SECTIONS[kind]['summary'][lang]}")
    return starts


def _unknown_heading(text: str, headings: dict, *, kind: str, lang: str, sub_goals: list[str], log: ProblemLog,
                     line: int) -> None:
    """Record an unknown level-2 heading, with the closest valid heading."""
    other = next(lang_ for lang_ in LANGUAGES if lang_ != lang)
    translated = {section_heading(kind, key, other): key for key in SECTIONS[kind]}
    prefix = SUB_GOAL_HEADING[lang] + " "
    if kind == "pilot" and text.startswith(prefix):
        goal = text[len(prefix):].strip()
        log.add(line, str(len(prefix) + 4), f"unknown sub-goal {goal!r} of this pilot",
                "one of " + ", ".join(sub_goals) if sub_goals else "no sub-goal section (the pilot has no sub-goals)")
        return
    if text in translated:
        log.add(line, "1", f"section heading \"## {text}\" is not in the file's language ({lang})",
                f"## {section_heading(kind, translated[text], lang)}")
        return
    candidates = list(headings) + ([f"{prefix}<id>"] if kind == "pilot" else [])
    close = difflib.get_close_matches(text, candidates, n=1, cutoff=0.6)
    log.add(line, "1", f"unknown section heading \"## {text}\"",
            f"a section heading such as ## {close[0]}" if close else
            "one of the section headings " + ", ".join(f"## {h}" for h in candidates))


def _refuse_markup(tokens, lines: list[str], log: ProblemLog, offset: int) -> None:
    """A problem for each piece of raw HTML and each image."""
    expected_html = "Markdown only, no HTML (write \\< for a literal <, or put it in `backticks`)"
    expected_image = "no images in a narrative (the report places its own figures); a link [text](address) instead"
    for token in tokens:
        if token.type == "html_block":
            log.add(token.map[0] + offset + 1, _column(lines, token.map[0], token.content.strip().split("\n")[0]),
                    f"raw HTML {_excerpt(token.content)}", expected_html)
        if token.type != "inline" or token.map is None:
            continue
        line = token.map[0]
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "html_inline":
                log.add(line + offset + 1, _column(lines, line, child.content), f"raw HTML {_excerpt(child.content)}",
                        expected_html)
            elif child.type == "image":
                log.add(line + offset + 1, _column(lines, line, "!["), "an image", expected_image)


def _column(lines: list[str], line: int, text: str) -> str | None:
    """The 1-based column of ``text`` on a 0-based line of the body, as text; ``None`` if not there."""
    found = lines[line].find(text) if 0 <= line < len(lines) and text else -1
    return str(found + 1) if found >= 0 else None


def _excerpt(markup: str) -> str:
    """A short, one-line quotation of some markup for a message."""
    flat = " ".join(markup.split())
    return repr(flat if len(flat) <= 40 else flat[:37] + "...")


__all__ = [
    "FOLDER", "FRONT_MATTER", "LANGUAGES", "Narrative", "REQUIRED", "SECTIONS", "SUB_GOAL_HEADING", "SYNTHESIS",
    "markdown_parser", "narrative_file_name", "narrative_key", "parse_narrative", "read_narratives",
    "section_heading",
]
