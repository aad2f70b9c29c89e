"""Searching a facet's values: every value whose words start with the typed words, with its count.

A facet may have tens of thousands of values (Reuters: 17,075 organisations), more than any
list can show; this finds the ones a user means, among all of them, with their counts for the
current search. Each value's folded words are computed once per opened index.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..documents.gazetteer import fold

WORD = re.compile(r"\w+")


def folded_words(value: str) -> str:
    """The value's folded words, each preceded by a space: a word prefix is a substring " prefix"."""
    return "".join(" " + word for word in WORD.findall(fold(value)))


def matching_values(counts: Mapping[str, int], folded: tuple[list[str], list[str]], text: str) -> list[str]:
    """The values of `counts` (above 0) whose words start with each word of `text`, wherever the word
    is in the value, most frequent first, ties alphabetically; `folded` is every value and its folded words."""
    needles = [" " + word for word in WORD.findall(fold(text))]
    values, keys = folded
    found = zip(values, keys)
    for needle in needles:  # one substring test per value and word, in a comprehension: no call per value
        found = [(value, key) for value, key in found if needle in key]
    hits = [value for value, _ in found if counts.get(value)]
    hits.sort(key=lambda value: (-counts[value], value.casefold()))
    return hits
