"""The results page and its parameters: query, facets (OR within, AND across), chips, pages, errors."""

from __future__ import annotations

import re

import pytest

ALL_DOCS = 19  # 14 stories, hostile.txt, ru.txt, three JSON lines


def api(client, query: str) -> dict:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == 200, response.data
    return response.get_json()


def facet(data: dict, name: str) -> dict:
    return next(f for f in data["facets"] if f["name"] == name)


def counts(data: dict, name: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in facet(data, name)["values"]}


def test_empty_query_browses_everything_newest_first(client):
    html = client.get("/").get_data(as_text=True)
    assert f"<strong>{ALL_DOCS} results</strong>" in html
    assert "All articles, newest first" in html
    data = api(client, "")
    dates = [hit["date"] for hit in data["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert data["sort"] == "newest"
    assert counts(data, "lang") == {"en": 18, "ru": 1}


def test_results_show_title_link_with_query_marks_names_and_time(client):
    html = client.get("/?q=governance&place=Paris").get_data(as_text=True)
    assert "<strong>5 results</strong>" in html
    assert re.search(r'<span class="muted">in \d+ ms</span>', html)
    assert '<a href="/doc/world/story-01.txt?q=governance">Paris election talks enter round 1</a>' in html
    assert "internet <mark>governance</mark>." in html
    assert (
        '<span class="muted">People:</span> <a href="/entity/person/Vladimir%20Petrov">Vladimir Petrov</a>, '
        '<a href="/entity/person/Angela%20Weber">Angela Weber</a>' in html
    )
    assert 'aria-live="polite"' in html
    assert '<label class="search-label" for="q">' in html


def test_selecting_a_facet_value_adds_it_to_the_url(client):
    data = api(client, "q=governance")
    paris = next(v for v in facet(data, "place")["values"] if v["value"] == "Paris")
    assert paris == {
        "value": "Paris",
        "label": "Paris",
        "count": 5,
        "selected": False,
        "excluded": False,
        "toggle_url": "/?q=governance&place=Paris",
        "exclude_url": "/?q=governance&not_place=Paris",
    }
    html = client.get(paris["toggle_url"]).get_data(as_text=True)
    assert "<strong>5 results</strong>" in html
    assert 'aria-label="Remove filter Place: Paris (5)" aria-current="true"' in html
    assert 'aria-label="Filter by Place: Berlin (4)"' in html


def test_two_values_of_one_facet_are_ored_and_siblings_keep_their_counts(client):
    one = api(client, "q=governance&place=Paris")
    berlin = next(v for v in facet(one, "place")["values"] if v["value"] == "Berlin")
    assert berlin["toggle_url"] == "/?q=governance&place=Paris&place=Berlin"
    two = api(client, "q=governance&place=Paris&place=Berlin")
    assert two["total"] == 5 + 4
    assert counts(two, "place") == counts(one, "place")
    assert sorted(v["value"] for v in facet(two, "place")["values"] if v["selected"]) == ["Berlin", "Paris"]
    assert two["filters"] == {"place": ["Paris", "Berlin"]}
    # Another facet is AND-ed: only the 2015 stories among Paris or Berlin.
    both = api(client, "q=governance&place=Paris&place=Berlin&year=2015")
    assert both["total"] == 4
    assert {hit["date"][:4] for hit in both["hits"]} == {"2015"}


def test_chips_remove_one_value_and_reset_the_page(client):
    data = api(client, "q=governance&place=Paris&place=Berlin&page=2&from=2010-01-01")
    assert data["chips"] == [
        {
            "facet": "place",
            "value": "Paris",
            "excluded": False,
            "label": "Place: Paris",
            "remove_url": "/?q=governance&place=Berlin&from=2010-01-01",
        },
        {
            "facet": "place",
            "value": "Berlin",
            "excluded": False,
            "label": "Place: Berlin",
            "remove_url": "/?q=governance&place=Paris&from=2010-01-01",
        },
        {
            "facet": "from",
            "value": "2010-01-01",
            "excluded": False,
            "label": "From 2010-01-01",
            "remove_url": "/?q=governance&place=Paris&place=Berlin",
        },
    ]
    html = client.get(data["chips"][0]["remove_url"]).get_data(as_text=True)
    assert "<strong>4 results</strong>" in html
    assert 'aria-label="Remove filter Place: Berlin"' in html


def test_toggle_urls_drop_the_page(client):
    data = api(client, "page=2")
    assert data["page"] == 2
    for f in data["facets"]:
        for value in f["values"]:
            assert "page=" not in value["toggle_url"]


def test_pagination_marks_the_current_page(client):
    first = client.get("/").get_data(as_text=True)
    assert '<a href="/" aria-current="page" aria-label="Page 1">1</a>' in first
    assert '<a href="/?page=2" rel="next">Next</a>' in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert '<a href="/?page=2" aria-current="page" aria-label="Page 2">2</a>' in second
    assert '<a href="/" rel="prev">Previous</a>' in second
    assert api(client, "page=2")["pagination"] == {
        "previous": "/",
        "next": None,
        "pages": [{"number": 1, "url": "/", "current": False}, {"number": 2, "url": "/?page=2", "current": True}],
    }


@pytest.mark.parametrize(
    ("page", "expected", "message"),
    [("999", 2, False), ("-3", 1, False), ("0", 1, False), ("abc", 1, True), ("9" * 5000, 2, False), ("1.5", 1, True)],
)
def test_page_numbers_are_clamped(client, page, expected, message):
    response = client.get(f"/?page={page}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'aria-current="page" aria-label="Page {expected}"' in html
    assert ("is not a page number" in html) is message
    assert api(client, f"page={page}")["page"] == expected


def test_facets_without_values_are_left_out(client):
    html = client.get("/?q=govrnance&place=Paris").get_data(as_text=True)
    assert '<section class="facet" data-facet="place"' in html  # the selected value stays, to be removed
    assert 'data-facet="person"' not in html


def test_zero_results_offer_did_you_mean(client):
    data = api(client, "q=govrnance")
    assert data["total"] == 0
    assert data["suggestion"] == {"query": "governance", "url": "/?q=governance"}
    html = client.get("/?q=govrnance").get_data(as_text=True)
    assert 'Did you mean <a href="/?q=governance"><em>governance</em></a>?' in html


def test_zero_results_offer_relaxations_with_counts(client):
    data = api(client, "q=governance&place=Paris&year=2014")
    assert data["total"] == 0
    assert data["relaxations"] == [
        {
            "kind": "drop_filter",
            "facet": "year",
            "value": "2014",
            "total": 5,
            "label": "Drop the filter Year: 2014 (5)",
            "url": "/?q=governance&place=Paris",
        },
        {
            "kind": "drop_filter",
            "facet": "place",
            "value": "Paris",
            "total": 3,
            "label": "Drop the filter Place: Paris (3)",
            "url": "/?q=governance&year=2014",
        },
    ]
    html = client.get("/?q=governance&place=Paris&year=2014").get_data(as_text=True)
    assert '<a href="/?q=governance&amp;year=2014">Drop the filter Place: Paris (3)</a>' in html


def test_zero_results_offer_any_of_the_words_and_dropping_dates(client):
    words = api(client, "q=governance+zebracorn")
    assert [(r["kind"], r["total"], r["url"]) for r in words["relaxations"]] == [
        ("any_words", 17, "/?q=governance+OR+zebracorn")
    ]
    assert api(client, words["relaxations"][0]["url"].replace("/?", ""))["total"] == 17
    dates = api(client, "q=governance&from=2030-01-01")
    assert [(r["kind"], r["total"], r["url"]) for r in dates["relaxations"]] == [("drop_dates", 17, "/?q=governance")]
    html = client.get("/?q=governance&from=2030-01-01").get_data(as_text=True)
    assert "Drop the date range (17)" in html


@pytest.mark.parametrize(
    "query", ['"unbalanced', "(a OR", "title:", "***", "x" * 10_000, "AND OR NOT", "a~~~9", ":::", "[a TO"]
)
def test_malformed_queries_never_fail(client, query):
    response = client.get("/", query_string={"q": query})
    assert response.status_code == 200
    api_response = client.get("/api/search", query_string={"q": query})
    assert api_response.status_code == 200


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("(a OR", "only words too common to search for (a); showing all documents"),
        ("x" * 10_000, "shortened to its first 1000 characters"),
    ],
)
def test_repaired_queries_show_the_notice(client, query, notice):
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    assert re.search(r'<p class="message notice">[^<]*' + re.escape(notice), html)
    assert notice in api(client, f"q={query}")["notice"]


def test_bad_dates_are_ignored_with_a_message(client):
    response = client.get("/?q=governance&from=yesterday&to=2016-13-45")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "“yesterday” is not a date like 2015-11-10, so the “from” date was ignored." in html
    assert "“2016-13-45” is not a date like 2015-11-10, so the “to” date was ignored." in html
    assert "<strong>17 results</strong>" in html


def test_dates_filter_the_results(client):
    data = api(client, "from=2016-01-01&to=2016-12-31")
    assert {hit["date"][:4] for hit in data["hits"]} == {"2016"}
    assert data["date_from"] == "2016-01-01" and data["date_to"] == "2016-12-31"


def test_unknown_sort_falls_back_to_relevance_with_a_message(client):
    html = client.get("/?q=governance&sort=best").get_data(as_text=True)
    assert "“best” is not a way to sort; showing the most relevant first." in html
    assert '<option value="" selected>Best match</option>' in html
    assert client.get("/?sort=oldest").get_data(as_text=True).count('<option value="oldest" selected>') == 1


def test_sorts(client):
    newest = [h["date"] for h in api(client, "q=governance&sort=newest")["hits"]]
    oldest = [h["date"] for h in api(client, "q=governance&sort=oldest")["hits"]]
    assert newest == sorted(newest, reverse=True)
    assert oldest == sorted(oldest)


def test_unknown_facet_values_match_nothing(client):
    response = client.get("/?place=Atlantis&lang=xx")
    assert response.status_code == 200
    assert "<strong>No results</strong>" in response.get_data(as_text=True)


CITIES = ["Moscow", "Paris", "London", "Berlin", "Madrid", "Rome", "Vienna", "Prague", "Warsaw", "Oslo", "Helsinki"]
CITIES += ["Dublin", "Lisbon", "Athens"]


def test_more_facet_values_sit_behind_show_more(tmp_path):
    from indexer import build_index
    from webapp import create_app

    for number, city in enumerate(CITIES):
        text = f"Bridge opens in {city}\nMay {number + 1}, 2016\n\nA new bridge opened in {city} on Monday.\n"
        (tmp_path / "src").mkdir(exist_ok=True)
        (tmp_path / "src" / f"{number:02d}.txt").write_text(text, encoding="utf-8")
    build_index(tmp_path / "src", tmp_path / "index", jobs=1)
    app = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(tmp_path / "index")})
    html = app.test_client().get("/").get_data(as_text=True)
    assert '<span class="facet-note">Top 10 of 14</span>' in html
    assert '<details class="facet-more" data-facet-more="place">' in html
    assert "<summary>Show 4 more</summary>" in html
    shown, hidden = html.split('data-facet-more="place"')
    assert shown.count('aria-label="Filter by Place:') == 10
    assert hidden.split("</details>")[0].count('aria-label="Filter by Place:') == 4


