"""Phases come from the programme: a programme whose phases have other ids and names gives the
same reports, titled with its own names.

A copy of the demo data has its phases renamed (``midterm`` -> ``halvveis``, ``final`` ->
``slutt``, with names in ``programme.yaml``), and every file that names a phase follows
(wave roles, ``assessments.csv``, the narratives). Nothing in the package may know the ids
``midterm`` and ``final``: the chapters must find the previous phase, the rounds and the wave
comparisons from the programme, and say exactly what they say for the original data.
"""

from __future__ import annotations

import re

import pytest

from conftest import DEMO
from evaluation import report

RENAMED = {"midterm": "halvveis", "final": "slutt"}
NAMES = {"halvveis": ("Halvveisrapport", "Halfway report"), "slutt": ("Sluttrapport", "Final report")}


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    import shutil

    target = tmp_path_factory.mktemp("renamed") / "data"
    shutil.copytree(DEMO, target)
    path = target / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in RENAMED.items():
        nb, en = NAMES[new]
        text = text.replace(f"- id: {old}\n  cutoff:", f"- id: {new}\n  name_nb: {nb}\n  name_en: {en}\n  cutoff:")
        text = text.replace(f"  role: {old}\n", f"  role: {new}\n")
    path.write_text(text, encoding="utf-8")
    path = target / "assessments.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for position, line in enumerate(lines[1:], start=1):
        pilot, phase, rest = line.split(",", 2)
        lines[position] = f"{pilot},{RENAMED[phase]},{rest}"
    path.write_text("".join(lines), encoding="utf-8")
    for narrative in sorted((target / "narratives").glob("*.md")):
        subject, rest = narrative.name.rsplit("-", 1)
        phase, lang, _ = rest.split(".")
        narrative.rename(narrative.with_name(f"{subject}-{RENAMED[phase]}.{lang}.md"))
    return target


@pytest.fixture(scope="module")
def stad_final(renamed):
    """Stad's final report context on the demo data and on the renamed copy (bokmål)."""
    return (report.open_report(DEMO, pilot="stad", phase="final", lang="nb"),
            report.open_report(renamed, pilot="stad", phase="slutt", lang="nb"))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_title_names_the_phase_as_the_programme_does(renamed, lang):
    ctx = report.open_report(renamed, pilot="stad", phase="slutt", lang=lang)
    title = report.title_block(ctx).headings[0].text
    assert title.startswith(NAMES["slutt"][0 if lang == "nb" else 1])


@pytest.mark.parametrize("chapter", [report.interviews_chapter, report.goals_chapter,
                                     report.summary_chapter])
def test_chapters_say_the_same_whatever_the_phases_are_called(stad_final, chapter):
    original, other = stad_final
    # the same words and numbers; where a chapter names a phase (the interview round a number
    # rests on), it names it as the programme does: "Halvveisrapport" for "Midtveisevaluering"
    original_html = str(chapter(original))
    for old, new in RENAMED.items():
        original_html = original_html.replace(original.phase_name(old), other.phase_name(new))
    assert str(chapter(other)) == original_html


def test_the_survey_chapter_compares_with_the_previous_phase_by_its_new_id(stad_final):
    original, other = stad_final
    renamed_html, original_html = str(report.survey_chapter(other)), str(report.survey_chapter(original))
    # the change since the previous phase is there, with the same numbers: only the names of
    # the waves' roles differ ("Halvveisrapport 2022" for "Midtveis 2022")
    assert 'id="survey-h-change-since-midterm"' in renamed_html
    names = {original.wave_role_name(role): other.wave_role_name(RENAMED.get(role, role))
             for role in ("baseline", "midterm", "final")}
    for old, new in names.items():
        original_html = original_html.replace(old, new)
    # the charts are pictures of the same numbers with the new labels: compare all but the pixels
    pixels = re.compile(r'src="data:image/svg\+xml;base64,[^"]*"')
    assert pixels.sub("", renamed_html) == pixels.sub("", original_html)
