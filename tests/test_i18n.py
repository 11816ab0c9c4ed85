"""The translation table: every key is used by the package, every entry is two complete texts,
and every chapter title and caption reads as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from evaluation.errors import TranslationError
from evaluation.i18n import LANGUAGES, read_translations, translation_table

PACKAGE = Path(__file__).resolve().parent.parent / "evaluation"

DYNAMIC_PREFIXES = {
    # prefix: where the rest of the key is built from data or vocabulary
    "chapter.": "evaluation/report/frame.py chapter_heading: 'chapter.' + the notebook's chapter key",
    "status.": "ReportContext.status and the results chain: a status id",
    "phase.": "titles, data and method, index page: a phase id",
    "wave.": "wave labels: a wave role",
    "stakeholder.": "plots/heatmap.py stakeholder_label and data and method: a stakeholder group",
    "assessment.": "interview tables: an assessment id",
    "direction.": "the indicator table: an indicator's direction",
    "goals.chain.": "report/results_chain.py: a results-chain stage",
    "goals.change.": "the change since midterm: a status_change value",
    "goal_changes.change.": "report/chapters/goal_changes.py: a kind of change to a sub-goal",
    "goals.measure.": "the evidence table: an evidence measure",
    "goals.milestone.": "the milestone table: a milestone status",
    "goals.source.": "the status and evidence tables: an evidence source",
    "glossary.": "report/glossary.py: every glossary.<id>.term and glossary.<id>.definition",
}
"""Keys built at run time (``t(f"status.{status}")``): the prefix must be built in the source."""


def _source() -> str:
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.j2"), *PACKAGE.rglob("*.html")]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_every_translation_key_is_used_by_the_package():
    source = _source()
    unused = []
    for key in translation_table():
        if f'"{key}"' in source or f"'{key}'" in source:
            continue
        if any(key.startswith(prefix) for prefix in DYNAMIC_PREFIXES):
            continue
        unused.append(key)
    assert unused == [], f"translation keys used nowhere in evaluation/: {unused}"


def test_every_dynamic_prefix_is_built_somewhere_in_the_package():
    source = _source()
    for prefix in DYNAMIC_PREFIXES:
        built = re.search(rf"""(f["']{re.escape(prefix)}\{{|["']{re.escape(prefix)}["']\s*\+)""",
                          source)
        assert built, f"no key is built from the prefix {prefix!r}; remove it from the list"


# --------------------------------------------------------------------------------------------
# The loader refuses anything but two complete texts
# --------------------------------------------------------------------------------------------


def _folder(tmp_path: Path, **files: str) -> Path:
    """A folder of translation files ``name.yaml`` with the given text."""
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _refusal(tmp_path: Path, **files: str) -> str:
    with pytest.raises(TranslationError) as raised:
        read_translations(_folder(tmp_path, **files))
    return str(raised.value)


def test_a_well_formed_file_is_read_with_its_quoted_commas_and_colons_whole(tmp_path):
    folder = _folder(tmp_path, a="# comment\n"
                     'a.title: {nb: "Mål, milepæler: status", en: "Goals, milestones: status"}\n'
                     'a.note: {nb: "færre enn {n} svar", en: "fewer than {n} responses"}\n'
                     "a.plain: {nb: I rute, en: On track}\n")
    assert read_translations(folder) == {
        "a.title": {"nb": "Mål, milepæler: status", "en": "Goals, milestones: status"},
        "a.note": {"nb": "færre enn {n} svar", "en": "fewer than {n} responses"},
        "a.plain": {"nb": "I rute", "en": "On track"},
    }


def test_an_unquoted_comma_that_cuts_a_title_is_refused_with_file_line_and_key(tmp_path):
    message = _refusal(tmp_path, report="x.ok: {nb: Ja, en: Yes please}\n"
                       "chapter.goals: {nb: Indikatorer, milepæler og måloppnåelse, en: Goals}\n")
    assert message == (
        f"{tmp_path / 'report.yaml'}:2:chapter.goals: the nb text 'Indikatorer' is cut at an "
        "unquoted comma before 'milepæler og måloppnåelse'; expected exactly {nb: text, en: text}, "
        'a text with a comma or colon in quotes: "…, …"')


@pytest.mark.parametrize(("entry", "problem"), [
    ("{nb: Nei, en: No}", "the en text is False, not a text"),      # YAML 1.1 boolean
    ("{nb: Ja, en: yes}", "the en text is True, not a text"),
    ("{nb: 12, en: twelve}", "the nb text is 12, not a text"),
    ("{nb: 0.5, en: half}", "the nb text is 0.5, not a text"),
    ("{nb: ~, en: nothing}", "the nb text is None, not a text"),
    ("{nb: Tekst, en: }", "the en text is None, not a text"),
    ('{nb: Tekst, en: "  "}', "the en text is empty"),
    ("{nb: Tekst}", "the entry has 0 en texts"),
    ("{nb: Tekst, en: Text, de: Text}", "'de' is not a language"),
    ("{nb: Tekst, en: Text, nb: Annen}", "the entry has 2 nb texts"),
    ("Bare tekst", "the entry is not a mapping of languages to texts"),
    ("{nb: [a, b], en: Text}", "the nb text is a list, not a text"),
    ('{nb: "{pilot} i {fase}", en: "{pilot} in {phase}"}',
     "the placeholders differ: nb has ['fase', 'pilot'], en has ['phase', 'pilot']"),
    ('{nb: "{n} svar", en: "responses"}', "the placeholders differ: nb has ['n'], en has []"),
    ('{nb: "{n svar", en: "{n responses"}', "the nb text has a malformed placeholder"),
])
def test_an_entry_that_is_not_two_complete_texts_is_refused(tmp_path, entry, problem):
    message = _refusal(tmp_path, core=f"a.key: {entry}\n")
    assert message.startswith(f"{tmp_path / 'core.yaml'}:1:a.key: {problem}")


def test_a_key_defined_twice_in_one_file_is_refused_with_both_lines(tmp_path):
    message = _refusal(tmp_path, core="a.key: {nb: Først, en: First}\n"
                       "b.key: {nb: B, en: B}\n"
                       "a.key: {nb: Sist, en: Last}\n")
    assert message == (f"{tmp_path / 'core.yaml'}:3:a.key: the key is defined twice (first at "
                       "line 1); expected each key defined once")


def test_a_key_defined_in_two_files_is_refused_naming_the_first(tmp_path):
    message = _refusal(tmp_path, a="x.key: {nb: A, en: A}\n", b="\n\nx.key: {nb: B, en: B}\n")
    assert message == (f"{tmp_path / 'b.yaml'}:3:x.key: the key is already defined at "
                       f"{tmp_path / 'a.yaml'}:1; expected each key defined once")


def test_every_problem_of_every_file_is_reported_at_once(tmp_path):
    message = _refusal(tmp_path, a="a.one: {nb: Ja, en: No}\na.two: {nb: x, en: y}\n",
                       b="b.one: {nb: En, to, en: One}\n")
    assert [line.split(":")[1:3] for line in message.splitlines()] == [["1", "a.one"],
                                                                     ["1", "b.one"]]


def test_a_file_that_is_not_yaml_is_refused_with_its_line(tmp_path):
    message = _refusal(tmp_path, a="a.one: {nb: Ja, en: Yes}\na.two: {nb: x, en: y\n")
    assert message.startswith(f"{tmp_path / 'a.yaml'}:2:: not valid YAML")


# --------------------------------------------------------------------------------------------
# Chapter titles and captions are whole sentences (read without the YAML parser)
# --------------------------------------------------------------------------------------------

_VALUE = r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^"'].*?)"""
RAW_LINE = re.compile(rf"^(?P<key>[A-Za-z0-9_.]+): \{{nb: (?P<nb>{_VALUE}), en: (?P<en>{_VALUE})\}}\s*$")
"""One entry as it is written: ``key: {nb: text, en: text}``, each text plain or quoted; a plain
text runs to the first ``, en: `` (nb) or to the closing brace (en), whatever commas it holds."""


