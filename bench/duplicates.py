"""Near-identical versions of a built index: how many groups, whether every exact copy among the
source files was found, and a seeded sample of groups to read by eye.

python bench/duplicates.py INDEX_DIR SOURCE_DIR [--sample 100] [--seed 2026] [--json]

For each sampled group it prints every member's id, date and title, and for each version the
share of the first member's words it keeps in order (difflib) with its first few changes: the
reader decides whether the group is one story. The headline (last line) is the exact copies found.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import random
import re
from collections import defaultdict
from pathlib import Path

from indexer import get_document
from indexer.nearduplicates import read_groups
from indexer.store import current_generation

WORDS = re.compile(r"\S+")


def exact_copies(source: Path) -> list[list[str]]:
    """Files whose bytes equal another's, by groups (ids as the index has them: relative paths)."""
    by_hash = defaultdict(list)
    for path in sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith(".")):
        by_hash[hashlib.sha1(path.read_bytes()).hexdigest()].append(path.relative_to(source).as_posix())
    return [paths for paths in by_hash.values() if len(paths) > 1]


def changes(first: str, other: str) -> tuple[float, list[str]]:
    """How much of `first` `other` keeps (0..1), and its first changes as "[old]->[new]"."""
    a, b = WORDS.findall(first), WORDS.findall(other)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    edits = [
        f"[{' '.join(a[i1:i2])[:40]}]->[{' '.join(b[j1:j2])[:40]}]"
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]
    return matcher.ratio(), edits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index", type=Path)
    parser.add_argument("source", type=Path)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    groups = read_groups(current_generation(args.index))
    group_of = {doc: n for n, group in enumerate(groups) for doc in group}
    copies = exact_copies(args.source)
    found = sum(
        1 for paths in copies if len({group_of.get(path) for path in paths} - {None}) == 1 and paths[0] in group_of
    )
    result = {
        "groups": len(groups),
        "grouped_documents": sum(map(len, groups)),
        "exact_copy_groups": len(copies),
        "exact_copy_groups_found": found,
    }
    if args.json:
        print(json.dumps(result))
        return
    sample = random.Random(args.seed).sample(groups, min(args.sample, len(groups)))
    for number, group in enumerate(sample, 1):
        views = [get_document(args.index, doc_id, similar=0) for doc_id in group]
        print(f"#{number}")
        for view in views:
            print(f"   {view.hit.id}  {view.hit.date or 'undated'}  {view.hit.title[:70]}")
        for view in views[1:]:
            ratio, edits = changes(views[0].body_html, view.body_html)
            print(f"   {view.hit.id}: keeps {ratio:.2f}; {len(edits)} changes: {'; '.join(edits[:4])}")
    print(f"groups              {result['groups']} ({result['grouped_documents']} documents)")
    print(f"exact copies found  {found}/{len(copies)} groups of identical files")


if __name__ == "__main__":
    main()
