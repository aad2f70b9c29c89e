"""Hostile documents and parameters: every XSS payload shows as text on every page, feed, export and API.

The corpus puts each payload in titles, bodies, names, source names, an HTML page and JSON lines
(including `url: "javascript:..."`); the browser half of this check is tests/browser/test_browser_xss.py.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from indexer import build_index
from webapp import create_app

# What a payload does when it runs: a marker, a dialog, a changed title. No spaces, so that it
# also fits an unquoted attribute.
JS = "window.__xss=1;alert(1);document.title='pwned'"
TERM = "zebrafish"  # the search word that lands <mark> in the middle of the split payloads

PAYLOADS = [
    # script tags
    f"<script>{JS}</script>",
    f"<SCRIPT>{JS}</SCRIPT>",
    f"<ScRiPt >{JS}</sCrIpT >",
    "<script src=//evil.example/x.js></script>",
    f"<script>/*</script><script>*/{JS}</script>",
    f"<svg><script>{JS}</script></svg>",
    f"<template><script>{JS}</script></template>",
    f'<iframe srcdoc="<script>{JS}</script>"></iframe>',
    # event handlers
    f"<img src=x onerror={JS}>",
    f'<img src=x onerror="{JS}">',
    f"<img/src/onerror={JS}>",
    f"<svg onload={JS}>",
    f"<svg/onload={JS}>",
    f"<body onload={JS}>",
    f"<details open ontoggle={JS}>",
    f"<input autofocus onfocus={JS}>",
    f"<video><source onerror={JS}></video>",
    f"<audio src=x onerror={JS}>",
    f"<marquee onstart={JS}>",
    f"<x onclick={JS}>click</x>",
    f"<mark onmouseover={JS}>marked</mark>",
    f"<div style=\"background:url('javascript:{JS}')\">",
    # javascript: and data: URLs
    f'<a href="javascript:{JS}">link</a>',
    f'<a href=" JaVaScRiPt:{JS}">link</a>',
    f'<iframe src="javascript:{JS}"></iframe>',
    f'<embed src="javascript:{JS}">',
    f'<form action="javascript:{JS}"><button>go</button></form>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f'<base href="javascript:{JS}//">',
    f"javascript:{JS}",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    f'<a href="data:text/html,<script>{JS}</script>">data</a>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    # attribute and element breakouts
    f'"><script>{JS}</script>',
    f"'><img src=x onerror={JS}>",
    f'" autofocus onfocus="{JS}',
    f"' autofocus onfocus='{JS}",
    f"</title><script>{JS}</script>",
    f"</textarea><script>{JS}</script>",
    f"</mark><script>{JS}</script><mark>",
    f'</code></dd><img src=x onerror="{JS}">',
    # broken and nested tags
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f"<<script>{JS};//<</script>",
    f"<img src=x onerror={JS}//",
    f'<!--<img src="--><img src=x onerror={JS}//">',
    f"<![CDATA[<script>{JS}</script>]]>",
    f'<noscript><p title="</noscript><img src=x onerror={JS}>">',
    f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    # entity tricks: they must show as the entities, not be decoded into tags
    f"&lt;script&gt;{JS}&lt;/script&gt;",
    f"&#60;script&#62;{JS}&#60;/script&#62;",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(1)>",
    f'<a href="&#106;avascript:{JS}">entity</a>',
    f'<a href="jav&#x09;ascript:{JS}">tab</a>',
    # split across a highlight boundary: the search word sits inside the payload
    f"<img src=x {TERM} onerror={JS}>",
    f"<script>{TERM};{JS}</script>",
    f'<a href="javascript:{TERM};{JS}">{TERM}</a>',
    f"<svg onload={JS};{TERM}>",
    f"<scr{TERM}ipt>{JS}</script>",
    # template syntax must stay text as well
    "{{ config }} {% raw %} ${alert(1)}",
]
assert len(PAYLOADS) >= 50

# Capitalised runs that the name finder takes for people and organisations, made of payload words.
NAMES_TEXT = (
    f"Names {TERM} report\nApril 3, 2016\n\n"
    "Minister Vladimir Onerror Petrov met Alert Weber and the Window Xss Onload Ministry in Paris. "
    "The Svg Onload Foundation said Jean O'Onfocus Dupont would attend. "
    "President Ahmed&Quot Javascript spoke later, with Tom&Lt Script from the Img Src Onerror Bank.\n"
)
NAME_PAYLOADS = ["Vladimir Onerror Petrov", "Alert Weber", "Svg Onload Foundation"]

HOSTILE_SOURCE = f"<script>{JS}</script>.example"
HOSTILE_URLS = [
    f"javascript:{JS}",
    f"  JaVaScRiPt:{JS}",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    f"vbscript:{JS}",
]
QUOTED_URL = 'https://example.org/a"><script>alert(1)</script>'  # a real link whose address breaks out


def chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def text_documents() -> dict[str, str]:
    """Plain-text stories: a few payloads in each title, a payload source line, every payload in the body."""
    files = {}
    for number, group in enumerate(chunks(PAYLOADS, 4), start=1):
        title = f"Story {number} {TERM} " + " ".join(group)
        body = "\n\n".join(f"Paragraph {TERM} {index}: {payload}" for index, payload in enumerate(PAYLOADS))
        files[f"text/story-{number:02d}.txt"] = f"{title}\nSource: {HOSTILE_SOURCE}\nMay 4, 2016\n\n{body}\n"
    files["text/names.txt"] = NAMES_TEXT
    return files


def html_page() -> str:
    """A page for trafilatura: payloads as escaped text (they must survive as text) and as real markup."""
    escaped = "".join(f"<p>{TERM} page paragraph: {html.escape(payload)}</p>" for payload in PAYLOADS)
    return (
        "<!doctype html><html><head>"
        f"<title>HTML {TERM} page {html.escape(PAYLOADS[0])}</title>"
        f'<meta property="og:site_name" content="{html.escape(HOSTILE_SOURCE)}">'
        f'<meta property="og:url" content="{html.escape(HOSTILE_URLS[0])}">'
        f"<script>{JS}</script></head><body><article>"
        f"<h1>HTML {TERM} page {html.escape(PAYLOADS[0])}</h1>"
        f"{escaped}"
        f'<p>Real markup: <img src=x onerror="{JS}"> <svg onload="{JS}"></svg> the {TERM} story ends.</p>'
        "</article></body></html>"
    )


def jsonl_records() -> list[dict]:
    """JSON lines with payloads in title, text, source and url (javascript:, data:, vbscript:, a quote)."""
    records = [
        {
            "title": f"JSON {TERM} all " + " ".join(PAYLOADS),
            "text": "\n\n".join(f"{TERM} line {payload}" for payload in PAYLOADS),
            "date": "2016-06-01",
            "source": HOSTILE_SOURCE,
            "url": QUOTED_URL,
        }
    ]
    for number, url in enumerate(HOSTILE_URLS, start=1):
        records.append(
            {
                "title": f"JSON {TERM} link {number} {PAYLOADS[number]}",
                "text": f"A {TERM} story whose address is {url} and whose text says {PAYLOADS[-number]}.",
                "date": f"2016-06-0{number + 1}",
                "source": PAYLOADS[number + 8],
                "url": url,
            }
        )
    return records


def write_hostile_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in text_documents().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "html").mkdir(exist_ok=True)
    (folder / "html" / "page.html").write_text(html_page(), encoding="utf-8")
    lines = [json.dumps(record, ensure_ascii=False) for record in jsonl_records()]
    # The same payload once more, spelled with JSON escapes (\u003c) and a U+2028 inside.
    lines.append(json.dumps({"title": f"Escaped JSON {TERM}\u2028<script>{JS}</script>", "text": "x"}))
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def build_hostile_index(tmp: Path) -> tuple[Path, Path]:
    source_dir = write_hostile_corpus(tmp / "hostile-corpus")
    index_dir = tmp / "hostile-index"
    build_index(source_dir, index_dir, jobs=1)
    return source_dir, index_dir


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    source_dir, index_dir = build_hostile_index(tmp_path_factory.mktemp("hostile-xss"))
    app = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(index_dir), "SEARCH_SOURCE_DIR": str(source_dir)})
    return app.test_client()


# -- HTTP level: the vocabulary of every page is the templates' own ---------------------------

TEMPLATES = Path(__file__).resolve().parents[1] / "webapp" / "templates"
SEARCH_JS = "/-/static/search/search.js"


def template_vocabulary() -> tuple[set[str], set[str]]:
    """Every tag and attribute name the templates write: a page may hold nothing else."""
    text = "".join(path.read_text(encoding="utf-8") for path in TEMPLATES.rglob("*.html"))
    tags, attributes = {"mark"}, set()
    for tag, inside in re.findall(r"<([a-z][a-z0-9]*)([^>]*)>", text):
        tags.add(tag)
        inside = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\"[^\"]*\"", " ", inside)
        attributes.update(re.findall(r"(?<![\w-])([a-z][a-z-]*)(?==|\s|$)", inside))
    return tags, attributes


TAGS, ATTRIBUTES = template_vocabulary()
UNSAFE_URL = re.compile(r"\s*(javascript|data|vbscript)\s*:", re.IGNORECASE)


class PageAudit(HTMLParser):
    """A page's foreign tags and attributes, its unsafe URLs, scripts, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.title: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.problems.append(f"foreign tag <{tag}>")
        for name, value in attrs:
            if name not in ATTRIBUTES:
                self.problems.append(f"foreign attribute <{tag} {name}>")
            favicon = tag == "link" and value == "data:,"  # the empty favicon
            if name in ("href", "src", "action") and value and UNSAFE_URL.match(value) and not favicon:
                self.problems.append(f"unsafe URL <{tag} {name}={value!r}>")
        if tag == "script" and dict(attrs).get("src") != SEARCH_JS:
            self.problems.append(f"script {attrs}")
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        (self.title if self._in_title else self.text).append(data)


