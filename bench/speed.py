"""Speed: build time and search latency of seedsearch, beside naive whoosh and SQLite FTS5.

python bench/speed.py ../shared/corpora/reuters21578/docs [--replicate 7] [--runs 3] [--json]
python bench/speed.py --index INDEX_DIR [--baselines] [--runs 3] [--json]

Builds the index with the real indexer (full extraction, in a fresh process: build seconds,
docs/s, peak RSS of the build and its workers, index size beside the source files' size).
Then one seeded query set, made from real titles (one- and two-word queries, quoted phrases,
one or two facet filters, the empty-query browse), runs as a full results page (top 10, all
facets, snippets) through:

  library       indexer.search(SearchIndex(dir), q, filters=...), in this process
  as you type   the same page for each keystroke of the word queries (filters included),
                search(..., as_you_type=True): the last word read as a prefix
  entity page   get_entity(index, facet, name) for a name drawn from the records (person, org, place)
  facet search  find_values(index, facet, prefix, q, filters=...): the facet's search box, a prefix
                of that name's last word, over one of the query set's results pages
  http          GET /?q=...&place=... against `seedsearch serve --workers 2` on loopback,
                a fixed number of requests from --clients threads (latency includes queueing)
  naive whoosh  the documented recipe, built from the same records: TEXT(StemmingAnalyzer)
                title/body/names, KEYWORD(commas) facet fields, one ix.writer(); per query
                `with ix.searcher()`, MultifieldParser(fieldboosts), groupedby
                FieldFacet(allow_overlap=True), hit.highlights("body", top=2)
  fts5          sqlite3 FTS5 (porter unicode61), bm25(3, 2, 1), snippet(), facet counts by
                GROUP BY over the matches, a correlated EXISTS per facet filter

The baselines' records are read back from our built index (title, body, names, year, source,
language, date), so all engines index the same extracted text. Every engine gets --warmup
untimed pages first (default 30). Per run: p50/p95/p99 over the query set; printed: the median over runs,
ratios taken inside each run. --replicate N copies the corpus N times into r0/, r1/, ...
(distinct ids), and also builds the 1x corpus once to compare docs/s.

--index INDEX_DIR times an index already built (left as it is): no build, and no baselines
unless --baselines, so large indexes can be timed again without building them each time.

--backend opensearch also builds the corpus in an OpenSearch cluster (--url; a running one:
scripts/opensearch-cluster start) in each run, and times the same pages on it beside ours:
build docs/s and peak RSS, library, as you type and HTTP, the nodes' JVM RSS, the index size
(the baselines are left out, unless --baselines).

Methodology follows shared/notes/performance-anchors.md; differences: our search counts each
facet without its own selection (disjunctive faceting) while the baselines count over the
final matches, and the baselines search title x3, names x2, body x1 while ours also searches
dates and source. The pieces live in bench/speedlib/ (query set, timing, builds, server,
our engines, the baselines); this script runs them and prints the figures.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

from speedlib.baselines import build_baselines, open_fts5, open_naive_whoosh
from speedlib.builds import build_in_subprocess, replicate_corpus
from speedlib.console import progress, run_in_scratch
from speedlib.engines import open_library, time_http, time_name_lookups, time_typing
from speedlib.opensearch import (
    DEFAULT_URL,
    bench_index_name,
    build_opensearch,
    check_cluster,
    nodes_rss_mb,
    serve_options,
)
from speedlib.queries import KINDS, make_name_lookups, make_queries
from speedlib.records import folder_mb, read_records
from speedlib.server import Server
from speedlib.timing import median_of, rounded, time_engine

from indexer.store import current_generation

WARMUP = 30
GUNICORN_MAX_REQUESTS = 950  # seedsearch serve restarts a worker after 1000-1050 requests
LATENCY_KEYS = ("p50_ms", "p95_ms", "p99_ms", "mean_ms")
ENGINES = (("library", "library"), ("http", "HTTP"), ("naive_whoosh", "naive whoosh"), ("fts5", "FTS5"))
BASELINES = ("naive_whoosh", "fts5")
NAME_PAGES = ("entity", "facet_search")


# --- one run, and many ----------------------------------------------------------------------------


def prepare(index_dir: Path, work_dir: Path, args, with_baselines: bool, say) -> dict:
    """The state every run shares: the query set drawn from the index's records, and the baselines built."""
    say("reading records back from the index")
    records = read_records(index_dir)
    drawn = make_queries(records, args.queries + args.warmup, args.seed)
    state = {"docs": len(records), "queries": drawn[: args.queries], "warmup": drawn[args.queries :]}
    state["lookups"] = make_name_lookups(records, state["queries"], args.seed)
    state["baselines"] = build_baselines(records, work_dir, say) if with_baselines else None
    return state


