"""Facet counts over all matching documents, from tables built once per index generation.

Whoosh's own grouping re-reads every posting of a multi-valued field on every search; here
the column of facet values is read once per opened index into doc -> values and
value -> docs tables, and a count is one numpy bincount over the matching documents' (document,
value) pairs: gathered document by document for a few matches, by one pass over every pair for
many, so a count costs what the matches hold rather than what the index holds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from sys import intern  # one string per value, however many documents carry it

import numpy

from ..schema import FACET_FIELDS, FACETS_COLUMN, decode_facet_values
from ..storage.codec import column_values
from .collection import Aliases, apply_aliases, collection_aliases, renamed_values
from .valuesearch import folded_words

# Above this share of the documents, one pass over all the pairs beats gathering each document's own.
DENSE_SHARE = 0.25


@dataclass(frozen=True)
class FacetTable:
    """One facet's documents per value, over the live documents; its (document, value) pairs as
    arrays for counting, in document order (value numbers in `values` order; document d's pairs
    start at `pair_starts[d]`); `size`: the documents numbered."""

    size: int
    value_docs: dict[str, frozenset[int]]
    values: tuple[str, ...]
    pair_docs: numpy.ndarray
    pair_values: numpy.ndarray
    pair_starts: numpy.ndarray
    renamed: dict[str, str] = field(default_factory=dict)  # value -> the value of this facet it was merged into
    merges: Aliases = field(default_factory=dict)  # the index's merges of people and organisations

    def count(self, docs: set[int] | frozenset[int] | numpy.ndarray) -> Counter:
        """How many of `docs` (numbers, or a `doc_array` of them) carry each value."""
        rows = docs if isinstance(docs, numpy.ndarray) else doc_array(docs)
        if len(rows) > DENSE_SHARE * self.size:
            mask = numpy.zeros(self.size, dtype=bool)
            mask[rows] = True
            picked = self.pair_values[mask[self.pair_docs]]
        else:
            first = self.pair_starts[rows]
            lengths = self.pair_starts[rows + 1] - first
            # each row's pair numbers, first[i] .. first[i] + lengths[i], in one array
            offsets = numpy.repeat(first - numpy.cumsum(lengths) + lengths, lengths)
            picked = self.pair_values[offsets + numpy.arange(len(offsets))]
        counts = numpy.bincount(picked, minlength=len(self.values))
        found = numpy.flatnonzero(counts)
        return Counter(dict(zip(map(self.values.__getitem__, found.tolist()), counts[found].tolist())))

    @cached_property
    def folded(self) -> tuple[list[str], list[str]]:
        """Every value and its folded words, for searching the values (computed on first use)."""
        values = sorted(self.value_docs)
        return values, [folded_words(value) for value in values]

    def docs_with_any(self, values: Iterable[str]) -> set[int]:
        """Documents carrying at least one of `values` (OR within a facet)."""
        found: set[int] = set()
        for value in values:
            found |= self.docs_of(value)
        return found

    def docs_of(self, value: str) -> frozenset[int]:
        """Documents carrying a value, or the value it was merged into ("Reagan" -> "Ronald Reagan")."""
        return self.value_docs.get(self.renamed.get(value, value), frozenset())


def read_facet_tables(searcher, live_docs: frozenset[int]) -> dict[str, FacetTable]:
    """Every facet's table, from each segment's column of facet values (deleted documents excluded)."""
    per_doc = [
        tuple(tuple(map(intern, values)) for values in decode_facet_values(encoded))
        if encoded and doc in live_docs
        else ()
        for doc, encoded in enumerate(column_values(searcher.reader(), FACETS_COLUMN, b""))
    ]
    columns = {name: [values[n] if values else () for values in per_doc] for n, name in enumerate(FACET_FIELDS)}
    merges = collection_aliases(columns)
    columns.update(apply_aliases(columns, merges))
    renamed = renamed_values(merges)  # still found by their old names, within their facet
    return {name: facet_table(columns[name], renamed.get(name, {}), merges) for name in FACET_FIELDS}


def facet_table(
    doc_values: list[tuple[str, ...]], renamed: dict[str, str] | None = None, merges: Aliases | None = None
) -> FacetTable:
    """One facet's table from each document's values (none for deleted documents)."""
    value_docs: dict[str, set[int]] = {}
    for doc, values in enumerate(doc_values):
        for value in values:
            value_docs.setdefault(value, set()).add(doc)
    values = tuple(value_docs)
    number = {value: n for n, value in enumerate(values)}
    pair_docs = numpy.fromiter((doc for doc, found in enumerate(doc_values) for _ in found), dtype=numpy.int32)
    pair_values = numpy.fromiter((number[value] for found in doc_values for value in found), dtype=numpy.int32)
    pair_starts = numpy.zeros(len(doc_values) + 1, dtype=numpy.int64)
    numpy.cumsum(numpy.fromiter(map(len, doc_values), dtype=numpy.int64, count=len(doc_values)), out=pair_starts[1:])
    frozen = {value: frozenset(docs) for value, docs in value_docs.items()}
    return FacetTable(len(doc_values), frozen, values, pair_docs, pair_values, pair_starts, renamed or {}, merges or {})


def doc_array(docs: set[int] | frozenset[int]) -> numpy.ndarray:
    """Document numbers as a numpy array, for counting."""
    return numpy.fromiter(docs, dtype=numpy.int64, count=len(docs))
