"""The report's frame: title, chapters about the pilot, data and method, and provenance.

A notebook opens a report with :func:`open_report` and displays what the functions here and in
:mod:`evaluation.chapters` return. Everything a reader sees is built here, in the package, from
the translation table, so the notebooks stay thin and the same in both languages.
"""

from __future__ import annotations

import datetime as dt
import html
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd

from evaluation.contract import DEMO_DATA_DIR, EvaluationData, load_data
from evaluation.errors import EvaluationError
from evaluation.files import file_sha256
from evaluation.i18n import check_language, format_date, format_number, format_percent, pick, t
from evaluation.tables import HtmlBlock, anchor_id, frame_to_html

PACKAGES_IN_PROVENANCE = ("pandas", "numpy", "scipy", "matplotlib", "papermill", "nbconvert", "pyyaml")


@dataclass(frozen=True)
class ReportContext:
    """What a report is about: the data, the pilot (or ``None`` for the synthesis), phase, language.

    Attributes
    ----------
    data : EvaluationData
        The data, cut to the phase.
    pilot : str or None
        Pilot id, or ``None`` for the cross-pilot synthesis.
    phase : str
        Phase id.
    lang : str
        ``nb`` or ``en``.
    parameters : dict
        The notebook's parameters, for the provenance appendix.
    started : datetime
        When the report run started (UTC), for the provenance appendix.
    """

    data: EvaluationData = field(repr=False)
    pilot: str | None
    phase: str
    lang: str
    parameters: dict = field(default_factory=dict)
    started: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))

    @property
    def programme(self):
        """The programme configuration."""
        return self.data.programme

    @property
    def pilot_name(self) -> str:
        """The pilot's display name (or the programme's for the synthesis)."""
        if self.pilot is None:
            return self.programme.name_nb if self.lang == "nb" else self.programme.name_en
        return self.programme.pilot_name(self.pilot)

    @property
    def threshold(self) -> int:
        """The anonymity threshold."""
        return self.programme.anonymity_threshold


def open_report(
    data_dir: str | Path | None = None, *, pilot: str | None, phase: str, lang: str = "nb"
) -> ReportContext:
    """Validate and load the data for one report.

    Parameters
    ----------
    data_dir : str or Path, optional
        Data folder; the bundled demo data when ``None`` or empty.
    pilot : str or None
        Pilot id; ``None`` (or ``"all"``) for the synthesis report.
    phase : str
        ``midterm`` or ``final`` (a phase of ``programme.yaml``).
    lang : {"nb", "en"}
        Language of the report.

    Raises
    ------
    DataContractError
        If the data break the contract.
    EvaluationError
        If the pilot or language is unknown.
    """
    check_language(lang)
    data = load_data(data_dir or DEMO_DATA_DIR, phase=phase)
    if pilot in ("", "all"):
        pilot = None
    if pilot is not None and pilot not in data.programme.pilot_ids:
        raise EvaluationError(
            f"unknown pilot {pilot!r}; expected one of {', '.join(data.programme.pilot_ids)}"
        )
    parameters = {"pilot": pilot or "all", "phase": phase, "lang": lang,
                  "data_dir": str(Path(data_dir or DEMO_DATA_DIR))}
    return ReportContext(data=data, pilot=pilot, phase=phase, lang=lang, parameters=parameters)


def chapter(ctx: ReportContext, key: str) -> HtmlBlock:
    """The ``<h2>`` heading of a chapter, with an anchor for the table of contents."""
    return HtmlBlock(f'<h2 id="{anchor_id(key)}">{html.escape(t("chapter." + key, ctx.lang))}</h2>')


def title_block(ctx: ReportContext) -> HtmlBlock:
    """The report's title (``<h1>``) and a line with phase, cut-off date and programme."""
    cutoff = format_date(ctx.data.cutoff, ctx.lang)
    phase_name = t(f"phase.{ctx.phase}", ctx.lang)
    if ctx.pilot is None:
        title = t("title.synthesis", ctx.lang, phase=phase_name)
    else:
        title = t("title.pilot", ctx.lang, phase=phase_name, pilot=ctx.pilot_name)
    subtitle = t("title.subtitle", ctx.lang, programme=t("programme_name", ctx.lang), cutoff=cutoff)
    return HtmlBlock(
        f'<h1 id="top">{html.escape(title)}</h1>'
        f'<p class="subtitle">{html.escape(subtitle)}</p>'
    )


