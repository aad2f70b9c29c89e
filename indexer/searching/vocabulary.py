"""Each field's terms in one sorted list with their document frequencies: what prefixes, wildcards,
ranges and fuzzy words expand against, what a word being typed completes to, and the frequent near
spellings of a word (did you mean).

Whoosh expands a pattern by walking the term index a term at a time (`*a*` visits every term
of every field, about 10 microseconds each) and then ORs together every term it found. Here a
field's terms are read once per open generation, on first use, and kept as a sorted list
(prefixes and ranges by bisection) and as one newline-joined string (wildcards by a single
regular-expression pass in C), so that any pattern costs milliseconds and its expansions can
be ranked by how many documents hold them.
"""

from __future__ import annotations

import bisect
import heapq
import re
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from whoosh.support.levenshtein import levenshtein

REMEMBERED_LOOKUPS = 512
VOCABULARY_FIELD = "exact"  # the unstemmed words of titles and bodies: completions and near spellings
# Near spellings are looked up among words at least this frequent: a suggestion must be far more
# frequent than what was typed, so rarer words could never be one.
MIN_NEAR_FREQUENCY = 5
MAX_REMEMBERED_PREFIXES = 4096  # completions kept per generation: short prefixes come again and again


@dataclass(frozen=True)
class FieldTerms:
    """One field's terms in order, their document frequencies, and the terms joined by newlines."""

    words: list[str]
    frequencies: array
    text: str
    starts: array  # where each word begins in `text`

    @classmethod
    def of(cls, words: list[str], frequencies) -> FieldTerms:
        """Sorted words (none holding a newline) and their document frequencies."""
        starts = accumulate((len(word) + 1 for word in words[:-1]), initial=0) if words else ()
        return cls(words, array("q", frequencies), "\n".join(words), array("q", starts))

    def prefixed(self, prefix: str) -> range:
        """Positions of the words starting with `prefix`."""
        start = bisect.bisect_left(self.words, prefix)
        return range(start, bisect.bisect_left(self.words, prefix + "\U0010ffff", start))

    def most_frequent(self, prefix: str, limit: int) -> list[str]:
        """The `limit` most frequent words beginning with `prefix`, most frequent first (ties in word
        order), the prefix itself first when it is a word that would not be among them."""
        span = self.prefixed(prefix)
        top = heapq.nsmallest(limit, span, key=lambda at: (-self.frequencies[at], at))
        found = [self.words[at] for at in top]
        if span and self.words[span.start] == prefix and prefix not in found:
            found = [prefix, *found[: limit - 1]]
        return found

    def between(self, start: str | None, end: str | None, start_excluded=False, end_excluded=False) -> range:
        """Positions of the words from `start` to `end` (either open when None)."""
        first, last = 0, len(self.words)
        if start is not None:
            first = (bisect.bisect_right if start_excluded else bisect.bisect_left)(self.words, start)
        if end is not None:
            last = (bisect.bisect_left if end_excluded else bisect.bisect_right)(self.words, end)
        return range(first, max(first, last))

    def matching(self, pattern: re.Pattern) -> list[int]:
        """Positions of the words a pattern (anchored to a line, without newlines) matches."""
        if not self.words:
            return []  # the empty text is one empty line, which is no word
        return [bisect.bisect_right(self.starts, found.start()) - 1 for found in pattern.finditer(self.text)]

    def within(self, word: str, edits: int, prefix: int) -> list[int]:
        """Positions of the words sharing `word`'s first `prefix` letters within `edits`
        Levenshtein edits of it (whoosh's `terms_within`, without its walk of the index)."""
        low, high = len(word) - edits, len(word) + edits
        letters = set(word)
        found = []
        for at in self.prefixed(word[:prefix]):
            other = self.words[at]
            # An edit adds or removes two distinct letters at most: cheap bounds before the distance.
            if (
                low <= len(other) <= high
                and len(letters.symmetric_difference(other)) <= 2 * edits
                and levenshtein(word, other, limit=edits) <= edits
            ):
                found.append(at)
        return found


