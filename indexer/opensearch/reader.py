"""`backend.IndexReader` over one physical OpenSearch index: the library's pages over a cluster.

A match set carries the request's clauses. Matching runs one request with every aggregation a
results page needs (each facet without its own selection, what each excluded value hides, the
days, the total), kept with the match set; ranking runs the second, whose hits bring their stored
documents along. Document keys are the documents' ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from whoosh import query as wq

from ..backend import SearchRequest
from ..schema import StoredDocument
from ..searching.collection import with_merged_names
from ..searching.expansion import similar_words
from ..searching.query import ParsedQuery
from ..searching.suggest import suggest
from ..searching.valuesearch import folded_words
from .mapping import FILE_ENTRIES, analysed, stored
from .names import read_about
from .searching import ALL_VALUES, Clauses, highlight_terms, partial_notice, per_day, read_query

SIMILAR_TERMS = 25
BATCH = 1000  # hits a request reads when every match is wanted (exports)


@dataclass
class ServerMatches:
    """A request's matches: its parsed query and clauses, the page's counts, and the total."""

    parsed: ParsedQuery
    clauses: Clauses
    counted: dict  # the aggregations of the counting request
    total: int
    partial: str | None = None  # a notice when some shards did not answer
    complete: bool = True

    @property
    def query(self) -> str:
        return self.parsed.text

    @property
    def notice(self) -> str | None:
        return " ".join(filter(None, [self.parsed.notice, self.partial])) or None

    @property
    def broadenable(self) -> bool:
        return self.parsed.broadenable


class ServerReader:
    """One physical index of a cluster, pinned for the reader's life."""

    def __init__(self, index, live):
        self.index, self.live = index, live
        self.physical, self.merges = live.physical, live.merges
        self._documents: dict[str, StoredDocument] = {}  # brought back with the ranked hits

    def shown(self, source: dict) -> StoredDocument:
        """A hit's stored document, its names merged as across the index."""
        return with_merged_names(stored(source), self.merges)

    def search(self, body: dict) -> dict:
        return self.index.request(body, self.physical)

    def match(self, request: SearchRequest, seconds: float | None = None) -> ServerMatches:
        parsed, clauses = read_query(self.index, self.live, request)
        response = self.search(clauses.counting_body())
        total = response["hits"]["total"]["value"]
        return ServerMatches(parsed, clauses, response["aggregations"], total, partial_notice(response))

    def count(self, matches: ServerMatches, without: str | None = None) -> int:
        if without is None:
            return matches.total
        return matches.counted["timeline" if without == "dates" else f"facet_{without}"]["doc_count"]

    def facet_counts(self, matches: ServerMatches, facet: str) -> Counter:
        return buckets(matches.counted[f"facet_{facet}"]["values"])

    def value_counts(self, matches: ServerMatches, facet: str) -> Counter:
        if facet not in matches.clauses.selections:
            return self.facet_counts(matches, facet)  # the same documents
        body = {"query": matches.clauses.hits_body("relevance", 0)["query"], "size": 0, "aggs": values_of(facet)}
        return buckets(self.search(body)["aggregations"]["values"])

    def value_of(self, facet: str, value: str) -> str:
        return self.live.renamed.get(facet, {}).get(value, value)

    def excluded_counts(self, matches: ServerMatches, facet: str, values: Iterable[str]) -> dict[str, int]:
        hidden = matches.clauses.exclude.get(facet, ())
        return {value: matches.counted[f"hidden_{facet}_{hidden.index(value)}"]["doc_count"] for value in values}

    def day_counts(self, matches: ServerMatches) -> Counter:
        return Counter(per_day(matches.counted["timeline"]))

    def value_words(self, facet: str) -> tuple[list[str], list[str]]:
        values = sorted(buckets(self.search({"size": 0, "aggs": values_of(facet)})["aggregations"]["values"]))
        return values, [folded_words(value) for value in values]

    def rank(self, matches: ServerMatches, sort: str, limit: int | None) -> list[tuple[str, float | None]]:
        """The first `limit` hits (every one for None, a batch a request); a page's documents come
        with them and are kept for `documents`."""
        if not matches.total:
            return []
        scored = sort == "relevance" and not isinstance(matches.parsed.query, wq.Every)
        body = matches.clauses.hits_body(sort, size=min(limit or BATCH, BATCH))
        if limit is None:
            body["_source"] = False  # every match (an export): documents are read a batch at a time
        order = []
        while True:
            hits = self.search(body)["hits"]["hits"]
            for hit in hits:
                if "_source" in hit:
                    self._documents[hit["_id"]] = self.shown(hit["_source"])
                order.append((hit["_id"], hit["_score"] if scored else None))
            if len(hits) < body["size"] or (limit is not None and len(order) >= limit):
                return order[:limit]
            body = {**body, "search_after": hits[-1]["sort"]}

    def marked_terms(self, matches: ServerMatches | str) -> frozenset[str]:
        if isinstance(matches, str):
            return highlight_terms(read_query(self.index, self.live, SearchRequest(matches))[0].query)
        return highlight_terms(matches.parsed.query)

    def suggestion(self, matches: ServerMatches, keep_last: bool = False) -> str | None:
        vocabulary = self.live.vocabulary
        return suggest(
            self.live.terms,
            vocabulary,
            matches.parsed.text,
            lambda word, edits: similar_words(vocabulary, word, edits),
            keep_last=keep_last,
        )

    def documents(self, keys: Sequence[str]) -> list[StoredDocument]:
        missing = [key for key in keys if key not in self._documents]
        if missing:
            body = {"query": {"ids": {"values": missing}}, "size": len(missing), "_source": ["stored"]}
            for hit in self.search(body)["hits"]["hits"]:
                self._documents[hit["_id"]] = self.shown(hit["_source"])
        return [self._documents.pop(key) for key in keys]

    def key_of(self, doc_id: str) -> str | None:
        body = {"query": {"ids": {"values": [doc_id]}}, "size": 1, "_source": ["stored"]}
        hits = self.search(body)["hits"]["hits"]
        if not hits:
            return None
        self._documents[doc_id] = self.shown(hits[0]["_source"])
        return doc_id

    def similar(self, key: str, count: int) -> list[StoredDocument]:
        """OpenSearch's more-like-this on the body's terms (our analysis of the stored text)."""
        body_text = (self._documents.get(key) or self.documents([key])[0]).body
        if not count or not body_text:
            return []
        like = {"more_like_this": {"fields": ["body"], "like": analysed("body", body_text), "min_term_freq": 1,
                                   "max_query_terms": SIMILAR_TERMS, "min_doc_freq": 1}}  # fmt: skip
        body = {"query": {"bool": {"must": [like], "must_not": [{"ids": {"values": [key]}}]}}, "size": count,
                "_source": ["stored"]}  # fmt: skip
        return [self.shown(hit["_source"]) for hit in self.search(body)["hits"]["hits"]]

    # An OpenSearch build does not group near-identical versions yet: every document stands alone.
    def group(self, key: str) -> str | None:
        return None

    def versions(self, key: str, matches: ServerMatches | None = None) -> tuple[str, ...]:
        return ()

    def distinct(self, matches: ServerMatches) -> int:
        return matches.total

    def summary(self) -> dict:
        client, physical, files = self.index.cluster.client, self.physical, f"{self.physical}-files"
        sizes = client.indices.stats(index=f"{physical},{files}", metric="store")["_all"]
        about = read_about(client, physical)
        return {
            "index_dir": f"{self.index.cluster.url} (index {self.index.alias})",
            "generation": physical,
            "built": about.get("built"),
            "source_dir": about.get("source_dir"),
            "documents": self.live.documents,
            "version_groups": 0,
            "versions": 0,
            "files": client.count(index=files, body={"query": FILE_ENTRIES})["count"],
            "skipped_files": client.count(index=files, body={"query": {"exists": {"field": "skipped"}}})["count"],
            "fields": sorted(client.indices.get_mapping(index=physical)[physical]["mappings"]["properties"]),
            "size_bytes": sizes["primaries"]["store"]["size_in_bytes"],  # the replica doubles it on disk
        }


def values_of(facet: str) -> dict:
    """The aggregation of every value of a facet."""
    return {"values": {"terms": {"field": f"facets.{facet}", "size": ALL_VALUES}}}


def buckets(aggregation: dict) -> Counter:
    """A terms aggregation's documents per value."""
    return Counter({bucket["key"]: bucket["doc_count"] for bucket in aggregation["buckets"]})
