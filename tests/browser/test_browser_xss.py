"""Every XSS payload of tests/test_hardening_xss.py in a real chromium: nothing runs, the text shows as text.

Each page is checked twice: as served (with the CSP), and with the CSP bypassed, so that escaping
alone is shown to hold. Payloads set window.__xss, call alert() and set document.title to 'pwned'.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from test_hardening_xss import HOSTILE_SOURCE, HOSTILE_URLS, PAYLOADS, TERM, build_hostile_index, flat
from web_fixtures import serving

from webapp import create_app

PlaywrightError = pytest.importorskip("playwright.sync_api").Error

SITE = "News search"
DOCS = ["text/story-01.txt", "html/page.html", "feed.jsonl#1", "text/names.txt"]


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    source_dir, index_dir = build_hostile_index(tmp_path_factory.mktemp("browser-hostile"))
    app = create_app({"SEARCH_INDEX_DIR": str(index_dir), "SEARCH_SOURCE_DIR": str(source_dir)})
    with serving(app) as base_url:
        yield base_url, app.test_client()


class Tripwire:
    """One page with every dialog, console error and page error recorded."""

    def __init__(self, context):
        self.page = context.new_page()
        self.page.set_default_timeout(10_000)
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self.on_dialog)
        self.xml_viewer = False  # chromium's XML viewer asks for /favicon.ico (our pages say href="data:,")
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def on_console(self, message):
        if message.type == "error" and not (self.xml_viewer and "status of 404" in message.text):
            self.errors.append(message.text)

    def on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def settle(self, title: str | None) -> None:
        """Give onerror/onload/autofocus handlers their chance, then check that none of them ran."""
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(100)
        assert self.page.evaluate("typeof window.__xss") == "undefined"
        assert self.dialogs == []
        assert self.errors == []  # a CSP violation, or an <img src=x> that loaded, shows here
        if title is not None:
            assert self.page.title() == title
        assert self.page.title() != "pwned"


@pytest.fixture(params=["with-csp", "csp-bypassed"])
def tripwire(request, browser, hostile_server):
    base_url, _ = hostile_server
    context = browser.new_context(base_url=base_url, bypass_csp=request.param == "csp-bypassed", accept_downloads=True)
    yield Tripwire(context)
    context.close()


def doc_path(doc_id: str, query: str = "") -> str:
    return f"/doc/{quote(doc_id)}" + (f"?q={quote(query)}" if query else "")


def test_results_pages_run_nothing(tripwire, hostile_server):
    _, client = hostile_server
    page = tripwire.page
    for number in (3, 2, 1):
        page.goto(f"/?q={TERM}&page={number}")
        tripwire.settle(f"{TERM} – {SITE}")
        shown = flat(page.locator("#search-body").inner_text())
        for hit in client.get(f"/api/search?q={TERM}&page={number}").get_json()["hits"]:
            assert flat(hit["title"]).rstrip("…") in shown
    assert flat(HOSTILE_SOURCE) in flat(page.locator(".hit-source").first.inner_text())


def test_hostile_query_and_facet_parameters_run_nothing(tripwire):
    page = tripwire.page
    for start in range(0, len(PAYLOADS), 20):
        group = PAYLOADS[start : start + 20]
        query = " ".join(group)
        args = "&".join(f"{key}={quote(payload)}" for payload in group for key in ("source", "person", "from", "sort"))
        page.goto(f"/?q={quote(query)}&{args}")
        tripwire.settle(f"{query} – {SITE}")
        assert page.locator("#q").input_value() == query
        chips = flat(" ".join(page.locator(".chip").all_inner_texts()))
        assert all(flat(payload) in chips for payload in group)


def test_document_pages_run_nothing_and_show_the_payloads(tripwire, hostile_server):
    _, client = hostile_server
    page = tripwire.page
    for doc_id in DOCS:
        doc = client.get(f"/api/doc/{quote(doc_id)}").get_json()
        for query in ("", TERM):
            page.goto(doc_path(doc_id, query))
            tripwire.settle(f"{doc['title']} – {SITE}")
            assert flat(page.locator("#doc-title").inner_text()) == flat(doc["title"])
            if doc_id in ("text/story-01.txt", "feed.jsonl#1"):
                body = flat(page.locator(".doc-body").inner_text())
                assert [payload for payload in PAYLOADS if flat(payload) not in body] == []
            if query:
                assert page.locator(".doc-body mark, #doc-title mark").count() > 0
    page.goto(doc_path("feed.jsonl#2"))
    tripwire.settle(None)
    assert page.locator(".original a").count() == 0
    assert page.locator("code", has_text=HOSTILE_URLS[0]).count() == 1


def test_live_search_swaps_in_hostile_results_without_running_them(tripwire):
    """search.js parses fetched pages with DOMParser and adopts their nodes: an event handler would fire here."""
    page = tripwire.page
    page.goto("/")
    tripwire.settle(SITE)
    page.locator("#q").fill(TERM)
    page.wait_for_selector(".hit-title mark")  # (no wait_for_function: it evals a string, which the CSP forbids)
    page.wait_for_url(f"**/?q={TERM}")
    tripwire.settle(f"{TERM} – {SITE}")


def test_feed_and_exports_run_nothing(tripwire):
    page = tripwire.page
    tripwire.xml_viewer = True  # it loads no images, so a 404 here is the favicon, not a payload
    page.goto(f"/feed?q={TERM}")
    tripwire.settle(None)
    assert TERM in page.locator("body").inner_text()
    for path in (f"/export.csv?q={TERM}", f"/export.jsonl?q={TERM}"):
        with page.expect_download() as download:
            try:
                page.goto(path)
            except PlaywrightError as error:  # chromium reports "Download is starting" for an attachment
                assert "Download is starting" in str(error)
        saved = download.value.path().read_text(encoding="utf-8")
        assert "window.__xss" in saved  # the payloads are in the file, as data
        tripwire.settle(None)
