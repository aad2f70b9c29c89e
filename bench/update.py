"""Incremental update: change a fraction of an indexed folder, time update_index, search the result.

python bench/update.py ../shared/corpora/reuters21578/docs [--replicate 7] [--fraction 0.01] [--runs 3] [--json]

The corpus is laid out in a temporary folder as bench/speed.py does (hard links; --replicate N
makes N copies under distinct ids, r0/, r1/, ...) and built once with the real indexer. Each
run then changes a seeded random `fraction` of the files (.txt and .md ones): 90% of that set
get a sentence added, 10% are deleted, and as many new files are added (copies of other
files, each with its own sentence). Changed files are written as new files, never in place,
so the corpus they were linked from is untouched. Then, in a fresh process (so peak RSS is
the update's, with its worker processes): indexer.update_index, timed from the call to its
return; then a new SearchIndex is opened and one search made for a word only one changed
file contains, which must find that file: an update is done when it is searchable. Runs
follow each other on the same index, as updates do; medians over runs are printed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from speedlib.builds import build_in_subprocess, link_or_copy, replicate_corpus, run_script
from speedlib.console import progress, run_in_scratch

from indexer.documents.files import TEXT_SUFFIXES, relative_id, walk_files

DELETED_SHARE = 0.1  # of the changed set; as many new files are added
BUILD_TIMEOUT = 3 * 3600
UPDATE_TIMEOUT = 3600
UPDATE_SCRIPT = """
import json, resource, sys, time
from pathlib import Path
import indexer
source_dir, index_dir, probe_id, probe_word = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
started = time.perf_counter()
report = indexer.update_index(source_dir, index_dir)
seconds = time.perf_counter() - started
# The pool's workers have been joined by now, so RUSAGE_CHILDREN includes them.
peak_kb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
started = time.perf_counter()
index = indexer.SearchIndex(index_dir)
with index.generation():
    pass
opened = time.perf_counter()
page = indexer.search(index, probe_word)
searched = time.perf_counter()
print(json.dumps({
    "update_s": seconds, "report_s": report.seconds, "docs": report.documents,
    "changed": report.changed, "added": report.added, "removed": report.removed,
    "peak_rss_mb": peak_kb / 1024,
    "open_ms": (opened - started) * 1000, "search_ms": (searched - opened) * 1000,
    "open_and_search_ms": (searched - started) * 1000,
    "hits": page.total, "probe_found": probe_id in [hit.id for hit in page.hits],
}))
"""


@dataclass(frozen=True)
class Changes:
    """One run's edits to the corpus: files to add a sentence to, to delete, and new files (path, copied from)."""

    modified: tuple[Path, ...]
    deleted: tuple[Path, ...]
    added: tuple[tuple[Path, Path], ...]

    @property
    def size(self) -> int:
        """The changed set: files modified or deleted (the new files come on top)."""
        return len(self.modified) + len(self.deleted)


def plan_changes(files: Sequence[Path], fraction: float, rng: random.Random, run: int) -> Changes:
    """A random `fraction` of the files (at least one) to change, DELETED_SHARE of them deleted."""
    candidates = sorted(path for path in files if path.suffix.lower() in TEXT_SUFFIXES)
    count = min(len(candidates), max(1, round(fraction * len(files))))
    chosen = rng.sample(candidates, count)
    deleting = min(round(count * DELETED_SHARE), count - 1)  # keep one file to search for
    others = sorted(set(candidates) - set(chosen))
    templates = rng.sample(others, min(deleting, len(others)))
    added = tuple((t.with_name(f"new-{run}-{n:05}-{t.name}"), t) for n, t in enumerate(templates))
    return Changes(modified=tuple(chosen[deleting:]), deleted=tuple(chosen[:deleting]), added=added)


def marker(run: int, number: int) -> str:
    """A word no text contains, distinct per run and file: digits spelt as letters (zq + a..j)."""
    return "zq" + "".join(chr(ord("a") + int(digit)) for digit in f"{run:03}{number:06}")


def sentence(word: str) -> bytes:
    return f"Traders said the {word} figures would be revised next week.\n".encode()


def rewrite(path: Path, content: bytes) -> None:
    """Replace a file with new content as a new file, so a hard-linked original keeps its own."""
    path.unlink(missing_ok=True)
    path.write_bytes(content)


def with_sentence(text: bytes, word: str) -> bytes:
    """The text with the sentence as a paragraph after its first blank line: inside the body,
    before any trailing comment form or footer that extraction leaves out (else at the end)."""
    head, blank, rest = text.partition(b"\n\n")
    if blank:
        return head + blank + sentence(word) + b"\n" + rest
    return text + (b"" if text.endswith(b"\n") else b"\n") + sentence(word)


def apply_changes(changes: Changes, run: int) -> str:
    """Make the edits; the word added to the first modified file (the one to search for)."""
    for number, path in enumerate(changes.modified):
        rewrite(path, with_sentence(path.read_bytes(), marker(run, number)))
    for path in changes.deleted:
        path.unlink()
    for number, (path, template) in enumerate(changes.added, start=len(changes.modified)):
        rewrite(path, with_sentence(template.read_bytes(), marker(run, number)))
    return marker(run, 0)


