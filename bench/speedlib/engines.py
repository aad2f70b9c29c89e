"""Our engines: the library's search(), a page per keystroke as you type, the analyst's entity page and
facet search box, and HTTP against `seedsearch serve`.

open_library gives a function Query -> total hits for one full results page, as the baselines do.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import indexer
from indexer.searching.entities import get_entity
from speedlib.queries import PAGE_SIZE, NameLookup, Query, keystrokes
from speedlib.server import Server, run_load
from speedlib.timing import latency_summary, percentile


def open_index(index):
    """A fresh SearchIndex for an index folder (opened by the first query); another index (an
    OpenSearchIndex) as it is."""
    return indexer.SearchIndex(index) if isinstance(index, Path) else index


def open_library(index) -> Callable[[Query], int]:
    """Our library's search call, on an index folder (a fresh SearchIndex) or an OpenSearchIndex."""
    index = open_index(index)

    def page(query: Query) -> int:
        return indexer.search(index, query.text, filters=query.filter_dict(), page_size=PAGE_SIZE).total

    return page


def time_typing(index, queries: Sequence[Query], warmup: Sequence[Query]) -> dict:
    """A full results page per keystroke, the last word a prefix: ms per page over every keystroke."""
    index = open_index(index)

    def page(text: str, filters: dict) -> None:
        indexer.search(index, text, filters=filters, page_size=PAGE_SIZE, as_you_type=True)

    for text, filters in keystrokes(warmup):
        page(text, filters)
    latencies = []
    for text, filters in keystrokes(queries):
        started = time.perf_counter()
        page(text, filters)
        latencies.append((time.perf_counter() - started) * 1000)
    if isinstance(index, indexer.SearchIndex):
        index.close()
    return {
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "keystrokes": len(latencies),
    }


def time_name_lookups(index_dir: Path, lookups: Sequence[NameLookup], warmup: int) -> dict:
    """ms per entity page (`get_entity`), and per page of a facet's search box (`find_values`) over
    the lookup's results page: {"entity": summary, "facet_search": summary}."""
    index = indexer.SearchIndex(index_dir)
    pages = {
        "entity": lambda lookup: get_entity(index, lookup.facet, lookup.value),
        "facet_search": lambda lookup: indexer.find_values(
            index, lookup.facet, lookup.prefix, lookup.query.text, filters=lookup.query.filter_dict()
        ),
    }
    result = {}
    for name, page in pages.items():
        for lookup in lookups[:warmup]:
            page(lookup)
        latencies = []
        for lookup in lookups:
            started = time.perf_counter()
            page(lookup)
            latencies.append((time.perf_counter() - started) * 1000)
        result[name] = latency_summary(latencies, [lookup.query for lookup in lookups])
    index.close()
    return result


def time_http(server: Server, queries: Sequence[Query], warmup: Sequence[Query], args) -> dict:
    """Warm-up load (so every worker has opened the index), then the timed load."""
    warm_paths = [q.url_path() for q in warmup] or ["/"]
    run_load(server.base_url, warm_paths * max(1, -(-2 * args.workers // len(warm_paths))), args.clients, args.timeout)
    paths = [queries[i % len(queries)].url_path() for i in range(args.requests)]
    latencies, wall = run_load(server.base_url, paths, args.clients, args.timeout)
    asked = [queries[i % len(queries)] for i in range(args.requests)]
    return {**latency_summary(latencies, asked), "req_per_s": len(paths) / wall, "wall_s": wall}