class Vocabulary:
    """The terms of an open generation's fields, each field read on first use (thread-safe)."""

    def __init__(self, reader):
        self._reader = reader
        self._fields: dict[str, FieldTerms] = {}
        self._near: OrderedDict[tuple, list[int]] = OrderedDict()
        self._completions: dict[tuple[str, int], list[str]] = {}
        self._deletions: dict[str, list[int]] | None = None  # symmetric deletions of the frequent words
        self._lock = threading.RLock()

    def field(self, fieldname: str) -> FieldTerms:
        with self._lock:
            terms = self._fields.get(fieldname)
            if terms is None:
                terms = self._fields[fieldname] = read_field_terms(self._reader, fieldname)
            return terms

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """How many documents hold a term: from the term index, without reading the field's terms."""
        return self._reader.doc_frequency(fieldname, text) if fieldname in self._reader.schema else 0

    def within(self, fieldname: str, word: str, edits: int, prefix: int) -> list[int]:
        """FieldTerms.within, remembered: a query's fuzzy words are looked up again for its
        any-word reading and for did-you-mean."""
        key = (fieldname, word, edits, prefix)
        with self._lock:
            found = self._near.get(key)
            if found is None:
                found = self._near[key] = self.field(fieldname).within(word, edits, prefix)
                if len(self._near) > REMEMBERED_LOOKUPS:
                    self._near.popitem(last=False)
            return found

    def frequency(self, word: str) -> int:
        """How many documents hold the word as written (0 when none does)."""
        return self.doc_frequency(VOCABULARY_FIELD, word)

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The `limit` most frequent words as written that begin with `prefix`, most frequent first
        (ties in word order); the prefix itself is among them when it is a word."""
        key = (prefix, limit)
        with self._lock:
            found = self._completions.get(key)
            if found is None:
                if len(self._completions) >= MAX_REMEMBERED_PREFIXES:
                    self._completions.clear()
                found = self._completions[key] = self.field(VOCABULARY_FIELD).most_frequent(prefix, limit)
            return list(found)

    def near(self, word: str) -> list[str]:
        """Frequent words as written one edit from `word` (a letter added, dropped, changed, or two
        swapped), most frequent first."""
        terms = self.field(VOCABULARY_FIELD)
        index = self.near_index()
        found = {at for key in deletions(word) for at in index.get(key, ())}
        found = [at for at in found if terms.words[at] != word and within_one_edit(word, terms.words[at])]
        return [terms.words[at] for at in sorted(found, key=lambda at: (-terms.frequencies[at], at))]

    def near_index(self) -> dict[str, list[int]]:
        """The deletion index of the frequent words as written, built on first use."""
        with self._lock:
            if self._deletions is None:
                self._deletions = deletion_index(self.field(VOCABULARY_FIELD))
            return self._deletions

    def warm(self, fieldnames: Iterable[str] = ()) -> None:
        """Read the words as written and build their near-spelling index now (completions, did-you-mean
        and fuzzy words need them), and the terms of `fieldnames` (wildcards expand over them), rather
        than in the first search that does."""
        for fieldname in fieldnames:
            self.field(fieldname)
        self.near_index()

    @property
    def warmed(self) -> bool:
        """True once the words as written and their near-spelling index are in memory."""
        return VOCABULARY_FIELD in self._fields and self._deletions is not None


def deletion_index(terms: FieldTerms) -> dict[str, list[int]]:
    """Each deletion of a frequent word -> the words' positions: two words one edit apart share one."""
    index: dict[str, list[int]] = {}
    for at, (known, count) in enumerate(zip(terms.words, terms.frequencies)):
        if count >= MIN_NEAR_FREQUENCY and not known.isdigit():
            for key in deletions(known):
                index.setdefault(key, []).append(at)
    return index


def deletions(word: str) -> Iterable[str]:
    """The word and the word with each one of its letters left out (symmetric deletion)."""
    yield word
    for at in range(len(word)):
        yield word[:at] + word[at + 1 :]


def within_one_edit(a: str, b: str) -> bool:
    """True if one insertion, deletion, substitution or swap of neighbours turns a into b."""
    if a == b or abs(len(a) - len(b)) > 1:
        return a == b
    if len(a) > len(b):
        a, b = b, a
    start = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), len(a))
    if len(a) < len(b):
        return a[start:] == b[start + 1 :]
    swapped = a[start + 1 : start + 2] + a[start : start + 1]
    return a[start + 1 :] == b[start + 1 :] or (swapped == b[start : start + 2] and a[start + 2 :] == b[start + 2 :])


def read_field_terms(reader, fieldname: str) -> FieldTerms:
    """A field's terms over every segment, document frequencies summed (deleted documents included)."""
    segments = [segment._terms.field_terms(fieldname) for segment, _ in reader.leaf_readers()]
    if len(segments) == 1:
        words, frequencies = [term.decode("utf-8") for term in segments[0][0]], segments[0][1]
    else:
        counts: dict[bytes, int] = {}
        for terms, frequencies in segments:
            for term, frequency in zip(terms, frequencies):
                counts[term] = counts.get(term, 0) + frequency
        ordered = sorted(counts)  # UTF-8 bytes sort as their characters do
        words, frequencies = [term.decode("utf-8") for term in ordered], [counts[term] for term in ordered]
    # One word a line in the joined text: a word holding a newline (no analyzer makes one) is left out.
    kept = [at for at, word in enumerate(words) if "\n" not in word]
    if len(kept) < len(words):
        words, frequencies = [words[at] for at in kept], [frequencies[at] for at in kept]
    return FieldTerms.of(words, frequencies)
