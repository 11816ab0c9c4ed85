"""The interview chapter of a pilot report.

:func:`interviews_chapter` gives the chapter body (the lead writes the ``<h2>``): the interviews
by stakeholder group; a theme x stakeholder group heatmap with annotated counts; the assessment
balance per theme; the co-occurrence of the main themes; a few approved quotes per main theme;
and, in the final report, the change since the midterm round.

Privacy: stakeholder groups with fewer interviews than the programme's anonymity threshold are
pooled as "other groups" (:func:`evaluation.interviews.pool_small_groups`) before anything is
counted by group, and every count by group still passes through the suppression of
:mod:`evaluation.privacy`. If the pilot has fewer interviews than the threshold altogether,
the chapter shows only a note. Quotes are approved ones, attributed by group only where the
group is large enough.
"""

from __future__ import annotations

import html

import pandas as pd

from evaluation import interviews as iv
from evaluation.errors import InsufficientDataError
from evaluation.i18n import check_language, format_date, format_number, format_percent, pick, t
from evaluation.plots.heatmap import label_in_sentence, stakeholder_label, theme_stakeholder_heatmap
from evaluation.tables import HtmlBlock, frame_to_html, section_heading

MAIN_THEMES = 5
"""How many of the most frequently raised themes count as the main themes."""

QUOTES_PER_THEME = 2
"""Approved quotes shown per main theme."""

QUOTE_MAX_CHARS = 300
"""Longest quote shown, in characters."""


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _heading(key: str, lang: str) -> str:
    return section_heading(t(key, lang), key=key)


def _signed(value, lang: str, decimals: int) -> str:
    """A number with its sign: "+0,25", "−0,10", "0" (no sign when it rounds to zero)."""
    if value is None or pd.isna(value):
        return "–"
    text = format_number(value, lang, decimals=decimals)
    return "+" + text if round(float(value), decimals) > 0 else text


def _p_value(value: float, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    if value < 0.001:
        return "< " + format_number(0.001, lang, decimals=3)
    return format_number(value, lang, decimals=3)


def _scope(data, pilot: str, phase: str):
    programme = data.programme
    if pilot not in programme.pilot_ids:
        raise ValueError(f"unknown pilot {pilot!r}; expected one of {', '.join(programme.pilot_ids)}")
    if phase not in programme.cutoffs:
        raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(programme.cutoffs)}")
    cutoff = programme.cutoffs[phase]
    interviews = data.interviews[data.interviews["pilot"] == pilot]
    interviews = interviews[pd.to_datetime(interviews["date"]) <= pd.Timestamp(cutoff)]
    if "round" not in interviews.columns:
        interviews = iv.assign_rounds(interviews, cutoffs=programme.cutoffs)
    interviews = interviews.reset_index(drop=True)
    segments = data.segments[data.segments["interview_id"].isin(set(interviews["interview_id"]))]
    return interviews, segments.reset_index(drop=True), cutoff


def interviews_chapter(data, *, pilot: str, phase: str, lang: str = "nb") -> HtmlBlock:
    """The interview chapter of a pilot report, as HTML (without the ``<h2>``).

    Parameters
    ----------
    data : evaluation.contract.EvaluationData
        ``load_data(data_dir, phase=phase)``; interviews after the phase's cut-off are left out
        here too.
    pilot : str
        Pilot id.
    phase : str
        Phase id; ``"final"`` adds the change since the midterm round.
    lang : {"nb", "en"}
        Report language.

    Returns
    -------
    evaluation.tables.HtmlBlock
        ``<h3>`` sections with short explanations: interviews by stakeholder group (table);
        themes by stakeholder group (heatmap with its data table); assessments per theme
        (table); co-occurrence of the :data:`MAIN_THEMES` most raised themes (table of counts
        and c-coefficients); approved quotes per main theme; in the final phase, the change in
        the share of interviews raising each theme since the midterm round (table).

    Raises
    ------
    ValueError
        For an unknown pilot or phase.
    """
    check_language(lang)
    interviews, segments, cutoff = _scope(data, pilot, phase)
    programme = data.programme
    threshold = int(programme.anonymity_threshold)
    names = dict(zip(programme.pilots["pilot"], programme.pilots["name"]))
    place = str(names.get(pilot, pilot))
    when = format_date(cutoff, lang)
    if interviews.empty:
        return HtmlBlock(_paragraph(t("interviews.none", lang, pilot=place, cutoff=when)))
    if len(interviews) < threshold:
        return HtmlBlock(_paragraph(t("interviews.too_few", lang, pilot=place, cutoff=when,
                                      threshold=threshold)))
    themes = programme.interview_themes
    theme_ids = list(themes["theme"])
    theme_labels = {row["theme"]: pick(row, "label", lang) for row in themes.to_dict("records")}
    codebook = data.codebook
    pooled = iv.pool_small_groups(interviews, threshold=threshold)

    overall = iv.code_frequencies(segments, interviews, by=None, level="theme",
                                  codebook=codebook, include=theme_ids, threshold=threshold)
    ranked = overall[~overall["suppressed"]].sort_values("interviews_coded", ascending=False,
                                                         kind="stable")
    main = [m for m in ranked["theme"].tolist()
            if int(ranked.loc[ranked["theme"] == m, "interviews_coded"].iloc[0]) > 0][:MAIN_THEMES]

    parts = [
        _groups_section(interviews, pooled, place, when, threshold, lang),
        _heatmap_section(segments, pooled, codebook, theme_ids, theme_labels, place, threshold, lang),
        _balance_section(segments, codebook, theme_ids, theme_labels, place, threshold, lang),
    ]
    if len(main) >= 2:
        parts.append(_cooccurrence_section(segments, codebook, main, theme_labels, place, lang))
    parts.append(_quotes_section(segments, interviews, codebook, main, theme_labels, threshold, lang))
    if phase == "final":
        parts.append(_change_section(segments, interviews, codebook, theme_ids, theme_labels,
                                     place, threshold, lang))
    return HtmlBlock("".join(parts))