def about_pilot(ctx: ReportContext) -> HtmlBlock:
    """The pilot's municipality, agencies and sub-goals with their national goals."""
    programme, lang = ctx.programme, ctx.lang
    pilot_row = programme.pilots.set_index("pilot").loc[ctx.pilot]
    agencies = programme.agencies[programme.agencies["pilot"] == ctx.pilot]
    agency_names = [pick(row, "name", lang) for row in agencies.to_dict("records")]
    parts = [
        f"<p>{html.escape(t('about.intro', lang, pilot=ctx.pilot_name, number=pilot_row['municipality_number'], count=len(agency_names)))}</p>",
        f"<h3 id=\"agencies\">{html.escape(t('about.agencies', lang))}</h3><ul>",
        *[f"<li>{html.escape(name)}</li>" for name in agency_names],
        "</ul>",
    ]
    goals = programme.sub_goals[programme.sub_goals["pilot"] == ctx.pilot]
    links = programme.sub_goal_links[(programme.sub_goal_links["pilot"] == ctx.pilot)
                                     & (programme.sub_goal_links["kind"] == "national_goal")]
    national = links.groupby("sub_goal")["target"].agg(lambda s: ", ".join(s))
    table = pd.DataFrame({
        t("about.sub_goal", lang): goals["sub_goal"],
        t("about.sub_goal_text", lang): [pick(r, "text", lang) for r in goals.to_dict("records")],
        t("about.national_goals", lang): [national.get(g, "") for g in goals["sub_goal"]],
    })
    parts.append(f"<h3 id=\"sub-goals\">{html.escape(t('about.sub_goals', lang))}</h3>")
    parts.append(frame_to_html(table, caption=t("about.sub_goals_caption", lang, pilot=ctx.pilot_name)))
    national_goals = programme.national_goals
    parts.append(frame_to_html(pd.DataFrame({
        t("about.national_goal", lang): national_goals["national_goal"],
        t("about.national_goal_text", lang): [pick(r, "text", lang) for r in national_goals.to_dict("records")],
    }), caption=t("about.national_goals_caption", lang)))
    return HtmlBlock("".join(parts))


def _wave_label(ctx: ReportContext, wave: int) -> str:
    role = ctx.programme.wave_role(wave)
    return f"{wave} ({t('wave.' + role, ctx.lang).lower()})"


def data_and_method(ctx: ReportContext) -> HtmlBlock:
    """Sources, numbers of respondents and interviews, response rates and the anonymity rule."""
    lang, data = ctx.lang, ctx.data
    parts = [f"<p>{html.escape(t('method.intro', lang, cutoff=format_date(data.cutoff, lang)))}</p>"]
    from evaluation.survey import response_rates

    population = data.population if ctx.pilot is None else data.population[data.population["pilot"] == ctx.pilot]
    responses = data.responses if ctx.pilot is None else data.for_pilot("responses", ctx.pilot)
    rates = response_rates(population, responses, by=("pilot", "wave"), threshold=ctx.threshold)
    rows = []
    for row in rates.groupby("wave", as_index=False)[["invited", "responded"]].sum().to_dict("records"):
        rows.append({
            t("method.wave", lang): _wave_label(ctx, row["wave"]),
            t("method.invited", lang): format_number(row["invited"], lang),
            t("method.responded", lang): format_number(row["responded"], lang),
            t("method.rate", lang): format_percent(row["responded"] / row["invited"], lang),
        })
    parts.append(f"<h3 id=\"response-rates\">{html.escape(t('method.response_rates', lang))}</h3>")
    parts.append(frame_to_html(pd.DataFrame(rows), caption=t("method.response_rates_caption", lang,
                                                             pilot=ctx.pilot_name)))
    interviews = data.interviews if ctx.pilot is None else data.interviews[data.interviews["pilot"] == ctx.pilot]
    counts = interviews.groupby(["round", "stakeholder_group"]).size()
    rows = []
    for (round_id, group), count in counts.items():
        rows.append({
            t("method.stakeholder_group", lang): t(f"stakeholder.{group}", lang),
            t("method.round", lang): t(f"phase.{round_id}", lang),
            t("method.interviews", lang): format_number(count, lang),
        })
    parts.append(f"<h3 id=\"interview-sources\">{html.escape(t('method.interviews_heading', lang))}</h3>")
    parts.append(frame_to_html(pd.DataFrame(rows, columns=[t("method.stakeholder_group", lang),
                                                            t("method.round", lang),
                                                            t("method.interviews", lang)]),
                               caption=t("method.interviews_caption", lang, total=len(interviews))))
    parts.append(f"<h3 id=\"anonymity\">{html.escape(t('method.anonymity_heading', lang))}</h3>")
    parts.append(f"<p>{html.escape(t('method.anonymity', lang, threshold=ctx.threshold))}</p>")
    return HtmlBlock("".join(parts))


def provenance(ctx: ReportContext) -> HtmlBlock:
    """Appendix: each input file with its SHA-256, package versions, parameters, cut-off, run time."""
    lang, data = ctx.lang, ctx.data
    rows = []
    for path in data.input_files:
        path = Path(path)
        try:
            relative = path.relative_to(data.data_dir)
        except ValueError:
            relative = path
        rows.append({t("provenance.file", lang): str(relative), "SHA-256": file_sha256(path)})
    versions = [{t("provenance.package", lang): "python", t("provenance.version", lang): platform.python_version()}]
    for name in ("statens-hus-evaluation", *PACKAGES_IN_PROVENANCE):
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "–"
        versions.append({t("provenance.package", lang): name, t("provenance.version", lang): version})
    parameters = pd.DataFrame({
        t("provenance.parameter", lang): list(ctx.parameters) + [t("provenance.cutoff", lang), t("provenance.run_time", lang)],
        t("provenance.value", lang): [str(v) for v in ctx.parameters.values()]
        + [data.cutoff.isoformat(), ctx.started.strftime("%Y-%m-%d %H:%M:%S UTC")],
    })
    return HtmlBlock(
        f"<p>{html.escape(t('provenance.intro', lang))}</p>"
        + frame_to_html(parameters, caption=t("provenance.parameters_caption", lang))
        + frame_to_html(pd.DataFrame(rows), caption=t("provenance.files_caption", lang))
        + frame_to_html(pd.DataFrame(versions), caption=t("provenance.packages_caption", lang))
    )