def audit(body: str) -> PageAudit:
    page = PageAudit()
    page.feed(body)
    page.close()
    assert page.problems == []
    # The one <script in the page is ours; every other "<script" of a payload arrived escaped.
    assert len(re.findall(r"<\s*script", body, re.IGNORECASE)) == 1
    return page


def assert_no_foreign_script(response) -> None:
    """HTML pages pass the audit; JSON, XML and JSON lines hold no "<script" at all (CSV is a download)."""
    body = response.get_data(as_text=True)
    if response.mimetype == "text/html":
        audit(body)
    elif response.mimetype == "text/csv":
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    else:
        assert not re.search(r"<\s*script", body, re.IGNORECASE), response.mimetype


def flat(text: str) -> str:
    return " ".join(text.split())


def page_text(page: PageAudit) -> str:
    return flat("".join(page.text))


def hit_ids(client) -> list[str]:
    """Every matching document, near-identical versions included."""
    return [hit["id"] for hit in client.get(f"/api/search?q={TERM}&versions=all").get_json()["hits"]] + [
        hit["id"]
        for page in (2, 3)
        for hit in client.get(f"/api/search?q={TERM}&page={page}&versions=all").get_json()["hits"]
    ]


def test_every_payload_reaches_titles_bodies_names_and_sources(hostile_client):
    """The corpus really carries the payloads into the fields the pages print (else the rest proves nothing)."""
    data = hostile_client.get("/api/search", query_string={"q": TERM, "more": "org"}).get_json()
    assert data["total"] == 23
    hits = [
        hit for page in (1, 2, 3) for hit in hostile_client.get(f"/api/search?q={TERM}&page={page}").get_json()["hits"]
    ]
    titles = " ".join(hit["title"] for hit in hits)
    assert all(payload in titles for payload in PAYLOADS)
    assert {hit["source"] for hit in hits} >= {HOSTILE_SOURCE, *PAYLOADS[9:13]}
    facets = {facet["name"]: [value["value"] for value in facet["values"]] for facet in data["facets"]}
    assert set(NAME_PAYLOADS + ["Jean O'Onfocus Dupont", "Ahmed&Quot Javascript"]) <= set(
        facets["person"] + facets["org"]
    )
    body = hostile_client.get("/api/doc/text/story-01.txt").get_json()["body_html"]
    assert all(html.escape(payload, quote=False) in body for payload in PAYLOADS)