def test_document_page(client):
    response = client.get("/doc/world/story-01.txt?q=election")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<h1 id="doc-title">Paris <mark>election</mark> talks enter round 1</h1>' in html
    assert "discuss the <mark>election</mark> and internet governance" in html
    assert '<a href="/?person=Vladimir+Petrov" aria-label="Search articles with Person: Vladimir Petrov">' in html
    assert '<a href="/?q=election">← Back to the results</a>' in html
    assert "<h2>More like this</h2>" in html
    assert html.count('<li><a href="/doc/') == 5


def test_document_paragraphs_keep_the_text_breaks(client):
    html = client.get("/doc/world/story-01.txt").get_data(as_text=True)
    assert html.count("<p>Officials met in Paris") == 1
    assert "<p>Later, delegates from the World Bank" in html


def test_document_with_hash_in_its_id(client):
    data = api(client, "q=trusted")
    assert data["hits"][0]["doc_url"] == "/doc/feed.jsonl%231?q=trusted"
    response = client.get("/doc/feed.jsonl%231")
    assert response.status_code == 200
    assert (
        '<a href="https://example.org/story?id=1&amp;x=&lt;y&gt;" rel="noopener noreferrer nofollow">'
        in response.get_data(as_text=True)
    )


def test_name_links_filter_the_search(client):
    data = client.get("/api/doc/world/story-01.txt").get_json()
    person = data["people"][0]
    assert person["url"] == "/?person=Vladimir+Petrov"
    assert api(client, "person=Vladimir+Petrov")["total"] == 14


