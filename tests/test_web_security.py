"""Untrusted documents and queries: payloads show as text, never as markup; headers on every response."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup
from web_fixtures import IMG, JS_URL, SCRIPT

from webapp.security import CONTENT_SECURITY_POLICY
from webapp.snippets import clean_snippet

WEBAPP = Path(__file__).resolve().parents[1] / "webapp"
ESCAPED_SCRIPT = "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;"


class TagAudit(HTMLParser):
    """Every start tag and attribute of a page, to check for anything that could run script."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag} {name}>")
            if tag == "link" and (name, value) == ("href", "data:,"):
                continue  # the empty favicon, so that browsers do not ask for /favicon.ico
            if (
                name in ("href", "src", "action")
                and value
                and re.match(r"\s*(javascript|data|vbscript):", value, re.IGNORECASE)
            ):
                self.problems.append(f"<{tag} {name}={value}>")
        if tag == "script" and not dict(attrs).get("src", "").endswith("/-/static/search/search.js"):
            self.problems.append("inline <script>")
        if tag in ("img", "iframe", "object", "embed", "svg", "b"):
            self.problems.append(f"<{tag}>")


def assert_inert(html: str) -> None:
    audit = TagAudit()
    audit.feed(html)
    assert audit.problems == []
    assert SCRIPT not in html
    assert "<img src=x" not in html


HOSTILE_PAGES = [
    "/",
    "/?q=governance",
    "/?q=hostile",
    "/?q=javascript",
    "/doc/hostile.txt",
    "/doc/hostile.txt?q=governance+script",
    "/doc/feed.jsonl%232",
    "/doc/feed.jsonl%231?q=script",
    "/?source=evil+<script>window.__xss%3D1%3Balert(1)</script>+source",
]


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_payloads_in_documents_render_as_text(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_inert(response.get_data(as_text=True))


def test_hostile_title_and_body_are_escaped(client):
    html = client.get("/?q=hostile").get_data(as_text=True)
    assert ESCAPED_SCRIPT in html
    assert "&lt;img src=x onerror=" in html
    page = client.get("/doc/hostile.txt").get_data(as_text=True)
    assert ESCAPED_SCRIPT in page
    assert '&lt;a href="javascript:window.__xss=3;alert(3)"&gt;click me&lt;/a&gt;' in page


def test_hostile_facet_value_is_escaped_in_the_sidebar_and_chip(client):
    html = client.get("/?source=evil+<script>window.__xss%3D1%3Balert(1)</script>+source").get_data(as_text=True)
    assert f"Source: evil {ESCAPED_SCRIPT} source" in html
    assert_inert(html)


def test_javascript_url_is_never_a_link(client):
    html = client.get("/doc/feed.jsonl%232").get_data(as_text=True)
    assert 'href="javascript' not in html.lower()
    assert "<code>javascript:window.__xss=4;alert(4)</code>" in html
    assert client.get("/api/doc/feed.jsonl%232").get_json()["url"] is None


@pytest.mark.parametrize(
    "query",
    [SCRIPT, IMG, '"><script>alert(1)</script>', "</title><script>alert(1)</script>", JS_URL, "' onfocus='alert(1)"],
)
def test_reflected_query_is_escaped(client, query):
    for path in ("/", "/doc/hostile.txt"):
        response = client.get(path, query_string={"q": query})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert_inert(html)
        assert query not in html or query == JS_URL


def test_payloads_in_facet_and_date_params_are_escaped(client):
    html = client.get("/", query_string={"place": SCRIPT, "from": SCRIPT, "sort": SCRIPT, "page": IMG}).get_data(
        as_text=True
    )
    assert_inert(html)
    assert ESCAPED_SCRIPT in html


def test_snippets_in_json_are_sanitised(client):
    data = client.get("/api/search?q=hostile").get_json()
    hit = data["hits"][0]
    assert hit["title_html"].startswith("<mark>Hostile</mark> &lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;")
    assert all("<script" not in snippet and "<img" not in snippet for snippet in hit["snippets_html"])


def test_clean_snippet_keeps_only_bare_mark():
    html = '<mark class="x" onclick="alert(1)">vote</mark> <script>alert(2)</script><img src=x onerror=alert(3)> &amp; <b>b</b>'
    cleaned = clean_snippet(html)
    assert isinstance(cleaned, Markup)
    assert str(cleaned) == (
        "<mark>vote</mark> &lt;script&gt;alert(2)&lt;/script&gt;&lt;img src=x onerror=alert(3)&gt; &amp; &lt;b&gt;b&lt;/b&gt;"
    )
    assert clean_snippet("") == Markup("")


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("plain &amp; <mark>marked</mark> text", "plain &amp; <mark>marked</mark> text"),  # left as it is
        ("<mark>a</mark><!-- c --><mark>b</mark>", "<mark>a</mark><mark>b</mark>"),
        ("<mark >a</mark >", "<mark>a</mark>"),
        ("<mark>a</mark><markx onclick=alert(1)>", "<mark>a</mark>&lt;markx onclick=alert(1)&gt;"),
        ("</mark><mark><svg onload=alert(1)>", "<mark>&lt;svg onload=alert(1)&gt;</mark>"),
    ],
)
def test_only_bare_marks_skip_the_sanitiser(html, expected):
    assert str(clean_snippet(html)) == expected


def test_markup_and_bleach_live_only_in_snippets_py():
    for path in WEBAPP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name != "snippets.py":
            assert "Markup(" not in text, path
            assert "import bleach" not in text, path


def test_templates_have_no_safe_filter_inline_script_or_style():
    for path in (WEBAPP / "templates").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "|safe" not in text.replace(" ", ""), path
            assert "style=" not in text, path
            assert "<style" not in text, path
            assert re.search(r"<script(?![^>]*\bsrc=)", text) is None, path
            assert not re.search(r"\son\w+=", text), path


ROUTES = [
    ("/", 200),
    ("/?q=governance", 200),
    ("/api/search", 200),
    ("/api/search?from=x", 400),
    ("/doc/world/story-01.txt", 200),
    ("/api/doc/world/story-01.txt", 200),
    ("/doc/missing", 404),
    ("/api/doc/missing", 404),
    ("/feed", 200),
    ("/feed?sort=zzz", 400),
    ("/export.csv", 200),
    ("/export.jsonl", 200),
    ("/opensearch.xml", 200),
    ("/-/static/search/search.css", 200),
    ("/-/static/search/search.js", 200),
    ("/no/such/page", 404),
]


@pytest.mark.parametrize(("path", "status"), ROUTES)
def test_security_headers_on_every_response(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    response.close()


def test_csp_forbids_inline_script():
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    "path",
    [
        "/doc/../../etc/passwd",
        "/doc/..%2F..%2Fetc%2Fpasswd",
        "/doc/%2e%2e/%2e%2e/etc/passwd",
        "/doc//etc/passwd",
        "/api/doc/../../etc/passwd",
        "/doc/world/../../../etc/passwd",
        "/doc/%00",
    ],
)
def test_path_traversal_ids_are_plain_404s(client, path):
    response = client.get(path, follow_redirects=True)  # "//" is merged by a redirect first
    assert response.status_code == 404
    assert "root:" not in response.get_data(as_text=True)
