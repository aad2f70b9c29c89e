"""Query -> SearchPage: ranked hits with highlight HTML, and facet counts over all matches.

The pages are built over `backend.IndexReader` alone: which documents match, their counts and
their order come from the engine; this module turns them into pages of plain values.
"""

from __future__ import annotations

import datetime
import heapq
import math
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from ..backend import IndexReader, MatchSet, SearchRequest
from ..schema import FACET_FIELDS
from .folding import fold
from .highlight import marked_html
from .matching import ANY_WORDS_MIN_WORDS
from .query import plain_words
from .results import DocumentView, Facet, FacetValue, Hit, Relaxation, SearchPage, ValuePage, make_hit
from .searcher import SearchIndex, as_search_index
from .timeline import count_timeline
from .valuesearch import matching_values

SORTS = ("relevance", "newest", "oldest")
MAX_PAGE_SIZE = 1000
# Seconds a search may spend in whoosh's own matching (queries of more than words, and, or, not).
WHOOSH_SECONDS = 1.0
TOO_SLOW_NOTICE = "The search took too long to finish: showing the matches found in time, newest first."
# A folded result lists the first few of its near-identical versions that match; a document's
# page lists all of them, up to MAX_VERSIONS. Each is a stored document read in full.
LISTED_VERSIONS = 3
MAX_VERSIONS = 50


def search(
    index: SearchIndex | Path | str,
    query: str = "",
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 10,
    facet_size: int = 10,
    snippets: bool = True,
    exclude: Mapping[str, Sequence[str]] | None = None,
    as_you_type: bool = False,
    fold_versions: bool = True,
) -> SearchPage:
    """Search the index: words AND-ed, filters OR-ed within a facet and AND-ed across facets;
    documents carrying any `exclude` value are left out.

    Facet counts cover all matching documents; each facet is counted without its own
    selection, so its other values keep their counts (disjunctive faceting). Exclusions
    apply to every facet's counts; an excluded value's own count is how many it hides. With
    `as_you_type`, the query is still being typed: its last word also matches the most
    frequent words it begins.

    With `fold_versions`, near-identical documents are one result: the first of them to rank,
    listing the others as its `versions`; facets still count every document.
    """
    started = time.perf_counter()
    filters = checked_filters(filters, sort)
    exclude = checked_filters(exclude, sort)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    request = SearchRequest(query, filters, exclude, date_from, date_to, as_you_type)
    with as_search_index(index).reading() as reader:
        found = reader.match(request, WHOOSH_SECONDS)
        facets = tuple(count_facet(reader, found, name, filters, facet_size, exclude) for name in FACET_FIELDS)
        timeline = count_timeline(reader.day_counts(found), date_from, date_to)
        distinct = reader.distinct(found) if fold_versions else found.total
        page_count = max(1, math.ceil(distinct / page_size))
        page = max(1, min(page, page_count))
        hits = top_hits(reader, found, sort, page, page_size, snippets, distinct if fold_versions else None)
        suggestion = reader.suggestion(found, keep_last=as_you_type)
        relaxations = relax(reader, found, request) if not found.total else None

    return SearchPage(
        query=found.query,
        total=found.total,
        page=page,
        page_size=page_size,
        page_count=page_count,
        sort=sort,
        hits=hits,
        facets=facets,
        filters=filters,
        date_from=date_from,
        date_to=date_to,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        notice=" ".join(filter(None, [found.notice, None if found.complete else TOO_SLOW_NOTICE])) or None,
        suggestion=suggestion,
        relaxations=tuple(relaxations or ()),
        exclusions=exclude,
        timeline=timeline,
        distinct=distinct,
    )