@pytest.mark.parametrize("path", ["/doc/nope.txt", "/doc/", "/doc/world"])
def test_unknown_documents_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "There is no article with this address." in response.get_data(as_text=True)


def test_empty_form_fields_are_dropped_from_the_url(client):
    response = client.get("/?q=governance&sort=&from=&to=&place=Paris&place=")
    assert response.status_code == 302
    assert response.headers["Location"] == "/?q=governance&place=Paris"
    assert client.get("/?q=&sort=&from=&to=").headers["Location"] == "/"
    assert client.get("/?q=governance&place=Paris").status_code == 200  # nothing to drop: no redirect


def test_a_from_date_after_the_to_date_says_so_and_offers_the_swap(client):
    html = client.get("/?q=governance&from=2016-03-05&to=2015-03-01").get_data(as_text=True)
    assert "<strong>No results</strong>" in html
    assert (
        '<p class="message warning">The “from” date 2016-03-05 is after the “to” date 2015-03-01, '
        "so no article can match.</p>" in html
    )
    swap = '<li><a href="/?q=governance&amp;from=2015-03-01&amp;to=2016-03-05">Search from 2015-03-01 to 2016-03-05 instead</a></li>'
    assert swap in html
    response = client.get("/api/search?q=governance&from=2016-03-05&to=2015-03-01")
    assert response.status_code == 400
    assert response.get_json()["messages"] == [
        "The “from” date 2016-03-05 is after the “to” date 2015-03-01, so no article can match."
    ]


def test_the_feed_title_names_every_filter(client):
    import xml.etree.ElementTree as ET

    title = "{http://www.w3.org/2005/Atom}title"
    feed = ET.fromstring(client.get("/feed?q=governance&place=Paris&place=Berlin&lang=en&from=2015-01-01").data)
    assert (
        feed.findtext(title)
        == "News search: governance (Place: Paris; Place: Berlin; Language: English; From 2015-01-01)"
    )
    feed = ET.fromstring(client.get("/feed?year=2016").data)
    assert feed.findtext(title) == "News search: newest articles (Year: 2016)"


def test_as_you_type_reads_the_last_word_as_a_prefix(client):
    typed = api(client, "q=internet+governa&as_you_type=1")
    assert typed["total"] == api(client, "q=internet+governance")["total"] > 0
    assert api(client, "q=internet+governa")["total"] == 0
    assert "as_you_type" not in typed["links"]["html"]  # links lead to the query as a finished one
