"""The survey chapter of a pilot report.

:func:`survey_chapter` gives the chapter body as HTML (the report writes the ``<h2>``): response
rates per wave and agency, the index trends with their tests (:func:`evaluation.survey.compare_waves`),
the distribution of answers to every statement (diverging Likert bars with their tables), and
the reliability of each index (Cronbach's alpha with Feldt interval, the statements whose
removal would raise it). In the final phase it adds the change since the midterm wave. Every
table and chart is built from frames suppressed by the report's disclosure plan
(:attr:`ReportContext.disclosure`, one decision for every table of the render): groups below the
programme's anonymity threshold, and the agencies hidden with them so that no total gives them
away, are shown as «færre enn N svar», never as numbers, and each section says how many figures
it hides.
"""

from __future__ import annotations

import pandas as pd

from evaluation import html, survey
from evaluation.html import HtmlBlock
from evaluation.plots.likert import index_trend_chart, likert_chart
from evaluation.report.context import ReportContext
from evaluation.report.frame import section_heading
from evaluation.tables import frame_to_html


def _note(ctx: ReportContext, count: int) -> HtmlBlock:
    """How many figures a section hides below the anonymity threshold (nothing when none)."""
    if not count:
        return html.join()
    return html.paragraph(ctx.t("survey.hidden_note", count=count, threshold=ctx.threshold),
                          css_class="suppression-note")


def _format_p(ctx: ReportContext, value: float) -> str:
    if pd.isna(value):
        return "–"
    if value < 0.001:
        return ctx.t("survey.p_below", value=ctx.number(0.001, decimals=3))
    return ctx.number(value, decimals=3)


class _Labels:
    """Reader-facing names of waves, agencies, indices and items for the report's pilot."""

    def __init__(self, ctx: ReportContext):
        programme = ctx.programme
        self.ctx = ctx
        self.roles = dict(zip(programme.waves["wave"], programme.waves["role"]))
        agencies = programme.agencies[programme.agencies["pilot"] == ctx.pilot]
        self.agencies = {row["agency"]: ctx.pick(row, "name") for _, row in agencies.iterrows()}
        self.indices = {row["index"]: ctx.pick(row, "label")
                        for _, row in programme.survey_indices.iterrows()}
        self.items = {row["item_id"]: ctx.pick(row, "text") for _, row in ctx.data.items.iterrows()}

    def wave(self, wave) -> str:
        role = self.roles.get(wave)
        if role is None:
            return str(wave)
        return self.ctx.t("survey.wave_label", role=self.ctx.wave_role_name(role), wave=wave)

    def agency(self, agency) -> str:
        return self.agencies.get(agency, str(agency))

    def index(self, index) -> str:
        return self.indices.get(index, str(index))


def _response_section(ctx: ReportContext, population, responses, labels: _Labels) -> HtmlBlock:
    by_agency = survey.response_rates(population, responses, by=("pilot", "wave", "agency"),
                                      threshold=ctx.threshold, plan=ctx.disclosure)
    totals = survey.response_rates(population, responses, by=("pilot", "wave"),
                                   threshold=ctx.threshold, plan=ctx.disclosure)
    note = ctx.t("suppressed_note", threshold=ctx.threshold)
    rows = []
    hidden = 0
    for wave in sorted(totals["wave"]):
        part = by_agency[by_agency["wave"] == wave]
        for row in [*part.itertuples(index=False),
                    *totals[totals["wave"] == wave].itertuples(index=False)]:
            is_total = not hasattr(row, "agency")
            if row.suppressed:
                hidden += 1
            rows.append([
                labels.wave(wave),
                ctx.t("survey.total") if is_total else labels.agency(row.agency),
                ctx.number(row.invited),
                note if row.suppressed else ctx.number(row.responded),
                "–" if row.suppressed else ctx.percent(row.rate),
            ])
    table = pd.DataFrame(rows, columns=[
        ctx.t("survey.col.wave"), ctx.t("survey.col.agency"), ctx.t("survey.col.invited"),
        ctx.t("survey.col.responded"), ctx.t("survey.col.rate"),
    ])
    return html.join(
        section_heading(ctx, "survey.h.response"),
        html.paragraph(ctx.t("survey.response.intro")),
        frame_to_html(table, caption=ctx.t("survey.response.caption", pilot=ctx.pilot_name)),
        _note(ctx, hidden),
    )


