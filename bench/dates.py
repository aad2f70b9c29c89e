"""Evaluate publication_date against a corpus's truth, and time both date functions.

Usage: python bench/dates.py CORPUS_DIR [--json]

CORPUS_DIR holds docs/*.txt and truth.jsonl (one object per line with "file" and
"date", ISO 8601). Each document's first HEADER_CHARS characters go to
publication_date and the answer is compared with the truth's day.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run without install

from indexer.documents.dates import mentioned_dates, publication_date

HEADER_CHARS = 400
MAX_MISSES = 20


def load_truth(corpus_dir: Path) -> list[tuple[str, datetime.date | None]]:
    """(file, expected day) pairs from truth.jsonl, in file order; a missing date means None."""
    pairs = []
    with open(corpus_dir / "truth.jsonl", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                date = row.get("date")
                pairs.append(
                    (
                        row["file"],
                        datetime.datetime.fromisoformat(date).date() if date else None,
                    )
                )
    return pairs


def docs_per_second(func, texts: list[str]) -> float:
    """Calls of func over texts per second of wall time, on this one core."""
    start = time.perf_counter()
    for text in texts:
        func(text)
    return len(texts) / max(time.perf_counter() - start, 1e-9)


def evaluate(corpus_dir: Path) -> dict:
    """Accuracy, misses and speeds of the date functions over one corpus."""
    truth = load_truth(corpus_dir)
    texts = [(corpus_dir / "docs" / name).read_text(encoding="utf-8") for name, _ in truth]
    headers = [text[:HEADER_CHARS] for text in texts]
    misses, correct = [], 0
    for (name, expected), header in zip(truth, headers):
        got = publication_date(header)
        if got == expected:
            correct += 1
        else:
            misses.append(
                {
                    "file": name,
                    "expected": str(expected),
                    "got": str(got),
                    "header": header,
                }
            )
    return {
        "accuracy": correct / len(truth) if truth else 0.0,
        "n": len(truth),
        "correct": correct,
        "misses": misses,
        "publication_date_docs_s": docs_per_second(publication_date, headers),
        "mentioned_dates_docs_s": docs_per_second(mentioned_dates, texts),
    }


def print_report(result: dict) -> None:
    """Human-readable report, headline accuracy last."""
    misses = result["misses"]
    print(f"misses: {len(misses)} (first {MAX_MISSES} shown)")
    for miss in misses[:MAX_MISSES]:
        print(f"  {miss['file']}: expected {miss['expected']}, got {miss['got']}")
        for line in [line for line in miss["header"].splitlines() if line.strip()][:4]:
            print(f"      | {line[:100]}")
    print(f"publication_date: {result['publication_date_docs_s']:,.0f} docs/s (headers, one core)")
    print(f"mentioned_dates:  {result['mentioned_dates_docs_s']:,.0f} docs/s (full texts, one core)")
    print(f"n: {result['n']}")
    print(f"accuracy: {result['accuracy']:.4f} ({result['correct']}/{result['n']})")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, evaluate, print the report or the JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus_dir", type=Path, help="folder with docs/*.txt and truth.jsonl")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args(argv)
    result = evaluate(args.corpus_dir)
    if args.json:
        misses = [{key: miss[key] for key in ("file", "expected", "got")} for miss in result["misses"]]
        summary = {
            "accuracy": result["accuracy"],
            "n": result["n"],
            "misses": misses[:MAX_MISSES],
        }
        print(json.dumps(summary))
    else:
        print_report(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
