"""The vocabulary the query parser expands patterns and fuzzy words against, read from the cluster.

A field's terms and document frequencies come from a composite aggregation over the field (read
once per physical index and field, on the first pattern that needs it), so `sign*` stands for
the same most frequent words as in the whoosh backend.
"""

from __future__ import annotations

from ..searching.vocabulary import FieldTerms, Vocabulary
from .mapping import SCHEMA

PAGE = 10_000


class ServerVocabulary(Vocabulary):
    """A Vocabulary over one physical OpenSearch index."""

    def __init__(self, client, physical: str):
        super().__init__(reader=None)
        self._client, self._physical = client, physical

    def field(self, fieldname: str) -> FieldTerms:
        with self._lock:
            terms = self._fields.get(fieldname)
            if terms is None:
                words, counts = read_terms(self._client, self._physical, fieldname)
                terms = self._fields[fieldname] = FieldTerms.of(words, counts)
            return terms

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """Counted only for fields already read: the query budget then has nothing to cut, the
        cluster bounds its own work."""
        return self.held(fieldname, text) if fieldname in self._fields else 0

    def held(self, fieldname: str, text: str) -> int:
        """How many documents hold a term (the field's terms are read if need be)."""
        terms = self.field(fieldname)
        span = terms.prefixed(text)
        return terms.frequencies[span.start] if span and terms.words[span.start] == text else 0


class ServerTerms:
    """An index's terms as did-you-mean and completions read them (what whoosh's IndexReader gives
    them): how many documents there are, and hold a term; the schema that analyses query words."""

    def __init__(self, vocabulary: ServerVocabulary, documents: int):
        self.vocabulary, self.documents = vocabulary, documents
        self.schema = SCHEMA

    def doc_count(self) -> int:
        return self.documents

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self.vocabulary.held(fieldname, text)

    def __contains__(self, term: tuple[str, str]) -> bool:
        return self.doc_frequency(*term) > 0


def read_terms(client, physical: str, fieldname: str) -> tuple[list[str], list[int]]:
    """Every term of a field in order, with how many documents hold it."""
    words, counts, after = [], [], None
    while True:
        composite = {"size": PAGE, "sources": [{"term": {"terms": {"field": fieldname}}}]}
        if after:
            composite["after"] = after
        response = client.search(index=physical, body={"size": 0, "aggs": {"terms": {"composite": composite}}})
        result = response["aggregations"]["terms"]
        for bucket in result["buckets"]:
            if "\n" not in bucket["key"]["term"]:
                words.append(bucket["key"]["term"])
                counts.append(bucket["doc_count"])
        after = result.get("after_key")
        if not after or len(result["buckets"]) < PAGE:
            return words, counts