def _group_list(groups, lang: str) -> str:
    return ", ".join(label_in_sentence(stakeholder_label(g, lang)) for g in groups)


def _groups_section(interviews, pooled, place, when, threshold, lang) -> str:
    counts = iv.interview_counts(pooled, by="stakeholder_group", threshold=threshold)
    mark = t("suppressed_mark", lang)
    rows = []
    for record in counts.itertuples(index=False):
        rows.append({
            t("interviews.col.group", lang): stakeholder_label(record.stakeholder_group, lang),
            t("interviews.col.interviews", lang): mark if record.suppressed else format_number(
                record.interviews, lang),
            t("interviews.col.informants", lang): mark if record.suppressed else format_number(
                record.informants, lang),
        })
    total_interviews = len(interviews)
    total_informants = int(pd.to_numeric(interviews["informants"]).sum())
    rows.append({
        t("interviews.col.group", lang): t("interviews.total", lang),
        t("interviews.col.interviews", lang): format_number(total_interviews, lang),
        t("interviews.col.informants", lang): format_number(total_informants, lang),
    })
    parts = [
        _heading("interviews.heading.groups", lang),
        _paragraph(t("interviews.groups.intro", lang, cutoff=when,
                     interviews=format_number(total_interviews, lang),
                     informants=format_number(total_informants, lang), pilot=place)),
    ]
    pooled_groups = pooled.attrs.get("pooled_groups", ())
    if pooled_groups:
        parts.append(_paragraph(t("interviews.groups.pooled", lang, threshold=threshold,
                                  other=stakeholder_label("other", lang),
                                  groups=_group_list(pooled_groups, lang))))
    parts.append(frame_to_html(pd.DataFrame(rows),
                               caption=t("interviews.groups.caption", lang, place=place)))
    if counts["suppressed"].any():
        parts.append(_paragraph(t("interviews.suppressed_note", lang, threshold=threshold)))
    return "".join(parts)


def _heatmap_section(segments, pooled, codebook, theme_ids, theme_labels, place, threshold,
                     lang) -> str:
    frequencies = iv.code_frequencies(segments, pooled, by="stakeholder_group", level="theme",
                                      codebook=codebook, include=theme_ids, threshold=threshold)
    figure = theme_stakeholder_heatmap(frequencies, theme_labels=theme_labels, lang=lang,
                                       threshold=threshold, place=place)
    parts = [_heading("interviews.heading.heatmap", lang),
             _paragraph(t("interviews.heatmap.intro", lang)), figure.to_html()]
    if frequencies["suppressed"].any():
        parts.append(_paragraph(t("interviews.suppressed_note", lang, threshold=threshold)))
    return "".join(parts)


def _balance_section(segments, codebook, theme_ids, theme_labels, place, threshold, lang) -> str:
    balance = iv.assessment_balance(segments, codebook=codebook, include=theme_ids,
                                    threshold=threshold)
    rows = []
    for record in balance.itertuples(index=False):
        row = {t("interviews.col.theme", lang): theme_labels.get(record.theme, record.theme)}
        for assessment in iv.ASSESSMENTS:
            row[t(f"assessment.{assessment}", lang)] = format_number(getattr(record, assessment), lang)
        row[t("interviews.col.total", lang)] = format_number(record.total, lang)
        row[t("interviews.col.net_score", lang)] = _signed(record.net_score, lang, 2)
        rows.append(row)
    return "".join([
        _heading("interviews.heading.balance", lang),
        _paragraph(t("interviews.balance.intro", lang)),
        frame_to_html(pd.DataFrame(rows), caption=t("interviews.balance.caption", lang, place=place)),
    ])


