"""Reader-facing text in bokmål and English, and Norwegian number and date formatting.

All text a reader of a report sees comes from one translation table: the YAML files in
``evaluation/translations/`` (one per concern), merged at first use. A key may be defined in only
one file; :func:`translation_table` raises if two files define the same key.

Numbers in bokmål use a decimal comma and a (non-breaking) space as thousands separator, as the
Language Council of Norway (Språkrådet) recommends; dates are written ``31. desember 2022``.
"""

from __future__ import annotations

import datetime as _dt
import math
from functools import lru_cache
from pathlib import Path

import yaml

from evaluation.errors import EvaluationError

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
    """Return the merged translation table ``key -> {"nb": ..., "en": ...}``.

    Raises
    ------
    EvaluationError
        If a key is defined in two files or lacks one of :data:`LANGUAGES`.
    """
    table: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(_TRANSLATIONS.glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, texts in entries.items():
            if key in table:
                raise EvaluationError(
                    f"translation key {key!r} is defined in both {origin[key]} and {path.name}"
                )
            missing = [lang for lang in LANGUAGES if not isinstance(texts, dict) or lang not in texts]
            if missing:
                raise EvaluationError(f"{path.name}: key {key!r} lacks language(s) {missing}")
            table[key] = {lang: str(texts[lang]) for lang in LANGUAGES}
            origin[key] = path.name
    return table


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
