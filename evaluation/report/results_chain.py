"""The virkningskjede (results chain) of a pilot as accessible HTML, from the fragment template.

The chain and the status of its elements are computed in :mod:`evaluation.goals.results_chain`;
this module only turns them into markup (the ``results_chain`` macro of
``templates/fragments.html.j2``).

Inputs → activities → outputs → outcomes → impacts, each element marked with the status of
the sub-goals (or, for impacts, the national goals) it is linked to.

Why HTML and not an image
-------------------------
The results chain is mostly text: a dozen sentences in five ordered stages. Drawn as a PNG, the
text could not be read by a screen reader (only the alt text would be), would not reflow when a
reader zooms to 200 % or reads on a phone (WCAG 2.1, 1.4.4 *Resize text* and 1.4.10
*Reflow*), and long bokmål sentences would have to be wrapped by hand in matplotlib. As HTML, the
chain is an ordered list of stages (the order is the meaning: ``<ol>``), each a heading with the
list of its elements; the status of an element is written in words with its symbol, and colour
(from :data:`evaluation.plots.base.STATUS_STYLE`) only repeats it as a border. No alt text is
needed because nothing is an image, and the content is its own data table.
"""

from __future__ import annotations

import pandas as pd

from evaluation.contract.vocabulary import CHAIN_STAGES
from evaluation.html import HtmlBlock, render_fragment
from evaluation.i18n import check_language, pick, t
from evaluation.plots.base import STATUS_STYLE

STAGES = CHAIN_STAGES
"""The stages of a results chain, in order."""

def status_class(status: str) -> str:
    """The CSS class that colours an element with a status, such as ``status-on-track``.

    ``templates/report.css`` gives each class the colour of :data:`STATUS_STYLE`.
    """
    return "status-" + status.replace("_", "-")


def results_chain_html(chain: pd.DataFrame, *, lang: str = "nb", title: str = "") -> HtmlBlock:
    """Render a results chain (:func:`evaluation.goals.results_chain_status`) as an accessible HTML diagram.

    Parameters
    ----------
    chain : pandas.DataFrame
        :func:`results_chain_status` for one pilot.
    lang : {"nb", "en"}
        Report language.
    title : str
        Optional title, shown as the ``<figcaption>`` that names the diagram.

    Returns
    -------
    evaluation.html.HtmlBlock
        A ``<figure class="results-chain">`` holding an ordered list of the five stages, laid out
        as columns that wrap on narrow screens; each stage has an ``<h4>`` heading and a list of
        its elements, each element its text, its status in words with a symbol (the symbol is
        ``aria-hidden``) and the ids it is linked to. Every data string is escaped. The layout
        and the status colours (classes ``status-achieved`` … from :func:`status_class`) are in
        ``templates/report.css``.
    """
    check_language(lang)
    stages = []
    for stage in STAGES:
        elements = []
        for element in chain.loc[chain["stage"] == stage].to_dict("records"):
            status = element["status"]
            has_status = isinstance(status, str) and status in STATUS_STYLE
            elements.append({
                "text": pick(element, "text", lang),
                "status_class": status_class(status) if has_status else "",
                "symbol": STATUS_STYLE[status]["symbol"] if has_status else "",
                "status_label": t(f"status.{status}", lang) if has_status else "",
                "links": element["links"],
            })
        stages.append({"label": t(f"goals.chain.{stage}", lang), "elements": elements})
    return render_fragment(
        "results_chain", title=title, stages=stages, empty=t("goals.chain.empty", lang),
        status_caption=t("goals.chain.status", lang), linked_to=t("goals.chain.linked_to", lang),
    )


__all__ = ["STAGES", "results_chain_html", "status_class"]