def _cooccurrence_section(segments, codebook, main, theme_labels, place, lang) -> str:
    pairs = iv.cooccurrence(segments, unit="interview", level="theme", codebook=codebook,
                            include=main)
    header = t("interviews.col.theme", lang)
    rows = []
    for a in main:
        row = {header: theme_labels.get(a, a)}
        for b in main:
            cell = pairs[(pairs["theme_a"] == a) & (pairs["theme_b"] == b)].iloc[0]
            if a == b:
                row[theme_labels.get(b, b)] = format_number(cell["n_ab"], lang)
            else:
                row[theme_labels.get(b, b)] = t(
                    "interviews.cooccurrence.cell", lang, count=format_number(cell["n_ab"], lang),
                    c=format_number(cell["c_coefficient"], lang, decimals=2))
        rows.append(row)
    return "".join([
        _heading("interviews.heading.cooccurrence", lang),
        _paragraph(t("interviews.cooccurrence.intro", lang, k=len(main))),
        frame_to_html(pd.DataFrame(rows), numeric_columns=tuple(theme_labels.get(b, b) for b in main),
                      caption=t("interviews.cooccurrence.caption", lang, place=place)),
    ])


def _quotes_section(segments, interviews, codebook, main, theme_labels, threshold, lang) -> str:
    unnamed = t("interviews.quotes.unnamed", lang)
    parts = [_heading("interviews.heading.quotes", lang),
             _paragraph(t("interviews.quotes.intro", lang, threshold=threshold, unnamed=unnamed))]
    quotes = iv.select_quotes(segments, interviews=interviews, theme=main, codebook=codebook,
                              max_chars=QUOTE_MAX_CHARS, max_per_theme=QUOTES_PER_THEME,
                              threshold=threshold) if main else pd.DataFrame()
    if quotes.empty:
        parts.append(_paragraph(t("interviews.quotes.none", lang)))
        return "".join(parts)
    for theme in main:
        chosen = quotes[quotes["theme"] == theme]
        if chosen.empty:
            continue
        parts.append(f"<h4>{html.escape(theme_labels.get(theme, theme))}</h4>")
        for record in chosen.itertuples(index=False):
            group = record.stakeholder_group
            who = stakeholder_label(group, lang) if isinstance(group, str) and group else unnamed
            who = who[0].upper() + who[1:] if who else who
            parts.append(
                '<figure class="quote"><blockquote><p>'
                f"{record.quote_html}</p></blockquote>"
                f"<figcaption>{html.escape(t('interviews.quotes.attribution', lang, group=who))}"
                "</figcaption></figure>"
            )
    return "".join(parts)


def _change_section(segments, interviews, codebook, theme_ids, theme_labels, place, threshold,
                    lang) -> str:
    parts = [_heading("interviews.heading.change", lang)]
    try:
        change = iv.theme_change(segments, interviews, by="pilot", codebook=codebook,
                                 include=theme_ids, threshold=threshold)
    except InsufficientDataError:
        change = None
    if change is None or change.empty or change["suppressed"].all():
        parts.append(_paragraph(t("interviews.change.unavailable", lang, threshold=threshold)))
        return "".join(parts)
    first = change.iloc[0]
    parts.append(_paragraph(t("interviews.change.intro", lang,
                              n_midterm=format_number(first["n_midterm"], lang),
                              n_final=format_number(first["n_final"], lang))))
    rows = []
    for record in change.itertuples(index=False):
        rows.append({
            t("interviews.col.theme", lang): theme_labels.get(record.theme, record.theme),
            t("interviews.col.share_midterm", lang): format_percent(record.share_midterm, lang),
            t("interviews.col.share_final", lang): format_percent(record.share_final, lang),
            t("interviews.col.change", lang): _signed(
                None if pd.isna(record.change) else float(record.change) * 100, lang, 0),
            t("interviews.col.p_value", lang): _p_value(record.p_value, lang),
        })
    parts.append(frame_to_html(pd.DataFrame(rows),
                               caption=t("interviews.change.caption", lang, place=place)))
    return "".join(parts)


__all__ = ["MAIN_THEMES", "QUOTES_PER_THEME", "interviews_chapter"]
