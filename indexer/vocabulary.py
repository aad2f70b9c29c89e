"""The index's words as written, with how many documents hold each: completions of a prefix
(search as you type) and frequent near spellings of a word (did you mean)."""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterable

VOCABULARY_FIELD = "exact"  # the unstemmed words of titles and bodies
# Near spellings are looked up among words at least this frequent: a suggestion must be far more
# frequent than what was typed, so rarer words could never be one.
MIN_NEAR_FREQUENCY = 5
MAX_REMEMBERED_PREFIXES = 4096  # completions kept per generation: short prefixes come again and again


class Vocabulary:
    """One generation's words and document frequencies, read on first use (a one-off pass over
    the field's terms) and kept: looking up a prefix or a near spelling is then a few lookups."""

    def __init__(self, reader, fieldname: str = VOCABULARY_FIELD):
        self._reader = reader
        self._fieldname = fieldname
        self._words: list[str] | None = None
        self._frequencies: dict[str, int] = {}
        self._near: dict[str, list[str]] | None = None
        self._completions: dict[tuple[str, int], list[str]] = {}

    def _load(self) -> list[str]:
        if self._words is None:
            frequencies: dict[str, int] = {}
            for leaf, _ in self._reader.leaf_readers():
                if self._fieldname not in leaf.indexed_field_names():
                    continue
                for text, info in leaf.iter_field(self._fieldname):
                    word = text.decode("utf-8") if isinstance(text, bytes) else text
                    frequencies[word] = frequencies.get(word, 0) + info.doc_frequency()
            self._frequencies = frequencies
            self._words = sorted(frequencies)
        return self._words

    def frequency(self, word: str) -> int:
        """How many documents hold the word as written (0 when none does)."""
        self._load()
        return self._frequencies.get(word, 0)

    def completions(self, prefix: str, limit: int) -> list[str]:
        """The `limit` most frequent words that begin with `prefix`, most frequent first (ties in
        word order); the prefix itself is among them when it is a word."""
        found = self._completions.get((prefix, limit))
        if found is None:
            if len(self._completions) >= MAX_REMEMBERED_PREFIXES:
                self._completions.clear()
            found = self._completions[(prefix, limit)] = self._complete(prefix, limit)
        return list(found)

    def _complete(self, prefix: str, limit: int) -> list[str]:
        words = self._load()
        start = bisect.bisect_left(words, prefix)
        end = bisect.bisect_left(words, prefix + "\U0010ffff", start)
        frequencies = self._frequencies
        found = heapq.nsmallest(limit, words[start:end], key=lambda word: (-frequencies[word], word))
        if prefix in frequencies and prefix not in found:
            found = [prefix, *found[: limit - 1]]
        return found

    def near(self, word: str) -> list[str]:
        """Frequent words one edit from `word` (a letter added, dropped, changed, or two swapped),
        most frequent first."""
        if self._near is None:
            self._load()
            near: dict[str, list[str]] = {}
            for known, count in self._frequencies.items():
                if count >= MIN_NEAR_FREQUENCY and not known.isdigit():
                    for key in deletions(known):
                        near.setdefault(key, []).append(known)
            self._near = near
        found = {known for key in deletions(word) for known in self._near.get(key, ())}
        found = [known for known in found if known != word and within_one_edit(word, known)]
        return sorted(found, key=lambda known: (-self._frequencies[known], known))


def deletions(word: str) -> Iterable[str]:
    """The word and the word with each one of its letters left out: two words one edit apart
    share one of these (symmetric deletion)."""
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
