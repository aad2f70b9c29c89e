"""The search site in a real browser: facets, chips, pages, documents, keyboard, and no XSS."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

SHOTS = Path("/tmp/shots")


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def status_text(page) -> str:
    return " ".join(page.locator("#results-status").inner_text().split())


def test_search_and_facets(watched):
    page = watched.page
    page.goto("/?q=governance")
    assert status_text(page).startswith("17 results")
    page.get_by_role("link", name="Filter by Place: Paris (5)").click()
    page.wait_for_url(re.compile(r"place=Paris"))
    assert query_of(page.url) == {"q": ["governance"], "place": ["Paris"]}
    assert status_text(page).startswith("5 results")
    assert page.locator(".hit").count() == 5
    # A second value of the same facet is OR-ed, and the facet's counts stay the same.
    page.get_by_role("link", name="Filter by Place: Berlin (4)").click()
    page.wait_for_url(re.compile(r"place=Berlin"))
    assert query_of(page.url)["place"] == ["Paris", "Berlin"]
    assert status_text(page).startswith("9 results")
    assert page.get_by_role("link", name="Remove filter Place: Paris (5)").count() == 1
    assert page.get_by_role("link", name="Filter by Place: London (4)").count() == 1
    # Remove one chip.
    page.get_by_role("link", name="Remove filter Place: Paris", exact=True).click()
    page.wait_for_url(lambda url: "Paris" not in url)
    assert query_of(page.url) == {"q": ["governance"], "place": ["Berlin"]}
    assert status_text(page).startswith("4 results")


def test_paginate(watched):
    page = watched.page
    page.goto("/")
    assert page.locator('.pagination [aria-current="page"]').inner_text() == "1"
    page.get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator('.pagination [aria-current="page"]').inner_text() == "2"
    assert page.locator(".hit").count() == 9
    assert page.locator("ol.hits").get_attribute("start") == "11"


def test_open_a_document_and_follow_a_name(watched):
    page = watched.page
    page.goto("/?q=election")
    page.locator(".hit-title a").first.click()
    page.wait_for_url(re.compile(r"/doc/.+\?q=election"))
    assert page.locator("#doc-title mark").count() >= 1
    assert page.locator(".doc-body mark").count() >= 1
    assert page.locator(".similar li").count() == 5
    page.get_by_role("link", name="Search articles with Person: Angela Weber").click()
    page.wait_for_url(re.compile(r"person=Angela"))
    assert status_text(page).startswith("14 results")
    assert page.locator(".chip").inner_text().startswith("Person: Angela Weber")


def test_keyboard_only_search(watched):
    page = watched.page
    page.goto("/")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("railway")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=railway"))
    assert status_text(page).startswith("2 results")


def test_search_as_you_type_updates_results_and_url(watched):
    page = watched.page
    page.goto("/")
    page.locator("#q").fill("harvest")
    # (page.wait_for_function evaluates a string, which the CSP forbids: poll with expect instead)
    expect(page).to_have_url(re.compile(r"\?q=harvest$"))
    expect(page.locator("#results-status")).to_contain_text("2 results")
    expect(page.locator(".hit")).to_have_count(2)
    assert page.locator(".hit-title").first.inner_text().startswith(("London harvest", "Paris harvest"))


def test_show_more_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server)
    page = context.new_page()
    page.goto("/?q=governance")
    page.get_by_role("link", name="Filter by Place: Paris (5)").click()
    page.wait_for_url(re.compile(r"place=Paris"))
    assert " ".join(page.locator("#results-status").inner_text().split()).startswith("5 results")
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/?q=hostile",
        "/doc/hostile.txt",
        "/doc/hostile.txt?q=script+governance",
        "/doc/feed.jsonl%232",
        "/",
        "/?q=%3Cscript%3Ewindow.__xss%3D9%3C%2Fscript%3E%3Cimg+src%3Dx+onerror%3Dwindow.__xss%3D8%3E",
        "/?source=evil+%3Cscript%3Ewindow.__xss%3D1%3Balert(1)%3C%2Fscript%3E+source",
    ],
)
def test_no_payload_executes(watched, path):
    page = watched.page
    page.goto(path)
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)
    assert page.evaluate("typeof window.__xss") == "undefined"
    for link in page.locator("a").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript")


def test_screenshots(browser, live_server):
    SHOTS.mkdir(exist_ok=True)
    for name, width, path in [
        ("results-desktop", 1280, "/?q=governance&place=Paris&place=Berlin"),
        ("results-phone", 390, "/?q=governance&place=Paris&place=Berlin"),
        ("document-desktop", 1280, "/doc/world/story-01.txt?q=election"),
        ("document-phone", 390, "/doc/world/story-01.txt?q=election"),
        ("browse-desktop", 1280, "/"),
        ("zero-desktop", 1280, "/?q=govrnance&place=Paris&year=2014"),
    ]:
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": width, "height": 900}, color_scheme=scheme, base_url=live_server
            )
            page = context.new_page()
            page.goto(path)
            page.screenshot(path=str(SHOTS / f"{name}-{scheme}.png"), full_page=True)
            context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with script", "without script"])
def test_a_submitted_form_leaves_no_empty_fields_in_the_url(browser, live_server, javascript):
    context = browser.new_context(java_script_enabled=javascript, base_url=live_server)
    page = context.new_page()
    page.goto("/?q=governance")
    page.locator("#q").fill("harvest")
    page.locator("#q").press("Enter")
    page.wait_for_load_state("load")
    expect(page).to_have_url(re.compile(r"/\?q=harvest$"))  # not ?q=harvest&sort=&from=&to=
    assert status_text(page).startswith("2 results")
    context.close()


def test_dates_in_the_wrong_order_are_explained_and_swapped_in_one_click(watched):
    page = watched.page
    page.goto("/?q=governance")
    page.locator("summary", has_text="Sort by").click()
    page.locator('input[name="from"]').fill("2016-12-31")
    page.locator('input[name="to"]').fill("2015-01-01")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"from=2016-12-31"))
    expect(page.locator(".message.warning")).to_have_text(
        "The “from” date 2016-12-31 is after the “to” date 2015-01-01, so no article can match."
    )
    page.get_by_role("link", name="Search from 2015-01-01 to 2016-12-31 instead").click()
    page.wait_for_url(re.compile(r"from=2015-01-01&to=2016-12-31"))
    assert page.locator(".message.warning").count() == 0
    assert not status_text(page).startswith("No results")
