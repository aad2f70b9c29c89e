"""bench/speed.py: the query set and percentiles, and the whole tool (real build, real gunicorn) on a tiny corpus."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest
from helpers import run_bench_tool

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "bench" / "speed.py"

spec = importlib.util.spec_from_file_location("speed", TOOL)
speed = importlib.util.module_from_spec(spec)
sys.modules["speed"] = speed  # dataclasses look their module up
spec.loader.exec_module(speed)

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
    assert speed.title_words("U.S. GRAIN EXPORTS TO THE SOVIET UNION") == [
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
    first = speed.make_queries(RECORDS, 40, seed=3)
    assert first == speed.make_queries(RECORDS, 40, seed=3)
    assert first != speed.make_queries(RECORDS, 40, seed=4)
    assert len(first) == 40
    assert {q.kind for q in first} == {kind for kind, _ in speed.KINDS}
    for query in first:
        assert len(query.filters) == {"filter1": 1, "filter2": 2}.get(query.kind, len(query.filters))
        assert len({name for name, _ in query.filters}) == len(query.filters)  # distinct facets
        assert (query.kind == "browse") == (not query.words)
        assert query.phrase == (query.kind == "phrase")


def test_query_text_and_url():
    phrase = speed.Query("phrase", ("soviet", "union"), phrase=True)
    assert phrase.text == '"soviet union"'
    assert speed.fts5_match(phrase) == '"soviet union"'
    filtered = speed.Query("filter2", ("grain",), filters=(("place", "USSR"), ("year", "1987")))
    assert filtered.url_path() == "/?q=grain&place=USSR&year=1987"
    assert filtered.filter_dict() == {"place": ("USSR",), "year": ("1987",)}
    assert speed.fts5_match(speed.Query("words", ("grain", "near"))) == '"grain" "near"'


def test_percentile_interpolates_between_ranks():
    values = [4.0, 1.0, 3.0, 2.0, 5.0]
    assert speed.percentile(values, 50) == 3.0
    assert speed.percentile(values, 95) == pytest.approx(4.8)
    assert speed.percentile([7.0], 99) == 7.0


def test_keystrokes_type_each_query_of_words_a_letter_at_a_time():
    queries = [
        speed.Query("words", ("oil", "gold")),
        speed.Query("phrase", ("oil", "prices"), phrase=True),
        speed.Query("filter1", ("cocoa",), filters=(("place", "Brazil"),)),
        speed.Query("browse"),
    ]
    typed = speed.keystrokes(queries)
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
        "http",
        "naive_whoosh",
        "fts5",
        "serve_rss_mb",
    }
    assert result["docs"] == 30
    assert set(result["library"]) == {"p50_ms", "p95_ms", "p99_ms"}
    assert set(result["typing"]) == {"p50_ms", "p95_ms", "p99_ms", "keystrokes"}
    assert set(result["http"]) == {"p50_ms", "p95_ms", "req_per_s"}
    assert set(result["naive_whoosh"]) == set(result["fts5"]) == {"p50_ms", "p95_ms"}
    numbers = [v for k, v in result.items() if not isinstance(v, dict)]
    numbers += [v for group in result.values() if isinstance(group, dict) for v in group.values()]
    assert all(isinstance(n, (int, float)) and n > 0 for n in numbers), result
    assert list(scratch.iterdir()) == []  # temporary index, baselines and server log removed
