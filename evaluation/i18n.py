"""Reader-facing text in bokmål and English, and Norwegian number and date formatting.

All text a reader of a report sees comes from one translation table: the YAML files in
``evaluation/translations/`` (one per concern), merged at first use. Every entry must be two complete
texts with the same placeholders and a key may be defined only once: :func:`read_translations`
refuses anything else with the file, line and key (:class:`~evaluation.errors.TranslationError`).

Numbers in bokmål use a decimal comma and a (non-breaking) space as thousands separator, as the
Language Council of Norway (Språkrådet) recommends; dates are written ``31. desember 2022``.
"""

from __future__ import annotations

import datetime as _dt
import math
import string
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

from evaluation.errors import DataProblem, EvaluationError, TranslationError

LANGUAGES = ("nb", "en")
"""Languages every key must have: bokmål (default) and English."""

_TRANSLATIONS = Path(__file__).parent / "translations"
_MONTHS_NB = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)
_NBSP = "\u00a0"


@lru_cache(maxsize=1)
def translation_table() -> dict[str, dict[str, str]]:
    """Return the merged translation table ``key -> {"nb": ..., "en": ...}`` of the package.

    The files in ``evaluation/translations/`` read and checked by :func:`read_translations`.

    Raises
    ------
    TranslationError
        If any entry is not two complete texts (see :func:`read_translations`).
    """
    return read_translations(_TRANSLATIONS)


def read_translations(folder: Path) -> dict[str, dict[str, str]]:
    """Read and check every ``*.yaml`` translation file in ``folder`` into one table.

    Each file is a YAML mapping of ``key: {nb: text, en: text}``. PyYAML would accept much that is
    not a text: an unquoted comma in a flow mapping cuts the text and adds a stray key
    (``{nb: Styrker, svakheter, en: ...}`` gives ``"Styrker"``), ``No`` is the boolean false,
    ``12`` a number, an empty value ``None``, and a key defined twice silently keeps the last.
    Here every one of those is refused: each entry must be a mapping with exactly the keys of
    :data:`LANGUAGES`, both non-empty strings whose ``{placeholders}`` are the same, and each key
    may be defined once in all the files together.

    Parameters
    ----------
    folder : pathlib.Path
        The folder of translation files.

    Returns
    -------
    dict
        ``key -> {"nb": text, "en": text}``.

    Raises
    ------
    TranslationError
        With every problem found, each as ``FILE:LINE:KEY: what is wrong; expected ...``.

    Examples
    --------
    >>> table = read_translations(_TRANSLATIONS)
    >>> table["status.on_track"]
    {'nb': 'I rute', 'en': 'On track'}
    """
    table: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    problems: list[DataProblem] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        name = _display_name(path)
        entries, file_problems = _read_file(path, name)
        problems.extend(file_problems)
        for key, line, texts in entries:
            if key in origin:
                problems.append(DataProblem(name, line, key, f"the key is already defined at "
                                            f"{origin[key]}", "each key defined once"))
                continue
            origin[key] = f"{name}:{line}"
            if texts is not None:
                table[key] = texts
    if problems:
        raise TranslationError(problems)
    return table


def _display_name(path: Path) -> str:
    """The file as a reader finds it: relative to the checkout when it lies inside it."""
    try:
        return path.resolve().relative_to(_TRANSLATIONS.parent.parent).as_posix()
    except ValueError:
        return str(path)


_Entry = tuple[str, int, "dict[str, str] | None"]


