"""Near-identical documents: a MinHash signature per document, and groups of versions of one text.

Two documents are versions of one another when the estimated Jaccard similarity of their
word 3-shingles reaches SIMILARITY, and, when both are dated, they were published within
WINDOW_DAYS of each other: a wire service resends a story within hours or days, while a
story written to a template ("Fed adds reserves ...", every morning) repeats its words on
other days about other events. Candidates come from rensa's LSH; each group forms around a
leader (its earliest document), and a document joins only a leader it is itself like, so
groups never chain unlike documents together.

A generation keeps every document's signature (read again by an update, so that groups
are recomputed over the whole collection, old documents and new) and the groups (read
when the generation is opened for searching).
"""

from __future__ import annotations

import json
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import rensa

from .documents.files import Document

PERMUTATIONS = 128
BANDS = 32  # of 4 rows: pairs at 0.7 are candidates with probability ~1 - (1 - 0.7**4)**32, over 0.999
SEED = 0
SIMILARITY = 0.7
WINDOW_DAYS = 3
SIGNATURES_FILE = "near_duplicates.signatures.pickle"
GROUPS_FILE = "near_duplicates.groups.json"
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Signature:
    """A document's MinHash, with the publication day (date.toordinal()) that bounds its versions."""

    id: str
    day: int | None
    minhash: rensa.RMinHash


def sign(document: Document) -> Signature | None:
    """The document's signature over its title and body, or None for a document without words."""
    shingles = word_shingles(f"{document.title}\n{document.body}")
    if not shingles:
        return None
    minhash = rensa.RMinHash(PERMUTATIONS, SEED)
    minhash.update(shingles)
    return Signature(document.id, document.date.toordinal() if document.date else None, minhash)


def word_shingles(text: str) -> list[str]:
    """Each run of three words (case folded), repeats and all (a MinHash sees a set); the words
    themselves for a shorter text."""
    words = WORD.findall(text.casefold())
    if len(words) <= 3:
        return [" ".join(words)] if words else []
    return [f"{a} {b} {c}" for a, b, c in zip(words, words[1:], words[2:])]


def find_groups(signatures: Iterable[Signature]) -> list[tuple[str, ...]]:
    """Groups of two or more near-identical documents, each leader first, then its versions.

    Documents are taken oldest first (undated last, ties by id), so the result is the same
    whatever order the files were read in.
    """
    ordered = sorted(signatures, key=lambda s: (s.day is None, s.day or 0, s.id))
    lsh = rensa.RMinHashLSH(SIMILARITY, PERMUTATIONS, BANDS)
    for number, signature in enumerate(ordered):
        lsh.insert(number, signature.minhash)
    leader_of: dict[int, int] = {}
    groups: dict[int, list[int]] = {}
    for number, signature in enumerate(ordered):
        leaders = sorted(
            other for other in lsh.query(signature.minhash) if other < number and leader_of.get(other) == other
        )
        leader = next((other for other in leaders if versions_of(ordered[other], signature)), number)
        leader_of[number] = leader
        groups.setdefault(leader, []).append(number)
    return [tuple(ordered[n].id for n in members) for members in groups.values() if len(members) > 1]


def versions_of(leader: Signature, other: Signature) -> bool:
    if leader.day is not None and other.day is not None and abs(leader.day - other.day) > WINDOW_DAYS:
        return False
    return leader.minhash.jaccard(other.minhash) >= SIMILARITY


def write_near_duplicates(generation: Path, signatures: dict[str, tuple[Signature, ...]]) -> list[tuple[str, ...]]:
    """Group the documents of every file (source path -> its signatures) and write both files."""
    groups = find_groups(signature for path in sorted(signatures) for signature in signatures[path])
    # Plain tuples: a pickle names no class of ours, which could move.
    plain = {path: [(s.id, s.day, s.minhash) for s in signatures[path]] for path in signatures}
    replace_file(generation / SIGNATURES_FILE, pickle.dumps(plain, pickle.HIGHEST_PROTOCOL))
    replace_file(generation / GROUPS_FILE, json.dumps(groups, separators=(",", ":")).encode())
    return groups


def replace_file(path: Path, data: bytes) -> None:
    """Write a new file: the old one may be a hard link shared with the previous generation."""
    path.unlink(missing_ok=True)
    path.write_bytes(data)


def read_signatures(generation: Path) -> dict[str, tuple[Signature, ...]]:
    """Each source file's document signatures, as written with the generation (none if absent)."""
    try:
        plain = pickle.loads((generation / SIGNATURES_FILE).read_bytes())
    except FileNotFoundError:
        return {}
    return {path: tuple(Signature(*fields) for fields in signatures) for path, signatures in plain.items()}


def read_groups(generation: Path) -> list[tuple[str, ...]]:
    """The generation's groups of near-identical documents, by document id, leader first."""
    try:
        return [tuple(group) for group in json.loads((generation / GROUPS_FILE).read_bytes())]
    except FileNotFoundError:
        return []
