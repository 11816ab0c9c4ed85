"""The report's frame: title, chapter headings, about the pilot, data and method, provenance.

Everything a reader sees is built here and in :mod:`evaluation.report.chapters`, in the package,
from the translation table, so the notebooks stay thin and the same in both languages.
"""

from __future__ import annotations

import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from evaluation import html
from evaluation.files import file_sha256
from evaluation.html import HtmlBlock
from evaluation.report.context import ReportContext, data_folder_name
from evaluation.report.narrative import narrative_section
from evaluation.tables import frame_to_html

PACKAGES_IN_PROVENANCE = ("pandas", "numpy", "scipy", "matplotlib", "papermill", "nbconvert", "pyyaml")


def chapter_heading(ctx: ReportContext, key: str) -> HtmlBlock:
    """The ``<h2>`` heading of a chapter, with an anchor for the table of contents.

    Its text is the translation of ``chapter.<key>``; its anchor is :func:`evaluation.html.anchor_id`
    of ``key``, the same in both languages.
    """
    return html.heading(ctx.t("chapter." + key), key=key, level=2)


def section_heading(ctx: ReportContext, key: str) -> HtmlBlock:
    """The ``<h3>`` heading of a section of a chapter: the translation of ``key``, anchored by it.

    The anchor is :func:`evaluation.html.anchor_id` of the translation key (for example
    ``goals.heading.status`` gives ``goals-heading-status``), the same in both languages.
    """
    return html.heading(ctx.t(key), key=key)


def title_block(ctx: ReportContext) -> HtmlBlock:
    """The report's title (``<h1>``), a line with phase, cut-off date and programme, and the front
    page's facts: client, evaluator, date and version (the narrative's front matter) and the date
    the data run to.

    A report of synthetic data (``synthetic: true`` in ``programme.yaml``, as in the bundled
    demo data) has a banner under its title that says so (``demo_banner``).
    """
    cutoff = ctx.date(ctx.data.cutoff)
    phase_name = ctx.phase_name()
    if ctx.pilot is None:
        title = ctx.t("title.synthesis", phase=phase_name)
    else:
        title = ctx.t("title.pilot", phase=phase_name, pilot=ctx.pilot_name)
    subtitle = ctx.t("title.subtitle", programme=ctx.t("programme_name"), cutoff=cutoff)
    banner = [html.paragraph(ctx.t("demo_banner"), css_class="demo-banner")] if ctx.programme.synthetic else []
    return html.join(html.heading(title, key="top", level=1), *banner,
                     html.paragraph(subtitle, css_class="subtitle"), _front_matter(ctx))


_FRONT_MATTER = (("client", "front.client"), ("evaluator", "front.evaluator"), ("date", "front.date"),
                 ("version", "front.version"))
"""The narrative's front-matter keys shown on the front page, and their labels."""


def _front_matter(ctx: ReportContext) -> HtmlBlock:
    """Client, evaluator, date and version from the narrative's front matter, and the data's
    cut-off, as a definition list (nothing but the cut-off when there is no narrative)."""
    narrative = ctx.narrative()
    front = narrative.front_matter if narrative is not None else {}
    entries = []
    for key, label in _FRONT_MATTER:
        value = front.get(key)
        if value is not None and str(value).strip():
            entries.append((ctx.t(label), ctx.date(value) if key == "date" else str(value), None))
    entries.append((ctx.t("front.data_as_of"), ctx.date(ctx.data.cutoff), None))
    return html.definition_list(entries, css_class="front-matter")