def raw_text(written: str) -> str:
    """The text a reader should see, from the text as written in the file (quotes removed)."""
    if written.startswith('"'):
        inner = written[1:-1]
        assert re.fullmatch(r'(?:[^\\]|\\["\\])*', inner), f"unexpected escape in {written}"
        return inner.replace('\\"', '"').replace("\\\\", "\\")
    if written.startswith("'"):
        return written[1:-1].replace("''", "'")
    return written.strip()


def raw_entries() -> dict[str, tuple[str, dict[str, str]]]:
    """``key -> (file:line, {"nb": text, "en": text})`` for every line of the translation files
    that has the one-line form, read with a regular expression, not with YAML."""
    entries: dict[str, tuple[str, dict[str, str]]] = {}
    for path in sorted((PACKAGE / "translations").glob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = RAW_LINE.match(line)
            if match:
                assert match["key"] not in entries, f"{match['key']} written twice"
                entries[match["key"]] = (f"{path.name}:{number}",
                                         {lang: raw_text(match[lang]) for lang in LANGUAGES})
    return entries


def _title_or_caption(key: str) -> bool:
    return key.startswith("chapter.") or "caption" in key


def test_every_chapter_title_and_caption_is_the_whole_text_as_written_in_both_languages():
    raw = raw_entries()
    keys = [key for key in translation_table() if _title_or_caption(key)]
    assert "chapter.goals" in keys and "synthesis.themes_caption" in keys and len(keys) > 30
    for key in keys:
        assert key in raw, f"{key}: not written on one line as key: {{nb: ..., en: ...}}"
        where, written = raw[key]
        assert translation_table()[key] == written, f"{where}: {key} is read differently from how it is written"
    assert [key for key in raw if _title_or_caption(key) and key not in translation_table()] == []


def test_the_raw_reading_tells_a_cut_title_from_a_whole_one():
    # The check above can fail: for the line that once cut the chapter title, YAML reads
    # "Indikatorer" where the line says "Indikatorer, milepæler og måloppnåelse".
    line = "chapter.goals: {nb: Indikatorer, milepæler og måloppnåelse, en: Indicators, milestones}"
    match = RAW_LINE.match(line)
    assert raw_text(match["nb"]) == "Indikatorer, milepæler og måloppnåelse"
    assert raw_text(match["en"]) == "Indicators, milestones"
    assert yaml.safe_load(line)["chapter.goals"]["nb"] == "Indikatorer"
    quoted = RAW_LINE.match("""k: {nb: "Sa \\"ja\\", en: nei", en: 'It''s, en: no'}""")
    assert raw_text(quoted["nb"]) == 'Sa "ja", en: nei'
    assert raw_text(quoted["en"]) == "It's, en: no"
    assert yaml.safe_load(quoted.string)["k"] == {"nb": 'Sa "ja", en: nei', "en": "It's, en: no"}


@pytest.fixture(params=["libyaml", "PyYAML"])
def yaml_parser(request, monkeypatch) -> str:
    """Translations read with libyaml (where PyYAML has it) and with PyYAML's own parser."""
    if request.param == "PyYAML":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.fail("this PyYAML has no libyaml: the fast path is not tested")
    return request.param


def test_the_package_table_is_the_same_with_or_without_libyaml():
    folder = Path(__file__).resolve().parent.parent / "evaluation" / "translations"
    assert hasattr(yaml, "CSafeLoader"), "this PyYAML has no libyaml: the fast path is not tested"
    with_libyaml = read_translations(folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.delattr(yaml, "CSafeLoader")
        assert read_translations(folder) == with_libyaml


@pytest.mark.parametrize("text", ["a.one: {nb: Ja, en: Yes}\na.two: {nb: x, en: y\n",
                                  "a.one: {nb: Ja, en: Yes}\n  - a: b\n",
                                  "a.one: [nb: Ja\n"])
def test_a_file_that_is_not_yaml_gets_the_same_message_with_or_without_libyaml(tmp_path, yaml_parser, text):
    message = _refusal(tmp_path, a=text)
    assert message.startswith(f"{tmp_path / 'a.yaml'}:")
    assert "not valid YAML" in message
    pure = tmp_path / "pure"
    pure.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.delattr(yaml, "CSafeLoader", raising=False)
        assert _refusal(pure, a=text).replace(str(pure), str(tmp_path)) == message