def time_engines(number: int, index_dir: Path, work_dir: Path, args, state: dict, say) -> dict:
    """Time the query set on every engine: library, as you type, HTTP, and the baselines if built."""
    queries, warmup, baselines = state["queries"], state["warmup"], state["baselines"]
    say(f"run {number + 1}: library search()")
    library = time_engine(open_library(index_dir), queries, warmup)
    say(f"run {number + 1}: as you type, a page per keystroke")
    typing = time_typing(index_dir, queries, warmup)
    say(f"run {number + 1}: entity pages and facet search boxes")
    names = time_name_lookups(index_dir, state["lookups"], args.warmup)
    say(f"run {number + 1}: HTTP, {args.requests} requests from {args.clients} clients")
    if args.requests + args.warmup > GUNICORN_MAX_REQUESTS * args.workers:
        say("warning: that many requests make gunicorn restart workers (max_requests), which reopen the index")
    server = Server(index_dir, work_dir, args.workers, args.timeout)
    try:
        server.start()
        http = time_http(server, queries, warmup, args)
        http["serve_rss_mb"] = server.workers_peak_rss_mb()
    finally:
        server.stop()
    run = {"library": library, "typing": typing, **names, "http": http}
    if baselines is not None:
        say(f"run {number + 1}: naive whoosh")
        run["naive_whoosh"] = time_engine(open_naive_whoosh(baselines.naive_dir), queries, warmup)
        say(f"run {number + 1}: FTS5")
        run["fts5"] = time_engine(open_fts5(baselines.fts5_path), queries, warmup)
    return run


def time_opensearch(number: int, source_dir: Path, index_dir: Path, work_dir: Path, args, state: dict, say) -> dict:
    """Build the corpus in the cluster, then time the query set on it: library, as you type, HTTP."""
    from indexer.opensearch import OpenSearchIndex

    queries, warmup, name = state["queries"], state["warmup"], bench_index_name()
    index = OpenSearchIndex(args.url, name)
    try:
        say(f"run {number + 1}: OpenSearch build")
        build = build_opensearch(source_dir, args.url, name, args.jobs, args.timeout * 60)
        say(f"run {number + 1}: OpenSearch library search()")
        library = time_engine(open_library(index), queries, warmup)
        say(f"run {number + 1}: OpenSearch as you type")
        typing = time_typing(index, queries, warmup)
        say(f"run {number + 1}: OpenSearch HTTP, {args.requests} requests from {args.clients} clients")
        serve_dir = work_dir / "serve-opensearch"
        serve_dir.mkdir(exist_ok=True)
        server = Server(index_dir, serve_dir, args.workers, args.timeout, serve_options(args.url, name))
        try:
            server.start()
            http = time_http(server, queries, warmup, args)
        finally:
            server.stop()
        nodes = nodes_rss_mb(index)
    finally:
        index.cluster.delete_all()
    return {"build": build, "library": library, "typing": typing, "http": http, "jvm_rss_mb": sum(nodes.values())}


def run_once(number: int, source_dir: Path, work_dir: Path, args, state: dict, say) -> dict:
    """Build ours, then time the query set on every engine (the first run also prepares the shared
    state); with --backend opensearch, the same on the cluster."""
    index_dir = work_dir / f"index-{number}"
    say(f"run {number + 1}: building with the real indexer")
    build = build_in_subprocess(source_dir, index_dir, args.jobs, args.timeout * 60)
    if not state:
        state.update(prepare(index_dir, work_dir, args, args.backend == "whoosh" or args.baselines, say))
    run = {"build": build, **time_engines(number, index_dir, work_dir, args, state, say)}
    if args.backend == "opensearch":
        run["opensearch"] = time_opensearch(number, source_dir, index_dir, work_dir, args, state, say)
    shutil.rmtree(index_dir, ignore_errors=True)
    return run


