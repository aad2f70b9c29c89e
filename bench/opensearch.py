"""Whoosh beside OpenSearch on the same corpus: build docs/s, results-page p50/p95, memory, index size.

python bench/opensearch.py ../shared/corpora/reuters21578/docs [--replicate 7] [--url URL] [--json]

Needs a running cluster (scripts/opensearch-cluster start). Both backends build the same
folder with the same extraction (whoosh in a fresh process, as bench/speed.py does; OpenSearch
in a fresh process too, its workers extracting and the parent sending bulk requests), then
answer the same seeded query set (speed.py's: words, phrases, one or two facet filters, the
browse page) as full results pages (top 10, every facet, snippets) through the library call
and over HTTP (`seedsearch serve`, 2 workers, 4 clients). Memory for OpenSearch is the build
process's peak RSS and the RSS of each node's JVM after the queries; index size is the
primaries' store (the replica doubles it on disk).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import speed

import indexer
from indexer import opensearch

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "http://127.0.0.1:9200,http://127.0.0.1:9201"
BUILD_SCRIPT = """
import json, resource, sys, time
from indexer.opensearch import Cluster, build_index
started = time.perf_counter()
report = build_index(sys.argv[1], Cluster(sys.argv[2], sys.argv[3]), jobs=int(sys.argv[4]) or None)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"docs": report.documents, "seconds": time.perf_counter() - started,
                  "peak_rss_mb": max(own, children) / 1024}))
"""


def build_opensearch(source: Path, url: str, name: str, jobs: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", BUILD_SCRIPT, str(source), url, name, str(jobs)],
        capture_output=True, text=True, check=False, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    if out.returncode != 0:
        raise RuntimeError(f"the OpenSearch build failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def node_memory(index: opensearch.OpenSearchIndex) -> dict[str, float]:
    """Each node's JVM resident memory in MB (the nodes run on this machine)."""
    nodes = index.cluster.client.nodes.info(metric="process")["nodes"].values()
    return {node["name"]: speed_rss_mb(node["process"]["id"]) for node in nodes}


def speed_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def time_pages(search, queries, warmup) -> dict:
    def page(query) -> int:
        return search(query.text, filters=query.filter_dict(), page_size=speed.PAGE_SIZE).total

    return speed.time_engine(page, queries, warmup)


def time_http(index_dir: Path, work_dir: Path, queries, warmup, args, backend_env: dict) -> dict:
    """`seedsearch serve` (its options from the environment) under speed.py's bounded load."""
    work_dir.mkdir(parents=True, exist_ok=True)
    saved = {key: os.environ.get(key) for key in backend_env}
    os.environ.update(backend_env)
    server = speed.Server(index_dir, work_dir, args.workers, args.timeout)
    try:
        server.start()
        return speed.time_http(server, queries, warmup, args)
    finally:
        server.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run(args) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-opensearch-") as scratch:
        scratch = Path(scratch)
        source = args.source
        if args.replicate > 1:
            source = speed.replicate_corpus(args.source, scratch / "corpus", args.replicate)
        whoosh_dir = scratch / "index"
        whoosh_build = speed.build_in_subprocess(source, whoosh_dir, args.jobs, timeout=3600)
        name = f"bench-{os.getpid()}"
        server = opensearch.OpenSearchIndex(args.url, name)
        try:
            server_build = build_opensearch(source, args.url, name, args.jobs)
            records = speed.read_records(whoosh_dir)
            queries = speed.make_queries(records, args.queries, args.seed)
            warmup = speed.make_queries(records, args.warmup, args.seed + 1)
            whoosh_index = indexer.SearchIndex(whoosh_dir)
            whoosh_pages = time_pages(lambda q, **o: indexer.search(whoosh_index, q, **o), queries, warmup)
            server_pages = time_pages(lambda q, **o: indexer.search(server, q, **o), queries, warmup)
            whoosh_http = time_http(whoosh_dir, scratch / "serve-whoosh", queries, warmup, args, {})
            server_env = {"SEARCH_BACKEND": "opensearch", "SEARCH_OPENSEARCH_URL": args.url,
                          "SEARCH_OPENSEARCH_INDEX": name}  # fmt: skip
            server_http = time_http(whoosh_dir, scratch / "serve-opensearch", queries, warmup, args, server_env)
            stats = indexer.index_stats(server)
            memory = node_memory(server)
        finally:
            server.cluster.delete_all()
    agree = sum(a == b for a, b in zip(whoosh_pages.pop("totals"), server_pages.pop("totals")))
    docs = whoosh_build["docs"]
    return {
        "corpus": str(args.source),
        "replicate": args.replicate,
        "documents": docs,
        "queries": len(queries),
        "totals_agree": agree,
        "whoosh": {
            "build_docs_per_s": docs / whoosh_build["seconds"],
            "build_peak_rss_mb": whoosh_build["peak_rss_mb"],
            "index_mb": whoosh_build["index_bytes"] / 1048576,
            **{key: whoosh_pages[key] for key in ("p50_ms", "p95_ms", "first_ms")},
            "http": {key: whoosh_http[key] for key in ("p50_ms", "p95_ms", "req_per_s")},
        },
        "opensearch": {
            "build_docs_per_s": server_build["docs"] / server_build["seconds"],
            "build_peak_rss_mb": server_build["peak_rss_mb"],
            "index_mb": stats["size_bytes"] / 1048576,
            "node_rss_mb": memory,
            **{key: server_pages[key] for key in ("p50_ms", "p95_ms", "first_ms")},
            "http": {key: server_http[key] for key in ("p50_ms", "p95_ms", "req_per_s")},
        },
    }


