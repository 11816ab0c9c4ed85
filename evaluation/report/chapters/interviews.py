"""The interview chapter of a pilot report.

:func:`interviews_chapter` gives the chapter body (the lead writes the ``<h2>``): the interviews
by stakeholder group; a theme x stakeholder group heatmap with annotated counts; the assessment
balance per theme; the co-occurrence of the main themes; a few approved quotes per main theme;
and, in a later phase's report, the change since the previous round.

Each table shows one interview round whole: the report's own phase's round (the interviews
after the previous phase's cut-off up to this one's). A final report therefore does not add
its round to the midterm report's counts, so subtracting one report's tables from the other's
gives nothing that was not shown; the change section, the only place an earlier round appears,
compares the two rounds, each whole and each suppressed below the threshold
(:func:`evaluation.interviews.theme_change`). Every caption names its base
(:func:`interview_base`): the round, by the programme's name of its phase, and the number of
interviews. The same base is used wherever a report shows interview numbers: the key figures,
the goal evidence (:func:`evaluation.goals.goal_attainment`), the lasting results and the
synthesis.

Privacy: stakeholder groups with fewer interviews in the round than the programme's anonymity
threshold are pooled as "other groups" (:func:`evaluation.interviews.pool_rounds`, the decision
the data-and-method chapter follows too) before anything is
counted by group, and every count by group still passes through the suppression of
:mod:`evaluation.privacy`. If the pilot has fewer interviews than the threshold altogether,
the chapter shows only a note. Quotes are approved ones of the round, attributed by group only
where the group is shown (not pooled), otherwise as "informant".
"""

from __future__ import annotations

from dataclasses import dataclass

import dataclasses

import pandas as pd

from evaluation import html
from evaluation import interviews as iv
from evaluation.errors import InsufficientDataError
from evaluation.html import HtmlBlock
from evaluation.plots.heatmap import label_in_sentence, stakeholder_label, theme_stakeholder_heatmap
from evaluation.report.context import ReportContext
from evaluation.report.frame import section_heading
from evaluation.tables import frame_to_html

MAIN_THEMES = 5
"""How many of the most frequently raised themes count as the main themes."""

QUOTES_PER_THEME = 2
"""Approved quotes shown per main theme."""

QUOTE_MAX_CHARS = 300
"""Longest quote shown, in characters."""



def _p_value(ctx: ReportContext, value: float) -> str:
    if value is None or pd.isna(value):
        return "–"
    if value < 0.001:
        return "< " + ctx.number(0.001, decimals=3)
    return ctx.number(value, decimals=3)


def interview_round(ctx: ReportContext, phase: str | None = None) -> str:
    """The interview round of a phase (the report's by default), in words, for a sentence.

    Named by the programme's name of the phase (:meth:`ReportContext.phase_name`) and its
    dates: the interviews after the previous phase's cut-off, up to the phase's own
    (:func:`evaluation.interviews.assign_rounds`).

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> ctx = ReportContext(load_data(phase="final"), pilot="stad", phase="final", lang="en")
    >>> interview_round(ctx)
    'the “Final evaluation” round (after 31 December 2022, up to 31 December 2024)'
    """
    phase = phase or ctx.phase
    cutoffs = ctx.programme.cutoffs
    previous = ctx.programme.previous_phase(phase)
    if previous is None:
        return ctx.t("interviews.round.first", phase=ctx.phase_name(phase),
                     cutoff=ctx.date(cutoffs[phase]))
    return ctx.t("interviews.round.later", phase=ctx.phase_name(phase),
                 previous=ctx.date(cutoffs[previous]), cutoff=ctx.date(cutoffs[phase]))


def interview_base(ctx: ReportContext, n: int, *, phase: str | None = None) -> str:
    """The sentence that names the base of interview numbers: the round and its interviews.

    ``n`` is shown as :meth:`ReportContext.count` shows it (hidden below the threshold).

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> ctx = ReportContext(load_data(phase="midterm"), pilot="stad", phase="midterm")
    >>> interview_base(ctx, 22)
    'Grunnlag: intervjuene i runden «Midtveisevaluering» (fram til 31. desember 2022), n = 22 intervjuer.'
    """
    return ctx.t("interviews.base", round=interview_round(ctx, phase), n=ctx.count(n))


def _with_base(ctx: ReportContext, caption: str, base: str) -> str:
    return ctx.t("interviews.caption_base", caption=caption, base=base)


