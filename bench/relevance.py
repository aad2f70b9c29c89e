"""Ranking quality on a judged collection: our search against a plain BM25 baseline.

python bench/relevance.py ../shared/corpora/cisi [--json]
python bench/relevance.py --all ../shared/corpora [--json]

--all runs every judged collection below a folder (each subfolder with docs/, queries.tsv
and qrels.txt, in name order) and prints one table: each collection's nDCG@10 and MAP, the
in-run baseline's, their ratios, and the mean ratios.

COLLECTION_DIR holds docs/<docid>.txt, queries.tsv (qid<TAB>text) and qrels.txt (TREC:
qid 0 docid rel; rel > 0 is relevant, graded or binary). The docs are indexed with the real
indexer into a temporary folder, and each query is run as a user types it through the same
search() call the web app makes, top 100. The baseline is whoosh BM25 over the same raw file
text: one field, StandardAnalyzer (no stemming), no boosts, the query's words OR-ed.

Metrics are averaged over the queries with at least one relevant document, as trec_eval
does; a judged query that finds nothing scores 0 (trec_eval -c). MAP is over the top 100.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import OrGroup, QueryParser

import indexer

DEPTH = 100
METRICS = ("ndcg@10", "map", "p@10", "recall@100")

Ranking = Sequence[str]  # docids, best first
Judgments = Mapping[str, int]  # docid -> relevance grade


# --- metrics: one query's ranking against its judgments --------------------------------------


def precision_at(ranking: Ranking, judged: Judgments, k: int) -> float:
    """Relevant documents in the top k, divided by k (missing ranks count as not relevant)."""
    return sum(1 for docid in ranking[:k] if judged.get(docid, 0) > 0) / k


def recall_at(ranking: Ranking, judged: Judgments, k: int) -> float:
    """Relevant documents in the top k, divided by all relevant documents."""
    relevant = sum(1 for grade in judged.values() if grade > 0)
    found = sum(1 for docid in ranking[:k] if judged.get(docid, 0) > 0)
    return found / relevant if relevant else 0.0


def average_precision(ranking: Ranking, judged: Judgments, k: int = DEPTH) -> float:
    """Mean of the precision at each relevant rank within the top k, over all relevant documents."""
    relevant = sum(1 for grade in judged.values() if grade > 0)
    found, total = 0, 0.0
    for rank, docid in enumerate(ranking[:k], start=1):
        if judged.get(docid, 0) > 0:
            found += 1
            total += found / rank
    return total / relevant if relevant else 0.0


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain: the gain at rank r divided by log2(r + 1)."""
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, start=1))


def ndcg_at(ranking: Ranking, judged: Judgments, k: int) -> float:
    """DCG of the top k (gain = grade) over the DCG of the best possible top k from the judgments."""
    ideal = dcg(sorted((g for g in judged.values() if g > 0), reverse=True)[:k])
    actual = dcg([max(judged.get(docid, 0), 0) for docid in ranking[:k]])
    return actual / ideal if ideal else 0.0


def score_query(ranking: Ranking, judged: Judgments) -> dict[str, float]:
    return {
        "ndcg@10": ndcg_at(ranking, judged, 10),
        "map": average_precision(ranking, judged, DEPTH),
        "p@10": precision_at(ranking, judged, 10),
        "recall@100": recall_at(ranking, judged, DEPTH),
    }


def evaluate(rankings: Mapping[str, Ranking], qrels: Mapping[str, Judgments]) -> dict:
    """Each metric averaged over the queries with a relevant document; `queries` says how many."""
    judged = [qid for qid in sorted(qrels) if any(grade > 0 for grade in qrels[qid].values())]
    per_query = [score_query(rankings.get(qid, ()), qrels[qid]) for qid in judged]
    means = {name: sum(s[name] for s in per_query) / len(per_query) if per_query else 0.0 for name in METRICS}
    return {**means, "queries": len(judged)}


# --- the collection ------------------------------------------------------------------------