def summarise(runs: Sequence[dict], state: dict, reference: dict | None) -> dict:
    """The JSON object: medians over runs (build figures when this tool built the index)."""
    if "build" in runs[0]:
        result = {
            "docs": runs[0]["build"]["docs"],
            "build_s": median_of(runs, "build", "seconds"),
            "build_docs_per_s": statistics.median(r["build"]["docs"] / r["build"]["seconds"] for r in runs),
            "build_peak_rss_mb": median_of(runs, "build", "peak_rss_mb"),
            "index_mb": median_of(runs, "build", "index_bytes") / 1048576,
        }
    else:
        result = {"docs": state["docs"], "index_mb": state["index_mb"]}
    result |= {
        "library": {k: median_of(runs, "library", k) for k in ("p50_ms", "p95_ms", "p99_ms")},
        "typing": {k: median_of(runs, "typing", k) for k in ("p50_ms", "p95_ms", "p99_ms", "keystrokes")},
        **{page: {k: median_of(runs, page, k) for k in ("p50_ms", "p95_ms", "p99_ms")} for page in NAME_PAGES},
        "http": {k: median_of(runs, "http", k) for k in ("p50_ms", "p95_ms", "req_per_s")},
    }
    for engine in BASELINES:
        if engine in runs[0]:
            result[engine] = {k: median_of(runs, engine, k) for k in ("p50_ms", "p95_ms")}
    result["serve_rss_mb"] = median_of(runs, "http", "serve_rss_mb")
    if "opensearch" in runs[0]:
        result["opensearch"] = {
            "build_s": median_of(runs, "opensearch", "build", "seconds"),
            "build_docs_per_s": statistics.median(
                r["opensearch"]["build"]["docs"] / r["opensearch"]["build"]["seconds"] for r in runs
            ),
            "build_peak_rss_mb": median_of(runs, "opensearch", "build", "peak_rss_mb"),
            "index_mb": median_of(runs, "opensearch", "build", "index_bytes") / 1048576,
            "library": {k: median_of(runs, "opensearch", "library", k) for k in ("p50_ms", "p95_ms", "p99_ms")},
            "typing": {k: median_of(runs, "opensearch", "typing", k) for k in ("p50_ms", "p95_ms", "p99_ms")},
            "http": {k: median_of(runs, "opensearch", "http", k) for k in ("p50_ms", "p95_ms", "req_per_s")},
            "jvm_rss_mb": median_of(runs, "opensearch", "jvm_rss_mb"),
            "totals_agree": sum(
                a == b for a, b in zip(runs[0]["library"]["totals"], runs[0]["opensearch"]["library"]["totals"])
            ),
        }
    if reference is not None:
        result["build_docs_per_s_1x"] = reference["docs"] / reference["seconds"]
    return rounded(result)


def ratio(runs: Sequence[dict], engine: str, key: str) -> float:
    """Ours over the other engine, computed inside each run, median over runs (>1: we are slower)."""
    return statistics.median(r["library"][key] / r[engine][key] for r in runs if r[engine][key] > 0)


def agreement(runs: Sequence[dict], engine: str) -> str:
    ours, theirs = runs[0]["library"]["totals"], runs[0][engine]["totals"]
    same = sum(1 for a, b in zip(ours, theirs) if a == b)
    ratios = [a / b for a, b in zip(ours, theirs) if b]
    return f"{same}/{len(ours)} identical, median ratio {statistics.median(ratios) if ratios else float('nan'):.3f}"