@dataclass(frozen=True)
class _Scope:
    """The pilot's interviews up to the cut-off, and the report's own round of them.

    ``pooled`` is the round's interviews with the small groups pooled as decided once per pilot
    and round (:func:`evaluation.interviews.pool_rounds`); ``pooled_groups`` names them.
    """

    interviews: pd.DataFrame
    segments: pd.DataFrame
    round_interviews: pd.DataFrame
    round_segments: pd.DataFrame
    pooled: pd.DataFrame
    pooled_groups: tuple
    cutoff: object


def _scope(ctx: ReportContext) -> _Scope:
    data, pilot, programme = ctx.data, ctx.pilot, ctx.programme
    cutoff = programme.cutoffs[ctx.phase]
    interviews = data.interviews[data.interviews["pilot"] == pilot]
    interviews = interviews[pd.to_datetime(interviews["date"]) <= pd.Timestamp(cutoff)]
    if "round" not in interviews.columns:
        interviews = iv.assign_rounds(interviews, cutoffs=programme.cutoffs)
    interviews = interviews.reset_index(drop=True)
    segments = data.segments[data.segments["interview_id"].isin(set(interviews["interview_id"]))]
    pooled = iv.pool_rounds(interviews, threshold=ctx.threshold)
    in_round = (interviews["round"] == ctx.phase).to_numpy()
    round_interviews = interviews[in_round].reset_index(drop=True)
    round_segments = segments[segments["interview_id"].isin(set(round_interviews["interview_id"]))]
    return _Scope(interviews, segments.reset_index(drop=True), round_interviews,
                  round_segments.reset_index(drop=True), pooled[in_round].reset_index(drop=True),
                  pooled.attrs["pooled_groups"].get((pilot, ctx.phase), ()), cutoff)


def interviews_chapter(ctx: ReportContext) -> HtmlBlock:
    """The interview chapter of a pilot report, as HTML (without the ``<h2>``).

    Parameters
    ----------
    ctx : ReportContext
        The report's pilot, phase (a phase after the first adds the change since the round of
        the phase before), language and threshold. Every section but the change shows the
        interviews of the phase's round only (``round`` equal to the phase).

    Returns
    -------
    evaluation.html.HtmlBlock
        ``<h3>`` sections with short explanations: interviews by stakeholder group (table);
        themes by stakeholder group (heatmap with its data table); assessments per theme
        (table, one vote per interview: :func:`evaluation.interviews.assessment_balance`);
        co-occurrence of the :data:`MAIN_THEMES` most raised themes (table of counts and
        c-coefficients); approved quotes per main theme; in a phase after the first, the
        change in the share of interviews raising each theme since the previous round (table
        with Holm-adjusted p-values, :func:`evaluation.interviews.theme_change`). Every
        caption names its base (:func:`interview_base`); the change's names both rounds.
    """
    scope = _scope(ctx)
    interviews, segments = scope.round_interviews, scope.round_segments
    programme = ctx.programme
    names = dict(zip(programme.pilots["pilot"], programme.pilots["name"]))
    place = str(names.get(ctx.pilot, ctx.pilot))
    when = ctx.date(scope.cutoff)
    if interviews.empty:
        return html.paragraph(ctx.t("interviews.none", pilot=place, cutoff=when))
    if len(interviews) < ctx.threshold:
        return html.paragraph(ctx.t("interviews.too_few", pilot=place, cutoff=when,
                                    threshold=ctx.threshold))
    themes = programme.interview_themes
    theme_ids = list(themes["theme"])
    theme_labels = {row["theme"]: ctx.pick(row, "label") for row in themes.to_dict("records")}
    main = _main_themes(ctx, segments, interviews, theme_ids)
    base = interview_base(ctx, len(interviews))

    parts = [
        _groups_section(ctx, scope, place, when, base),
        _heatmap_section(ctx, segments, scope.pooled, theme_ids, theme_labels, place, base),
        _balance_section(ctx, segments, theme_ids, theme_labels, place, base),
    ]
    if len(main) >= 2:
        parts.append(_cooccurrence_section(ctx, segments, main, theme_labels, place, base))
    parts.append(_quotes_section(ctx, segments, interviews, main, theme_labels))
    if ctx.previous_phase is not None:
        parts.append(_change_section(ctx, scope.segments, scope.interviews, theme_ids,
                                     theme_labels, place))
    return html.join(*parts)


def _main_themes(ctx: ReportContext, segments, interviews, theme_ids) -> list[str]:
    """The :data:`MAIN_THEMES` themes raised in most interviews (and in at least one)."""
    overall = iv.code_frequencies(segments, interviews, by=None, level="theme",
                                  codebook=ctx.data.codebook, include=theme_ids,
                                  threshold=ctx.threshold)
    ranked = overall[~overall["suppressed"]].sort_values("interviews_coded", ascending=False,
                                                         kind="stable")
    return [m for m in ranked["theme"].tolist()
            if int(ranked.loc[ranked["theme"] == m, "interviews_coded"].iloc[0]) > 0][:MAIN_THEMES]


