"""Names merged across the index ("Reagan" -> "Ronald Reagan") on OpenSearch as on whoosh: facets,
filters by either name, exclusions, entity pages, hits, and an update that changes what a name
stands for (needs a running cluster; skipped without one, required in CI)."""

from __future__ import annotations

import pytest
from helpers import write_files
from opensearch_fixtures import both_backends
from test_collection import REAGAN_ARTICLES
from test_opensearch_backend import comparable

import indexer
from indexer.searching.entities import get_entity

MORE = {  # beside the Reagan articles: a page that names neither
    "e.txt": "Harvest\n\nThe wheat harvest in Kansas fell by a tenth, farmers said on Monday.\n",
}


def people(page: indexer.SearchPage) -> dict[str, int]:
    return {v.value: v.count for facet in page.facets if facet.name == "person" for v in facet.values}


def assert_alike(whoosh_dir, server, *args, **options):
    """The same search on both backends gives the same page and hits; returns whoosh's page."""
    whoosh_page, server_page = (indexer.search(index, *args, **options) for index in (whoosh_dir, server))
    assert comparable(server_page) == comparable(whoosh_page), (args, options)
    assert [(hit.id, hit.people) for hit in sorted(server_page.hits, key=lambda hit: hit.id)] == [
        (hit.id, hit.people) for hit in sorted(whoosh_page.hits, key=lambda hit: hit.id)
    ]
    return whoosh_page


@pytest.fixture
def twins(opensearch_url, fresh_name, tmp_path):
    source = write_files(tmp_path / "docs", {**REAGAN_ARTICLES, **MORE})
    return both_backends(source, opensearch_url, tmp_path, fresh_name)


def test_a_surname_is_shown_selected_and_excluded_under_the_full_name_on_both(twins):
    whoosh_dir, server = twins
    assert people(assert_alike(whoosh_dir, server, "")) == {"Ronald Reagan": 4}
    for name in ("Ronald Reagan", "Reagan"):
        assert assert_alike(whoosh_dir, server, "", filters={"person": [name]}).total == 4
        assert assert_alike(whoosh_dir, server, "", exclude={"person": [name]}).total == 1
    assert assert_alike(whoosh_dir, server, "geneva", filters={"person": ["Ronald Reagan"]}).total == 1
    for name in ("Reagan", "Ronald Reagan"):
        whoosh_entity, server_entity = (get_entity(index, "person", name) for index in twins)
        assert server_entity == whoosh_entity and whoosh_entity.total == 4


def test_an_update_that_changes_what_a_name_stands_for_merges_on_both(opensearch_url, fresh_name, tmp_path):
    from indexer.opensearch import update_index

    first = {name: text for name, text in REAGAN_ARTICLES.items() if name != "b.txt"}  # "Ronald Reagan" once
    source = write_files(tmp_path / "docs", {**first, **MORE})
    whoosh_dir, server = both_backends(source, opensearch_url, tmp_path, fresh_name)
    assert people(assert_alike(whoosh_dir, server, "")) == {"Reagan": 2, "Ronald Reagan": 1}

    write_files(source, {"b.txt": REAGAN_ARTICLES["b.txt"]})  # now twice: a lone "Reagan" is Ronald Reagan
    indexer.update_index(source, whoosh_dir, jobs=1)
    update_index(source, server.cluster, jobs=1)
    assert people(assert_alike(whoosh_dir, server, "")) == {"Ronald Reagan": 4}
    assert assert_alike(whoosh_dir, server, "", filters={"person": ["Ronald Reagan"]}).total == 4
    assert assert_alike(whoosh_dir, server, "", exclude={"person": ["Reagan"]}).total == 1
    assert assert_alike(whoosh_dir, server, "vetoes").hits[0].people == ("Ronald Reagan",)
