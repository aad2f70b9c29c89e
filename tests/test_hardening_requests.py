"""Hostile requests: any parameters on any route give a 2xx or a clean 4xx, fast; ids stay in the index.

Bound: every request below costs under REQUEST_SECONDS of CPU on the test corpus (the test client runs
the request in this thread: time.thread_time counts its work, not the time other processes took the CPU).
"""

from __future__ import annotations

import time
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer import FACETS
from webapp import cli as webapp_cli
from webapp.params import MAX_FILTER_VALUES
from webapp.security import CONTENT_SECURITY_POLICY

REQUEST_SECONDS = 2.0
ROUTES = [
    "/",
    "/doc/hostile.txt",
    "/doc/feed.jsonl%232",
    "/api/search",
    "/api/doc/world/story-01.txt",
    "/feed",
    "/export.csv",
    "/export.jsonl",
    "/opensearch.xml",
    "/-/static/search/search.css",
]
PARAMS = ["q", "page", "sort", "from", "to", "more", *FACETS, "", "Q", "page[]", "x" * 300]
HELPFUL = ("is not a date like", "is not a way to sort", "filters were used", "so no article can match")

ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
CONTROL = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from("\x7f\u202e\ufeff\u2028")
)
QUERY_SYNTAX = st.lists(
    st.sampled_from(
        [
            '"',
            "(",
            ")",
            "[",
            "]",
            "{",
            "}",
            "*",
            "?",
            "~",
            "^",
            ":",
            "AND",
            "OR",
            "NOT",
            "-",
            "+",
            " ",
            "title:",
            "body:",
            "nosuchfield:",
            "date:",
            "date:[2016 TO",
            "person:(",
            "governance",
            "Moscow",
            "\\",
            "/",
            "'",
            "TO",
            "`",
            "&&",
            "||",
            "!",
        ]
    ),
    max_size=40,
).map("".join)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["0", "-0", "+1", "1e9", "0x10", "٣", "１", "1.5", "NaN", "inf", " 2 ", "9" * 400]),
)
DATES = st.one_of(
    st.dates().map(str),
    st.sampled_from(
        [
            "2016-02-30",
            "2016-13-01",
            "0000-00-00",
            "9999-99-99",
            "-2016-01-01",
            "20160101",
            "2016-1-1",
            "yesterday",
            "2016-01-01T00:00",
            "2016-01-01\x00",
            "10000-01-01",
        ]
    ),
)
VALUES = st.one_of(ANY_TEXT, CONTROL, QUERY_SYNTAX, NUMBERS, DATES)
PAIRS = st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=8)


def timed_get(client, path, **kwargs):
    started = time.thread_time()
    response = client.get(path, **kwargs)
    body = response.get_data()  # streamed exports are produced here
    elapsed = time.thread_time() - started
    response.close()  # static files are served from an open file
    assert elapsed < REQUEST_SECONDS, f"{path} took {elapsed:.2f} s of CPU"
    return response, body


def assert_clean(response, body: bytes) -> None:
    """A 2xx, or a 4xx that says what was wrong; never a 5xx; always the security headers."""
    assert response.status_code < 500, body[:300]
    assert response.status_code in (200, 302, 400, 404), response.status_code
    if response.status_code == 302:  # empty parameters dropped: to a relative URL on this site
        assert response.headers["Location"].startswith("/") and not response.headers["Location"].startswith("//")
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    if response.status_code == 400:
        text = body.decode("utf-8")
        assert any(message in text for message in HELPFUL), text[:500]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=st.sampled_from(ROUTES), pairs=PAIRS)
def test_any_parameters_on_any_route(client, route, pairs):
    assert_clean(*timed_get(client, route, query_string=pairs))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc_id=st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=80))
