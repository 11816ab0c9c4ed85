"""As a reader opens them: the rendered reports and the index in a real headless Chromium.

Each page is opened from disk (``file:``) in Debian's ``chromium`` with a fresh profile and every
request that is not ``file:`` blocked and recorded. The tests assert that a page logs no console
error, throws no script error, asks for nothing off the file system, and that axe-core finds no
serious or critical violation of the WCAG 2.0/2.1 level A and AA rules (Norwegian public-sector
web content must meet WCAG 2.1 AA). Two further tests open small pages with known faults to show
that the request guard and axe really catch what the report tests claim is absent.

The browser comes from ``make browser-deps`` (``apt-get install chromium``); Playwright only
drives it over the DevTools protocol and never downloads a browser of its own. With ``CI=true``
a missing browser fails the run; elsewhere the module is skipped only when no ``chromium`` is
installed. Set ``REPORT_SCREENSHOTS=/some/folder`` to keep full-page screenshots of every page.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright


pytestmark = [pytest.mark.browser, pytest.mark.notebook]

IN_CI = os.environ.get("CI", "").strip().lower() == "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""axe-core tags of the WCAG 2.0 and 2.1 level A and AA rules."""

BLOCKING_IMPACTS = {"serious", "critical"}

ALLOWED_SCHEMES = ("file:", "data:")
"""``file:`` is the report itself; ``data:`` is content embedded in it (figures), not a request."""

PHASES = ("midterm", "final")
PILOT = "stad"
PAGES = ("index.html", *(f"{phase}/{PILOT}.html" for phase in PHASES), "final/synthesis.html",
         f"final/{PILOT}.en.html")


PHONE_WIDTH = 375
"""A phone's viewport in CSS pixels (iPhone SE to 13 mini; WCAG 1.4.10 Reflow asks for 320)."""

DESKTOP_WIDTH = 1280
"""A laptop's browser window in CSS pixels (Playwright's default viewport)."""

VIEWPORT_HEIGHT = 900

LAYOUT_SCRIPT = r"""() => {
  const edge = document.documentElement.clientWidth;
  const classes = el => el.className ? '.' + String(el.className).trim().replace(/\s+/g, '.') : '';
  const describe = el => `${el.tagName.toLowerCase()}${classes(el)}`
    + ` (right edge ${Math.round(el.getBoundingClientRect().right)} px): `
    + (el.getAttribute('alt') || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 80);
  // Elements that reach past the right edge of the viewport, outermost only, outside the table
  // scroll regions (which scroll on their own and are clipped at the edge).
  const pastTheEdge = [...document.querySelectorAll('body *')]
    .filter(el => !el.closest('.table-scroll') && el.getBoundingClientRect().right > edge + 0.5
                  && !(el.parentElement.getBoundingClientRect().right > edge + 0.5))
    .map(describe);
  // A word broken in the middle: its letters lie on more than one line (words are split at
  // spaces, hyphens, dashes and slashes, where a line may break; code such as checksums is left out).
  const brokenWords = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('code')) continue;
    for (const match of node.data.matchAll(/[^\s\-‐-―\/]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) brokenWords.push(`${match[0]} in ${describe(node.parentElement)}`);
    }
  }
  const tablesOutsideRegions = [...document.querySelectorAll('table')].filter(table => {
    const region = table.parentElement;
    const caption = table.caption ? table.caption.textContent.trim() : null;
    return !(region.matches('div.table-scroll[role="region"][tabindex="0"]')
             && region.children.length === 1 && region.getAttribute('aria-label')
             && (caption === null || region.getAttribute('aria-label') === caption));
  }).map(describe);
  return {innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
          pastTheEdge, brokenWords, tablesOutsideRegions};
}"""
"""What a reader on a narrow screen would notice: the page's width against the viewport's, the
elements that stick out, words broken in the middle, and tables not in their own scroll region."""


def find_chromium() -> str | None:
    """The path of Debian's chromium, or None when it is not installed."""
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None


# --------------------------------------------------------------------------------------------
# The browser and its guard
# --------------------------------------------------------------------------------------------


@dataclass
class Visit:
    """What happened while one page was open."""

    url: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    lang: str = ""
    title: str = ""
    broken_anchors: list[str] = field(default_factory=list)
    toc_links: int = 0
    links: list[str] = field(default_factory=list)
    axe: dict = field(default_factory=dict)
    width: int = 0
    scroll_width: int = 0
    inner_width: int = 0
    past_the_edge: list[str] = field(default_factory=list)
    broken_words: list[str] = field(default_factory=list)
    tables_outside_regions: list[str] = field(default_factory=list)


