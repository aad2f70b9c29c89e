"""Warming: a served index is opened, and what searches build on first use is built, before requests
come; a new generation is switched to only once it is warm."""

from __future__ import annotations

import dataclasses
import time

import pytest
from web_fixtures import write_corpus

from indexer import SearchIndex, build_index, search
from indexer.schema import FIELD_BOOSTS
from indexer.store import current_generation
from webapp import cli as webapp_cli

NEW_STORY = "Governance summit on zanzibarite\nJune 1, 2017\n\nDelegates discussed zanzibarite and governance.\n"


def lazily_built(live) -> dict[str, bool]:
    """Which of the structures searches build on first use exist in an open generation."""
    return {
        "norms": set(live.scorer._norms) == set(FIELD_BOOSTS),
        "vocabulary": live.vocabulary.warmed,
        "field terms": set(FIELD_BOOSTS) <= set(live.vocabulary._fields),
        "folded facets": all("folded" in table.__dict__ for table in live.facet_tables.values()),
    }


WARM = {"norms": True, "vocabulary": True, "field terms": True, "folded facets": True}


@pytest.fixture
def corpus(tmp_path):
    source_dir = write_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    build_index(source_dir, index_dir, jobs=1)
    return source_dir, index_dir


def test_opening_leaves_them_to_the_first_search_and_warm_builds_them_at_once(corpus):
    _, index_dir = corpus
    cold = SearchIndex(index_dir)
    with cold.generation() as live:  # opened, as by the first request
        assert lazily_built(live) == dict.fromkeys(WARM, False)

    index = SearchIndex(index_dir)
    assert index.warm() == current_generation(index_dir).name
    with index.generation() as live:
        assert lazily_built(live) == WARM
    for query in ("governance", "governence", "gov"):  # the same pages from the structures built ahead
        warm_page, cold_page = (search(each, query, as_you_type=True) for each in (index, cold))
        assert dataclasses.replace(warm_page, elapsed_ms=0) == dataclasses.replace(cold_page, elapsed_ms=0)
    index.close()


def wait_for(condition, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_watched_index_switches_to_a_new_generation_once_it_is_warm(corpus):
    source_dir, index_dir = corpus
    index = SearchIndex(index_dir)
    first = index.warm()
    old_total = search(index, "governance").total
    index.watch(interval=0.05)
    (source_dir / "new-story.txt").write_text(NEW_STORY, encoding="utf-8")
    build_index(source_dir, index_dir, jobs=1)
    new = current_generation(index_dir).name
    assert new != first

    def switched() -> bool:
        with index.generation() as live:
            return live.name == new

    assert wait_for(switched)
    with index.generation() as live:
        assert lazily_built(live) == WARM  # warm before any search used it
    assert search(index, "governance").total == old_total + 1
    index.close()


def test_a_watched_index_keeps_its_generation_when_a_new_one_cannot_be_opened(corpus):
    source_dir, index_dir = corpus
    index = SearchIndex(index_dir)
    first = index.warm()
    (source_dir / "new-story.txt").write_text(NEW_STORY, encoding="utf-8")
    build_index(source_dir, index_dir, jobs=1)
    for path in current_generation(index_dir).glob("*.pst"):  # the new generation cut short
        path.write_bytes(path.read_bytes()[:64])
    watcher = index.watch(interval=0.05)
    time.sleep(0.5)  # several rounds of the watcher
    assert watcher.is_alive()
    with index.generation() as live:
        assert live.name == first
    assert search(index, "zanzibarite").total == 0  # still answering, from the generation open
    index.close()


def test_serve_readies_each_worker_before_it_takes_requests(corpus):
    _, index_dir = corpus
    server = webapp_cli.SearchServer({"SEARCH_INDEX_DIR": str(index_dir)}, {})
    app = server.load()  # what a gunicorn worker runs after the fork, before its first request
    index = app.blueprints["search"].live.get()
    try:
        with index.generation() as live:
            assert live.name == current_generation(index_dir).name
            assert lazily_built(live) == WARM
        assert index._watched.is_set()
        compiled = {name for _, name in app.jinja_env.cache}
        assert {"search/layout.html", "search/results.html", "search/document.html"} <= compiled
    finally:
        index.close()


def test_serve_with_no_index_yet_still_starts(tmp_path):
    server = webapp_cli.SearchServer({"SEARCH_INDEX_DIR": str(tmp_path / "none")}, {})
    app = server.load()
    index = app.blueprints["search"].live.get()
    try:
        assert app.test_client().get("/").status_code == 503
    finally:
        index.close()
