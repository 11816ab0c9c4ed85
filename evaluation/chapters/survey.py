"""The survey chapter of a pilot report.

:func:`survey_chapter` gives the chapter body as HTML (the report writes the ``<h2>``): response
rates per wave and agency, the index trends with their tests (:func:`evaluation.survey.compare_waves`),
the distribution of answers to every statement (diverging Likert bars with their tables), and
the reliability of each index (Cronbach's alpha with Feldt interval, the statements whose
removal would raise it). In the final phase it adds the change since the midterm wave. Every
table and chart is built from suppressed frames: groups below the programme's anonymity
threshold are shown as «færre enn N svar», never as numbers, and each section says how many
figures it hides.
"""

from __future__ import annotations

import html

import pandas as pd

from evaluation import survey
from evaluation.i18n import check_language, format_number, format_percent, pick, t
from evaluation.plots.likert import index_trend_chart, likert_chart
from evaluation.tables import HtmlBlock, frame_to_html, section_heading


def _p(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _h3(key: str, lang: str) -> str:
    return section_heading(t(key, lang), key=key)


def _note(count: int, threshold: int, lang: str) -> str:
    if not count:
        return ""
    return ('<p class="suppression-note">'
            f"{html.escape(t('survey.hidden_note', lang, count=count, threshold=threshold))}</p>")


def _format_p(value: float, lang: str) -> str:
    if pd.isna(value):
        return "–"
    if value < 0.001:
        return t("survey.p_below", lang, value=format_number(0.001, lang, decimals=3))
    return format_number(value, lang, decimals=3)


class _Labels:
    """Reader-facing names of waves, agencies, indices and items for one pilot and language."""

    def __init__(self, data, pilot: str, lang: str):
        programme = data.programme
        self.lang = lang
        self.roles = dict(zip(programme.waves["wave"], programme.waves["role"]))
        agencies = programme.agencies[programme.agencies["pilot"] == pilot]
        self.agencies = {row["agency"]: pick(row, "name", lang) for _, row in agencies.iterrows()}
        self.indices = {row["index"]: pick(row, "label", lang)
                        for _, row in programme.survey_indices.iterrows()}
        self.items = {row["item_id"]: pick(row, "text", lang) for _, row in data.items.iterrows()}

    def wave(self, wave) -> str:
        role = self.roles.get(wave)
        if role is None:
            return str(wave)
        return t("survey.wave_label", self.lang, role=t(f"wave.{role}", self.lang), wave=wave)

    def agency(self, agency) -> str:
        return self.agencies.get(agency, str(agency))

    def index(self, index) -> str:
        return self.indices.get(index, str(index))


def _response_section(population, responses, labels: _Labels, pilot_name: str, threshold: int,
                      lang: str) -> str:
    by_agency = survey.response_rates(population, responses, by=("wave", "agency"),
                                      threshold=threshold)
    totals = survey.response_rates(population, responses, by=("wave",), threshold=threshold,
                                   within=("wave",))
    note = t("suppressed_note", lang, threshold=threshold)
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
                t("survey.total", lang) if is_total else labels.agency(row.agency),
                format_number(row.invited, lang),
                note if row.suppressed else format_number(row.responded, lang),
                "–" if row.suppressed else format_percent(row.rate, lang),
            ])
    table = pd.DataFrame(rows, columns=[
        t("survey.col.wave", lang), t("survey.col.agency", lang), t("survey.col.invited", lang),
        t("survey.col.responded", lang), t("survey.col.rate", lang),
    ])
    return "".join([
        _h3("survey.h.response", lang),
        _p(t("survey.response.intro", lang)),
        frame_to_html(table, caption=t("survey.response.caption", lang, pilot=pilot_name)),
        _note(hidden, threshold, lang),
    ])