def _read_file(path: Path, name: str) -> tuple[list[_Entry], list[DataProblem]]:
    """The entries ``(key, line, texts or None)`` of one file, and its problems.

    The file is composed into YAML nodes (which keep their line numbers and every key, where
    PyYAML's mapping constructor would drop a duplicate); only string scalars are constructed.
    It is composed by libyaml where PyYAML has it (about ten times faster: every report kernel
    reads the table), and again by PyYAML's own parser if it is not valid YAML, so that the
    message is the same with or without libyaml.
    """
    text = path.read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        loader.dispose()
        loader = yaml.SafeLoader(text)  # PyYAML's own parser, for its message
        try:
            root = loader.get_single_node()
        except yaml.YAMLError as error:
            loader.dispose()
            mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
            return [], [DataProblem(name, None if mark is None else mark.line + 1, None,
                                    f"not valid YAML ({getattr(error, 'problem', error)})",
                                    "one entry per line: key: {nb: text, en: text}")]
    try:
        if root is None:
            return [], []
        if not isinstance(root, yaml.MappingNode):
            return [], [DataProblem(name, root.start_mark.line + 1, None,
                                    "the file is not a mapping of keys", "key: {nb: text, en: text}")]
        entries: list[_Entry] = []
        problems: list[DataProblem] = []
        seen: dict[str, int] = {}
        for key_node, value_node in root.value:
            line = key_node.start_mark.line + 1
            if not _is_text(key_node):
                problems.append(DataProblem(name, line, str(key_node.value),
                                            "the key is not a text", "a key such as chapter.goals"))
                continue
            key = key_node.value
            if key in seen:
                problems.append(DataProblem(name, line, key, f"the key is defined twice (first at "
                                            f"line {seen[key]})", "each key defined once"))
                continue
            seen[key] = line
            texts, messages = _check_entry(loader, value_node)
            problems.extend(DataProblem(name, line, key, message, expected)
                            for message, expected in messages)
            entries.append((key, line, texts))
        return entries, problems
    finally:
        loader.dispose()


def _is_text(node: yaml.Node) -> bool:
    """Whether a YAML node is a scalar that YAML reads as a string (not a number, boolean, null)."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str"


_EXPECTED_ENTRY = 'exactly {nb: text, en: text}, a text with a comma or colon in quotes: "…, …"'
_NULL = "tag:yaml.org,2002:null"


def _check_entry(loader: yaml.SafeLoader, node: yaml.Node
                 ) -> tuple[dict[str, str] | None, list[tuple[str, str]]]:
    """The texts of one entry, or None, and ``(message, expected)`` for each problem."""
    if not isinstance(node, yaml.MappingNode):
        return None, [("the entry is not a mapping of languages to texts", _EXPECTED_ENTRY)]
    names = [k.value if isinstance(k, yaml.ScalarNode) else "?" for k, _ in node.value]
    messages = []
    previous = None  # the last language key and its text, which a stray key was cut from
    for (_key_node, value_node), name in zip(node.value, names):
        if name in LANGUAGES:
            previous = (name, getattr(value_node, "value", ""))
            continue
        stray = isinstance(value_node, yaml.ScalarNode) and value_node.tag == _NULL
        if stray and previous is not None:
            messages.append((f"the {previous[0]} text {previous[1]!r} is cut at an unquoted comma "
                             f"before {name!r}", _EXPECTED_ENTRY))
        else:
            messages.append((f"{name!r} is not a language (the entry has the keys "
                             f"{', '.join(names)})", _EXPECTED_ENTRY))
    for lang in LANGUAGES:
        if names.count(lang) != 1:
            messages.append((f"the entry has {names.count(lang)} {lang} texts", _EXPECTED_ENTRY))
    if messages:
        return None, messages
    texts = {}
    for key_node, value_node in node.value:
        lang = key_node.value
        if not _is_text(value_node):
            value = (repr(loader.construct_object(value_node))
                     if isinstance(value_node, yaml.ScalarNode)
                     else {"sequence": "a list"}.get(value_node.id, "a mapping"))
            messages.append((f"the {lang} text is {value}, not a text",
                             'a non-empty string; put words YAML reads as other values in quotes '
                             '(en: "No")'))
            continue
        texts[lang] = loader.construct_object(value_node)
        if not texts[lang].strip():
            messages.append((f"the {lang} text is empty", "a non-empty string"))
    if messages:
        return None, messages
    messages.extend(_placeholder_problems(texts))
    return (None if messages else {lang: texts[lang] for lang in LANGUAGES}), messages


def _placeholder_problems(texts: dict[str, str]) -> list[tuple[str, str]]:
    """Problems with the ``{placeholders}`` of the texts: malformed, or not the same in each."""
    found = {}
    for lang, text in texts.items():
        try:
            found[lang] = {field for _, field, _, _ in string.Formatter().parse(text)
                           if field is not None}
        except ValueError as error:
            return [(f"the {lang} text has a malformed placeholder ({error})",
                     "placeholders such as {pilot}, and {{ }} for a literal brace")]
    if found["nb"] != found["en"]:
        return [(f"the placeholders differ: nb has {sorted(found['nb'])}, en has "
                 f"{sorted(found['en'])}", "the same placeholders in every language")]
    return []


def check_language(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise :class:`EvaluationError`."""
    if lang not in LANGUAGES:
        raise EvaluationError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return lang