def test_any_document_id(client, doc_id):
    for prefix in ("/doc/", "/api/doc/"):
        response, body = timed_get(client, prefix + doc_id.replace("#", "%23").replace("?", "%3F"))
        assert response.status_code in (200, 404, 308), body[:300]  # 308: werkzeug merges "//"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(["/", "/api/search", "/feed", "/export.jsonl", "/doc/hostile.txt"]),
    unit=st.sampled_from(["governance ", "(", '"', "nosuchfield:x ", "g* ", "\x01\u202e", "title:gov* ", "ü~ "]),
)
def test_100_kb_queries(client, route, unit):
    query = (unit * (100_000 // len(unit) + 1))[:100_000]
    response, body = timed_get(client, route, query_string={"q": query})
    assert response.status_code == 200
    # Linear, not multiplied: the title and the search box echo the query (a '"' escapes to 5 bytes), while
    # the page's dozens of links carry at most its first 1000 characters, all the library reads.
    assert len(body) < 12 * len(query.encode()) + 200_000


def test_repeated_and_conflicting_parameters(client):
    conflicting = [
        ("q", "governance"),
        ("q", "moscow"),
        ("sort", "newest"),
        ("sort", "bogus"),
        ("page", "2"),
        ("page", "-1"),
        ("from", "2017-01-01"),
        ("from", "2014-01-01"),
        ("more", "org"),
        ("more", "nope"),
    ]
    response, body = timed_get(client, "/api/search", query_string=conflicting)
    data = response.get_json()
    assert (data["query"], data["sort"], data["page"], data["date_from"]) == ("governance", "newest", 1, "2017-01-01")
    # A thousand values of each facet: the first 20 are used, with a message; links stay short.
    flood = [("q", "governance")] + [(name, f"value {n}") for name in FACETS for n in range(1000)]
    flood += [("sort", "newest")] * 1000 + [("utm", "x")] * 1000
    response, body = timed_get(client, "/", query_string=flood)
    assert response.status_code == 200
    html = body.decode("utf-8")
    assert f"Only the first {MAX_FILTER_VALUES} of the 1000 “Place” filters were used." in html
    # 160 chips and selected values (8 facets), each with a toggle and an exclude link carrying the 160 filters.
    assert len(html) < 2_000_000
    response, body = timed_get(client, "/api/search", query_string=flood)
    assert response.status_code == 400
    assert response.get_json()["messages"][0] == "Only the first 20 of the 1000 “Year” filters were used."


@pytest.mark.parametrize("page", ["-1", "0", "999999999999999999999999", "1" * 5000, "-99999999999"])
def test_huge_and_negative_pages(client, page):
    for route in ("/", "/api/search", "/feed"):
        response, _ = timed_get(client, route, query_string={"q": "governance", "page": page})
        assert response.status_code == 200


TRAVERSALS = [
    "/doc/../../etc/passwd",
    "/doc/..%2f..%2fetc%2fpasswd",
    "/doc/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/doc/%2e%2e/%2e%2e/etc/passwd",
    "/doc/..%2F..%2F..%2Fetc%2Fpasswd",
    "/doc/%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "/doc/..%252f..%252fetc%252fpasswd",
    "/doc/..\\..\\etc\\passwd",
    "/doc/..%5c..%5cetc%5cpasswd",
    "/doc/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/doc/world/../../../etc/passwd",
    "/doc/world/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/doc/%00",
    "/doc/..%00/etc/passwd",
    "/doc/hostile.txt%00",
    "/doc/hostile.txt%00.html",
    "/doc//etc/passwd",
    "/doc/%2fetc%2fpasswd",
    "/doc/file:///etc/passwd",
    "/doc/~root/.ssh/id_rsa",
    "/doc/.build.lock",
    "/doc/CURRENT",
    "/doc/../index/CURRENT",
    "/-/static/../../../../etc/passwd",
    "/-/static/%2e%2e/%2e%2e/blueprint.py",
    "/-/static/..%2f..%2fblueprint.py",
    "/-/static/search/..%2f..%2f__init__.py",
]


@pytest.mark.parametrize("path", TRAVERSALS)
@pytest.mark.parametrize("api", [False, True])
def test_document_ids_cannot_leave_the_index(client, path, api):
    if api:
        if not path.startswith("/doc/"):
            pytest.skip("static files have no API twin")
        path = "/api" + path
    response = client.get(path, follow_redirects=True)
    body = response.get_data(as_text=True)
    response.close()
    assert response.status_code == 404, path
    assert "root:" not in body and "import " not in body and "gen-" not in body
    assert response.headers["X-Content-Type-Options"] == "nosniff"


HEADER_ROUTES = [
    ("/", 200),
    ("/?q=governance&from=nope", 200),
    ("/doc/hostile.txt", 200),
    ("/doc/nope", 404),
    ("/api/doc/nope", 404),
    ("/api/search?sort=zzz", 400),
    ("/feed", 200),
    ("/feed?from=x", 400),
    ("/export.csv", 200),
    ("/export.csv?to=x", 400),
    ("/export.jsonl", 200),
    ("/opensearch.xml", 200),
    ("/-/static/search/search.js", 200),
    ("/-/static/search/nope.js", 404),
    ("/no/such/page", 404),
    ("/doc/..%2f..%2fetc%2fpasswd", 404),
]


@pytest.mark.parametrize(("path", "status"), HEADER_ROUTES)
def test_security_headers_on_every_kind_of_response(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    response.close()


def test_head_and_other_methods_are_clean(client):
    assert client.head("/?q=governance").status_code == 200
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)("/?q=governance")
        response.close()
        assert response.status_code == 405
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_serve_never_runs_in_debug_mode(corpus_dirs, monkeypatch):
    """The gunicorn app that `seedsearch serve` builds: no reload, a Flask app with debug off, even with FLASK_DEBUG=1."""
    source_dir, index_dir = corpus_dirs
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with mock.patch.object(webapp_cli.SearchServer, "run", autospec=True) as run:
        result = webapp_cli.main.main(
            ["serve", "--index", str(index_dir), "--source", str(source_dir), "--port", "0"], standalone_mode=False
        )
    assert result is None
    server = run.call_args.args[0]
    assert server.cfg.reload is False
    assert server.cfg.loglevel == "info"
    assert server.options.get("reload") is None and server.options.get("debug") is None
    app = server.load()
    assert app.debug is False
    assert app.config["DEBUG"] is False
    assert app.config.get("PROPAGATE_EXCEPTIONS") is None
    assert app.test_client().get("/no/such/page").status_code == 404