def test_results_pages_print_payloads_as_text(hostile_client):
    for path in ["/", f"/?q={TERM}", f"/?q={TERM}&page=2", f"/?q={TERM}&page=3", f"/?q={TERM}&more=org"]:
        response = hostile_client.get(path)
        assert response.status_code == 200
        page = audit(response.get_data(as_text=True))
        shown = page_text(page)
        for hit in hostile_client.get(path.replace("/?", "/api/search?") if "?" in path else "/api/search").get_json()[
            "hits"
        ]:
            assert flat(hit["title"]) in shown
            assert flat(hit["source"] or "") in shown


def test_document_pages_print_payloads_as_text(hostile_client):
    ids = hit_ids(hostile_client)
    assert len(ids) == 23
    for doc_id in ids:
        for query in ("", TERM):
            response = hostile_client.get(f"/doc/{doc_id.replace('#', '%23')}", query_string={"q": query})
            assert response.status_code == 200, doc_id
            page = audit(response.get_data(as_text=True))
            doc = hostile_client.get(f"/api/doc/{doc_id.replace('#', '%23')}").get_json()
            shown = page_text(page)
            assert flat(doc["title"]) in shown
            assert flat(doc["title"]) in flat("".join(page.title))
            if doc_id.startswith("text/story") or doc_id in ("html/page.html", "feed.jsonl#1"):
                # trafilatura decodes entities twice ("&amp;lt;" -> "<"), so the page's text is that.
                expected = [html.unescape(p) if doc_id.endswith(".html") else p for p in PAYLOADS]
                missing = [payload for payload in expected if flat(payload) not in shown]
                assert missing == [], doc_id