def t(key: str, lang: str = "nb", **values: object) -> str:
    """Translate ``key`` into ``lang``, filling ``{placeholders}`` from ``values``.

    Parameters
    ----------
    key : str
        Key in the translation table, for example ``"status.on_track"``.
    lang : {"nb", "en"}
        Language; bokmål by default.
    **values
        Values for the placeholders in the text.

    Raises
    ------
    EvaluationError
        If the key is unknown (a missing translation is a bug, never shown to a reader).

    Examples
    --------
    >>> t("status.on_track")
    'I rute'
    >>> t("suppressed_note", "en", threshold=5)
    'fewer than 5 responses'
    """
    check_language(lang)
    try:
        text = translation_table()[key][lang]
    except KeyError:
        raise EvaluationError(f"no translation for key {key!r}") from None
    return text.format(**values) if values else text


def format_number(value: float | int | None, lang: str = "nb", *, decimals: int = 0) -> str:
    """Format a number for a reader: decimal comma and space thousands separator in bokmål.

    Missing values (``None``, NaN, ``pd.NA``) become an en dash.

    Examples
    --------
    >>> format_number(1234567.891, decimals=2)
    '1\\xa0234\\xa0567,89'
    >>> format_number(-0.5, "en", decimals=1)
    '-0.5'
    """
    check_language(lang)
    if value is None:
        return "–"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(number):
        return "–"
    text = f"{number:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0,0"
    if lang == "nb":
        text = text.replace(",", _NBSP).replace(".", ",")
        if text.startswith("-"):
            text = "\u2212" + text[1:]  # typographic minus, as in Norwegian print
    return text


def format_percent(share: float | None, lang: str = "nb", *, decimals: int = 0) -> str:
    """Format a share in [0, 1] as a percentage, ``"62 %"`` in bokmål and ``"62%"`` in English.

    Examples
    --------
    >>> format_percent(0.625, decimals=1)
    '62,5\\xa0%'
    """
    if share is None:
        return "–"
    try:
        share = float(share)
    except (TypeError, ValueError):
        return "–"
    if math.isnan(share):
        return "–"
    number = format_number(share * 100, lang, decimals=decimals)
    return f"{number}{_NBSP}%" if lang == "nb" else f"{number}%"


def format_date(value: _dt.date | str, lang: str = "nb") -> str:
    """Format a date as ``31. desember 2022`` (bokmål) or ``31 December 2022`` (English)."""
    check_language(lang)
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    if lang == "nb":
        return f"{value.day}. {_MONTHS_NB[value.month - 1]} {value.year}"
    return f"{value.day} {value:%B} {value.year}"


_ALPHABETS = {
    "nb": "0123456789abcdefghijklmnopqrstuvwxyzæøå",
    "en": "0123456789abcdefghijklmnopqrstuvwxyz",
}


def sort_key(text: str, lang: str = "nb") -> tuple:
    """A key that sorts text alphabetically as a reader of ``lang`` expects.

    Letters are compared without case and in the language's alphabet: in bokmål æ, ø and å come
    after z, in that order (Språkrådet, «Alfabetisk ordning»); in English they count as the
    letters they are written with (å as a). Other accented letters count as their base letter
    (é as e). Spaces and punctuation sort before digits and digits before letters, as in the
    default of the Unicode Collation Algorithm (so «p-verdi» comes before «poststratifisering»).
    Texts that are then equal put lower case first.

    Examples
    --------
    >>> sorted(["Åpen", "Øvrige", "Zebra", "Ærlig", "Cohens", "c-koeffisient"], key=sort_key)
    ['c-koeffisient', 'Cohens', 'Zebra', 'Ærlig', 'Øvrige', 'Åpen']
    """
    alphabet = _ALPHABETS[check_language(lang)]
    weights = []
    for char in text.casefold():
        if char not in alphabet:
            char = unicodedata.normalize("NFD", char)[0]  # é -> e; in English also å -> a
        weights.append(alphabet.index(char) + 1 if char in alphabet else 0)
    return tuple(weights), text.swapcase()


def pick(record: dict, field: str, lang: str = "nb") -> str:
    """Return ``record[f"{field}_{lang}"]``, falling back to bokmål when English is missing.

    Data files carry their own reader-facing text in both languages (``text_nb``, ``text_en``);
    this chooses the one for the report's language.
    """
    check_language(lang)
    value = record.get(f"{field}_{lang}")
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        value = record.get(f"{field}_nb", "")
    return "" if value is None else str(value)
