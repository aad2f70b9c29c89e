"""Build throughput: index a folder with the real indexer, several runs, medians.

python bench/build.py ../shared/corpora/reuters21578/docs --runs 3 [--jobs 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from speedlib.builds import build_in_subprocess


def run_once(source: Path, jobs: int) -> dict:
    """One build in a fresh process (so peak memory is this build's), into a temporary folder."""
    with tempfile.TemporaryDirectory() as index_dir:
        return build_in_subprocess(source, Path(index_dir) / "index", jobs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (0: all cores)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    runs = [run_once(args.source, args.jobs) for _ in range(args.runs)]
    text_bytes = sum(p.stat().st_size for p in args.source.rglob("*") if p.is_file())
    result = {
        "docs": runs[0]["docs"],
        "runs": args.runs,
        "build_s": statistics.median(r["seconds"] for r in runs),
        "build_docs_per_s": statistics.median(r["docs"] / r["seconds"] for r in runs),
        "build_peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
        "index_mb": statistics.median(r["index_bytes"] for r in runs) / 1048576,
        "corpus_mb": text_bytes / 1048576,
    }
    if args.json:
        print(json.dumps(result))
        return
    print(f"documents           {result['docs']}")
    print(f"runs                {args.runs} (medians below)")
    each = ", ".join(f"{r['seconds']:.1f}" for r in runs)
    print(f"build seconds       {result['build_s']:.1f}  [{each}]")
    print(f"peak RSS            {result['build_peak_rss_mb']:.0f} MB")
    print(f"index size          {result['index_mb']:.1f} MB for {result['corpus_mb']:.1f} MB of text")
    print(f"build docs/s        {result['build_docs_per_s']:.0f}")


if __name__ == "__main__":
    main()
