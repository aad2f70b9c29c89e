"""CSV and JSON lines exports of every result, the Atom feed, the OpenSearch description."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from webapp.exports import CSV_COLUMNS, safe_cell

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"


def search_ids(client, query: str) -> list[str]:
    data = client.get(f"/api/search?{query}").get_json()
    ids = []
    for page in range(1, data["page_count"] + 1):
        ids += [hit["id"] for hit in client.get(f"/api/search?{query}&page={page}").get_json()["hits"]]
    return ids


def test_csv_exports_every_hit_in_order(client):
    response = client.get("/export.csv?q=governance")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="search.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [row["id"] for row in rows] == search_ids(client, "q=governance")
    assert len(rows) == 17  # more than one page of results
    story = next(row for row in rows if row["id"] == "world/story-01.txt")
    assert story == {
        "id": "world/story-01.txt",
        "title": "Paris election talks enter round 1",
        "date": "2015-03-02",
        "source": "",
        "language": "en",
        "people": "Vladimir Petrov; Angela Weber",
        "organizations": "United Nations; World Bank",
        "places": "Paris; Geneva",
        "countries": "France; Switzerland",
        "url": "",
    }


def test_csv_cells_cannot_start_a_formula(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv?q=formula").get_data(as_text=True))))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example") formula story'
    assert rows[0]["source"] == "'@formula.example"
    assert [safe_cell(v) for v in ("=1", "+1", "-1", "@a", "\tx", "ok", "")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "ok",
        "",
    ]


def test_csv_respects_filters_and_dates(client):
    rows = list(
        csv.DictReader(io.StringIO(client.get("/export.csv?place=Paris&from=2016-01-01").get_data(as_text=True)))
    )
    assert [row["id"] for row in rows] == ["feed.jsonl#1"]


def test_jsonl_exports_every_hit(client):
    response = client.get("/export.jsonl")
    assert response.status_code == 200
    records = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [r["id"] for r in records] == search_ids(client, "")
    assert len(records) == 19
    assert set(records[0]) == set(CSV_COLUMNS)
    hostile = next(r for r in records if r["id"] == "hostile.txt")
    assert hostile["title"].startswith("Hostile <script>")  # data, not HTML: JSON carries the text as is


def test_exports_reject_bad_dates(client):
    assert client.get("/export.csv?from=never").status_code == 400
    assert client.get("/export.jsonl?to=never").status_code == 400


def test_feed_is_valid_atom_newest_first(client):
    response = client.get("/feed?q=governance&place=Paris&page=3")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "News search: governance (Place: Paris)"  # the filters too
    assert feed.findtext(f"{ATOM}id") == "/feed?q=governance&place=Paris"  # no base URL: relative
    assert feed.findtext(f"{ATOM}updated") == "2016-05-01T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated")[:10] for e in entries] == [
        "2016-05-01",
        "2015-03-14",
        "2015-03-10",
        "2015-03-06",
        "2015-03-02",
    ]
    first = entries[0]
    assert first.findtext(f"{ATOM}id") == "/doc/feed.jsonl%231"
    assert first.find(f"{ATOM}link").get("href") == "/doc/feed.jsonl%231"
    assert first.findtext(f"{ATOM}title") == "Trusted link story <script>window.__xss=1;alert(1)</script>"
    assert "<mark>governance</mark>" in first.findtext(f"{ATOM}summary")
    assert first.find(f"{ATOM}summary").get("type") == "html"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "example.org"


def test_feed_of_everything_and_of_nothing(client):
    everything = ET.fromstring(client.get("/feed").data)
    assert everything.findtext(f"{ATOM}title") == "News search: newest articles"
    assert len(everything.findall(f"{ATOM}entry")) == 19
    nothing = ET.fromstring(client.get("/feed?q=zebracorn").data)
    assert nothing.findall(f"{ATOM}entry") == []
    assert nothing.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"


def test_results_page_links_the_feed_and_exports(client):
    html = client.get("/?q=governance&page=2").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml" title="Atom feed" href="/feed?q=governance">' in html
    assert '<a href="/export.csv?q=governance">CSV</a>' in html
    assert '<a href="/export.jsonl?q=governance">JSON lines</a>' in html


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    assert root.findtext(f"{OPENSEARCH}ShortName") == "News search"
    templates = {url.get("type"): url.get("template") for url in root.findall(f"{OPENSEARCH}Url")}
    assert templates == {
        "text/html": "/?q={searchTerms}",
        "application/atom+xml": "/feed?q={searchTerms}",
        "application/json": "/api/search?q={searchTerms}",
    }
    html = client.get("/").get_data(as_text=True)
    assert (
        '<link rel="search" type="application/opensearchdescription+xml" title="News search" href="/opensearch.xml">'
        in html
    )