def _comparison_table(rows: pd.DataFrame, labels: _Labels, threshold: int, lang: str,
                      with_agency: bool) -> tuple[pd.DataFrame, int]:
    note = t("suppressed_note", lang, threshold=threshold)
    out, hidden = [], 0
    collapsed = set()
    if with_agency:
        # an agency hidden for every index of a comparison takes one row, not one per index
        hidden_all = rows.groupby(["agency", "from_wave", "to_wave"])["suppressed"].transform("all")
    for position, row in enumerate(rows.itertuples(index=False)):
        comparison = t("survey.comparison", lang, before=labels.wave(row.from_wave),
                       after=labels.wave(row.to_wave))
        lead = [labels.agency(row.agency)] if with_agency else []
        if row.suppressed or pd.isna(row.mean_from):
            hidden += 1
            if with_agency and hidden_all.iloc[position]:
                key = (row.agency, row.from_wave, row.to_wave)
                if key in collapsed:
                    continue
                collapsed.add(key)
                out.append([*lead, t("survey.all_indices", lang), comparison, note, "–", "–",
                            "–", "–"])
                continue
            out.append([*lead, labels.index(row.index), comparison, note, "–", "–", "–", "–"])
            continue
        interval = t("survey.interval", lang,
                     low=format_number(row.ci_low, lang, decimals=2),
                     high=format_number(row.ci_high, lang, decimals=2))
        out.append([
            *lead,
            labels.index(row.index),
            comparison,
            f"{format_number(row.n_from, lang)} / {format_number(row.n_to, lang)}",
            f"{format_number(row.mean_from, lang, decimals=2)} / "
            f"{format_number(row.mean_to, lang, decimals=2)}",
            f"{format_number(row.difference, lang, decimals=2)} ({interval})",
            format_number(row.effect_size, lang, decimals=2),
            _format_p(row.p_value_adjusted, lang),
        ])
    columns = [t("survey.col.index", lang), t("survey.col.comparison", lang),
               t("survey.col.n_pair", lang), t("survey.col.mean_pair", lang),
               t("survey.col.difference", lang), t("survey.col.effect_size", lang),
               t("survey.col.p_holm", lang)]
    if with_agency:
        columns = [t("survey.col.agency", lang), *columns]
    return pd.DataFrame(out, columns=columns), hidden


def _trend_section(responses, data, labels: _Labels, comparisons: pd.DataFrame, pilot_name: str,
                   threshold: int, lang: str) -> str:
    summary = survey.index_summary(responses, data.items, by=["wave"], within=["wave"],
                                   threshold=threshold)
    figure = index_trend_chart(
        summary, group_labels=labels.indices, wave_labels={w: labels.wave(w) for w in summary["wave"]},
        lang=lang, caption=t("survey.trends.caption", lang, pilot=pilot_name), threshold=threshold,
        table_caption=t("survey.trends.data_caption", lang, pilot=pilot_name),
    )
    parts = [_h3("survey.h.trends", lang), _p(t("survey.trends.intro", lang)), figure.to_html()]
    hidden = int(summary["suppressed"].sum())
    main = comparisons[comparisons["from_role"] == "baseline"]
    if main.empty:
        parts.append(_p(t("survey.trends.none", lang)))
    else:
        pilot_rows = main[main["level"] == "pilot"]
        table, count = _comparison_table(pilot_rows, labels, threshold, lang, with_agency=False)
        hidden += count
        parts.append(frame_to_html(table, caption=t("survey.trends.table_caption", lang,
                                                    pilot=pilot_name)))
        agency_rows = main[main["level"] == "agency"]
        if len(agency_rows):
            table, count = _comparison_table(agency_rows, labels, threshold, lang, with_agency=True)
            hidden += count
            parts.append(_p(t("survey.trends.agency_intro", lang, threshold=threshold)))
            parts.append(frame_to_html(table, caption=t("survey.trends.agency_caption", lang,
                                                        pilot=pilot_name)))
    parts.append(_note(hidden, threshold, lang))
    return "".join(parts)


def _change_section(comparisons: pd.DataFrame, labels: _Labels, pilot_name: str, threshold: int,
                    lang: str) -> str:
    rows = comparisons[(comparisons["from_role"] == "midterm") & (comparisons["to_role"] == "final")]
    parts = [_h3("survey.h.change_since_midterm", lang)]
    if rows.empty:
        parts.append(_p(t("survey.change.none", lang)))
        return "".join(parts)
    parts.append(_p(t("survey.change.intro", lang)))
    hidden = 0
    for level, with_agency in (("pilot", False), ("agency", True)):
        part = rows[rows["level"] == level]
        if part.empty:
            continue
        table, count = _comparison_table(part, labels, threshold, lang, with_agency=with_agency)
        hidden += count
        parts.append(frame_to_html(table, caption=t("survey.change.caption", lang, pilot=pilot_name)))
    parts.append(_note(hidden, threshold, lang))
    return "".join(parts)


def _items_section(wave_responses, data, labels: _Labels, wave_text: str, pilot_name: str,
                   threshold: int, lang: str) -> str:
    parts = [_h3("survey.h.items", lang), _p(t("survey.items.intro", lang, wave=wave_text))]
    hidden = 0
    items = data.items
    for index in dict.fromkeys(items["index"]):
        index_items = items[items["index"] == index]
        distribution = survey.likert_distribution(
            wave_responses, index_items, scales=data.scales, lang=lang, threshold=threshold,
        )
        hidden += int(distribution.drop_duplicates("item")["suppressed"].sum())
        figure = likert_chart(
            distribution, bar_labels=labels.items, lang=lang, threshold=threshold,
            caption=t("survey.items.caption", lang, index=labels.index(index), pilot=pilot_name,
                      wave=wave_text),
            table_caption=t("survey.items.table_caption", lang, index=labels.index(index)),
        )
        parts.append(figure.to_html())
    parts.append(_note(hidden, threshold, lang))
    return "".join(parts)


