"""Speed: build time and search latency of seedsearch, beside naive whoosh and SQLite FTS5.

python bench/speed.py ../shared/corpora/reuters21578/docs [--replicate 7] [--runs 3] [--json]

Builds the index with the real indexer (full extraction, in a fresh process: build seconds,
docs/s, peak RSS of the build and its workers, index size beside the source files' size).
Then one seeded query set, made from real titles (one- and two-word queries, quoted phrases,
one or two facet filters, the empty-query browse), runs as a full results page (top 10, all
facets, snippets) through:

  library       indexer.search(SearchIndex(dir), q, filters=...), in this process
  as you type   the same page for each keystroke of the word queries (filters included),
                search(..., as_you_type=True): the last word read as a prefix
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

Methodology follows shared/notes/performance-anchors.md; differences: our search counts each
facet without its own selection (disjunctive faceting) while the baselines count over the
final matches, and the baselines search title x3, names x2, body x1 while ours also searches
dates and source.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh import sorting
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema
from whoosh.lang.stopwords import stoplists
from whoosh.qparser import MultifieldParser

import indexer
from indexer.schema import FACET_FIELDS, split_values
from indexer.store import current_generation

ROOT = Path(__file__).resolve().parents[1]

PAGE_SIZE = 10
FACET_SIZE = 10
WARMUP = 30
GUNICORN_MAX_REQUESTS = 950  # seedsearch serve restarts a worker after 1000-1050 requests
BASELINE_BOOSTS = {"title": 3.0, "names": 2.0, "body": 1.0}
# The facets the baselines count (the library counts all of indexer.FACETS): each name -> the stored
# field, record field and baseline field holding its values.
FACETS = {name: FACET_FIELDS[name] for name in ("year", "person", "org", "place", "source", "lang")}
FILTER_FACETS = ("place", "person", "org", "year")  # what filtered queries pick from
# Share of each kind in the query set, in this order.
KINDS = (("words", 0.55), ("phrase", 0.15), ("filter1", 0.15), ("filter2", 0.10), ("browse", 0.05))
STOP_WORDS = frozenset(stoplists["en"]) | {"near"}
TITLE_WORD = re.compile(r"[A-Za-z]+")
LATENCY_KEYS = ("p50_ms", "p95_ms", "p99_ms", "mean_ms")
ENGINES = (("library", "library"), ("http", "HTTP"), ("naive_whoosh", "naive whoosh"), ("fts5", "FTS5"))
BUILD_SCRIPT = """
import json, resource, sys
from pathlib import Path
from indexer import build_index
source, index_dir, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]) or None
report = build_index(source, index_dir, jobs=jobs)
size = sum(p.stat().st_size for p in report.generation.rglob("*") if p.is_file())
# The pool's workers are the forkserver's children: stop (and wait for) the forkserver, so
# that RUSAGE_CHILDREN below includes them. _stop is private; without it they go uncounted.
try:
    from multiprocessing import forkserver
    forkserver._forkserver._stop()
except Exception as error:
    print(f"peak RSS leaves out the build's worker processes ({error!r})", file=sys.stderr)
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"docs": report.documents, "seconds": report.seconds, "index_bytes": size,
                  "main_rss_mb": own / 1024, "children_rss_mb": children / 1024}))
"""


# --- the query set ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """One results page to ask for: words (AND-ed, or one quoted phrase) and facet filters."""

    kind: str
    words: tuple[str, ...] = ()
    phrase: bool = False
    filters: tuple[tuple[str, str], ...] = ()  # (our facet name, value), distinct facets

    @property
    def text(self) -> str:
        """The query as a user types it."""
        joined = " ".join(self.words)
        return f'"{joined}"' if self.phrase else joined

    def filter_dict(self) -> dict[str, tuple[str, ...]]:
        return {name: (value,) for name, value in self.filters}

    def url_path(self) -> str:
        return "/?" + urllib.parse.urlencode([("q", self.text), *self.filters])


def title_words(title: str) -> list[str | None]:
    """The title's words, lower-cased, None for a word a query would not use (stop word, < 3 letters)."""
    words = [w.lower() for w in TITLE_WORD.findall(title)]
    return [w if len(w) >= 3 and w not in STOP_WORDS else None for w in words]


