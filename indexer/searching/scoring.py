"""Word and phrase queries matched and scored from postings read a block at a time, not through whoosh's matchers.

Whoosh evaluates an AND of multi-field ORs one posting at a time through a tree of matchers,
several Python calls per posting per node: two common words take ~35 ms on 13.6k documents.
A query whose leaves are all terms under And and Or nodes matches the set algebra of its
leaves' documents, and scores, for a matching document, the sum over the leaves it contains
of boost x BM25F: the same figure whoosh computes (to float rounding), from postings decoded
a block at a time and kept per index generation. Whoosh's coordination bonus on a top-level
Or (any-word queries) is applied the same way. A phrase leaf matches the documents holding
all its words (set algebra again) whose positions put the words in order; whoosh's span
matchers would step through every such document one posting at a time (240 ms for
"mln shares" on 95k documents). Other queries (prefixes, NOT, ranges, phrases under a
coordinated Or) return None here and are left to whoosh.

Reads whoosh 2.7's block matcher internals (`_read_ids`, `_read_weights`, `_read_values`,
`_next_block`); positions are decoded by `formats`. Tests compare every score with whoosh's
own on real queries, so an upgrade that changes them fails loudly.
"""

from __future__ import annotations

import bisect
import heapq
import math
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy
from whoosh import query as wq
from whoosh import scoring as whoosh_scoring

from ..storage.blocks import Postings, read_postings
from ..storage.codec import field_lengths
from ..storage.formats import decode_positions

MAX_CACHED_POSTINGS = 2_000_000  # ~16 MB of ids and weights per generation
MAX_CACHED_POSITIONS = 300_000  # postings with their positions (~20 MB), for phrases
MAX_CACHED_PHRASES = 64


class BM25F(whoosh_scoring.BM25F):
    """Whoosh's BM25F with the probabilistic idf (Robertson and Sparck Jones, kept positive as
    Lucene does): log(1 + (N - n + 0.5) / (n + 0.5)) for a word in n of N documents.

    Whoosh's own idf, log(N / (n + 1)) + 1, gives a word in every document a weight of at least
    1, a sixth of the rarest word's in a thousand documents: in a long question the common words
    ("information", "system") outvote the few that name its topic. Here they weigh next to nothing.
    """

    def idf(self, searcher, fieldname, text):
        n = searcher.doc_frequency(fieldname, text)
        total = searcher.doc_count_all()
        return math.log(1 + (total - n + 0.5) / (n + 0.5))


@dataclass(frozen=True)
class Leaf:
    """A term of the query with the product of the boosts on its path from the root."""

    fieldname: str
    text: str
    boost: float


@dataclass(frozen=True)
class PhraseLeaf:
    """A phrase of the query: its words in one field, at most `slop` positions apart, in order."""

    fieldname: str
    words: tuple[str, ...]
    slop: int
    boost: float


@dataclass(frozen=True)
class Excluded:
    """A NOT under the query's top-level And (or the query itself): whoosh's matcher for the
    documents without it scores each of them a constant `boost`."""

    boost: float


@dataclass(frozen=True)
class TermTree:
    """A query of terms and phrases under And/Or: its leaves, and its coordination scale (top-level Or only)."""

    query: wq.Query
    leaves: tuple[Leaf | PhraseLeaf | Excluded, ...]
    scale: float | None


def term_tree(query: wq.Query) -> TermTree | None:
    """The query as a TermTree, or None when it has anything but terms, phrases, And and Or
    (or phrases under a coordinated Or), and NOT at its top or under its top-level And."""
    scale = query.scale if isinstance(query, wq.Or) else None
    leaves = []
    negatable = [query, *query.subqueries] if type(query) is wq.And else [query]

    def walk(node: wq.Query, boost: float, scored: bool = True) -> bool:
        if isinstance(node, wq.Term):
            if scored:
                leaves.append(Leaf(node.fieldname, node.text, boost * node.boost))
            return True
        if type(node) is wq.Phrase and len(node.words) > 1 and not scale:
            if scored:
                leaves.append(PhraseLeaf(node.fieldname, tuple(node.words), node.slop, boost * node.boost))
            return True
        if type(node) is wq.Not and scored and any(node is part for part in negatable):
            leaves.append(Excluded(boost))  # whoosh's inverse matcher: 1 for each document, its own boost unused
            return walk(node.query, boost, scored=False)
        if type(node) is wq.And or (type(node) is wq.Or and not node.minmatch and (node is query or not node.scale)):
            return all(walk(child, boost * node.boost, scored) for child in node.subqueries)
        return False

    return TermTree(query, tuple(leaves), scale) if walk(query, 1.0) else None