class GuardedBrowser:
    """One Chromium with a fresh profile; every non-``file:`` request is aborted and recorded."""

    def __init__(self, context):
        self.context = context
        self._current: Visit | None = None
        context.route("**/*", self._route)
        context.on("request", self._on_request)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(ALLOWED_SCHEMES):
            route.continue_()
            return
        if self._current is not None:
            self._current.blocked.append(url)
        route.abort("blockedbyclient")

    def _on_request(self, request) -> None:
        if self._current is not None:
            self._current.requests.append(request.url)

    def visit(self, path: Path, *, screenshot: Path | None = None, axe: bool = True,
              width: int | None = None) -> Visit:
        """Open ``path``, wait until the page and its network are idle, and record everything.

        ``width`` sets the viewport's width in CSS pixels (375 for a phone); by default the
        browser's own (1280).
        """
        visit = Visit(url=path.resolve().as_uri())
        self._current = visit
        page = self.context.new_page()
        if width is not None:
            page.set_viewport_size({"width": width, "height": VIEWPORT_HEIGHT})
        page.on("console", lambda message: visit.console_errors.append(message.text)
                if message.type == "error" else None)
        page.on("pageerror", lambda error: visit.page_errors.append(str(error)))
        page.on("requestfailed", lambda request: visit.failed.append(
            f"{request.url} ({request.failure})"))
        try:
            page.goto(visit.url, wait_until="load")
            page.wait_for_load_state("networkidle")
            visit.lang = page.evaluate("document.documentElement.lang")
            visit.title = page.title()
            visit.broken_anchors = page.evaluate(
                """[...document.querySelectorAll('a[href^="#"]')]
                     .map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
                     .filter(id => id === '' || document.getElementById(id) === null)""")
            visit.toc_links = page.locator('nav.toc a[href^="#"]').count()
            layout = page.evaluate(LAYOUT_SCRIPT)
            visit.inner_width, visit.scroll_width = layout["innerWidth"], layout["scrollWidth"]
            visit.width = width or visit.inner_width
            visit.past_the_edge = layout["pastTheEdge"]
            visit.broken_words = layout["brokenWords"]
            visit.tables_outside_regions = layout["tablesOutsideRegions"]
            visit.links = page.evaluate(
                """[...document.querySelectorAll('a[href]')]
                     .map(a => a.getAttribute('href')).filter(h => !h.startsWith('#'))""")
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot), full_page=True)
            if axe:
                options = {"runOnly": {"type": "tag", "values": WCAG_TAGS},
                           "resultTypes": ["violations"]}
                visit.axe = Axe().run(page, options=options).response
        finally:
            page.close()
            self._current = None
        return visit


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Debian's Chromium, headless, with an empty profile folder of its own."""
    chromium = find_chromium()
    if chromium is None:
        message = "chromium is not installed: run `make browser-deps` (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield GuardedBrowser(context)
        finally:
            context.close()


@pytest.fixture(scope="module")
def reports(browser, demo_reports) -> Path:
    """The demo reports rendered once for the session (see conftest.demo_reports)."""
    return demo_reports


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    """Where full-page screenshots go: $REPORT_SCREENSHOTS, or a temporary folder."""
    folder = os.environ.get("REPORT_SCREENSHOTS")
    return Path(folder) if folder else tmp_path_factory.mktemp("screens")


@pytest.fixture(scope="module")
def visits(browser, reports, screenshots) -> dict[str, Visit]:
    """Every page opened once, with its axe-core results."""
    return {name: browser.visit(reports / name, screenshot=screenshots / (name.replace("/", "-")[:-5] + ".png"))
            for name in PAGES}


@pytest.fixture(scope="module")
def layouts(browser, reports) -> dict[tuple[str, int], Visit]:
    """Every rendered report and the index, opened at a phone's width and at a desktop's, with
    axe-core run at each width (a layout that reflows can fail rules the wide one passes)."""
    folder = os.environ.get("REPORT_SCREENSHOTS")
    pages = sorted(p.relative_to(reports).as_posix() for p in reports.rglob("*.html"))
    return {(name, width): browser.visit(
                reports / name, width=width,
                screenshot=Path(folder) / f"{name.replace('/', '-')[:-5]}-{width}.png" if folder else None)
            for name in pages for width in (PHONE_WIDTH, DESKTOP_WIDTH)}


# --------------------------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------------------------