def facet_choices(record: dict) -> list[tuple[str, str]]:
    """(facet, value) pairs a filter can take from this record."""
    choices = []
    for name in FILTER_FACETS:
        values = record[FACETS[name]]
        choices.extend((name, value) for value in (values if isinstance(values, list) else [values]) if value)
    return choices


def make_query(kind: str, records: Sequence[dict], rng: random.Random) -> Query:
    """One query of a kind, drawn from random records until one fits (bounded)."""
    for _ in range(1000):
        record = records[rng.randrange(len(records))]
        raw = title_words(record["title"])
        usable = [w for w in raw if w]
        if kind == "browse":
            choices = facet_choices(record)
            return Query(kind, filters=(rng.choice(choices),) if choices and rng.random() < 0.5 else ())
        if kind == "phrase":
            pairs = [(a, b) for a, b in itertools.pairwise(raw) if a and b]
            if pairs:
                return Query(kind, rng.choice(pairs), phrase=True)
            continue
        if not usable:
            continue
        if kind == "words":
            count = min(len(usable), rng.choice((1, 2)))
            return Query(kind, tuple(rng.sample(usable, count)))
        wanted = 1 if kind == "filter1" else 2
        choices = facet_choices(record)
        by_facet = {}
        for name, value in choices:
            by_facet.setdefault(name, []).append(value)
        if len(by_facet) < wanted:
            continue
        names = rng.sample(sorted(by_facet), wanted)
        filters = tuple((name, rng.choice(by_facet[name])) for name in sorted(names))
        return Query(kind, (rng.choice(usable),), filters=filters)
    return Query("browse")  # a corpus without usable titles: the browse page still measures something


def make_queries(records: Sequence[dict], count: int, seed: int) -> list[Query]:
    """`count` queries in a seeded order, kinds in the shares of KINDS (at least one of each)."""
    rng = random.Random(seed)
    sizes = {kind: max(1, round(count * share)) for kind, share in KINDS}
    sizes["words"] = max(0, count - sum(size for kind, size in sizes.items() if kind != "words"))
    kinds = [kind for kind, size in sizes.items() for _ in range(size)][:count]
    rng.shuffle(kinds)
    return [make_query(kind, records, rng) for kind in kinds]


# --- corpus, build, records ---------------------------------------------------------------------


