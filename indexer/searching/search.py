"""Query -> SearchPage: ranked hits with highlight HTML, and facet counts over all matches."""

from __future__ import annotations

import datetime
import heapq
import math
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path

from whoosh import query as wq

from ..schema import FACET_FIELDS, STEMMED_FIELDS, StoredDocument, stored_document
from .completion import completion_query, split_typed, with_completions
from .expansion import similar_words
from .feedback import FEEDBACK_DOCS, wants_feedback, with_feedback
from .highlight import analysed_word, marked_html, snippets_html
from .query import ParsedQuery, parse_query, plain_words, split_proximity
from .scoring import term_tree, top
from .searcher import SearchIndex, as_search_index
from .suggest import suggest
from .timeline import Timeline, count_timeline
from .valuesearch import matching_values
from .vocabulary import VOCABULARY_FIELD

SORTS = ("relevance", "newest", "oldest")
MAX_PAGE_SIZE = 1000
# Plain queries of this many words or more fall back to any-word matching when fewer than
# ANY_WORDS_BELOW documents have all the words: a long question rarely matches word for word.
ANY_WORDS_MIN_WORDS = 3
ANY_WORDS_BELOW = 10
ANY_WORDS_NOTICE = "{have} of the articles have all of the words; showing those with any of them, most words first."
# Seconds a search may spend in whoosh's own matching (queries of more than words, and, or, not).
WHOOSH_SECONDS = 1.0
TOO_SLOW_NOTICE = "The search took too long to finish: showing the matches found in time, newest first."
# The proximity bonus reorders this many of the best documents by their words alone.
RERANK_WINDOW = 100


