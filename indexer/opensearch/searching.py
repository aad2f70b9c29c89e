"""Query -> SearchPage over an OpenSearch index, with the meanings and counts of the whoosh backend.

One request per page: the query alone decides what the aggregations see; the facet selections
and exclusions are a `post_filter` on the hits, and each facet is counted in a filter
aggregation with every selection but its own (disjunctive facets). Every value of a facet is
fetched, so counts and "top N of M" are exact and ties rank as in the whoosh backend.
Snippets come from the same highlighter, on the stored text, with the same terms.
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Iterator, Mapping, Sequence

from whoosh import query as wq

from ..highlight import analysed_word, marked_html
from ..query import ParsedQuery, parse_query, plain_words
from ..schema import FACET_FIELDS, STEMMED_FIELDS
from ..search import (
    ANY_WORDS_BELOW,
    ANY_WORDS_MIN_WORDS,
    ANY_WORDS_NOTICE,
    MAX_PAGE_SIZE,
    DocnumHit,
    DocumentView,
    Facet,
    FacetValue,
    Hit,
    Relaxation,
    SearchPage,
    ValuePage,
    checked_filters,
    make_hit,
    most_common,
)
from ..timeline import UNDATED_DAY, count_timeline
from ..valuesearch import folded_words, matching_values
from ..vocabulary import VOCABULARY_FIELD
from .cluster import Cluster, ClusterError
from .mapping import analysed, stored_fields
from .querydsl import date_filter, to_dsl
from .vocabulary import ServerVocabulary

ALL_VALUES = 1_000_000  # a facet's buckets: every value, for exact counts
SIMILAR_TERMS = 25
PARTIAL_NOTICE = "Part of the index did not answer: the results and counts may be incomplete."
# Documents per publication day, and the undated ones: what `count_timeline` draws.
TIMELINE = {
    "days": {"date_histogram": {"field": "date", "calendar_interval": "day", "min_doc_count": 1}},
    "undated": {"missing": {"field": "date"}},
}


class OpenSearchIndex:
    """A seedsearch index in an OpenSearch cluster: the alias `index_name` at `url`."""

    def __init__(self, url: str, index_name: str):
        self.cluster = Cluster(url, index_name)
        self._vocabularies: dict[str, ServerVocabulary] = {}

    @property
    def alias(self) -> str:
        return self.cluster.index_name

    def vocabulary(self) -> ServerVocabulary:
        """The live physical index's vocabulary (a new one after each build)."""
        physical = self.cluster.live_index()
        if physical is None:
            raise ClusterError(f"OpenSearch at {self.cluster.url} has no index {self.alias}: build it first")
        if physical not in self._vocabularies:
            self._vocabularies = {physical: ServerVocabulary(self.cluster.client, physical)}
        return self._vocabularies[physical]

    # The public functions (indexer.search, ...) hand an index like this one to these methods.
    def search(self, query: str = "", **options) -> SearchPage:
        return search(self, query, **options)

    def find_values(self, facet: str, text: str, query: str = "", **options) -> ValuePage:
        return find_values(self, facet, text, query, **options)

    def get_document(self, doc_id: str, query: str = "", similar: int = 5) -> DocumentView | None:
        return get_document(self, doc_id, query, similar)

    def iter_hits(self, query: str = "", **options) -> Iterator[Hit]:
        return iter_hits(self, query, **options)

    def stats(self, top: int = 5) -> dict:
        return index_stats(self, top)

    def get_entity(self, facet: str, value: str, *, top: int = 10, latest: int = 10):
        return get_entity(self, facet, value, top=top, latest=latest)

    def request(self, body: dict, **options) -> dict:
        with self.cluster.errors():
            return self.cluster.client.search(index=self.alias, body=body, **options)