def link_or_copy(src: str, dst: str) -> None:
    """Hard-link a file (same content, no disk), copying where links are not possible."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def replicate_corpus(source_dir: Path, dest_dir: Path, copies: int) -> Path:
    """source_dir copied `copies` times as dest_dir/r0, r1, ...: the same files under distinct ids."""
    for number in range(copies):
        shutil.copytree(source_dir, dest_dir / f"r{number}", copy_function=link_or_copy)
    return dest_dir


def build_in_subprocess(source_dir: Path, index_dir: Path, jobs: int, timeout: float) -> dict:
    """One full build with the real indexer in a fresh process, so its peak RSS is this build's."""
    out = subprocess.run(
        [sys.executable, "-c", BUILD_SCRIPT, str(source_dir), str(index_dir), str(jobs)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"the build failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["peak_rss_mb"] = max(result["main_rss_mb"], result["children_rss_mb"])
    return result


def read_records(index_dir: Path) -> list[dict]:
    """Every document's stored fields from our built index, as plain records, in id order."""
    index = whoosh_index.open_dir(str(current_generation(index_dir)))
    records = []
    with index.searcher() as searcher:
        for stored in searcher.documents():
            records.append(
                {
                    "id": stored["id"],
                    "title": stored.get("title", ""),
                    "body": stored.get("body", ""),
                    "date": stored.get("date"),
                    "year": stored.get("year", ""),
                    "source": stored.get("source", ""),
                    "language": stored.get("language", ""),
                    "people": split_values(stored.get("people")),
                    "organizations": split_values(stored.get("organizations")),
                    "places": split_values(stored.get("places")),
                }
            )
    index.close()
    return sorted(records, key=lambda record: record["id"])


def record_values(record: dict, field_name: str) -> list[str]:
    values = record[field_name]
    return values if isinstance(values, list) else ([values] if values else [])


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1048576


# --- engines: each gives a function Query -> total hits, for one full results page ---------------


def open_library(index_dir: Path) -> Callable[[Query], int]:
    """Our library's search call, on a fresh SearchIndex (opened by the first query)."""
    index = indexer.SearchIndex(index_dir)

    def page(query: Query) -> int:
        return indexer.search(index, query.text, filters=query.filter_dict(), page_size=PAGE_SIZE).total

    return page


def keystrokes(queries: Sequence[Query]) -> list[tuple[str, dict]]:
    """(text so far, filters) after each keystroke of each query of words (not phrases, not browsing)."""
    return [
        (query.text[:end], query.filter_dict())
        for query in queries
        if query.words and not query.phrase
        for end in range(1, len(query.text) + 1)
    ]


def time_typing(index_dir: Path, queries: Sequence[Query], warmup: Sequence[Query]) -> dict:
    """A full results page per keystroke, the last word a prefix: ms per page over every keystroke."""
    index = indexer.SearchIndex(index_dir)

    def page(text: str, filters: dict) -> None:
        indexer.search(index, text, filters=filters, page_size=PAGE_SIZE, as_you_type=True)

    for text, filters in keystrokes(warmup):
        page(text, filters)
    latencies = []
    for text, filters in keystrokes(queries):
        started = time.perf_counter()
        page(text, filters)
        latencies.append((time.perf_counter() - started) * 1000)
    index.close()
    return {
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "keystrokes": len(latencies),
    }


def keyword_value(value: str) -> str:
    """A facet value as one KEYWORD(commas=True) token: its own commas would split it."""
    return value.replace(",", " ").strip()


def build_naive_whoosh(records: Sequence[dict], index_dir: Path) -> None:
    """The documented whoosh recipe: default analyzers and one plain writer, committed once."""
    stemming = StemmingAnalyzer()
    facet_fields = {name: KEYWORD(commas=True, sortable=True) for name in FACETS.values()}
    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stemming, stored=True),
        body=TEXT(analyzer=stemming, stored=True),
        names=TEXT(analyzer=stemming),
        date=DATETIME(sortable=True),
        **facet_fields,
    )
    index_dir.mkdir(parents=True)
    index = whoosh_index.create_in(str(index_dir), schema)
    writer = index.writer()
    for record in records:
        names = record["people"] + record["organizations"] + record["places"]
        facets = {
            name: ",".join(keyword_value(v) for v in record_values(record, name) if keyword_value(v))
            for name in FACETS.values()
        }
        date = {"date": record["date"]} if record["date"] else {}
        writer.add_document(
            id=record["id"], title=record["title"], body=record["body"], names="\n".join(names), **date, **facets
        )
    writer.commit()
    index.close()