def _change_cell(ctx: ReportContext, difference, low, high, caution) -> str:
    """The change with its interval, marked † when it is to be interpreted with caution."""
    interval = ctx.t("survey.interval", low=ctx.number(low, decimals=2), high=ctx.number(high, decimals=2))
    text = f"{ctx.signed(difference, decimals=2)} ({interval})"
    return f"{text} †" if caution else text


_MAGNITUDE_KEYS = {"negligible": "survey.magnitude.negligible", "small": "survey.magnitude.small",
                   "medium": "survey.magnitude.medium", "large": "survey.magnitude.large"}
"""Cohen's benchmarks (:data:`evaluation.stats.effect_sizes.MAGNITUDES`) in the reader's words."""


def _effect_cell(ctx: ReportContext, row) -> str:
    """Hedges' g with its magnitude in words: "0,45 (liten)"."""
    if pd.isna(row.hedges_g):
        return "–"
    return ctx.t("survey.effect", g=ctx.signed(row.hedges_g, decimals=2),
                 magnitude=ctx.t(_MAGNITUDE_KEYS[row.magnitude]))


def _comparison_table(ctx: ReportContext, rows: pd.DataFrame, labels: _Labels,
                      with_agency: bool, with_p: bool) -> tuple[pd.DataFrame, int]:
    note = ctx.t("suppressed_note", threshold=ctx.threshold)
    out, hidden = [], 0
    collapsed = set()
    empty = ["–"] * (4 if with_p else 3)
    if with_agency:
        # an agency hidden for every index of a comparison takes one row, not one per index
        hidden_all = rows.groupby(["agency", "from_wave", "to_wave"])["suppressed"].transform("all")
    for position, row in enumerate(rows.itertuples(index=False)):
        comparison = ctx.t("survey.comparison", before=labels.wave(row.from_wave),
                           after=labels.wave(row.to_wave))
        lead = [labels.agency(row.agency)] if with_agency else []
        if row.suppressed or pd.isna(row.mean_from):
            hidden += 1
            if with_agency and hidden_all.iloc[position]:
                key = (row.agency, row.from_wave, row.to_wave)
                if key in collapsed:
                    continue
                collapsed.add(key)
                out.append([*lead, ctx.t("survey.all_indices"), comparison, note, *empty])
                continue
            out.append([*lead, labels.index(row.index), comparison, note, *empty])
            continue
        cells = [
            *lead, labels.index(row.index), comparison,
            f"{ctx.number(row.n_from)} / {ctx.number(row.n_to)}",
            f"{ctx.number(row.mean_from, decimals=2)} / {ctx.number(row.mean_to, decimals=2)}",
            _change_cell(ctx, row.difference, row.ci_low, row.ci_high, row.caution), _effect_cell(ctx, row),
        ]
        if with_p:
            cells.append(_format_p(ctx, row.p_value_adjusted))
        out.append(cells)
    columns = [ctx.t("survey.col.index"), ctx.t("survey.col.comparison"),
               ctx.t("survey.col.n_pair"), ctx.t("survey.col.mean_pair"),
               ctx.t("survey.col.difference"), ctx.t("survey.col.effect_size")]
    if with_p:
        columns.append(ctx.t("survey.col.p_holm"))
    if with_agency:
        columns = [ctx.t("survey.col.agency"), *columns]
    return pd.DataFrame(out, columns=columns), hidden


def _caution_note(ctx: ReportContext, rows: pd.DataFrame) -> HtmlBlock:
    """The note under a table with a † (nothing when no row has one)."""
    if not rows["caution"].any():
        return html.join()
    rules = ctx.programme.evidence_rules
    return html.paragraph(ctx.t("survey.caution_note", n=rules.caution_min_respondents,
                                width=ctx.number(rules.caution_max_interval_width, decimals=1)),
                          css_class="caution-note")


