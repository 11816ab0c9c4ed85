"""Report chapters: each module gives the chapter bodies of one part of a report as HTML.

A chapter function has the signature ``<name>(ctx, *, ...)``: a
:class:`~evaluation.report.context.ReportContext` first, then optional keyword-only extras. It
returns an :class:`evaluation.html.HtmlBlock` made only of the fragments of :mod:`evaluation.html`
and the tables and figures rendered through them, put together with :func:`evaluation.html.join`:
``<h3>`` sections (:func:`evaluation.report.frame.section_heading`) whose headings the block
carries as data for the table of contents. The report writes the ``<h2>`` chapter heading with
:func:`evaluation.report.frame.chapter_heading`.

- :mod:`~evaluation.report.chapters.summary` -- key figures and status at a glance;
- :mod:`~evaluation.report.chapters.survey` -- the employee survey;
- :mod:`~evaluation.report.chapters.interviews` -- the interviews;
- :mod:`~evaluation.report.chapters.goals` -- indicators, milestones and goal attainment;
- :mod:`~evaluation.report.chapters.assessment` -- the evaluators' assessment;
- :mod:`~evaluation.report.chapters.synthesis` -- the cross-pilot synthesis.
"""