def open_naive_whoosh(index_dir: Path) -> Callable[[Query], int]:
    """Per query: a new searcher, MultifieldParser with boosts, groupedby facets, highlights."""
    index = whoosh_index.open_dir(str(index_dir))
    parser = MultifieldParser(list(BASELINE_BOOSTS), index.schema, fieldboosts=BASELINE_BOOSTS)

    def page(query: Query) -> int:
        with index.searcher() as searcher:
            parsed = parser.parse(query.text) if query.words else wq.Every()
            terms = [wq.Term(FACETS[name], keyword_value(value)) for name, value in query.filters]
            options = {} if query.words else {"sortedby": sorting.FieldFacet("date", reverse=True)}
            results = searcher.search(
                parsed,
                limit=PAGE_SIZE,
                filter=wq.And(terms) if terms else None,
                groupedby={f: sorting.FieldFacet(f, allow_overlap=True) for f in FACETS.values()},
                **options,
            )
            facets = {  # noqa: F841 - computed as a page would, then dropped
                f: sorted(results.groups(f).items(), key=lambda item: (-len(item[1]), str(item[0])))[:FACET_SIZE]
                for f in FACETS.values()
            }
            hits = [  # noqa: F841
                (hit["id"], hit["title"], hit.highlights("body", top=2) or hit["body"][:200])
                for hit in results[:PAGE_SIZE]
            ]
            return len(results)

    return page


def build_fts5(records: Sequence[dict], db_path: Path) -> None:
    """One FTS5 table (title, names, body), facet values and dates in side tables, optimized."""
    db = sqlite3.connect(db_path)
    with db:
        db.executescript(
            """
            CREATE VIRTUAL TABLE docs USING fts5(title, names, body, docid UNINDEXED, tokenize='porter unicode61');
            CREATE TABLE facets(doc INTEGER, field TEXT, value TEXT, PRIMARY KEY (doc, field, value)) WITHOUT ROWID;
            CREATE TABLE meta(doc INTEGER PRIMARY KEY, date TEXT);
            """
        )
        for rowid, record in enumerate(records, start=1):
            names = "\n".join(record["people"] + record["organizations"] + record["places"])
            db.execute(
                "INSERT INTO docs(rowid, title, names, body, docid) VALUES (?, ?, ?, ?, ?)",
                (rowid, record["title"], names, record["body"], record["id"]),
            )
            date = record["date"].isoformat() if record["date"] else None
            db.execute("INSERT INTO meta(doc, date) VALUES (?, ?)", (rowid, date))
            db.executemany(
                "INSERT OR IGNORE INTO facets(doc, field, value) VALUES (?, ?, ?)",
                [(rowid, f, v) for f in FACETS.values() for v in record_values(record, f)],
            )
        db.executescript(
            """
            CREATE INDEX facets_by_value ON facets(field, value, doc);
            CREATE INDEX meta_by_date ON meta(date);
            INSERT INTO docs(docs) VALUES ('optimize');
            """
        )
    db.close()


def fts5_match(query: Query) -> str:
    """The FTS5 query: each word quoted (no operators), or the phrase."""
    if query.phrase:
        return '"' + " ".join(query.words) + '"'
    return " ".join(f'"{word}"' for word in query.words)


