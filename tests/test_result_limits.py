"""Large answers: what was asked is given, and what cannot be listed is said plainly, never cut silently."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from indexer import build_index
from indexer.cli import main
from indexer.searching.search import MAX_PAGE_SIZE
from webapp import create_app
from webapp.facets import FACET_ALL, FACET_MORE, FACET_SHOWN

ARTICLES = 1100  # more than one search call returns (MAX_PAGE_SIZE) and more than a facet lists (FACET_ALL)


@pytest.fixture(scope="module")
def many_sources(tmp_path_factory):
    """An index of ARTICLES harbour notes, each from its own source."""
    tmp = tmp_path_factory.mktemp("many-sources")
    records = [
        {
            "title": f"Harbour note {n}",
            "text": f"The harbour reopened, note {n}.",
            "date": "2016-01-01",
            "source": source(n),
        }
        for n in range(ARTICLES)
    ]
    (tmp / "src").mkdir()
    (tmp / "src" / "notes.jsonl").write_text("".join(json.dumps(record) + "\n" for record in records))
    build_index(tmp / "src", tmp / "index", jobs=1)
    return tmp / "index"


def source(n: int) -> str:
    return f"site{n:04d}.example"


def test_the_limits_are_what_the_tests_exceed():
    assert ARTICLES > MAX_PAGE_SIZE and ARTICLES > FACET_ALL


def test_search_limit_above_one_page_gives_every_hit_asked_for(many_sources):
    result = CliRunner().invoke(main, ["search", "harbour", "--index", str(many_sources), "--limit", "20000", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    ids = [hit["id"] for hit in data["hits"]]
    assert (data["total"], len(ids), len(set(ids))) == (ARTICLES, ARTICLES, ARTICLES)
    assert all("<mark>harbour</mark>" in hit["snippet"].lower() for hit in data["hits"])


def test_search_limit_between_pages_in_text(many_sources):
    result = CliRunner().invoke(main, ["search", "harbour", "--index", str(many_sources), "--limit", "1050"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1,100 results, showing 1050 (")
    numbers = [int(n) for n in re.findall(r"^(\d+)\. ", result.output, re.MULTILINE)]
    assert numbers == list(range(1, 1051))


def test_a_facet_with_more_values_than_are_listed_says_so(many_sources):
    client = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(many_sources)}).test_client()
    html = client.get("/?q=harbour").get_data(as_text=True)
    assert '<a href="/?q=harbour&amp;more=source">Show the top 1,000 of 1,100</a>' in html
    assert '<span class="facet-note">Top 10 of 1,100</span>' in html
    html = client.get("/?q=harbour&more=source").get_data(as_text=True)
    facet = html.split('data-facet="source"')[1].split("</section>")[0]
    assert facet.count('aria-label="Filter by Source:') == FACET_ALL
    assert '<details class="facet-more" data-facet-more="source" open>' in facet  # asked for: shown open
    assert "Only the 1,000 most frequent of 1,100 are listed: narrow the search to see the others." in facet
    assert "Show the top" not in facet and "Show all" not in facet  # no link that would show the same again


def test_selected_values_stay_in_view_wherever_they_rank(many_sources):
    client = create_app({"TESTING": True, "SEARCH_INDEX_DIR": str(many_sources)}).test_client()
    html = client.get(f"/?q=harbour&source={source(3)}&source={source(1099)}").get_data(as_text=True)
    facet = html.split('data-facet="source"')[1].split("</section>")[0]
    in_view, collapsed = facet.split('<details class="facet-more"')
    for value in (source(3), source(1099)):
        assert f'aria-label="Remove filter Source: {value} (1)" aria-current="true"' in in_view
        assert f"Source: {value} (1)" not in collapsed
    # The top 20 (site0003 among the first 10) and site1099: 10 + site1099 in view, 10 behind "more".
    assert f"<summary>Show {FACET_MORE - FACET_SHOWN} more</summary>" in collapsed