def about_pilot(ctx: ReportContext) -> HtmlBlock:
    """Background: the pilot's municipality, what it did (the evaluators' background section),
    the evaluation questions, its agencies and its sub-goals with their national goals."""
    programme = ctx.programme
    pilot_row = programme.pilots.set_index("pilot").loc[ctx.pilot]
    agencies = programme.agencies[programme.agencies["pilot"] == ctx.pilot]
    agency_names = [ctx.pick(row, "name") for row in agencies.to_dict("records")]
    intro = ctx.t("about.intro", pilot=ctx.pilot_name, number=pilot_row["municipality_number"],
                  count=len(agency_names))
    background = narrative_section(ctx, "background")
    parts = [
        html.paragraph(intro),
        *([background] if background is not None else []),
        html.heading(ctx.t("about.questions_heading"), key="evaluation-questions"),
        html.paragraph(ctx.t("about.questions_intro")),
        html.bullet_list([ctx.t("about.question_goals"), ctx.t("about.question_collaboration"),
                          ctx.t("about.question_lasting"), ctx.t("about.question_transfer")]),
        html.heading(ctx.t("about.agencies"), key="agencies"),
        html.bullet_list(agency_names),
    ]
    goals = ctx.sub_goals
    links = programme.sub_goal_links[(programme.sub_goal_links["pilot"] == ctx.pilot)
                                     & (programme.sub_goal_links["kind"] == "national_goal")]
    national = links.groupby("sub_goal")["target"].agg(lambda s: ", ".join(s))
    table = pd.DataFrame({
        ctx.t("about.sub_goal"): goals["sub_goal"],
        ctx.t("about.sub_goal_text"): [ctx.pick(r, "text") for r in goals.to_dict("records")],
        ctx.t("about.national_goals"): [national.get(g, "") for g in goals["sub_goal"]],
    })
    parts.append(html.heading(ctx.t("about.sub_goals"), key="sub-goals"))
    parts.append(frame_to_html(table, caption=ctx.t("about.sub_goals_caption", pilot=ctx.pilot_name)))
    national_goals = programme.national_goals
    parts.append(frame_to_html(pd.DataFrame({
        ctx.t("about.national_goal"): national_goals["national_goal"],
        ctx.t("about.national_goal_text"): [ctx.pick(r, "text") for r in national_goals.to_dict("records")],
    }), caption=ctx.t("about.national_goals_caption")))
    return html.join(*parts)


def _wave_label(ctx: ReportContext, wave: int) -> str:
    role = ctx.programme.wave_role(wave)
    return f"{wave} ({ctx.wave_role_name(role).lower()})"


def _response_rate_rows(ctx: ReportContext) -> list[dict]:
    """Invited, responded and response rate per wave, of the pilot (or all pilots).

    Hidden as the report's disclosure plan decides: a pilot's wave below the threshold, or (in
    the synthesis) a total over pilots that would give a hidden pilot away by subtraction,
    shows «færre enn N svar» and «–», never 0.
    """
    from evaluation.survey import response_rates

    data, plan = ctx.data, ctx.disclosure
    if ctx.pilot is None:
        rates = response_rates(data.population, data.responses, by=("wave",),
                               threshold=ctx.threshold, within=("wave",))
        rates["suppressed"] = rates["suppressed"] | rates["wave"].map(plan.total_hidden)
    else:
        population = data.population[data.population["pilot"] == ctx.pilot]
        rates = response_rates(population, data.for_pilot("responses", ctx.pilot),
                               by=("pilot", "wave"), threshold=ctx.threshold, plan=plan)
    note = ctx.t("suppressed_note", threshold=ctx.threshold)
    rows = []
    for row in rates.to_dict("records"):
        hidden = bool(row["suppressed"])
        rows.append({
            ctx.t("method.wave"): _wave_label(ctx, row["wave"]),
            ctx.t("method.invited"): ctx.number(row["invited"]),
            ctx.t("method.responded"): note if hidden else ctx.number(row["responded"]),
            ctx.t("method.rate"): "–" if hidden else ctx.percent(row["rate"]),
        })
    return rows


def _interview_sources(ctx: ReportContext) -> list[HtmlBlock]:
    """Interviews per round and stakeholder group, pooled and suppressed as in the interview
    chapter (:func:`evaluation.interviews.round_group_counts`): a hidden count is "–", never 0,
    and the total is hidden too when any count is (it would give the hidden one by subtraction)."""
    from evaluation.interviews import round_group_counts
    from evaluation.plots.heatmap import stakeholder_label

    data = ctx.data
    interviews = data.interviews if ctx.pilot is None else data.interviews[data.interviews["pilot"] == ctx.pilot]
    counts = round_group_counts(interviews, threshold=ctx.threshold)
    mark = ctx.t("suppressed_mark")
    columns = [ctx.t("method.stakeholder_group"), ctx.t("method.round"), ctx.t("method.interviews")]
    rows = [dict(zip(columns, (stakeholder_label(r["stakeholder_group"], ctx.lang), ctx.phase_name(r["round"]),
                               mark if r["suppressed"] else ctx.number(r["interviews"]))))
            for r in counts.to_dict("records")]
    hidden = bool(counts["suppressed"].any()) or 0 < len(interviews) < ctx.threshold
    total = mark if hidden else ctx.number(len(interviews))
    parts = [html.heading(ctx.t("method.interviews_heading"), key="interview-sources"),
             frame_to_html(pd.DataFrame(rows, columns=columns),
                           caption=ctx.t("method.interviews_caption", total=total))]
    if (counts["stakeholder_group"] == "other").any():
        parts.append(html.paragraph(ctx.t("method.interviews_pooled", threshold=ctx.threshold,
                                          other=stakeholder_label("other", ctx.lang))))
    if hidden:
        parts.append(html.paragraph(ctx.t("interviews.suppressed_note", threshold=ctx.threshold)))
    return parts