def open_fts5(db_path: Path) -> Callable[[Query], int]:
    """Count, top 10 by bm25, facet counts by GROUP BY over the matches, snippet() for the 10."""
    db = sqlite3.connect(db_path, check_same_thread=False)
    rank = f"bm25(docs, {', '.join(str(b) for b in BASELINE_BOOSTS.values())}, 0.0)"
    exists = " AND EXISTS (SELECT 1 FROM facets x WHERE x.doc = {doc} AND x.field = ? AND x.value = ?)"

    def page(query: Query) -> int:
        params = [p for name, value in query.filters for p in (FACETS[name], value)]
        if query.words:
            # CROSS JOIN keeps the match set as the outer loop: otherwise SQLite walks the facet
            # index and runs one MATCH per facet row (seconds per query).
            where = "docs MATCH ?" + exists.format(doc="docs.rowid") * len(query.filters)
            args = [fts5_match(query), *params]
            total = db.execute(f"SELECT count(*) FROM docs WHERE {where}", args).fetchone()[0]
            top = [
                r
                for (r,) in db.execute(
                    f"SELECT rowid FROM docs WHERE {where} ORDER BY {rank} LIMIT ?", [*args, PAGE_SIZE]
                )
            ]
            facet_sql = f"SELECT f.value, count(*) AS n FROM docs CROSS JOIN facets f ON f.doc = docs.rowid WHERE {where} AND f.field = ? GROUP BY f.value ORDER BY n DESC, f.value LIMIT ?"
            snippet_sql = "SELECT rowid, docid, title, snippet(docs, 2, '<mark>', '</mark>', '…', 32) FROM docs WHERE docs MATCH ? AND rowid IN ({})"
            snippet_args = [args[0]]
        else:
            where = "1" + exists.format(doc="m.doc") * len(query.filters)
            args = params
            total = db.execute(f"SELECT count(*) FROM meta m WHERE {where}", args).fetchone()[0]
            top = [
                r
                for (r,) in db.execute(
                    f"SELECT m.doc FROM meta m WHERE {where} ORDER BY m.date DESC LIMIT ?", [*args, PAGE_SIZE]
                )
            ]
            facet_sql = f"SELECT f.value, count(*) AS n FROM meta m JOIN facets f ON f.doc = m.doc WHERE {where} AND f.field = ? GROUP BY f.value ORDER BY n DESC, f.value LIMIT ?"
            snippet_sql = "SELECT rowid, docid, title, substr(body, 1, 200) FROM docs WHERE rowid IN ({})"
            snippet_args = []
        for facet_field in FACETS.values():
            db.execute(facet_sql, [*args, facet_field, FACET_SIZE]).fetchall()
        if top:
            db.execute(snippet_sql.format(", ".join("?" * len(top))), [*snippet_args, *top]).fetchall()
        return total

    return page


# --- timing -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile, linear between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def time_engine(page: Callable[[Query], int], queries: Sequence[Query], warmup: Sequence[Query]) -> dict:
    """First page (includes opening), warm-up pages untimed, then each query's ms and total."""
    started = time.perf_counter()
    page(warmup[0] if warmup else queries[0])
    first_ms = (time.perf_counter() - started) * 1000
    for query in warmup[1:]:
        page(query)
    latencies, totals = [], []
    for query in queries:
        started = time.perf_counter()
        totals.append(page(query))
        latencies.append((time.perf_counter() - started) * 1000)
    return {**latency_summary(latencies, queries), "first_ms": first_ms, "totals": totals}


def latency_summary(latencies: Sequence[float], queries: Sequence[Query]) -> dict:
    by_kind = {}
    for kind, _ in KINDS:
        kind_ms = [ms for ms, q in zip(latencies, queries) if q.kind == kind]
        if kind_ms:
            by_kind[kind] = percentile(kind_ms, 50)
    return {
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "mean_ms": statistics.fmean(latencies),
        "by_kind": by_kind,
    }


# --- HTTP: seedsearch serve under a bounded load ----------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def seedsearch_command() -> str:
    beside = Path(sys.executable).with_name("seedsearch")
    found = str(beside) if beside.exists() else shutil.which("seedsearch")
    if not found:
        raise RuntimeError("the seedsearch command is not installed next to this Python or on PATH")
    return found