def find_values(
    index: SearchIndex | Path | str,
    facet: str,
    text: str,
    query: str = "",
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    exclude: Mapping[str, Sequence[str]] | None = None,
    offset: int = 0,
    limit: int = 50,
) -> ValuePage:
    """All of a facet's values whose words start with the words of `text` ("pet" finds "Vladimir
    Petrov"; case and accents ignored), counted as `search` counts them, a page at a time."""
    if facet not in FACET_FIELDS:
        raise ValueError(f"unknown facet: {facet}")
    filters = checked_filters(filters, "relevance")
    exclude = checked_filters(exclude, "relevance")
    with as_search_index(index).reading() as reader:
        found = reader.match(SearchRequest(query, filters, exclude, date_from, date_to), WHOOSH_SECONDS)
        counts = reader.facet_counts(found, facet)
        values = matching_values(counts, reader.value_words(facet), text)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, min(offset, (len(values) - 1) // limit * limit if values else 0))  # past the end: the last page
    selected, dropped = set(filters.get(facet, ())), set(exclude.get(facet, ()))
    page = tuple(
        FacetValue(value, counts[value], value in selected, value in dropped)
        for value in values[offset : offset + limit]
    )
    return ValuePage(facet, text, page, len(values), offset, limit)


def checked_filters(filters: Mapping[str, Sequence[str]] | None, sort: str) -> dict[str, tuple[str, ...]]:
    """Filters without empty or repeated values; ValueError for an unknown facet or sort."""
    filters = {name: tuple(dict.fromkeys(values)) for name, values in (filters or {}).items() if values}
    unknown = set(filters) - set(FACET_FIELDS)
    if unknown:
        raise ValueError(f"unknown facet: {', '.join(sorted(unknown))}")
    if sort not in SORTS:
        raise ValueError(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
    return filters


def count_facet(reader: IndexReader, found: MatchSet, name: str, filters, size: int, exclude) -> Facet:
    """Top values by count (years newest first), plus the selected and excluded ones wherever they rank;
    an excluded value counts the matching documents it hides."""
    counts = reader.facet_counts(found, name)
    selected = set(filters.get(name, ()))
    dropped = set(exclude.get(name, ()))
    top = heapq.nlargest(size, counts) if name == "year" else most_common(counts, size)
    shown = top + sorted((selected | dropped) - set(top))
    hidden = reader.excluded_counts(found, name, dropped) if dropped else {}
    values = tuple(
        FacetValue(value, hidden[value], value in selected, True)
        if value in dropped
        else FacetValue(value, counts.get(value, 0), value in selected)
        for value in shown
    )
    return Facet(name, values, len(counts))


def most_common(counts: Mapping[str, int], size: int) -> list[str]:
    """The `size` values with the highest counts, ties in alphabetical order (case-insensitive)."""
    highest = heapq.nlargest(size, counts.values())  # plain numbers: compared in C
    if not highest:
        return []
    candidates = [value for value, count in counts.items() if count >= highest[-1]]
    return sorted(candidates, key=lambda value: (-counts[value], value.casefold()))[:size]


def top_hits(
    reader: IndexReader,
    found: MatchSet,
    sort: str,
    page: int,
    page_size: int,
    snippets: bool = True,
    distinct: int | None = None,
) -> tuple[Hit, ...]:
    """The page's hits: by score, or by date for the date sorts and for an empty query. Given the
    `distinct` count, near-identical versions are folded: each hit lists its versions that match."""
    start = (page - 1) * page_size
    if distinct is None:
        scored = reader.rank(found, sort, limit=start + page_size)[start:]
    else:
        scored = fold(reader, found, sort, start + page_size, distinct)[start:]
    terms = reader.marked_terms(found)
    documents = reader.documents([key for key, _ in scored])
    listed = 0 if distinct is None else LISTED_VERSIONS
    return tuple(
        with_versions(reader, make_hit(doc, terms, score, snippets), key, found, listed)
        for doc, (key, score) in zip(documents, scored)
    )


def with_versions(
    reader: IndexReader, hit: Hit, key, matches: MatchSet | None = None, listed: int = MAX_VERSIONS
) -> Hit:
    """The hit with its group, and the first `listed` of its near-identical versions (those among
    the matches, or all of them) with their count."""
    group = reader.group(key)
    if group is None:
        return hit
    versions = reader.versions(key, matches) if listed else ()
    shown = tuple(make_hit(doc, frozenset(), None, False) for doc in reader.documents(versions[:listed]))
    return replace(hit, group=group, versions=shown, version_count=len(versions))


def relax(reader: IndexReader, found: MatchSet, request: SearchRequest) -> list[Relaxation]:
    """Zero results: what searching any of the words, or dropping each filter, would find."""
    text = found.query
    ways = []
    words = plain_words(text)
    # Without AND, OR, NOT, of fewer words than the search itself reads as any of them when few match.
    if 1 < len(words) < ANY_WORDS_MIN_WORDS and found.broadenable:
        broader = replace(request, query=text, any_word=True, as_you_type=False)
        total = reader.match(broader, WHOOSH_SECONDS).total
        if total:
            ways.append(Relaxation("any_words", total, query=" OR ".join(words)))
    for name, values in request.filters.items():
        if len(values) > 1:
            continue  # dropping one of several OR-ed values only narrows further
        total = reader.count(found, without=name)
        if total:
            ways.append(Relaxation("drop_filter", total, name, values[0]))
    if request.date_from or request.date_to:
        total = reader.count(found, without="dates")
        if total:
            ways.append(Relaxation("drop_dates", total))
    return ways


def get_document(
    index: SearchIndex | Path | str, doc_id: str, query: str = "", similar: int = 5
) -> DocumentView | None:
    """The document with id `doc_id`, or None; `query`'s words are marked in its text."""
    with as_search_index(index).reading() as reader:
        key = reader.key_of(doc_id)
        if key is None:
            return None
        (doc,) = reader.documents([key])
        terms = reader.marked_terms(query) if query else frozenset()
        return DocumentView(
            hit=with_versions(reader, make_hit(doc, terms, None), key),
            body_html=marked_html(doc.body, terms),
            path=doc_id if doc.path is None else doc.path,
            author=doc.author,
            dates_mentioned=doc.dates_mentioned,
            similar=tuple(make_hit(other, frozenset(), None) for other in reader.similar(key, similar)),
            first_page=doc.first_page,
        )


def iter_hits(
    index: SearchIndex | Path | str,
    query: str = "",
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    sort: str = "relevance",
    batch_size: int = 500,
    exclude: Mapping[str, Sequence[str]] | None = None,
) -> Iterator[Hit]:
    """Every hit of a search, in result order, without snippets: for exports (no result cap).

    The search runs now, so that a missing or damaged index raises here, before a caller has
    sent anything; the hits are read in batches as they are consumed. The whole export reads
    the generation that was live when it started, even if a rebuild publishes another one meanwhile.
    """
    filters = checked_filters(filters, sort)
    exclude = checked_filters(exclude, sort)
    index = as_search_index(index)
    with index.reading() as reader:
        found = reader.match(SearchRequest(query, filters, exclude, date_from, date_to))
        order = reader.rank(found, sort, limit=None)
    return hit_batches(index, reader, order, batch_size)


def hit_batches(index: SearchIndex, reader: IndexReader, order: list, batch_size: int) -> Iterator[Hit]:
    """The hits of a ranked order, their stored documents read a batch at a time."""
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        with index.holding(reader):
            documents = reader.documents([key for key, _ in batch])
        yield from (make_hit(doc, frozenset(), score, snippets=False) for doc, (_, score) in zip(documents, batch))
