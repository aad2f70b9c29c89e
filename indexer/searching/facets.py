"""Facet counts over all matching documents, from tables built once per index generation.

Whoosh's own grouping re-reads every posting of a multi-valued field on every search; here
the column of facet values is read once per opened index into doc -> values and
value -> docs tables, and a count is one pass over the matching documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from sys import intern  # one string per value, however many documents carry it

from ..schema import FACET_FIELDS, FACETS_COLUMN, decode_facet_values
from ..storage.codec import column_values
from .valuesearch import folded_words

# A facet with at most this many values (years, languages) is counted by intersecting each
# value's documents with the matches, which runs in C, rather than by walking the matches.
FEW_VALUES = 64


@dataclass(frozen=True)
class FacetTable:
    """One facet's values per document and documents per value, over the live documents."""

    doc_values: list[tuple[str, ...]]
    value_docs: dict[str, frozenset[int]]
    live_docs: frozenset[int]
    totals: Counter

    def count(self, docs: set[int] | frozenset[int]) -> Counter:
        """How many of `docs` carry each value.

        When most documents match, counting the few that do not and subtracting from the
        totals walks fewer documents.
        """
        if len(self.value_docs) <= FEW_VALUES:
            return Counter(
                {value: n for value, found in self.value_docs.items() if (n := len(found.intersection(docs)))}
            )
        if len(docs) * 2 <= len(self.live_docs):
            return self.count_walking(docs)
        counts = self.totals.copy()
        for value, missing in self.count_walking(self.live_docs - docs).items():
            counts[value] -= missing
            if not counts[value]:
                del counts[value]
        return counts

    @cached_property
    def folded(self) -> tuple[list[str], list[str]]:
        """Every value and its folded words, for searching the values (computed on first use)."""
        values = sorted(self.value_docs)
        return values, [folded_words(value) for value in values]

    def count_walking(self, docs: Iterable[int]) -> Counter:
        return Counter(chain.from_iterable(map(self.doc_values.__getitem__, docs)))

    def docs_with_any(self, values: Iterable[str]) -> set[int]:
        """Documents carrying at least one of `values` (OR within a facet)."""
        found: set[int] = set()
        for value in values:
            found |= self.value_docs.get(value, frozenset())
        return found


def read_facet_tables(searcher, live_docs: frozenset[int]) -> dict[str, FacetTable]:
    """Every facet's table, from each segment's column of facet values (deleted documents excluded)."""
    per_doc = [
        tuple(tuple(map(intern, values)) for values in decode_facet_values(encoded))
        if encoded and doc in live_docs
        else ()
        for doc, encoded in enumerate(column_values(searcher.reader(), FACETS_COLUMN, b""))
    ]
    return {
        name: facet_table([values[n] if values else () for values in per_doc], live_docs)
        for n, name in enumerate(FACET_FIELDS)
    }


def facet_table(doc_values: list[tuple[str, ...]], live_docs: frozenset[int]) -> FacetTable:
    """One facet's table from each document's values (none for deleted documents)."""
    value_docs: dict[str, set[int]] = {}
    for doc, values in enumerate(doc_values):
        for value in values:
            value_docs.setdefault(value, set()).add(doc)
    frozen = {value: frozenset(docs) for value, docs in value_docs.items()}
    totals = Counter({value: len(docs) for value, docs in frozen.items()})
    return FacetTable(doc_values, frozen, live_docs, totals)