def blocking_violations(axe_response: dict) -> list[dict]:
    """The axe violations of serious or critical impact."""
    return [v for v in axe_response["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    """A readable account of axe violations: rule, impact, help, each element and how to fix it."""
    lines = []
    for violation in violations:
        lines.append(f"\n[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    WCAG tags: {', '.join(t for t in violation['tags'] if t.startswith('wcag'))}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    - element: {' '.join(map(str, node['target']))}")
            lines.append(f"      html:    {node['html'][:300]}")
            for summary in (node.get("failureSummary") or "").splitlines():
                lines.append(f"      {summary}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# The reports and the index
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_page_opens_without_console_or_script_errors(visits, name):
    visit = visits[name]
    assert visit.console_errors == [], f"{name}: console errors: {visit.console_errors}"
    assert visit.page_errors == [], f"{name}: uncaught script errors: {visit.page_errors}"
    assert visit.failed == [], f"{name}: failed loads: {visit.failed}"


@pytest.mark.parametrize("name", PAGES)
def test_page_asks_for_nothing_off_the_file_system(visits, name):
    visit = visits[name]
    assert visit.blocked == [], f"{name}: requests to other hosts (blocked): {visit.blocked}"
    outside = [url for url in visit.requests if not url.startswith(ALLOWED_SCHEMES)]
    assert outside == [], f"{name}: non-file requests: {outside}"
    assert visit.requests[0] == visit.url  # the guard saw the page's own load: it was listening


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_or_critical_wcag_21_aa_violation(visits, name):
    axe = visits[name].axe
    assert axe["testEngine"]["name"] == "axe-core"
    assert axe["toolOptions"]["runOnly"]["values"] == WCAG_TAGS
    violations = blocking_violations(axe)
    assert violations == [], (f"{name}: axe-core {axe['testEngine']['version']} found "
                              f"{len(violations)} serious/critical WCAG violation(s):"
                              + describe_violations(violations))


@pytest.mark.parametrize("name", PAGES)
def test_page_declares_its_language_and_a_real_title(visits, name):
    visit = visits[name]
    assert visit.lang == ("en" if name.endswith(".en.html") else "nb")
    assert visit.title.strip() and visit.title != name


@pytest.mark.parametrize("name", PAGES)
def test_every_in_page_link_leads_to_an_element_on_the_page(visits, name):
    assert visits[name].broken_anchors == [], f"{name}: links to missing ids: {visits[name].broken_anchors}"


@pytest.mark.parametrize("name", [page for page in PAGES if page != "index.html"])
def test_report_has_a_table_of_contents_with_links(visits, name):
    assert visits[name].toc_links >= 2


def test_index_links_open_each_rendered_report(visits, reports, browser):
    links = sorted(link for link in visits["index.html"].links if link.endswith(".html"))
    rendered = sorted(str(p.relative_to(reports)) for p in reports.rglob("*.html") if p.name != "index.html")
    assert links == rendered
    others = sorted(link for link in visits["index.html"].links if not link.endswith(".html"))
    assert others == sorted(link[:-len(".html")] + suffix for link in rendered for suffix in (".pdf", ".docx"))
    assert all((reports / link).is_file() for link in others)
    assert len(rendered) == 4 * 2 + 2 + 2  # pilots x phases, two syntheses, Stad in English
    for link in links:
        report = browser.visit(reports / link, axe=False)
        assert report.failed == [] and report.console_errors == []
        assert report.lang == ("en" if link.endswith(".en.html") else "nb") and report.title.strip()


# --------------------------------------------------------------------------------------------
# Every report on a phone and on a desktop
# --------------------------------------------------------------------------------------------


def test_every_report_was_opened_at_both_widths(layouts, reports):
    names = {name for name, _ in layouts}
    assert len(names) == 4 * 2 + 2 + 2 + 1  # pilots x phases, two syntheses, Stad in English, index
    assert {visit.width for visit in layouts.values()} == {PHONE_WIDTH, DESKTOP_WIDTH}


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
def test_no_report_scrolls_sideways(layouts, width):
    wide = {name: f"page {visit.scroll_width} px in a {visit.inner_width} px window; sticking out: "
                  f"{visit.past_the_edge[:5]}"
            for (name, at), visit in layouts.items()
            if at == width and (visit.scroll_width > visit.inner_width or visit.past_the_edge)}
    assert wide == {}


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
def test_no_report_has_a_serious_or_critical_wcag_violation_at_this_width(layouts, width):
    found = {name: describe_violations(blocking_violations(visit.axe))
             for (name, at), visit in layouts.items()
             if at == width and blocking_violations(visit.axe)}
    assert all(visit.axe["testEngine"]["name"] == "axe-core" for visit in layouts.values())
    assert found == {}, "\n".join(f"{name} at {width} px:{text}" for name, text in found.items())


@pytest.mark.parametrize("width", [PHONE_WIDTH, DESKTOP_WIDTH])
def test_no_word_is_broken_in_the_middle(layouts, width):
    # The results chain once split "Samfunnsvirkninger" and "lokaliseringspolitikken" mid-word
    # in its five narrow columns at desktop width.
    broken = {name: visit.broken_words for (name, at), visit in layouts.items()
              if at == width and visit.broken_words}
    assert broken == {}


def test_every_table_scrolls_in_its_own_region_named_by_its_caption(layouts):
    outside = {name: visit.tables_outside_regions for (name, at), visit in layouts.items()
               if at == PHONE_WIDTH and visit.tables_outside_regions}
    assert outside == {}


# --------------------------------------------------------------------------------------------
# The guard and axe catch real faults (so the tests above can fail)
# --------------------------------------------------------------------------------------------

# A 1x1 transparent PNG, embedded as figures are embedded in the reports.
PIXEL = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
         "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


def test_guard_blocks_and_records_requests_to_other_hosts_and_console_errors(browser, tmp_path):
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Lekk</title>'
        '<link rel="stylesheet" href="https://cdn.example.org/style.css"></head><body><main>'
        '<img alt="Logo" src="http://example.org/logo.png">'
        f'<img alt="Innebygd figur" id="embedded" src="{PIXEL}">'
        '<script>console.error("boom")</script></main></body></html>', encoding="utf-8")
    visit = browser.visit(page, axe=False)
    assert sorted(visit.blocked) == ["http://example.org/logo.png", "https://cdn.example.org/style.css"]
    assert any("ERR_BLOCKED_BY_CLIENT" in failure for failure in visit.failed)
    assert "boom" in visit.console_errors
    assert not any(url.startswith("data:") for url in visit.blocked)  # embedded figures still load


def test_axe_reports_missing_alt_text_and_low_contrast_as_blocking(browser, tmp_path):
    # Reference: axe-core rule descriptions (doc/rule-descriptions.md): image-alt "Ensure <img>
    # elements have alternative text", impact critical, tag wcag2a (WCAG 1.1.1); color-contrast,
    # impact serious, tag wcag2aa (WCAG 1.4.3). By hand, with the WCAG 2.1 definitions of relative
    # luminance and contrast ratio: #aaaaaa has L = ((170/255 + 0.055)/1.055)**2.4 = 0.402, white
    # has L = 1, so the ratio is (1 + 0.05)/(0.402 + 0.05) = 2.32 < 4.5 required for normal text.
    page = tmp_path / "faulty.html"
    page.write_text(
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Feil</title></head>'
        f'<body><main><h1>Feil</h1><img src="{PIXEL}" width="40" height="40">'
        '<p style="color:#aaaaaa;background:#ffffff">Lys grå tekst på hvit bakgrunn</p>'
        '</main></body></html>', encoding="utf-8")
    visit = browser.visit(page)
    found = {v["id"]: v["impact"] for v in blocking_violations(visit.axe)}
    assert found == {"image-alt": "critical", "color-contrast": "serious"}
    text = describe_violations(blocking_violations(visit.axe))
    assert "image-alt" in text and "element: img" in text


def test_the_layout_checks_catch_a_page_too_wide_for_a_phone_and_a_word_broken_in_two(browser, tmp_path):
    # By construction: a 600 px wide table outside any scroll region on a 375 px screen makes the
    # page 600 px plus the body's 8 px margin wide; "Samfunnsvirkninger" in a 60 px box that may
    # break anywhere cannot fit one line.
    page = tmp_path / "narrow.html"
    page.write_text(
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Smal</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>'
        '<table style="width:600px"><caption>Bred</caption><tr><td>1</td></tr></table>'
        '<p style="width:60px;overflow-wrap:anywhere">Samfunnsvirkninger</p>'
        '</main></body></html>', encoding="utf-8")
    visit = browser.visit(page, axe=False, width=PHONE_WIDTH)
    assert (visit.inner_width, visit.scroll_width) == (PHONE_WIDTH, 608)
    assert visit.past_the_edge == ["table (right edge 608 px): Bred1"]
    assert [word.split(" in ")[0] for word in visit.broken_words] == ["Samfunnsvirkninger"]
    assert visit.tables_outside_regions == ["table (right edge 608 px): Bred1"]
