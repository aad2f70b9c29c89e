"""Score indexer.documents.names.find_entities against gold spans; exact-match P/R/F1 and words/s.

Usage: python bench/names.py CORPUS_DIR [--json] [--limit N]

CORPUS_DIR holds docs/*.txt and entities.jsonl (one JSON object a line with
doc, type, start, end).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.documents import gazetteer
from indexer.documents.names import find_entities

Span = tuple[str, int, int, str]  # (doc, start, end, type)
TYPES = ("PER", "ORG", "LOC")


def score_spans(predicted: Iterable[Span], gold: Iterable[Span]) -> dict[str, dict[str, float]]:
    """Exact-match P/R/F1: per type, 'span' (type ignored, MISC included) and 'micro' (PER+ORG+LOC)."""
    predicted, gold = set(predicted), set(gold)
    result = {}
    selections = {t.lower(): (lambda s, t=t: s[3] == t) for t in TYPES}
    selections["micro"] = lambda s: s[3] in TYPES
    for name, keep in selections.items():
        result[name] = _prf({s for s in predicted if keep(s)}, {s for s in gold if keep(s)})
    untyped = lambda spans: {s[:3] for s in spans}
    result["span"] = _prf(untyped(predicted), untyped(gold))
    return result


def _prf(predicted: set, gold: set) -> dict[str, float]:
    """Precision, recall and F1 of two sets."""
    hits = len(predicted & gold)
    p = hits / len(predicted) if predicted else 0.0
    r = hits / len(gold) if gold else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def load_corpus(corpus_dir: Path, limit: int | None = None) -> tuple[dict[str, str], set[Span]]:
    """Documents by name and the gold spans that fall in them."""
    paths = sorted((corpus_dir / "docs").glob("*.txt"))[:limit]
    docs = {p.stem: p.read_text(encoding="utf-8") for p in paths}
    gold = set()
    with open(corpus_dir / "entities.jsonl", encoding="utf-8") as f:
        for line in f:
            e = json.loads(line)
            if e["doc"] in docs:
                gold.add((e["doc"], e["start"], e["end"], e["type"]))
    return docs, gold


def run(corpus_dir: Path, limit: int | None = None) -> dict:
    """Extract from every document and score; also time the gazetteer load and extraction."""
    docs, gold = load_corpus(corpus_dir, limit)
    t0 = time.perf_counter()
    gazetteer.places(), gazetteer.demonyms(), gazetteer.common_words()
    load_s = time.perf_counter() - t0
    predicted: set[Span] = set()
    t0, cpu0 = time.perf_counter(), time.process_time()
    for name, text in docs.items():
        predicted.update((name, e.start, e.end, e.type) for e in find_entities(text))
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    words = sum(len(text.split()) for text in docs.values())
    scores = score_spans(predicted, gold)
    scores["words_per_s"] = round(words / elapsed) if elapsed else 0
    # CPU time of this one process: the single-core rate even while other work shares the machine
    scores["words_per_cpu_s"] = round(words / cpu) if cpu else 0
    scores["load_s"] = round(load_s, 3)
    return scores


def main(argv: list[str] | None = None) -> int:
    """Print the score table (or one JSON object with --json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", type=Path)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents")
    args = parser.parse_args(argv)
    scores = run(args.corpus_dir, args.limit)
    if args.json:
        keys = ("per", "org", "loc", "span", "micro")
        out = {k: {m: round(v, 4) for m, v in scores[k].items()} for k in keys}
        out["words_per_s"] = scores["words_per_s"]
        out["words_per_cpu_s"] = scores["words_per_cpu_s"]
        print(json.dumps(out))
        return 0
    print(f"{'':6} {'P':>6} {'R':>6} {'F1':>6}")
    for key in ("per", "org", "loc", "micro", "span"):
        s = scores[key]
        print(f"{key:6} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f}")
    print(
        f"gazetteer load {scores['load_s']:.2f} s, {scores['words_per_s']:,} words/s "
        f"({scores['words_per_cpu_s']:,} per CPU second)"
    )
    print(f"span F1 {scores['span']['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
