"""Folded near-identical versions and original-file downloads, in chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIRST_SEED, SECOND_SEED, SEEDS_DIR

pytest.importorskip("playwright.sync_api")

HOSTILE_HTML = (
    "<!doctype html><html><head><title>Harbour governance</title>"
    "<script>window.__pwned = 1; document.title = 'pwned'; alert('pwned');</script></head>"
    "<body><h1>Harbour governance</h1><p>An article about harbour governance in Riga, "
    "long enough to be read as an article by the HTML reader of the indexer.</p>"
    "<img src=x onerror=\"alert('img')\"></body></html>"
)


@pytest.fixture(scope="module")
def versions_server(tmp_path_factory):
    """The two seeds, a resent version of the first, and a source file of hostile HTML."""
    from web_fixtures import serving_folder

    folder = tmp_path_factory.mktemp("versions")
    docs = folder / "docs"
    docs.mkdir()
    first = (SEEDS_DIR / FIRST_SEED).read_text(encoding="utf-8")
    (docs / "first.txt").write_text(first, encoding="utf-8")
    (docs / "first-resent.txt").write_text(f"{first.rstrip()}\nThis story was corrected.\n", encoding="utf-8")
    (docs / "second.txt").write_text((SEEDS_DIR / SECOND_SEED).read_text(encoding="utf-8"), encoding="utf-8")
    (docs / "harbour <i>news<i>.html").write_text(HOSTILE_HTML, encoding="utf-8")
    with serving_folder(docs, folder / "index") as base_url:
        yield base_url


@pytest.fixture
def page(browser, versions_server):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=versions_server, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert dialogs == [] and errors == []


def test_a_folded_result_opens_its_versions_from_the_keyboard(page):
    page.goto("/?q=memorandum")
    assert page.locator(".results-status").inner_text().startswith("1 result")
    summary = page.locator(".hit details.versions summary")
    assert summary.inner_text() == "1 near-identical version"
    version = page.locator(".hit details.versions li a")
    assert not version.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert version.is_visible()
    links = {page.locator(".hit-title a").get_attribute("href"), version.get_attribute("href")}
    assert links == {"/doc/first.txt?q=memorandum", "/doc/first-resent.txt?q=memorandum"}

    page.click("text=Show every version")
    assert page.locator(".hit").count() == 2 and page.locator("details.versions").count() == 0


def test_the_document_page_lists_its_versions(page):
    page.goto("/doc/first-resent.txt")
    assert page.locator(".versions-list li a").get_attribute("href") == "/doc/first.txt"


@pytest.mark.parametrize("start", ["/doc/harbour%20%3Ci%3Enews%3Ci%3E.html", "/?q=harbour"])
def test_the_original_file_downloads_and_never_renders(page, start):
    page.goto(start)
    title, url = page.title(), page.url
    link = page.locator("a.file-download, a.hit-file").first
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".html")
    assert Path(download.path()).read_text(encoding="utf-8") == HOSTILE_HTML
    assert page.url == url and page.title() == title  # still our page: nothing was rendered in its place
    assert page.evaluate("window.__pwned") is None


def test_opening_the_file_address_itself_downloads_too(page):
    page.goto("/")
    with page.expect_download() as info:
        page.evaluate("location.href = '/file/harbour%20%3Ci%3Enews%3Ci%3E.html'")
    assert info.value.suggested_filename.endswith(".html")
    assert page.evaluate("window.__pwned") is None and page.title() != "pwned"
