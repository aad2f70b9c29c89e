"""Worst requests: the slowest query shapes we know of, timed one by one in the library and over HTTP.

python bench/worst.py INDEX_DIR [--http] [--timeout 30] [--only NAME ...] [--json]

Each case (wildcards, fuzzy words, long and deeply nested queries, the document page and the
feed with such a query) runs once as a full results page: in the library through
indexer.search / get_document in a child process (its index warmed, as a served worker's is) that is killed and replaced when a case
passes --timeout; with --http as a GET against `seedsearch serve --workers 2` on loopback
(gunicorn kills a request at 30 s). Prints each case's seconds, total and notice; the
headline is the worst case's seconds.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from speedlib.console import progress
from speedlib.server import Server

PARAGRAPH = (
    "The oil ministers of the producing countries said on Tuesday that they would meet again next month "
    "to review prices and output, after a week in which crude futures fell sharply on world markets and "
    "traders in London, New York and Tokyo sold contracts for delivery in April. Officials of the group "
    "told reporters that member states had agreed to hold production at current levels until the end of "
    "the quarter, but analysts said the accord was fragile and that several members were already pumping "
    "well above their quotas. The central bank raised its discount rate by half a point to defend the "
    "currency, a move economists had expected after the trade figures for January showed a deficit far "
    "larger than forecast. Shares in banks and insurance companies rose, while grain and sugar prices "
    "were little changed in thin trading ahead of the holiday. The government will publish its budget "
    "proposals next week, a spokesman for the finance ministry said, adding that tax cuts were unlikely."
)
WORDS = PARAGRAPH.split()


@dataclass(frozen=True)
class Case:
    """One request: a results page (or document page, or feed) for a query, with filters."""

    name: str
    kind: str  # "wildcard", "fuzzy" or "long"
    query: str
    filters: tuple[tuple[str, str], ...] = ()
    page: str = "search"  # "search", "document" or "feed"

    def url_path(self, doc_id: str) -> str:
        args = urllib.parse.urlencode([("q", self.query), *self.filters])
        if self.page == "document":
            return f"/doc/{urllib.parse.quote(doc_id)}?{args}"
        return f"/feed?{args}" if self.page == "feed" else f"/?{args}"


CASES = (
    Case("prefix s*", "wildcard", "s*"),
    Case("leading *e", "wildcard", "*e"),
    Case("infix *a*", "wildcard", "*a*"),
    Case("infix *o*n*", "wildcard", "*o*n*"),
    Case("six prefixes", "wildcard", "s* t* p* c* m* b*"),
    Case("? wildcards", "wildcard", "?a?e*"),
    Case("field prefix", "wildcard", "title:s*"),
    Case("word range", "wildcard", "[a TO z]"),
    Case("*a* on document page", "wildcard", "*a*", page="document"),
    Case("*a* in feed", "wildcard", "*a*", page="feed"),
    Case("fuzzy ~7 via relax", "fuzzy", "administrations~7 oil", (("source", "nosuchsource"),)),
    Case("fuzzy ~2~2", "fuzzy", "administrations~2~2"),
    Case("fuzzy field ~5", "fuzzy", "title:administrations~5"),
    Case("fuzzy 60-letter word", "fuzzy", "a" * 60 + "~2"),
    Case("eight fuzzy words", "fuzzy", "oil~ gas~ bank~ rate~ trade~ price~ share~ stock~"),
    Case("fuzzy ~7 on document page", "fuzzy", "administrations~7", page="document"),
    Case("pasted paragraph in capitals", "long", PARAGRAPH.upper()),
    Case("pasted paragraph", "long", PARAGRAPH),
    Case("huge OR list", "long", " OR ".join(WORDS[:160])),
    Case("nested parentheses", "long", "(" * 400 + "oil" + ")" * 400),
    Case("many phrases", "long", " ".join(f'"{a} {b}"' for a, b in zip(WORDS[::2], WORDS[1::2]))),
    Case("many NOTs", "long", "oil " + " ".join(f"-{word}" for word in WORDS[:120])),
)


def library_child(index_dir: str, conn) -> None:
    """Runs cases sent over `conn`, answering (seconds, total, notice) for each."""
    import indexer

    index = indexer.SearchIndex(Path(index_dir))
    index.warm()  # as a served worker is before its first request
    doc_id = indexer.search(index, "", page_size=1).hits[0].id
    conn.send(doc_id)
    while True:
        case = conn.recv()
        started = time.perf_counter()
        filters = {}
        for name, value in case.filters:
            filters.setdefault(name, []).append(value)
        if case.page == "document":
            view = indexer.get_document(index, doc_id, query=case.query)
            total, notice = (1 if view else 0), None
        else:
            size = 20 if case.page == "feed" else 10
            sort = "newest" if case.page == "feed" else "relevance"
            found = indexer.search(index, case.query, filters=filters, page_size=size, sort=sort)
            total, notice = found.total, found.notice
        conn.send((time.perf_counter() - started, total, notice))


class LibraryRunner:
    """A child process holding the index open; replaced when a case runs past the timeout."""

    def __init__(self, index_dir: Path, timeout: float):
        self.index_dir, self.timeout = index_dir, timeout
        self.process = self.conn = None
        self.doc_id = ""

    def start(self) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=library_child, args=(str(self.index_dir), child), daemon=True)
        self.process.start()
        self.doc_id = self.conn.recv()

    def run(self, case: Case) -> dict:
        if self.process is None:
            self.start()
        self.conn.send(case)
        if not self.conn.poll(self.timeout):
            self.stop()
            return {"seconds": None, "total": None, "notice": f"killed after {self.timeout:.0f} s"}
        seconds, total, notice = self.conn.recv()
        return {"seconds": seconds, "total": total, "notice": notice}

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.join()
            self.process = None


def run_http(server: Server, case: Case, doc_id: str, timeout: float) -> dict:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(server.base_url + case.url_path(doc_id), timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        return {"seconds": None, "status": type(error).__name__}
    return {"seconds": time.perf_counter() - started, "status": status}


def shown(seconds: float | None, timeout: float) -> str:
    return f">{timeout:.0f}" if seconds is None else f"{seconds:.2f}"


def worst(results: list[dict], key: str, timeout: float) -> float:
    """The slowest case's seconds (the timeout for a case that never answered)."""
    return max((timeout if r[key]["seconds"] is None else r[key]["seconds"]) for r in results if key in r)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", type=Path, metavar="INDEX_DIR")
    parser.add_argument("--http", action="store_true", help="also time each case over HTTP (seedsearch serve)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a case is given up (default 30)")
    parser.add_argument("--only", nargs="*", default=None, help="run only the cases whose names contain these")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    say = progress(args.quiet)
    cases = [c for c in CASES if args.only is None or any(part in c.name for part in args.only)]
    library = LibraryRunner(args.index.resolve(), args.timeout)
    results = []
    try:
        for case in cases:
            say(f"library: {case.name}")
            results.append({"name": case.name, "kind": case.kind, "library": library.run(case)})
        if library.process is None:
            library.start()
        doc_id = library.doc_id
    finally:
        library.stop()
    if args.http:
        with tempfile.TemporaryDirectory(prefix="seedsearch-worst-") as work_dir:
            server = Server(args.index.resolve(), Path(work_dir), workers=2, timeout=120)
            try:
                server.start()
                for case, result in zip(cases, results):
                    say(f"http: {case.name}")
                    result["http"] = run_http(server, case, doc_id, args.timeout + 5)
            finally:
                server.stop()
    summary = {"cases": results, "worst_library_s": worst(results, "library", args.timeout)}
    if args.http:
        summary["worst_http_s"] = worst(results, "http", args.timeout)
    if args.json:
        print(json.dumps(summary))
        return 0
    print(f"{'case':32} {'kind':9} {'library s':>10} {'total':>7} {'http s':>8} {'status':>7}  notice")
    for r in results:
        http = r.get("http", {})
        lib = r["library"]
        print(
            f"{r['name']:32} {r['kind']:9} {shown(lib['seconds'], args.timeout):>10} {lib['total']!s:>7} "
            f"{shown(http.get('seconds'), args.timeout) if http else '-':>8} {http.get('status', '-')!s:>7}  "
            f"{(lib['notice'] or '')[:90]}"
        )
    headline = f"worst request: library {shown(summary['worst_library_s'], args.timeout)} s"
    if args.http:
        headline += f", http {shown(summary['worst_http_s'], args.timeout)} s"
    print(headline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
