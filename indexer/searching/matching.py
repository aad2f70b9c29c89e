"""The whoosh backend's reading half: a request's matches in an open generation, their counts,
their ranking, and the stored documents, as `backend.IndexReader` asks."""

from __future__ import annotations

import datetime
import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING

import numpy
from whoosh import query as wq

from ..backend import DocKey, SearchRequest
from ..schema import STEMMED_FIELDS, StoredDocument, stored_document
from ..store import read_manifest
from .collection import with_merged_names
from .completion import read_typed
from .expansion import similar_words
from .facets import doc_array
from .feedback import FEEDBACK_DOCS, wants_feedback, with_feedback
from .highlight import analysed_word
from .query import ParsedQuery, plain_words, split_proximity
from .scoring import TermTree, term_tree, top
from .suggest import suggest
from .vocabulary import VOCABULARY_FIELD

if TYPE_CHECKING:
    from .searcher import OpenGeneration  # searcher builds a WhooshReader over each generation it opens

# Plain queries of this many words or more fall back to any-word matching when fewer than
# ANY_WORDS_BELOW documents have all the words: a long question rarely matches word for word.
ANY_WORDS_MIN_WORDS = 3
ANY_WORDS_BELOW = 10
ANY_WORDS_NOTICE = "{have} of the articles have all of the words; showing those with any of them, most words first."
# The proximity bonus reorders this many of the best documents by their words alone.
RERANK_WINDOW = 100


@dataclass(frozen=True)
class Matches:
    """Which documents a query and its filters match, in one open generation: the parsed query
    travels with them to ranking, highlighting and suggestions."""

    parsed: ParsedQuery
    matching: set[int]  # the query alone
    selections: dict[str, set[int]]  # each filter alone: facet name (or "dates") -> documents
    final: set[int]  # the query and every filter, less the excluded documents
    excluded: set[int] = field(default_factory=set)  # documents carrying any excluded value
    complete: bool = True  # False when whoosh's matching ran out of time: `matching` is what it found
    tree: TermTree | None = None  # the query's terms, built once for matching and for ranking
    proximity: wq.Query | None = None  # the bonus for words close together, scored on the best matches
    counted: dict = field(default_factory=dict, repr=False, compare=False)  # arrays to count over: WhooshReader.counted
    scored: dict = field(default_factory=dict, repr=False, compare=False)  # scores, reranked head: relevance_scores

    @property
    def query(self) -> str:
        return self.parsed.text

    @property
    def notice(self) -> str | None:
        return self.parsed.notice

    @property
    def total(self) -> int:
        return len(self.final)

    @property
    def broadenable(self) -> bool:
        return self.parsed.broadenable


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


def match(live: OpenGeneration, request: SearchRequest, budget: TimeBudget) -> Matches:
    """The documents matching the query (any of its words, for a long question few match fully),
    each filter, and the excluded values."""
    query, filters, exclude, as_you_type = request.query, request.filters, request.exclude, request.as_you_type
    date_from, date_to = request.date_from, request.date_to
    parsed = read_query(live, query, any_word=request.any_word, as_you_type=as_you_type)
    tree, proximity = query_tree(parsed.query)
    browsing = isinstance(parsed.query, wq.Every)
    matching = set(live.live_docs) if browsing else docs_matching(live, parsed.query, tree, budget)
    if needs_any_words(parsed, matching) and not budget.ran_out:
        broader = read_query(live, parsed.text, any_word=True, as_you_type=as_you_type)
        broader_tree, broader_proximity = query_tree(broader.query)
        found = docs_matching(live, broader.query, broader_tree, budget)
        if len(found) > len(matching):
            parsed, matching = any_words_instead(parsed, broader, len(matching)), found
            tree, proximity = broader_tree, broader_proximity
    selections = {name: live.facet_tables[name].docs_with_any(values) for name, values in filters.items()}
    if date_from or date_to:
        selections["dates"] = set(live.searcher.docs_for_query(date_range(date_from, date_to)))
    excluded = set().union(*(live.facet_tables[name].docs_with_any(values) for name, values in (exclude or {}).items()))
    final = intersect(matching, selections.values()) - excluded
    return Matches(parsed, matching, selections, final, excluded, not budget.ran_out, tree, proximity)