class PostingScorer:
    """Matching and BM25F scoring of term trees over one open generation (not thread-safe)."""

    def __init__(self, searcher, live_docs: frozenset[int]):
        self.searcher = searcher
        self.live_docs = live_docs
        weighting = searcher.weighting
        self.k1 = weighting.K1
        self.b_of = lambda fieldname: weighting._field_B.get(fieldname, weighting.B)
        self.leaf_searchers = searcher.leaf_searchers()  # (segment's searcher, its first document number)
        self.segments = [(leaf.reader(), offset) for leaf, offset in self.leaf_searchers]
        self.offsets = [offset for _, offset in self.segments]
        self._postings = PostingsCache(MAX_CACHED_POSTINGS)
        self._positions = PostingsCache(MAX_CACHED_POSITIONS)
        self._phrases: OrderedDict[tuple[str, tuple[str, ...], int], dict[int, float]] = OrderedDict()
        self._norms: dict[str, list[array]] = {}

    def matching(self, tree: TermTree) -> set[int]:
        """The live documents the tree matches."""

        def docs(node: wq.Query) -> set[int]:
            if isinstance(node, wq.Term):
                return self.doc_set(node.fieldname, node.text)
            if isinstance(node, wq.Phrase):
                return set(self.phrase_matches(node.fieldname, tuple(node.words), node.slop))
            if isinstance(node, wq.Not):
                return self.live_docs - docs(node.query)
            parts = [docs(child) for child in node.subqueries if not isinstance(child, wq.Not)]
            excluded = [docs(child.query) for child in node.subqueries if isinstance(child, wq.Not)]
            if not parts:
                return self.live_docs - set().union(*excluded) if excluded else set()
            if isinstance(node, wq.And):
                parts.sort(key=len)
                return parts[0].intersection(*parts[1:]).difference(*excluded)
            return set().union(*parts)

        return docs(tree.query) & self.live_docs

    def scores(self, tree: TermTree, docs: set[int]) -> dict[int, float]:
        """{document: score} for each of `docs` (documents the tree matches).

        Each leaf's postings add to one array over every document, a segment at a time in numpy
        (the same float operations, in the same order, as one posting at a time in Python).
        """
        totals = numpy.zeros(self.searcher.doc_count_all())
        matched = numpy.zeros(len(totals), dtype=numpy.int32) if tree.scale else None
        existing = [0] * len(self.segments)
        for leaf in tree.leaves:
            if isinstance(leaf, Excluded):
                totals += leaf.boost
            elif isinstance(leaf, PhraseLeaf):
                for doc, score in self.phrase_matches(leaf.fieldname, leaf.words, leaf.slop).items():
                    totals[doc] += leaf.boost * score
            elif (leaf.fieldname, leaf.text) in self.searcher.reader():
                weight = leaf.boost * self.searcher.idf(leaf.fieldname, leaf.text) * (self.k1 + 1)
                postings = zip(self.postings(leaf.fieldname, leaf.text), self.norms(leaf.fieldname), self.offsets)
                for segment, ((ids, tfs, _), norm, offset) in enumerate(postings):
                    if not ids:
                        continue
                    existing[segment] += 1
                    local = numpy.frombuffer(ids, dtype=numpy.intc)
                    tf = numpy.frombuffer(tfs, dtype=numpy.float64)
                    totals[local + offset] += weight * tf / (tf + numpy.frombuffer(norm)[local])
                    if matched is not None:
                        matched[local + offset] += 1
        wanted = list(docs)
        at = numpy.fromiter(wanted, dtype=numpy.int64, count=len(wanted))
        scores = dict(zip(wanted, totals[at].tolist()))
        if tree.scale:
            scores = self._coordinated(tree.scale, scores, dict(zip(wanted, matched[at].tolist())), existing)
        return scores

    def _coordinated(self, scale, totals, matched, existing) -> dict[int, float]:
        """Whoosh's CoordMatcher bonus for matching more of the terms (counted per segment)."""
        result = {}
        for doc, score in totals.items():
            termcount = existing[self.segment_of(doc)]
            if termcount in (0, scale):
                result[doc] = 0.0
                continue
            result[doc] = (score + (matched[doc] - 1) / (termcount - scale) ** 2) * ((termcount - 1) / termcount)
        return result

    def scores_at(self, query: wq.Query, docs: Iterable[int]) -> dict[int, float]:
        """{document: score} of a query at those of `docs` it matches: for a few candidates.

        Sloppy phrases (one, or an Or of them: the proximity bonus) are checked at each
        candidate's positions; whoosh's own phrase matcher would decode the positions of
        every document holding all the words on its way from one candidate to the next.
        """
        by_segment: dict[int, list[int]] = {}
        for doc in sorted(docs):
            by_segment.setdefault(self.segment_of(doc), []).append(doc)
        phrases = [query] if isinstance(query, wq.Phrase) else list(query.subqueries) if type(query) is wq.Or else []
        if phrases and all(isinstance(phrase, wq.Phrase) for phrase in phrases):
            outer = 1.0 if isinstance(query, wq.Phrase) else query.boost
            scores: dict[int, float] = {}
            for phrase in phrases:
                for doc, score in self._phrase_scores(phrase, by_segment):
                    scores[doc] = scores.get(doc, 0.0) + score * outer
            return scores
        context = self.searcher.context()
        scores = {}
        for segment, wanted in by_segment.items():
            leaf, offset = self.leaf_searchers[segment]
            matcher = query.matcher(leaf, context)
            for doc in wanted:
                if not matcher.is_active():
                    break
                matcher.skip_to(doc - offset)
                if matcher.is_active() and matcher.id() == doc - offset:
                    scores[doc] = matcher.score()
        return scores

    def _phrase_scores(self, phrase: wq.Phrase, by_segment: dict[int, list[int]]):
        """(document, score) where the phrase's words stand in order, each at most `slop` positions
        after the one before; the score is whoosh's: the words' BM25F in the field, times the boost."""
        fieldname, words = phrase.fieldname, list(phrase.words)
        if not words or any((fieldname, word) not in self.searcher.reader() for word in words):
            return
        k1 = self.k1
        weights = [self.searcher.idf(fieldname, word) * (k1 + 1) * phrase.boost for word in words]
        norms = self.norms(fieldname)
        for segment, wanted in by_segment.items():
            reader, offset = self.segments[segment]
            if any((fieldname, word) not in reader for word in words):
                continue
            matchers = [reader.postings(fieldname, word) for word in words]
            for doc in wanted:
                found = positions_at(matchers, doc - offset)
                if found is None:
                    if not all(matcher.is_active() for matcher in matchers):
                        break
                    continue
                if in_order_within(phrase.slop, [positions for positions, _ in found]):
                    norm = norms[segment][doc - offset]
                    yield doc, sum(weight * tf / (tf + norm) for weight, (_, tf) in zip(weights, found))

    def segment_of(self, doc: int) -> int:
        return bisect.bisect_right(self.offsets, doc) - 1

    def doc_set(self, fieldname: str, text: str) -> set[int]:
        docs = set()
        for (ids, _, _), (_, offset) in zip(self.postings(fieldname, text), self.segments):
            docs.update(ids if not offset else (doc + offset for doc in ids))
        return docs

    def postings(self, fieldname: str, text: str) -> list[Postings]:
        """Per segment, the term's document numbers and term frequencies (empty where absent)."""
        return self._postings.get(
            (fieldname, text), lambda: [read_postings(reader, fieldname, text) for reader, _ in self.segments]
        )

    def positions(self, fieldname: str, text: str) -> list[Postings]:
        """Per segment, the term's postings with their encoded positions."""
        return self._positions.get(
            (fieldname, text), lambda: [read_postings(reader, fieldname, text, True) for reader, _ in self.segments]
        )

    def phrase_matches(self, fieldname: str, words: tuple[str, ...], slop: int) -> dict[int, float]:
        """{document: the phrase's score there, before boosts} for each document holding the phrase:
        whoosh's figure, the BM25F of its words in the field."""
        key = (fieldname, words, slop)
        found = self._phrases.get(key)
        if found is None:
            found = self._phrases[key] = dict(self._find_phrase(fieldname, words, slop))
            if len(self._phrases) > MAX_CACHED_PHRASES:
                self._phrases.popitem(last=False)
        return found

    def _find_phrase(self, fieldname: str, words: tuple[str, ...], slop: int):
        if any((fieldname, word) not in self.searcher.reader() for word in words):
            return
        k1 = self.k1
        weights = [self.searcher.idf(fieldname, word) * (k1 + 1) for word in words]
        norms = self.norms(fieldname)
        per_word = [self.positions(fieldname, word) for word in words]
        for segment, (_, offset) in enumerate(self.segments):
            postings = [word_postings[segment] for word_postings in per_word]
            ids = [found.ids for found in postings]
            if not all(ids):
                continue
            candidates = set(min(ids, key=len)).intersection(*ids)
            norm = norms[segment]
            for doc in candidates:
                at = [bisect.bisect_left(found.ids, doc) for found in postings]
                positions = [decode_positions(found.values[i]) for found, i in zip(postings, at)]
                if in_order_within(slop, positions):
                    tfs = [found.weights[i] for found, i in zip(postings, at)]
                    yield doc + offset, sum(weight * tf / (tf + norm[doc]) for weight, tf in zip(weights, tfs))

    def norms(self, fieldname: str) -> list[array]:
        """Per segment and document, BM25's length normalisation K1 x (1 - B + B x length / average)."""
        norms = self._norms.get(fieldname)
        if norms is None:
            average = self.searcher.avg_field_length(fieldname) or 1
            b, k1 = self.b_of(fieldname), self.k1
            norms = [
                array("d", (k1 * (1 - b + b * length / average) for length in field_lengths(reader, fieldname)))
                for reader, _ in self.segments
            ]
            self._norms[fieldname] = norms
        return norms


