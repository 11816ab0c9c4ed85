"""Report chapters: each module gives the chapter bodies of one part of a report as HTML.

A chapter function has the signature ``<name>(ctx, *, ...)``: a
:class:`~evaluation.report.context.ReportContext` first, then optional keyword-only extras. It
returns an :class:`evaluation.tables.HtmlBlock` with ``<h3>`` sections (the report writes the
``<h2>`` chapter heading with :func:`evaluation.report.frame.chapter_heading`).

- :mod:`~evaluation.report.chapters.summary` -- key figures and status at a glance;
- :mod:`~evaluation.report.chapters.survey` -- the employee survey;
- :mod:`~evaluation.report.chapters.interviews` -- the interviews;
- :mod:`~evaluation.report.chapters.goals` -- indicators, milestones and goal attainment;
- :mod:`~evaluation.report.chapters.assessment` -- the evaluators' assessment;
- :mod:`~evaluation.report.chapters.synthesis` -- the cross-pilot synthesis.
"""
