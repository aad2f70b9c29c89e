"""Exclusions, the timeline, the facet value search, the phone's Refine button and the keyboard, in chromium."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

pytest.importorskip("playwright.sync_api")

SOURCES = [
    f"{city} {kind}" for city in ("Peterborough", "Petrov", "Carpet", "Zurich") for kind in ("Post", "Times", "Daily")
]


@pytest.fixture(scope="module")
def analyst_server(tmp_path_factory):
    """An app over stories from twelve sources (a facet longer than its first ten), spread over
    four months of 2016, and two undated notes."""
    from web_fixtures import serving

    from indexer import build_index
    from webapp import create_app

    folder = tmp_path_factory.mktemp("analyst")
    docs = folder / "docs"
    docs.mkdir()
    records = [
        {
            "title": f"Harbour report {n} from {source}",
            "text": f"Harbour traffic report number {n} in Riga." + (" Tallinn too." if n % 3 == 0 else ""),
            "date": f"2016-{1 + n % 4:02d}-{1 + n % 27:02d}",
            "source": source,
        }
        for n, source in enumerate(SOURCES * 3)
    ]
    (docs / "news.jsonl").write_text("\n".join(json.dumps(record) for record in records) + "\n", encoding="utf-8")
    for n in range(2):
        (docs / f"note-{n}.txt").write_text(f"Harbour note {n}\n\nA harbour note without any date.\n", encoding="utf-8")
    build_index(docs, folder / "index", jobs=1)
    app = create_app({"SEARCH_INDEX_DIR": str(folder / "index")})
    with serving(app) as base_url:
        yield base_url


@pytest.fixture
def open_page(browser, analyst_server):
    contexts = []

    def open_at(width: int, path: str):
        context = browser.new_context(viewport={"width": width, "height": 800}, base_url=analyst_server)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors = []
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path)
        page.errors = errors
        return page

    yield open_at
    for context in contexts:
        context.close()


def status(page) -> str:
    return " ".join(page.locator("#results-status").inner_text().split())


def test_exclude_a_value_then_bring_it_back(open_page):
    page = open_page(1280, "/?q=harbour")
    assert status(page).startswith("38 results")
    page.get_by_role("link", name="Exclude Source: Petrov Post").click()
    page.wait_for_url(re.compile(r"not_source=Petrov\+Post"))
    assert status(page).startswith("35 results")
    chip = page.get_by_role("link", name="Stop excluding Source: Petrov Post")
    assert chip.inner_text().startswith("not: Petrov Post")
    assert "Petrov Post" not in page.locator("ol.hits").inner_text()
    chip.click()
    page.wait_for_url(lambda url: "not_source" not in url)
    assert status(page).startswith("38 results")
    assert page.errors == []


def test_timeline_bars_narrow_the_dates_and_the_table_says_the_same(open_page):
    page = open_page(1280, "/?q=harbour")
    assert page.locator(".timeline-heading").inner_text().split("\n")[0].startswith("Published, by week")
    assert "undated: 2" in page.locator(".timeline-heading").inner_text()
    page.locator(".timeline-table summary").click()
    rows = page.locator(".timeline-table tbody tr")
    assert rows.count() == page.locator(".timeline-bars li").count() > 10
    link = page.locator(".timeline-table tbody a").first
    period = link.inner_text()
    count = int(link.locator("xpath=../../td").inner_text())
    link.click()
    page.wait_for_url(re.compile(r"from=\d{4}-\d\d-\d\d&to=2016-"))
    assert status(page).startswith(f"{count} result")
    assert page.locator(".timeline-heading").inner_text().startswith("Published, by day")
    assert period.startswith("Week of")
    # A bar is a link with the same address as its row.
    bar = page.locator(".timeline-bars a.bar").first
    assert parse_qs(urlsplit(bar.get_attribute("href")).query)["from"]
    assert page.errors == []


def test_find_a_facet_value_without_scrolling_the_list(open_page):
    page = open_page(1280, "/?q=harbour")
    box = page.get_by_role("searchbox", name="Find a source")
    box.fill("tim")
    box.press("Enter")
    page.wait_for_url(re.compile(r"fq=tim"))
    facet = page.locator('section[data-facet="source"]')
    assert "1–4 of 4 matching “tim”" in facet.inner_text()
    labels = facet.locator(".facet-label").all_inner_texts()
    assert sorted(labels) == ["Carpet Times", "Peterborough Times", "Petrov Times", "Zurich Times"]
    facet.get_by_role("link", name=re.compile("Filter by Source: Zurich Times")).click()
    page.wait_for_url(re.compile(r"source=Zurich"))
    assert status(page).startswith("3 results")
    assert page.errors == []


def test_the_phone_has_a_refine_button_in_view_that_reaches_the_filters(open_page):
    page = open_page(390, "/?q=harbour")
    refine = page.get_by_role("link", name="Refine ↓")
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(200)
    box = refine.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 800  # still on screen after scrolling
    refine.click()
    page.wait_for_url(re.compile(r"#facets$"))
    heading = page.locator("#facets-heading").bounding_box()
    assert 0 <= heading["y"] < 800


def test_the_keyboard_reaches_the_filters_in_a_few_tabs_and_space_toggles_a_value(open_page):
    page = open_page(1280, "/?q=harbour")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to filters"
    page.keyboard.press("Enter")
    for _ in range(5):  # the first facet's first value, past the year facet's heading
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('facet-value')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('facet-value')")
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert name.startswith("Filter by")
    page.keyboard.press(" ")
    page.wait_for_url(re.compile(r"year=2016"))
    assert page.locator(".facet-value.selected").count() == 1
    assert page.errors == []


def test_the_document_page_steps_through_the_matches_with_buttons_and_keys(open_page):
    page = open_page(390, "/doc/news.jsonl%231?q=harbour+report")
    marks = page.locator(".doc-body mark")
    assert marks.count() == 2
    page.get_by_role("button", name="↓ Next match (n)").click()
    assert page.locator("[data-match-position]").inner_text() == "1 / 2"
    page.keyboard.press("n")
    assert page.locator("[data-match-position]").inner_text() == "2 / 2"
    assert "current" in (marks.nth(1).get_attribute("class") or "")
    page.keyboard.press("p")
    assert page.locator("[data-match-position]").inner_text() == "1 / 2"
    assert page.errors == []


def test_an_entity_page_links_to_the_names_beside_it(open_page):
    page = open_page(390, "/entity/place/Riga")
    assert page.locator("#entity-title").inner_text() == "Riga"
    assert page.locator(".timeline-bars li").count() > 1
    page.locator(".entity-names").get_by_role("link", name="Tallinn", exact=True).click()
    page.wait_for_url(re.compile(r"/entity/place/Tallinn$"))
    assert page.locator("#entity-title").inner_text() == "Tallinn"
    assert page.errors == []