def _table_block(ctx: ReportContext, rows: pd.DataFrame, labels: _Labels, *, with_agency: bool,
                 with_p: bool, caption: str) -> tuple[HtmlBlock, int]:
    table, hidden = _comparison_table(ctx, rows, labels, with_agency=with_agency, with_p=with_p)
    return html.join(frame_to_html(table, caption=caption), _caution_note(ctx, rows)), hidden


def _trend_section(ctx: ReportContext, responses, labels: _Labels,
                   comparisons: pd.DataFrame) -> HtmlBlock:
    summary = weighted_summary(ctx, responses)
    figure = index_trend_chart(
        summary, group_labels=labels.indices, wave_labels={w: labels.wave(w) for w in summary["wave"]},
        lang=ctx.lang, caption=ctx.t("survey.trends.caption", pilot=ctx.pilot_name), threshold=ctx.threshold,
        table_caption=ctx.t("survey.trends.data_caption", pilot=ctx.pilot_name),
    )
    parts = [section_heading(ctx, "survey.h.trends"), html.paragraph(ctx.t("survey.trends.intro")),
             figure.to_html()]
    hidden = int(summary["suppressed"].sum())
    main = comparisons[comparisons["from_role"] == "baseline"]
    if main.empty:
        parts.append(html.paragraph(ctx.t("survey.trends.none")))
    else:
        pilot_rows = main[main["level"] == "pilot"]
        parts.append(html.paragraph(ctx.t("survey.trends.tests", k=pilot_rows["index"].nunique())))
        block, count = _table_block(ctx, pilot_rows, labels, with_agency=False, with_p=True,
                                    caption=ctx.t("survey.trends.table_caption", pilot=ctx.pilot_name))
        hidden += count
        parts.append(block)
        agency_rows = main[main["level"] == "agency"]
        if len(agency_rows):
            parts.append(html.paragraph(ctx.t("survey.trends.agency_intro", threshold=ctx.threshold)))
            block, count = _table_block(ctx, agency_rows, labels, with_agency=True, with_p=False,
                                        caption=ctx.t("survey.trends.agency_caption", pilot=ctx.pilot_name))
            hidden += count
            parts.append(block)
    parts.append(_note(ctx, hidden))
    return html.join(*parts)


def _change_section(ctx: ReportContext, comparisons: pd.DataFrame, labels: _Labels) -> HtmlBlock:
    rows = comparisons[(comparisons["from_role"] == ctx.previous_phase)
                       & (comparisons["to_role"] == ctx.phase)]
    parts = [section_heading(ctx, "survey.h.change_since_midterm")]
    if rows.empty:
        parts.append(html.paragraph(ctx.t("survey.change.none")))
        return html.join(*parts)
    parts.append(html.paragraph(ctx.t("survey.change.intro")))
    hidden = 0
    for level, with_agency in (("pilot", False), ("agency", True)):
        part = rows[rows["level"] == level]
        if part.empty:
            continue
        block, count = _table_block(ctx, part, labels, with_agency=with_agency, with_p=False,
                                    caption=ctx.t("survey.change.caption", pilot=ctx.pilot_name))
        hidden += count
        parts.append(block)
    parts.append(_note(ctx, hidden))
    return html.join(*parts)


def _items_section(ctx: ReportContext, wave_responses, labels: _Labels, wave_text: str) -> HtmlBlock:
    parts = [section_heading(ctx, "survey.h.items"),
             html.paragraph(ctx.t("survey.items.intro", wave=wave_text))]
    hidden = 0
    items = ctx.data.items
    for index in dict.fromkeys(items["index"]):
        index_items = items[items["index"] == index]
        distribution = survey.likert_distribution(
            wave_responses, index_items, scales=ctx.data.scales, lang=ctx.lang, threshold=ctx.threshold,
            plan=ctx.disclosure,
        )
        hidden += int(distribution.drop_duplicates("item")["suppressed"].sum())
        figure = likert_chart(
            distribution, bar_labels=labels.items, lang=ctx.lang, threshold=ctx.threshold,
            caption=ctx.t("survey.items.caption", index=labels.index(index), pilot=ctx.pilot_name,
                          wave=wave_text),
            table_caption=ctx.t("survey.items.table_caption", index=labels.index(index)),
        )
        parts.append(figure.to_html())
    parts.append(_note(ctx, hidden))
    return html.join(*parts)


