"""What building and searching need from an index, in plain values: the seam a second engine plugs into.

Whoosh is the first implementation: `store.new_generation` writes (a `NewGeneration`), and an
open generation of `searching.searcher.SearchIndex` reads (`searching.matching.WhooshReader`).
Everything crossing the seam is a plain Python value — Documents in; a SearchRequest; counts as
Counters; stored documents as `schema.StoredDocument` — so an engine behind a server (OpenSearch)
implements it with its own queries and aggregations, without emulating whoosh objects. A match
set and a document key are the engine's own (a set of numbers here, a query or an id there):
the pages built over the seam only hand them back.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from .documents.files import Document
from .nearduplicates import Signature
from .schema import StoredDocument

DocKey = Hashable  # an engine's handle on one document of an open generation


@dataclass(frozen=True)
class SearchRequest:
    """What a search asks, validated: words, each facet's selected and excluded values, a date range."""

    query: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # OR-ed within a facet, AND-ed across
    exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # documents carrying any are left out
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    as_you_type: bool = False  # the last word is still being typed: it also stands for its completions
    any_word: bool = False  # any of the words rather than all of them


class MatchSet(Protocol):
    """A request's matches in one open generation; only the engine that made it looks inside."""

    query: str  # the query as read (what the page shows and did-you-mean corrects)
    notice: str | None  # what was changed or left out of the query, for the user
    total: int  # documents matching the query and every filter, less the excluded ones
    complete: bool  # False when matching ran out of time: the matches are those found by then
    broadenable: bool  # plain words without operators: reading them as any of the words is a way out


class IndexReader(Protocol):
    """One open generation: every call sees the same documents."""

    def match(self, request: SearchRequest, seconds: float | None = None) -> MatchSet:
        """The request's matches; a long question few documents match word for word reads as any of
        its words. `seconds` bounds matching the engine cannot answer quickly (None: no bound)."""

    def count(self, matches: MatchSet, without: str | None = None) -> int:
        """The matches less the excluded documents, with one filter (a facet, or "dates") left out."""

    def facet_counts(self, matches: MatchSet, facet: str) -> Counter:
        """Each value's documents among the matches, the facet's own filter left out, less exclusions."""

    def value_counts(self, matches: MatchSet, facet: str) -> Counter:
        """Each value's documents among the matches, every filter applied (the facet's own too)."""

    def value_of(self, facet: str, value: str) -> str:
        """The value as the facet counts it: a name merged into another gives that one."""

    def excluded_counts(self, matches: MatchSet, facet: str, values: Iterable[str]) -> dict[str, int]:
        """How many of the matches (the facet's own filter left out) each excluded value hides."""

    def day_counts(self, matches: MatchSet) -> Counter:
        """The matches by publication day (date.toordinal()), the date range left out, less exclusions."""

    def value_words(self, facet: str) -> tuple[list[str], list[str]]:
        """Every value of a facet and its folded words, for finding values by the words they start with."""

    def rank(self, matches: MatchSet, sort: str, limit: int | None) -> list[tuple[DocKey, float | None]]:
        """The first `limit` matches (all for None) in result order, with their scores (None by date)."""

    def marked_terms(self, matches: MatchSet | str) -> frozenset[str]:
        """The indexed words a result marks for the matches' query (or a query text)."""

    def suggestion(self, matches: MatchSet, keep_last: bool = False) -> str | None:
        """A did-you-mean query, or None when no word needs correcting."""

    def documents(self, keys: Sequence[DocKey]) -> list[StoredDocument]:
        """The stored documents, in the order of `keys`."""

    def key_of(self, doc_id: str) -> DocKey | None:
        """The key of the document with this id, None when there is none."""

    def similar(self, key: DocKey, count: int) -> list[StoredDocument]:
        """The documents most like this one, most alike first; one of a group of versions, and
        none of this one's own versions."""

    def group(self, key: DocKey) -> str | None:
        """The id of the first of the document's near-identical versions (perhaps its own); None without versions."""

    def versions(self, key: DocKey, matches: MatchSet | None = None) -> tuple[DocKey, ...]:
        """The document's other near-identical versions, the group's first first: those among the matches, or all."""

    def distinct(self, matches: MatchSet) -> int:
        """How many results the matches make with each group of near-identical versions as one."""

    def summary(self) -> dict:
        """What the generation is and holds: index_dir, generation, built, source_dir, documents,
        version_groups, versions, files, skipped_files, fields, size_bytes (None when unknown)."""


class ShareWriter(Protocol):
    """A worker process's writer of its share of a new generation's documents."""

    def add(self, documents: Iterable[Document]) -> None: ...

    def finish(self):
        """What was written, for the generation's `segments` (None when nothing was)."""


class GenerationWriter(Protocol):
    """A new generation being written; readers see nothing of it until `publish`."""

    segments: list  # what the worker processes' writers wrote

    def add(self, documents: Iterable[Document]) -> None:
        """Index documents; to replace a file's documents, `delete_files` it first."""

    def delete_files(self, paths: Iterable[str]) -> None:
        """Delete the documents read from these source files (their ids are the path, or path#N)."""

    def share_writer(self, shares: int) -> Callable[[], ShareWriter]:
        """What each of `shares` worker processes makes (in the worker) to write its documents with;
        what its `finish` returns goes to the generation's `segments` list."""

    def kept_signatures(self) -> dict[str, tuple[Signature, ...]]:
        """Each kept file's near-duplicate signatures (source path -> its documents'), for grouping."""

    def group_versions(self, signatures: dict[str, tuple[Signature, ...]]) -> None:
        """Group near-identical documents by every file's signatures (an engine that shows no
        versions ignores them)."""

    def publish(self, manifest: dict) -> Path | str:
        """Make the generation live in one step, with its manifest; the previous one is kept for rollback."""