def format_report(result: dict, runs: Sequence[dict], state: dict, args, reference: dict | None) -> str:
    """The human-readable report; the headline is the last line."""
    queries, baselines = state["queries"], state["baselines"]
    counts = ", ".join(f"{sum(1 for q in queries if q.kind == kind)} {kind}" for kind, _ in KINDS)
    engines = [(name, label) for name, label in ENGINES if name in runs[0]]

    def each(*keys: str, fmt: str = "{:.1f}") -> str:
        return ", ".join(fmt.format(median_of([run], *keys)) for run in runs)

    def row(label: str, values) -> str:
        return f"  {label:<20}" + "".join(f"{value:9.2f}" for value in values)

    if args.index:
        lines = [f"index               {args.index}: {result['docs']:,} documents, {result['index_mb']:.1f} MB"]
    else:
        lines = [f"corpus              {args.source} x{args.replicate}: {result['docs']:,} documents"]
    lines += [
        f"runs                {args.runs} (medians over runs; each run in brackets)",
        f"queries             {len(queries)}, seed {args.seed}: {counts}; {args.warmup} warm-up pages per engine",
    ]
    builds = []
    if not args.index:
        builds.append(
            f"build (ours)        {result['build_s']:.1f} s [{each('build', 'seconds')}]"
            f"   {result['build_docs_per_s']:.0f} docs/s   peak RSS {result['build_peak_rss_mb']:.0f} MB"
            f"   index {result['index_mb']:.1f} MB ({result['index_mb'] / result['corpus_mb']:.1f}x the"
            f" {result['corpus_mb']:.1f} MB of source files)"
        )
    if reference is not None:
        growth = result["build_docs_per_s_1x"] / result["build_docs_per_s"]
        builds.append(
            f"build docs/s        1x {result['build_docs_per_s_1x']:.0f} ({reference['docs']:,} docs in"
            f" {reference['seconds']:.1f} s), x{args.replicate} {result['build_docs_per_s']:.0f}:"
            f" time per document x{growth:.2f}"
        )
    if baselines is not None:
        ours = (
            f"; our build takes {result['build_s'] / baselines.naive_build_s:.1f}x"
            f" and {result['build_s'] / baselines.fts5_build_s:.0f}x their time"
            if "build_s" in result
            else ""
        )
        builds.append(
            f"build (baselines)   naive whoosh {baselines.naive_build_s:.1f} s, {baselines.naive_mb:.1f} MB;"
            f" FTS5 {baselines.fts5_build_s:.1f} s, {baselines.fts5_mb:.1f} MB (from records in memory{ours})"
        )
    lines += ["", *builds] if builds else []
    lines += [
        "",
        "ms per results page       p50      p95      p99     mean    first",
        row("library search()", [median_of(runs, "library", k) for k in LATENCY_KEYS + ("first_ms",)]),
        (
            row("as you type", [median_of(runs, "typing", k) for k in ("p50_ms", "p95_ms", "p99_ms")])
            + f"  over {result['typing']['keystrokes']:.0f} keystrokes (a page each, the last word a prefix)"
        ),
        *(
            row(label, [median_of(runs, page, k) for k in ("p50_ms", "p95_ms", "p99_ms")])
            + f"  over {len(state['lookups'])} names ({note})"
            for page, label, note in (
                ("entity", "entity page", "person, org, place"),
                ("facet_search", "facet search box", "a prefix of a name, within a results page"),
            )
        ),
        (
            row("HTTP", [median_of(runs, "http", k) for k in LATENCY_KEYS])
            + f"            {result['http']['req_per_s']:.1f} req/s ({args.requests} requests,"
            f" {args.clients} clients, {args.workers} workers)"
        ),
    ]
    lines += [
        row(label, [median_of(runs, name, k) for k in LATENCY_KEYS + ("first_ms",)])
        for name, label in engines
        if name in BASELINES
    ]
    if "opensearch" in result:
        lines += opensearch_lines(result, runs, args)
    lines += ["", "p50 ms by kind      " + "".join(f"{kind:>9}" for kind, _ in KINDS)]
    for name, label in engines:
        lines.append(
            row(label, [statistics.median(r[name]["by_kind"].get(k, float("nan")) for r in runs) for k, _ in KINDS])
        )
    library_p50 = f"library p50 {result['library']['p50_ms']:.2f} ms [{each('library', 'p50_ms', fmt='{:.2f}')}]"
    if "opensearch" in result:
        opensearch = result["opensearch"]
        library_p50 += (
            f"; OpenSearch {opensearch['library']['p50_ms']:.2f} ms; build {result['build_docs_per_s']:.0f}"
            f" docs/s, OpenSearch {opensearch['build_docs_per_s']:.0f} docs/s"
        )
    if baselines is None:
        lines += ["", f"serve workers            max VmHWM {result['serve_rss_mb']:.0f} MB after the load", ""]
        return "\n".join([*lines, library_p50])
    naive_p50, naive_p95 = ratio(runs, "naive_whoosh", "p50_ms"), ratio(runs, "naive_whoosh", "p95_ms")
    fts5_p50, fts5_p95 = ratio(runs, "fts5", "p50_ms"), ratio(runs, "fts5", "p95_ms")
    lines += [
        "",
        f"library / naive whoosh   p50 {naive_p50:.2f}x   p95 {naive_p95:.2f}x   (>1: ours is slower)",
        f"library / FTS5           p50 {fts5_p50:.2f}x   p95 {fts5_p95:.2f}x",
        f"serve workers            max VmHWM {result['serve_rss_mb']:.0f} MB after the load",
        f"total hits vs ours       naive whoosh {agreement(runs, 'naive_whoosh')}; FTS5 {agreement(runs, 'fts5')}",
        "",
        f"{library_p50}, {fts5_p50:.1f}x FTS5's {result['fts5']['p50_ms']:.2f} ms",
    ]
    return "\n".join(lines)


