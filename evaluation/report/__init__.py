"""The report layer: what runs inside a report's kernel.

A report notebook opens a report with :func:`open_report`, which validates and loads the data
and returns a :class:`ReportContext` (data cut to the phase, pilot, phase, language, anonymity
threshold, and formatters bound to the language). It then displays the frame
(:mod:`evaluation.report.frame`: title, chapter headings, about the pilot, data and method,
provenance), the chapters (:mod:`evaluation.report.chapters`) and the glossary appendix
(:mod:`evaluation.report.glossary`), each called as ``fn(ctx)``.

Example
-------
>>> from evaluation import html
>>> from evaluation.report import open_report, chapter_heading, survey_chapter
>>> ctx = open_report(pilot="stad", phase="midterm")
>>> chapter = html.join(chapter_heading(ctx, "survey"), survey_chapter(ctx))
>>> chapter.headings[0].anchor
'survey'
"""

from evaluation.report.chapters.assessment import evaluators_assessment, recommendations
from evaluation.report.chapters.findings import findings_by_goal
from evaluation.report.chapters.goal_changes import changes_up_to_cutoff, goal_changes_section
from evaluation.report.chapters.goals import goals_chapter
from evaluation.report.chapters.interviews import interviews_chapter
from evaluation.report.chapters.summary import key_figures, summary_chapter
from evaluation.report.chapters.survey import survey_chapter, survey_sensitivity
from evaluation.report.chapters.synthesis import (
    common_themes,
    index_comparison,
    lessons_across_pilots,
    national_goals_matrix,
    national_goals_text,
    pilots_overview,
    synthesis_summary,
)
from evaluation.report.context import ReportContext, open_report
from evaluation.report.narrative import narrative_section
from evaluation.report.frame import (
    about_pilot,
    chapter_heading,
    data_and_method,
    provenance,
    title_block,
)
from evaluation.report.glossary import glossary

__all__ = [
    "ReportContext",
    "about_pilot",
    "changes_up_to_cutoff",
    "chapter_heading",
    "common_themes",
    "data_and_method",
    "evaluators_assessment",
    "findings_by_goal",
    "glossary",
    "goal_changes_section",
    "goals_chapter",
    "index_comparison",
    "interviews_chapter",
    "key_figures",
    "lessons_across_pilots",
    "narrative_section",
    "national_goals_matrix",
    "national_goals_text",
    "open_report",
    "pilots_overview",
    "provenance",
    "recommendations",
    "summary_chapter",
    "survey_chapter",
    "survey_sensitivity",
    "synthesis_summary",
    "title_block",
]