def report(result: dict) -> str:
    w, o = result["whoosh"], result["opensearch"]
    jvm = " + ".join(f"{mb:.0f}" for mb in o["node_rss_mb"].values())
    head = (
        f"{result['documents']} documents ({result['corpus']} x{result['replicate']}), {result['queries']} pages; "
        f"totals agree on {result['totals_agree']}/{result['queries']}"
    )
    columns = (
        f"{'':12} {'build docs/s':>12} {'build RSS MB':>12} {'index MB':>9} {'library p50/p95 ms':>19} "
        f"{'HTTP p50/p95 ms':>16} {'req/s':>6}"
    )
    rows = [
        (
            f"{name:12} {e['build_docs_per_s']:12.0f} {e['build_peak_rss_mb']:12.0f} {e['index_mb']:9.1f} "
            f"{e['p50_ms']:10.1f} / {e['p95_ms']:6.1f} {e['http']['p50_ms']:7.1f} / {e['http']['p95_ms']:6.1f} "
            f"{e['http']['req_per_s']:6.1f}"
        )
        for name, e in (("whoosh", w), ("opensearch", o))
    ]
    headline = (
        f"page p50 (library): whoosh {w['p50_ms']:.1f} ms, OpenSearch {o['p50_ms']:.1f} ms; "
        f"build: whoosh {w['build_docs_per_s']:.0f} docs/s, OpenSearch {o['build_docs_per_s']:.0f} docs/s"
    )
    return "\n".join([head, columns, *rows, f"OpenSearch JVMs: {jvm} MB RSS (512 MB heaps)", headline])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, metavar="CORPUS_DIR")
    parser.add_argument("--replicate", type=int, default=1, help="copies of the corpus to index (default 1)")
    parser.add_argument("--url", default=os.environ.get("SEARCH_OPENSEARCH_URL", DEFAULT_URL))
    parser.add_argument("--queries", type=int, default=200, help="queries in the set (default 200)")
    parser.add_argument("--warmup", type=int, default=speed.WARMUP)
    parser.add_argument("--jobs", type=int, default=0, help="build worker processes (0: all cores)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=400, help="timed HTTP requests (default 400)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds for one request or start-up")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        opensearch.Cluster(args.url, "probe").check()
    except opensearch.ClusterError as error:
        print(f"{error}: start one with scripts/opensearch-cluster start", file=sys.stderr)
        return 2
    started = time.perf_counter()
    result = run(args)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