def _group_list(ctx: ReportContext, groups) -> str:
    return ", ".join(label_in_sentence(stakeholder_label(g, ctx.lang)) for g in groups)


def _groups_section(ctx: ReportContext, scope: _Scope, place, when, base) -> HtmlBlock:
    interviews = scope.round_interviews
    counts = iv.interview_counts(scope.pooled, by="stakeholder_group", threshold=ctx.threshold)
    mark = ctx.t("suppressed_mark")
    rows = []
    for record in counts.itertuples(index=False):
        rows.append({
            ctx.t("interviews.col.group"): stakeholder_label(record.stakeholder_group, ctx.lang),
            ctx.t("interviews.col.interviews"): mark if record.suppressed else ctx.number(
                record.interviews),
            ctx.t("interviews.col.informants"): mark if record.suppressed else ctx.number(
                record.informants),
        })
    total_interviews = len(interviews)
    total_informants = int(pd.to_numeric(interviews["informants"]).sum())
    rows.append({
        ctx.t("interviews.col.group"): ctx.t("interviews.total"),
        ctx.t("interviews.col.interviews"): ctx.number(total_interviews),
        ctx.t("interviews.col.informants"): ctx.number(total_informants),
    })
    parts = [
        section_heading(ctx, "interviews.heading.groups"),
        html.paragraph(ctx.t("interviews.groups.intro", cutoff=when,
                             interviews=ctx.number(total_interviews),
                             informants=ctx.number(total_informants), pilot=place)),
    ]
    pooled_groups = scope.pooled_groups
    if pooled_groups:
        parts.append(html.paragraph(ctx.t("interviews.groups.pooled", threshold=ctx.threshold,
                                          other=stakeholder_label("other", ctx.lang),
                                          groups=_group_list(ctx, pooled_groups))))
    parts.append(frame_to_html(pd.DataFrame(rows), caption=_with_base(
        ctx, ctx.t("interviews.groups.caption", place=place), base)))
    if counts["suppressed"].any():
        parts.append(html.paragraph(ctx.t("interviews.suppressed_note", threshold=ctx.threshold)))
    return html.join(*parts)


def _heatmap_section(ctx: ReportContext, segments, pooled, theme_ids, theme_labels,
                     place, base) -> HtmlBlock:
    frequencies = iv.code_frequencies(segments, pooled, by="stakeholder_group", level="theme",
                                      codebook=ctx.data.codebook, include=theme_ids, threshold=ctx.threshold)
    figure = theme_stakeholder_heatmap(frequencies, theme_labels=theme_labels, lang=ctx.lang,
                                       threshold=ctx.threshold, place=place)
    figure = dataclasses.replace(figure, caption=_with_base(ctx, figure.caption, base),
                                 table_caption=_with_base(ctx, figure.table_caption, base))
    parts = [section_heading(ctx, "interviews.heading.heatmap"),
             html.paragraph(ctx.t("interviews.heatmap.intro")), figure.to_html()]
    if frequencies["suppressed"].any():
        parts.append(html.paragraph(ctx.t("interviews.suppressed_note", threshold=ctx.threshold)))
    return html.join(*parts)


def _balance_section(ctx: ReportContext, segments, theme_ids, theme_labels, place,
                     base) -> HtmlBlock:
    balance = iv.assessment_balance(segments, codebook=ctx.data.codebook, include=theme_ids,
                                    threshold=ctx.threshold)
    rows = []
    for record in balance.itertuples(index=False):
        row = {ctx.t("interviews.col.theme"): theme_labels.get(record.theme, record.theme)}
        for assessment in iv.ASSESSMENTS:
            row[ctx.t(f"assessment.{assessment}")] = ctx.number(getattr(record, assessment))
        row[ctx.t("interviews.col.total")] = ctx.number(record.total)
        row[ctx.t("interviews.col.net_score")] = ctx.signed(record.net_score, decimals=2)
        rows.append(row)
    return html.join(
        section_heading(ctx, "interviews.heading.balance"),
        html.paragraph(ctx.t("interviews.balance.intro")),
        frame_to_html(pd.DataFrame(rows), caption=_with_base(
            ctx, ctx.t("interviews.balance.caption", place=place), base)),
    )


