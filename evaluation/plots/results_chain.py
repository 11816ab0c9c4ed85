"""The virkningskjede (results chain) of a pilot, drawn from ``programme.yaml`` as accessible HTML.

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

import html

import pandas as pd

from evaluation.contract.vocabulary import CHAIN_STAGES
from evaluation.i18n import check_language, pick, t
from evaluation.plots.base import STATUS_STYLE

STAGES = CHAIN_STAGES
"""The stages of a results chain, in order."""


def status_text(status: str, lang: str = "nb") -> str:
    """A status as the reader sees it: its symbol and its label, such as ``"▲ I rute"``."""
    return f"{STATUS_STYLE[status]['symbol']} {t(f'status.{status}', lang)}"


def results_chain_html(chain: pd.DataFrame, *, lang: str = "nb", title: str = "") -> str:
    """Render a results chain as an accessible HTML diagram.

    Parameters
    ----------
    chain : pandas.DataFrame
        :func:`evaluation.goals.results_chain.results_chain_status` for one pilot.
    lang : {"nb", "en"}
        Report language.
    title : str
        Optional title, shown as the ``<figcaption>`` that names the diagram.

    Returns
    -------
    str
        A ``<figure class="results-chain">`` holding an ordered list of the five stages, laid out
        as columns that wrap on narrow screens; each stage has an ``<h4>`` heading and a list of
        its elements, each element its text, its status in words with a symbol (the symbol is
        ``aria-hidden``) and the ids it is linked to. Every data string is escaped. Styles are
        inline so that the diagram renders in any report template.
    """
    check_language(lang)
    parts = ['<figure class="results-chain" style="margin:0 0 1em 0">']
    if title:
        parts.append(f'<figcaption style="font-weight:bold;margin-bottom:0.4em">'
                     f"{html.escape(title)}</figcaption>")
    parts.append('<ol style="display:flex;flex-wrap:wrap;gap:0.5em;list-style:none;'
                 'padding:0;margin:0">')
    for number, stage in enumerate(STAGES):
        elements = chain.loc[chain["stage"] == stage]
        arrow = ("" if number == len(STAGES) - 1 else
                 '<span aria-hidden="true" style="float:right;font-weight:bold">→</span>')
        parts.append(
            '<li class="results-chain-stage" style="flex:1 1 11em;min-width:11em;'
            'border:1px solid #bdbdbd;border-radius:4px;padding:0.4em">'
            f'<h4 style="margin:0 0 0.4em 0">{arrow}{html.escape(t(f"goals.chain.{stage}", lang))}'
            "</h4>"
        )
        if elements.empty:
            parts.append(f"<p>{html.escape(t('goals.chain.empty', lang))}</p></li>")
            continue
        parts.append('<ul style="list-style:none;padding:0;margin:0">')
        for element in elements.to_dict("records"):
            status = element["status"]
            has_status = isinstance(status, str) and status in STATUS_STYLE
            colour = STATUS_STYLE[status]["colour"] if has_status else "#bdbdbd"
            parts.append(
                f'<li style="border-left:6px solid {colour};background:#f7f7f7;'
                'padding:0.3em 0.5em;margin:0 0 0.4em 0">'
                f"{html.escape(pick(element, 'text', lang))}"
            )
            if has_status:
                symbol = STATUS_STYLE[status]["symbol"]
                parts.append(
                    '<br /><span class="status">'
                    f"{html.escape(t('goals.chain.status', lang))}: "
                    f'<span aria-hidden="true">{html.escape(symbol)}</span> '
                    f"{html.escape(t(f'status.{status}', lang))}</span>"
                )
            if element["links"]:
                parts.append(
                    '<br /><small>'
                    f"{html.escape(t('goals.chain.linked_to', lang))}: "
                    f"{html.escape(element['links'])}</small>"
                )
            parts.append("</li>")
        parts.append("</ul></li>")
    parts.append("</ol></figure>")
    return "".join(parts)


__all__ = ["STAGES", "results_chain_html", "status_text"]