def search(
    index: OpenSearchIndex,
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
    """`indexer.search` over OpenSearch: the same arguments, the same SearchPage."""
    started = time.perf_counter()
    filters, exclude = checked_filters(filters, sort), checked_filters(exclude, sort)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    parsed, request = read_query(index, query, filters, date_from, date_to, exclude)
    page = max(1, page)
    response = index.request(request.body(sort, page, page_size))
    total = response["hits"]["total"]["value"]
    page_count = max(1, math.ceil(total / page_size))
    if page > page_count:  # past the end: the last page
        page = page_count
        response = index.request(request.body(sort, page, page_size))
    aggregations = response["aggregations"]
    terms = highlight_terms(parsed.query)
    hits = tuple(as_hit(hit, terms, sort, parsed.query, snippets) for hit in response["hits"]["hits"])
    facets = tuple(count_facet(name, aggregations, filters, exclude, facet_size) for name in FACET_FIELDS)
    relaxations = relax(index, request, parsed, aggregations, filters) if total == 0 else ()
    return SearchPage(
        query=parsed.text,
        total=total,
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
        notice=" ".join(filter(None, [parsed.notice, partial_notice(response)])) or None,
        relaxations=tuple(relaxations),
        exclusions=exclude,
        timeline=count_timeline(per_day(aggregations["timeline"]), date_from, date_to),
    )


def read_query(index: OpenSearchIndex, query: str, filters, date_from, date_to, exclude) -> tuple:
    """The parsed query and its Request; a long question that few documents answer with all of
    its words reads as any of them, as in `search.match`."""
    vocabulary = index.vocabulary()
    parsed = parse_query(query, vocabulary)
    request = Request(parsed.query, filters, date_from, date_to, exclude)
    if not parsed.broadenable or len(plain_words(parsed.text)) < ANY_WORDS_MIN_WORDS:
        return parsed, request
    matching = count(index, request.query)
    if matching >= ANY_WORDS_BELOW:
        return parsed, request
    broader = parse_query(query, vocabulary, any_word=True)
    wider = Request(broader.query, filters, date_from, date_to, exclude)
    if count(index, wider.query) <= matching:
        return parsed, request
    notice = ANY_WORDS_NOTICE.format(have=f"Only {matching}" if matching else "None")
    notice = " ".join(filter(None, [parsed.notice, notice]))
    return ParsedQuery(broader.query, parsed.text, notice, parsed.plain, broadenable=True), wider


def count(index: OpenSearchIndex, query: dict) -> int:
    """How many documents a query matches."""
    return index.request({"query": query, "size": 0, "track_total_hits": True})["hits"]["total"]["value"]


def partial_notice(response: dict) -> str | None:
    """A notice when some shards did not answer (no copy of them on a live node): counts are short."""
    failed = response.get("_shards", {}).get("failed", 0)
    return PARTIAL_NOTICE if failed or response.get("timed_out") else None


class Request:
    """A search's parts as OpenSearch clauses: the query, each selection, the exclusions."""

    def __init__(self, parsed: wq.Query, filters, date_from, date_to, exclude):
        self.parsed = parsed
        self.query = to_dsl(parsed)
        self.selections = {name: {"terms": {f"facets.{name}": list(values)}} for name, values in filters.items()}
        if date_from or date_to:
            self.selections["dates"] = date_filter(date_from, date_to)
        self.excluded = [{"terms": {f"facets.{name}": list(values)}} for name, values in exclude.items()]
        self.exclude = exclude

    def without(self, name: str | None, *, excluding: bool = True) -> dict:
        """Every selection but `name`'s (and the exclusions), as one filter."""
        clauses = [clause for other, clause in self.selections.items() if other != name]
        return {"bool": {"filter": clauses, "must_not": self.excluded if excluding else []}}

    def aggregations(self) -> dict:
        aggs = {}
        for name in FACET_FIELDS:
            field = f"facets.{name}"
            aggs[f"facet_{name}"] = {
                "filter": self.without(name),
                "aggs": {"values": {"terms": {"field": field, "size": ALL_VALUES}}},
            }
            for number, value in enumerate(self.exclude.get(name, ())):
                hiding = self.without(name, excluding=False)
                hiding["bool"]["filter"] = [*hiding["bool"]["filter"], {"term": {field: value}}]
                aggs[f"hidden_{name}_{number}"] = {"filter": hiding}
        aggs["timeline"] = {
            "filter": self.without("dates"),
            "aggs": TIMELINE,
        }
        return aggs

    def body(self, sort: str, page: int, page_size: int) -> dict:
        return {
            "query": self.query,
            "post_filter": self.without(None),
            "aggs": self.aggregations(),
            "sort": sort_order(sort, browsing=isinstance(self.parsed, wq.Every)),
            "from": (page - 1) * page_size,
            "size": page_size,
            "track_total_hits": True,
            "_source": ["stored"],
        }


def sort_order(sort: str, browsing: bool = False) -> list:
    """Relevance, or dates (undated last); an empty query lists the newest first. Ties by id."""
    if sort == "oldest":
        return [{"date": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
    if sort == "newest" or browsing:
        return [{"date": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    return [{"_score": "desc"}, {"id": "asc"}]


def count_facet(name: str, aggregations: dict, filters, exclude, size: int) -> Facet:
    """A facet's values as `search.count_facet` shows them: top by count (years newest first),
    selected and excluded values wherever they rank; an excluded value counts what it hides."""
    buckets = aggregations[f"facet_{name}"]["values"]["buckets"]
    counts = {bucket["key"]: bucket["doc_count"] for bucket in buckets}
    selected, dropped = set(filters.get(name, ())), list(exclude.get(name, ()))
    top = sorted(counts, reverse=True)[:size] if name == "year" else most_common(counts, size)
    shown = top + sorted((selected | set(dropped)) - set(top))
    hidden = {value: aggregations[f"hidden_{name}_{number}"]["doc_count"] for number, value in enumerate(dropped)}
    values = tuple(
        FacetValue(value, hidden[value], value in selected, True)
        if value in hidden
        else FacetValue(value, counts.get(value, 0), value in selected)
        for value in shown
    )
    return Facet(name, values, len(counts))


def per_day(timeline: dict) -> dict[int, int]:
    """The timeline aggregation -> documents per day number (UNDATED_DAY for undated ones)."""
    days = {
        datetime.date.fromisoformat(bucket["key_as_string"][:10]).toordinal(): bucket["doc_count"]
        for bucket in timeline["days"]["buckets"]
    }
    if timeline["undated"]["doc_count"]:
        days[UNDATED_DAY] = timeline["undated"]["doc_count"]
    return days


def relax(index: OpenSearchIndex, request: Request, parsed, aggregations: dict, filters) -> list[Relaxation]:
    """Zero results: what searching any of the words, or dropping each filter, would find."""
    ways = []
    words = plain_words(parsed.text)
    if 1 < len(words) < ANY_WORDS_MIN_WORDS and parsed.broadenable:
        broader = to_dsl(parse_query(parsed.text, index.vocabulary(), any_word=True).query)
        total = count(index, {"bool": {"must": [broader], "filter": [request.without(None)]}})
        if total:
            ways.append(Relaxation("any_words", total, query=" OR ".join(words)))
    for name, values in filters.items():
        total = aggregations[f"facet_{name}"]["doc_count"]
        if len(values) == 1 and total:
            ways.append(Relaxation("drop_filter", total, name, values[0]))
    if "dates" in request.selections and aggregations["timeline"]["doc_count"]:
        ways.append(Relaxation("drop_dates", aggregations["timeline"]["doc_count"]))
    return ways


def highlight_terms(query: wq.Query) -> frozenset[str]:
    """The words to mark, as `search.highlight_terms` finds them: the query's terms in the stemmed
    fields, and the analysed forms of its exact words."""
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


def as_hit(hit: dict, terms: frozenset[str], sort: str, query, snippets: bool = True) -> Hit:
    scored = sort == "relevance" and not isinstance(query, wq.Every) and hit.get("_score") is not None
    return make_hit(DocnumHit(0, stored_fields(hit["_source"])), terms, hit["_score"] if scored else None, snippets)


def find_values(
    index: OpenSearchIndex,
    facet: str,
    text: str,
    query: str = "",
    *,
    filters=None,
    date_from=None,
    date_to=None,
    exclude=None,
    offset: int = 0,
    limit: int = 50,
) -> ValuePage:
    """`indexer.find_values` over OpenSearch."""
    if facet not in FACET_FIELDS:
        raise ValueError(f"unknown facet: {facet}")
    filters, exclude = checked_filters(filters, "relevance"), checked_filters(exclude, "relevance")
    _, request = read_query(index, query, filters, date_from, date_to, exclude)
    aggs = {
        "values": {
            "filter": request.without(facet),
            "aggs": {"values": {"terms": {"field": f"facets.{facet}", "size": ALL_VALUES}}},
        }
    }
    response = index.request({"query": request.query, "size": 0, "aggs": aggs})
    counts = {bucket["key"]: bucket["doc_count"] for bucket in response["aggregations"]["values"]["values"]["buckets"]}
    values = matching_values(counts, (list(counts), [folded_words(value) for value in counts]), text)
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, min(offset, (len(values) - 1) // limit * limit if values else 0))
    selected, dropped = set(filters.get(facet, ())), set(exclude.get(facet, ()))
    page = tuple(FacetValue(v, counts[v], v in selected, v in dropped) for v in values[offset : offset + limit])
    return ValuePage(facet, text, page, len(values), offset, limit)


def get_document(index: OpenSearchIndex, doc_id: str, query: str = "", similar: int = 5) -> DocumentView | None:
    """`indexer.get_document` over OpenSearch; similar documents by OpenSearch's more-like-this on the body's terms."""
    response = index.request({"query": {"term": {"id": doc_id}}, "size": 1, "_source": ["stored"]})
    if not response["hits"]["hits"]:
        return None
    fields = stored_fields(response["hits"]["hits"][0]["_source"])
    terms = highlight_terms(parse_query(query, index.vocabulary()).query) if query else frozenset()
    hit = make_hit(DocnumHit(0, fields), terms, None)
    body = fields.get("body", "")
    alike = []
    if similar and body:
        like = {"more_like_this": {"fields": ["body"], "like": analysed("body", body), "min_term_freq": 1,
                                   "max_query_terms": SIMILAR_TERMS, "min_doc_freq": 1}}  # fmt: skip
        found = index.request({"query": {"bool": {"must": [like], "must_not": [{"term": {"id": doc_id}}]}},
                               "size": similar, "_source": ["stored"]})  # fmt: skip
        alike = [
            make_hit(DocnumHit(0, stored_fields(other["_source"])), frozenset(), None)
            for other in found["hits"]["hits"]
        ]
    return DocumentView(
        hit=hit,
        body_html=marked_html(body, terms),
        path=fields.get("path", doc_id),
        author=fields.get("author"),
        dates_mentioned=tuple(datetime.date.fromisoformat(d) for d in fields.get("dates_mentioned") or ()),
        similar=tuple(alike),
    )


def iter_hits(
    index: OpenSearchIndex,
    query: str = "",
    *,
    filters=None,
    date_from=None,
    date_to=None,
    sort: str = "relevance",
    batch_size: int = 500,
    exclude=None,
) -> Iterator[Hit]:
    """Every hit of a search in result order, without snippets (`indexer.iter_hits` over OpenSearch).
    The first batch is read now, so that an unreachable cluster raises before anything is sent."""
    filters, exclude = checked_filters(filters, sort), checked_filters(exclude, sort)
    read, request = read_query(index, query, filters, date_from, date_to, exclude)
    parsed = read.query
    body = {"query": {"bool": {"must": [request.query], "filter": [request.without(None)]}}, "size": batch_size,
            "sort": sort_order(sort, browsing=isinstance(parsed, wq.Every)), "_source": ["stored"]}  # fmt: skip
    first = index.request(body)["hits"]["hits"]

    def batches() -> Iterator[Hit]:
        hits = first
        while hits:
            yield from (as_hit(hit, frozenset(), sort, parsed, snippets=False) for hit in hits)
            if len(hits) < batch_size:
                return
            hits = index.request({**body, "search_after": hits[-1]["sort"]})["hits"]["hits"]

    return batches()


def get_entity(index: OpenSearchIndex, facet: str, value: str, *, top: int = 10, latest: int = 10):
    """`indexer.entities.get_entity` over OpenSearch: one request, counted by aggregations."""
    from ..entities import NAME_FACETS, EntityView

    if facet not in FACET_FIELDS:
        raise ValueError(f"unknown facet: {facet}")
    aggs = {name: {"terms": {"field": f"facets.{name}", "size": ALL_VALUES}} for name in NAME_FACETS}
    aggs["timeline"] = {"filter": {"match_all": {}}, "aggs": TIMELINE}
    body = {"query": {"term": {f"facets.{facet}": value}}, "size": latest, "sort": sort_order("newest"),
            "aggs": aggs, "track_total_hits": True, "_source": ["stored"]}  # fmt: skip
    response = index.request(body)
    total = response["hits"]["total"]["value"]
    if not total:
        return None
    named_with = {}
    for name in NAME_FACETS:
        counts = {bucket["key"]: bucket["doc_count"] for bucket in response["aggregations"][name]["buckets"]}
        if name == facet:
            counts.pop(value, None)
        named_with[name] = tuple((other, counts[other]) for other in most_common(counts, top))
    hits = tuple(as_hit(hit, frozenset(), "newest", None, snippets=False) for hit in response["hits"]["hits"])
    return EntityView(
        facet, value, total, count_timeline(per_day(response["aggregations"]["timeline"])), named_with, hits
    )


def index_stats(index: OpenSearchIndex, top: int = 5) -> dict:
    """`indexer.index_stats` over OpenSearch: documents, files, top facet values, size of the primaries."""
    cluster = index.cluster
    with cluster.errors():
        return read_stats(index, cluster, top)


def read_stats(index: OpenSearchIndex, cluster: Cluster, top: int) -> dict:
    physical = cluster.live_index()
    if physical is None:
        raise ClusterError(f"OpenSearch at {cluster.url} has no index {index.alias}: build it first")
    aggs = {name: {"terms": {"field": f"facets.{name}", "size": ALL_VALUES}} for name in FACET_FIELDS}
    response = index.request({"size": 0, "aggs": aggs, "track_total_hits": True})
    facets = {}
    for name in FACET_FIELDS:
        buckets = sorted(response["aggregations"][name]["buckets"], key=lambda b: (-b["doc_count"], b["key"]))
        facets[name] = {
            "values": len(buckets),
            "top": [{"value": b["key"], "count": b["doc_count"]} for b in buckets[:top]],
        }
    files = cluster.client.count(index=cluster.files_alias)["count"]
    skipped = cluster.client.count(index=cluster.files_alias, body={"query": {"exists": {"field": "skipped"}}})["count"]
    sizes = cluster.client.indices.stats(index=f"{physical},{physical}-files", metric="store")["_all"]["primaries"]
    return {
        "index_dir": f"{cluster.url} (index {index.alias})",
        "generation": physical,
        "documents": response["hits"]["total"]["value"],
        "files": files,
        "skipped_files": skipped,
        "fields": sorted(cluster.client.indices.get_mapping(index=physical)[physical]["mappings"]["properties"]),
        "facets": facets,
        "size_bytes": sizes["store"]["size_in_bytes"],
    }
