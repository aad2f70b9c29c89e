"""bench/speed.py --backend opensearch: the cluster's build and pages timed beside ours, in one run
(needs a running cluster: scripts/opensearch-cluster start; skipped without one, required in CI)."""

from __future__ import annotations

from pathlib import Path

from helpers import run_bench_tool
from test_speed_tool import TOOL, write_corpus


def test_speed_tool_times_opensearch_beside_ours(tmp_path: Path, opensearch_url):
    write_corpus(tmp_path / "docs")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    args = ("--backend", "opensearch", "--url", opensearch_url, "--queries", "12", "--requests", "16")
    result = run_bench_tool(TOOL, str(tmp_path / "docs"), *args, "--warmup", "4", tmpdir=scratch, timeout=600)
    ours, server = result, result["opensearch"]
    assert server["totals_agree"] == 12  # every page counts the same matches
    assert server["build_docs_per_s"] > 0 and server["build_peak_rss_mb"] > 0 and server["index_mb"] > 0
    assert server["jvm_rss_mb"] > 100  # two JVMs
    for engine in (ours, server):
        assert 0 < engine["library"]["p50_ms"] <= engine["library"]["p95_ms"]
        assert 0 < engine["http"]["p50_ms"] <= engine["http"]["p95_ms"] and engine["http"]["req_per_s"] > 0
        assert engine["typing"]["p50_ms"] > 0
    assert "fts5" not in result and "naive_whoosh" not in result  # the baselines are left out
    assert list(scratch.iterdir()) == []  # nothing left behind
