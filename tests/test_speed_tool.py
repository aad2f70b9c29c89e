"""bench/speed.py and its harness (bench/speedlib): the query set and percentiles, and the whole tool
(real build, real gunicorn) on a tiny corpus, and on an index already built."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_bench_tool

from indexer import build_index

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "bench" / "speed.py"
sys.path.append(str(ROOT / "bench"))  # where the bench scripts find speedlib; last, so it shadows nothing

from speedlib.baselines import fts5_match
from speedlib.queries import KINDS, Query, keystrokes, make_queries, title_words
from speedlib.timing import percentile

PLACES = ["London", "Tokyo", "Paris", "Brazil", "Canada"]
PEOPLE = ["James Baker", "Margaret Thatcher", "Paul Volcker"]
ORGS = ["World Bank", "Federal Reserve", "OPEC"]
GOODS = ["cocoa", "coffee", "grain", "oil", "sugar", "gold"]


def write_corpus(docs_dir: Path, count: int = 30) -> None:
    """Short news articles: title line, date line, a body that names people, organisations and places."""
    rng = random.Random(0)
    docs_dir.mkdir()
    for number in range(count):
        goods, place, day = rng.choice(GOODS), rng.choice(PLACES), number % 28 + 1
        body = (
            f"{place}, March {day} - {rng.choice(PEOPLE)} said on Tuesday that {goods} prices rose sharply, "
            f"the {rng.choice(ORGS)} reported. Traders in {place} expect more {goods} exports this season."
        )
        text = f"{goods.upper()} PRICES RISE IN {place.upper()}\n\n{day:02}-MAR-1987 10:00:00.00\n{body}\n"
        (docs_dir / f"doc-{number:02}.txt").write_text(text, encoding="utf-8")


RECORDS = [
    {"title": "BAHIA COCOA REVIEW", "places": ["Brazil"], "people": [], "organizations": ["ICCO"], "year": "1987"},
    {
        "title": "U.S. GRAIN EXPORTS TO THE SOVIET UNION",
        "places": ["USA", "USSR"],
        "people": ["Lyng"],
        "organizations": [],
        "year": "1987",
    },
    {"title": "OIL", "places": [], "people": [], "organizations": [], "year": ""},
]


def test_title_words_drop_stop_words_and_short_words():
    assert title_words("U.S. GRAIN EXPORTS TO THE SOVIET UNION") == [
        None,
        None,
        "grain",
        "exports",
        None,
        None,
        "soviet",
        "union",
    ]


def test_query_set_is_seeded_and_has_every_kind():
    first = make_queries(RECORDS, 40, seed=3)
    assert first == make_queries(RECORDS, 40, seed=3)
    assert first != make_queries(RECORDS, 40, seed=4)
    assert len(first) == 40
    assert {q.kind for q in first} == {kind for kind, _ in KINDS}
    for query in first:
        assert len(query.filters) == {"filter1": 1, "filter2": 2}.get(query.kind, len(query.filters))
        assert len({name for name, _ in query.filters}) == len(query.filters)  # distinct facets
        assert (query.kind == "browse") == (not query.words)
        assert query.phrase == (query.kind == "phrase")


def test_query_text_and_url():
    phrase = Query("phrase", ("soviet", "union"), phrase=True)
    assert phrase.text == '"soviet union"'
    assert fts5_match(phrase) == '"soviet union"'
    filtered = Query("filter2", ("grain",), filters=(("place", "USSR"), ("year", "1987")))
    assert filtered.url_path() == "/?q=grain&place=USSR&year=1987"
    assert filtered.filter_dict() == {"place": ("USSR",), "year": ("1987",)}
    assert fts5_match(Query("words", ("grain", "near"))) == '"grain" "near"'


def test_percentile_interpolates_between_ranks():
    values = [4.0, 1.0, 3.0, 2.0, 5.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([7.0], 99) == 7.0


def test_keystrokes_type_each_query_of_words_a_letter_at_a_time():
    queries = [
        Query("words", ("oil", "gold")),
        Query("phrase", ("oil", "prices"), phrase=True),
        Query("filter1", ("cocoa",), filters=(("place", "Brazil"),)),
        Query("browse"),
    ]
    typed = keystrokes(queries)
    assert [text for text, _ in typed] == ["o", "oi", "oil", "oil ", "oil g", "oil go", "oil gol", "oil gold"] + [
        "c",
        "co",
        "coc",
        "coco",
        "cocoa",
    ]
    assert typed[-1] == ("cocoa", {"place": ("Brazil",)})


def test_tool_on_a_tiny_corpus_gives_one_json_object(tmp_path):
    write_corpus(tmp_path / "docs")
    scratch = tmp_path / "scratch"  # the tool's TMPDIR: what it leaves behind shows here
    scratch.mkdir()

    result = run_bench_tool(TOOL, str(tmp_path / "docs"), "--queries", "12", "--requests", "16", tmpdir=scratch)
    assert set(result) == {
        "docs",
        "build_s",
        "build_docs_per_s",
        "build_peak_rss_mb",
        "index_mb",
        "corpus_mb",
        "library",
        "typing",
        "entity",
        "facet_search",
        "http",
        "naive_whoosh",
        "fts5",
        "serve_rss_mb",
    }
    assert result["docs"] == 30
    assert set(result["library"]) == {"p50_ms", "p95_ms", "p99_ms"}
    assert set(result["typing"]) == {"p50_ms", "p95_ms", "p99_ms", "keystrokes"}
    assert set(result["entity"]) == set(result["facet_search"]) == {"p50_ms", "p95_ms", "p99_ms"}
    assert set(result["http"]) == {"p50_ms", "p95_ms", "req_per_s"}
    assert set(result["naive_whoosh"]) == set(result["fts5"]) == {"p50_ms", "p95_ms"}
    numbers = [v for k, v in result.items() if not isinstance(v, dict)]
    numbers += [v for group in result.values() if isinstance(group, dict) for v in group.values()]
    assert all(isinstance(n, (int, float)) and n > 0 for n in numbers), result
    assert list(scratch.iterdir()) == []  # temporary index, baselines and server log removed


def test_tool_times_an_index_already_built_and_leaves_it_as_it_was(tmp_path):
    write_corpus(tmp_path / "docs")
    index_dir = tmp_path / "index"
    build_index(tmp_path / "docs", index_dir, jobs=1)
    before = sorted((p.relative_to(index_dir), p.stat().st_mtime_ns) for p in index_dir.rglob("*"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    args = ("--index", str(index_dir), "--queries", "12", "--requests", "16")
    result = run_bench_tool(TOOL, *args, tmpdir=scratch)
    assert set(result) == {"docs", "index_mb", "library", "typing", "entity", "facet_search", "http", "serve_rss_mb"}
    assert result["docs"] == 30
    assert result["index_mb"] > 0
    assert set(result["library"]) == {"p50_ms", "p95_ms", "p99_ms"}
    assert set(result["http"]) == {"p50_ms", "p95_ms", "req_per_s"}

    with_baselines = run_bench_tool(TOOL, *args, "--baselines", tmpdir=scratch)
    assert set(with_baselines) == set(result) | {"naive_whoosh", "fts5"}
    assert sorted((p.relative_to(index_dir), p.stat().st_mtime_ns) for p in index_dir.rglob("*")) == before
    assert list(scratch.iterdir()) == []


def test_tool_refuses_an_index_folder_that_is_no_index(tmp_path):
    out = subprocess.run(
        [sys.executable, str(TOOL), "--index", str(tmp_path), "--json"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 2
    assert f"{tmp_path} is not a seedsearch index" in out.stderr
    assert "Traceback" not in out.stderr
