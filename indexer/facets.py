"""Facet counts over all matching documents, from tables built once per index generation.

Whoosh's own grouping re-reads every posting of a multi-valued field on every search; here
each facet field is read once per opened index into doc -> values and value -> docs tables,
and a count is one pass over the matching documents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from .schema import FACET_FIELDS
from .scoring import read_postings

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

    def count_walking(self, docs: Iterable[int]) -> Counter:
        return Counter(chain.from_iterable(map(self.doc_values.__getitem__, docs)))

    def docs_with_any(self, values: Iterable[str]) -> set[int]:
        """Documents carrying at least one of `values` (OR within a facet)."""
        found: set[int] = set()
        for value in values:
            found |= self.value_docs.get(value, frozenset())
        return found


def read_facet_tables(searcher, live_docs: frozenset[int]) -> dict[str, FacetTable]:
    """Every facet's table, read from the index's postings (deleted documents excluded)."""
    segments = [(leaf.reader(), offset) for leaf, offset in searcher.leaf_searchers()]
    doc_count = searcher.reader().doc_count_all()
    return {name: read_facet_table(segments, field, doc_count, live_docs) for name, field in FACET_FIELDS.items()}


def read_facet_table(segments, field: str, doc_count: int, live_docs: frozenset[int]) -> FacetTable:
    """One facet's table, each segment's postings read a block at a time (whoosh's own reader
    merges the segments' terms and postings one at a time: 4x slower on two segments)."""
    value_docs: dict[str, set[int]] = {}
    for reader, offset in segments:
        if field in reader.indexed_field_names():
            for value in reader.field_terms(field):
                ids = read_postings(reader, field, value).ids
                value_docs.setdefault(value, set()).update(ids if not offset else [doc + offset for doc in ids])
    lists: list[list[str]] = [[] for _ in range(doc_count)]
    live_value_docs = {}
    for value, docs in value_docs.items():
        docs = frozenset(docs & live_docs)
        if docs:  # values only deleted documents had are left out
            live_value_docs[value] = docs
            for doc in docs:
                lists[doc].append(value)
    totals = Counter({value: len(docs) for value, docs in live_value_docs.items()})
    return FacetTable([tuple(values) for values in lists], live_value_docs, live_docs, totals)
