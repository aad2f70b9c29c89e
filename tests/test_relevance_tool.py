"""bench/relevance.py: the metrics on hand-computed cases, and the whole tool on a tiny collection."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import run_bench_tool

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "bench" / "relevance.py"

spec = importlib.util.spec_from_file_location("relevance", TOOL)
relevance = importlib.util.module_from_spec(spec)
spec.loader.exec_module(relevance)


def test_precision_counts_missing_ranks_as_not_relevant():
    judged = {"a": 1, "c": 1}
    assert relevance.precision_at(["a", "b", "c"], judged, 2) == 0.5
    assert relevance.precision_at(["a", "b", "c"], judged, 10) == 0.2
    assert relevance.precision_at([], judged, 10) == 0.0


def test_recall_is_over_all_relevant_documents():
    judged = {"a": 1, "c": 1, "d": 0}
    assert relevance.recall_at(["a", "b", "d"], judged, 100) == 0.5
    assert relevance.recall_at(["b", "c", "a"], judged, 2) == 0.5


def test_average_precision_divides_by_all_relevant_and_stops_at_k():
    judged = {"a": 1, "c": 1, "e": 1}
    # relevant at ranks 1 and 3; "e" never found: (1/1 + 2/3) / 3
    assert relevance.average_precision(["a", "b", "c", "d"], judged) == pytest.approx(5 / 9)
    assert relevance.average_precision(["x", "a"], {"a": 1}, k=1) == 0.0
    assert relevance.average_precision(["a"], {"a": 2}) == 1.0  # a grade above 1 is still one relevant doc


def test_ndcg_binary():
    assert relevance.ndcg_at(["b", "a"], {"a": 1}, 10) == pytest.approx(1 / math.log2(3))
    assert relevance.ndcg_at(["a", "b"], {"a": 1}, 10) == 1.0
    assert relevance.ndcg_at(["b"], {"a": 1}, 10) == 0.0


def test_ndcg_graded_takes_the_ideal_from_the_judgments():
    judged = {"a": 1, "b": 2, "c": 0, "d": 3}
    actual = 1 + 2 / math.log2(3)
    ideal = 3 + 2 / math.log2(3) + 1 / 2
    assert relevance.ndcg_at(["a", "b", "c"], judged, 10) == pytest.approx(actual / ideal)
    assert relevance.ndcg_at(["d", "b", "a"], judged, 10) == 1.0
    # at k=1 only the best judged document counts as ideal
    assert relevance.ndcg_at(["b"], judged, 1) == pytest.approx(2 / 3)


def test_evaluate_leaves_out_unjudged_queries_and_scores_empty_rankings_zero():
    qrels = {"1": {"a": 1}, "2": {"b": 1}, "3": {"c": 0}}
    result = relevance.evaluate({"1": ["a"], "3": ["c"]}, qrels)
    assert result == {"ndcg@10": 0.5, "map": 0.5, "p@10": 0.05, "recall@100": 0.5, "queries": 2}


def test_docid_of_strips_only_the_suffix():
    assert relevance.docid_of("123.txt") == "123"
    assert relevance.docid_of("sub/9.md") == "sub/9"
    assert relevance.docid_of("LA010189-0001") == "LA010189-0001"


def test_read_queries_and_qrels(tmp_path):
    (tmp_path / "queries.tsv").write_text("1\tWhat is it?\n\n2\tDewey\n", encoding="utf-8")
    (tmp_path / "qrels.txt").write_text("1 0 10 1\n1 0 11 0\n2 0 12 2\n", encoding="utf-8")
    assert relevance.read_queries(tmp_path / "queries.tsv") == {"1": "What is it?", "2": "Dewey"}
    assert relevance.read_qrels(tmp_path / "qrels.txt") == {"1": {"10": 1, "11": 0}, "2": {"12": 2}}


def test_table_ends_with_the_headline():
    scores = {"ndcg@10": 0.25, "map": 0.1, "p@10": 0.2, "recall@100": 0.3}
    table = relevance.format_table({**scores, "queries": 2, "baseline": {**scores, "ndcg@10": 0.5}})
    assert table.splitlines()[0] == "2 queries with relevance judgments; MAP over the top 100."
    assert table.splitlines()[-1] == "nDCG@10 0.2500 (0.50x the baseline)"


def write_collection(folder: Path) -> Path:
    """Three short abstracts, two judged queries and one unjudged."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "1.txt").write_text(
        "Dewey decimal classification\n\nThe history of the Dewey decimal classification in libraries.\n"
    )
    (docs / "2.txt").write_text("Automatic indexing of chemical abstracts\n\nComputers assign index terms to papers.\n")
    (docs / "3.txt").write_text("Citation analysis of journals\n\nCounting citations between journals.\n")
    (folder / "queries.tsv").write_text("1\tdewey classification\n2\tcitation journals\n3\tunjudged\n")
    (folder / "qrels.txt").write_text("1 0 1 1\n2 0 3 1\n2 0 2 0\n")
    return folder


def test_tool_on_a_tiny_collection_gives_one_json_object(tmp_path):
    result = run_bench_tool(TOOL, str(write_collection(tmp_path)))
    perfect = {"ndcg@10": 1.0, "map": 1.0, "p@10": 0.1, "recall@100": 1.0}
    assert result == {**perfect, "queries": 2, "baseline": perfect}


def test_all_runs_every_judged_collection_below_a_folder(tmp_path):
    write_collection(tmp_path / "beta")
    alpha = write_collection(tmp_path / "alpha")
    (alpha / "queries.tsv").write_text("1\tDEWEY CLASSIFICATION\n2\tjournals of citation analysis\n")
    (tmp_path / "notes").mkdir()  # not a collection: no queries or judgments

    result = run_bench_tool(TOOL, "--all", str(tmp_path))
    assert list(result["collections"]) == ["alpha", "beta"]
    assert all(scores["queries"] == 2 for scores in result["collections"].values())
    assert result["mean"] == {"ndcg@10_ratio": 1.0, "map_ratio": 1.0}


def test_all_table_has_a_row_per_collection_and_the_mean_ratios_last():
    scores = {"ndcg@10": 0.5, "map": 0.2, "p@10": 0.2, "recall@100": 0.3, "queries": 4}
    result = {
        "collections": {
            "adi": {**scores, "baseline": {**scores, "ndcg@10": 0.4, "map": 0.2}},
            "npl": {**scores, "baseline": {**scores, "ndcg@10": 0.5, "map": 0.25}},
        },
        "mean": {"ndcg@10_ratio": 1.125, "map_ratio": 0.9},
    }
    lines = relevance.format_all(result).splitlines()
    assert lines[2].split() == ["adi", "4", "0.5000", "0.4000", "1.25x", "0.2000", "0.2000", "1.00x"]
    assert lines[3].split() == ["npl", "4", "0.5000", "0.5000", "1.00x", "0.2000", "0.2500", "0.80x"]
    assert (
        lines[-1] == "nDCG@10 1.12x the baseline on the mean of 2 collections (lowest 1.00x); MAP 0.90x (lowest 0.80x)"
    )


def test_all_without_collections_is_a_clear_error(tmp_path):
    out = subprocess.run(
        [sys.executable, str(TOOL), "--all", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert out.returncode == 1
    assert out.stderr == f"error: no judged collection (docs/, queries.tsv, qrels.txt) below {tmp_path}\n"