def data_and_method(ctx: ReportContext) -> HtmlBlock:
    """Sources, fieldwork and response, interviews, the design and its limitations, and the
    anonymity rule."""
    from evaluation.report.chapters.interviews import interview_round
    from evaluation.report.chapters.summary import key_figures

    data = ctx.data
    parts = [html.paragraph(ctx.t("method.intro", cutoff=ctx.date(data.cutoff)))]
    if ctx.pilot is not None:
        parts += [frame_to_html(key_figures(ctx), caption=ctx.t("summary.key_figures_caption")),
                  html.note(ctx.t("interviews.count_base", round=interview_round(ctx)))]
    parts.append(html.heading(ctx.t("method.response_rates"), key="response-rates"))
    parts.append(frame_to_html(pd.DataFrame(_response_rate_rows(ctx)),
                               caption=ctx.t("method.response_rates_caption", pilot=ctx.pilot_name)))
    parts.extend(_interview_sources(ctx))
    parts.append(html.paragraph(ctx.t("method.interview_method")))
    rules = ctx.programme.evidence_rules
    parts += [
        html.heading(ctx.t("method.design_heading"), key="design"),
        html.paragraph(ctx.t("method.design")),
        html.paragraph(ctx.t("method.analysis", mic=ctx.number(rules.minimal_important_change, decimals=1),
                             caution=rules.caution_min_respondents)),
        html.heading(ctx.t("method.limitations_heading"), key="limitations"),
        html.bullet_list([ctx.t("method.limitation_attribution"), ctx.t("method.limitation_nonresponse"),
                          ctx.t("method.limitation_small"), ctx.t("method.limitation_interviews")]),
        html.heading(ctx.t("method.anonymity_heading"), key="anonymity"),
        html.paragraph(ctx.t("method.anonymity", threshold=ctx.threshold)),
    ]
    return html.join(*parts)


def _relative_name(path, data_dir) -> str:
    """A data file named relative to the data folder (its name alone if it lies elsewhere)."""
    path = Path(path)
    try:
        return path.relative_to(data_dir).as_posix()
    except ValueError:
        return path.name


def provenance(ctx: ReportContext) -> HtmlBlock:
    """Appendix: each input file with its SHA-256, package versions, parameters, cut-off, run time.

    No local path is printed (it can reveal a secure server's layout): the data folder is named
    by its last component and the files relative to it; only the files the report read are
    listed (:attr:`ReportContext.input_files`).
    """
    data = ctx.data
    rows = [{ctx.t("provenance.file"): _relative_name(path, data.data_dir), "SHA-256": file_sha256(path)}
            for path in ctx.input_files]
    versions = [{ctx.t("provenance.package"): "python", ctx.t("provenance.version"): platform.python_version()}]
    for name in ("statens-hus-evaluation", *PACKAGES_IN_PROVENANCE):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "–"
        versions.append({ctx.t("provenance.package"): name, ctx.t("provenance.version"): version})
    parameters = pd.DataFrame({
        ctx.t("provenance.parameter"): list(ctx.parameters)
        + [ctx.t("provenance.cutoff"), ctx.t("provenance.run_time")],
        ctx.t("provenance.value"): [data_folder_name(v) if k == "data_dir" else str(v)
                                    for k, v in ctx.parameters.items()]
        + [data.cutoff.isoformat(), ctx.started.strftime("%Y-%m-%d %H:%M:%S UTC")],
    })
    return html.join(
        html.paragraph(ctx.t("provenance.intro")),
        frame_to_html(parameters, caption=ctx.t("provenance.parameters_caption")),
        frame_to_html(pd.DataFrame(rows), caption=ctx.t("provenance.files_caption")),
        frame_to_html(pd.DataFrame(versions), caption=ctx.t("provenance.packages_caption")),
    )


__all__ = ["PACKAGES_IN_PROVENANCE", "about_pilot", "chapter_heading", "data_and_method",
           "provenance", "section_heading", "title_block"]
