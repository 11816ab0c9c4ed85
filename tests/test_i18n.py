"""The translation table: every key is used by the package, every key has both languages."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from evaluation.i18n import LANGUAGES, translation_table

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
    "goals.measure.": "the evidence table: an evidence measure",
    "goals.milestone.": "the milestone table: a milestone status",
    "goals.source.": "the status and evidence tables: an evidence source",
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


def test_every_key_has_every_language_and_is_defined_once():
    seen: dict[str, str] = {}
    for path in sorted((PACKAGE / "translations").glob("*.yaml")):
        for key, texts in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            assert key not in seen, f"{key} in {seen.get(key)} and {path.name}"
            seen[key] = path.name
            assert set(texts) >= set(LANGUAGES), f"{path.name}: {key}"