def opensearch_lines(result: dict, runs: Sequence[dict], args) -> list[str]:
    """The OpenSearch rows beside ours: its build, memory and pages."""
    o = result["opensearch"]

    def row(label: str, values) -> str:
        return f"  {label:<20}" + "".join(f"{value:9.2f}" for value in values)

    return [
        "",
        (
            f"OpenSearch build    {o['build_s']:.1f} s   {o['build_docs_per_s']:.0f} docs/s   peak RSS"
            f" {o['build_peak_rss_mb']:.0f} MB   index {o['index_mb']:.1f} MB (primaries; the replica doubles it)"
        ),
        f"OpenSearch memory   JVMs {o['jvm_rss_mb']:.0f} MB RSS ({args.url}, after the load)",
        f"OpenSearch totals   {o['totals_agree']}/{len(runs[0]['library']['totals'])} pages count as ours do",
        row("OpenSearch library", [o["library"][k] for k in ("p50_ms", "p95_ms", "p99_ms")]),
        row("OpenSearch typing", [o["typing"][k] for k in ("p50_ms", "p95_ms", "p99_ms")]),
        (
            row("OpenSearch HTTP", [o["http"][k] for k in ("p50_ms", "p95_ms")])
            + f"                     {o['http']['req_per_s']:.1f} req/s"
        ),
    ]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, metavar="CORPUS_DIR", nargs="?", help="the folder to build and time")
    parser.add_argument("--index", type=Path, metavar="INDEX_DIR", help="time this built index instead of building")
    parser.add_argument("--baselines", action="store_true", help="with --index: build and time the baselines too")
    parser.add_argument("--replicate", type=int, default=1, help="copies of the corpus to index (default 1)")
    parser.add_argument("--runs", type=int, default=1, help="build + query rounds; medians are printed (default 1)")
    parser.add_argument("--queries", type=int, default=200, help="queries in the set (default 200)")
    parser.add_argument("--requests", type=int, default=400, help="timed HTTP requests (default 400)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--jobs", type=int, default=0, help="build worker processes (0: all cores)")
    parser.add_argument("--warmup", type=int, default=WARMUP, help=f"untimed pages per engine first (default {WARMUP})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--timeout",
        type=float,
        default=120.0,
        help="seconds per HTTP request and server start; the build may take 60 times this (default 120)",
    )
    parser.add_argument(
        "--backend", choices=("whoosh", "opensearch"), default="whoosh", help="also time this backend beside ours"
    )
    parser.add_argument("--url", default=DEFAULT_URL, help=f"OpenSearch: the cluster (default {DEFAULT_URL})")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if args.index is not None:
        if args.source is not None or args.replicate != 1:
            parser.error("--index times a built index: give no CORPUS_DIR and no --replicate")
        if not (args.index / "CURRENT").is_file():
            parser.error(f"{args.index} is not a seedsearch index")
        if args.backend != "whoosh":
            parser.error("--backend opensearch builds the corpus: give a CORPUS_DIR, not --index")
    elif args.source is None:
        parser.error("give a CORPUS_DIR to build, or --index INDEX_DIR")
    elif not args.source.is_dir():
        parser.error(f"{args.source} is not a folder")
    for name in ("replicate", "runs", "queries", "requests", "clients", "workers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.backend == "opensearch" and (problem := check_cluster(args.url)):
        parser.error(problem)
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    say = progress(args.quiet)

    def built(work_dir: Path) -> None:
        source_dir = args.source.resolve()
        reference = None
        if args.replicate > 1:
            say(f"replicating the corpus {args.replicate} times")
            source_dir = replicate_corpus(source_dir, work_dir / "corpus", args.replicate)
            say("building the 1x corpus once, for docs/s at 1x")
            reference = build_in_subprocess(args.source.resolve(), work_dir / "index-1x", args.jobs, args.timeout * 60)
            shutil.rmtree(work_dir / "index-1x", ignore_errors=True)
        state: dict = {}
        runs = [run_once(number, source_dir, work_dir, args, state, say) for number in range(args.runs)]
        result = summarise(runs, state, reference)
        result["corpus_mb"] = round(folder_mb(source_dir), 3)
        print(json.dumps(result) if args.json else format_report(result, runs, state, args, reference))

    def prebuilt(work_dir: Path) -> None:
        index_dir = args.index.resolve()
        state = prepare(index_dir, work_dir, args, args.baselines, say)
        state["index_mb"] = folder_mb(current_generation(index_dir))
        runs = [time_engines(number, index_dir, work_dir, args, state, say) for number in range(args.runs)]
        result = summarise(runs, state, None)
        print(json.dumps(result) if args.json else format_report(result, runs, state, args, None))

    return run_in_scratch("seedsearch-speed-", prebuilt if args.index else built, "temporary files and the server")


if __name__ == "__main__":
    sys.exit(main())