def _reliability_section(wave_responses, data, labels: _Labels, wave_text: str, pilot_name: str,
                         threshold: int, lang: str) -> str:
    table = survey.index_reliability(wave_responses, data.items, threshold=threshold)
    note = t("suppressed_note", lang, threshold=threshold)
    rows, hidden = [], 0
    for row in table.indices.itertuples(index=False):
        if row.suppressed:
            hidden += 1
            rows.append([labels.index(row.index), note, format_number(row.k, lang), "–", "–", "–"])
            continue
        raising = table.items[(table.items["index"] == row.index)
                              & table.items["raises_alpha"].fillna(False).astype(bool)]
        names = "; ".join(f"{item} {labels.items.get(item, '')}".strip() for item in raising["item"])
        interval = "–" if pd.isna(row.ci_low) else t(
            "survey.interval", lang, low=format_number(row.ci_low, lang, decimals=2),
            high=format_number(row.ci_high, lang, decimals=2))
        rows.append([
            labels.index(row.index),
            format_number(row.n, lang),
            format_number(row.k, lang),
            format_number(row.alpha, lang, decimals=2),
            interval,
            names or t("survey.none", lang),
        ])
    frame = pd.DataFrame(rows, columns=[
        t("survey.col.index", lang), t("survey.col.n", lang), t("survey.col.k", lang),
        t("survey.col.alpha", lang), t("survey.col.alpha_ci", lang),
        t("survey.col.items_raising", lang),
    ])
    return "".join([
        _h3("survey.h.reliability", lang),
        _p(t("survey.reliability.intro", lang)),
        frame_to_html(frame, caption=t("survey.reliability.caption", lang, pilot=pilot_name,
                                       wave=wave_text)),
        _note(hidden, threshold, lang),
    ])


def survey_chapter(data, *, pilot: str, phase: str, lang: str = "nb") -> HtmlBlock:
    """The survey chapter of a pilot report, as HTML (without the ``<h2>``).

    Parameters
    ----------
    data : evaluation.contract.EvaluationData
        ``load_data(data_dir, phase=phase)``: responses already cut off at the phase's date.
    pilot : str
        Pilot id.
    phase : str
        Phase id (``midterm`` or ``final``); ``final`` adds the change since the midterm wave.
    lang : {"nb", "en"}
        Report language.

    Returns
    -------
    evaluation.tables.HtmlBlock
        ``<h3>`` sections: response rates; index trends (chart, tests per pilot and per
        agency); in the final phase the change since midterm; the distribution of answers per
        index (diverging bars with data tables) in the phase's wave; and the reliability of
        every index in that wave. Suppressed groups appear as «færre enn N svar», with a note
        per section.

    Raises
    ------
    ValueError
        For an unknown pilot or phase.

    Notes
    -----
    The phase's wave is the wave whose role is the phase (``midterm``/``final``) if it has
    responses, otherwise the latest wave with responses. All p-values of the chapter form one
    Holm family (one call to :func:`evaluation.survey.compare_waves`).
    """
    check_language(lang)
    programme = data.programme
    if pilot not in programme.pilot_ids:
        raise ValueError(f"unknown pilot {pilot!r}; expected one of {', '.join(programme.pilot_ids)}")
    if phase not in programme.phases:
        raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(programme.phases)}")
    threshold = int(programme.anonymity_threshold)
    pilot_name = programme.pilot_name(pilot)
    labels = _Labels(data, pilot, lang)
    responses = data.for_pilot("responses", pilot)
    parts = [_p(t("survey.intro", lang, threshold=threshold))]
    if responses.empty:
        parts.append(_p(t("survey.no_data", lang, pilot=pilot_name)))
        return HtmlBlock("".join(parts))

    population = data.for_pilot("population", pilot)
    if data.cutoff is not None:  # waves are years; a wave after the cut-off is not reported yet
        population = population[population["wave"] <= data.cutoff.year]
    parts.append(_response_section(population, responses, labels, pilot_name, threshold, lang))

    comparisons = survey.compare_waves(responses, data.items, programme.waves, threshold=threshold)
    parts.append(_trend_section(responses, data, labels, comparisons, pilot_name, threshold, lang))
    if phase == "final":
        parts.append(_change_section(comparisons, labels, pilot_name, threshold, lang))

    phase_waves = [w for w, role in labels.roles.items() if role == phase
                   and (responses["wave"] == w).any()]
    wave = phase_waves[0] if phase_waves else max(responses["wave"])
    wave_responses = responses[responses["wave"] == wave]
    wave_text = labels.wave(wave)
    parts.append(_items_section(wave_responses, data, labels, wave_text, pilot_name, threshold,
                                lang))
    parts.append(_reliability_section(wave_responses, data, labels, wave_text, pilot_name,
                                      threshold, lang))
    return HtmlBlock("".join(parts))


__all__ = ["survey_chapter"]
