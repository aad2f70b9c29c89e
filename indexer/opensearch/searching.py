"""An index in an OpenSearch cluster, searched with the whoosh backend's query meanings and counts.

`indexer.search` and the other public functions build their pages over `backend.IndexReader`;
`OpenSearchIndex.reading()` gives them a `ServerReader` (reader.py). Here are the parts it is made
of: a search request as OpenSearch clauses, where the query alone decides what the aggregations
see, the facet selections and exclusions are a `post_filter` on the hits, and each facet is
counted in a filter aggregation with every selection but its own (disjunctive facets). Every
value of a facet is fetched, so counts and "top N of M" are exact and ties rank as in whoosh.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass
from functools import cached_property

from whoosh import query as wq

from ..backend import SearchRequest
from ..schema import FACET_FIELDS, STEMMED_FIELDS
from ..searching.collection import Aliases, renamed_values
from ..searching.completion import read_typed
from ..searching.highlight import analysed_word
from ..searching.matching import ANY_WORDS_BELOW, ANY_WORDS_MIN_WORDS, any_words_instead
from ..searching.query import ParsedQuery, parse_query, plain_words
from ..searching.timeline import UNDATED_DAY
from ..searching.vocabulary import VOCABULARY_FIELD
from .cluster import Cluster, ClusterError
from .names import MERGES_ID, read_merges
from .querydsl import date_filter, to_dsl
from .vocabulary import ServerTerms, ServerVocabulary

ALL_VALUES = 1_000_000  # a facet's buckets: every value, for exact counts
PARTIAL_NOTICE = "Part of the index did not answer: the results and counts may be incomplete."
# Documents per publication day, and the undated ones: what `count_timeline` draws.
TIMELINE = {
    "days": {"date_histogram": {"field": "date", "calendar_interval": "day", "min_doc_count": 1}},
    "undated": {"missing": {"field": "date"}},
}


@dataclass
class LiveIndex:
    """The live physical index, and what is read once from it."""

    physical: str
    vocabulary: ServerVocabulary
    merges: Aliases  # the index-wide merges of names (names.py)
    documents: int  # live documents

    @cached_property
    def terms(self) -> ServerTerms:
        """Its terms, for did-you-mean and completions."""
        return ServerTerms(self.vocabulary, self.documents)

    def parse(self, text: str, *, any_word: bool = False) -> ParsedQuery:
        return parse_query(text, self.vocabulary, any_word=any_word)

    def read(self, text: str, *, any_word: bool = False, as_you_type: bool = False) -> ParsedQuery:
        """The query as parsed; as you type, its unfinished last word stands for its completions."""
        return read_typed(self.parse, self.terms, self.vocabulary, text, any_word=any_word, as_you_type=as_you_type)

    @cached_property
    def renamed(self) -> dict[str, dict[str, str]]:
        """facet -> {a value merged into another of the facet: that value}."""
        return renamed_values(self.merges)


class OpenSearchIndex:
    """A seedsearch index in an OpenSearch cluster: the alias `index_name` at `url` (several
    nodes comma-separated). Pass it wherever the library takes an index folder."""

    def __init__(self, url: str, index_name: str):
        self.cluster = Cluster(url, index_name)
        self._live: LiveIndex | None = None
        self._live_key: tuple | None = None

    @property
    def alias(self) -> str:
        return self.cluster.index_name

    def live_index(self) -> str:
        """The physical index searched now; ClusterError when there is none."""
        physical = self.cluster.live_index()
        if physical is None:
            raise ClusterError(f"OpenSearch at {self.cluster.url} has no index {self.alias}: build it first")
        return physical

    def live(self) -> LiveIndex:
        """The live physical index with what is read once from it, read again after a rebuild or an
        update (which changes the stamp of the build's merges). One request: the merges' stamp
        names the physical index too."""
        client = self.cluster.client
        found = client.get(index=self.cluster.files_alias, id=MERGES_ID, _source=False, ignore=404)
        if found.get("found"):
            key = (found["_index"].removesuffix("-files"), found["_version"])
        else:
            key = (self.live_index(), None)  # a build without merges, or none: say which
        if self._live is None or self._live_key != key:
            physical = key[0]
            documents = client.count(index=physical)["count"]
            self._live = LiveIndex(
                physical, ServerVocabulary(client, physical), read_merges(client, physical), documents
            )
            self._live_key = key
        return self._live

    @contextlib.contextmanager
    def reading(self):
        """The live physical index as a `backend.IndexReader`; a rebuild meanwhile is not seen."""
        from .reader import ServerReader

        with self.cluster.errors():
            yield ServerReader(self, self.live())

    @contextlib.contextmanager
    def holding(self, reader):
        """Reading on with a reader from earlier (an export's later batches): its index is kept
        until the next-but-one build, and a search of a deleted one is a ClusterError."""
        with self.cluster.errors():
            yield

    def request(self, body: dict, index: str | None = None) -> dict:
        with self.cluster.errors():
            return self.cluster.client.search(index=index or self.alias, body=body)


def read_query(index: OpenSearchIndex, live: LiveIndex, request: SearchRequest) -> tuple[ParsedQuery, Clauses]:
    """The parsed query and its clauses; a long question that few documents answer with all of
    its words reads as any of them, as `searching.matching.match` reads it."""
    renamed, physical, as_you_type = live.renamed, live.physical, request.as_you_type
    parsed = live.read(request.query, any_word=request.any_word, as_you_type=as_you_type)
    clauses = Clauses(parsed.query, request, renamed)
    if not parsed.broadenable or len(plain_words(parsed.text)) < ANY_WORDS_MIN_WORDS:
        return parsed, clauses
    matching = count(index, physical, clauses.query)
    if matching >= ANY_WORDS_BELOW:
        return parsed, clauses
    broader = live.read(parsed.text, any_word=True, as_you_type=as_you_type)
    wider = Clauses(broader.query, request, renamed)
    if count(index, physical, wider.query) <= matching:
        return parsed, clauses
    return any_words_instead(parsed, broader, matching), wider


def count(index: OpenSearchIndex, physical: str, query: dict) -> int:
    """How many documents a query matches."""
    body = {"query": query, "size": 0, "track_total_hits": True}
    return index.request(body, physical)["hits"]["total"]["value"]


class Clauses:
    """A search request as OpenSearch clauses: the query, each selection, the exclusions. A value
    merged into another is found by either name (`renamed`: facet -> {old name: value})."""

    def __init__(self, parsed: wq.Query, request: SearchRequest, renamed: dict[str, dict[str, str]] | None = None):
        self.parsed = parsed
        self.query = to_dsl(parsed)
        self.renamed = renamed or {}
        self.selections = {name: self.having(name, values) for name, values in request.filters.items()}
        if request.date_from or request.date_to:
            self.selections["dates"] = date_filter(request.date_from, request.date_to)
        self.exclude = dict(request.exclude)
        self.excluded = [self.having(name, values) for name, values in self.exclude.items()]

    def value(self, facet: str, value: str) -> str:
        """The facet value as the index holds it: "Reagan" -> "Ronald Reagan"."""
        return self.renamed.get(facet, {}).get(value, value)

    def having(self, facet: str, values) -> dict:
        """Documents carrying any of the values."""
        return {"terms": {f"facets.{facet}": [self.value(facet, value) for value in values]}}

    def without(self, name: str | None, *, excluding: bool = True) -> dict:
        """Every selection but `name`'s (and the exclusions), as one filter."""
        clauses = [clause for other, clause in self.selections.items() if other != name]
        return {"bool": {"filter": clauses, "must_not": self.excluded if excluding else []}}

    def aggregations(self) -> dict:
        """Each facet's values without its own selection, what each excluded value hides, the days."""
        aggs = {}
        for name in FACET_FIELDS:
            field = f"facets.{name}"
            aggs[f"facet_{name}"] = {
                "filter": self.without(name),
                "aggs": {"values": {"terms": {"field": field, "size": ALL_VALUES}}},
            }
            for number, value in enumerate(self.exclude.get(name, ())):
                hiding = self.without(name, excluding=False)
                hiding["bool"]["filter"] = [*hiding["bool"]["filter"], {"term": {field: self.value(name, value)}}]
                aggs[f"hidden_{name}_{number}"] = {"filter": hiding}
        aggs["timeline"] = {"filter": self.without("dates"), "aggs": TIMELINE}
        return aggs

    def counting_body(self) -> dict:
        """One request for every count of a results page, and the total."""
        return {
            "query": self.query,
            "post_filter": self.without(None),
            "aggs": self.aggregations(),
            "size": 0,
            "track_total_hits": True,
        }

    def hits_body(self, sort: str, size: int) -> dict:
        """The first `size` hits in result order, with their stored documents."""
        return {
            "query": {"bool": {"must": [self.query], "filter": [self.without(None)]}},
            "sort": sort_order(sort, browsing=isinstance(self.parsed, wq.Every)),
            "size": size,
            "_source": ["stored"],
        }


def sort_order(sort: str, browsing: bool = False) -> list:
    """Relevance, or dates (undated last); an empty query lists the newest first. Ties by id."""
    if sort == "oldest":
        return [{"date": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
    if sort == "newest" or browsing:
        return [{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    return [{"_score": "desc"}, {"id": "asc"}]


def partial_notice(response: dict) -> str | None:
    """A notice when some shards did not answer (no copy of them on a live node): counts are short."""
    failed = response.get("_shards", {}).get("failed", 0)
    return PARTIAL_NOTICE if failed or response.get("timed_out") else None


def per_day(timeline: dict) -> dict[int, int]:
    """The timeline aggregation -> documents per day number (UNDATED_DAY for undated ones)."""
    days = {
        datetime.date.fromisoformat(bucket["key_as_string"][:10]).toordinal(): bucket["doc_count"]
        for bucket in timeline["days"]["buckets"]
    }
    if timeline["undated"]["doc_count"]:
        days[UNDATED_DAY] = timeline["undated"]["doc_count"]
    return days


def highlight_terms(query: wq.Query) -> frozenset[str]:
    """The words to mark, as `matching.highlight_terms` finds them: the query's terms in the
    stemmed fields, and the analysed forms of its exact words."""
    if isinstance(query, wq.Every):
        return frozenset()
    words = set()
    for leaf in query.leaves():
        texts = leaf.words if isinstance(leaf, wq.Phrase) else [getattr(leaf, "text", None)]
        for text in filter(None, texts):
            if leaf.fieldname in STEMMED_FIELDS:
                words.add(text)
            elif leaf.fieldname == VOCABULARY_FIELD:
                words.add(analysed_word(text))
    return frozenset(words - {None})
