"""Excluding facet values: not_<facet>=X in the URL and API, --not-<facet> in the CLI, "not: X" chips."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from helpers import SECOND_SEED

from indexer import search
from indexer.cli import main
from webapp.params import MAX_FILTER_VALUES


def api(client, query: str, status: int = 200) -> dict:
    response = client.get(f"/api/search?{query}")
    assert response.status_code == status, response.data
    return response.get_json()


def facet_value(data: dict, name: str, value: str) -> dict:
    facet = next(f for f in data["facets"] if f["name"] == name)
    return next(v for v in facet["values"] if v["value"] == value)


def test_excluding_a_place_leaves_out_its_documents_and_says_how_many(client):
    everything = api(client, "q=governance")
    paris = facet_value(everything, "place", "Paris")
    assert paris["exclude_url"] == "/?q=governance&not_place=Paris"
    data = api(client, "q=governance&not_place=Paris")
    assert data["total"] == everything["total"] - paris["count"]
    assert data["exclusions"] == {"place": ["Paris"]} and data["filters"] == {}
    assert all("Paris" not in hit["places"] for hit in data["hits"])
    assert facet_value(data, "place", "Paris") == {
        "value": "Paris",
        "label": "Paris",
        "count": paris["count"],  # the documents it hides
        "selected": False,
        "excluded": True,
        "toggle_url": "/?q=governance",
        "exclude_url": None,
    }
    # Other values keep the counts of the documents still shown.
    assert facet_value(data, "place", "Berlin")["count"] == facet_value(everything, "place", "Berlin")["count"]
    assert data["chips"] == [
        {"facet": "place", "value": "Paris", "excluded": True, "label": "not: Paris", "remove_url": "/?q=governance"}
    ]


def test_the_page_shows_an_exclude_control_and_a_not_chip(client):
    html = client.get("/?q=governance").get_data(as_text=True)
    assert (
        '<a class="facet-exclude" href="/?q=governance&amp;not_place=Paris" aria-label="Exclude Place: Paris"' in html
    )
    html = client.get("/?q=governance&not_place=Paris").get_data(as_text=True)
    assert 'aria-label="Stop excluding Place: Paris">not: Paris<span class="chip-x"' in html
    assert 'class="facet-value excluded" href="/?q=governance"' in html


def test_a_new_query_keeps_the_exclusions(client):
    html = client.get("/?q=governance&place=Berlin&not_place=Paris").get_data(as_text=True)
    form = html[html.index('<form class="search-form"') : html.index("</form>")]
    assert '<input type="hidden" name="place" value="Berlin">' in form
    assert '<input type="hidden" name="not_place" value="Paris">' in form


def test_excluding_a_selected_value_swaps_the_selection_for_the_exclusion(client):
    data = api(client, "q=governance&place=Paris&place=Berlin")
    assert facet_value(data, "place", "Paris")["exclude_url"] == "/?q=governance&place=Berlin&not_place=Paris"
    data = api(client, "q=governance&place=Berlin&not_place=Paris&not_year=2015")
    assert data["total"] == sum(
        1 for hit in data["hits"] if "Berlin" in hit["places"] and not hit["date"].startswith("2015")
    )
    assert [chip["label"] for chip in data["chips"]] == ["not: 2015", "Place: Berlin", "not: Paris"]


def test_exports_and_feed_leave_the_excluded_documents_out(client):
    rows = list(
        csv.DictReader(io.StringIO(client.get("/export.csv?q=governance&not_place=Paris").get_data(as_text=True)))
    )
    expected = api(client, "q=governance&not_place=Paris")["total"]
    assert len(rows) == expected and rows
    feed = client.get("/feed?q=governance&not_place=Paris").get_data(as_text=True)
    assert "not: Paris" in feed


def test_too_many_excluded_values_are_a_clear_400_in_the_api(client):
    many = "&".join(f"not_person=P{n}" for n in range(MAX_FILTER_VALUES + 1))
    data = api(client, many, status=400)
    assert "Only the first 20 of the 21" in data["messages"][0]


def test_library_exclusion_of_an_unknown_facet_is_a_value_error(seed_index):
    try:
        search(seed_index, "", exclude={"colour": ["red"]})
    except ValueError as error:
        assert "unknown facet: colour" in str(error)
    else:
        raise AssertionError("no error")


def test_cli_not_person_leaves_out_documents_naming_them(seed_index):
    def ids(*args):
        result = CliRunner().invoke(main, ["search", "--index", str(seed_index), "--json", *args])
        assert result.exit_code == 0, result.output
        return [hit["id"] for hit in json.loads(result.output)["hits"]], json.loads(result.output)

    everything, _ = ids()
    kept, data = ids("--not-person", "Rashid Ismailov")
    assert SECOND_SEED in everything and kept == [doc for doc in everything if doc != SECOND_SEED]
    assert {"value": "Rashid Ismailov", "count": 1, "excluded": True} in data["facets"]["person"]
    help_text = CliRunner().invoke(main, ["search", "--help"]).output
    for name in ("person", "org", "place", "source", "lang"):
        assert f"--not-{name}" in help_text
