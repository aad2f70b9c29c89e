"""bench/load.py and bench/worst.py on a tiny corpus: real index, real gunicorn, one JSON object each."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_bench_tool, write_files

from indexer import build_index

ROOT = Path(__file__).resolve().parents[1]
PLACES = ["London", "Tokyo", "Paris"]
GOODS = ["cocoa", "coffee", "grain", "oil", "sugar"]


@pytest.fixture(scope="module")
def tiny_index(tmp_path_factory) -> Path:
    files = {
        f"doc-{n:02}.txt": (
            f"{GOODS[n % 5].upper()} PRICES RISE IN {PLACES[n % 3].upper()}\n\n"
            f"{PLACES[n % 3]}, March {n % 28 + 1} - Traders said {GOODS[n % 5]} prices rose sharply this season.\n"
        )
        for n in range(20)
    }
    source = write_files(tmp_path_factory.mktemp("docs"), files)
    index_dir = tmp_path_factory.mktemp("index") / "index"
    build_index(source, index_dir, jobs=1)
    return index_dir


def test_load_runs_ordinary_searches_alone_and_beside_attackers(tiny_index, tmp_path):
    args = ["--clients", "4", "--requests", "12", "--attackers", "1", "--timeout", "30", "--quiet"]
    result = run_bench_tool(ROOT / "bench" / "load.py", str(tiny_index), *args, tmpdir=tmp_path)
    assert set(result) == {"ordinary", "ordinary_attacked", "attacks"}
    for phase in ("ordinary", "ordinary_attacked"):
        assert result[phase]["requests"] == 12
        assert result[phase]["failed"] == 0
        assert 0 < result[phase]["p50_ms"] <= result[phase]["p99_ms"] <= result[phase]["max_ms"]
    assert result["attacks"]["requests"] >= 1 and result["attacks"]["failed"] == 0
    assert list(tmp_path.iterdir()) == []  # the server's scratch folder is gone


def test_worst_times_each_case_in_the_library(tiny_index):
    result = run_bench_tool(ROOT / "bench" / "worst.py", str(tiny_index), "--only", "prefix", "fuzzy ~7", "--quiet")
    names = [case["name"] for case in result["cases"]]
    assert names == ["prefix s*", "six prefixes", "field prefix", "fuzzy ~7 via relax", "fuzzy ~7 on document page"]
    assert all(case["library"]["seconds"] is not None for case in result["cases"])
    assert result["worst_library_s"] == max(case["library"]["seconds"] for case in result["cases"])