def needs_any_words(parsed: ParsedQuery, matching: set[int]) -> bool:
    """A long question without operators that few documents answer with all of its words."""
    return (
        parsed.broadenable and len(matching) < ANY_WORDS_BELOW and len(plain_words(parsed.text)) >= ANY_WORDS_MIN_WORDS
    )


def query_tree(query: wq.Query) -> tuple[TermTree | None, wq.Query | None]:
    """The query's term tree (None when the posting scorer cannot answer it) and its proximity bonus."""
    base, proximity = split_proximity(query)
    return term_tree(base), proximity


def docs_matching(live, query: wq.Query, tree: TermTree | None, budget: TimeBudget) -> set[int]:
    """The live documents a query matches: word queries from cached postings, the rest by whoosh
    (within the time budget)."""
    return live.scorer.matching(tree) if tree else budget.docs(live.searcher, query)


def read_query(live, text: str, *, any_word: bool = False, as_you_type: bool = False) -> ParsedQuery:
    """The query as parsed; as you type, its unfinished last word stands for its completions."""
    return read_typed(
        live.parse, live.searcher.reader(), live.vocabulary, text, any_word=any_word, as_you_type=as_you_type
    )


def any_words_instead(parsed: ParsedQuery, broader: ParsedQuery, have: int) -> ParsedQuery:
    """The any-word reading of the query (more matching words rank higher), saying why."""
    notice = ANY_WORDS_NOTICE.format(have=f"Only {have}" if have else "None")
    if parsed.notice:
        notice = f"{parsed.notice} {notice}"
    return ParsedQuery(broader.query, parsed.text, notice, parsed.plain, broadenable=True)


def date_range(date_from: datetime.date | None, date_to: datetime.date | None) -> wq.Query:
    start = datetime.datetime.combine(date_from, datetime.time.min) if date_from else None
    end = datetime.datetime.combine(date_to, datetime.time.max) if date_to else None
    return wq.DateRange("date", start, end)


def intersect(docs: set[int], others) -> set[int]:
    result = docs
    for other in sorted(others, key=len):
        result = result & other
    return result


def without_one(selections: Mapping[str, set[int]], name: str) -> list[set[int]]:
    return [docs for other, docs in selections.items() if other != name]


def ranked(live, found: Matches, sort: str, limit: int | None) -> list[tuple[int, float | None]]:
    """(document number, score) of the first `limit` results in result order (all for None)."""
    if not found.final:
        return []
    query, tree, proximity = found.parsed.query, found.tree, found.proximity
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
    scores = relevance_scores(live, found)
    if proximity is None:
        return top(scores, limit)
    head = reranked_head(live, found, scores)
    if limit is not None and limit <= RERANK_WINDOW:
        return head[:limit]
    return head + top(scores, limit)[RERANK_WINDOW:]


def reranked_head(live, found: Matches, scores: dict[int, float]) -> list[tuple[int, float]]:
    """The best RERANK_WINDOW matches with the proximity bonus added, best first: scored once per
    page, however long the ranking asked for."""
    if "head" not in found.scored:
        head = top(scores, RERANK_WINDOW)
        bonus = live.scorer.scores_at(found.proximity, (doc for doc, _ in head))
        found.scored["head"] = top({doc: score + bonus.get(doc, 0.0) for doc, score in head}, None)
    return found.scored["head"]


def relevance_scores(live, found: Matches) -> dict[int, float]:
    """Each final match's score, feedback included: computed once per page, however many times the
    page ranks (folding versions away may ask for a longer ranking)."""
    if "scores" not in found.scored:
        scores = live.scorer.scores(found.tree, found.final)
        if wants_feedback(found.tree):
            scores = with_feedback(live.scorer, live.searcher, found.tree, scores, top(scores, FEEDBACK_DOCS))
        found.scored["scores"] = scores
    return found.scored["scores"]


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


