"""Load: ordinary searches from many clients against `seedsearch serve`, without and then with attackers.

python bench/load.py INDEX_DIR [--clients 32] [--requests 640] [--attackers 2] [--json]

Serves INDEX_DIR with `seedsearch serve --workers 2` on loopback, warms every worker up, then
runs the same ordinary load twice (the query set of bench/speed.py: one and two words,
phrases, facet filters, browsing): alone, and while --attackers clients send wildcard and
fuzzy queries (`*a*`, `administrations~7 oil` with a filter that empties it, ...) back to back
until the ordinary load is done. Bounded: --requests ordinary requests a phase, each given up
after --timeout seconds, and every phase stops after --max-seconds. Prints p50/p95/p99 of the
ordinary searches in both phases and the attackers' latencies; the headline (last line) is the
ordinary p99 with attackers, against the goal of 1 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from speedlib.console import progress
from speedlib.queries import make_queries
from speedlib.records import read_records
from speedlib.server import Server
from speedlib.timing import percentile

ATTACKS = (
    "/?q=%2Aa%2A",
    "/api/search?q=administrations~7+oil&source=nosuchsource",
    "/?q=s%2A",
    "/?q=%2Ae",
    "/?q=%2Ao%2An%2A",
    "/feed?q=%2Aa%2A",
    "/?q=s%2A+t%2A+p%2A+c%2A+m%2A+b%2A",
    "/?q=administrations~2~2",
)
GOAL_P99_MS = 1000.0


def get(url: str, timeout: float) -> int:
    """The status of a GET (the body read); 0 when it failed or timed out."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


class Recorder:
    """(milliseconds, status) of each request, from many threads."""

    def __init__(self):
        self.results: list[tuple[float, int]] = []
        self._lock = threading.Lock()

    def timed_get(self, url: str, timeout: float) -> None:
        started = time.perf_counter()
        status = get(url, timeout)
        with self._lock:
            self.results.append(((time.perf_counter() - started) * 1000, status))

    def summary(self) -> dict:
        latencies = [ms for ms, _ in self.results]
        failed = sum(1 for _, status in self.results if status != 200)
        return {
            "requests": len(self.results),
            "failed": failed,
            "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95),
            "p99_ms": percentile(latencies, 99),
            "max_ms": max(latencies, default=float("nan")),
        }


def run_phase(base_url: str, paths: list[str], args, attackers: int) -> tuple[dict, dict | None]:
    """The ordinary paths from --clients threads, with `attackers` more threads attacking meanwhile."""
    ordinary, attacks = Recorder(), Recorder()
    pending = iter(paths)
    lock = threading.Lock()
    done = threading.Event()
    deadline = time.monotonic() + args.max_seconds

    def client():
        while time.monotonic() < deadline:
            with lock:
                path = next(pending, None)
            if path is None:
                return
            ordinary.timed_get(base_url + path, args.timeout)

    def attacker(number: int):
        for turn in range(10**6):
            if done.is_set() or time.monotonic() >= deadline:
                return
            attacks.timed_get(base_url + ATTACKS[(number + attackers * turn) % len(ATTACKS)], args.timeout)

    raiders = [threading.Thread(target=attacker, args=(n,), daemon=True) for n in range(attackers)]
    clients = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    for thread in raiders:
        thread.start()
    if raiders:
        time.sleep(0.2)  # the attacks are under way before the ordinary load starts
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    done.set()
    for thread in raiders:
        thread.join(args.timeout + 1)
    return ordinary.summary(), attacks.summary() if attackers else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", type=Path, metavar="INDEX_DIR")
    parser.add_argument("--clients", type=int, default=32, help="clients sending ordinary searches (default 32)")
    parser.add_argument("--requests", type=int, default=640, help="ordinary requests a phase (default 640)")
    parser.add_argument("--attackers", type=int, default=2, help="clients sending attacks (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--timeout", type=float, default=35.0, help="seconds before a request is given up")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="seconds before a phase is stopped")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if not (args.index / "CURRENT").exists():
        parser.error(f"{args.index} is not a seedsearch index")
    say = progress(args.quiet)
    say("drawing the ordinary queries from the index")
    queries = make_queries(read_records(args.index), args.requests, args.seed)
    paths = [query.url_path() for query in queries]
    with tempfile.TemporaryDirectory(prefix="seedsearch-load-") as work_dir:
        server = Server(args.index.resolve(), Path(work_dir), args.workers, timeout=120)
        try:
            server.start()
            say("warming up every worker")
            run_phase(server.base_url, paths[: 8 * args.workers], args, attackers=0)
            say(f"{len(paths)} ordinary requests from {args.clients} clients")
            alone, _ = run_phase(server.base_url, paths, args, attackers=0)
            say(f"the same with {args.attackers} attackers")
            attacked, attacks = run_phase(server.base_url, paths, args, attackers=args.attackers)
        finally:
            server.stop()
    result = {"ordinary": alone, "ordinary_attacked": attacked, "attacks": attacks}
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{'':28} {'requests':>8} {'failed':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    rows = [("ordinary, alone", alone), (f"ordinary, {args.attackers} attackers", attacked)]
    rows += [("attacks", attacks)] if attacks else []
    for label, row in rows:
        print(
            f"{label:28} {row['requests']:>8} {row['failed']:>6} {row['p50_ms']:>8.0f} {row['p95_ms']:>8.0f} "
            f"{row['p99_ms']:>8.0f} {row['max_ms']:>8.0f}"
        )
    print(
        f"ordinary p99: {alone['p99_ms']:.0f} ms alone, {attacked['p99_ms']:.0f} ms with {args.attackers} attackers "
        f"(goal <= {GOAL_P99_MS:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