@dataclass(frozen=True)
class Hit:
    """One result: stored fields, score, and HTML (escaped, with <mark>) for title and snippets."""

    id: str
    title: str
    title_html: str
    date: datetime.date | None
    source: str | None
    language: str | None
    people: tuple[str, ...]
    organizations: tuple[str, ...]
    places: tuple[str, ...]
    score: float | None
    snippets_html: tuple[str, ...]
    url: str | None = None
    countries: tuple[str, ...] = ()
    path: str | None = None  # the file, relative to the source folder

    def to_dict(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


@dataclass(frozen=True)
class FacetValue:
    """A value's count; an excluded value counts the matching documents its exclusion hides."""

    value: str
    count: int
    selected: bool
    excluded: bool = False


@dataclass(frozen=True)
class Facet:
    """A facet's top values (selected ones always included) and how many distinct values match."""

    name: str
    values: tuple[FacetValue, ...]
    total_values: int


@dataclass(frozen=True)
class ValuePage:
    """One page of a facet's values whose words start with `text`, most frequent first; `total` counts them all."""

    facet: str
    text: str
    values: tuple[FacetValue, ...]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class Relaxation:
    """A way out of zero results: search any of the words, or drop one filter; with its total."""

    kind: str  # "any_words", "drop_filter" or "drop_dates"
    total: int
    facet: str | None = None
    value: str | None = None
    query: str | None = None  # the query to run instead, for "any_words"


@dataclass(frozen=True)
class SearchPage:
    query: str
    total: int
    page: int
    page_size: int
    page_count: int
    sort: str
    hits: tuple[Hit, ...]
    facets: tuple[Facet, ...]
    filters: Mapping[str, tuple[str, ...]]
    date_from: datetime.date | None
    date_to: datetime.date | None
    elapsed_ms: float
    notice: str | None = None
    suggestion: str | None = None
    relaxations: tuple[Relaxation, ...] = field(default=())
    exclusions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    timeline: Timeline | None = None  # the matches by date, counted without the date range


@dataclass(frozen=True)
class Matches:
    """Which documents a query and its filters match, in one open generation."""

    parsed: ParsedQuery
    matching: set[int]  # the query alone
    selections: dict[str, set[int]]  # each filter alone: facet name (or "dates") -> documents
    final: set[int]  # the query and every filter, less the excluded documents
    excluded: set[int] = field(default_factory=set)  # documents carrying any excluded value
    complete: bool = True  # False when whoosh's matching ran out of time: `matching` is what it found


@dataclass
class TimeBudget:
    """How long a request may spend in whoosh's own matching (queries the posting scorer cannot
    answer), and whether it ran out: what was found by then is the answer."""

    deadline: float = math.inf  # time.monotonic(); none for exports, which give every match
    ran_out: bool = False

    @classmethod
    def of(cls, seconds: float) -> TimeBudget:
        return cls(time.monotonic() + seconds)

    def docs(self, searcher, query: wq.Query) -> set[int]:
        found = set()
        for doc in searcher.docs_for_query(query):
            found.add(doc)
            if time.monotonic() > self.deadline:
                self.ran_out = True
                break
        return found


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
) -> SearchPage:
    """Search the index: words AND-ed, filters OR-ed within a facet and AND-ed across facets;
    documents carrying any `exclude` value are left out.

    Facet counts cover all matching documents; each facet is counted without its own
    selection, so its other values keep their counts (disjunctive faceting). Exclusions
    apply to every facet's counts; an excluded value's own count is how many it hides. With
    `as_you_type`, the query is still being typed: its last word also matches the most
    frequent words it begins.
    """
    started = time.perf_counter()
    filters = checked_filters(filters, sort)
    exclude = checked_filters(exclude, sort)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    with as_search_index(index).generation() as live:
        found = match(live, query, filters, date_from, date_to, TimeBudget.of(WHOOSH_SECONDS), exclude, as_you_type)
        facets = tuple(
            count_facet(
                name,
                table,
                intersect(found.matching, without(found.selections, name)),
                filters,
                facet_size,
                exclude,
                found.excluded,
            )
            for name, table in live.facet_tables.items()
        )
        dated = intersect(found.matching, without(found.selections, "dates")) - found.excluded
        timeline = count_timeline(live.days.count(dated), date_from, date_to)
        page_count = max(1, math.ceil(len(found.final) / page_size))
        page = max(1, min(page, page_count))
        hits = top_hits(live, found, sort, page, page_size, snippets)
        suggestion = suggest(
            live.searcher,
            live.vocabulary,
            found.parsed.text,
            lambda word, edits: similar_words(live.vocabulary, word, edits),
            keep_last=as_you_type,
        )
        relaxations = relax(live, found, filters) if not found.final else None

    return SearchPage(
        query=found.parsed.text,
        total=len(found.final),
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
        notice=" ".join(filter(None, [found.parsed.notice, None if found.complete else TOO_SLOW_NOTICE])) or None,
        suggestion=suggestion,
        relaxations=tuple(relaxations or ()),
        exclusions=exclude,
        timeline=timeline,
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
    with as_search_index(index).generation() as live:
        found = match(live, query, filters, date_from, date_to, TimeBudget.of(WHOOSH_SECONDS), exclude)
        table = live.facet_tables[facet]
        counts = table.count(intersect(found.matching, without(found.selections, facet)) - found.excluded)
        values = matching_values(counts, table.folded, text)
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


def match(
    live, query: str, filters, date_from, date_to, budget: TimeBudget, exclude=None, as_you_type: bool = False
) -> Matches:
    """The documents matching the query (any of its words, for a long question few match fully),
    each filter, and the excluded values."""
    parsed = read_query(live, query, as_you_type=as_you_type)
    browsing = isinstance(parsed.query, wq.Every)
    matching = set(live.live_docs) if browsing else docs_matching(live, parsed.query, budget)
    if needs_any_words(parsed, matching) and not budget.ran_out:
        parsed, matching = any_words_instead(live, parsed, matching, budget, as_you_type)
    selections = {name: live.facet_tables[name].docs_with_any(values) for name, values in filters.items()}
    if date_from or date_to:
        selections["dates"] = set(live.searcher.docs_for_query(date_range(date_from, date_to)))
    excluded = set().union(*(live.facet_tables[name].docs_with_any(values) for name, values in (exclude or {}).items()))
    final = intersect(matching, selections.values()) - excluded
    return Matches(parsed, matching, selections, final, excluded, complete=not budget.ran_out)


def needs_any_words(parsed: ParsedQuery, matching: set[int]) -> bool:
    """A long question without operators that few documents answer with all of its words."""
    return (
        parsed.broadenable and len(matching) < ANY_WORDS_BELOW and len(plain_words(parsed.text)) >= ANY_WORDS_MIN_WORDS
    )


def docs_matching(live, query: wq.Query, budget: TimeBudget) -> set[int]:
    """The live documents a query matches: word queries from cached postings, the rest by whoosh
    (within the time budget)."""
    tree = term_tree(split_proximity(query)[0])
    return live.scorer.matching(tree) if tree else budget.docs(live.searcher, query)


def read_query(live, text: str, *, any_word: bool = False, as_you_type: bool = False) -> ParsedQuery:
    """The query as parsed; as you type, its unfinished last word stands for its completions."""
    typed = split_typed(text) if as_you_type else None
    completions = completion_query(live.searcher, live.vocabulary, typed.prefix) if typed else None
    if completions is None:  # no word begins so: read the last word as it stands
        return parse_query(text, live.vocabulary, any_word=any_word)
    head = parse_query(typed.head, live.vocabulary, any_word=any_word)
    return with_completions(head, text, completions)


def any_words_instead(
    live, parsed: ParsedQuery, matching: set[int], budget, as_you_type: bool = False
) -> tuple[ParsedQuery, set[int]]:
    """The any-word reading of the query (more matching words rank higher), if it finds more."""
    broader = read_query(live, parsed.text, any_word=True, as_you_type=as_you_type)
    found = docs_matching(live, broader.query, budget)
    if len(found) <= len(matching):
        return parsed, matching
    notice = ANY_WORDS_NOTICE.format(have=f"Only {len(matching)}" if matching else "None")
    if parsed.notice:
        notice = f"{parsed.notice} {notice}"
    return ParsedQuery(broader.query, parsed.text, notice, parsed.plain, broadenable=True), found


def date_range(date_from: datetime.date | None, date_to: datetime.date | None) -> wq.Query:
    start = datetime.datetime.combine(date_from, datetime.time.min) if date_from else None
    end = datetime.datetime.combine(date_to, datetime.time.max) if date_to else None
    return wq.DateRange("date", start, end)


def intersect(docs: set[int], others) -> set[int]:
    result = docs
    for other in sorted(others, key=len):
        result = result & other
    return result


def without(selections: Mapping[str, set[int]], name: str) -> list[set[int]]:
    return [docs for other, docs in selections.items() if other != name]


def count_facet(name, table, docs, filters, size, exclude=None, excluded: set[int] | frozenset = frozenset()) -> Facet:
    """Top values by count (years newest first), plus the selected and excluded ones wherever they rank.

    `docs` are the facet's matches before exclusions: an excluded value counts the ones it hides.
    """
    counts = table.count(docs - excluded if excluded else docs)
    selected = set(filters.get(name, ()))
    dropped = set((exclude or {}).get(name, ()))
    top = heapq.nlargest(size, counts) if name == "year" else most_common(counts, size)
    shown = top + sorted((selected | dropped) - set(top))
    hidden = {value: len(table.value_docs.get(value, frozenset()) & docs) for value in dropped}
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


def top_hits(live, found: Matches, sort: str, page: int, page_size: int, snippets: bool = True) -> tuple[Hit, ...]:
    """The page's hits: by score, or by date for the date sorts and for an empty query."""
    start = (page - 1) * page_size
    scored = ranked(live, found, sort, limit=start + page_size)[start:]
    terms = highlight_terms(found.parsed.query, live.searcher)
    return tuple(
        make_hit(stored_document(live.searcher.stored_fields(doc)), terms, score, snippets) for doc, score in scored
    )


def ranked(live, found: Matches, sort: str, limit: int | None) -> list[tuple[int, float | None]]:
    """(document number, score) of the first `limit` results in result order (all for None)."""
    if not found.final:
        return []
    query = found.parsed.query
    base, proximity = split_proximity(query)
    tree = term_tree(base)
    # Matching that ran out of time is not ranked either (whoosh would match it all again): newest first.
    if sort != "relevance" or isinstance(query, wq.Every) or (tree is None and not found.complete):
        order = live.oldest if sort == "oldest" else live.newest
        return [(doc, None) for doc in islice((doc for doc in order if doc in found.final), limit)]
    if tree is None:
        # Without filters whoosh can skip blocks that cannot reach the top; a filter set stops that.
        results = live.searcher.search(
            query, filter=found.final if found.selections or found.excluded else None, limit=limit
        )
        return [(hit.docnum, hit.score) for hit in results]
    scores = live.scorer.scores(tree, found.final)
    if wants_feedback(tree):
        scores = with_feedback(live.scorer, live.searcher, tree, scores, top(scores, FEEDBACK_DOCS))
    if proximity is None:
        return top(scores, limit)
    order = top(scores, None if limit is None else max(limit, RERANK_WINDOW))
    head = order[:RERANK_WINDOW]
    bonus = live.scorer.scores_at(proximity, (doc for doc, _ in head))
    return (top({doc: score + bonus.get(doc, 0.0) for doc, score in head}, None) + order[RERANK_WINDOW:])[:limit]


def highlight_terms(query, searcher) -> frozenset[str]:
    """The words to mark: query terms that exist in the index, prefixes and fuzzy terms expanded.

    (Whoosh's Query.existing_terms reuses its `fieldname` argument as a loop variable and so
    stops after the first field; this walks the leaves itself.)
    """
    if isinstance(query, wq.Every):
        return frozenset()
    reader = searcher.reader()
    words = set()
    for leaf in query.leaves():
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            text = text.decode("utf-8") if isinstance(text, bytes) else text
            if fieldname in STEMMED_FIELDS and (fieldname, text) in reader:
                words.add(text)
            elif fieldname == VOCABULARY_FIELD and (fieldname, text) in reader:  # a word as written: mark its forms
                words.add(analysed_word(text))
    return frozenset(words - {None})


def make_hit(doc: StoredDocument, terms: frozenset[str], score: float | None, snippets: bool = True) -> Hit:
    """A stored document as a result: its title and snippets marked where `terms` occur."""
    return Hit(
        id=doc.id,
        title=doc.title,
        title_html=marked_html(doc.title, terms),
        date=doc.date,
        source=doc.source,
        language=doc.language,
        people=doc.people,
        organizations=doc.organizations,
        places=doc.places,
        score=round(score, 4) if score is not None else None,
        snippets_html=tuple(snippets_html(doc.body, terms)) if snippets else (),
        url=doc.url,
        countries=doc.countries,
        path=doc.path,
    )


def relax(live, found: Matches, filters) -> list[Relaxation]:
    """Zero results: what searching any of the words, or dropping each filter, would find."""
    text, selections = found.parsed.text, found.selections
    matching = found.matching - found.excluded
    ways = []
    words = plain_words(text)
    # Without AND, OR, NOT, of fewer words than the search itself reads as any of them when few match.
    if 1 < len(words) < ANY_WORDS_MIN_WORDS and found.parsed.broadenable:
        any_words = (
            docs_matching(live, parse_query(text, live.vocabulary, any_word=True).query, TimeBudget.of(WHOOSH_SECONDS))
            - found.excluded
        )
        total = len(intersect(any_words, selections.values()))
        if total:
            ways.append(Relaxation("any_words", total, query=" OR ".join(words)))
    for name, values in filters.items():
        if len(values) > 1:
            continue  # dropping one of several OR-ed values only narrows further
        total = len(intersect(matching, without(selections, name)))
        if total:
            ways.append(Relaxation("drop_filter", total, name, values[0]))
    if "dates" in selections:
        total = len(intersect(matching, without(selections, "dates")))
        if total:
            ways.append(Relaxation("drop_dates", total))
    return ways


@dataclass(frozen=True)
class DocumentView:
    """One document in full, with the query's words marked, and the documents most like it."""

    hit: Hit
    body_html: str
    path: str
    author: str | None
    dates_mentioned: tuple[datetime.date, ...]
    similar: tuple[Hit, ...]


def get_document(
    index: SearchIndex | Path | str, doc_id: str, query: str = "", similar: int = 5
) -> DocumentView | None:
    """The document with id `doc_id`, or None; `query`'s words are marked in its text."""
    index = as_search_index(index)
    with index.generation() as live:
        searcher = live.searcher
        docnum = searcher.document_number(id=doc_id)
        if docnum is None:
            return None
        doc = stored_document(searcher.stored_fields(docnum))
        terms = highlight_terms(parse_query(query, live.vocabulary).query, searcher) if query else frozenset()
        body = doc.body
        alike = searcher.more_like(docnum, "body", text=body, top=similar) if similar and body else []
        return DocumentView(
            hit=make_hit(doc, terms, None),
            body_html=marked_html(body, terms),
            path=doc_id if doc.path is None else doc.path,
            author=doc.author,
            dates_mentioned=doc.dates_mentioned,
            similar=tuple(make_hit(stored_document(other.fields()), frozenset(), None) for other in alike),
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
    with index.generation() as live:
        found = match(live, query, filters, date_from, date_to, TimeBudget(), exclude)
        order = ranked(live, found, sort, limit=None)
    return hit_batches(index, live, order, batch_size)


def hit_batches(index: SearchIndex, live, order: list[tuple[int, float | None]], batch_size: int) -> Iterator[Hit]:
    """The hits of a ranked order, their stored fields read a batch at a time."""
    for start in range(0, len(order), batch_size):
        with index.holding(live):
            batch = [
                make_hit(stored_document(live.searcher.stored_fields(doc)), frozenset(), score, snippets=False)
                for doc, score in order[start : start + batch_size]
            ]
        yield from batch