class WhooshReader:
    """An open generation of a whoosh index, read through `backend.IndexReader`."""

    def __init__(self, live: OpenGeneration):
        self.live = live

    def match(self, request: SearchRequest, seconds: float | None = None) -> Matches:
        return match(self.live, request, TimeBudget() if seconds is None else TimeBudget.of(seconds))

    def count(self, matches: Matches, without: str | None = None) -> int:
        if without is None:
            return len(matches.final)
        return len(intersect(matches.matching - matches.excluded, without_one(matches.selections, without)))

    def facet_counts(self, matches: Matches, facet: str) -> Counter:
        return self.live.facet_tables[facet].count(self.counted(matches, facet))

    def value_counts(self, matches: Matches, facet: str) -> Counter:
        return self.live.facet_tables[facet].count(matches.final)

    def value_of(self, facet: str, value: str) -> str:
        return self.live.facet_tables[facet].renamed.get(value, value)

    def excluded_counts(self, matches: Matches, facet: str, values: Iterable[str]) -> dict[str, int]:
        docs = intersect(matches.matching, without_one(matches.selections, facet))
        table = self.live.facet_tables[facet]
        return {value: len(table.docs_of(value) & docs) for value in values}

    def day_counts(self, matches: Matches) -> Counter:
        return self.live.days.count(self.counted(matches, "dates"))

    def counted(self, matches: Matches, name: str) -> numpy.ndarray:
        """What a facet counts: the matches without the facet's own selection (disjunctive faceting),
        exclusions taken out. Facets without a selection of their own count the same matches: one
        array, made once per page, serves them all."""
        key = name if name in matches.selections else None
        if key not in matches.counted:
            docs = intersect(matches.matching, without_one(matches.selections, key))
            matches.counted[key] = doc_array(docs - matches.excluded)
        return matches.counted[key]

    def value_words(self, facet: str) -> tuple[list[str], list[str]]:
        return self.live.facet_tables[facet].folded

    def rank(self, matches: Matches, sort: str, limit: int | None) -> list[tuple[int, float | None]]:
        return ranked(self.live, matches, sort, limit)

    def marked_terms(self, matches: Matches | str) -> frozenset[str]:
        if isinstance(matches, str):
            return highlight_terms(self.live.parse(matches).query, self.live.searcher)
        return highlight_terms(matches.parsed.query, self.live.searcher)

    def suggestion(self, matches: Matches, keep_last: bool = False) -> str | None:
        vocabulary = self.live.vocabulary
        return suggest(
            self.live.searcher.reader(),
            vocabulary,
            matches.parsed.text,
            lambda word, edits: similar_words(vocabulary, word, edits),
            keep_last=keep_last,
        )

    def documents(self, keys: Sequence[DocKey]) -> list[StoredDocument]:
        return [self._shown(self.live.searcher.stored_fields(doc)) for doc in keys]

    def _shown(self, fields: dict) -> StoredDocument:
        """A document's stored fields, its names merged as across the index."""
        return with_merged_names(stored_document(fields), self.live.facet_tables["person"].merges)

    def key_of(self, doc_id: str) -> int | None:
        return self.live.searcher.document_number(id=doc_id)

    def similar(self, key: DocKey, count: int) -> list[StoredDocument]:
        body = self.live.searcher.stored_fields(key).get("body", "")
        if not count or not body:
            return []
        alike = self.live.searcher.more_like(key, "body", text=body, top=count * 3)  # some may be versions
        return self.documents(self.live.versions.one_of_each((hit.docnum for hit in alike), besides=key)[:count])

    def group(self, key: DocKey) -> str | None:
        return self.live.versions.leader_id(key)

    def versions(self, key: DocKey, matches: Matches | None = None) -> tuple[int, ...]:
        others = self.live.versions.versions(key)
        return others if matches is None else tuple(other for other in others if other in matches.final)

    def distinct(self, matches: Matches) -> int:
        return self.live.versions.distinct(matches.final)

    def summary(self) -> dict:
        folder = self.live.folder
        manifest = read_manifest(folder)
        files = manifest.get("files", {})
        return {
            "index_dir": str(folder.parent),
            "generation": self.live.name,
            "built": manifest.get("built"),
            "source_dir": manifest.get("source_dir"),
            "documents": self.live.searcher.doc_count(),
            "version_groups": len(self.live.versions.members),  # groups of near-identical documents
            "versions": len(self.live.versions.grouped),  # the documents in them
            "files": len(files),
            "skipped_files": sum(1 for entry in files.values() if entry.get("skipped")),
            "fields": sorted(self.live.searcher.schema.names()),
            "size_bytes": sum(path.stat().st_size for path in folder.iterdir() if path.is_file()),
        }