def read_queries(path: Path) -> dict[str, str]:
    """queries.tsv -> {qid: text}; blank lines are skipped."""
    queries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, _, text = line.partition("\t")
            queries[qid.strip()] = text.strip()
    return queries


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """TREC qrels (`qid iteration docid rel`) -> {qid: {docid: rel}}."""
    qrels: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, _, docid, rel = line.split()
            qrels.setdefault(qid, {})[docid] = int(rel)
    return qrels


def docid_of(index_id: str) -> str:
    """Our index id (the path below docs/, e.g. "123.txt") -> the collection's docid ("123")."""
    suffix = Path(index_id).suffix
    return index_id[: -len(suffix)] if suffix else index_id


# --- the two systems -----------------------------------------------------------------------


def rank_with_seedsearch(docs_dir: Path, queries: Mapping[str, str], work_dir: Path) -> dict[str, list[str]]:
    """Index docs_dir with the real indexer and run each query through search(), top 100."""
    index_dir = work_dir / "seedsearch"
    indexer.build_index(docs_dir, index_dir)
    index = indexer.SearchIndex(index_dir)
    try:
        return {
            qid: [docid_of(hit.id) for hit in indexer.search(index, text, page_size=DEPTH).hits]
            for qid, text in queries.items()
        }
    finally:
        index.close()


