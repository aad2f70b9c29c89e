"""A served index under load while it is rebuilt, and while a rebuild is killed: no failed request, no mixing.

Bounds: LOAD_CLIENTS threads on loopback, REQUESTS_PER_CLIENT requests each at least (and at most
MAX_PER_CLIENT), answers coming all through the build; the builder subprocess peaks under
BUILD_RSS_MB and the serving process grows by less than SERVER_GROWTH_MB.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from web_fixtures import write_corpus
from werkzeug.serving import make_server

from indexer import build_index, iter_hits
from indexer.store import current_generation
from webapp import create_app

ROOT = Path(__file__).resolve().parents[1]
LOAD_CLIENTS = 6
REQUESTS_PER_CLIENT = 100  # 600 in all, at least
MAX_PER_CLIENT = 1500  # the clients stop at this many even if the build never ends
BUILD_RSS_MB = 400
SERVER_GROWTH_MB = 200
QUERY = "governance"
OLD_TOTAL = 17
NEW_WORD = "zanzibarite"
NEW_STORY = (
    f"Governance summit on {NEW_WORD}\nJune 1, 2017\n\nDelegates discussed {NEW_WORD} and internet governance.\n"
)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture
def served(tmp_path):
    """(source_dir, index_dir, base_url) of the web corpus, served by a threaded werkzeug server."""
    source_dir = write_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    build_index(source_dir, index_dir, jobs=1)
    app = create_app({"SEARCH_INDEX_DIR": str(index_dir), "SEARCH_SOURCE_DIR": str(source_dir)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield source_dir, index_dir, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


class Load:
    """LOAD_CLIENTS threads searching QUERY until `stop` is set and each has made `per_client` requests."""

    def __init__(self, base_url: str, per_client: int = REQUESTS_PER_CLIENT):
        self.url = f"{base_url}/api/search?q={QUERY}"
        self.per_client = per_client
        self.stop = threading.Event()
        self.results: list[list[tuple[float, int, int | None]]] = [[] for _ in range(LOAD_CLIENTS)]
        self.threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(LOAD_CLIENTS)]

    def client(self, number: int) -> None:
        seen = self.results[number]
        while len(seen) < MAX_PER_CLIENT and not (self.stop.is_set() and len(seen) >= self.per_client):
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(self.url, timeout=10) as response:
                    status, total = response.status, json.loads(response.read())["total"]
            except urllib.error.HTTPError as error:
                status, total = error.code, None
            except OSError:
                status, total = 0, None
            seen.append((started, status, total))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        while sum(len(seen) for seen in self.results) < 60:  # the load is running before anything else starts
            time.sleep(0.01)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    @property
    def all(self):
        return [result for seen in self.results for result in seen]


def run_builder(
    source_dir: Path, index_dir: Path, *, die_before_publishing: bool = False
) -> subprocess.CompletedProcess:
    """`build_index` in its own process, reporting its peak memory; optionally SIGKILLed just before it publishes."""
    script = textwrap.dedent(
        f"""
        import os, resource, signal, sys
        import indexer.build as build
        import indexer.store as store
        if {die_before_publishing!r}:
            store.publish_generation = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
        build.build_index({str(source_dir)!r}, {str(index_dir)!r}, jobs=1)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", script], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_rebuild_under_load_switches_atomically(served):
    source_dir, index_dir, base_url = served
    (source_dir / "new-story.txt").write_text(NEW_STORY, encoding="utf-8")
    server_rss = rss_mb()
    with Load(base_url) as load:
        build_started = time.perf_counter()
        done = run_builder(source_dir, index_dir)
        build_ended = time.perf_counter()
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) < BUILD_RSS_MB
    assert rss_mb() - server_rss < SERVER_GROWTH_MB

    results = load.all
    assert len(results) >= LOAD_CLIENTS * REQUESTS_PER_CLIENT
    assert [status for _, status, _ in results if status != 200] == []  # zero failed requests
    assert {total for _, _, total in results} == {OLD_TOTAL, OLD_TOTAL + 1}  # old or new, nothing else
    during = [result for result in results if build_started <= result[0] <= build_ended]
    assert len(during) >= 20, "the build ran while the clients searched"
    for seen in load.results:  # per client: old ... old, new ... new, and never back
        totals = [total for _, _, total in seen]
        switch = totals.index(OLD_TOTAL + 1) if OLD_TOTAL + 1 in totals else len(totals)
        assert totals[:switch] == [OLD_TOTAL] * switch
        assert totals[switch:] == [OLD_TOTAL + 1] * (len(totals) - switch)
    assert all(seen[-1][2] == OLD_TOTAL + 1 for seen in load.results)  # each client ends on the new index
    page = urllib.request.urlopen(f"{base_url}/api/search?q={NEW_WORD}", timeout=10)
    assert json.loads(page.read())["hits"][0]["id"] == "new-story.txt"


def test_killed_rebuild_under_load_keeps_serving_the_previous_generation(served):
    source_dir, index_dir, base_url = served
    live = current_generation(index_dir)
    (source_dir / "new-story.txt").write_text(NEW_STORY, encoding="utf-8")
    with Load(base_url, per_client=REQUESTS_PER_CLIENT // 2) as load:
        done = run_builder(source_dir, index_dir, die_before_publishing=True)
    assert done.returncode == -9
    assert current_generation(index_dir) == live
    results = load.all
    assert len(results) >= LOAD_CLIENTS * REQUESTS_PER_CLIENT // 2
    assert {(status, total) for _, status, total in results} == {(200, OLD_TOTAL)}  # nothing lost, nothing new
    # The next build cleans up after the dead one and the site moves on.
    assert run_builder(source_dir, index_dir).returncode == 0
    assert not list(index_dir.glob(".building-*"))
    page = urllib.request.urlopen(f"{base_url}/api/search?q={QUERY}", timeout=10)
    assert json.loads(page.read())["total"] == OLD_TOTAL + 1


def test_export_that_spans_a_rebuild_reads_one_generation(tmp_path):
    source_dir = write_corpus(tmp_path / "corpus")
    index_dir = tmp_path / "index"
    build_index(source_dir, index_dir, jobs=1)
    hits = iter_hits(index_dir, QUERY, sort="newest", batch_size=5)
    first = [next(hits).id for _ in range(5)]
    (source_dir / "new-story.txt").write_text(NEW_STORY, encoding="utf-8")  # the newest: it shifts every page
    build_index(source_dir, index_dir, jobs=1)
    ids = first + [hit.id for hit in hits]
    assert len(ids) == len(set(ids))
    assert len(ids) in (OLD_TOTAL, OLD_TOTAL + 1)