def update_in_subprocess(corpus_dir: Path, index_dir: Path, probe_id: str, probe_word: str) -> dict:
    """One update_index in a fresh process, then open the new generation and search it there."""
    args = (str(corpus_dir), str(index_dir), probe_id, probe_word)
    return run_script(UPDATE_SCRIPT, *args, timeout=UPDATE_TIMEOUT, what="the update")


def run_once(run: int, corpus_dir: Path, index_dir: Path, fraction: float, seed: int) -> dict:
    """Change the corpus, update the index, check the report and that the change is searchable."""
    files = list(walk_files(corpus_dir))
    changes = plan_changes(files, fraction, random.Random(f"{seed}-{run}"), run)
    probe_word = apply_changes(changes, run)
    probe_id = relative_id(changes.modified[0], corpus_dir)
    result = update_in_subprocess(corpus_dir, index_dir, probe_id, probe_word)
    expected = {"changed": len(changes.modified), "added": len(changes.added), "removed": len(changes.deleted)}
    reported = {key: result[key] for key in expected}
    if reported != expected:
        raise RuntimeError(f"run {run}: update_index reported {reported}, the corpus had {expected}")
    if not result["probe_found"]:
        raise RuntimeError(f"run {run}: searching {probe_word!r} did not find {probe_id}, which was changed")
    return {"files": len(files), "files_changed": changes.size, **result}


def make_corpus(source_dir: Path, corpus_dir: Path, copies: int) -> Path:
    """The corpus to change: source_dir linked (or copied) once, or `copies` times under distinct ids."""
    if copies > 1:
        return replicate_corpus(source_dir, corpus_dir, copies)
    shutil.copytree(source_dir, corpus_dir, copy_function=link_or_copy)
    return corpus_dir


def summarise(build: dict, runs: Sequence[dict]) -> dict:
    """The JSON object: medians over runs, and each run."""
    return rounded(
        {
            "docs": build["docs"],
            "files_changed": runs[0]["files_changed"],
            "runs": list(runs),
            "update_s": statistics.median(r["update_s"] for r in runs),
            "update_peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
            "open_and_search_ms": statistics.median(r["open_and_search_ms"] for r in runs),
        }
    )


def rounded(value):
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def percent(fraction: float) -> str:
    return f"{fraction * 100:g}%"


def format_report(result: dict, build: dict, args) -> str:
    """The human-readable report; the headline is the last line."""
    runs = result["runs"]
    first = runs[0]
    deleted = first["removed"]
    lines = [
        f"corpus              {args.source} x{args.replicate}: {first['files']:,} files, {result['docs']:,} documents",
        f"initial build       {build['seconds']:.1f} s, peak RSS {build['peak_rss_mb']:.0f} MB",
        (
            f"changes per run     {percent(args.fraction)} of the files, seed {args.seed}: {result['files_changed']}"
            f" files, {result['files_changed'] - deleted} with a sentence added and {deleted} deleted;"
            f" {first['added']} new files added"
        ),
        "",
        "run   update s   changed  added  removed   peak RSS MB   open ms   search ms",
    ]
    for number, run in enumerate(runs, start=1):
        lines.append(
            f"{number:>3}   {run['update_s']:8.2f}   {run['changed']:7}  {run['added']:5}  {run['removed']:7}"
            f"   {run['peak_rss_mb']:11.0f}   {run['open_ms']:7.0f}   {run['search_ms']:9.1f}"
        )
    each = ", ".join(f"{run['update_s']:.2f}" for run in runs)
    lines += [
        "",
        f"update seconds      {result['update_s']:.2f}  [{each}]  (update_index call to return; median over runs)",
        f"peak RSS            {result['update_peak_rss_mb']:.0f} MB (the update process and its workers)",
        f"open + search       {result['open_and_search_ms']:.0f} ms (new SearchIndex, one search finding a changed file)",
        "",
        (
            f"update of {percent(args.fraction)} ({result['files_changed']} files) in {result['docs']:,}-doc index:"
            f" median {result['update_s']:.2f} s"
        ),
    ]
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, metavar="CORPUS_DIR")
    parser.add_argument("--replicate", type=int, default=1, help="copies of the corpus to index (default 1)")
    parser.add_argument("--fraction", type=float, default=0.01, help="share of the files changed per run (0.01)")
    parser.add_argument("--runs", type=int, default=3, help="updates, one after another (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        parser.error(f"{args.source} is not a folder")
    if args.replicate < 1 or args.runs < 1:
        parser.error("--replicate and --runs must be at least 1")
    if not 0 < args.fraction < 1:
        parser.error("--fraction must be between 0 and 1")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    say = progress(args.quiet)

    def work(work_dir: Path) -> None:
        say(f"laying out the corpus x{args.replicate}")
        corpus_dir = make_corpus(args.source.resolve(), work_dir / "corpus", args.replicate)
        index_dir = work_dir / "index"
        say("building the index with the real indexer")
        build = build_in_subprocess(corpus_dir, index_dir, 0, BUILD_TIMEOUT)
        runs = []
        for run in range(1, args.runs + 1):
            say(f"run {run}: changing {percent(args.fraction)} of the files, then update_index")
            runs.append(run_once(run, corpus_dir, index_dir, args.fraction, args.seed))
        result = summarise(build, runs)
        print(json.dumps(result) if args.json else format_report(result, build, args))

    return run_in_scratch("seedsearch-update-", work)


if __name__ == "__main__":
    sys.exit(main())