def _reliability_section(ctx: ReportContext, wave_responses, labels: _Labels,
                         wave_text: str) -> HtmlBlock:
    table = survey.index_reliability(wave_responses, ctx.data.items, threshold=ctx.threshold,
                                     plan=ctx.disclosure)
    note = ctx.t("suppressed_note", threshold=ctx.threshold)
    rows, hidden = [], 0
    for row in table.indices.itertuples(index=False):
        if row.suppressed:
            hidden += 1
            rows.append([labels.index(row.index), note, ctx.number(row.k), "–", "–", "–"])
            continue
        raising = table.items[(table.items["index"] == row.index)
                              & table.items["raises_alpha"].fillna(False).astype(bool)]
        names = "; ".join(f"{item} {labels.items.get(item, '')}".strip() for item in raising["item"])
        interval = "–" if pd.isna(row.ci_low) else ctx.t(
            "survey.interval", low=ctx.number(row.ci_low, decimals=2),
            high=ctx.number(row.ci_high, decimals=2))
        rows.append([
            labels.index(row.index),
            ctx.number(row.n),
            ctx.number(row.k),
            ctx.number(row.alpha, decimals=2),
            interval,
            names or ctx.t("survey.none"),
        ])
    frame = pd.DataFrame(rows, columns=[
        ctx.t("survey.col.index"), ctx.t("survey.col.n"), ctx.t("survey.col.k"),
        ctx.t("survey.col.alpha"), ctx.t("survey.col.alpha_ci"),
        ctx.t("survey.col.items_raising"),
    ])
    return html.join(
        section_heading(ctx, "survey.h.reliability"),
        html.paragraph(ctx.t("survey.reliability.intro")),
        frame_to_html(frame, caption=ctx.t("survey.reliability.caption", pilot=ctx.pilot_name,
                                           wave=wave_text)),
        _note(ctx, hidden),
    )


def weighted_summary(ctx: ReportContext, responses: pd.DataFrame) -> pd.DataFrame:
    """Mean of every index per pilot and wave, post-stratified by agency
    (:func:`evaluation.survey.weighted_index_means`), with the columns of
    :func:`evaluation.survey.index_summary` that the charts read (``mean`` for ``estimate``)."""
    means = survey.weighted_index_means(
        responses, ctx.data.items, ctx.data.population, weighted=True,
        fpc=ctx.programme.evidence_rules.finite_population_correction, threshold=ctx.threshold,
        plan=ctx.disclosure)
    return means.rename(columns={"estimate": "mean"})


def survey_comparisons(ctx: ReportContext, *, weighted: bool) -> pd.DataFrame:
    """The report's pilot's index changes (:func:`evaluation.survey.compare_waves`), weighted by
    agency or not, with the programme's evidence rules and the render's disclosure plan; computed
    once per report (:meth:`ReportContext.survey_comparisons`), so the survey chapter, the key
    findings and the sensitivity appendix show one result."""
    return ctx.survey_comparisons(weighted=weighted)


