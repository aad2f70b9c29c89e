"""Searching a facet's values: folded word prefixes anywhere in the value, counts as the facet's, paged honestly."""

from __future__ import annotations

import json

import pytest

from indexer import build_index, find_values, search
from indexer.searching.valuesearch import folded_words, matching_values
from webapp import create_app

COUNTS = {"Vladimir Petrov": 5, "Pëtr Ivanov": 2, "Peterborough": 7, "Carpet Co": 9, "Bank of Japan": 4, "Nobank": 1}


def find(text: str, counts=COUNTS) -> list[str]:
    values = sorted(counts)
    return matching_values(counts, (values, [folded_words(value) for value in values]), text)


def test_words_match_by_prefix_anywhere_in_the_value_folded_most_frequent_first():
    assert find("pet") == ["Peterborough", "Vladimir Petrov", "Pëtr Ivanov"]
    assert find("PËTR") == ["Vladimir Petrov", "Pëtr Ivanov"]  # case and accents folded
    assert find("bank of") == find("of bank") == ["Bank of Japan"]  # every word, in any order
    assert find("arpet") == find("bank zzz") == []  # inside a word is not a word start
    assert find("pet", {**COUNTS, "Peterborough": 0}) == [
        "Vladimir Petrov",
        "Pëtr Ivanov",
    ]  # not in the current matches


# Sources are taken as written from JSON lines: a facet with known values and counts.
SOURCES = {
    f"{name} {kind}": count
    for count, (name, kind) in enumerate(
        [
            (name, kind)
            for name in ("Peterborough", "Petrov", "Carpet", "Zürich")
            for kind in ("Post", "Times", "Daily")
        ],
        start=1,
    )
}


@pytest.fixture(scope="module")
def sources_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    records = [
        {
            "title": f"Report {n} from {source}",
            "text": f"Harbour news number {n}.",
            "date": "2016-05-01",
            "source": source,
        }
        for source, count in SOURCES.items()
        for n in range(count)
    ]
    (folder / "docs").mkdir()
    (folder / "docs" / "news.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    build_index(folder / "docs", folder / "index", jobs=1)
    return folder / "index"


def test_found_values_carry_the_facet_counts_and_page_without_overpromising(sources_index):
    facet = {f.name: f for f in search(sources_index, "harbour", facet_size=1000).facets}["source"]
    counts = {value.value: value.count for value in facet.values}
    assert counts == SOURCES
    found = find_values(sources_index, "source", "pet", "harbour", limit=4)
    assert found.total == 6
    assert [(v.value, v.count) for v in found.values] == [
        ("Petrov Daily", 6),
        ("Petrov Times", 5),
        ("Petrov Post", 4),
        ("Peterborough Daily", 3),
    ]
    second = find_values(sources_index, "source", "pet", "harbour", limit=4, offset=4)
    assert [v.value for v in second.values] == ["Peterborough Times", "Peterborough Post"]
    beyond = find_values(sources_index, "source", "pet", "harbour", limit=4, offset=400)
    assert beyond.offset == 4 and beyond.values == second.values
    assert [v.value for v in find_values(sources_index, "source", "zurich").values] == [
        "Zürich Daily",
        "Zürich Times",
        "Zürich Post",
    ]
    with pytest.raises(ValueError, match="unknown facet: colour"):
        find_values(sources_index, "colour", "red")


@pytest.fixture
def sources_client(sources_index):
    return create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(sources_index)}).test_client()


def test_the_find_box_is_a_get_form_keeping_the_search(sources_client):
    html = sources_client.get("/?q=harbour&lang=en").get_data(as_text=True)
    form = html[
        html.index('<form class="facet-find" method="get" action="/" role="search" aria-label="Find a source">') :
    ]
    form = form[: form.index("</form>")]
    assert '<input type="hidden" name="q" value="harbour">' in form
    assert '<input type="hidden" name="lang" value="en">' in form
    assert '<input type="hidden" name="more" value="source">' in form
    assert 'name="fq" value=""' in form


def test_the_json_and_page_show_found_values_a_page_at_a_time_with_the_selected_kept(sources_client):
    data = sources_client.get("/api/search?q=harbour&more=source&fq=times&source=Zürich+Post").get_json()
    facet = next(f for f in data["facets"] if f["name"] == "source")
    assert [(v["value"], v["count"], v["selected"]) for v in facet["values"]] == [
        ("Zürich Post", 10, True),  # selected: stays in view though it does not match
        ("Zürich Times", 11, False),
        ("Carpet Times", 8, False),
        ("Petrov Times", 5, False),
        ("Peterborough Times", 2, False),
    ]
    assert facet["found"] == {
        "found_total": 4,
        "found_note": "1–4 of 4 matching “times”",
        "previous_url": None,
        "next_url": None,
    }
    html = sources_client.get("/?q=harbour&more=source&fq=times").get_data(as_text=True)
    assert 'name="fq" value="times"' in html
    assert "1–4 of 4 matching “times”" in html
    assert '<a href="/?q=harbour&amp;more=source">Back to the top values</a>' in html
    nothing = sources_client.get("/?q=harbour&more=source&fq=nowhere").get_data(as_text=True)
    assert "None matching “nowhere”" in nothing


def test_a_huge_value_search_is_cut_in_every_link(sources_client):
    response = sources_client.get("/?q=harbour&more=source&fq=" + "pet " * 25_000)
    assert response.status_code == 200
    assert len(response.get_data()) < 400_000  # not 100 KB in each of the page's links