def rank_with_bm25(docs_dir: Path, queries: Mapping[str, str], work_dir: Path) -> dict[str, list[str]]:
    """Plain BM25: the raw text of each file in one unstemmed field; the query's words OR-ed."""
    schema = Schema(id=ID(stored=True, unique=True), text=TEXT(analyzer=StandardAnalyzer()))
    index_dir = work_dir / "bm25"
    index_dir.mkdir()
    bm25 = whoosh_index.create_in(str(index_dir), schema)
    with bm25.writer() as writer:
        for path in sorted(docs_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                docid = docid_of(path.relative_to(docs_dir).as_posix())
                writer.add_document(id=docid, text=path.read_text(encoding="utf-8", errors="replace"))
    parser = QueryParser("text", schema, group=OrGroup)
    tokenize = schema["text"].analyzer
    with bm25.searcher() as searcher:
        rankings = {}
        for qid, text in queries.items():
            # Only the words: "science?" must not become a wildcard, "AND"/"NOT" not operators.
            words = " ".join(token.text for token in tokenize(text))
            hits = searcher.search(parser.parse(words), limit=DEPTH) if words else []
            rankings[qid] = [hit["id"] for hit in hits]
        return rankings


def evaluate_collection(collection_dir: Path) -> dict:
    """Both systems on one collection: our metrics, with the baseline's under "baseline"."""
    collection_dir = Path(collection_dir)
    docs_dir = collection_dir / "docs"
    queries = read_queries(collection_dir / "queries.tsv")
    qrels = read_qrels(collection_dir / "qrels.txt")
    unknown = sorted(set(qrels) - set(queries))
    if unknown:
        raise ValueError(f"qrels.txt judges queries missing from queries.tsv: {', '.join(unknown[:10])}")
    with tempfile.TemporaryDirectory(prefix="relevance-") as work:
        ours = evaluate(rank_with_seedsearch(docs_dir, queries, Path(work)), qrels)
        baseline = evaluate(rank_with_bm25(docs_dir, queries, Path(work)), qrels)
    baseline.pop("queries")
    return {**ours, "baseline": baseline}


def judged_collections(corpora_dir: Path) -> list[Path]:
    """The subfolders of corpora_dir that hold a judged collection, in name order."""
    found = [
        folder
        for folder in sorted(Path(corpora_dir).iterdir())
        if all((folder / name).exists() for name in ("docs", "queries.tsv", "qrels.txt"))
    ]
    if not found:
        raise ValueError(f"no judged collection (docs/, queries.tsv, qrels.txt) below {corpora_dir}")
    return found


def evaluate_all(corpora_dir: Path, say=lambda message: None) -> dict:
    """Every judged collection below corpora_dir: {name: result}, and the mean ratios under "mean"."""
    results = {}
    for folder in judged_collections(corpora_dir):
        say(f"{folder.name} ...")
        results[folder.name] = evaluate_collection(folder)
    return {"collections": results, "mean": mean_ratios(results.values())}


def ratio_of(result: dict, metric: str) -> float:
    theirs = result["baseline"][metric]
    return result[metric] / theirs if theirs else 0.0


def mean_ratios(results) -> dict:
    """Each metric's ratio to the baseline, averaged over collections (every collection counts once)."""
    results = list(results)
    return {
        f"{metric}_ratio": sum(ratio_of(r, metric) for r in results) / len(results) for metric in ("ndcg@10", "map")
    }


# --- output --------------------------------------------------------------------------------


def rounded(result: dict) -> dict:
    return {key: rounded(value) if isinstance(value, dict) else round(value, 4) for key, value in result.items()}


def format_table(result: dict) -> str:
    """One row per system, then the headline: our nDCG@10 and its ratio to the baseline."""
    header = f"{'system':<24}" + "".join(f"{name:>12}" for name in METRICS)
    rows = [
        f"{name:<24}" + "".join(f"{scores[metric]:>12.4f}" for metric in METRICS)
        for name, scores in (("plain BM25 (OR)", result["baseline"]), ("seedsearch search()", result))
    ]
    ours, theirs = result["ndcg@10"], result["baseline"]["ndcg@10"]
    ratio = f"{ours / theirs:.2f}x the baseline" if theirs else "baseline scored 0"
    return "\n".join(
        [
            f"{result['queries']} queries with relevance judgments; MAP over the top {DEPTH}.",
            header,
            *rows,
            f"nDCG@10 {ours:.4f} ({ratio})",
        ]
    )


def format_all(result: dict) -> str:
    """One row per collection (ours, the baseline's, the ratio, for nDCG@10 and MAP), then the means."""
    header = f"{'collection':<12}{'queries':>8}" + "".join(
        f"{label:>10}" for label in ("nDCG@10", "BM25", "ratio", "MAP", "BM25", "ratio")
    )
    rows = []
    for name, scores in result["collections"].items():
        cells = []
        for metric in ("ndcg@10", "map"):
            cells += [f"{scores[metric]:>10.4f}", f"{scores['baseline'][metric]:>10.4f}"]
            cells.append(f"{ratio_of(scores, metric):>9.2f}x")
        rows.append(f"{name:<12}{scores['queries']:>8}" + "".join(cells))
    ndcg = [ratio_of(scores, "ndcg@10") for scores in result["collections"].values()]
    maps = [ratio_of(scores, "map") for scores in result["collections"].values()]
    mean = result["mean"]
    return "\n".join(
        [
            f"plain BM25 (OR) is the baseline, run on each collection; MAP over the top {DEPTH}.",
            header,
            *rows,
            "",
            (
                f"nDCG@10 {mean['ndcg@10_ratio']:.2f}x the baseline on the mean of {len(ndcg)} collections"
                f" (lowest {min(ndcg):.2f}x); MAP {mean['map_ratio']:.2f}x (lowest {min(maps):.2f}x)"
            ),
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collection_dir", type=Path, nargs="?", help="folder with docs/, queries.tsv and qrels.txt")
    parser.add_argument("--all", type=Path, metavar="CORPORA_DIR", help="run every judged collection below this folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args(argv)
    if (args.collection_dir is None) == (args.all is None):
        parser.error("give one COLLECTION_DIR, or --all CORPORA_DIR")
    say = (lambda message: None) if args.json else (lambda message: print(message, file=sys.stderr, flush=True))
    try:
        if args.all is not None:
            result = rounded(evaluate_all(args.all, say))
        else:
            result = rounded(evaluate_collection(args.collection_dir))
    except (OSError, ValueError, indexer.SourceError) as error:
        parser.exit(1, f"error: {error}\n")
    if args.json:
        print(json.dumps(result))
    else:
        print(format_all(result) if args.all is not None else format_table(result))


if __name__ == "__main__":
    main()
