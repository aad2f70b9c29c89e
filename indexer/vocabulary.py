"""Each field's terms in one sorted list with their document frequencies: what prefixes, wildcards,
ranges and fuzzy words expand against.

Whoosh expands a pattern by walking the term index a term at a time (`*a*` visits every term
of every field, about 10 microseconds each) and then ORs together every term it found. Here a
field's terms are read once per open generation, on first use, and kept as a sorted list
(prefixes and ranges by bisection) and as one newline-joined string (wildcards by a single
regular-expression pass in C), so that any pattern costs milliseconds and its expansions can
be ranked by how many documents hold them.
"""

from __future__ import annotations

import bisect
import re
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass
from itertools import accumulate

from whoosh.support.levenshtein import levenshtein

REMEMBERED_LOOKUPS = 512


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