def fetch(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        return response.read()


@dataclass
class Server:
    """`seedsearch serve` in its own process group, stopped (TERM, then KILL) on close."""

    index_dir: Path
    work_dir: Path
    workers: int
    timeout: float
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)

    def __post_init__(self):
        self.log_path = self.work_dir / "serve.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.port = free_port()
        command = [
            seedsearch_command(),
            "serve",
            "--index",
            str(self.index_dir),
            "--source",
            str(self.work_dir / "no-source"),  # the index exists: never build one behind our back
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.work_dir,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                start_new_session=True,  # our own process group: Ctrl-C reaches us, we stop it
            )
        self.wait_ready()

    def wait_ready(self) -> None:
        """Poll / until it answers 200 (the first answer opens the index in one worker)."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"seedsearch serve exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                fetch(self.base_url + "/", timeout=max(1.0, deadline - time.monotonic()))
                return
            except (OSError, RuntimeError):
                time.sleep(0.2)
        raise RuntimeError(f"seedsearch serve did not answer within {self.timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        """The gunicorn workers: the children of the serve process (the gunicorn master)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parts = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(parts[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def workers_peak_rss_mb(self) -> float:
        """The largest VmHWM (peak resident set) among the workers."""
        peaks = []
        for pid in self.worker_pids():
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
        return max(peaks, default=0.0)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


def run_load(base_url: str, paths: Sequence[str], clients: int, timeout: float) -> tuple[list[float], float]:
    """GET each path once from `clients` threads; each request's ms (in path order) and the wall seconds."""
    latencies: list[float | None] = [None] * len(paths)
    errors: list[str] = []
    next_index = iter(range(len(paths)))
    lock = threading.Lock()

    def client():
        while not errors:
            with lock:
                number = next(next_index, None)
            if number is None:
                return
            started = time.perf_counter()
            try:
                fetch(base_url + paths[number], timeout)
            except Exception as error:  # noqa: BLE001 - reported below with the URL
                errors.append(f"{paths[number]}: {type(error).__name__}: {error}")
                return
            latencies[number] = (time.perf_counter() - started) * 1000

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():  # joined in slices, so Ctrl-C is not held up
            thread.join(0.2)
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"{len(errors)} request(s) failed, first: {errors[0]}")
    return latencies, wall


def time_http(server: Server, queries: Sequence[Query], warmup: Sequence[Query], args) -> dict:
    """Warm-up load (so every worker has opened the index), then the timed load."""
    warm_paths = [q.url_path() for q in warmup] or ["/"]
    run_load(server.base_url, warm_paths * max(1, -(-2 * args.workers // len(warm_paths))), args.clients, args.timeout)
    paths = [queries[i % len(queries)].url_path() for i in range(args.requests)]
    latencies, wall = run_load(server.base_url, paths, args.clients, args.timeout)
    asked = [queries[i % len(queries)] for i in range(args.requests)]
    return {**latency_summary(latencies, asked), "req_per_s": len(paths) / wall, "wall_s": wall}


# --- one run, and many ----------------------------------------------------------------------------


@dataclass
class Baselines:
    naive_dir: Path
    fts5_path: Path
    naive_build_s: float
    fts5_build_s: float
    naive_mb: float
    fts5_mb: float


def build_baselines(records: Sequence[dict], work_dir: Path, say) -> Baselines:
    naive_dir, fts5_path = work_dir / "naive-whoosh", work_dir / "fts5.db"
    say(f"building naive whoosh from {len(records)} records")
    started = time.perf_counter()
    build_naive_whoosh(records, naive_dir)
    naive_s = time.perf_counter() - started
    say("building FTS5")
    started = time.perf_counter()
    build_fts5(records, fts5_path)
    fts5_s = time.perf_counter() - started
    return Baselines(naive_dir, fts5_path, naive_s, fts5_s, folder_mb(naive_dir), fts5_path.stat().st_size / 1048576)


def run_once(number: int, source_dir: Path, work_dir: Path, args, state: dict, say) -> dict:
    """Build ours, then time the query set on every engine: library, HTTP, naive whoosh, FTS5."""
    index_dir = work_dir / f"index-{number}"
    say(f"run {number + 1}: building with the real indexer")
    build = build_in_subprocess(source_dir, index_dir, args.jobs, args.timeout * 60)
    if "queries" not in state:
        say("reading records back from the index")
        records = read_records(index_dir)
        drawn = make_queries(records, args.queries + args.warmup, args.seed)
        state["queries"], state["warmup"] = drawn[: args.queries], drawn[args.queries :]
        state["baselines"] = build_baselines(records, work_dir, say)
        del records
    queries, warmup, baselines = state["queries"], state["warmup"], state["baselines"]

    say(f"run {number + 1}: library search()")
    library = time_engine(open_library(index_dir), queries, warmup)
    say(f"run {number + 1}: as you type, a page per keystroke")
    typing = time_typing(index_dir, queries, warmup)
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
    say(f"run {number + 1}: naive whoosh")
    naive = time_engine(open_naive_whoosh(baselines.naive_dir), queries, warmup)
    say(f"run {number + 1}: FTS5")
    fts5 = time_engine(open_fts5(baselines.fts5_path), queries, warmup)
    shutil.rmtree(index_dir, ignore_errors=True)
    return {"build": build, "library": library, "typing": typing, "http": http, "naive_whoosh": naive, "fts5": fts5}


def median_of(runs: Sequence[dict], *keys: str) -> float:
    values = []
    for run in runs:
        value = run
        for key in keys:
            value = value[key]
        values.append(value)
    return statistics.median(values)


def summarise(runs: Sequence[dict], reference: dict | None) -> dict:
    """The JSON object: medians over runs."""
    result = {
        "docs": runs[0]["build"]["docs"],
        "build_s": median_of(runs, "build", "seconds"),
        "build_docs_per_s": statistics.median(r["build"]["docs"] / r["build"]["seconds"] for r in runs),
        "build_peak_rss_mb": median_of(runs, "build", "peak_rss_mb"),
        "index_mb": median_of(runs, "build", "index_bytes") / 1048576,
        "library": {k: median_of(runs, "library", k) for k in ("p50_ms", "p95_ms", "p99_ms")},
        "typing": {k: median_of(runs, "typing", k) for k in ("p50_ms", "p95_ms", "p99_ms", "keystrokes")},
        "http": {k: median_of(runs, "http", k) for k in ("p50_ms", "p95_ms", "req_per_s")},
        "naive_whoosh": {k: median_of(runs, "naive_whoosh", k) for k in ("p50_ms", "p95_ms")},
        "fts5": {k: median_of(runs, "fts5", k) for k in ("p50_ms", "p95_ms")},
        "serve_rss_mb": median_of(runs, "http", "serve_rss_mb"),
    }
    if reference is not None:
        result["build_docs_per_s_1x"] = reference["docs"] / reference["seconds"]
    return rounded(result)


def rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


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

    def each(*keys: str, fmt: str = "{:.1f}") -> str:
        return ", ".join(fmt.format(median_of([run], *keys)) for run in runs)

    def row(label: str, values) -> str:
        return f"  {label:<20}" + "".join(f"{value:9.2f}" for value in values)

    build = (
        f"{result['build_s']:.1f} s [{each('build', 'seconds')}]   {result['build_docs_per_s']:.0f} docs/s"
        f"   peak RSS {result['build_peak_rss_mb']:.0f} MB   index {result['index_mb']:.1f} MB"
        f" ({result['index_mb'] / result['corpus_mb']:.1f}x the {result['corpus_mb']:.1f} MB of source files)"
    )
    lines = [
        f"corpus              {args.source} x{args.replicate}: {result['docs']:,} documents",
        f"runs                {args.runs} (medians over runs; each run in brackets)",
        f"queries             {len(queries)}, seed {args.seed}: {counts}; {args.warmup} warm-up pages per engine",
        "",
        f"build (ours)        {build}",
    ]
    if reference is not None:
        growth = result["build_docs_per_s_1x"] / result["build_docs_per_s"]
        lines.append(
            f"build docs/s        1x {result['build_docs_per_s_1x']:.0f} ({reference['docs']:,} docs in"
            f" {reference['seconds']:.1f} s), x{args.replicate} {result['build_docs_per_s']:.0f}:"
            f" time per document x{growth:.2f}"
        )
    naive_times, fts5_times = result["build_s"] / baselines.naive_build_s, result["build_s"] / baselines.fts5_build_s
    lines += [
        (
            f"build (baselines)   naive whoosh {baselines.naive_build_s:.1f} s, {baselines.naive_mb:.1f} MB;"
            f" FTS5 {baselines.fts5_build_s:.1f} s, {baselines.fts5_mb:.1f} MB (from records in memory;"
            f" our build takes {naive_times:.1f}x and {fts5_times:.0f}x their time)"
        ),
        "",
        "ms per results page       p50      p95      p99     mean    first",
        row("library search()", [median_of(runs, "library", k) for k in LATENCY_KEYS + ("first_ms",)]),
        (
            row("as you type", [median_of(runs, "typing", k) for k in ("p50_ms", "p95_ms", "p99_ms")])
            + f"  over {result['typing']['keystrokes']:.0f} keystrokes (a page each, the last word a prefix)"
        ),
        (
            row("HTTP", [median_of(runs, "http", k) for k in LATENCY_KEYS])
            + f"            {result['http']['req_per_s']:.1f} req/s ({args.requests} requests,"
            f" {args.clients} clients, {args.workers} workers)"
        ),
        row("naive whoosh", [median_of(runs, "naive_whoosh", k) for k in LATENCY_KEYS + ("first_ms",)]),
        row("FTS5", [median_of(runs, "fts5", k) for k in LATENCY_KEYS + ("first_ms",)]),
        "",
        "p50 ms by kind      " + "".join(f"{kind:>9}" for kind, _ in KINDS),
    ]
    for name, label in ENGINES:
        lines.append(
            row(label, [statistics.median(r[name]["by_kind"].get(k, float("nan")) for r in runs) for k, _ in KINDS])
        )
    naive_p50, naive_p95 = ratio(runs, "naive_whoosh", "p50_ms"), ratio(runs, "naive_whoosh", "p95_ms")
    fts5_p50, fts5_p95 = ratio(runs, "fts5", "p50_ms"), ratio(runs, "fts5", "p95_ms")
    lines += [
        "",
        f"library / naive whoosh   p50 {naive_p50:.2f}x   p95 {naive_p95:.2f}x   (>1: ours is slower)",
        f"library / FTS5           p50 {fts5_p50:.2f}x   p95 {fts5_p95:.2f}x",
        f"serve workers            max VmHWM {result['serve_rss_mb']:.0f} MB after the load",
        f"total hits vs ours       naive whoosh {agreement(runs, 'naive_whoosh')}; FTS5 {agreement(runs, 'fts5')}",
        "",
        (
            f"library p50 {result['library']['p50_ms']:.2f} ms [{each('library', 'p50_ms', fmt='{:.2f}')}],"
            f" {fts5_p50:.1f}x FTS5's {result['fts5']['p50_ms']:.2f} ms"
        ),
    ]
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, metavar="CORPUS_DIR")
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
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        parser.error(f"{args.source} is not a folder")
    for name in ("replicate", "runs", "queries", "requests", "clients", "workers"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    return args


def raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def progress(quiet: bool) -> Callable[[str], None]:
    """say(message): the message on stderr after the seconds elapsed, unless quiet."""
    started = time.monotonic()

    def say(message: str) -> None:
        if not quiet:
            print(f"[{time.monotonic() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    return say


def run_in_scratch(prefix: str, work: Callable[[Path], None], leftovers: str = "temporary files") -> int:
    """Run work(scratch folder) and remove the folder whatever happens: the exit code.

    Ctrl-C and SIGTERM stop with 130; a failed build, a timeout or an OS error prints one line, 1.
    """
    signal.signal(signal.SIGTERM, raise_interrupt)  # clean up on kill, as on Ctrl-C
    work_dir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        work(work_dir)
        return 0
    except KeyboardInterrupt:
        print(f"interrupted: {leftovers} removed", file=sys.stderr)
        return 130
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    say = progress(args.quiet)

    def work(work_dir: Path) -> None:
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
        result = summarise(runs, reference)
        result["corpus_mb"] = round(folder_mb(source_dir), 3)
        print(json.dumps(result) if args.json else format_report(result, runs, state, args, reference))

    return run_in_scratch("seedsearch-speed-", work, "temporary files and the server")


if __name__ == "__main__":
    sys.exit(main())