def _cooccurrence_section(ctx: ReportContext, segments, main, theme_labels, place,
                          base) -> HtmlBlock:
    pairs = iv.cooccurrence(segments, unit="interview", level="theme", codebook=ctx.data.codebook,
                            include=main)
    header = ctx.t("interviews.col.theme")
    rows = []
    for a in main:
        row = {header: theme_labels.get(a, a)}
        for b in main:
            cell = pairs[(pairs["theme_a"] == a) & (pairs["theme_b"] == b)].iloc[0]
            if a == b:
                row[theme_labels.get(b, b)] = ctx.number(cell["n_ab"])
            else:
                row[theme_labels.get(b, b)] = ctx.t(
                    "interviews.cooccurrence.cell", count=ctx.number(cell["n_ab"]),
                    c=ctx.number(cell["c_coefficient"], decimals=2))
        rows.append(row)
    return html.join(
        section_heading(ctx, "interviews.heading.cooccurrence"),
        html.paragraph(ctx.t("interviews.cooccurrence.intro", k=len(main))),
        frame_to_html(pd.DataFrame(rows), numeric_columns=tuple(theme_labels.get(b, b) for b in main),
                      caption=_with_base(ctx, ctx.t("interviews.cooccurrence.caption",
                                                    place=place), base)),
    )


def _quotes_section(ctx: ReportContext, segments, interviews, main, theme_labels) -> HtmlBlock:
    unnamed = ctx.t("interviews.quotes.unnamed")
    parts = [section_heading(ctx, "interviews.heading.quotes"),
             html.paragraph(ctx.t("interviews.quotes.intro", threshold=ctx.threshold,
                                  unnamed=unnamed))]
    quotes = iv.select_quotes(segments, interviews=interviews, theme=main, codebook=ctx.data.codebook,
                              max_chars=QUOTE_MAX_CHARS, max_per_theme=QUOTES_PER_THEME,
                              threshold=ctx.threshold) if main else pd.DataFrame()
    if quotes.empty:
        parts.append(html.paragraph(ctx.t("interviews.quotes.none")))
        return html.join(*parts)
    for theme in main:
        chosen = quotes[quotes["theme"] == theme]
        if chosen.empty:
            continue
        parts.append(html.heading(theme_labels.get(theme, theme), key=None, level=4))
        for record in chosen.itertuples(index=False):
            group = record.stakeholder_group
            who = stakeholder_label(group, ctx.lang) if isinstance(group, str) and group else unnamed
            who = who[0].upper() + who[1:] if who else who
            parts.append(html.quote(
                record.quote, attribution=ctx.t("interviews.quotes.attribution", group=who)))
    return html.join(*parts)


def _change_section(ctx: ReportContext, segments, interviews, theme_ids, theme_labels,
                    place) -> HtmlBlock:
    """The change since the previous round: the chapter's one labelled comparison of rounds."""
    earlier, later = interview_round(ctx, ctx.previous_phase), interview_round(ctx)
    parts = [section_heading(ctx, "interviews.heading.change")]
    try:
        change = iv.theme_change(segments, interviews, by="pilot", codebook=ctx.data.codebook,
                                 include=theme_ids, rounds=(ctx.previous_phase, ctx.phase),
                                 threshold=ctx.threshold)
    except InsufficientDataError:
        change = None
    if change is None or change.empty or change["suppressed"].all():
        parts.append(html.paragraph(ctx.t("interviews.change.unavailable", earlier=earlier,
                                          threshold=ctx.threshold)))
        return html.join(*parts)
    first = change.iloc[0]
    n_from, n_to = ctx.number(first["n_from"]), ctx.number(first["n_to"])
    parts.append(html.paragraph(ctx.t("interviews.change.intro", earlier=earlier, later=later,
                                      n_from=n_from, n_to=n_to)))
    rows = []
    for record in change.itertuples(index=False):
        rows.append({
            ctx.t("interviews.col.theme"): theme_labels.get(record.theme, record.theme),
            ctx.t("interviews.col.share_in", phase=ctx.phase_name(ctx.previous_phase)):
                ctx.percent(record.share_from),
            ctx.t("interviews.col.share_in", phase=ctx.phase_name()): ctx.percent(record.share_to),
            ctx.t("interviews.col.change"): ctx.signed(
                None if pd.isna(record.change) else float(record.change) * 100, decimals=0),
            ctx.t("interviews.col.p_value_holm"): _p_value(ctx, record.p_value_adjusted),
        })
    comparison = ctx.t("interviews.base_comparison", earlier=earlier, later=later,
                       n_from=n_from, n_to=n_to)
    parts.append(frame_to_html(pd.DataFrame(rows), caption=_with_base(
        ctx, ctx.t("interviews.change.caption", place=place), comparison)))
    return html.join(*parts)


__all__ = ["MAIN_THEMES", "QUOTES_PER_THEME", "interview_base", "interview_round",
           "interviews_chapter"]