def test_hostile_urls_are_never_links(hostile_client):
    for number, url in enumerate(HOSTILE_URLS, start=2):
        body = hostile_client.get(f"/doc/feed.jsonl%23{number}").get_data(as_text=True)
        page = audit(body)
        assert 'class="original"' not in body
        assert url.strip() in page_text(page)  # shown as text, in <code>
        assert hostile_client.get(f"/api/doc/feed.jsonl%23{number}").get_json()["url"] is None
    body = hostile_client.get("/doc/feed.jsonl%231").get_data(as_text=True)
    audit(body)
    assert '<a href="https://example.org/a&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in body


def test_facet_values_and_names_are_text_in_sidebar_chips_and_links(hostile_client):
    data = hostile_client.get("/api/search", query_string={"q": TERM, "more": "org"}).get_json()
    values = [(facet["name"], value) for facet in data["facets"] for value in facet["values"]]
    assert len(values) >= 20
    for name, value in values:
        response = hostile_client.get(value["toggle_url"])
        assert response.status_code == 200
        page = audit(response.get_data(as_text=True))
        assert flat(value["label"]) in page_text(page)  # in the chip
        assert [
            chip["value"]
            for chip in hostile_client.get(value["toggle_url"].replace("/?", "/api/search?")).get_json()["chips"]
        ] == [value["value"]]


class InputValue(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("id") == "q":
            self.values["q"] = attrs.get("value")


FACET_PARAMS = ("year", "person", "org", "place", "source", "lang")


@pytest.mark.parametrize("group", chunks(PAYLOADS, 6), ids=lambda group: f"{PAYLOADS.index(group[0])}")
def test_payloads_as_query_and_parameters_stay_text(hostile_client, group):
    """Six payloads at a time: one as the query, all of them repeated in every facet, dates, sort, page, more."""
    query = " ".join(group)
    args = [("q", query)] + [
        (key, payload) for key in (*FACET_PARAMS, "from", "to", "sort", "page", "more") for payload in group
    ]
    for path in ("/", "/doc/text/names.txt", f"/doc/{group[0]}"):
        response = hostile_client.get(path, query_string=args)
        assert response.status_code in (200, 404), path
        body = response.get_data(as_text=True)
        page = audit(body)
        if response.status_code == 200:
            form = InputValue()
            form.feed(body)
            assert form.values["q"] == query  # the query comes back in the box, as the value
            if path == "/":
                assert flat(query) in flat("".join(page.title))
                assert all(f"Source: {flat(payload)}" in page_text(page) for payload in group)  # the chips
    searched = [("q", query)] + [(key, payload) for key in FACET_PARAMS for payload in group]
    for path in ("/api/search", "/feed", "/export.csv", "/export.jsonl"):
        response = hostile_client.get(path, query_string=searched)
        assert response.status_code == 200, path
        assert_no_foreign_script(response)
    for path in ("/api/search", "/feed", "/export.jsonl", "/export.csv"):  # a rejected date echoed in the message
        response = hostile_client.get(path, query_string={"from": group[0], "to": group[-1]})
        assert response.status_code == 400
        assert_no_foreign_script(response)
