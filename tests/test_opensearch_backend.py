"""The OpenSearch backend answers as the whoosh backend does: the same matches, facet counts,
timeline and highlighted snippets, on the seeds and on a Reuters sample (needs a running
cluster: scripts/opensearch-cluster start; skipped without one, required in CI)."""

from __future__ import annotations

import datetime

import pytest

import indexer

QUERIES = [
    "",
    "oil",
    "oil prices",
    '"interest rates"',
    "oil OR gas",
    "oil AND NOT iran",
    "oil -iran",
    "title:gold",
    "person:reagan",
    "bank*",
    "petrolium~",
    "signing",
    '"memorandum of understanding"',
    "date:[1987-03-01 TO 1987-03-15]",
    "russia OR itu",
    "trade deficit japan tariffs semiconductor",  # few have every word: any of them, with a notice
]


def comparable(page: indexer.SearchPage) -> dict:
    """What both backends must agree on (ranking by score differs: BM25 in Lucene vs ours)."""
    return {
        "query": page.query,
        "total": page.total,
        "notice": page.notice,
        "facets": page.facets,
        "timeline": page.timeline,
        "relaxations": page.relaxations,
        "suggestion": page.suggestion,
    }


def both(twins, function, *args, **options):
    """The same library call on the whoosh folder and on the OpenSearch index."""
    whoosh_dir, server = twins
    call = getattr(indexer, function)
    return call(whoosh_dir, *args, **options), call(server, *args, **options)


@pytest.mark.parametrize("query", QUERIES)
def test_same_matches_facets_and_snippets(twin_indexes, query):
    whoosh_page, server_page = both(twin_indexes, "search", query, page_size=20)
    assert comparable(server_page) == comparable(whoosh_page)
    whoosh_hits, server_hits = both(twin_indexes, "iter_hits", query)
    assert sorted(hit.id for hit in server_hits) == sorted(hit.id for hit in whoosh_hits)
    snippets = {hit.id: (hit.title_html, hit.snippets_html) for hit in whoosh_page.hits}
    shared = [hit for hit in server_page.hits if hit.id in snippets]
    assert shared or not server_page.hits
    for hit in shared:
        assert (hit.title_html, hit.snippets_html) == snippets[hit.id]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_sorts_give_the_same_dates_in_order(twin_indexes, sort):
    whoosh_page, server_page = both(twin_indexes, "search", "", sort=sort, page_size=50)
    assert [hit.date for hit in server_page.hits] == [hit.date for hit in whoosh_page.hits]


def test_selected_and_excluded_facet_values_count_alike(twin_indexes):
    whoosh_page, _ = both(twin_indexes, "search", "")
    facets = {facet.name: facet.values for facet in whoosh_page.facets if facet.values}
    place = facets.get("place") or facets["source"]
    name = "place" if "place" in facets else "source"
    selections = [
        {"filters": {name: [place[0].value]}},
        {"filters": {name: [v.value for v in place[:2]], "year": [facets["year"][0].value]}},
        {"exclude": {name: [place[0].value]}},
        {"filters": {"lang": ["en"]}, "exclude": {name: [place[-1].value]}},
        {"date_from": datetime.date(1987, 3, 1), "date_to": datetime.date(2017, 12, 31)},
        {"filters": {name: ["no such value"]}},  # nothing: the ways out count alike
    ]
    for options in selections:
        whoosh_page, server_page = both(twin_indexes, "search", "", **options)
        assert comparable(server_page) == comparable(whoosh_page), options


def test_facet_value_search_counts_alike(twin_indexes):
    whoosh_values, server_values = both(twin_indexes, "find_values", "source", "re")
    assert server_values == whoosh_values


def test_a_document_page_marks_the_same_words(twin_indexes):
    whoosh_page, _ = both(twin_indexes, "search", "oil OR signing")
    for hit in whoosh_page.hits[:3]:
        whoosh_view, server_view = both(twin_indexes, "get_document", hit.id, query="oil OR signing", similar=0)
        assert server_view == whoosh_view


@pytest.mark.parametrize("query", ["petrolium prices", "goverment", "oil explorasion", "reagn budget"])
def test_the_same_did_you_mean(twin_indexes, query):
    whoosh_page, server_page = both(twin_indexes, "search", query)
    assert server_page.suggestion == whoosh_page.suggestion
    assert comparable(server_page) == comparable(whoosh_page)


@pytest.mark.parametrize("typed", ["o", "pri", "oil pri", "trade defi", "memorandum of unders", "interest ra"])
def test_as_you_type_the_last_word_stands_for_the_same_completions(twin_indexes, typed):
    whoosh_page, server_page = both(twin_indexes, "search", typed, as_you_type=True, page_size=50)
    assert comparable(server_page) == comparable(whoosh_page)
    if whoosh_page.total <= 50:  # every hit on the page: the same ones (ranking by score differs)
        assert {hit.id for hit in server_page.hits} == {hit.id for hit in whoosh_page.hits}


def test_entity_pages_alike(twin_indexes):
    from indexer.searching.entities import get_entity

    whoosh_page, _ = both(twin_indexes, "search", "")
    for facet in whoosh_page.facets:
        if facet.name in ("person", "org", "place"):
            for value in facet.values[:3]:
                whoosh_view, server_view = (get_entity(index, facet.name, value.value) for index in twin_indexes)
                assert server_view == whoosh_view and whoosh_view.total == value.count
    assert [get_entity(index, "person", "No Such Person") for index in twin_indexes] == [None, None]


def test_stats_count_alike(twin_indexes):
    whoosh_stats, server_stats = both(twin_indexes, "index_stats", top=10)
    for key in ("documents", "files", "skipped_files", "facets", "source_dir"):
        assert server_stats[key] == whoosh_stats[key], key
    assert server_stats["size_bytes"] > 0 and server_stats["built"]
