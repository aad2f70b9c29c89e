"""The pure pieces: URL helpers, parameter parsing, facet dicts; and a fuzz of the search page."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qsl, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from indexer import FACETS, SORTS, Facet, FacetValue
from webapp import strings
from webapp.facets import (
    PairLinks,
    exclusion_key,
    facet_dicts,
    url_with_added_args,
    url_with_removed_args,
    with_query,
)
from webapp.params import SearchParams, parse_search_args

ARGS = [("q", "a b"), ("place", "Paris"), ("place", "Berlin"), ("page", "2")]


def test_url_with_added_args():
    assert url_with_added_args("/s/", ARGS, [("year", "2015")]) == "/s/?q=a+b&place=Paris&place=Berlin&page=2&year=2015"
    assert url_with_added_args("/s/", ARGS, [("place", "Paris")]) == "/s/?q=a+b&place=Paris&place=Berlin&page=2"
    assert (
        url_with_added_args("/s/", ARGS, [("page", "3")], replace=["page"])
        == "/s/?q=a+b&place=Paris&place=Berlin&page=3"
    )
    assert url_with_added_args("/", [], [("q", "#&?")]) == "/?q=%23%26%3F"


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)  # any text a URL can carry


@given(st.lists(st.tuples(TEXT, TEXT)))
def test_with_query_writes_what_urlencode_writes_and_reads_back(pairs):
    kept = [(k, v) for k, v in pairs if v != ""]
    url = with_query("/s/", pairs)
    assert url == ("/s/?" + urlencode(kept) if kept else "/s/")
    assert parse_qsl(url.partition("?")[2], keep_blank_values=True) == kept


KEYS = st.sampled_from(["q", "page", "place", "not_place", "year"])


@given(st.lists(st.tuples(KEYS, TEXT), max_size=6), st.tuples(KEYS, TEXT))
def test_pair_links_write_what_url_with_added_args_writes(args, pair):
    """The facet values' links, the page's arguments encoded once, are the helper's links."""
    assert PairLinks("/s/", args).adding(pair) == url_with_added_args("/s/", args, [pair], replace=["page"])


def test_url_with_removed_args():
    assert url_with_removed_args("/", ARGS, [("place", "Paris"), "page"]) == "/?q=a+b&place=Berlin"
    assert url_with_removed_args("/", ARGS, ["place", "page", "q"]) == "/"
    assert url_with_removed_args("/", [("q", ""), ("from", "")], []) == "/"


def test_the_web_layer_takes_every_facet_and_sort_of_the_library():
    """The site's facets and sorts are the library's: each facet filters, excludes, expands and has a label."""
    for name in FACETS:
        args = MultiDict([(name, "x"), (exclusion_key(name), "y"), ("more", name), ("fq", "z")])
        params = parse_search_args(args)
        assert (params.filters, params.exclusions, params.more, params.errors) == (
            {name: ("x",)},
            {name: ("y",)},
            name,
            (),
        )
        assert strings.FACET_LABELS[name]
    assert [parse_search_args(MultiDict([("q", "a"), ("sort", sort)])).sort for sort in SORTS] == list(SORTS)


def test_parse_search_args():
    args = MultiDict(
        [("q", "x"), ("place", "Paris"), ("place", "Paris"), ("place", " "), ("year", "2015"), ("from", "2015-01-02")]
        + [("to", "nope"), ("sort", "oldest"), ("page", "4"), ("more", "place"), ("colour", "red")]
    )
    assert parse_search_args(args) == SearchParams(
        query="x",
        filters={"place": ("Paris",), "year": ("2015",)},
        date_from=datetime.date(2015, 1, 2),
        date_to=None,
        sort="oldest",
        page=4,
        more="place",
        sort_choice="oldest",
        errors=(("to", "“nope” is not a date like 2015-11-10, so the “to” date was ignored."),),
    )
    assert parse_search_args(MultiDict()).sort == "newest"
    assert parse_search_args(MultiDict([("q", "x")])).sort == "relevance"
    assert parse_search_args(MultiDict([("more", "colour")])).more is None


def many_values(count: int, selected: str | None = None) -> Facet:
    values = tuple(FacetValue(f"v{n:03d}", 100 - n, f"v{n:03d}" == selected) for n in range(count))
    return Facet("org", values, count)


def test_facet_dicts_show_ten_then_more_then_all():
    [org] = facet_dicts([many_values(80)], "/", [("q", "x")])
    assert (len(org["shown"]), len(org["hidden"]), org["top_note"]) == (10, 10, "Top 10 of 80")
    assert org["all_url"] == "/?q=x&more=org"
    [org] = facet_dicts([many_values(80)], "/", [("q", "x"), ("more", "org")], more="org")
    assert len(org["values"]) == 80
    assert org["all_url"] is None


def test_facet_dicts_keep_a_selected_value_beyond_the_limit():
    facet = many_values(80)
    facet = Facet("org", (*facet.values[:60], FacetValue("chosen", 1, True)), 81)
    [org] = facet_dicts([facet], "/", [("org", "chosen")])
    assert org["values"][-1]["value"] == "chosen"
    assert org["values"][-1]["toggle_url"] == "/"
    assert len(org["values"]) == 21


PARAM = st.sampled_from(["q", "page", "sort", "from", "to", "more", *FACETS])
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(PARAM, TEXT), max_size=6))
def test_any_parameters_give_a_page_not_an_error(client, pairs):
    assert client.get("/", query_string=pairs, follow_redirects=True).status_code == 200  # empty ones: one redirect
    assert client.get("/api/search", query_string=pairs).status_code in (200, 400)


def page_labels(current: int, count: int) -> list:
    from webapp.views import pagination

    return [item.get("number", "…") for item in pagination(current, count, "/", [])["pages"]]


def test_pagination_puts_a_page_where_an_ellipsis_would_hide_just_one():
    assert page_labels(1, 5) == [1, 2, 3, 4, 5]
    assert page_labels(5, 9) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert page_labels(1, 6) == [1, 2, 3, "…", 6]
    assert page_labels(10, 20) == [1, "…", 8, 9, 10, 11, 12, "…", 20]
    assert page_labels(4, 20) == [1, 2, 3, 4, 5, 6, "…", 20]
