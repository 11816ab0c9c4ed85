"""Report chapters: each module gives one chapter body of a pilot report as HTML.

A chapter function has the signature ``<name>_chapter(data, *, pilot, phase, lang="nb")`` and
returns an :class:`evaluation.tables.HtmlBlock` with ``<h3>`` sections (the report writes the
``<h2>`` chapter heading).
"""