def survey_sensitivity(ctx: ReportContext) -> HtmlBlock:
    """Appendix: the pilot's index changes weighted by agency beside the unweighted ones.

    The report's pilot-level estimates are post-stratified by agency; this table shows how much
    the weighting moves each change from the baseline (the primary comparisons), so a reader can
    see whether a change could come from who answered rather than from the pilot.
    """
    responses = ctx.data.for_pilot("responses", ctx.pilot)
    if responses.empty:
        return html.paragraph(ctx.t("survey.no_data", pilot=ctx.pilot_name))
    keys = ["index", "from_role", "to_role"]
    weighted, unweighted = (survey_comparisons(ctx, weighted=w) for w in (True, False))
    rows = weighted[(weighted["level"] == "pilot") & weighted["primary"]].merge(
        unweighted[unweighted["level"] == "pilot"], on=keys, suffixes=("", "_unweighted"))
    labels = _Labels(ctx)
    note = ctx.t("suppressed_note", threshold=ctx.threshold)
    out = []
    for row in rows.itertuples(index=False):
        comparison = ctx.t("survey.comparison", before=labels.wave(row.from_wave), after=labels.wave(row.to_wave))
        if row.suppressed or row.suppressed_unweighted or pd.isna(row.difference):
            out.append([labels.index(row.index), comparison, note, "–", "–"])
            continue
        out.append([labels.index(row.index), comparison,
                    _change_cell(ctx, row.difference, row.ci_low, row.ci_high, row.caution),
                    _change_cell(ctx, row.difference_unweighted, row.ci_low_unweighted,
                                 row.ci_high_unweighted, row.caution_unweighted),
                    ctx.signed(row.difference - row.difference_unweighted, decimals=2)])
    table = pd.DataFrame(out, columns=[
        ctx.t("survey.col.index"), ctx.t("survey.col.comparison"), ctx.t("survey.col.weighted"),
        ctx.t("survey.col.unweighted"), ctx.t("survey.col.weighting_effect")])
    return html.join(
        html.paragraph(ctx.t("survey.sensitivity.intro")),
        frame_to_html(table, caption=ctx.t("survey.sensitivity.caption", pilot=ctx.pilot_name)),
        _caution_note(ctx, rows),
    )


def survey_chapter(ctx: ReportContext) -> HtmlBlock:
    """The survey chapter of a pilot report, as HTML (without the ``<h2>``).

    Parameters
    ----------
    ctx : ReportContext
        The report's pilot, phase (a phase after the first adds the change since the wave of the
        phase before), language
        and threshold; its data are cut off at the phase's date.

    Returns
    -------
    evaluation.html.HtmlBlock
        ``<h3>`` sections: response rates; index trends (chart, tests per pilot and per
        agency); in the final phase the change since midterm; the distribution of answers per
        index (diverging bars with data tables) in the phase's wave; and the reliability of
        every index in that wave. Suppressed groups appear as «færre enn N svar», with a note
        per section.

    Notes
    -----
    The phase's wave is the wave whose role is the phase (``midterm``/``final``) if it has
    responses, otherwise the latest wave with responses. All p-values of the chapter form one
    Holm family (one call to :func:`evaluation.survey.compare_waves`).
    """
    data, pilot, phase = ctx.data, ctx.pilot, ctx.phase
    labels = _Labels(ctx)
    responses = data.for_pilot("responses", pilot)
    parts = [html.paragraph(ctx.t("survey.intro", threshold=ctx.threshold))]
    if responses.empty:
        parts.append(html.paragraph(ctx.t("survey.no_data", pilot=ctx.pilot_name)))
        return html.join(*parts)

    population = data.for_pilot("population", pilot)
    if data.cutoff is not None:  # waves are years; a wave after the cut-off is not reported yet
        population = population[population["wave"] <= data.cutoff.year]
    parts.append(_response_section(ctx, population, responses, labels))

    comparisons = survey_comparisons(ctx, weighted=True)
    parts.append(_trend_section(ctx, responses, labels, comparisons))
    if ctx.previous_phase is not None:
        parts.append(_change_section(ctx, comparisons, labels))

    phase_waves = [w for w, role in labels.roles.items() if role == phase
                   and (responses["wave"] == w).any()]
    wave = phase_waves[0] if phase_waves else max(responses["wave"])
    wave_responses = responses[responses["wave"] == wave]
    wave_text = labels.wave(wave)
    parts.append(_items_section(ctx, wave_responses, labels, wave_text))
    parts.append(_reliability_section(ctx, wave_responses, labels, wave_text))
    return html.join(*parts)


__all__ = ["survey_chapter", "survey_comparisons", "survey_sensitivity"]