def positions_at(matchers, doc: int) -> list[tuple[list[int], float]] | None:
    """Each term's positions and frequency in `doc`, or None unless every term occurs there."""
    found = []
    for matcher in matchers:
        if not matcher.is_active():
            return None
        matcher.skip_to(doc)
        if not matcher.is_active() or matcher.id() != doc:
            return None
        found.append((matcher.value_as("positions"), matcher.weight()))
    return found


def in_order_within(slop: int, positions: list[list[int]]) -> bool:
    """True if one position per list rises from list to list by 1 to `slop` each step."""
    reachable = set(positions[0])
    for following in positions[1:]:
        if slop == 1:  # an exact phrase: each word right after the one before
            reachable = {q + 1 for q in reachable}.intersection(following)
        else:
            reachable = {p for p in following if any(1 <= p - q <= slop for q in reachable)}
        if not reachable:
            return False
    return True


class PostingsCache:
    """Terms' postings, least recently used dropped first once they hold over `budget` postings."""

    def __init__(self, budget: int):
        self.budget = budget
        self.held = 0
        self.entries: OrderedDict[tuple[str, str], list[Postings]] = OrderedDict()

    def get(self, key: tuple[str, str], read: Callable[[], list[Postings]]) -> list[Postings]:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
            return entry
        entry = self.entries[key] = read()
        self.held += sum(len(found.ids) for found in entry)
        while self.held > self.budget and len(self.entries) > 1:
            _, evicted = self.entries.popitem(last=False)
            self.held -= sum(len(found.ids) for found in evicted)
        return entry


def top(scores: dict[int, float], limit: int | None) -> list[tuple[int, float]]:
    """(document, score) best first, ties in document order."""
    if limit is not None and len(scores) > limit:
        lowest = heapq.nlargest(limit, scores.values())[-1]  # plain floats: compared in C
        return sorted(((doc, score) for doc, score in scores.items() if score >= lowest), key=best_first)[:limit]
    return sorted(scores.items(), key=best_first)


def best_first(item: tuple[int, float]) -> tuple[float, int]:
    return -item[1], item[0]
